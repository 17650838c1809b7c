"""Command line for the evaluation, wired by the main CLI as `strategy-chat eval …` and
`strategy-chat eval-candidates …`; also runnable as `python -m evaluation.cli eval …`.

`eval` without a gold set runs the held-out split (`--split dev|test|both`, each on its own index);
`eval GOLDSET --index DIR` scores one gold set on a given index, as before.

Exit codes: 0 fine, 1 a CI threshold was missed, 2 bad input (gold set, feedback file, configs).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from config import Settings

from .goldset import GoldSetError
from .run import CONFIGS, DEFAULT_CONFIGS, run_eval

logger = logging.getLogger(__name__)

DEFAULT_OUT = Path(__file__).resolve().parent / "out"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="strategy-chat", description="Evaluate answers against a gold set.")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", aliases=["run"], help="score a gold set under the system and its baselines")
    ev.add_argument("goldset", nargs="?",
                    help="one gold-set JSONL or a name in evaluation/goldsets/ (e.g. corpus); "
                         "omit it to evaluate the dev/test split")
    ev.add_argument("--split", choices=["dev", "test", "both"], default="both",
                    help="split(s) to evaluate, each on an index of its own documents (default: both)")
    ev.add_argument("--index-prefix", default=".index",
                    help="split indexes are PREFIX-dev and PREFIX-test (default: .index → .index-dev)")
    ev.add_argument("--no-ingest", action="store_true",
                    help="use the split indexes as they are (default: bring them up to date, incrementally)")
    ev.add_argument("--split-file", type=Path, default=None,
                    help="the split's documents (default: evaluation/split.json)")
    ev.add_argument("--goldset-dir", type=Path, default=None,
                    help="folder with dev/ and test/ gold files (default: evaluation/goldsets)")
    ev.add_argument("--index", type=Path, help="index folder (default: settings / STRATEGY_CHAT_INDEX_DIR)")
    ev.add_argument("--configs", default=",".join(DEFAULT_CONFIGS),
                    help=f"comma-separated, of {', '.join(CONFIGS)} (default: all but reader-all)")
    ev.add_argument("--json", type=Path, dest="json_path", help="write every figure and record here")
    ev.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for report.md and chart.png")
    ev.add_argument("--no-report", action="store_true", help="skip report.md / chart.png")
    ev.add_argument("--thresholds", type=Path,
                    help="CI gates (default: evaluation/thresholds.json, for the test split; a single "
                         "gold set is gated only with this flag)")
    ev.add_argument("--no-thresholds", action="store_true", help="do not check thresholds")
    ev.add_argument("--limit", type=int, help="only the first N questions (a smoke run)")
    ev.add_argument("--sample", type=int, default=None,
                    help="score one question group in N (fixed by the group's hash), e.g. 4")
    cand = sub.add_parser("eval-candidates", aliases=["candidates"],
                          help="turn the app's feedback log into gold-set candidates")
    cand.add_argument("feedback", type=Path, help="feedback JSONL written by the app")
    cand.add_argument("-o", "--output", default="-", help="candidate JSONL (default: stdout)")
    return parser


def _eval_splits(args: argparse.Namespace, settings: Settings) -> int:
    from .goldset import GOLDSET_DIR
    from .report import print_side_by_side, write_splits_report
    from .split import SPLIT_PATH, SplitError
    from .split_runs import default_index_dir, run_splits
    from .thresholds import THRESHOLDS_PATH, check_thresholds, load_thresholds

    splits = ["dev", "test"] if args.split == "both" else [args.split]
    configs = [c for c in args.configs.split(",") if c.strip()]
    from assistant.progress import ProgressBar

    try:
        with ProgressBar(enabled=sys.stderr.isatty()) as bar:
            result = run_splits(
                splits, settings, configs, limit=args.limit, sample=args.sample, ingest=not args.no_ingest,
                index_dirs={s: default_index_dir(s, args.index_prefix) for s in splits},
                progress=bar.update,
                notify=lambda line: print(f"note: {line}", file=sys.stderr),
                split_path=args.split_file or SPLIT_PATH, goldset_dir=args.goldset_dir or GOLDSET_DIR,
            )
    except (GoldSetError, SplitError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_side_by_side(result)
    if args.json_path:
        args.json_path.parent.mkdir(parents=True, exist_ok=True)
        args.json_path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), "utf-8")
        print(f"figures: {args.json_path}")
    if not args.no_report:
        print(f"report: {write_splits_report(result, args.out)}")
    if args.no_thresholds or "test" not in result.runs:
        return 0
    failures = check_thresholds(result.runs["test"].result,
                                load_thresholds(args.thresholds or THRESHOLDS_PATH, split="test"))
    for line in failures:
        print(f"threshold missed (test split): {line}", file=sys.stderr)
    return 1 if failures else 0


def _eval(args: argparse.Namespace, settings: Settings | None) -> int:
    from .report import print_tables, write_json, write_report
    from .thresholds import check_thresholds, load_thresholds

    if args.goldset is None:
        if args.index is not None:
            print("error: --index is for one gold set; the split indexes are set with --index-prefix",
                  file=sys.stderr)
            return 2
        return _eval_splits(args, settings or Settings.from_env())
    if settings is None:
        settings = Settings.from_env(index_dir=args.index)
    elif args.index is not None:
        settings = replace(settings, index_dir=args.index)
    configs = [c for c in args.configs.split(",") if c.strip()]
    try:
        result = run_eval(args.goldset, settings, configs, limit=args.limit,
                          progress=lambda name, i, n: logger.info("%s %d/%d", name, i, n))
    except (GoldSetError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_tables(result)
    if args.json_path:
        print(f"figures: {write_json(result, args.json_path)}")
    if not args.no_report:
        print(f"report: {write_report(result, args.out)}")
    thresholds = args.thresholds  # thresholds.json gates the test split; a single gold set only with it
    if args.no_thresholds or thresholds is None:
        return 0
    failures = check_thresholds(result, load_thresholds(thresholds))
    for line in failures:
        print(f"threshold missed: {line}", file=sys.stderr)
    return 1 if failures else 0


def _candidates(args: argparse.Namespace) -> int:
    from .feedback import write_candidates

    if not args.feedback.exists():
        print(f"error: {args.feedback}: no such file", file=sys.stderr)
        return 2
    count, text = write_candidates(args.feedback, args.output)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        print(f"{count} candidates written to {args.output}; review them, then drop needs_review",
              file=sys.stderr)
    return 0


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """`eval|run [GOLDSET] [...]` or `eval-candidates|candidates FEEDBACK [-o OUT]`; returns the exit code.

    `settings` lets the caller pass the Settings it already built from flags and environment.
    """
    args = build_parser().parse_args(argv)
    if args.command in ("eval", "run"):
        return _eval(args, settings)
    return _candidates(args)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    raise SystemExit(main())

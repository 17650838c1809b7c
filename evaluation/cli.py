"""Command line for the evaluation, wired by the main CLI as `strategy-chat eval …` and
`strategy-chat eval-candidates …`; also runnable as `python -m evaluation.cli eval …`.

Exit codes: 0 fine, 1 a CI threshold was missed, 2 bad input (gold set, feedback file, configs).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings

from .goldset import GoldSetError
from .run import CONFIGS, run_eval

logger = logging.getLogger(__name__)

DEFAULT_OUT = Path(__file__).resolve().parent / "out"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="strategy-chat", description="Evaluate answers against a gold set.")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", aliases=["run"], help="score a gold set under the system and its baselines")
    ev.add_argument("goldset", help="gold-set JSONL, or a name in evaluation/goldsets/ (e.g. corpus)")
    ev.add_argument("--index", type=Path, help="index folder (default: settings / STRATEGY_CHAT_INDEX_DIR)")
    ev.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated, of {', '.join(CONFIGS)}")
    ev.add_argument("--json", type=Path, dest="json_path", help="write every figure and record here")
    ev.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for report.md and chart.png")
    ev.add_argument("--no-report", action="store_true", help="skip report.md / chart.png")
    ev.add_argument("--thresholds", type=Path,
                    help="CI gates (default: evaluation/thresholds.json, for the corpus gold set only)")
    ev.add_argument("--no-thresholds", action="store_true", help="do not check thresholds")
    ev.add_argument("--limit", type=int, help="only the first N questions (a smoke run)")
    cand = sub.add_parser("eval-candidates", aliases=["candidates"],
                          help="turn the app's feedback log into gold-set candidates")
    cand.add_argument("feedback", type=Path, help="feedback JSONL written by the app")
    cand.add_argument("-o", "--output", default="-", help="candidate JSONL (default: stdout)")
    return parser


def _eval(args: argparse.Namespace, settings: Settings | None) -> int:
    from .report import print_tables, write_json, write_report
    from .thresholds import check_thresholds, default_thresholds, load_thresholds

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
    thresholds = args.thresholds or default_thresholds(args.goldset)
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
    """`eval|run GOLDSET [...]` or `eval-candidates|candidates FEEDBACK [-o OUT]`; returns the exit code.

    `settings` lets the caller pass the Settings it already built from flags and environment.
    """
    args = build_parser().parse_args(argv)
    if args.command in ("eval", "run"):
        return _eval(args, settings)
    return _candidates(args)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    raise SystemExit(main())

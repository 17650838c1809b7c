"""`strategy-chat`: ingest documents, ask questions, prepare models, run evaluations."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from config import Settings, passive_thread_waits

logger = logging.getLogger(__name__)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", dest="index_dir", type=Path, help="index folder (default .index)")
    parser.add_argument(
        "--embedding-backend", help="auto (default) | e5-converted | e5-bundled | sentence-transformers"
    )
    parser.add_argument("--embedding-model", help="sentence-transformers model, or the converted e5's folder")
    parser.add_argument("--chroma-host", help="use a Chroma server instead of the embedded store")
    parser.add_argument("--chroma-port", type=int)
    parser.add_argument("-v", "--verbose", action="store_true")


def _settings(args: argparse.Namespace) -> Settings:
    keys = ("index_dir", "embedding_backend", "embedding_model", "chroma_host", "chroma_port", "answerer")
    return Settings.from_env(**{k: getattr(args, k, None) for k in keys})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="strategy-chat", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="add or update documents in the index")
    ingest.add_argument("paths", nargs="+", type=Path, help="files or folders")
    _common(ingest)

    ask = sub.add_parser("ask", help="answer questions (from arguments, or stdin one per line)")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
    ask.add_argument("--answerer", help="extractive | naive | openai | ollama")
    _common(ask)

    status = sub.add_parser("status", help="what the index holds")
    _common(status)

    matter = sub.add_parser("matter", help="a matter's handlings by body and meeting (no model needed)")
    matter.add_argument("query", nargs="+", help="case number, 'Body d.m.yyyy § n', or words of its title")
    matter.add_argument("--json", action="store_true")
    _common(matter)

    models = sub.add_parser("models", help="prepare local model folders")
    models.add_argument("action", choices=["prepare"])
    models.add_argument("--out", type=Path, default=None, help="target folder")

    train = sub.add_parser("train", help="fit the answer scorer on the dev gold set (assistant/models/)")
    train.add_argument("--goldset", action="append", type=Path, default=None,
                       help="gold JSONL file(s); default evaluation/goldsets/dev/*.jsonl")
    train.add_argument("--out", type=Path, default=None, help="model file (default the shipped one)")
    train.add_argument("--target-precision", type=float, default=None, help="abstention target (0.9)")
    train.add_argument("--no-ingest", action="store_true",
                       help="use --index as it is (default: bring it in line with the dev split first)")
    _common(train)

    reader = sub.add_parser("train-reader", help="fine-tune the span reader on the train split's examples, "
                            "calibrate it on dev (reader/models/)")
    reader.add_argument("--examples", type=Path, default=None, help="examples JSONL (evaluation/reader/)")
    reader.add_argument("--out", type=Path, default=None, help="folder for <name>.safetensors + .json")
    reader.add_argument("--name", default=None, help="model name (default: the settings' reader_model)")
    reader.add_argument("--epochs", type=float, default=2.0)
    reader.add_argument("--max-minutes", type=float, default=85.0,
                        help="stop training after this long and keep what is learned (default 85)")
    reader.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with a GPU")
    reader.add_argument("--limit", type=int, default=None, help="train on the first N examples (a smoke run)")
    reader.add_argument("--init", default=None, metavar="NAME",
                        help="go on training the saved reader NAME (in --out) instead of starting from e5")
    reader.add_argument("--lr", type=float, default=None, help="peak learning rate (default 1e-4)")
    reader.add_argument("--seed", type=int, default=None,
                        help="the training's seed: its order and negatives (a continued epoch takes a "
                             "new one); dev is always read with the fixed seed")
    reader.add_argument("--recalibrate", type=Path, default=None, metavar="RESULTS_JSON",
                        help="only refit the calibration and threshold to a dev run of `eval --split dev "
                             "--configs reader-all --json RESULTS_JSON` (the delta stays)")
    reader.add_argument("--choose-fallback", type=Path, default=None, metavar="RESULTS_JSON",
                        help="only choose where the reader answers for an abstaining scorer "
                             "(scorer+reader), from a dev run of "
                             "`eval --split dev --configs scorer,reader --json RESULTS_JSON`")
    reader.add_argument("--calibrate-and-choose", type=Path, default=None, metavar="RESULTS_JSON",
                        help="both of the above from one dev run of `eval --split dev --configs "
                             "scorer,reader-all --json RESULTS_JSON`")
    reader.add_argument("--compile-raw", type=Path, nargs="*", default=None,
                        help="first rebuild the examples (and the dev/test reader gold sets) from written "
                             "raw JSONL files")
    reader.add_argument("--reanchor", action="store_true",
                        help="only move the examples' passage locators to where today's parse puts them "
                             "(after a pipeline change) and rewrite the dev/test reader gold sets")
    _common(reader)

    retrieval = sub.add_parser("train-retrieval", help="fit the query-side retrieval adapter to the train "
                               "split's written questions, choose its epoch on dev; then the hybrid's fusion "
                               "(assistant/retrieval/models/)")
    retrieval.add_argument("--examples", type=Path, default=None, help="examples JSONL (evaluation/reader/)")
    retrieval.add_argument("--out", type=Path, default=None, help="folder for <name>.safetensors + .json")
    retrieval.add_argument("--name", default=None, help="adapter name (default: the settings' query_adapter)")
    retrieval.add_argument("--max-epochs", type=int, default=6)
    retrieval.add_argument("--limit", type=int, default=None,
                           help="only the first N examples of train and of dev (a smoke run)")
    retrieval.add_argument("--no-fusion", action="store_true",
                           help="only the query adapter; leave the fusion model as it is")
    retrieval.add_argument("--fusion-only", action="store_true",
                           help="only the fusion, over the query adapter already in --out")
    retrieval.add_argument("--index-prefix", default=".index",
                           help="the fusion learns on PREFIX-train and is measured on PREFIX-dev (built or "
                                "brought up to date here, as `eval` does)")
    _common(retrieval)

    # Everything after `eval` goes to evaluation.cli, flags included (`eval --split test`): with
    # prefix_chars "+" this parser reads none of them as its own options.
    evaluate = sub.add_parser("eval", help="score dev and test splits (or one gold set) with baselines",
                              prefix_chars="+", add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    candidates = sub.add_parser("eval-candidates", help="turn app feedback into gold-set candidates",
                                prefix_chars="+", add_help=False)
    candidates.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "ask":
            passive_thread_waits()
            return _ask(args)
        if args.command == "status":
            return _status(args)
        if args.command == "matter":
            return _matter(args)
        if args.command == "models":
            return _models(args)
        if args.command == "train":
            passive_thread_waits()
            return _train(args)
        if args.command == "train-retrieval":
            return _train_retrieval(args)
        if args.command == "train-reader":
            passive_thread_waits()
            return _train_reader(args)
        from evaluation import cli as eval_cli

        if args.command == "eval":
            return eval_cli.main(["run", *args.rest])
        return eval_cli.main(["candidates", *args.rest])
    except KeyboardInterrupt:
        print("Interrupted; the index is as it was before this run.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line, not a traceback
        from assistant.answerers.llm import LLMError
        from ingest.store import IndexProblem

        known = isinstance(exc, (IndexProblem, LLMError, ValueError, FileNotFoundError, ImportError))
        if not known or getattr(args, "verbose", False):
            logger.exception("failed")
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _ingest(args: argparse.Namespace) -> int:
    from assistant.progress import ProgressBar
    from ingest.embed import embeddings_for_ingest
    from ingest.pipeline import build_index
    from ingest.store import ChromaTarget

    settings = _settings(args)
    embeddings = embeddings_for_ingest(
        settings.embedding_backend, settings.embedding_model, settings.index_dir
    )
    target = ChromaTarget(settings.chroma_host, settings.chroma_port)
    with ProgressBar(enabled=sys.stderr.isatty()) as bar:
        report = build_index(args.paths, settings.index_dir, embeddings, chroma=target, progress=bar.update,
                             isolation=settings.isolation)
    print(report.summary())
    return 1 if report.skipped or report.notes else 0


def _parse_filters(items: Sequence[str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"Filter {item!r} is not KEY=VALUE, e.g. --filter municipality=Kuopio.")
        filters[key.strip()] = value.strip()
    return filters


def _ask(args: argparse.Namespace) -> int:
    from assistant.pipeline import Assistant

    filters = _parse_filters(args.filter)
    from assistant.retrieval.search import Filters

    Filters.parse(filters)  # an unknown key fails before the model loads
    assistant = Assistant(_settings(args))
    questions = [" ".join(args.question)] if args.question else (line.strip() for line in _stdin_lines())
    status = 0
    for question in questions:
        if not question:
            if args.question:
                raise ValueError("The question is empty.")
            continue
        answer = assistant.ask(question, filters)
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.text)
            for c in answer.citations:
                page = f" (p. {c.chunk.page})" if c.chunk.page else ""
                print(f"  [{c.n}] {c.chunk.document_title} — {c.chunk.section}{page}")
            print(flush=True)
    return status


def _stdin_lines() -> Iterator[str]:
    """Standard input line by line, invalid UTF-8 decoded with replacement characters: one bad byte
    costs its own question's wording, not the rest of the batch."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text stream put in place of stdin (tests, embedding)
        yield from sys.stdin
        return
    for line in raw:
        yield line.decode("utf-8", errors="replace")


def _status(args: argparse.Namespace) -> int:
    from ingest.pipeline import printable
    from ingest.store import index_stats, no_index_message

    settings = _settings(args)
    stats = index_stats(settings.index_dir, public_only=settings.public_only)
    if stats.generation is None:
        raise FileNotFoundError(no_index_message(settings.index_dir))
    shown = printable(str(settings.index_dir))
    print(f"index {shown}: {stats.documents} documents, {stats.chunks} chunks"
          + (" (public documents only)" if settings.public_only else ""))
    print(f"embedding model {stats.model_id}; built {stats.built_at}; generation {stats.generation}")
    for source in stats.sources:
        print(f"  {printable(source)}")  # a name cannot break the listing or reorder it (U+202E)
    return 0


def _matter(args: argparse.Namespace) -> int:
    """Print a matter's path through the bodies; exit 1 when no matter matches."""
    from assistant.matters import build_matters
    from ingest.catalog import read_catalog
    from ingest.store import no_index_message

    settings = _settings(args)
    catalog = read_catalog(settings.index_dir, settings.public_only)
    if catalog is None:
        raise FileNotFoundError(no_index_message(settings.index_dir))
    query = " ".join(args.query)
    found = build_matters(catalog.chunks).find(query)
    if found is None:
        print(f"no matter matches {query!r} (try its case number, e.g. 1204/00.01.01/2023)", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{found.title}" + (f"  ({', '.join(found.case_numbers)})" if found.case_numbers else ""))
    for h in found.handlings:
        where = " ".join(x for x in (h.body, h.meeting_date, h.item and f"§ {h.item}") if x)
        outcome = ", ".join(x for x in (h.resolution, h.vote and f"vote {h.vote}") if x)
        print(f"  {where}" + (f" — {outcome}" if outcome else "") + (f"  [{h.source}]" if h.source else ""))
        if h.proposed:
            print(f"      proposed: {h.proposed}")
        if h.decided:
            print(f"      decided:  {h.decided}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from evaluation.scorer_train import TARGET_PRECISION, train_command

    settings = _settings(args)
    if args.index_dir is None:
        from dataclasses import replace

        settings = replace(settings, index_dir=Path(".index-dev"))
    print(train_command(settings, args.goldset, args.out, args.target_precision or TARGET_PRECISION,
                        ingest=not args.no_ingest))
    return 0


def _train_reader(args: argparse.Namespace) -> int:
    import json
    import logging

    from evaluation.reader_data import EXAMPLES_PATH
    from evaluation.reader_train import ReaderTrainPlan, compile_command, train_reader_command
    from ingest.embed import prepare_models
    from reader.model import MODELS_DIR

    settings = _settings(args)
    if args.choose_fallback is not None:
        from evaluation.reader_train import choose_fallback

        print(json.dumps(choose_fallback(args.choose_fallback, args.name or settings.reader_model,
                                         args.out or settings.reader_dir or MODELS_DIR), indent=1))
        return 0
    if args.calibrate_and_choose is not None:
        from evaluation.reader_train import calibrate_and_choose

        print(json.dumps(calibrate_and_choose(args.calibrate_and_choose, args.name or settings.reader_model,
                                              args.out or settings.reader_dir or MODELS_DIR), indent=1))
        return 0
    if args.recalibrate is not None:
        from evaluation.reader_train import recalibrate

        print(json.dumps(recalibrate(args.recalibrate, args.name or settings.reader_model,
                                     args.out or settings.reader_dir or MODELS_DIR), indent=1))
        return 0
    logging.getLogger("reader").setLevel(logging.INFO)
    logging.getLogger("evaluation").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(message)s")
    folder = prepare_models(settings.converted_e5_dir())
    examples = args.examples or EXAMPLES_PATH
    if args.compile_raw:
        print(json.dumps(compile_command(folder, args.compile_raw, examples), ensure_ascii=False))
    if args.reanchor:
        from evaluation.reader_train import reanchor_command

        print(json.dumps(reanchor_command(folder, examples), ensure_ascii=False))
        return 0
    plan = ReaderTrainPlan(examples=examples, out_dir=args.out or settings.reader_dir or MODELS_DIR,
                           name=args.name or settings.reader_model, epochs=args.epochs,
                           max_minutes=args.max_minutes, device=args.device, limit=args.limit,
                           init=args.init, **({"lr": args.lr} if args.lr else {}),
                           **({"seed": args.seed} if args.seed is not None else {}))
    manifest = train_reader_command(folder, plan)
    print(json.dumps({"name": manifest["name"], "metrics": manifest["metrics"],
                      "training": {k: v for k, v in manifest["training"].items() if k != "data"}},
                     ensure_ascii=False, indent=1))
    return 0


def _train_retrieval(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from assistant.retrieval.adapter import DEFAULT_NAME, MODELS_DIR, NONE
    from evaluation.reader_data import EXAMPLES_PATH
    from evaluation.retrieval_train import RetrievalTrainPlan, train_fusion_command, train_retrieval_command
    from ingest.embed import prepare_models

    settings = _settings(args)
    logging.getLogger("evaluation").setLevel(logging.INFO)
    named = settings.query_adapter if settings.query_adapter not in (None, NONE) else DEFAULT_NAME
    name = args.name or named
    plan = RetrievalTrainPlan(examples=args.examples or EXAMPLES_PATH, out_dir=args.out or MODELS_DIR,
                              name=name, max_epochs=args.max_epochs, limit=args.limit)
    if not args.fusion_only:
        manifest = train_retrieval_command(prepare_models(settings.converted_e5_dir()), plan)
        print(json.dumps({k: manifest[k] for k in ("name", "metrics")}, ensure_ascii=False, indent=1))
    if not args.no_fusion:
        fused = train_fusion_command(replace(settings, query_adapter=name), plan, args.index_prefix)
        print(json.dumps({k: fused[k] for k in ("name", "weights", "metrics")}, ensure_ascii=False, indent=1))
    return 0


def _models(args: argparse.Namespace) -> int:
    from ingest.embed import prepare_models

    folder = prepare_models(args.out or Settings.from_env().converted_e5_dir())
    print(f"converted e5 model ready at {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

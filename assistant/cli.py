"""`strategy-chat`: ingest documents, ask questions, prepare models, run evaluations."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import Settings, passive_thread_waits

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

    models = sub.add_parser("models", help="prepare local model folders")
    models.add_argument("action", choices=["prepare"])
    models.add_argument("--out", type=Path, default=None, help="target folder")

    evaluate = sub.add_parser("eval", help="score the system and baselines on a gold set")
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    candidates = sub.add_parser("eval-candidates", help="turn app feedback into gold-set candidates")
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
        if args.command == "models":
            return _models(args)
        from evaluation import cli as eval_cli

        if args.command == "eval":
            return eval_cli.main(["run", *args.rest])
        return eval_cli.main(["candidates", *args.rest])
    except KeyboardInterrupt:
        print("Interrupted; the index is as it was before this run.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line, not a traceback
        from ingest.store import IndexError_

        from .llm import LLMError

        known = isinstance(exc, (IndexError_, LLMError, ValueError, FileNotFoundError, ImportError))
        if not known or getattr(args, "verbose", False):
            logger.exception("failed")
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _ingest(args: argparse.Namespace) -> int:
    from ingest.embeddings import embeddings_for_ingest
    from ingest.pipeline import build_index
    from ingest.store import ChromaTarget

    from .progress import ProgressBar

    settings = _settings(args)
    embeddings = embeddings_for_ingest(
        settings.embedding_backend, settings.embedding_model, settings.index_dir
    )
    target = ChromaTarget(settings.chroma_host, settings.chroma_port)
    with ProgressBar(enabled=sys.stderr.isatty()) as bar:
        report = build_index(args.paths, settings.index_dir, embeddings, chroma=target, progress=bar.update)
    print(report.summary())
    return 1 if report.skipped else 0


def _parse_filters(items: Sequence[str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"Filter {item!r} is not KEY=VALUE, e.g. --filter municipality=Kuopio.")
        filters[key.strip()] = value.strip()
    return filters


def _ask(args: argparse.Namespace) -> int:
    from .api import Assistant

    filters = _parse_filters(args.filter)
    from .retrieval import Filters

    Filters.parse(filters)  # an unknown key fails before the model loads
    assistant = Assistant(_settings(args))
    questions = [" ".join(args.question)] if args.question else (line.strip() for line in sys.stdin)
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


def _status(args: argparse.Namespace) -> int:
    from ingest.store import index_stats, no_index_message

    settings = _settings(args)
    stats = index_stats(settings.index_dir)
    if stats.generation is None:
        raise FileNotFoundError(no_index_message(settings.index_dir))
    print(f"index {settings.index_dir}: {stats.documents} documents, {stats.chunks} chunks")
    print(f"embedding model {stats.model_id}; built {stats.built_at}; generation {stats.generation}")
    for source in stats.sources:
        print(f"  {source}")
    return 0


def _models(args: argparse.Namespace) -> int:
    from ingest.embeddings import prepare_models

    folder = prepare_models(args.out) if args.out else prepare_models()
    print(f"converted e5 model ready at {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""An `ask` client for the concurrency tests, run in threads of the test process or as its own process.

It asks its questions in a loop until told to stop and reports every answer as one JSON object: the
generation it was read from, the chunk ids it saw (passages, their neighbours, citations) and any error.
As a process: `python ask_client.py INDEX_DIR STOP_FILE QUESTION...`, one JSON line per answer on stdout,
and a last line {"final": …} with the answers to the questions given after `--final`.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

logger = logging.getLogger(__name__)
PAUSE_S = 0.1


def observe(assistant, question: str) -> dict:
    """Ask once; what was seen, or the error."""
    started = time.perf_counter()
    try:
        answer = assistant.ask(question)
    except Exception as exc:  # the tests assert there are none: report, do not stop
        error = f"{type(exc).__name__}: {exc}"
        return {"question": question, "error": error, "trace": traceback.format_exc()}
    ids = {p.chunk.id for p in answer.passages}
    ids |= {n.id for p in answer.passages for n in p.neighbours}
    ids |= {c.chunk.id for c in answer.citations}
    return {
        "question": question,
        "ids": sorted(ids),
        "sources": sorted({p.chunk.source for p in answer.passages}),
        "abstained": answer.abstained,
        "seconds": round(time.perf_counter() - started, 3),
    }


def run(assistant, questions: Sequence[str], stop: Callable[[], bool], report: Callable[[dict], None],
        pause: float = PAUSE_S) -> int:
    """Ask the questions round and round until `stop()`, `pause` seconds apart (a user reads the answer;
    on two cores, clients asking flat out would starve the ingest they are meant to overlap)."""
    asked = 0
    while not stop():
        for question in questions:
            report(observe(assistant, question))
            asked += 1
            time.sleep(pause)
    return asked


def main(argv: Sequence[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    from assistant.pipeline import Assistant
    from config import Settings

    index_dir, stop_file, *rest = argv
    cut = rest.index("--final") if "--final" in rest else len(rest)
    questions, final = rest[:cut], rest[cut + 1:]
    assistant = Assistant(replace(Settings(), index_dir=Path(index_dir), answerer="extractive"))

    def emit(record: dict) -> None:
        print(json.dumps(record, ensure_ascii=False), flush=True)

    emit({"ready": True})
    run(assistant, questions, lambda: Path(stop_file).exists(), emit)
    emit({"final": [observe(assistant, q) for q in final]})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Thumbs up/down from the app, appended to the feedback log that the evaluation tooling reads.

One JSON object per line: {"time", "question", "answer", "abstained", "citations", "filters",
"rating", "comment"}. `question` is the question as searched (a follow-up in its standalone
form), so the evaluation can ask it again without the conversation.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from assistant.records import Answer

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()  # sessions are threads of one process; one line per write, never interleaved


def feedback_record(
    question: str, answer: Answer, filters: Mapping[str, str], rating: str, comment: str | None
) -> dict:
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    comment = (comment or "").strip() or None
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [c.to_json() for c in answer.citations],
        "filters": {k: v for k, v in filters.items() if v not in (None, "")},
        "rating": rating,
        "comment": comment,
    }


def append_feedback(path: Path, record: dict) -> None:
    """Append one line; the folder is created on first use."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _LOCK, path.open("a", encoding="utf-8") as fh:
        fh.write(line)
    logger.info("feedback %s for %r written to %s", record["rating"], record["question"], path)

"""Turn the app's thumbs-up/down log into gold-set candidates for a person to review.

Real users ask the questions a hand-written gold set misses. A thumbs-up answer gives a draft
reference answer and the sources it cited; a thumbs-down gives only the question (the answer is kept
beside it as `rejected_answer`). Every candidate carries `"needs_review": true`, which the gold-set
loader refuses, so nothing reaches an evaluation run without someone writing its key facts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from .matching import normalize

logger = logging.getLogger(__name__)

_WORDS = {
    "fi": {"mitä", "mikä", "mitkä", "kuka", "ketkä", "milloin", "miten", "miksi", "päätti", "onko", "kenen",
           "kaupunginhallitus", "kunnanhallitus", "valtuusto", "vastaa", "ja", "on", "kuinka", "paljonko"},
    "sv": {"vad", "vem", "vilka", "vilken", "när", "hur", "varför", "beslutade", "och", "är", "har", "om",
           "kommunstyrelsen", "fullmäktige", "ansvarar", "för", "ska", "av"},
    "en": {"what", "who", "which", "when", "how", "why", "did", "decide", "the", "is", "of", "and", "for",
           "responsible", "council", "board", "does"},
}
_TYPE_HINTS = (
    ("owner", r"\b(who|vem|kuka|ketkä|responsible|ansvar\w*|vastaa\w*|vastuu\w*|owner|omistaja\w*)\b"),
    ("decision", r"(decide|decision|beslut\w*|päätti|päätös\w*|päätettiin)"),
    ("date", r"\b(when|när|milloin|date|datum|päivämäärä)\b"),
    ("list", r"\b(which|list|vilka|mitkä|ketkä)\b"),
)


def guess_language(text: str) -> str:
    """fi / sv / en by function words (å tips Swedish); the reviewer corrects it."""
    words = set(normalize(text).split())
    scores = {lang: len(words & vocab) for lang, vocab in _WORDS.items()}
    if "å" in text.lower():
        scores["sv"] += 2
    return max(scores, key=lambda lang: (scores[lang], lang == "en"))


def guess_type(question: str) -> str:
    q = question.lower()
    return next((typ for typ, pattern in _TYPE_HINTS if re.search(pattern, q)), "fact")


def read_feedback(path: str | Path) -> list[dict]:
    """The feedback log's entries; malformed lines are skipped with a warning."""
    entries = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            logger.warning("%s:%d: not JSON, skipped", path, lineno)
            continue
        if not isinstance(entry, dict) or not str(entry.get("question") or "").strip():
            logger.warning("%s:%d: no question, skipped", path, lineno)
            continue
        if entry.get("rating") not in ("up", "down"):
            logger.warning("%s:%d: rating %r is not up/down, skipped", path, lineno, entry.get("rating"))
            continue
        entries.append(entry)
    return entries


def _sources(citations: Iterable[dict]) -> list[dict]:
    seen, out = set(), []
    for c in citations or ():
        if not isinstance(c, dict) or not c.get("source"):
            continue
        src = {"source": c["source"], "section": c.get("section") or ""}
        if c.get("page") is not None:
            src["page"] = c["page"]
        if c.get("body"):
            src["body"] = c["body"]  # tells the council's handling from the board's in one item
        key = (src["source"], src["section"], src.get("page"), src.get("body"))
        if key not in seen:
            seen.add(key)
            out.append(src)
    return out


def to_candidate(entry: dict) -> dict:
    """One feedback entry → one gold-set candidate line (`needs_review: true`)."""
    question = str(entry["question"]).strip()
    up = entry["rating"] == "up"
    abstained = bool(entry.get("abstained"))
    # up + answered: answerable; up + abstained: the abstention was right; down: the reviewer decides
    answerable: bool | None = (not abstained) if up else (True if abstained else None)
    notes = f"feedback {entry['rating']} at {entry.get('time')}" + (
        f"; comment: {entry['comment']}" if entry.get("comment") else ""
    )
    if not up and entry.get("answer"):
        notes += f"; rejected answer: {entry['answer']}"
    candidate: dict[str, object] = {
        "id": "fb-" + hashlib.sha1(normalize(question).encode()).hexdigest()[:10],
        "question": question,
        "language": guess_language(question),
        "type": guess_type(question) if answerable is not False else "unanswerable",
        "answerable": answerable,
        "reference_answer": str(entry.get("answer") or "") if up and not abstained else "",
        "key_facts": [],
        "expected_sources": _sources(entry.get("citations") or []) if up and not abstained else [],
        "needs_review": True,
        "notes": notes,
    }
    if entry.get("filters"):
        candidate["filters"] = entry["filters"]
    return candidate


def feedback_to_candidates(entries: Iterable[dict]) -> list[dict]:
    """Candidates, one per distinct question; a later entry for the same question replaces an earlier
    one, except that a thumbs-up is never replaced by a thumbs-down (the draft answer is worth more)."""
    by_id: dict[str, dict] = {}
    for entry in entries:
        cand = to_candidate(entry)
        old = by_id.get(cand["id"])
        if old is None or not (old["reference_answer"] and not cand["reference_answer"]):
            by_id[cand["id"]] = cand
    return list(by_id.values())


def write_candidates(feedback_path: str | Path, out: str | Path | None = None) -> tuple[int, str]:
    """Read the feedback log, write candidate JSONL to `out` (None or "-": return it as text)."""
    lines = [json.dumps(c, ensure_ascii=False) for c in feedback_to_candidates(read_feedback(feedback_path))]
    text = "\n".join(lines) + ("\n" if lines else "")
    if out is not None and str(out) != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    return len(lines), text

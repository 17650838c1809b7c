"""Gold sets: JSONL questions with what a correct answer must contain and cite (format: README.md).

Validation is strict because a malformed line would silently score as a wrong answer and move the
figures CI compares; the loader refuses the file and says which line is wrong.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
TYPES = ("owner", "decision", "date", "fact", "list", "unanswerable")
REQUIRED = ("id", "question", "language", "type", "answerable", "reference_answer", "key_facts",
            "expected_sources")
OPTIONAL = ("filters", "notes", "needs_review")
GOLDSET_DIR = Path(__file__).resolve().parent / "goldsets"


class GoldSetError(ValueError):
    """A gold set that cannot be scored; the message names the file and line."""


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(s, str) and s.strip() for s in value)


def validate_question(q: Mapping) -> list[str]:
    """Everything wrong with one gold question (empty list: valid)."""
    errors = [f"missing field {name!r}" for name in REQUIRED if name not in q]
    errors += [f"unknown field {name!r}" for name in q if name not in REQUIRED + OPTIONAL]
    if errors:
        return errors
    if not isinstance(q["id"], str) or not q["id"].strip():
        errors.append("id must be a non-empty string")
    if not isinstance(q["question"], str) or not q["question"].strip():
        errors.append("question must be a non-empty string")
    if q["language"] not in LANGUAGES:
        errors.append(f"language must be one of {LANGUAGES}")
    if q["type"] not in TYPES:
        errors.append(f"type must be one of {TYPES}")
    if not isinstance(q["answerable"], bool):
        errors.append("answerable must be true or false")
    elif q["answerable"] == (q["type"] == "unanswerable"):
        errors.append("type 'unanswerable' if and only if answerable is false")
    if not isinstance(q["reference_answer"], str):
        errors.append("reference_answer must be a string")
    groups, sources = q["key_facts"], q["expected_sources"]
    if not isinstance(groups, list) or not all(_is_strings(g) for g in groups):
        errors.append("key_facts must be a list of non-empty lists of strings")
    if not isinstance(sources, list):
        errors.append("expected_sources must be a list")
        sources = []
    for i, src in enumerate(sources):
        if not isinstance(src, dict) or not isinstance(src.get("source"), str) or not src["source"]:
            errors.append(f"expected_sources[{i}] needs a 'source' file name")
            continue
        section = src.get("section", "")
        if not (isinstance(section, str) or _is_strings(section)):
            errors.append(f"expected_sources[{i}].section must be a string or a list of strings")
        if src.get("page") is not None and not isinstance(src["page"], int):
            errors.append(f"expected_sources[{i}].page must be an integer")
        if src.get("body") is not None and not isinstance(src["body"], str):
            errors.append(f"expected_sources[{i}].body must be a string")
        if set(src) - {"source", "section", "page", "body"}:
            errors.append(f"expected_sources[{i}] has unknown keys")
    if q["answerable"] is True and (not groups or not sources):
        errors.append("an answerable question needs key_facts and expected_sources")
    if q["answerable"] is False and (groups or sources):
        errors.append("an unanswerable question has no key_facts and no expected_sources")
    if q.get("filters") is not None and not isinstance(q["filters"], dict):
        errors.append("filters must be an object")
    return errors


def resolve_goldset(path: str | Path) -> Path:
    """A path as given, or a name in evaluation/goldsets/ (`corpus` → goldsets/corpus.jsonl)."""
    candidate = Path(path)
    if candidate.is_file():
        return candidate
    for alt in (GOLDSET_DIR / candidate.name, GOLDSET_DIR / f"{candidate.name}.jsonl"):
        if alt.is_file():
            return alt
    raise GoldSetError(f"{path}: no such gold set (nor in {GOLDSET_DIR})")


def load_goldset(path: str | Path, allow_review: bool = False) -> list[dict]:
    """Parse and validate a gold set; raise GoldSetError listing every bad line."""
    path = resolve_goldset(path)
    questions: list[dict] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{lineno}: not JSON ({exc.msg})")
            continue
        if not isinstance(q, dict):
            problems.append(f"{path}:{lineno}: not a JSON object")
            continue
        errors = validate_question(q)
        if q.get("needs_review") and not allow_review:
            errors.append("needs_review is set: review the candidate before scoring with it")
        if q.get("id") in seen:
            errors.append(f"duplicate id {q['id']!r}")
        seen.add(q.get("id"))
        problems += [f"{path}:{lineno}: {e}" for e in errors]
        questions.append(q)
    if problems:
        raise GoldSetError("\n".join(problems))
    if not questions:
        raise GoldSetError(f"{path}: no questions")
    logger.info("loaded %d questions from %s", len(questions), path)
    return questions

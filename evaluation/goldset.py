"""Gold sets: JSONL questions with what a correct answer must contain and cite (format: README.md).

Validation is strict because a malformed line would silently score as a wrong answer and move the
figures CI compares; the loader refuses the file and says which line is wrong.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .split import SplitDocuments

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
TYPES = ("owner", "decision", "date", "fact", "list", "amount", "person", "unanswerable")
LEGACY_TYPES = ("owner", "decision", "date", "fact", "list", "unanswerable")  # corpus/testdocs.jsonl
REQUIRED = ("id", "question", "language", "type", "answerable", "reference_answer", "key_facts",
            "expected_sources")
OPTIONAL = ("group", "filters", "notes", "needs_review")
GOLDSET_DIR = Path(__file__).resolve().parent / "goldsets"


class GoldSetError(ValueError):
    """A gold set that cannot be scored; the message names the file and line."""


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(s, str) and s.strip() for s in value)


def validate_question(q: Mapping, require_group: bool = False) -> list[str]:
    """Everything wrong with one gold question (empty list: valid). `group` is required in the split
    gold sets (goldsets/dev, goldsets/test), optional in the legacy files."""
    errors = [f"missing field {name!r}" for name in REQUIRED if name not in q]
    if require_group and "group" not in q:
        errors.append("missing field 'group' (the same string for every phrasing of one question)")
    errors += [f"unknown field {name!r}" for name in q if name not in REQUIRED + OPTIONAL]
    if errors:
        return errors
    if not isinstance(q["id"], str) or not q["id"].strip():
        errors.append("id must be a non-empty string")
    if not isinstance(q["question"], str) or not q["question"].strip():
        errors.append("question must be a non-empty string")
    if "group" in q and (not isinstance(q["group"], str) or not q["group"].strip()):
        errors.append("group must be a non-empty string")
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
    for alt in (GOLDSET_DIR / candidate, GOLDSET_DIR / f"{candidate}.jsonl", GOLDSET_DIR / candidate.name,
                GOLDSET_DIR / f"{candidate.name}.jsonl"):
        if alt.is_file():
            return alt
    raise GoldSetError(f"{path}: no such gold set (nor in {GOLDSET_DIR})")


def load_goldset(path: str | Path, allow_review: bool = False, require_group: bool = False) -> list[dict]:
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
        errors = validate_question(q, require_group=require_group)
        if q.get("needs_review") and not allow_review:
            errors.append("needs_review is set: review the candidate before scoring with it")
        if q.get("id") in seen:
            errors.append(f"duplicate id {q['id']!r}")
        seen.add(str(q.get("id")))
        problems += [f"{path}:{lineno}: {e}" for e in errors]
        questions.append(q)
    if problems:
        raise GoldSetError("\n".join(problems))
    if not questions:
        raise GoldSetError(f"{path}: no questions")
    logger.info("loaded %d questions from %s", len(questions), path)
    return questions


# --- split gold sets: every goldsets/<split>/*.jsonl ---------------------------------------------


@dataclass(frozen=True)
class SplitGoldSet:
    """The questions of one split that can be run here, and what was left out and why."""

    split: str
    files: tuple[Path, ...]
    questions: tuple[dict, ...]  # runnable (each carries `_file`: its gold file's name)
    skipped: tuple[tuple[str, str], ...]  # (question id, reason)
    warnings: tuple[str, ...]  # e.g. a group without an English phrasing: reported, not fatal


def split_goldset_files(split: str, goldset_dir: Path = GOLDSET_DIR) -> list[Path]:
    files = sorted((goldset_dir / split).glob("*.jsonl"))
    if not files:
        raise GoldSetError(f"no gold files in {goldset_dir / split}/ (the {split} split's gold set is "
                           f"every *.jsonl there)")
    return files


def group_errors(questions: Iterable[Mapping]) -> list[str]:
    """Groups that mix answerable and unanswerable questions: a paraphrase cannot change that."""
    answerable: dict[str, set[bool]] = defaultdict(set)
    for q in questions:
        if q.get("group"):
            answerable[q["group"]].add(bool(q["answerable"]))
    return [f"group {g!r} mixes answerable and unanswerable questions" for g, v in answerable.items()
            if len(v) > 1]


def group_coverage(questions: Iterable[Mapping]) -> dict[str, dict[str, int]]:
    """{group: {language: number of phrasings}} for the languages fi, sv, en."""
    cover: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LANGUAGES, 0))
    for q in questions:
        if q.get("group"):
            cover[q["group"]][q["language"]] += 1
    return dict(cover)


def group_warnings(questions: Sequence[Mapping]) -> list[str]:
    """Answerable groups lacking a language or a second phrasing in one (the format asks for fi, sv
    and en, two phrasings each); warned, not refused, so a half-written group can still be scored."""
    answerable = {q["group"] for q in questions if q.get("group") and q["answerable"]}
    warnings = []
    for group, counts in sorted(group_coverage(questions).items()):
        if group not in answerable:
            continue
        lacking = [lang for lang, n in counts.items() if n == 0]
        single = [lang for lang, n in counts.items() if n == 1]
        if lacking:
            warnings.append(f"group {group!r} has no {'/'.join(lacking)} question")
        if single:
            warnings.append(f"group {group!r} has one phrasing only in {'/'.join(single)}")
    return warnings


def source_errors(
    questions: Iterable[Mapping], own: SplitDocuments, other: SplitDocuments | None
) -> list[str]:
    """Expected sources that are not documents of the question's split. A test question over a dev
    document would leak: the split is by document, so the question moves with its document."""
    errors = []
    for q in questions:
        for src in q.get("expected_sources") or []:
            name = Path(src["source"]).name
            if name in own.names:
                continue
            if other is not None and name in other.names:
                errors.append(f"{q.get('_file', '?')}: {q['id']}: {name} is a {other.name} document "
                              f"(the split is by document: move the question to goldsets/{other.name}/)")
            else:
                errors.append(f"{q.get('_file', '?')}: {q['id']}: {name} is not a document of the "
                              f"{own.name} split (evaluation/split.json)")
    return errors


def split_goldset(split: str) -> SplitGoldSet:
    """The committed gold set of `split` ("dev" or "test") against evaluation/split.json, e.g. for
    `strategy-chat train`: `split_goldset("dev").questions` (with `evaluation.folds.document_folds`)."""
    from .split import SPLITS, split_documents

    other = next(s for s in SPLITS if s != split)
    return load_split_goldset(split, split_documents(split), split_documents(other))


def load_split_goldset(
    split: str, own: SplitDocuments, other: SplitDocuments | None = None, goldset_dir: Path = GOLDSET_DIR
) -> SplitGoldSet:
    """Every gold file of `split`, validated together: `group` required, ids unique across the files,
    groups consistent, sources in the split. Questions over documents missing here (../shared/real
    absent) are skipped with their whole group, and a file left with no answerable question is
    skipped entirely when that happened to it (its unanswerable near misses are about the missing
    documents too)."""
    files = split_goldset_files(split, goldset_dir)
    questions: list[dict] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            loaded = load_goldset(path, require_group=True)
        except GoldSetError as exc:
            problems.append(str(exc))
            continue
        for q in loaded:
            if q["id"] in seen:
                problems.append(f"{path}: duplicate id {q['id']!r} (also in {seen[q['id']]})")
            seen[q["id"]] = path.name
            questions.append(q | {"_file": path.name})
    problems += group_errors(questions) + source_errors(questions, own, other)
    if problems:
        raise GoldSetError("\n".join(problems))
    missing = own.missing_names
    bad_groups = {q["group"] for q in questions
                  if any(Path(s["source"]).name in missing for s in q["expected_sources"])}
    kept = [q for q in questions if q["group"] not in bad_groups]
    skipped = [(q["id"], "its documents are missing here") for q in questions if q["group"] in bad_groups]
    touched = {q["_file"] for q in questions if q["group"] in bad_groups}
    for path in files:
        if path.name in touched and not any(
            q["_file"] == path.name and q["answerable"] for q in kept
        ):
            left = [q for q in kept if q["_file"] == path.name]
            skipped += [(q["id"], f"{path.name} has no runnable answerable question left") for q in left]
            kept = [q for q in kept if q["_file"] != path.name]
    warnings = group_warnings(questions)
    logger.info("%s: %d questions from %d files (%d skipped)", split, len(kept), len(files), len(skipped))
    return SplitGoldSet(split, tuple(files), tuple(kept), tuple(skipped), tuple(warnings))

"""Both gold sets: valid format, the required mix of languages and types, and internally consistent
(every key fact is in the reference answer and in the cited documents, every section fragment is a
heading that exists in its document). A gold set that fails here would skew every evaluation run."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from evaluation.goldset import LANGUAGES, TYPES, load_goldset
from evaluation.matching import _norm_section, fact_present, key_fact_scores

ROOT = Path(__file__).resolve().parent.parent
GOLDSETS = ROOT / "evaluation" / "goldsets"
# gold set → (folder of its documents, minimum questions, minimum unanswerable, min per language × type)
SETS = {
    "corpus.jsonl": (ROOT / "corpus", 66, 12, 3),
    "testdocs.jsonl": (ROOT / "tests" / "data", 30, 6, 1),
}


@cache
def document_text(path: Path) -> str:
    if path.suffix == ".pdf":
        pypdf = pytest.importorskip("pypdf")
        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


@pytest.fixture(params=sorted(SETS))
def goldset(request) -> tuple[str, list[dict]]:
    return request.param, load_goldset(GOLDSETS / request.param)


def test_counts_per_language_and_type(goldset) -> None:
    name, questions = goldset
    _, minimum, min_unanswerable, per_cell = SETS[name]
    assert len(questions) >= minimum
    by_lang = Counter(q["language"] for q in questions)
    for lang in LANGUAGES:  # a third each, give or take a question
        assert abs(by_lang[lang] - len(questions) / 3) <= 1, by_lang
    cells = Counter((q["language"], q["type"]) for q in questions)
    for lang in LANGUAGES:
        for typ in TYPES:
            assert cells[lang, typ] >= per_cell, (lang, typ, cells[lang, typ])
    assert sum(not q["answerable"] for q in questions) >= min_unanswerable


def test_reference_answers_contain_their_key_facts(goldset) -> None:
    _, questions = goldset
    for q in questions:
        if q["answerable"]:
            all_present, _, missing = key_fact_scores(q["reference_answer"], q["key_facts"])
            assert all_present, (q["id"], [q["key_facts"][i] for i in missing])


def test_key_facts_and_sections_come_from_the_documents(goldset) -> None:
    name, questions = goldset
    folder = SETS[name][0]
    for q in questions:
        if not q["answerable"]:
            continue
        paths = [folder / src["source"] for src in q["expected_sources"]]
        missing = [p for p in paths if not p.exists()]
        if missing:
            pytest.skip(f"{missing[0]} not written yet")
        text = "\n".join(document_text(p) for p in paths)
        for group in q["key_facts"]:
            assert any(fact_present(alt, text) for alt in group), (q["id"], group)
        for src in q["expected_sources"]:
            doc = _norm_section(document_text(folder / src["source"]))
            fragments = [src["section"]] if isinstance(src["section"], str) else src["section"]
            for fragment in fragments:
                for part in fragment.split("›"):
                    assert _norm_section(part.strip()) in doc, (q["id"], part)
            if src.get("body"):
                assert _norm_section(src["body"]) in doc, (q["id"], src["body"])


def test_decision_questions_target_the_decision(goldset) -> None:
    """A decision question must expect a decision section (Päätös / Beslut / a handling's §), so that
    citing only the proposal does not score as a correct citation."""
    _, questions = goldset
    for q in (q for q in questions if q["type"] == "decision"):
        fragments = [f for src in q["expected_sources"]
                     for f in ([src["section"]] if isinstance(src["section"], str) else src["section"])]
        last = [f.split("›")[-1].strip() for f in fragments]
        assert any(f in ("Päätös", "Beslut") or "§" in f for f in last), q["id"]

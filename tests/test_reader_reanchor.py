"""Re-anchoring the written examples after a pipeline change: locators follow the parse, groups stay."""

from __future__ import annotations

from pathlib import Path

from evaluation.reader_data import ReaderExample, as_gold, document_chunks, gold_group, reanchor

DOC = """# Kaupunginhallitus 12.3.2024

## § 58 Hankintaohje

Kaupunginhallitus päätti hyväksyä uuden hankintaohjeen. Asian valmisteli hankintapäällikkö Maija Mäkinen.

## § 59 Tiekartta

Tiekartan omistajana toimii tietohallintojohtaja Pekka Virtanen.
"""


def _example(ident: str, document: Path, answer: str | None, passage: dict,
             start: int | None) -> ReaderExample:
    return ReaderExample(id=ident, question="Kuka?", language="fi", type="person", document=str(document),
                         passage=passage, answer=answer, answer_start=start, split="dev", real=False)


def test_locators_follow_the_parse_and_the_gold_group_stays(tmp_path: Path) -> None:
    doc = tmp_path / "poytakirja.md"
    doc.write_text(DOC, encoding="utf-8")
    stale = _example("a", doc, "Pekka Virtanen", {"section": "Vanha nimi", "chunk_index": 7}, 3)
    near_miss = _example("b", doc, None, {"section": "Vanha nimi", "chunk_index": 9}, None)
    missing = _example("c", tmp_path / "not-here.md", "X", {"section": "S", "chunk_index": 0}, 0)
    before = {ex.id: gold_group(ex) for ex in (stale, near_miss, missing)}

    out, counts = reanchor([stale, near_miss, missing])
    moved = {ex.id: ex for ex in out}
    chunks = document_chunks(doc)
    # the answer is found again: its chunk and offset are those of today's parse
    a = moved["a"]
    chunk = next(c for c in chunks if c.chunk_index == a.passage["chunk_index"])
    assert a.passage["section"] == chunk.section != "Vanha nimi"
    assert a.answer_start is not None and chunk.text[a.answer_start:].startswith("Pekka Virtanen")
    # the near miss's chunk is gone: the nearest one stands in (the document answers it nowhere)
    assert moved["b"].passage["chunk_index"] == max(c.chunk_index for c in chunks)
    assert moved["c"] == missing  # no document: kept as written
    assert counts == {"moved": 2, "kept as it was": 1}
    # the gold groups (and so the fixed evaluation samples) do not change; the section does
    assert {ex.id: gold_group(ex) for ex in out} == before
    gold = {q["id"]: q for q in as_gold(out, "dev")}
    assert gold["a"]["expected_sources"] == [{"source": doc.name, "section": chunk.section}]
    # a second pass finds everything in place
    again, counts = reanchor(out)
    assert again == out and counts == {"in place": 2, "kept as it was": 1}


def test_examples_without_a_kept_group_hash_as_before(tmp_path: Path) -> None:
    ex = _example("a", tmp_path / "d.md", "X", {"section": "S", "chunk_index": 0}, 0)
    assert "group" not in ex.to_json()  # the data hash of unchanged examples.jsonl stays the same

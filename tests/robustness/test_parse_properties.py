"""Properties of the parse and chunk stages on arbitrary loaded documents: they never raise, never lose
text and never make a chunk over the size limit; plus one regression test per bug the properties found.

"Never lose text": every non-whitespace character of every input line lands in some chunk, in its text
or in its context header (heading path, title). By design these are not text and are exempt:
- a bare section label with nothing after it ("Päätös", "Liitteet:"): it names the section it opens;
- Markdown's heading marks ("## "): the heading's words are kept, the marks are markup;
- web chrome ("Jaa", "Tulosta", "… logo") on web pages and news, dropped on purpose;
- heading-path text in a chunk whose header had to be shortened to leave room for text at all.
Running page headers and footers are removed by the loader, before these stages, so they are not here.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import genre
from ingest.chunk import chunk_document, estimate_tokens
from ingest.load.loaders.common import clean_line, split_lines
from ingest.parse import parse_document
from ingest.parse.strategy import WEB_CHROME
from ingest.parse.vocab import match_heading
from ingest.parse.weblayout import MARKUP
from ingest.records import Line, LoadedDocument, ParsedDocument

from .strategies import documents, minutes_documents

DEFAULT_EXAMPLES = 150
SLOW_EXAMPLES = 3000
MAX_SECONDS = 10.0  # parse + chunk of one generated document (they run in-process, unbounded otherwise)
# max_tokens from 60: below that a context header alone (title, body, date, §, section) may not fit.
PROPERTY = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
_MD_MARKS = re.compile(r"^\s*#{1,6}(?=\s|$)|\s#+\s*$")


def squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def exempt(text: str, doc_type: str) -> bool:
    """A line that is structure, not text (see the module docstring)."""
    stripped = " ".join(text.split())
    heading = match_heading(stripped)
    if heading is not None and not heading.rest:
        return True
    if genre.is_web_chrome(stripped):  # publishing systems' chrome is dropped before parsing
        return True
    return doc_type in ("web_page", "news") and bool(WEB_CHROME.match(stripped)) and len(stripped) <= 80


def check_document(doc: LoadedDocument, max_tokens: int) -> tuple[ParsedDocument, int]:
    """Parse and chunk `doc` and assert the three properties; returns the parse and the chunk count."""
    started = time.perf_counter()
    parsed = parse_document(doc)
    chunks = chunk_document(parsed, max_tokens=max_tokens)
    assert time.perf_counter() - started < MAX_SECONDS

    for chunk in chunks:  # within the limit, counted as the pipeline counts without a tokenizer
        assert estimate_tokens(chunk.embed_text) <= max_tokens, (chunk.id, estimate_tokens(chunk.embed_text))

    headers: list[str] = []
    shortened = False
    per_section = []
    for section in parsed.sections:  # chunks never cross sections and keep every character of theirs
        own = chunk_document(replace(parsed, sections=(section,)), max_tokens=max_tokens)
        kept = squash("".join(c.text for c in own))
        if section.kind == "actions":  # an oversized action's owner lines may move to the end of each part
            assert not Counter(squash(section.text)) - Counter(kept), section.heading_path
        else:
            assert is_subsequence(squash(section.text), kept), section.heading_path
        per_section += [c.text for c in own]
        headers += [squash(c.context_header) for c in own]
        full_path = " › ".join(section.heading_path)
        shortened |= any(c.section != full_path or c.document_title != parsed.title for c in own)
    assert [c.text for c in chunks] == per_section

    bodies = [squash(s.text) for s in parsed.sections]
    paths = [squash(part) for s in parsed.sections for part in s.heading_path] + [squash(parsed.title)]
    for line in doc.lines:
        if exempt(line.text, parsed.doc_type):
            continue
        text = squash(_MD_MARKS.sub(" ", MARKUP.sub(" ", line.text)))  # HTML markup left in text is removed
        if not text or any(text in body for body in bodies) or any(text in header for header in headers):
            continue
        assert shortened and any(text in path for path in paths), f"lost: {line.text[:120]!r}"
    return parsed, len(chunks)


def loaded(*lines: Line | str, language: str = "fi") -> LoadedDocument:
    items = tuple(x if isinstance(x, Line) else Line(x) for x in lines)
    return LoadedDocument(path=Path("made.txt"), source="made.txt", format="txt", lines=items,
                          language=language, file_hash="0" * 64)


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Load simplemma's fi/sv dictionaries (seconds, once per process) before anything is timed."""
    for text in ("Kuopion kaupunki päätti.", "Borgås stad beslutade."):
        parse_document(loaded(text, "Toinen rivi tekstiä."))


def _run(doc: LoadedDocument, max_tokens: int, figures, target: str) -> None:
    parsed, n = check_document(doc, max_tokens)
    figures.add(target, "inputs")
    figures.add(target, f"parsed as {parsed.doc_type}")
    figures.add(target, "chunks", n)


@settings(PROPERTY, max_examples=DEFAULT_EXAMPLES)
@given(doc=documents, max_tokens=st.integers(60, 512))
def test_any_document_parses_and_chunks_losslessly_within_the_limit(doc, max_tokens, figures) -> None:
    _run(doc, max_tokens, figures, "property: any document")


@settings(PROPERTY, max_examples=DEFAULT_EXAMPLES)
@given(doc=minutes_documents(), max_tokens=st.integers(60, 512))
def test_minutes_shaped_documents_parse_and_chunk_losslessly(doc, max_tokens, figures) -> None:
    _run(doc, max_tokens, figures, "property: minutes-shaped")


@pytest.mark.slow
@settings(PROPERTY, max_examples=SLOW_EXAMPLES)
@given(doc=st.one_of(documents, minutes_documents()), max_tokens=st.integers(60, 1024))
def test_slow_many_documents(doc, max_tokens, figures) -> None:
    _run(doc, max_tokens, figures, "property (slow)")


@settings(PROPERTY, max_examples=300)
@given(text=st.lists(st.one_of(st.characters(), st.sampled_from(["\ud800", "\udfff", "\x00"]))).map("".join))
def test_loader_lines_are_always_encodable(text: str, figures) -> None:
    """Whatever a parser extracts (PDF ToUnicode maps can yield surrogates), cleaned lines encode as UTF-8."""
    for line in [clean_line(text), *split_lines(text)]:
        line.encode("utf-8")
    figures.add("property: clean_line", "inputs")


# ---------------------------------------------------------------- regressions: what the properties found


def all_text(doc: LoadedDocument, max_tokens: int = 400) -> str:
    return "\n".join(c.embed_text for c in chunk_document(parse_document(doc), max_tokens=max_tokens))


def test_a_document_of_headings_only_is_indexed() -> None:
    """Was: every line a heading (a Word file styled throughout) → no sections, "no text to index"."""
    doc = loaded(Line("Digiohjelma 2025", level=1), Line("Tavoitteet", level=2),
                 Line("Toimenpiteet", level=2))
    text = all_text(doc)
    for heading in ("Digiohjelma 2025", "Tavoitteet", "Toimenpiteet"):
        assert heading in text


def test_a_heading_with_nothing_under_it_keeps_its_text() -> None:
    """Was: a heading followed by another of the same level vanished from the index."""
    doc = loaded(Line("Strategia", level=1), Line("Johdanto", level=2), Line("Tavoitteet", level=2),
                 "Kaupunki parantaa digitaalisia palveluja vuoteen 2030 mennessä.")
    parsed = parse_document(doc)
    assert ("Johdanto",) in [s.heading_path for s in parsed.sections]
    assert "Johdanto" in all_text(doc)


def test_an_overlong_heading_is_read_as_text() -> None:
    """Was: a 300-character paragraph styled as a heading was cut to 100 characters in the heading path."""
    long = "Kaupunginhallitus linjasi " + "digitaalisten palvelujen kehittämisestä " * 7 + "loppuun."
    doc = loaded(Line("Otsikko", level=1), Line(long, level=2), "Lyhyt kappale tekstiä tässä.")
    assert squash(long) in squash(all_text(doc))


def test_a_body_name_on_the_last_line_of_minutes_is_kept() -> None:
    """Was: a body's name alone on the last line waited for a section that never came, and was dropped."""
    doc = loaded("Kunnanhallitus 14.10.2024 § 188", "Selostus", "Tekstiä.", "Päätösehdotus", "Ehdotus.",
                 "Päätös", "Hyväksyttiin.", "Kaupunginvaltuusto")
    assert parse_document(doc).doc_type == "minutes"
    assert "Kaupunginvaltuusto" in [line.text for s in parse_document(doc).sections for line in s.lines]


def test_an_empty_action_table_header_row_is_kept() -> None:
    """Was: a table header row directly followed by another header row was dropped."""
    doc = loaded(Line("Toimenpiteet", level=1), "Toimenpide | Vastuutaho | Aikataulu",
                 "Åtgärd | Ansvarig | Tidplan", "Digituki | Kirjasto | 2025")
    text = all_text(doc)
    assert "Toimenpide | Vastuutaho | Aikataulu" in text and "Åtgärd | Ansvarig | Tidplan" in text


def test_a_deep_outline_of_long_headings_still_fits_a_small_limit() -> None:
    """Was: the context header alone (six 100-character headings) exceeded max_tokens; chunks overflowed."""
    heads = [Line(f"{n}. " + "Pitkä otsikko digitaalisista palveluista " * 2 + f"osa {n}", level=n)
             for n in range(1, 7)]
    doc = loaded(*heads, "Kaupunki parantaa digitaalisia palveluja vuoteen 2030 mennessä. " * 5)
    for max_tokens in (60, 100, 200):
        chunks = chunk_document(parse_document(doc), max_tokens=max_tokens)
        assert chunks and all(estimate_tokens(c.embed_text) <= max_tokens for c in chunks)
    assert all(" › ".join(s.heading_path) in all_text(doc, 400) for s in parse_document(doc).sections[-1:])

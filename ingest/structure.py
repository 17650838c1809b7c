"""Parse stage: a loaded document into typed sections with everything a citation needs.

Dispatches on the document's kind: minutes go through the item/handling state machine (minutes.py),
everything else through the outline parser (strategy.py). Document-level metadata (title,
municipality, body, meeting date, item, case number) is settled here.
"""

from __future__ import annotations

import logging
import re

from .doctype import classify_document
from .minutes import Handling, MinutesParser, RawSection
from .minutes_lines import classify_line, is_prose
from .municipality import guess_municipality
from .records import Line, LoadedDocument, ParsedDocument, Section
from .resolution import classify_resolution
from .strategy import parse_outline

logger = logging.getLogger(__name__)

MAX_TITLE = 150
MAX_PATH_PART = 100
# "Seinäjoen kaupunki", "Östersunds kommun": who issued the paper, not what it is about.
_ORGANISATION_LINE = re.compile(r"^\S+(?:\s\S+)?\s+(?:kaupunki|kunta|kuntayhtymä|kommun|stad|region)$",
                                re.IGNORECASE)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + " …"


def _trim(lines: list[Line] | tuple[Line, ...]) -> tuple[Line, ...]:
    """Without leading and trailing blank lines."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    return tuple(lines[filled[0]: filled[-1] + 1]) if filled else ()


def parse_document(doc: LoadedDocument) -> ParsedDocument:
    """Split `doc` into sections; see records.Section for what each one carries."""
    lines = list(doc.lines)
    text = doc.text
    doc_type = classify_document(lines, text)
    municipality = guess_municipality(text)
    logger.debug("%s: %s, municipality %s", doc.source, doc_type, municipality)
    if doc_type == "minutes":
        return _parse_minutes(doc, lines, municipality)
    headline, sections = parse_outline(lines, doc_type)
    first_line = next((line.text.strip() for line in lines if line.text.strip()), "")
    title = _short(headline or doc.title or first_line or doc.source, MAX_TITLE)
    fixed = [
        Section(
            heading_path=tuple(_short(p, MAX_PATH_PART) for p in s.heading_path) or (title,),
            kind=s.kind, lines=_trim(s.lines),
        )
        for s in sections
        if _trim(s.lines)
    ]
    return ParsedDocument(
        source=doc.source, title=title, language=doc.language, doc_type=doc_type, sections=tuple(fixed),
        file_hash=doc.file_hash, municipality=municipality,
    )


def _parse_minutes(doc: LoadedDocument, lines: list[Line], municipality: str | None) -> ParsedDocument:
    parser = MinutesParser(doc.text, doc.language)
    for i, line in enumerate(lines):
        parser.feed(line, as_text=_inside_sentence(lines, i, doc.text))
    parser.finish()
    raw = [s for s in parser.sections if _trim(s.lines)]
    items = parser.items
    preamble = [s for s in raw if s.item is None]
    labelled = next((s for s in raw if s.kind == "title"), None)  # "Asia" / "Ärende"
    title_line = _labelled_title(labelled) or next(
        (line.text.strip() for s in preamble for line in s.lines if _is_title(line.text, doc.text)), None
    )
    if len(items) == 1:
        first = next((s for s in raw if s.item is items[0] and s.kind == "item_header"), None)
        if first is not None and preamble and sum(len(_trim(s.lines)) for s in preamble) <= 8:
            first.lines = [line for s in preamble for line in _trim(s.lines)] + first.lines
            raw = [s for s in raw if s.item is not None]
        main = items[0].main
        title = title_line or items[0].title or main.label or doc.title or doc.source
        body, date, item, case = main.body, main.date, main.item, main.case_number
    else:
        p = parser.preamble
        word = "protokoll" if doc.language == "sv" else "pöytäkirja"
        if items:
            title = doc.title or (f"{p.label} {word}" if p.label else title_line) or doc.source
        else:  # an official's decision: no §, one matter
            title = title_line or doc.title or p.label or doc.source
        body, date, item, case = p.body, p.date, None, None if items else p.case_number
    title = _short(title, MAX_TITLE)
    resolutions = _resolutions(raw)
    sections = tuple(_section(s, parser.preamble, title, resolutions.get(id(s))) for s in raw)
    return ParsedDocument(
        source=doc.source, title=title, language=doc.language, doc_type="minutes", sections=sections,
        file_hash=doc.file_hash, municipality=municipality, body=body, meeting_date=date, item=item,
        case_number=case,
    )


_OPEN_END = re.compile(r"[\w,–-]$")  # a line that stops mid-sentence


def _inside_sentence(lines: list[Line], i: int, document_text: str) -> bool:
    """A decision or proposal label ("Päätös", "Beslut") on a line of its own in the middle of a wrapped
    sentence: "… kaupunginhallituksen aiempi" / "Päätös" / "oli hylätä …". It is text, not a section:
    read as a heading it would open a decision the document never made (text in a background section
    could plant one). Only these two: a decision or proposal starts with a capital letter, where a
    preparer's or presenter's title ("Esittelijä" / "kaupunginjohtaja …") need not."""
    if i == 0 or i + 1 >= len(lines):
        return False
    before, here, after = (lines[j].text.strip() for j in (i - 1, i, i + 1))
    if not (before and after and after[0].islower() and _OPEN_END.search(before)) or len(before.split()) < 4:
        return False
    heading = classify_line(here, document_text).heading
    return (heading is not None and heading.kind in ("decision", "proposal")
            and classify_line(before, document_text).cls == "text")


def _labelled_title(section: RawSection | None) -> str | None:
    """The text after an "Asia:" / "Ärende" label."""
    if section is None:
        return None
    texts = [line.text.strip() for line in section.lines if line.text.strip()]
    if not texts:
        return None
    first = texts[0]
    if section.label and first.lower().startswith(section.label.lower()):
        first = first[len(section.label):].strip(" :") or (texts[1] if len(texts) > 1 else "")
    return first or None


def _is_title(text: str, document_text: str) -> bool:
    text = text.strip()
    return (bool(text) and not _ORGANISATION_LINE.match(text) and not is_prose(text)
            and classify_line(text, document_text).cls == "text")


def _resolutions(raw: list[RawSection]) -> dict[int, str | None]:
    """Each decision section's resolution, read with its own handling's proposal and vote."""
    by_handling: dict[int, list[RawSection]] = {}
    for s in raw:
        by_handling.setdefault(id(s.handling), []).append(s)
    result: dict[int, str | None] = {}
    for sections in by_handling.values():
        def text_of(kinds: tuple[str, ...], group: list[RawSection] = sections) -> str:
            return "\n".join(line.text for s in group if s.kind in kinds for line in s.lines)

        proposal, handling = text_of(("proposal",)), text_of(("handling",))
        for s in sections:
            if s.kind == "decision":
                result[id(s)] = classify_resolution("\n".join(x.text for x in s.lines), handling, proposal)
    return result


def _section(s: RawSection, preamble: Handling, title: str, resolution: str | None) -> Section:
    h = s.handling
    if s.item is None:
        path: tuple[str, ...] = (preamble.label or title,)
        case = h.case_number
    else:
        main = s.item.main
        path = (f"§ {main.item}",) if main.item else (s.item.title or title,)
        if h is not main and h.label:
            path += (h.label,)
        case = h.case_number or main.case_number
    if s.label:
        path += (s.label,)
    return Section(
        heading_path=tuple(_short(p, MAX_PATH_PART) for p in path), kind=s.kind, lines=_trim(s.lines),
        body=h.body, meeting_date=h.date, item=h.item, case_number=case, resolution=resolution,
    )

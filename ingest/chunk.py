"""Chunk stage: sections into pieces sized for the embedding model, each carrying its citation.

Chunks never cross a section boundary. Within a section the units are paragraphs, or, in action
sections, whole actions (an action is never split from its owner; a table's header row is repeated
in every chunk of the table). Units are packed up to `max_tokens`, counted on `chunk.embed_text`
(context header + text); a unit too long on its own is split at sentence boundaries with a small
overlap by LangChain's RecursiveCharacterTextSplitter. No non-whitespace character is lost.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .actions import action_units, is_table_header, split_attributes
from .records import Chunk, Line, ParsedDocument, Section

logger = logging.getLogger(__name__)

CountFn = Callable[[str], int]
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ": ", ", ", " ", ""]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_BUDGET = 8  # tokens left for text after the context header; below this no chunk can be made


def estimate_tokens(text: str) -> int:
    """A conservative token count (one per three characters) for when no tokenizer is given."""
    return -(-len(text) // 3)


def chunk_document(
    doc: ParsedDocument, max_tokens: int = 400, count_tokens: CountFn | None = None
) -> list[Chunk]:
    """All chunks of `doc`, numbered 0.. in document order; see the module docstring for the rules."""
    count = count_tokens or estimate_tokens
    chunks: list[Chunk] = []
    for section in doc.sections:
        template = _fitting_template(doc, section, max_tokens, count)
        for text, page in _section_pieces(section, template.context_header, max_tokens, count):
            chunk = replace(template, text=text, page=page, chunk_index=len(chunks))
            digest = hashlib.sha256(chunk.embed_text.encode("utf-8")).hexdigest()[:16]
            chunk_id = f"{doc.source}#{chunk.chunk_index}-{digest}"
            chunks.append(replace(chunk, content_hash=digest, id=chunk_id))
    logger.debug("%s: %d sections → %d chunks", doc.source, len(doc.sections), len(chunks))
    return chunks


def _fitting_template(doc: ParsedDocument, section: Section, max_tokens: int, count: CountFn) -> Chunk:
    """The section's chunk template, with a context header short enough to leave room for text.

    A long title is cut when the header would take more than three quarters of the budget; the heading
    path only when even then no text would fit (a deep outline of long headings under a small limit)."""
    def room(template: Chunk) -> int:
        return max_tokens - count(template.context_header + "\n")

    path = section.heading_path
    template = _template(doc, section, doc.title, path)
    if room(template) < max(MIN_BUDGET, max_tokens // 4):
        template = _template(doc, section, doc.title[:60], path)

    def last(limit: int) -> tuple[str, ...]:
        return (("…",) if len(path) > 1 else ()) + ((_cut(path[-1], limit),) if path else ())

    for title, shown in ((doc.title[:60], tuple(_cut(p, 40) for p in path)),
                         (doc.title[:30], last(40)), (doc.title[:20], last(20))):
        if room(template) >= MIN_BUDGET:
            break
        template = _template(doc, section, title, shown)
    return template


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _template(doc: ParsedDocument, section: Section, title: str, path: tuple[str, ...]) -> Chunk:
    return Chunk(
        id="", text="", source=doc.source, document_title=title, chunk_index=0, content_hash="",
        section=" › ".join(path), section_kind=section.kind, language=doc.language,
        doc_type=doc.doc_type, municipality=doc.municipality, body=section.body,
        meeting_date=section.meeting_date, item=section.item, case_number=section.case_number,
        page=section.page, resolution=section.resolution, file_hash=doc.file_hash,
    )


# --- units ----------------------------------------------------------------------------------------
def _paragraphs(lines: tuple[Line, ...]) -> list[list[Line]]:
    """Lines grouped into paragraphs: a full-width line cut mid-sentence (PDF) continues on the next."""
    units: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            if current:
                units.append(current)
            current = []
            continue
        current.append(line)
        if len(text) < 60 or text.endswith((".", "!", "?", ":", ";", '"', "”")):
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def _text(unit: list[Line]) -> str:
    return "\n".join(line.text.strip() for line in unit if line.text.strip())


def _unwrap(text: str) -> str:
    """Join lines a PDF wrapped mid-sentence, so an oversized paragraph splits at sentences, not at
    print lines. Same length as `text`: offsets (and so pages) stay valid."""
    lines = text.split("\n")
    out = lines[0]
    for previous, line in zip(lines, lines[1:]):
        wrapped = len(previous) >= 60 and not previous.endswith((".", "!", "?", ":", ";"))
        out += (" " if wrapped else "\n") + line
    return out


def _page_at(unit: list[Line], offset: int) -> int | None:
    """The page of the line in which character `offset` of `_text(unit)` falls."""
    position = 0
    page = next((line.page for line in unit if line.page is not None), None)
    for line in unit:
        text = line.text.strip()
        if not text:
            continue
        if line.page is not None:
            page = line.page
        position += len(text) + 1
        if offset < position:
            return page
    return page


# --- packing --------------------------------------------------------------------------------------
def _section_pieces(
    section: Section, header: str, max_tokens: int, count: CountFn
) -> list[tuple[str, int | None]]:
    """(text, start page) of each chunk of one section."""
    def fits(text: str) -> bool:
        return count(f"{header}\n{text}") <= max_tokens

    def fits_prefix(row: str) -> bool:  # a header row repeated in every chunk must leave room for rows
        return count(f"{header}\n{row}") <= max_tokens - max(MIN_BUDGET, max_tokens // 4)

    actions = section.kind == "actions"
    units = action_units(section.lines) if actions else _paragraphs(section.lines)
    pieces: list[tuple[str, int | None]] = []
    prefix = ""  # an action table's header row, repeated in each chunk of the table
    prefix_page: int | None = None
    prefix_shown = True  # whether the header row stands in a chunk yet
    current: list[str] = []
    page: int | None = None

    def flush() -> None:
        nonlocal current, prefix_shown
        if current:
            pieces.append(("\n".join(([prefix] if prefix else []) + current), page))
            prefix_shown = True
        current = []

    for unit in units:
        text = _text(unit)
        if not text:
            continue
        if actions and is_table_header(text) and fits_prefix(text):
            flush()
            if not prefix_shown:  # a header row with no rows under it (an empty table) stays as it is
                pieces.append((prefix, prefix_page))
            prefix, prefix_page, prefix_shown = text, _page_at(unit, 0), False
            continue
        head = [prefix] if prefix else []
        if fits("\n".join(head + current + [text])):
            if not current:
                page = _page_at(unit, 0)
            current.append(text)
            continue
        tail = _overlap(current, count, max_tokens) if not actions else ""
        flush()
        if tail and fits("\n".join(head + [tail, text])):
            current, page = [tail, text], _page_at(unit, 0)
        elif fits("\n".join(head + [text])):
            current, page = [text], _page_at(unit, 0)
        else:
            for part, offset in _split_unit(unit, actions, header, prefix, max_tokens, count):
                pieces.append(("\n".join(head + [part]), _page_at(unit, offset)))
                prefix_shown = True
    flush()
    if not prefix_shown:  # a table with a header row and nothing under it
        pieces.append((prefix, prefix_page))
    return pieces


def _overlap(current: list[str], count: CountFn, max_tokens: int) -> str:
    """The last sentence of the previous chunk when it is short: a little context carried over."""
    if not current:
        return ""
    sentences = [s for s in _SENTENCE.split(current[-1]) if s.strip()]
    last = sentences[-1].strip() if len(sentences) > 1 else ""
    return last if last and count(last) <= max_tokens // 10 else ""


def _split_unit(unit: list[Line], actions: bool, header: str, prefix: str, max_tokens: int,
                count: CountFn) -> list[tuple[str, int]]:
    """An oversized paragraph or action as (part, offset in the unit's text) pairs, each within limits.

    An oversized action repeats its owner and attribute lines in every part, or where those are too
    long, at least its owner lines."""
    text = _text(unit)
    suffix = ""
    body = text
    if actions:
        description, owners, others = split_attributes(unit)
        room = max_tokens - count(header) - (count(prefix) if prefix else 0)
        # all attributes while they take under half the room; the owner alone while under three quarters
        for repeated, rest, share in ((owners + others, [], 0.5), (owners, others, 0.75)):
            # … and only while each part keeps room for a few words of the description
            fixed = "\n".join(p for p in (prefix, _text(repeated)) if p)
            spare = max_tokens - count(f"{header}\n{fixed}\n")
            if repeated and description and count(_text(repeated)) < room * share and spare >= MIN_BUDGET + 2:
                suffix, body = _text(repeated), _text(description + rest)
                break
    fixed = "\n".join(p for p in (prefix, suffix) if p)
    budget = max_tokens - count(f"{header}\n{fixed}\n" if fixed else f"{header}\n")
    parts: list[str] = []
    for attempt in range(8):
        size = max(MIN_BUDGET, int(budget * (0.9 ** attempt)))
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=size, chunk_overlap=size // 5, length_function=count, separators=SEPARATORS,
            keep_separator="end",
        )
        parts = [p + ("\n" + suffix if suffix else "") for p in splitter.split_text(_unwrap(body))]
        if all(count("\n".join(x for x in (header, prefix, p) if x)) <= max_tokens for p in parts):
            break
    else:
        logger.warning("a chunk of %d characters exceeds %d tokens after splitting", len(text), max_tokens)
    result, cursor = [], 0
    for part in parts:
        found = _unwrap(text).find(part.split("\n", 1)[0][:40], cursor)
        offset = found if found >= 0 else cursor
        cursor = max(cursor, offset)
        result.append((part, offset))
    return result

"""Chunk stage: sections into pieces sized for the embedding model, each carrying its citation.

Chunks never cross a section boundary. Within a section the units are paragraphs, or, in action
sections, whole actions (an action is never split from its owner; a table's header row is repeated
in every chunk of the table). Units are packed up to `max_tokens`, counted on `chunk.embed_text`
(context header + text); a unit too long on its own is split at sentence boundaries (else clauses,
words, characters) with a small overlap. No non-whitespace character is lost.

Linear in the input: the tokenizer only ever sees strings of about a chunk's size (a string over
`MAX_CHARS_PER_TOKEN` characters per token of the limit counts as too long without being tokenized), and
an oversized unit is cut in one pass over windows of its text. A 50 MB line takes seconds, not hours
(benchmarks/parse_scaling.py). `deadline` (time.monotonic) bounds the time per document.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from ingest.load.loaders.common import SkipFile
from ingest.parse.actions import OWNERS_KEY, action_units, is_table_header, owners_json, split_attributes
from ingest.records import Chunk, Line, ParsedDocument, Section

logger = logging.getLogger(__name__)

CountFn = Callable[[str], int]
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ": ", ", ", " ", ""]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_BUDGET = 8  # tokens left for text after the context header; below this no chunk can be made
# No tokenizer makes a token of more characters than this (e5's longest pieces are ~16): a longer string
# cannot fit the limit and is not tokenized (that took 7 GB for a 50 MB line).
MAX_CHARS_PER_TOKEN = 32


def estimate_tokens(text: str) -> int:
    """A conservative token count (one per three characters) for when no tokenizer is given."""
    return -(-len(text) // 3)


def chunk_document(
    doc: ParsedDocument, max_tokens: int = 400, count_tokens: CountFn | None = None,
    deadline: float | None = None,
) -> list[Chunk]:
    """All chunks of `doc`, numbered 0.. in document order; see the module docstring for the rules.

    Raises SkipFile when `deadline` (a time.monotonic() value) passes first."""
    count = _capped(count_tokens or estimate_tokens, max_tokens)
    check = _clock(deadline)
    chunks: list[Chunk] = []
    for section in doc.sections:
        check()
        template = _fitting_template(doc, section, max_tokens, count)
        origins = _origins(section)
        for text, page in _section_pieces(section, template.context_header, max_tokens, count, check):
            chunk = replace(template, text=text, page=page, chunk_index=len(chunks),
                            **_provenance(origins, section, text, page))
            owners = owners_json(text) if section.kind == "actions" else None
            if owners:  # who owns which action, read by the answerer instead of parsing again
                chunk = replace(chunk, extra={**chunk.extra, OWNERS_KEY: owners})
            digest = hashlib.sha256(chunk.embed_text.encode("utf-8")).hexdigest()[:16]
            chunk_id = f"{doc.source}#{chunk.chunk_index}-{digest}"
            chunks.append(replace(chunk, content_hash=digest, id=chunk_id))
    logger.debug("%s: %d sections → %d chunks", doc.source, len(doc.sections), len(chunks))
    return chunks


def _capped(count: CountFn, max_tokens: int) -> CountFn:
    """`count`, except that a string too long to fit any limit here counts as too long untokenized."""
    cap = MAX_CHARS_PER_TOKEN * max_tokens

    def capped(text: str) -> int:
        return count(text) if len(text) <= cap else max_tokens + 1 + len(text) // MAX_CHARS_PER_TOKEN

    return capped


def _clock(deadline: float | None) -> Callable[[], None]:
    def check() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise SkipFile("chunking took too long — split the file")

    return check


def _fitting_template(doc: ParsedDocument, section: Section, max_tokens: int, count: CountFn) -> Chunk:
    """The section's chunk template, with a context header short enough to leave room for text.

    A long title (and the item's title) is cut when the header would take more than three quarters of
    the budget; the heading path only when even then no text would fit (a deep outline of long headings
    under a small limit)."""
    def room(template: Chunk) -> int:
        return max_tokens - count(template.context_header + "\n")

    path = section.heading_path
    template = _template(doc, section, doc.title, path)
    if room(template) < max(MIN_BUDGET, max_tokens // 4):
        template = _template(doc, section, doc.title[:60], path)
    if room(template) < max(MIN_BUDGET, max_tokens // 4) and template.item_title:
        template = replace(template, item_title=_cut(template.item_title, 40))
    if room(template) < MIN_BUDGET:
        template = replace(template, item_title=None)

    def last(limit: int) -> tuple[str, ...]:
        return (("…",) if len(path) > 1 else ()) + ((_cut(path[-1], limit),) if path else ())

    for title, shown in ((doc.title[:60], tuple(_cut(p, 40) for p in path)),
                         (doc.title[:30], last(40)), (doc.title[:20], last(20))):
        if room(template) >= MIN_BUDGET:
            break
        template = replace(_template(doc, section, title, shown), item_title=None)
    return template


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def meeting_of(doc: ParsedDocument, section: Section) -> tuple[str | None, str | None, str | None]:
    """(body, meeting date, §) of a section: its own where it names a body or date (an earlier handling
    has its own), else the page's (a decision page, bulletin or transcript read as plain sections names
    them once, in its head). A strategy's adopting body is no meeting of its text."""
    if section.body or section.meeting_date or doc.doc_type == "strategy":
        return section.body, section.meeting_date, section.item
    return doc.body, doc.meeting_date, section.item or doc.item


def _template(doc: ParsedDocument, section: Section, title: str, path: tuple[str, ...]) -> Chunk:
    body, meeting_date, item = meeting_of(doc, section)
    return Chunk(
        id="", text="", source=doc.source, document_title=title, chunk_index=0, content_hash="",
        section=" › ".join(path), section_kind=section.kind, language=doc.language,
        doc_type=doc.doc_type, municipality=doc.municipality, body=body,
        meeting_date=meeting_date, item=item, case_number=section.case_number,
        item_title=_cut(section.item_title, 120) if section.item_title else None,
        page=section.page, resolution=section.resolution, file_hash=doc.file_hash,
        extra=section_metadata(section),
    )


def section_metadata(section: Section) -> dict[str, str]:
    """What the parser read from the layout (vote, preparers, cover facts …) as flat string metadata:
    Chroma takes no None and no lists, so empty values are left out and lists are joined with "; "."""
    values: dict[str, str | tuple[str, ...] | None] = {
        "vote": section.vote, "preparers": section.preparers, "presenter": section.presenter,
        "conflicts": section.conflicts,
        **{f"voted_{kind}": names for kind, names in section.ballots},  # voted_no: "Antti Harju; …"
    }
    m = section.meeting
    if m is not None:
        values.update({
            "meeting_organ": m.organ, "meeting_time": m.time, "meeting_place": m.place,
            "meeting_items": m.items,
            "present": m.present, "absent": m.absent, "others_present": m.others, "chair": m.chair,
            "vice_chair": m.vice_chair, "secretary": m.secretary, "checkers": m.checkers,
            "published": m.published,
        })
    flat = {k: "; ".join(v) if isinstance(v, tuple) else v for k, v in values.items()}
    return {k: v for k, v in flat.items() if v}


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
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        wrapped = len(previous) >= 60 and not previous.endswith((".", "!", "?", ":", ";"))
        out += (" " if wrapped else "\n", line)
    return "".join(out)


def _pages(unit: list[Line]) -> Callable[[int], int | None]:
    """The page of the line in which character `offset` of `_text(unit)` falls, for many offsets of one
    unit: a table of line starts, looked up by bisection."""
    starts: list[int] = []
    pages: list[int | None] = []
    position = 0
    page = next((line.page for line in unit if line.page is not None), None)
    for line in unit:
        text = line.text.strip()
        if not text:
            continue
        if line.page is not None:
            page = line.page
        starts.append(position)
        pages.append(page)
        position += len(text) + 1

    def at(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return pages[i] if i >= 0 else page

    return at


# --- packing --------------------------------------------------------------------------------------
def _section_pieces(
    section: Section, header: str, max_tokens: int, count: CountFn, check: Callable[[], None] = lambda: None
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
        check()
        text = _text(unit)
        if not text:
            continue
        if actions and is_table_header(text) and fits_prefix(text):
            flush()
            if not prefix_shown:  # a header row with no rows under it (an empty table) stays as it is
                pieces.append((prefix, prefix_page))
            prefix, prefix_page, prefix_shown = text, _pages(unit)(0), False
            continue
        head = [prefix] if prefix else []
        if fits("\n".join(head + current + [text])):
            if not current:
                page = _pages(unit)(0)
            current.append(text)
            continue
        tail = _overlap(current, count, max_tokens) if not actions else ""
        flush()
        if tail and fits("\n".join(head + [tail, text])):
            current, page = [tail, text], _pages(unit)(0)
        elif fits("\n".join(head + [text])):
            current, page = [text], _pages(unit)(0)
        else:
            page_at = _pages(unit)
            for part, offset in _split_unit(unit, actions, header, prefix, max_tokens, count, check):
                pieces.append(("\n".join(head + [part]), page_at(offset)))
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
                count: CountFn, check: Callable[[], None] = lambda: None) -> list[tuple[str, int]]:
    """An oversized paragraph or action as (part, offset in the unit's text) pairs, each within limits.

    An oversized action repeats its owner and attribute lines in every part, or where those are too
    long, at least its owner lines."""
    text = _text(unit)
    suffix = ""
    body = text
    bodies = [text]
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
                # split apart: a part never runs from the description into the attributes that stood
                # after the repeated ones, so the text still reads in its order across the parts
                bodies = [b for b in (_text(description), _text(rest)) if b]
                break
    tail = "\n" + suffix if suffix else ""

    def fits(part: str) -> bool:
        return count("\n".join(x for x in (header, prefix, part + tail) if x)) <= max_tokens

    fixed = "\n".join(p for p in (prefix, suffix) if p)
    budget = max(MIN_BUDGET, max_tokens - count(f"{header}\n{fixed}\n" if fixed else f"{header}\n"))
    pieces = [piece for b in bodies for piece in split_text(_unwrap(b), budget, fits, count, check)]
    if body is text:  # the offsets are the unit's own
        return [(part + tail, offset) for part, offset in pieces]
    result, cursor = [], 0
    whole = _unwrap(text)
    for part, _ in pieces:  # the description's parts, found in the unit's text (a bounded search)
        found = whole.find(part.split("\n", 1)[0][:40], cursor, cursor + 2 * len(part) + 1000)
        offset = found if found >= 0 else cursor
        cursor = max(cursor, offset)
        result.append((part + tail, offset))
    return result


def split_text(
    text: str, budget: int, fits: Callable[[str], bool], count: CountFn,
    check: Callable[[], None] = lambda: None,
) -> list[tuple[str, int]]:
    """`text` cut into (part, offset) pairs that each `fits`, in one pass: at the best separator of
    `SEPARATORS` in the second half of a window sized for `budget` tokens, each part starting with about
    a fifth of the previous one's end (from a sentence or word boundary) as overlap. Parts cover the text
    in order, so no character is lost; each count sees only a window, so the whole is linear in length."""
    n = len(text)
    sample = text[:4000]
    per_char = max(count(sample), 1) / max(len(sample), 1)
    full = max(1, int(budget / per_char * 0.95))
    window = full
    parts: list[tuple[str, int]] = []
    cursor = _skip_space(text, 0)
    while cursor < n:
        check()
        end = min(n, cursor + window)
        cut = n if end == n else _best_cut(text, cursor, end)
        part = text[cursor:cut].rstrip()
        if not fits(part) and window > 1:
            window = max(1, int(window * 0.75))  # denser text than estimated: a smaller window
            continue
        if not fits(part):
            logger.warning("a chunk part of %d characters exceeds the token limit", len(part))
        parts.append((part, cursor))
        if cut >= n:
            break
        following = _overlap_start(text, cursor, cut, max(1, (cut - cursor) // 5, full // 5))
        cursor = _skip_space(text, following if following > cursor else cut)
        window = min(full, int(window * 1.1) + 1)
    return parts


def _skip_space(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _best_cut(text: str, start: int, end: int) -> int:
    """Where to end a part within text[start:end]: after the highest-ranked separator in the window's
    second half (the separator stays with the part), else at the window's end."""
    low = start + max(1, (end - start) // 2)
    for sep in SEPARATORS[:-1]:
        pos = text.rfind(sep, low, end)
        if pos >= 0:
            return pos + len(sep)
    return end


def _overlap_start(text: str, start: int, cut: int, size: int) -> int:
    """Where the next part starts: at a sentence (else word) boundary within `size` characters before
    `cut`, so it repeats the end of the previous part; `cut` when there is none."""
    low = max(start + 1, cut - size)
    for seps in ((". ", "? ", "! ", "\n"), (" ",)):
        best = max((text.rfind(sep, low, cut - 1) for sep in seps), default=-1)
        if best >= 0:
            return best + 1
    return cut


# --- provenance -----------------------------------------------------------------------------------
def _origins(section: Section) -> dict[str, Line]:
    """The section's lines by their text, to tell which of them (text layer or OCR) a chunk holds."""
    return {line.text.strip(): line for line in section.lines if line.text.strip()}


def _provenance(origins: dict[str, Line], section: Section, text: str, page: int | None) -> dict:
    """`text_source` ("ocr" when any of the chunk's lines was OCR'd), the mean OCR confidence of the
    chunk's lines (found by their text, else the section's lines on the chunk's page, else all) and
    `text_repair` where any of them was repaired (a quote of it is not verbatim in the text layer)."""
    lines = [origins[t] for t in (part.strip() for part in text.split("\n")) if t in origins]
    lines = lines or [line for line in section.lines if line.page == page] or list(section.lines)
    if not lines:
        return {}
    repair = next((line.text_repair for line in lines if line.text_repair), None)
    extra = {"text_repair": repair} if repair else {}
    read = [line.ocr_confidence for line in lines if line.text_source == "ocr"]
    if read:
        known = [c for c in read if c is not None]
        return {"text_source": "ocr", "ocr_confidence": round(sum(known) / len(known), 1) if known else None,
                **extra}
    return {"text_source": lines[0].text_source, **extra}

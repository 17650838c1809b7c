"""Actions with their responsible parties: recognised in strategy documents, kept whole by the chunker.

An action is one table row ("Toimenpide | Vastuutaho | Aikataulu | Mittari"), or a block of lines from
its first line ("Åtgärd 3.1.2 …", a bullet, a numbered entry) through its owner and attribute lines
("Ansvarig: …", "Tidplan: …"), even when a page break falls inside it. "Who is responsible" is
answered only if the owner stays in the same chunk as the action.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass

from ingest.records import Line

logger = logging.getLogger(__name__)

OWNER = re.compile(
    r"^(?:[•\-*]\s*)?(?:vastuutahot?|vastuuhenkilö(?:t)?|vastuussa|vastuu|vastaa|toteuttaja|omistaja"
    r"|huvudansvarig|ansvariga?|ansvar|responsible|owner)\s*[:–]\s*\S",
    re.IGNORECASE,
)
ATTRIBUTE = re.compile(
    r"^(?:[•\-*]\s*)?(?:aikataulu|mittarit?|tavoitetaso|resurssit|kustannukset|budjetti|tila|tidplan|tidsplan"
    r"|indikatorer|indikator|mätetal|resurser|kostnad|status|timeline|indicators?)\s*:\s*\S",
    re.IGNORECASE,
)
# "Kirjastopalvelut vastaa …", "Digitaliseringsenheten ansvarar för …" inside a list entry
INLINE_OWNER = re.compile(r"\b(?:vastaa(?:vat)?|vastuulla|ansvarar för|ansvarig för|är ansvarig)\b",
                          re.IGNORECASE)
ACTION_START = re.compile(
    r"^(?:[•\-*–]\s+|\d{1,2}[.)]\s+|(?:toimenpide|åtgärd|action|tehtävä|insats)\s+\d[\d.]*\b)", re.IGNORECASE
)
_TABLE_COLUMNS = re.compile(
    r"^(?:toimenpiteet|toimenpide|vastuutaho|vastuuhenkilö|vastuu|aikataulu|mittari|mittarit|åtgärder|åtgärd"
    r"|ansvarig|ansvar|tidplan|tidsplan|indikator|action|owner|responsible|timeline)$",
    re.IGNORECASE,
)
_OWNER_COLUMN = re.compile(r"^(?:vastuutaho|vastuuhenkilö|vastuu|ansvarig|ansvar|owner|responsible)$",
                           re.IGNORECASE)
_CONNECTOR = re.compile(r"(?:,|\bja|\bsekä|\boch|\bsamt|&|-)$")


def cells(text: str) -> list[str]:
    """The cells of a flattened table row ("a | b | c"), or [] for a line that is no row."""
    if " | " not in text and not text.startswith("|"):
        return []
    return [c.strip() for c in text.strip().strip("|").split("|")]


def is_table_header(text: str) -> bool:
    """A row naming action-table columns, one of which is the responsible party."""
    row = cells(text)
    return (len(row) >= 2 and sum(bool(_TABLE_COLUMNS.match(c)) for c in row) >= 2
            and any(_OWNER_COLUMN.match(c) for c in row))


def is_action_line(text: str) -> bool:
    """A line that only an action list has: an owner or attribute line, or an action table's header."""
    t = text.strip()
    return bool(OWNER.match(t) or ATTRIBUTE.match(t) or is_table_header(t))


def action_units(lines: list[Line] | tuple[Line, ...]) -> list[list[Line]]:
    """Split an action list into its atomic units: each action with its owner and attribute lines.

    Table rows are one unit each (the header row is its own unit); in a block list a unit runs from
    an action's first line through its last owner/attribute line (and that line's wrapped tail).
    """
    units: list[list[Line]] = []
    current: list[Line] = []
    after_attribute = False
    in_table = False

    def flush() -> None:
        nonlocal current
        if current:
            units.append(current)
        current = []

    for line in lines:
        text = line.text.strip()
        if not text:
            if current:
                current.append(line)
            continue
        if is_table_header(text) or (in_table and cells(text)):
            flush()
            units.append([line])
            in_table, after_attribute = True, False
            continue
        in_table = False
        if OWNER.match(text) or ATTRIBUTE.match(text):
            current.append(line)
            after_attribute = True
            continue
        if after_attribute:
            previous = next((x.text.strip() for x in reversed(current) if x.text.strip()), "")
            if text[0].islower() or _CONNECTOR.search(previous) or _wrapped_name(previous, text):
                current.append(line)  # the owner line wrapped onto the next line
                continue
        if after_attribute or ACTION_START.match(text):
            flush()
            after_attribute = False
        current.append(line)
    flush()
    return units


def is_action_unit(unit: list[Line]) -> bool:
    """Whether a unit is an action (has an owner/attribute line, is a table row or names its owner)."""
    texts = [line.text.strip() for line in unit if line.text.strip()]
    if not texts:
        return False
    if any(OWNER.match(t) or ATTRIBUTE.match(t) for t in texts) or cells(texts[0]):
        return True
    return bool(ACTION_START.match(texts[0]) and INLINE_OWNER.search(" ".join(texts)))


_NAME_LINE = re.compile(r"^[A-ZÅÄÖÜ][\w'’-]+(?:\s+(?:von|af|de|van)?\s*[A-ZÅÄÖÜ][\w'’-]+){0,2}$")


def _wrapped_name(previous: str, text: str) -> bool:
    """A PDF wrapped an owner line before the person's name ("Ansvarig: Bildningssektorn, chef för" /
    "Anna Lindqvist"): a line of one to three capitalised words after an owner line that has no name yet."""
    if not OWNER.match(previous) or not _NAME_LINE.match(text) or ACTION_START.match(text):
        return False
    value = re.sub(r"^\W*[^:–]+[:–]\s*", "", previous)
    words = value.split()
    # the owner line ends in a role word (lower case) or a comma: the name is still to come
    return bool(words) and (words[-1][:1].islower() or previous.endswith(","))


def split_attributes(unit: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """(description, owner lines, other attribute lines) of one action, for splitting an oversized one.

    A wrapped tail (a line starting in lower case after an owner/attribute line) stays with its line."""
    description: list[Line] = []
    owners: list[Line] = []
    others: list[Line] = []
    last: list[Line] | None = None
    for line in unit:
        text = line.text.strip()
        if OWNER.match(text):
            last = owners
        elif ATTRIBUTE.match(text):
            last = others
        elif not (last is not None and text and (text[0].islower() or (
                last is owners and owners and _wrapped_name(owners[-1].text.strip(), text)))):
            last = None
        (last if last is not None else description).append(line)
    return description, owners, others


# --- who owns which action: found once at ingest, kept in chunk metadata -----------------------------
@dataclass(frozen=True)
class OwnedRow:
    """One action and the party responsible for it, as written in the chunk's text."""

    title: str  # the action's first line (or first cell)
    quote: str  # exact substring of the chunk text naming the owner: the owner line(s) or the table row
    owner: str  # the owner as written, label removed ("Kommunikationsenheten, kundtjänstchef Mikael Nyström")
    text: str  # the whole action, for matching it against a question


OWNERS_KEY = "owners"  # chunk metadata key holding `owners_json` of the chunk's text


def owned_rows(text: str) -> list[OwnedRow]:
    """Every action in a piece of an action section that names who is responsible for it.

    Each owner line gives one row of its own (two "Ansvarig:" lines are two owners, not one); a line
    wrapped by the PDF stays with its owner line; a table row's owner comes from the owner column."""
    found: list[OwnedRow] = []
    header: list[str] | None = None
    for unit in action_units(tuple(Line(t) for t in text.split("\n"))):
        texts = [line.text.strip() for line in unit if line.text.strip()]
        if not texts:
            continue
        if is_table_header(texts[0]):
            header = cells(texts[0])
            continue
        row = cells(texts[0])
        if row and header:
            column = next((i for i, name in enumerate(header) if _OWNER_COLUMN.match(name)), None)
            owner = row[column] if column is not None and column < len(row) else ""
            if owner and not set(owner) <= set("-–: "):
                found.append(OwnedRow(row[0], texts[0], owner, texts[0]))
            continue
        if row:
            continue
        _, owners, _ = split_attributes(unit)
        whole = "\n".join(texts)
        for quote in _owner_quotes(owners):
            owner = " ".join(re.sub(r"^\W*[^:–]+[:–]\s*", "", quote).split())
            if quote in text:
                found.append(OwnedRow(texts[0], quote, owner, whole))
        if not owners:
            inline = next((t for t in texts if INLINE_OWNER.search(t)), None)
            if inline:
                found.append(OwnedRow(texts[0], inline, inline, whole))
    return found


def _owner_quotes(owners: list[Line]) -> list[str]:
    """The owner lines of one action, each with its wrapped continuation lines."""
    quotes: list[list[str]] = []
    for line in owners:
        t = line.text.strip()
        if not t:
            continue
        if OWNER.match(t) or not quotes:
            quotes.append([t])
        else:
            quotes[-1].append(t)
    return ["\n".join(q) for q in quotes]


def owners_json(text: str) -> str | None:
    """The chunk metadata value for `OWNERS_KEY` (None when the text names no owner)."""
    rows = owned_rows(text)
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False) if rows else None


def rows_from_json(value: str) -> list[OwnedRow]:
    try:
        return [OwnedRow(**row) for row in json.loads(value)]
    except (ValueError, TypeError):
        return []

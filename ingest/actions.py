"""Actions with their responsible parties: recognised in strategy documents, kept whole by the chunker.

An action is one table row ("Toimenpide | Vastuutaho | Aikataulu | Mittari"), or a block of lines from
its first line ("Åtgärd 3.1.2 …", a bullet, a numbered entry) through its owner and attribute lines
("Ansvarig: …", "Tidplan: …"), even when a page break falls inside it. "Who is responsible" is
answered only if the owner stays in the same chunk as the action.
"""

from __future__ import annotations

import logging
import re

from .records import Line

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
            if text[0].islower() or _CONNECTOR.search(previous):
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
        elif not (last is not None and text and text[0].islower()):
            last = None
        (last if last is not None else description).append(line)
    return description, owners, others

"""Dates as Finnish and Swedish municipal documents write them, normalised to ISO 8601.

Metadata keeps a date only when the day is known: `to_iso("marraskuussa 2023")` is None, because a
made-up day would let "what was decided on 1 November" match. Month precision is available separately
from `to_iso_month` ("2023-11") for whoever wants it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import genre

logger = logging.getLogger(__name__)

# Month stems: Finnish inflects the stem ("marraskuuta", "marraskuussa"), Swedish and English are
# matched in full or abbreviated ("feb", "sept.").
_FI_MONTHS = genre.months("fi")
_SV_MONTHS = genre.months("sv")
_EN_MONTHS = genre.months("en")


def _month_number(word: str) -> int | None:
    """1–12 for a month word in any of the three languages (inflected or abbreviated), else None."""
    w = word.lower().rstrip(".")
    if len(w) < 3:
        return None
    for i, stem in enumerate(_FI_MONTHS):  # "marraskuuta", "marraskuussa", "marrask."
        if w.startswith(stem) or (len(w) >= 5 and stem.startswith(w)):
            return i + 1
    for names in (_SV_MONTHS, _EN_MONTHS):  # "mars", "feb", "sept", "December"
        for i, name in enumerate(names):
            if name.startswith(w):
                return i + 1
    return None


_MONTH_WORD = r"[A-Za-zÅÄÖåäö]{3,}\.?"
_NUMERIC_FI = re.compile(r"(?<![\d./])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d/])")
_NUMERIC_ISO = re.compile(r"(?<![\d/-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+({_MONTH_WORD})\s+(\d{{4}})(?!\d)")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_WORD})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)")  # English
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORD})\s+(\d{{4}})(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its ISO form and the words as written (quoted in answers and labels)."""

    iso: str
    raw: str
    start: int


def _make(year: str, month: int | str | None, day: str) -> str | None:
    if month is None:
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every full date (day, month and year) in `text`, in order of appearance."""
    found: list[FoundDate] = []
    for m in _NUMERIC_FI.finditer(text):
        if iso := _make(m.group(3), m.group(2), m.group(1)):
            found.append(FoundDate(iso, m.group(0), m.start()))
    for m in _NUMERIC_ISO.finditer(text):
        if iso := _make(m.group(1), m.group(2), m.group(3)):
            found.append(FoundDate(iso, m.group(0), m.start()))
    for m in _DAY_MONTH_YEAR.finditer(text):
        if iso := _make(m.group(3), _month_number(m.group(2)), m.group(1)):
            found.append(FoundDate(iso, m.group(0), m.start()))
    for m in _MONTH_DAY_YEAR.finditer(text):
        if iso := _make(m.group(3), _month_number(m.group(1)), m.group(2)):
            found.append(FoundDate(iso, m.group(0), m.start()))
    found.sort(key=lambda f: f.start)
    return found


def first_date(text: str) -> FoundDate | None:
    """The first full date in `text`, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


def to_iso(text: str) -> str | None:
    """The first full date in `text` as "yyyy-mm-dd"; None when there is none or the day is unknown."""
    found = first_date(text)
    return found.iso if found else None


def to_iso_month(text: str) -> str | None:
    """"yyyy-mm" for a month-precision date ("marraskuussa 2023", "mars 2020"), or for a full date."""
    if iso := to_iso(text):
        return iso[:7]
    for m in _MONTH_YEAR.finditer(text):
        month = _month_number(m.group(1))
        if month is not None:
            return f"{int(m.group(2)):04d}-{month:02d}"
    return None

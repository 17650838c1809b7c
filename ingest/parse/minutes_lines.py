"""What one line of minutes is: an item header, a meeting line, a case number, a heading, a body's name,
chrome, or text. The minutes parser's state machine (minutes.py) acts on these classes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import genre
from ingest.parse.dates import first_date
from ingest.parse.vocab import (
    ABBREVIATION_RE,
    BODY_NP,
    MINUTES_CHROME,
    Heading,
    expand_body,
    find_case_number,
    is_body_name,
    is_case_number_line,
    match_heading,
)

logger = logging.getLogger(__name__)

_DATE = genre.DATE_NUMERIC
_BODY = rf"{BODY_NP}|(?i:{ABBREVIATION_RE})\b"
# "KHALL 17.02.2025 § 27", "Kaupunginhallitus 09.01.2023 § 15", "Kommunstyrelsen 2024-05-21 § 77",
# "§ 260 Valtuustoaloite …", "KS § 77 Dnr …"
_HEADER_SIGN_FIRST = re.compile(
    rf"^(?:(?P<body>{_BODY})\s*,?\s*)?(?:(?P<date>{_DATE})\s*,?\s*)?§\s*(?P<num>\d{{1,4}})(?![\d:])\s*(?P<rest>.*)$"
)
# "27 §", "21§ Kaustisen seudun digistrategia 2028" (but not "136 §:n perusteella")
_HEADER_NUMBER_FIRST = re.compile(
    rf"^(?:(?P<body>{_BODY})\s*,?\s*)?(?:(?P<date>{_DATE})\s*,?\s*)?(?P<num>\d{{1,4}})\s*§(?![:\w])\s*(?P<rest>.*)$"
)
# "Pöytäkirja 04.12.2023/Pykälä 303", "Protokoll 04.12.2023/Paragraf 303"
_HEADER_HELSINKI = re.compile(
    rf"^(?:Pöytäkirja|Protokoll)\s+(?P<date>{_DATE})\s*/\s*(?:Pykälä|Paragraf)\s+(?P<num>\d{{1,4}})\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# paatokset.hel.fi: "Ärende 5. / 86 §", "Asia 7. / 609 §", "Case 7. / 609 §", "7. / 609 §"
_HEADER_AGENDA_POSITION = re.compile(
    r"^(?:(?:asia|ärende|case|item)\s+)?\d{1,3}\.\s*/\s*(?P<num>\d{1,4})\s*§(?![:\w])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Aika Torstai 28.11.2024 klo 18.00", "Sammanträdesdatum 2024-05-21", "Kokousaika 11.03.2024"
_MEETING_LABELLED = re.compile(
    r"^(?:aika|kokousaika|kokouspäivä|kokouspäivämäärä|päivämäärä|tid och plats|tid|sammanträdesdatum"
    r"|sammanträdestid|mötesdatum|datum|kokous|sammanträde|möte)\b:?\s", re.IGNORECASE,
)
# "Kaupunginvaltuusto, kokous 13.12.2021", "Kommunstyrelsen 2024-05-21"
_MEETING_OF_BODY = re.compile(
    rf"^(?P<body>{BODY_NP})\s*[,:–-]?\s*(?:(?:kokous|sammanträde|möte|pöytäkirja|protokoll)\s*[,:]?\s*)?"
    rf"(?P<date>{_DATE})\b(?:\s*(?:klo|kl\.?)\s.*)?$",
)


@dataclass(frozen=True)
class Classified:
    """One line's class and what it says; unused fields stay None."""

    cls: str  # "item" | "meeting" | "case" | "chrome" | "heading" | "body" | "text"
    body: str | None = None
    date: str | None = None  # ISO
    date_raw: str | None = None
    num: str | None = None
    rest: str = ""
    case_number: str | None = None
    heading: Heading | None = None


def _body_name(raw: str | None, document_text: str) -> str | None:
    if not raw:
        return None
    raw = " ".join(raw.split())
    if is_body_name(raw):
        return raw[:1].upper() + raw[1:]
    return expand_body(raw, document_text)


def groups_date(m: re.Match[str]) -> str:
    return (m.groupdict().get("date") or "") if "date" in m.re.groupindex else ""


def _item_header(text: str, document_text: str) -> Classified | None:
    for pattern in (_HEADER_HELSINKI, _HEADER_AGENDA_POSITION, _HEADER_SIGN_FIRST, _HEADER_NUMBER_FIRST):
        m = pattern.match(text)
        if not m:
            continue
        rest = m.group("rest").strip(" –-:")
        if rest and rest[0].islower():  # "Kaupunginhallitus 14.10.2024 § 188 päätti …" is a sentence
            return None
        found = first_date(groups_date(m))
        if found is None and (late := re.match(rf"^({_DATE})\b\s*", rest)):  # "Kh § 15 09.01.2023"
            found, rest = first_date(late.group(1)), rest[late.end():]
        groups = m.groupdict()
        case = find_case_number(rest)
        if case and rest.startswith(case):
            rest = rest[len(case):].strip(" –-:")
        return Classified("item", body=_body_name(groups.get("body"), document_text),
                          date=found.iso if found else None, date_raw=found.raw if found else None,
                          num=m.group("num"), rest=rest, case_number=case)
    return None


def classify_line(text: str, document_text: str) -> Classified:
    """The class of one (non-blank) line of minutes."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if "§" in text or re.match(r"^(?:Pöytäkirja|Protokoll)\s", text, re.IGNORECASE):
        if header := _item_header(text, document_text):
            return header
    if len(text) <= 90:
        m = _MEETING_OF_BODY.match(text)
        if m and "§" not in text:
            found = first_date(m.group("date"))
            return Classified("meeting", body=_body_name(m.group("body"), document_text),
                              date=found.iso if found else None, date_raw=found.raw if found else None)
        if _MEETING_LABELLED.match(text) and (found := first_date(text)):
            return Classified("meeting", date=found.iso, date_raw=found.raw)
    if is_case_number_line(text):
        return Classified("case", case_number=find_case_number(text))
    if MINUTES_CHROME.match(text):
        return Classified("chrome")
    if heading := match_heading(text):
        return Classified("heading", heading=heading)
    if is_body_name(text):
        return Classified("body", body=_body_name(text.rstrip(":"), document_text))
    return Classified("text")


# Paragraphs that are a decision even without a "Päätös" heading above them.
IMPLICIT_DECISION = re.compile(rf"^(?:{'|'.join(genre.implicit_decision_phrases())})\b", re.IGNORECASE)
# A person's title alone on a line ("Kehittämisjohtaja"): who presents the proposal that follows.
ROLE_LINE = re.compile(
    r"^[\w-]*(?:johtaja|päällikkö|sihteeri|lakimies|asiantuntija|koordinaattori|chef|direktör|direktören)$",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?:;\"”)]$")


def is_prose(text: str) -> bool:
    """A sentence or paragraph rather than a name, a title or a list entry."""
    words = len(text.split())
    return len(text) > 100 or (words >= 8 and text.rstrip().endswith((".", "!", "?")))


_CONTACT = re.compile(r"\S+@\S+|\([^()]*\)|\b(?:p\.|puh\.?|tel\.?|tfn\.?)\s*[\d +-]{6,}|\+?[\d -]{9,}",
                      re.IGNORECASE)


def looks_like_person(text: str) -> bool:
    """A preparer's or presenter's line: a name with an optional title and contact details
    ("personalchef Kristina Wikblad", "Asta Tolonen, Talousjohtaja, asta.tolonen@kajaani.fi",
    "Syrjänen Markus"), not a sentence, a subtitle with a date or an abbreviation alone."""
    t = " ".join(_CONTACT.sub(" ", text).split()).strip(" ,;:")
    words = t.replace(",", " ").split()
    if not t or len(words) > 6 or any(ch.isdigit() for ch in t) or t.endswith((".", "!", "?")):
        return False
    return sum(w[:1].isupper() and not w.isupper() for w in words) >= 2


def is_title_shaped(text: str) -> bool:
    """A line that can be a title: no sentence, or a long title without a final period."""
    return not is_prose(text) or (len(text) <= 200 and not text.rstrip().endswith((".", "!", "?", ":")))

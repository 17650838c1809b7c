"""The genre's patterns for ingest: decision-making bodies, section headings, case numbers and paper
chrome (fi/sv, some en), compiled from the words in genre/ (this module holds no word lists of its own).

Everything here is a pattern of the genre (see shared/notes/minutes-genre.md), never a seed's wording.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import genre

logger = logging.getLogger(__name__)

# --- Bodies -------------------------------------------------------------------------------------
# The last word of a body's name: "Kaupunginhallitus", "Tekninen lautakunta", "Barn- och
# utbildningsnämnden", "Kommunstyrelsens arbetsutskott", "Johtoryhmä" (the words are in genre/).
BODY_HEADS = genre.body_heads()
_HEAD = r"[\w-]*(?i:" + "|".join(BODY_HEADS) + r")"
# Up to three words before the head; the name starts with a capital letter.
BODY_NP = rf"(?=[A-ZÅÄÖ])(?:[\w-]+\s+(?:[\w-]+\s+){{0,2}})?{_HEAD}\b"
_BODY_NP_RE = re.compile(rf"^{BODY_NP}$")

# Abbreviations in item headers ("KHALL 17.02.2025 § 27"). Finnish "hallitus"/"valtuusto" abbreviations
# do not say whether the municipality is a town (kaupunki) or not (kunta): `expand_body` decides from
# the document's own text.
ABBREVIATIONS = genre.body_abbreviations()
ABBREVIATION_RE = r"(?:" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")"

# A body named at the start of a proposal or decision: "Kunnanhallitus esittää …", "Kommunstyrelsen
# föreslår …", "Johtoryhmä hyväksyy …". Present tense only: past tense ("hyväksyi") reports.
PROPOSAL_VERBS = genre.proposal_verbs()
PROPOSAL_SUBJECT = re.compile(rf"^(?P<body>{BODY_NP})\s+(?:{'|'.join(PROPOSAL_VERBS)})\b")
# The body that decided, named in its decision: "Kaupunginhallitus päätti …", "Stadsfullmäktige godkände …".
DECISION_SUBJECT = re.compile(rf"^(?P<body>{BODY_NP})\s+(?:{'|'.join(genre.decision_verbs())})\b")
# A body that met or dealt with matters, as news says it: "Kommunfullmäktige diskuterade …",
# "Kaupunginhallitus käsitteli …" (what a news item's body does, not a decision).
MEETING_SUBJECT = re.compile(rf"^(?P<body>{BODY_NP})\s+(?:{'|'.join(genre.meeting_verbs())})\b")
_ANY_VERB = genre.decision_verbs() + genre.meeting_verbs() + genre.proposal_verbs()
# The same with the verb first, as Swedish puts it after an adverbial: "Så beslutade kommunfullmäktige …",
# "Vid sitt möte behandlade stadsstyrelsen …", "Takauksesta päätti Kangasalan valtuusto …" (a one-word body in
# lower case right after the verb, the town's genitive before it).
INVERTED_SUBJECT = re.compile(
    rf"^(?:[\w,]+\s+){{1,4}}?(?:{'|'.join(_ANY_VERB)})\s+"
    rf"(?:[A-ZÅÄÖ][\w-]+(?:n|s)\s+)?(?P<body>(?=[a-zåäö])[\w-]*(?:{'|'.join(BODY_HEADS)}))\b")
_GENITIVE_LABEL = re.compile(r"^(?P<word>[\w-]+?)(?:ksen|n|s)\s+(?:beslut|päätös)$", re.IGNORECASE)


def decision_body(label: str) -> str | None:
    """The body a decision label names: "Kommunfullmäktiges beslut" → "Kommunfullmäktige",
    "Kaupunginhallituksen päätös" → "Kaupunginhallitus"; None for "Beslut", "Päätös"."""
    words = label.rstrip(":").split()
    if len(words) != 2:
        return None
    genitive = words[0].lower()
    for body in genre.bodies():
        name = body.name
        if " " in name or len(name) < 6:
            continue
        if genitive in (name + "s", name + "ns", name[:-2] + "uksen", name + "n", name[:-1] + "on"):
            return name[:1].upper() + name[1:]
        if name.endswith("nen") and genitive == name[:-3] + "sen":
            return name[:1].upper() + name[1:]
    if genitive.endswith("s") and is_body_name(words[0][:-1]):
        return clean_body(words[0][:-1])
    return None


def clean_body(name: str) -> str:
    """A body's name as written, tidied: single spaces, no trailing colon, first letter capitalised."""
    name = " ".join(name.strip().rstrip(":").split())
    return name[:1].upper() + name[1:]


def is_body_name(text: str) -> bool:
    """True for a line that is nothing but a body's name ("Seutuvaltuusto", "Kommunstyrelsen:")."""
    text = " ".join(text.strip().rstrip(":").split())
    return len(text) <= 60 and bool(_BODY_NP_RE.match(text))


@lru_cache(maxsize=256)
def expand_body(abbreviation: str, document_text: str) -> str:
    """"KHALL" → "Kunnanhallitus" or "Kaupunginhallitus", whichever the document itself uses more."""
    name = ABBREVIATIONS.get(abbreviation.lower(), abbreviation)
    if not name.startswith("*"):
        return name
    stem = name[1:]
    lower = document_text.lower()
    town_prefix, rural_prefix = genre.body_name_prefixes("fi")
    town = lower.count(town_prefix + stem[:6]) + sum(map(lower.count, genre.municipality_kind_words("town")))
    rural = (lower.count(rural_prefix + stem[:6])
             + sum(map(lower.count, genre.municipality_kind_words("rural"))))
    return (town_prefix if town > rural else rural_prefix).capitalize() + stem


_GENERIC_PREFIXES = genre.body_name_prefixes()


def _core(name: str) -> str:
    """The role part of a body's name: "kaupunginvaltuusto" and "valtuusto" → "valtuusto"."""
    low = " ".join(name.lower().rstrip(":").split())
    for prefix in _GENERIC_PREFIXES:
        if low.startswith(prefix) and len(low) > len(prefix) + 4:
            return low[len(prefix):]
    return low


def same_body(a: str | None, b: str | None) -> bool:
    """Whether two spellings name the same body: "Valtuusto" ~ "Kaupunginvaltuusto" ~ "Kunnanvaltuusto"."""
    return bool(a and b) and _core(a) == _core(b)  # type: ignore[arg-type]


# --- Section headings ---------------------------------------------------------------------------
# (kind, pattern of the label), from genre/. A proposal or decision label may be qualified by a genitive
# ("Kunnanjohtajan päätösehdotus", "Ordförandens förslag", "Kommunstyrelsens beslut", "X:s förslag") or by
# a role and a name ("Stadsdirektör Martin Norrgårds förslag").
_Q = (r"(?:[\w-]+(?:n|s|:s)\s+"
      r"|[\w-]+\s+(?-i:[A-ZÅÄÖ])[\w-]*\s+(?:(?-i:[A-ZÅÄÖ])[\w-]*\s+)?(?-i:[A-ZÅÄÖ])[\w-]*(?::s|s|n)\s+)?")
_QUALIFIED = {"proposal", "decision"}
HEADINGS: tuple[tuple[str, str], ...] = tuple(
    (kind, f"{_Q}(?:{pattern})" if kind in _QUALIFIED else pattern)
    for kind in genre.HEADING_KINDS if (pattern := genre.heading_pattern(kind))
)
_HEADING_RES = tuple((kind, re.compile(rf"^(?P<label>{pat})\b", re.IGNORECASE)) for kind, pat in HEADINGS)
# After an inline label, a person's title ("Päätösehdotus apulaiskaupunginjohtaja …") marks a heading.
_ROLE = re.compile(rf"^[\w-]*(?:{'|'.join(genre.role_titles())})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    kind: str
    label: str  # as written, without the colon: "Päätösehdotus", "Förslag till beslut"
    rest: str  # text on the same line after the label ("" when the label stands alone)


def match_heading(text: str) -> Heading | None:
    """A minutes section heading at the start of `text`: alone ("Päätös"), or followed by its text
    ("Päätös Merkitään, että …", "Valmistelija: projektipäällikkö …")."""
    stripped = text.strip()
    if len(stripped) < 4 or not stripped[0].isupper():
        return None
    for kind, pattern in _HEADING_RES:
        m = pattern.match(stripped)
        if not m:
            continue
        label = m.group("label")
        rest = stripped[m.end():]
        if not rest.strip(" :") or rest.strip() == ":":
            return Heading(kind, label, "")
        if rest.startswith(":"):
            return Heading(kind, label, rest[1:].strip())
        if not rest.startswith(" "):
            return None
        # "Päätös Hyväksyttiin." is a label and its text; "Päätösehdotus hyväksyttiin." is a sentence.
        rest = rest.strip()
        if rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'”“" or _ROLE.match(rest):
            return Heading(kind, label, rest)
        return None
    return None


# --- Case numbers -------------------------------------------------------------------------------
CASE_NUMBER = re.compile(
    rf"(?:\b(?:{'|'.join(genre.case_number_labels())})\.?:?\s*[A-ZÅÄÖ]{{0,6}}:?[\s-]?"
    r"\d{1,4}[/:.-]\d{1,6}(?:[/:.-]\d+)*)"
    r"|(?<![\w/])\d{1,6}/\d{2}(?:\.\d{2}){1,3}/\d{4}\b"
    r"|\b[A-Z]{2,6}Dno-\d{4}-\d+\b"
    r"|(?<![\w/.-])\d{1,5}-\d{4} \(\d{3}(?:, ?\d{3})*\)"  # ah.turku.fi: "2682-2013 (000, 041)"
    r"|\b[A-ZÅÄÖ]{2,5} \d{4}-\d{5,6}\b"
)


def find_case_number(text: str) -> str | None:
    """The first case (diary) number in `text`, as written: "32/00.01.02/2025", "Dnr KS 2023/145"."""
    m = CASE_NUMBER.search(text)
    return m.group(0).strip() if m else None


def is_case_number_line(text: str) -> bool:
    """A line that is (almost) only a case number, as printed under an item header."""
    m = CASE_NUMBER.search(text)
    return m is not None and len(text.strip()) - len(m.group(0)) <= 16


# --- Chrome -------------------------------------------------------------------------------------
# Lines that say what kind of paper this is, not what it says; never a title.
MINUTES_CHROME = re.compile(
    rf"^(?:(?:{'|'.join(genre.paper_chrome())})\b\.?\s*$"
    rf"|(?:{'|'.join(genre.meeting_place_labels())})\b)",  # the meeting place: never the matter's title
    re.IGNORECASE,
)

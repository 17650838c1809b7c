"""The genre's knowledge in one place: Finnish, Swedish and English words of municipal minutes.

Bodies (with English names and a class), section headings → section kinds, resolution phrases →
resolution kinds, vote phrases, role titles, agenda/protocol words, cover-page labels, publishing
systems' page chrome, month names and stopwords. The data lives per language in `genre/fi.py`,
`genre/sv.py` and `genre/en.py`; this module is the typed API that ingest, the answerer and the
evaluation read. Regex fragments are returned as strings (compile them case-insensitively); the
helpers below compile once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType, ModuleType

from . import en, fi, glossary, places, sv

LANGUAGES = ("fi", "sv", "en")
_DATA: Mapping[str, ModuleType] = MappingProxyType({"fi": fi, "sv": sv, "en": en})

# Section kinds a heading can open, in the order labels are tried (see ingest/records.SECTION_KINDS).
HEADING_KINDS = ("title", "preparer", "presenter", "documents", "background", "proposal", "handling",
                 "motions", "decision", "conflict", "reservation", "attachments", "distribution", "appeal",
                 "contact")
# Resolution kinds in the order their phrases are tried: a returned or tabled matter was not approved,
# whatever else the text says; an amendment matters more than the vote that carried it.
RESOLUTION_ORDER = ("returned", "tabled", "withdrawn", "rejected", "election", "amended", "referred", "noted")
# A numeric date as the genre prints it: "17.02.2025", "9.1.2023", "2025-03-11".
DATE_NUMERIC = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}"


def _langs(lang: str | None) -> tuple[str, ...]:
    if lang is None:
        return LANGUAGES
    if lang not in _DATA:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return (lang,)


@dataclass(frozen=True)
class Body:
    """A decision-making body: its name (lower case, as the genre writes it), language, English name and
    class ("council", "board", "committee", "section", "management", "advisory")."""

    name: str
    language: str
    english: str
    kind: str


@dataclass(frozen=True)
class HeadingLabel:
    """A section heading label (regex fragment) and the section kind it opens."""

    kind: str
    language: str
    pattern: str


@dataclass(frozen=True)
class CoverLabel:
    """A label on a protocol's cover page (regex fragment) and the meeting field it introduces:
    organ, time, place, items, present, absent, others, signatures, checking, published."""

    field: str
    language: str
    pattern: str


# --- bodies ---------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def bodies(lang: str | None = None) -> tuple[Body, ...]:
    """The bodies the genre names, most specific first within each language."""
    return tuple(Body(name, code, english, kind)
                 for code in _langs(lang) for name, english, kind in _DATA[code].BODIES)


def body_heads(lang: str | None = None) -> tuple[str, ...]:
    """The last word of a body's name: "valtuusto", "lautakunta", "nämnden", "utskott" …"""
    return tuple(head for code in _langs(lang) for head in _DATA[code].BODY_HEADS)


@lru_cache(maxsize=1)
def body_abbreviations() -> Mapping[str, str]:
    """Header abbreviations ("khall", "ks", "stst") → body name; "*hallitus" means the document decides
    between "Kaupungin…" and "Kunnan…"."""
    merged: dict[str, str] = {}
    for code in LANGUAGES:
        merged.update(_DATA[code].ABBREVIATIONS)
    return MappingProxyType(merged)


def _body_key(name: str) -> str:
    return " ".join(name.lower().strip().rstrip(":").split())


@lru_cache(maxsize=1024)
def _find_body(name: str) -> Body | None:
    key = _body_key(name)
    if not key:
        return None
    known = bodies()
    for body in known:  # whole name first: "kaupunginhallitus", "barn- och utbildningsnämnden"
        if key == body.name:
            return body
    for body in known:  # then by the name's end: "helsingfors stadsfullmäktige", "kaupunginhallituksen"
        if " " not in body.name and (key.endswith(body.name) or key.split()[-1].startswith(body.name)):
            return body
    stem = key.split()[-1]
    for body in known:  # genitives: "kaupunginhallituksen" ~ "kaupunginhallitus", "stadsstyrelsens"
        if " " not in body.name and len(body.name) > 5 and stem.startswith(body.name[:-2]):
            return body
    return None


def body_english(name: str) -> str | None:
    """The English name of a body as written in any case or form: "Kaupunginhallitus" → "city board",
    "Kommunfullmäktige" → "municipal council", "Tekninen lautakunta" → "technical committee"; None when
    the name is no body the genre knows."""
    body = _find_body(name)
    return body.english if body else None


def body_kind(name: str) -> str | None:
    """The class of a body ("council", "board", "committee", …) a question about it matches, or None."""
    body = _find_body(name)
    return body.kind if body else None


def proposal_verbs(lang: str | None = None) -> tuple[str, ...]:
    """Present-tense verbs after a body's name that open a proposal ("Kunnanhallitus esittää …")."""
    return tuple(v for code in _langs(lang) for v in _DATA[code].PROPOSAL_VERBS)


# --- headings -------------------------------------------------------------------------------------
def heading_labels(lang: str | None = None) -> tuple[HeadingLabel, ...]:
    """Every section heading label, in HEADING_KINDS order."""
    return tuple(HeadingLabel(kind, code, pattern)
                 for kind in HEADING_KINDS for code in _langs(lang)
                 for pattern in _DATA[code].HEADINGS.get(kind, ()))


def heading_pattern(kind: str) -> str:
    """One alternation (all languages) of the labels of one section kind."""
    return "|".join(label.pattern for label in heading_labels() if label.kind == kind)


# --- resolutions and votes ------------------------------------------------------------------------
def resolution_phrases(lang: str | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(resolution kind, phrases) in RESOLUTION_ORDER."""
    return tuple((kind, tuple(p for code in _langs(lang) for p in _DATA[code].RESOLUTIONS.get(kind, ())))
                 for kind in RESOLUTION_ORDER)


def _phrases(attribute: str, lang: str | None) -> tuple[str, ...]:
    return tuple(p for code in _langs(lang) for p in getattr(_DATA[code], attribute))


def approved_phrases(lang: str | None = None) -> tuple[str, ...]:
    """Words of an approving decision ("hyväksyttiin", "godkänns", "approved")."""
    return _phrases("APPROVED", lang)


def unanimous_phrases(lang: str | None = None) -> tuple[str, ...]:
    return _phrases("UNANIMOUS", lang)


def vote_phrases(lang: str | None = None) -> tuple[str, ...]:
    """Phrases saying a vote was taken ("äänin 21–14", "efter omröstning")."""
    return _phrases("VOTE", lang)


def no_vote_phrases(lang: str | None = None) -> tuple[str, ...]:
    """Phrases saying there was no vote ("utan omröstning"): removed before looking for a vote."""
    return _phrases("NO_VOTE", lang)


def implicit_decision_phrases(lang: str | None = None) -> tuple[str, ...]:
    """Paragraph openings that are a decision without a heading ("Hyväksyttiin.", "Förslaget godkändes.")."""
    return _phrases("IMPLICIT_DECISION", lang)


def adopts_proposal_phrases(lang: str | None = None) -> tuple[str, ...]:
    """"Päätösehdotus hyväksyttiin", "enligt förslaget": the decision adopts the proposal as it stands."""
    return _phrases("ADOPTS_PROPOSAL", lang)


_VOTE_COUNT = re.compile(
    r"(?:äänin|äänestyksen jälkeen äänin|med rösterna|med röstetalet|rösterna|röstades|votes?|by)\s+"
    r"(\d{1,3})\s*[-–—]\s*(\d{1,3})(?!\d)"
    r"|(?:äänin|rösterna)\s+(\d{1,3})\s+(?:ja|och)\s+(\d{1,3})"
    r"|\bmed (\d{1,3}) (?:ja-)?röster mot (\d{1,3})"
    r"|(?<![\d.,])(\d{1,3})\s*[-–—]\s*(\d{1,3})\s+(?:jaa|ja)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(r"\b(?:jaa|ja)(?:-röster|-ääniä|-ääni)?\s*:?\s*(\d{1,3})\b.{0,2000}?"
                     r"\b(?:ei|nej)(?:-röster|-ääniä|-ääni)?\s*:?\s*(\d{1,3})\b", re.IGNORECASE | re.DOTALL)


def vote_count(text: str) -> str | None:
    """The first vote count in `text` as "yes–no" ("äänin 11-2" → "11–2", "med rösterna 29–22" → "29–22",
    "Ja-röster: 76 … Nej-röster: 8" → "76–8"), or None."""
    m = _VOTE_COUNT.search(text)
    if m:
        a, b = next((m.group(i), m.group(i + 1)) for i in range(1, 9, 2) if m.group(i))
        return f"{int(a)}–{int(b)}"
    m = _YES_NO.search(text[:20_000])
    return f"{int(m.group(1))}–{int(m.group(2))}" if m else None


BALLOTS = ("yes", "no", "blank", "absent")
_NAME_WORD = r"[A-ZÅÄÖÜ][\w'’-]+"


@lru_cache(maxsize=1)
def _roll_call_re() -> tuple[re.Pattern[str], dict[str, str]]:
    ballot_of = {word.lower(): kind for code in LANGUAGES for kind, words in _DATA[code].ROLL_CALL.items()
                 for word in words}
    words = "|".join(sorted(map(re.escape, ballot_of), key=len, reverse=True))
    name = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}"
    line = re.compile(rf"^[ \t]*({name})[ \t]*[,:|\t ][ \t]*(?i:({words}))[ \t.]*$", re.MULTILINE)
    return line, ballot_of


def roll_call(text: str, minimum: int = 3) -> dict[str, tuple[str, ...]]:
    """A roll-call vote's names by ballot ("Antti Harju ei" → {"no": ("Antti Harju", …)}), where the text
    holds at least `minimum` such lines ("Jäsen Ääni" tables of Finnish minutes, "Namn Röst" in Swedish);
    {} otherwise. Ballot kinds: BALLOTS."""
    pattern, ballot_of = _roll_call_re()
    found = pattern.findall(text[:200_000])
    if len(found) < minimum:
        return {}
    out: dict[str, list[str]] = {}
    for name, ballot in found:
        out.setdefault(ballot_of[ballot.lower()], []).append(name)
    return {kind: tuple(names) for kind, names in out.items()}


def amount_units(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """Words after a number that make it an amount: "money" ("euroa", "kronor", "million") or "count"
    ("henkilöä", "stycken", "people", "procent")."""
    if kind not in ("money", "count"):
        raise ValueError(f"unknown amount unit kind {kind!r}: use money or count")
    return _cues("AMOUNT_UNITS", kind, lang)


def number_words(lang: str | None = None) -> tuple[str, ...]:
    """Counts written as words ("neljä tarjousta", "fyra anbud", "four bids"): whole-word fragments;
    not the words for one, which are also articles ("en", "ett")."""
    return _phrases("NUMBER_WORDS", lang)


@lru_cache(maxsize=1)
def _addressed_re() -> re.Pattern[str]:
    return re.compile("|".join(_phrases("ADDRESSED_TO_MODEL", None)), re.IGNORECASE | re.MULTILINE)


def addressed_to_model(text: str) -> bool:
    """Whether a text speaks to a chat model ("Ignore previous instructions", "SYSTEM:", "Vastaa
    käyttäjälle") rather than saying something of the matter: never an answer, whoever wrote it in."""
    return bool(_addressed_re().search(text))


# --- people, covers, document words ---------------------------------------------------------------
def role_titles(lang: str | None = None) -> tuple[str, ...]:
    """Word endings of officials' titles ("johtaja", "päällikkö", "chef", "direktör")."""
    return _phrases("ROLE_TITLES", lang)


def meeting_roles(lang: str | None = None) -> Mapping[str, tuple[str, ...]]:
    """Roles at a meeting → the words for them: chair, vice_chair, secretary, presenter, checker."""
    merged: dict[str, tuple[str, ...]] = {}
    for code in _langs(lang):
        for role, words in _DATA[code].MEETING_ROLES.items():
            merged[role] = merged.get(role, ()) + tuple(words)
    return MappingProxyType(merged)


def cover_labels(lang: str | None = None) -> tuple[CoverLabel, ...]:
    """Labels of a protocol's cover page, longest first (so "Övriga närvarande" wins over "närvarande")."""
    labels = [CoverLabel(field, code, pattern) for code in _langs(lang)
              for field, patterns in _DATA[code].COVER_LABELS.items() for pattern in patterns]
    return tuple(sorted(labels, key=lambda label: -len(label.pattern)))


def conflict_phrases(lang: str | None = None) -> tuple[str, ...]:
    """What follows a name in a sentence declaring a conflict of interest ("anmälde jäv")."""
    return _phrases("CONFLICT_PHRASES", lang)


_NAME = r"(?-i:[A-ZÅÄÖ])[\w'-]+(?:\s+(?-i:[A-ZÅÄÖ])[\w'-]+){1,3}"


@lru_cache(maxsize=1)
def _conflict_re() -> re.Pattern[str]:
    return re.compile(rf"(?P<who>{_NAME})\s+(?:{'|'.join(conflict_phrases())})", re.IGNORECASE)


def conflicts_in(text: str) -> tuple[str, ...]:
    """Names that declare a conflict of interest in `text` ("Marlene Lindgren anmälde jäv" →
    ("Marlene Lindgren",)), in order, each once."""
    found: list[str] = []
    for m in _conflict_re().finditer(text):
        who = " ".join(m.group("who").split())
        if who not in found:
            found.append(who)
    return tuple(found)


def agenda_words(lang: str | None = None) -> tuple[str, ...]:
    """Words that name an agenda: "esityslista", "kokouskutsu", "föredragningslista", "kallelse"."""
    return _phrases("AGENDA_WORDS", lang)


def protocol_words(lang: str | None = None) -> tuple[str, ...]:
    """Words that name minutes: "pöytäkirja", "protokoll"."""
    return _phrases("PROTOCOL_WORDS", lang)


def contents_words(lang: str | None = None) -> tuple[str, ...]:
    """Words that head a table of contents: "sisällysluettelo", "innehållsförteckning"."""
    return _phrases("CONTENTS_WORDS", lang)


def page_words(lang: str | None = None) -> tuple[str, ...]:
    """The word for "page" in running headers: "sivu", "sida"."""
    return _phrases("PAGE_WORDS", lang)


def web_chrome(lang: str | None = None) -> tuple[str, ...]:
    """Whole-line patterns of publishing systems' page chrome (Dynasty, CloudNC, paatokset.hel.fi,
    docplayer transcripts, municipal sites)."""
    return _phrases("WEB_CHROME", lang)


@lru_cache(maxsize=1)
def _chrome_re() -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(web_chrome())})\s*$", re.IGNORECASE)


def is_web_chrome(line: str) -> bool:
    """Whether a line is the publishing system's chrome, never a title, a section or an answer."""
    return bool(_chrome_re().match(" ".join(line.split())))


def stopwords(lang: str) -> frozenset[str]:
    """Function words of one language, left out of keyword search."""
    return _DATA[_langs(lang)[0]].STOPWORDS


def language_markers(lang: str) -> frozenset[str]:
    """Words that mark a short text (a question) as being in `lang`."""
    return _DATA[_langs(lang)[0]].LANGUAGE_MARKERS


def months(lang: str) -> tuple[str, ...]:
    """The twelve month names (Finnish: the stems that inflect, "marraskuu" → "marraskuussa")."""
    return _DATA[_langs(lang)[0]].MONTHS



# --- questions: how people ask ------------------------------------------------------------------------
def _cues(attribute: str, kind: str, lang: str | None) -> tuple[str, ...]:
    return tuple(p for code in _langs(lang) for p in getattr(_DATA[code], attribute).get(kind, ()))


def question_type_cues(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """Regex fragments by which a question asks for an answer type ("owner", "date", "decision", "list"):
    "kuka vastaa", "vem ansvarar", "who is responsible"."""
    return _cues("QUESTION_TYPE_CUES", kind, lang)


def answer_type_cues(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """Fragments that vote for the answer types the first-match cues lack ("person": "kuka", "vem", "who";
    "date": "aikataulu", "tidplan", "timeline")."""
    return _cues("ANSWER_TYPE_CUES", kind, lang)


def section_cues(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """Fragments by which a question points at a section kind ("preparer": "kuka valmisteli", "beredare")."""
    return _cues("SECTION_CUES", kind, lang)


def body_class_cues(cls: str, lang: str | None = None) -> tuple[str, ...]:
    """Word stems of a body class a question names ("council": "valtuust", "fullmäktig", "council", "KV")."""
    return _cues("BODY_CLASS_CUES", cls, lang)


def quantity_cues(lang: str | None = None) -> tuple[str, ...]:
    """Fragments of "how many / how much" ("kuinka monta", "hur mycket", "how much", "hinta")."""
    return _phrases("QUANTITY_CUES", lang)


def yes_no_openings(lang: str | None = None) -> tuple[str, ...]:
    """The first word of a yes/no question (fragments): "…ko/…kö", "godkände", "did"."""
    return _phrases("YES_NO_OPENINGS", lang)


def committee_heads(lang: str | None = None) -> tuple[str, ...]:
    """Stems that end a committee's name ("lautakun", "nämnd", "committee"); the word before names it."""
    return _phrases("COMMITTEE_HEADS", lang)


def generic_body_words(lang: str | None = None) -> frozenset[str]:
    """Words before a committee head that name no committee ("the", "kaupungin", "kommunens")."""
    return frozenset(w for code in _langs(lang) for w in _DATA[code].GENERIC_BODY_WORDS)


def body_adjective_endings(lang: str | None = None) -> tuple[str, ...]:
    """Endings of an adjective that names a committee as a word of its own ("tekninen", "tekniska")."""
    return _phrases("BODY_ADJECTIVE_ENDINGS", lang)


def council_document_parts(lang: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(heads, tails) of compounds that name a council's document, not the council: "valtuusto" +
    "aloit" ("valtuustoaloite"), "fullmäktige" + "motion"."""
    return _phrases("COUNCIL_DOCUMENT_HEADS", lang), _phrases("COUNCIL_DOCUMENT_TAILS", lang)


# --- municipality names -------------------------------------------------------------------------------
def municipality_nouns(lang: str) -> tuple[str, ...]:
    """Words that follow a municipality's name ("kaupungin", "kunnan", "kommun", "stad")."""
    return _phrases("MUNICIPALITY_NOUNS", lang)


def not_municipality_names(lang: str | None = None) -> frozenset[str]:
    """Lower-case words that stand where a name would ("tämän kaupungin", "denna kommun") and name no town."""
    return frozenset(w for code in _langs(lang) for w in _DATA[code].NOT_MUNICIPALITY_NAMES)


def genitive_endings(lang: str) -> tuple[tuple[str, str], ...]:
    """(genitive ending, nominative ending) of place names, most specific first ("sen" → "nen")."""
    return tuple(pair for code in _langs(lang) for pair in _DATA[code].GENITIVE_ENDINGS)


# --- the gazetteer: a place's Finnish and Swedish names (genre/places.py) ------------------------------
@dataclass(frozen=True)
class Place:
    """One place under its official Finnish and Swedish names (the same string where both languages
    use one name: "Kuopio", Åland's "Jomala") and its kind (PLACE_KINDS)."""

    finnish: str
    swedish: str
    kind: str

    @property
    def names(self) -> frozenset[str]:
        return frozenset({self.finnish, self.swedish})


PLACE_KINDS = places.PLACE_KINDS


@lru_cache(maxsize=8)
def gazetteer(kind: str | None = None) -> tuple[Place, ...]:
    """Every place the genre knows, or those of one kind ("municipality", "region", "former", …)."""
    if kind is not None and kind not in PLACE_KINDS:
        raise ValueError(f"unknown place kind {kind!r}: use one of {', '.join(PLACE_KINDS)}")
    return tuple(Place(fi_name, sv_name, k) for fi_name, sv_name, k in places.PLACES
                 if kind is None or k == kind)


@lru_cache(maxsize=1)
def place_names() -> Mapping[str, frozenset[str]]:
    """Lower-case name → every lower-case name of its place ("brahestad" → {"raahe", "brahestad"}).
    Names as written, no inflected forms: the caller lemmatises (assistant/question/glossary.py)."""
    table: dict[str, frozenset[str]] = {}
    for place in gazetteer():
        names = frozenset(name.lower() for name in place.names)
        for name in names:
            table[name] = table.get(name, frozenset()) | names
    return MappingProxyType(table)


def other_names(name: str) -> frozenset[str]:
    """The place's names in the other language ("Mariehamn" → {"maarianhamina"}); empty for a name the
    gazetteer does not know or a place with one name."""
    key = " ".join(name.lower().split())
    return place_names().get(key, frozenset()) - {key}


# --- the cross-language vocabulary ----------------------------------------------------------------------
@lru_cache(maxsize=1)
def glossary_concepts() -> tuple[Mapping[str, tuple[str, ...]], ...]:
    """Each concept's terms per language, lower case ({"en": ("roadmap",), "fi": ("tiekartta",
    "digitiekartta"), "sv": ("färdplan", "vägkarta")}), from `genre/glossary.py`."""
    concepts = []
    for line in glossary.CONCEPTS.splitlines():
        parts = line.split("|")
        if len(parts) != 3:
            raise ValueError(f"genre/glossary.py: a concept line needs English | Finnish | Swedish: {line!r}")
        concepts.append(MappingProxyType({
            lang: tuple(t.strip().lower() for t in part.split(",") if t.strip())
            for lang, part in zip(("en", "fi", "sv"), parts, strict=True)}))
    return tuple(concepts)


# --- ingest/parse/vocab.py: decisions, body names, case numbers, paper chrome ------------------------
def decision_verbs(lang: str | None = None) -> tuple[str, ...]:
    """Past-tense verbs by which a decision names its body: "päätti", "godkände", "decided"."""
    return _phrases("DECISION_VERBS", lang)


def meeting_verbs(lang: str | None = None) -> tuple[str, ...]:
    """Past-tense verbs by which news says a body met or dealt with matters: "käsitteli", "behandlade"."""
    return _phrases("MEETING_VERBS", lang)


def adopted_by(lang: str | None = None) -> tuple[str, ...]:
    """Words before the body that adopted a strategy or plan: "antagen av", "hyväksytty"."""
    return _phrases("ADOPTED_BY", lang)


def bulletin_words(lang: str | None = None) -> tuple[str, ...]:
    """Words of a decision bulletin's head line between body and date: "päätökset", "beslut"."""
    return _phrases("BULLETIN_WORDS", lang)


def meeting_date_cues(lang: str | None = None) -> tuple[str, ...]:
    """Words right before a meeting's date in running text: "kokouksessaan", "vid mötet"."""
    return _phrases("MEETING_DATE_CUES", lang)


def notice_date_cues(lang: str | None = None) -> tuple[str, ...]:
    """Words before a date that is not the meeting's (display, posting, checking): "nähtävänä", "anslaget"."""
    return _phrases("NOTICE_DATE_CUES", lang)


def body_name_prefixes(lang: str | None = None) -> tuple[str, ...]:
    """What a body's name may start with that names the municipality's kind, not the body: "kaupungin",
    "kunnan", "stads", "kommun" ("kaupunginvaltuusto" ~ "valtuusto")."""
    return _phrases("BODY_NAME_PREFIXES", lang)


def municipality_kind_words(kind: str) -> tuple[str, ...]:
    """Finnish words that say whether the municipality is a "town" (kaupunki) or "rural" (kunta): an
    abbreviation such as "KHALL" expands to the one its document uses."""
    return tuple(fi.MUNICIPALITY_KIND_WORDS[kind])


def case_number_labels(lang: str | None = None) -> tuple[str, ...]:
    """Labels before a case (diary) number: "Dnr", "Diaarinumero", "Asia nro"."""
    return _phrases("CASE_NUMBER_LABELS", lang)


def paper_chrome(lang: str | None = None) -> tuple[str, ...]:
    """Regex fragments of whole lines that say what kind of paper this is ("pöytäkirja", "föredragningslista",
    "protokoll nr 3"), not what it says."""
    return _phrases("PAPER_CHROME", lang)


def meeting_place_labels(lang: str | None = None) -> tuple[str, ...]:
    """The meeting place's label ("kokouspaikka", "sammanträdesplats")."""
    return _phrases("MEETING_PLACE_LABELS", lang)


# --- the answer side ------------------------------------------------------------------------------------
def scaffold_words(lang: str | None = None) -> frozenset[str]:
    """Words that shape a question rather than say what it is about ("kuka", "enligt", "responsible")."""
    return frozenset(w for code in _langs(lang) for w in _DATA[code].SCAFFOLD_WORDS)


def approves_proposal_only(lang: str | None = None) -> tuple[str, ...]:
    """Whole-line regex fragments of a decision that only approves the proposal ("Päätösehdotus
    hyväksyttiin.", "Beslutar enligt förslaget."): the proposal is then what was decided."""
    return _phrases("APPROVES_PROPOSAL_ONLY", lang)


def vote_tally(lang: str | None = None) -> tuple[str, ...]:
    """Regex fragments of a vote's tally in words ("11 jaa", "22 mot")."""
    return _phrases("VOTE_TALLY", lang)


def compound_conjunctions(lang: str | None = None) -> tuple[str, ...]:
    """Words after which a word's final hyphen is a shared compound's ("sosiaali- ja terveys"), not the
    end of a hyphenated line."""
    return _phrases("COMPOUND_CONJUNCTIONS", lang)


def path_words(lang: str | None = None) -> tuple[str, ...]:
    """Word beginnings that ask how a matter went through the bodies ("käsittel", "behandl", "handled")."""
    return _phrases("PATH_WORDS", lang)


FOLLOWUP_WORD_KINDS = {"openers": "FOLLOWUP_OPENERS", "pointing": "POINTING_WORDS",
                       "question": "QUESTION_WORDS", "filler": "FILLER_WORDS"}


def followup_words(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """The words a chat follow-up is told by: "openers" ("entä", "och", "what about"), "pointing"
    ("se", "det", "it"), "question" words ("kuka", "vem", "who") and "filler" words with no topic."""
    if kind not in FOLLOWUP_WORD_KINDS:
        raise ValueError(f"unknown follow-up word kind {kind!r}: use one of {', '.join(FOLLOWUP_WORD_KINDS)}")
    return tuple(dict.fromkeys(_phrases(FOLLOWUP_WORD_KINDS[kind], lang)))


def case_endings(lang: str) -> tuple[str, ...]:
    """Case endings a place name takes in running text ("ssa", "lla": "Porissa", "Vantaalla"); ()
    for a language that does not inflect names so."""
    return tuple(getattr(_DATA[_langs(lang)[0]], "CASE_ENDINGS", ()))


# --- what an answer candidate holds -------------------------------------------------------------------
CANDIDATE_CUE_KINDS = ("owner", "role", "dissent", "date_word", "verb")


def candidate_cues(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """Regex fragments that tell what an answer candidate holds: "owner" ("vastaa", "ansvar"), "role"
    ("puheenjohtaj", "ordförande"), "dissent" ("eriäv", "reservation"), "date_word" ("marraskuussa",
    "mars"), "verb" (whole words: "on", "är", "is" — a line with one is a sentence, not a heading)."""
    if kind not in CANDIDATE_CUE_KINDS:
        raise ValueError(f"unknown candidate cue {kind!r}: use one of {', '.join(CANDIDATE_CUE_KINDS)}")
    return _cues("CANDIDATE_CUES", kind, lang)


def fact_field_cues(field: str, lang: str | None = None) -> tuple[str, ...]:
    """Fragments by which a question asks for one layout fact of a protocol ("chair": "puheenjohtaj",
    "ordförande", "presided"; "meeting_place": "missä", "var hölls", "where"); () for a field without."""
    return _cues("FACT_FIELD_CUES", field, lang)

__all__ = [
    "LANGUAGES", "HEADING_KINDS", "RESOLUTION_ORDER", "DATE_NUMERIC", "Body", "HeadingLabel", "CoverLabel",
    "bodies", "body_heads", "body_abbreviations", "body_english", "body_kind", "proposal_verbs",
    "heading_labels", "heading_pattern", "resolution_phrases", "approved_phrases", "unanimous_phrases",
    "vote_phrases", "no_vote_phrases", "implicit_decision_phrases", "adopts_proposal_phrases", "vote_count",
    "role_titles", "meeting_roles", "cover_labels", "conflict_phrases", "conflicts_in",
    "agenda_words", "protocol_words", "contents_words",
    "page_words", "web_chrome", "is_web_chrome", "stopwords", "language_markers", "months",
    "question_type_cues", "answer_type_cues", "section_cues", "body_class_cues", "quantity_cues",
    "yes_no_openings", "committee_heads", "generic_body_words", "body_adjective_endings",
    "council_document_parts", "municipality_nouns", "not_municipality_names", "genitive_endings",
    "CANDIDATE_CUE_KINDS", "candidate_cues", "fact_field_cues", "BALLOTS", "roll_call", "amount_units",
    "number_words", "addressed_to_model",
    "Place", "PLACE_KINDS", "gazetteer", "place_names", "other_names", "glossary_concepts", "case_endings",
    "FOLLOWUP_WORD_KINDS", "followup_words", "decision_verbs", "meeting_verbs", "adopted_by",
    "bulletin_words", "meeting_date_cues", "notice_date_cues", "body_name_prefixes",
    "municipality_kind_words", "case_number_labels", "paper_chrome", "meeting_place_labels",
    "scaffold_words", "approves_proposal_only", "vote_tally", "path_words", "compound_conjunctions",
]

"""What a question asks: its language, its type, and which body or kind of section it is about.

The users' most common questions have a known shape: "who is responsible" wants the owner
named with an action, "what did the council decide" wants the council's decision section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUESTION_TYPES = ("owner", "decision", "date", "list", "fact")

_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "owner",
            r"\bkuka\b.*\b(vastaa|vastasi|vastuussa|omista|johta|koordinoi)|\bvastuu(taho|henkilö|lla)|"
            r"\bkenen vastuulla|\bomistaja|\bkoordinoinnista|\bvem\b.*\b(ansvar|äger|leder|samordna)|"
            r"\bansvarig|\bhuvudansvar|\bwho\b.*\b(own|responsib|lead|coordinat|in charge)|\bowner\b|"
            r"\bresponsible\b",
        ),
        ("date", r"\bmilloin\b|\bminä päivänä|\bmihin mennessä|\bnär\b|\bvilket datum|\bwhen\b|\bwhat date"),
        (
            "decision",
            r"\bpäätt(i|ivät|änyt|ävät)\b|\bpäätettiin|\bpäätö(s|ksen|kse)|\bbeslut(ade|at|et)?\b|\bbeslöt|"
            r"\bdecid|\bdecision|\bresolved?\b|\bwhat was decided|\bhyväksy(i|ttiin)|\bantog|\bapproved?\b",
        ),
        (
            "list",
            r"\bmitkä\b|\bluettele|\bmitä (teemoja|arvoja|toimenpiteitä|tavoitteita)|\bvilka\b|\blista\b|"
            r"\bwhich (are|were)\b|\bwhat are\b|\blist\b|\bname the\b",
        ),
    )
)

# Section kinds a question's words point at ("who prepared" → the preparer line, not an owner).
_KIND_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "preparer",
            r"\bkuka\b.*\bvalmisteli|valmistelij|\bvem\b.*\bbered|beredare|who\b.*\bprepared|preparer",
        ),
        ("presenter", r"esittel|föredr|present(ed|er)"),
        ("attachments", r"liite|liitteet|bilag|attach"),
        ("appeal", r"muutoksenhak|oikaisuvaatim|valitus|överklag|besvär|appeal"),
        ("distribution", r"tiedoksi\b|expedier|skickas till|sent to|for information to"),
        ("contact", r"lisätiedot|lisätietoja|mer information|contact|yhteystie|kontakt"),
    )
)

_QUANTITY = re.compile(
    r"\bkuinka (monta|paljon|moni)|\bmontako\b|\bpaljonko\b|\bhur (många|mycket)|\bhow (many|much)\b|"
    r"\bkosta\b|\bcosts?\b|\bmaksaa\b|\bhinta\b|\bprice\b|\bpris\b",
    re.IGNORECASE,
)

# Body classes: "what did the council decide" must match Kaupunginvaltuusto and Kommunfullmäktige.
_BODY_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (cls, re.compile(pattern, re.IGNORECASE))
    for cls, pattern in (
        ("regional_council", r"seutuvaltuust|maakuntavaltuust|regionfullmäktig|regional council"),
        ("regional_board", r"seutuhallit|maakuntahallit|regionstyrels|regional board"),
        ("council", r"valtuust|fullmäktig|\bcouncil\b|\bKV\b|\bKVALT\b|\bKF\b"),
        ("board", r"hallit|styrels|\bboard\b|\bKH\b|\bKHALL\b|\bKS\b|executive"),
        ("committee", r"lautakun|nämnd|utskott|jaost|committee"),
        ("management", r"johtoryhm|ledningsgrupp|management (team|group)"),
    )
)


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    type: str
    body_class: str | None = None  # the kind of body the question is about, if it names one
    section_hint: str | None = None  # a section kind its words point at

    @property
    def wants_number(self) -> bool:
        """How many / how much: an answer without a number does not answer it."""
        return bool(_QUANTITY.search(self.text))


# A council initiative (valtuustoaloite, fullmäktigemotion) names a document, not a body.
_NOT_A_BODY = re.compile(r"(valtuusto|fullmäktige)(aloit|motion|kysymy|fråg)\w*", re.IGNORECASE)


def body_class(name: str | None) -> str | None:
    """The class of the first body named ("Kaupunginvaltuusto", "KS", "regional council"), or None."""
    if not name:
        return None
    name = _NOT_A_BODY.sub(" ", name)
    found = [(m.start(), cls) for cls, pattern in _BODY_CLASSES if (m := pattern.search(name))]
    return min(found)[1] if found else None


def body_classes(text: str) -> set[str]:
    """Every body class a text mentions."""
    text = _NOT_A_BODY.sub(" ", text)
    return {cls for cls, pattern in _BODY_CLASSES if pattern.search(text)}


def mentions_decision(text: str) -> bool:
    """A date question about a decision ("when was it approved") is best answered by the decision."""
    return bool(dict(_TYPE_PATTERNS)["decision"].search(text))


def question_type(text: str) -> str:
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            return kind
    return "fact"


def analyse(text: str, language: str | None = None) -> Question:
    from ingest.language import detect_language

    text = " ".join(text.split())
    hint = next((kind for kind, pattern in _KIND_HINTS if pattern.search(text)), None)
    kind = question_type(text)
    if hint and kind == "decision":  # "can the decision be appealed" asks about the appeal section
        kind = "fact"
    return Question(
        text=text,
        language=language or detect_language(text),
        type=kind,
        body_class=body_class(text),
        section_hint=hint,
    )

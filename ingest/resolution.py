"""Classify a decision section's outcome into one of `RESOLUTIONS` from the genre's phrasings.

The decision text decides; the same handling's Käsittely/Propositionsordning says whether there was a
vote, and its proposal says what "Päätösehdotus hyväksyttiin" adopted (a proposal to note the matter
makes the outcome "noted").
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


# Checked in this order: the first match wins. A returned or tabled matter was not approved, whatever
# else the text says; an amendment matters more than the vote that carried it.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("returned", _rx(r"palautet(?:tiin|aan)\b", r"palautti\b", r"palauttaa\b.*valmisteltavaksi",
                     r"återremitter", r"återremiss(?!yrkande)", r"återremitteras")),
    ("tabled", _rx(r"pantiin pöydälle", r"pannaan pöydälle", r"jätettiin pöydälle", r"bordlägg", r"bordlades",
                   r"bordläggs")),
    ("rejected", _rx(r"\bhylättiin\b", r"\bhylkäsi\b", r"\bhylätään\b", r"\bavslå(?:r)?\b", r"\bavslogs\b",
                     r"\bavslås\b", r"\bavslag\b(?! till)", r"\bförkastade?s?\b")),
    ("election", _rx(r"\bvalittiin\b", r"\bvalitsi\b", r"\bvalitaan\b", r"\bnimesi\b", r"\bväljer\b",
                     r"\bvaldes\b", r"\butser\b", r"\butsågs\b")),
    ("amended", _rx(r"muutettuna", r"muutetussa muodossa", r"seuraavin muutoksin", r"sillä muutoksella",
                    r"seuraavalla lisäyksellä", r"muutosehdotuksen mukaisesti", r"vastaehdotuksen",
                    r"med tillägget", r"med tillägg\b", r"med (?:följande )?ändring", r"med den ändringen",
                    r"ändrat förslag", r"tilläggsyrkande")),
    ("referred", _rx(r"päätti lähettää", r"lähetetään\b.*(?:käsiteltäväksi|valmisteltavaksi)",
                     r"päätti siirtää", r"remitterar\b", r"överlämnar ärendet", r"hänskjut")),
    ("noted", _rx(r"merkittiin tiedoksi", r"merkitään tiedoksi", r"merkitsi\b.*tiedoksi",
                  r"merkitsee\b.*tiedoksi", r"antecknas? till kännedom", r"antecknade till kännedom",
                  r"\bnoterar\b", r"\bnoteras\b", r"läggs till handlingarna", r"lägga informationen till",
                  r"antecknades", r"antecknas för kännedom", r"för kännedom\.?$")),
)
_APPROVED = _rx(r"hyväksyttiin", r"hyväksyi", r"hyväksytään", r"\bhyväksyy\b", r"ehdotuksen mukaisesti",
                r"\besittää\b", r"\bpäätti\b", r"\bpäättää\b", r"\bbifall", r"\bantar\b", r"\bantas\b",
                r"\bantogs\b", r"godkän", r"bifölls", r"enligt förslaget", r"\bbeslutar\b", r"\bbeslöt\b",
                r"\bföreslår\b", r"approved", r"adopted")
_UNANIMOUS = _rx(r"yksimielisesti", r"enhälligt", r"unanimously")
_VOTE = _rx(r"äänin \d+\s*[-–—]\s*\d+", r"äänestyksen jälkeen", r"äänestyksessä", r"suoritettiin äänestys",
            r"\bjaa-ään", r"omröstning (?:begärs|begärdes|genomförs|genomfördes|verkställs|verkställdes)",
            r"\bmed \d+ (?:ja-)?röster mot \d+", r"ja-röster", r"röstar\b", r"efter omröstning",
            r"röster(?:na)? \d+\s*[-–—]\s*\d+", r"after a vote", r"\bvoted\b")
_NO_VOTE = _rx(r"utan omröstning", r"ilman äänestystä")
# "Päätösehdotus hyväksyttiin": the decision adopts the proposal as it stands.
_ADOPTS_PROPOSAL = _rx(r"^(?:\S+\s+)?(?:päätösehdotus|päätösesitys|ehdotus|esitys)\s+hyväksyttiin",
                       r"^hyväksyttiin\b", r"hyväksyi\b.*(?:päätösehdotuksen|ehdotuksen)",
                       r"enligt förslaget", r"bifaller (?:förslaget|ordförandens förslag)",
                       r"ehdotuksen mukaisesti")


def classify_resolution(decision: str, handling: str = "", proposal: str = "") -> str | None:
    """The outcome of a decision section, or None when its wording says nothing recognisable.

    `handling` is the text of the same handling's Käsittely/Propositionsordning/Omröstning sections;
    `proposal` the text of its proposal.
    """
    text = " ".join(decision.split())
    for resolution, pattern in _RULES:
        if pattern.search(text):
            return resolution
    if _ADOPTS_PROPOSAL.search(text) and proposal and _RULES[-1][1].search(" ".join(proposal.split())):
        return "noted"  # "the proposal was approved" and the proposal was to note the matter
    if _APPROVED.search(text) or _ADOPTS_PROPOSAL.search(text):
        context = _NO_VOTE.sub("", f"{text} {' '.join(handling.split())}")
        if _VOTE.search(context):
            return "approved_after_vote"
        if _UNANIMOUS.search(text):
            return "approved_unanimously"
        return "approved"
    return None

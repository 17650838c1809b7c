"""What kind of document this is: minutes, strategy, news, web page, or just a document.

Decided from the genre's marks, strongest first: minutes have item headers and section headings
(Päätös, Beslut, Päätösehdotus …); news has a headline, quotes and a "Mer information/Lisätietoja"
contact; web pages have share/print chrome; strategies have numbered headings, action lists or a name
like "strategia/ohjelma/handlingsplan".
"""

from __future__ import annotations

import logging
import re

import genre
from ingest.parse.actions import is_action_line
from ingest.parse.minutes_lines import classify_line
from ingest.parse.strategy import NUMBERED
from ingest.records import Line, Section

logger = logging.getLogger(__name__)

WEB_PAGE_MARKS = re.compile(
    r"^(?:dela sidan|sidan publicerad|sidan uppdaterad|senast uppdaterad|jaa sivu|sivu päivitetty"
    r"|sivua päivitetty|julkaistu \d|päivitetty \d|share this page|page published|last updated|tulosta sivu"
    r"|skriv ut sidan|hoppa till innehåll|siirry sisältöön|evästeet|cookies?\b|kakor\b)",
    re.IGNORECASE,
)
NEWS_MARKS = re.compile(
    r"^(?:mer information|ytterligare information|lisätietoja|lisätiedot|för mer information"
    r"|further information|for more information|more information|tiedote|lehdistötiedote"
    r"|pressmeddelande|press release"
    r"|nyhet|uutinen)\b",
    re.IGNORECASE,
)
QUOTE_VERBS = re.compile(
    r"\b(?:konstaterar|säger|berättar|betonar|sanoo|toteaa|kertoo|korostaa|muistuttaa|says|said)\b",
    re.IGNORECASE,
)
STRATEGY_WORDS = re.compile(
    r"strategi|ohjelma|tiekartta|suunnitelma|linjaus|handlingsplan|program|färdplan|plan\b|roadmap|agenda"
    r"|policy|visio", re.IGNORECASE,
)
DECISIVE = {"decision", "proposal"}


def classify_document(lines: list[Line] | tuple[Line, ...], document_text: str) -> str:
    """"minutes" | "news" | "web_page" | "strategy" | "document"."""
    texts = [line.text.strip() for line in lines if line.text.strip()]
    if _is_minutes(texts, document_text):
        return "minutes"
    contact = any(NEWS_MARKS.match(t) for t in texts[-12:]) or any(
        NEWS_MARKS.match(t) and ("tiedote" in t.lower() or "press" in t.lower()) for t in texts[:5])
    quotes = sum(bool(QUOTE_VERBS.search(t)) for t in texts)
    chrome = sum(bool(WEB_PAGE_MARKS.match(t)) for t in texts)
    numbered = sum(bool(NUMBERED.match(t)) and len(t) <= 90 for t in texts)
    headings = sum(line.level is not None for line in lines) + numbered
    actions = sum(is_action_line(t) for t in texts)
    if contact and quotes and numbered < 3 and actions < 2:
        return "news"
    if chrome:
        return "web_page"
    if actions >= 2 or (headings >= 2 and STRATEGY_WORDS.search(" ".join(texts[:5]))):
        return "strategy"
    return "news" if contact and len(texts) < 60 and not headings else "document"


def _is_minutes(texts: list[str], document_text: str) -> bool:
    items = meetings = 0
    kinds: set[str] = set()
    alone: set[str] = set()  # headings on a line of their own ("Päätös", "Beslut")
    for text in texts:
        c = classify_line(text[:120], document_text)
        if c.cls == "item":
            items += 1
            meetings += bool(c.body and c.date)  # "Kaupunginvaltuusto 25.08.2014 § 123"
        elif c.cls == "meeting":
            meetings += 1
        elif c.cls == "heading" and c.heading is not None:
            kinds.add(c.heading.kind)
            if not c.heading.rest:
                alone.add(c.heading.kind)
    logger.debug("minutes marks: %d item headers, %d meeting lines, heading kinds %s", items, meetings,
                 sorted(kinds))
    return ((items >= 1 and len(kinds) >= 2 and bool(kinds & DECISIVE))
            or (len(kinds) >= 3 and bool(kinds & DECISIVE))
            # a decision page without § (paatokset.hel.fi): "Päätös" and "Käsittely" as headings
            or ("decision" in alone and len(alone) >= 2)
            # a CloudNC item cut before its proposal: "Kaupunginvaltuusto, kokous 7.12.2020", "§ 65 …"
            or (items >= 1 and meetings >= 1 and len(kinds) >= 1)
            # a bulletin: several §§ each with its decision
            or (items >= 2 and "decision" in alone))


_AGENDA_LINE = re.compile(rf"^(?:{'|'.join(genre.agenda_words())})\b", re.IGNORECASE)
_PROTOCOL_LINE = re.compile(rf"^(?:{'|'.join(genre.protocol_words())})\b", re.IGNORECASE)
HEAD_LINES = 30


def is_agenda(lines: list[Line] | tuple[Line, ...], sections: list[Section]) -> bool:
    """An agenda (föredragningslista, esityslista, kokouskutsu): it holds proposals, not decisions.

    The head names it so and not as minutes, or it has proposals, no decision, and names itself an
    agenda anywhere in its head."""
    head = [t for line in lines[:200] if (t := " ".join(line.text.split()))][:HEAD_LINES]
    agenda = any(_AGENDA_LINE.match(t) for t in head)
    protocol = any(_PROTOCOL_LINE.match(t) for t in head)
    if agenda and not protocol:
        return True
    kinds = {s.kind for s in sections}
    return agenda and "proposal" in kinds and "decision" not in kinds

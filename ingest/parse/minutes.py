"""Minutes: items (§), the handlings of each item by one body after another, and their sections.

An item printed by the last body to handle it often repeats the earlier handlings, each opened by a
"Body date § N" line, a "Body:" line, a meeting block ("Seutuvaltuusto" / "Aika …" / "21§ …") or a
proposal naming its body ("Johtoryhmä hyväksyy …"). The item's own handling usually comes last: a new
Esittelijä/Päätösehdotus after a decision goes back to it. Every section records whose handling it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ingest.parse.minutes_lines import (
    IMPLICIT_DECISION,
    ROLE_LINE,
    SENTENCE_END,
    Classified,
    classify_line,
    is_prose,
    is_title_shaped,
    looks_like_person,
)
from ingest.parse.vocab import DECISION_SUBJECT, PROPOSAL_SUBJECT, clean_body, decision_body, same_body
from ingest.records import Line

logger = logging.getLogger(__name__)

PERSON_KINDS = {"preparer", "presenter"}
NO_BODY_SWITCH = {"distribution", "attachments", "appeal", "contact", "motions", "handling", "reservation",
                  "documents", "decision"}
NEW_HANDLING_KINDS = {"preparer", "presenter", "proposal"}
# Where a decision heading is quoted text once the handling has decided.
QUOTE_KINDS = {"background", "documents", "attachments", "contact", "distribution", "appeal", "text"}


def _has_content(s: RawSection) -> bool:
    """Whether a section holds text beyond its heading label."""
    for line in s.lines:
        t = line.text.strip()
        if t and not (s.label and t.rstrip(":").strip() == s.label):
            return True
    return False


@dataclass(eq=False)
class Handling:
    """One body's handling of an item: its meeting date and § number there."""

    body: str | None = None
    date: str | None = None
    date_raw: str | None = None
    item: str | None = None
    case_number: str | None = None
    has_decision: bool = False
    has_content: bool = False
    has_proposal: bool = False
    decided_first: bool = False  # its decision came before any other section (paatokset.hel.fi)

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.body, self.date_raw, self.item and f"§ {self.item}") if p)

    def fill(self, c: Classified) -> None:
        self.body = self.body or c.body
        if c.date and not self.date:
            self.date, self.date_raw = c.date, c.date_raw
        self.item = self.item or c.num
        self.case_number = self.case_number or c.case_number


@dataclass(eq=False)
class Item:
    main: Handling
    handlings: list[Handling]
    title: str | None = None


@dataclass(eq=False)
class RawSection:
    kind: str
    label: str | None  # the heading as written, or the genre's name for an unlabelled decision/proposal
    explicit: bool
    item: Item | None
    handling: Handling
    lines: list[Line] = field(default_factory=list)


class MinutesParser:
    """Feeds lines through the state machine; `sections`, `items` and `preamble` are the result."""

    def __init__(self, document_text: str, language: str) -> None:
        self.document_text = document_text
        self.sv = language == "sv"
        self.preamble = Handling()
        self.items: list[Item] = []
        self.item: Item | None = None
        self.handling = self.preamble
        self.section: RawSection | None = None
        self.sections: list[RawSection] = []
        self.pending: list[Line] = []
        self.para_start = True

    # --- sections ---------------------------------------------------------------------------------
    def _open(self, kind: str, label: str | None = None, explicit: bool = False) -> RawSection:
        if kind == "decision" and not self.handling.has_decision:
            self.handling.decided_first = not self.handling.has_content
        self.section = RawSection(kind, label, explicit, self.item, self.handling, list(self.pending))
        self.pending = []
        self.sections.append(self.section)
        if kind != "item_header":
            self.handling.has_content = True
        if kind == "decision":
            self.handling.has_decision = True
        if kind == "proposal":
            self.handling.has_proposal = True
        return self.section

    def _header_line(self, line: Line) -> None:
        """Put a header-ish line into the current handling's item_header section."""
        s = self.section
        if not (s and s.kind == "item_header" and s.handling is self.handling):
            s = self._open("item_header")
        s.lines.append(line)

    def _implicit_kind(self) -> str:
        return "text" if self.handling.has_decision else "background"

    # --- handlings --------------------------------------------------------------------------------
    def _new_item(self, c: Classified) -> None:
        p = self.preamble
        if not self.items:
            p.body, p.date, p.date_raw = p.body or c.body, p.date or c.date, p.date_raw or c.date_raw
        main = Handling(body=c.body or p.body, item=c.num, case_number=c.case_number)
        main.date, main.date_raw = (c.date, c.date_raw) if c.date else (p.date, p.date_raw)
        self.item = Item(main, [main], title=c.rest or None)
        self.items.append(self.item)
        self.handling = main

    def _switch(self, body: str | None, c: Classified | None = None) -> None:
        """Go to the current item's handling by `body` (and date/§), creating it when there is none."""
        assert self.item is not None
        main = self.item.main
        if body is None and c is None:
            self.handling = main if not main.has_decision else self._add(Handling())
            return
        for h in reversed(self.item.handlings):
            if not same_body(h.body, body):
                continue
            if c is not None and c.num and h.item and (c.num != h.item or (c.date and h.date != c.date)):
                continue
            if c is None and h.has_decision:
                continue
            self.handling = h
            if c is not None:
                h.fill(c)
            return
        self.handling = self._add(Handling(body=body))
        if c is not None:
            self.handling.fill(c)

    def _add(self, h: Handling) -> Handling:
        assert self.item is not None
        self.item.handlings.append(h)
        return h

    def _on_item_header(self, c: Classified) -> None:
        h = self.handling
        if self.item is None:
            self._new_item(c)
        elif (not h.has_content and h.item is None and h is not self.item.main
              and (c.body is None or h.body is None or same_body(c.body, h.body))
              and (c.date is None or h.date is None or c.date == h.date)):
            h.fill(c)  # "Seutuvaltuusto" / "Aika 28.11.2024 …" / "21§ …": one meeting block
        elif (c.num == self.item.main.item and h is self.item.main and not h.has_content
              and (c.body is None or h.body is None or same_body(c.body, h.body))
              and (c.date is None or h.date is None or c.date == h.date)):
            h.fill(c)  # Dynasty: "Pöytäkirja 04.12.2023/Pykälä 198" / "Aluehallitus … § 198" / "§ 198"
        elif c.body is None and c.date is None:
            self._new_item(c)
        else:
            p = self.preamble
            body = c.body or (p.body if c.date == p.date else None)
            if (body is None or same_body(body, p.body)) and (c.date is None or c.date == p.date):
                if c.num == self.item.main.item:
                    self.handling = self.item.main
                    self.item.main.fill(c)
                else:
                    self._new_item(c)
            else:
                self._switch(body, c)

    def _on_body_line(self, c: Classified) -> bool:
        """A body's name alone on a line; False when it is just text here (e.g. under Tiedoksi)."""
        if self.section and self.section.kind in NO_BODY_SWITCH:
            return False
        h = self.handling
        if self.item is None:
            self.preamble.body = self.preamble.body or c.body
            return True
        if same_body(c.body, h.body) or (not h.has_content and h.body is None):
            h.body = h.body or c.body  # "Ärende 5. / 86 §" / title / "Helsingfors stadsfullmäktige"
            return True
        self._switch(c.body)
        self.section = None
        return True

    # --- the loop ---------------------------------------------------------------------------------
    def feed(self, line: Line, as_text: bool = False) -> None:
        """Take the next line; `as_text` when the caller knows it runs on a sentence (see structure.py)."""
        if not line.text.strip():
            if self.section is not None:
                self.section.lines.append(line)
            self.para_start = True
            return
        c = Classified("text") if as_text else classify_line(line.text, self.document_text)
        if c.cls == "body" and not self._on_body_line(c):
            c = Classified("text")
        if c.cls == "heading" and c.heading is not None and c.heading.kind == "decision" and self._quoted():
            c = Classified("text")
        text = " ".join(line.text.replace("\u00a0", " ").split())
        if c.cls == "item":
            self._on_item_header(c)
            self._header_line(line)
        elif c.cls == "meeting":
            if self.item is None:
                p = self.preamble
                p.body, p.date, p.date_raw = p.body or c.body, p.date or c.date, p.date_raw or c.date_raw
            elif not self.handling.has_content and self.handling is not self.item.main:
                self.handling.fill(c)
            elif c.body:
                self._switch(c.body, c)
            self._header_line(line)
        elif c.cls in ("case", "chrome"):
            if c.case_number:
                self.handling.case_number = self.handling.case_number or c.case_number
            self._header_line(line)
        elif c.cls == "body":
            s = self.section
            if s and s.kind == "item_header" and s.handling is self.handling:
                s.lines.append(line)
            else:
                self.pending.append(line)
                self.section = None
        elif c.cls == "heading":
            self._on_heading(c, line)
        else:
            self._on_text(text, line)
        # The next line starts a paragraph unless this one is a full-width line cut mid-sentence (PDF).
        self.para_start = c.cls != "text" or len(text) < 60 or bool(SENTENCE_END.search(text))

    def _quoted(self) -> bool:
        """A decision heading inside the background or an attachment of a handling that has its decision
        already (Helsinki puts the decision first): a quotation, not a second decision."""
        s = self.section
        return (self.item is not None and self.handling.has_decision and s is not None
                and s.kind in QUOTE_KINDS and s.handling is self.handling)

    def _on_heading(self, c: Classified, line: Line) -> None:
        heading = c.heading
        assert heading is not None
        h = self.handling
        if (self.item is not None and heading.kind in NEW_HANDLING_KINDS and h.has_decision
                and not (h.decided_first and not h.has_proposal)):
            self._switch(None)  # a new Esittelijä/Päätösehdotus after a decision: the next handling
        # (a handling that decided before any proposal is printed decision first, as paatokset.hel.fi
        # does: its proposal and background follow in the same handling)
        if self.item is not None and heading.kind == "decision" and not self.handling.has_decision:
            named = decision_body(heading.label)  # "Kommunfullmäktiges beslut": whose handling this is
            if named and not same_body(named, self.handling.body):
                if self.handling.body is None or not self.handling.has_decision:
                    self.handling.body = named
        s = self._open(heading.kind, heading.label.rstrip(":").strip(), explicit=True)
        if heading.rest:
            s.lines.append(line)

    def _on_text(self, text: str, line: Line) -> None:
        s = self.section
        kind = s.kind if s else None
        if kind == "decision" and self.handling.body is None and (m := DECISION_SUBJECT.match(text)):
            self.handling.body = clean_body(m.group("body"))  # "Kaupunginhallitus päätti panna …"
        if self.item is None:
            if s is None or s.item is not None:
                s = self._open("item_header")
            s.lines.append(line)
            return
        implicit_ok = s is None or kind in ("item_header", "proposal", *PERSON_KINDS) or (
            not s.explicit and kind in ("background", "text"))
        if self.para_start and implicit_ok and IMPLICIT_DECISION.match(text):
            self._open("decision", "Beslut" if self.sv else "Päätös").lines.append(line)
            return
        subject = PROPOSAL_SUBJECT.match(text) if self.para_start else None
        if subject and kind == "proposal":
            self.handling.body = self.handling.body or clean_body(subject.group("body"))
        elif subject and (implicit_ok or (self.handling.has_decision and kind not in NO_BODY_SWITCH)):
            self._proposal_by(clean_body(subject.group("body")), line)
            return
        if s is not None and kind == "item_header" and self.item.title is None and is_title_shaped(text):
            self.item.title = text  # "§ 18" / "Seinäjoen kaupungin digitalisaatio-ohjelma 2024–2027"
            s.lines.append(line)
            return
        if s is None or kind == "item_header" or (kind in PERSON_KINDS and (
                is_prose(text) or (_has_content(s) and not looks_like_person(text)))):
            s = self._open(self._implicit_kind())
        s.lines.append(line)

    def _proposal_by(self, body: str, line: Line) -> None:
        """A proposal that names its body ("Johtoryhmä hyväksyy …") without a Päätösehdotus heading."""
        h, moved = self.handling, []
        s = self.section
        if s is not None and not s.explicit and s.lines and ROLE_LINE.match(s.lines[-1].text.strip()):
            moved = [s.lines.pop()]  # "Kehittämisjohtaja": the presenter of this proposal
        if h.body is None and h is not self.preamble and not h.has_decision:
            h.body = body
        elif not same_body(body, h.body) or h.has_decision:
            main = self.item.main if self.item else None
            if main is not None and same_body(body, main.body) and not main.has_decision:
                self.handling = main
            else:
                self._switch(body)
        s = self._open("proposal", "Förslag till beslut" if self.sv else "Päätösehdotus")
        s.lines.extend(moved + [line])

    def finish(self) -> None:
        """Promote the latest handling of a single item to main when the file began with an earlier one."""
        if self.pending:  # a body's name on the last line: no section followed to take it
            self._open("item_header" if self.item is None else self._implicit_kind())
        if len(self.items) != 1:
            return
        item = self.items[0]
        dated = [h for h in item.handlings if h.date and h.has_content]
        if item.main.date and dated:
            latest = max(dated, key=lambda h: h.date or "")
            later = (latest.date or "") > item.main.date
            if latest is not item.main and later and latest is item.handlings[-1]:
                logger.debug("promoting %s over %s", latest.label, item.main.label)
                item.main = latest

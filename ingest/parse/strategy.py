"""Documents with an outline: strategies and programmes, web pages, news items, anything with headings.

Headings come from the format (`Line.level`: HTML <h2>, Markdown ##, DOCX "Heading 2"), from numbering
("4.2 Digituen toimintamalli", "3. Tavoitteet") or, where the format says nothing, from shape: a short
line without final punctuation after a finished sentence, followed by prose or a list. Action lists
and action tables under a heading become `kind="actions"` sections.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingest.parse.actions import ACTION_START, OWNER, action_units, cells, is_action_line, is_action_unit
from ingest.parse.minutes_lines import is_prose
from ingest.parse.vocab import match_heading
from ingest.records import Line, Section

logger = logging.getLogger(__name__)

NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<text>[A-ZÅÄÖ\"“].*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
WEB_CHROME = re.compile(
    r"^(?:dela(?: sidan)?(?: på sociala medier)?|jaa(?: sivu)?(?: sosiaalisessa mediassa)?"
    r"|share(?: this page)?|skriv ut|tulosta|print|till toppen|takaisin ylös|hoppa till innehåll"
    r"|siirry sisältöön|skip to content"
    r"|lyssna|kuuntele|listen|(?:\w+\s){0,2}logo(?:type|typ)?\b.*)$",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", ":", ";", ",")
# A longer "heading" is a paragraph styled as one (common in Word files): it is read as text, because a
# heading path part is cut at this length (structure.MAX_PATH_PART) and the rest would be lost.
MAX_HEADING = 100


@dataclass
class _Heading:
    level: int
    text: str
    line: Line | None = None  # the line it was read from (None for a contact label)


def _numbered(text: str) -> tuple[int, str] | None:
    m = NUMBERED.match(text)
    if not m or len(text) > 90 or len(text.split()) > 12 or text.endswith(_TERMINAL):
        return None
    if int(m.group("num").split(".")[0]) > 30:
        return None
    return m.group("num").count(".") + 1, text


def _shape_heading(lines: list[Line], i: int) -> bool:
    """A short unpunctuated line after a finished sentence, followed by prose or a list."""
    text = lines[i].text.strip()
    if (len(text) > 80 or len(text.split()) > 10 or text.endswith(_TERMINAL) or not text[:1].isupper()
            or ACTION_START.match(text) or cells(text) or is_action_line(text) or text.startswith("•")):
        return False
    if i > 0 and not lines[i - 1].text.strip().endswith((".", "!", "?", ":", "”", '"', ")")):
        previous_is_heading = lines[i - 1].level is not None
        if not previous_is_heading and i > 1:
            return False
    following = next((x.text.strip() for x in lines[i + 1:] if x.text.strip()), "")
    return is_prose(following) or following.startswith(("•", "-", "–")) or bool(ACTION_START.match(following))


def find_headings(lines: list[Line], use_shape: bool) -> dict[int, _Heading]:
    """Line index → heading, for every heading line."""
    has_levels = any(line.level is not None for line in lines)
    headings: dict[int, _Heading] = {}
    numbered_level = 0
    for i, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        if line.level is not None:
            if len(text) <= MAX_HEADING:
                headings[i] = _Heading(line.level, text, line)
        elif (m := _MD_HEADING.match(text)) and len(m.group(2)) <= MAX_HEADING:
            headings[i] = _Heading(len(m.group(1)), m.group(2), line)
        elif not has_levels and (n := _numbered(text)) and not _owner_follows(lines, i):
            numbered_level = n[0]
            headings[i] = _Heading(n[0], text, line)
        elif use_shape and not has_levels and _shape_heading(lines, i):
            headings[i] = _Heading(numbered_level + 1 if numbered_level else 2, text, line)
    return headings


def _owner_follows(lines: list[Line], i: int) -> bool:
    """A numbered line whose owner follows ("2. Digituki …" / "Vastuutaho: …") is an action entry,
    unless what follows is itself an action ("3.3 Digital kompetens" / "Åtgärd 3.3.1 …")."""
    following = [x.text.strip() for x in lines[i + 1: i + 3] if x.text.strip()]
    if following and ACTION_START.match(following[0]):
        return False
    return any(OWNER.match(t) for t in following)


def parse_outline(lines: list[Line], doc_type: str) -> tuple[str | None, list[Section]]:
    """(headline or title heading, sections) of an outlined document.

    The title heading is left out of heading paths (it is the document's title) except for the text
    directly under it, whose path would otherwise be empty. A heading with nothing under it (nor under
    its subheadings) becomes a section holding its own line, so that its text is indexed too.
    """
    web = doc_type in ("web_page", "news")
    lines = _clean(lines) if web else list(lines)
    headings = find_headings(lines, use_shape=doc_type != "document" or not any(x.level for x in lines))
    first_text = next((i for i, x in enumerate(lines) if x.text.strip()), None)
    h1 = next((i for i, x in enumerate(lines[:40]) if x.level == 1 and x.text.strip()), None)
    if h1 is not None:  # HTML/DOCX/Markdown: the first level-1 heading names the page, not a breadcrumb
        first_text = h1
    title_heading: _Heading | None = None
    first_fits = first_text is not None and len(lines[first_text].text.strip()) <= MAX_HEADING
    if first_text is not None and (first_text in headings or (web and first_fits)):
        title_heading = _Heading(1, lines[first_text].text.strip(), lines[first_text])
        headings[first_text] = title_heading
    stack: list[_Heading] = []
    sections: list[Section] = []
    body: list[Line] = []
    contact = False
    used: set[int] = set()  # ids of the headings that stand in the path of a section with text

    def path_of(open_headings: list[_Heading]) -> tuple[str, ...]:
        return tuple(h.text for h in open_headings if h is not title_heading) or tuple(
            h.text for h in open_headings)

    def flush() -> None:
        path = path_of(stack)
        kind = "contact" if contact else ("heading" if path else "text")
        if any(x.text.strip() for x in body):
            used.update(id(h) for h in stack)
        sections.extend(_split_actions(path, kind, body))
        body.clear()

    def close(level: int) -> None:
        """Headings at `level` or deeper are closed: one that never had text under it keeps its line."""
        for depth in range(len(stack), 0, -1):
            h = stack[depth - 1]
            if h.level < level:
                break
            if id(h) not in used and h.line is not None and h is not title_heading:
                sections.append(Section(path_of(stack[:depth]), "heading", (h.line,)))
                used.update(id(x) for x in stack[:depth])

    for i, line in enumerate(lines):
        text = line.text.strip()
        heading = headings.get(i)
        label = match_heading(text) if web else None
        if heading is None and label is not None and label.kind == "contact":
            flush()
            close(2)
            contact = True
            stack = [h for h in stack if h.level < 2] + [_Heading(2, label.label)]
            if label.rest:
                body.append(line)
            continue
        if heading is not None and not contact:
            flush()
            close(heading.level)
            stack = [h for h in stack if h.level < heading.level] + [heading]
            continue
        body.append(line)
    flush()
    close(0)
    if title_heading is not None and title_heading.line is not None and not any(
            x.text.strip() for s in sections for x in s.lines):
        sections.append(Section((title_heading.text,), "heading", (title_heading.line,)))  # a title only
    title = title_heading.text if title_heading else None
    return title, [s for s in sections if any(x.text.strip() for x in s.lines)]


def _split_actions(path: tuple[str, ...], kind: str, lines: list[Line]) -> list[Section]:
    """The lines under one heading as sections: runs of actions become `actions` sections."""
    if kind == "contact" or not any(is_action_line(x.text) for x in lines):
        return [Section(heading_path=path, kind=kind, lines=tuple(lines))] if lines else []
    sections: list[Section] = []
    run: list[Line] = []
    run_is_action: bool | None = None
    for unit in action_units(lines):
        unit_is_action = is_action_unit(unit)
        if run and unit_is_action != run_is_action:
            sections.append(Section(path, "actions" if run_is_action else kind, tuple(run)))
            run = []
        run.extend(unit)
        run_is_action = unit_is_action
    if run:
        sections.append(Section(path, "actions" if run_is_action else kind, tuple(run)))
    return sections


def _clean(lines: list[Line]) -> list[Line]:
    """Drop share/print/logo chrome and the repeated lines web extraction leaves behind."""
    kept: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if text and WEB_CHROME.match(text) and len(text) <= 80:
            continue
        if text and kept and kept[-1].text.strip() == text:
            continue
        kept.append(line)
    return kept

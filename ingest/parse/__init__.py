"""Parse stage: a loaded document into typed sections with everything a citation needs.

Dispatches on the document's kind: minutes go through the item/handling state machine (minutes.py),
everything else through the outline parser (strategy.py). Document-level metadata (title,
municipality, body, meeting date, item, case number) is settled here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import genre
from ingest.parse.dates import first_date, to_iso
from ingest.parse.doctype import classify_document, is_agenda
from ingest.parse.minutes import Handling, MinutesParser, RawSection
from ingest.parse.minutes_lines import classify_line, is_prose, looks_like_person
from ingest.parse.municipality import guess_municipality
from ingest.parse.protocol import Layout, read_layout
from ingest.parse.resolution import classify_resolution
from ingest.parse.strategy import parse_outline
from ingest.parse.vocab import (
    BODY_NP,
    DECISION_SUBJECT,
    INVERTED_SUBJECT,
    MEETING_SUBJECT,
    MINUTES_CHROME,
    PROPOSAL_SUBJECT,
    clean_body,
    is_body_name,
    match_heading,
)
from ingest.parse.weblayout import WebFacts, body_nominative, read_web_layout, transcript_title
from ingest.records import Line, LoadedDocument, ParsedDocument, Section

logger = logging.getLogger(__name__)

MAX_TITLE = 150
MAX_PATH_PART = 100
# "Seinäjoen kaupunki", "Östersunds kommun": who issued the paper, not what it is about.
_ORGANISATION_LINE = re.compile(r"^\S+(?:\s\S+)?\s+(?:kaupunki|kunta|kuntayhtymä|kommun|stad|region)$",
                                re.IGNORECASE)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + " …"


def _trim(lines: list[Line] | tuple[Line, ...]) -> tuple[Line, ...]:
    """Without leading and trailing blank lines."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    return tuple(lines[filled[0]: filled[-1] + 1]) if filled else ()


def parse_document(doc: LoadedDocument) -> ParsedDocument:
    """Split `doc` into sections; see records.Section for what each one carries."""
    lines = list(doc.lines)
    web = WebFacts()
    if doc.format in ("txt", "md", "html"):
        lines, web = read_web_layout(lines, doc.language)
    text = "\n".join(line.text for line in lines)  # once: the parser reads it for every line
    doc_type = classify_document(lines, text)
    municipality = guess_municipality(text)
    if web.organisation:
        municipality = guess_municipality(web.organisation) or web.organisation
    logger.debug("%s: %s, municipality %s", doc.source, doc_type, municipality)
    if doc_type == "minutes":
        return _parse_minutes(doc, lines, text, municipality, web)
    headline, sections = parse_outline(lines, doc_type)
    texts = [t for line in lines if (t := line.text.strip())]
    first_line = next((t for t in texts[:5] if not _DATED.match(t)), texts[0] if texts else "")
    if web.bulletin_head:
        first_line = web.bulletin_head  # "Stadsfullmäktiges beslut 25.5.2022", not the site's greeting
    elif is_prose(first_line):
        first_line = next((t for t in texts[1:12] if not is_prose(t) and len(t) >= 12), first_line)
    transcript = _transcript(text, doc, web) if web.document_name or web.transcript or any(
        genre.is_web_chrome(t) for t in texts[:3]) or doc.format == "txt" else None
    if transcript:
        first_line, headline = transcript[0], None
    elif web.transcript_body and web.transcript_minutes:  # "1 PÖYTÄKIRJA Kunnanhallitus …"
        word = "protokoll" if doc.language == "sv" else "pöytäkirja"
        first_line, headline = f"{web.transcript_body} {word}", None
    if web.bulletin_head:  # the bulletin's head line is the page's title, not a section heading above it
        first_line, headline = web.bulletin_head, None
    if web.item_title:  # Dynasty's item: its own title, not the page's
        first_line, headline = web.item_title, None
    title = _short(headline or doc.title or first_line or doc.source, MAX_TITLE)
    if doc.format in ("txt", "md", "html") and (stamp := _DATE_STAMP.match(title)):
        title = title[stamp.end():]  # "2014-05-22 Ersätt Tumba äldreboende": a date stamp is no title
    if (heading := match_heading(title)) and not heading.rest and len(texts) > 1:
        title = _short(texts[1], 80)  # a fragment that starts at "Perustelut": its first words, not the label
    fixed = [
        Section(
            heading_path=tuple(_short(p, MAX_PATH_PART) for p in s.heading_path) or (title,),
            kind=s.kind, lines=_trim(s.lines),
        )
        for s in sections
        if _trim(s.lines)
    ]
    body = (web.item_body or web.bulletin_body or web.body or (transcript[1] if transcript else None)
            or web.transcript_body or _acting_body(texts))
    body = body or _adopted_by(texts)  # a strategy page: "Antagen av kommunfullmäktige …"
    date = (web.item_date or web.bulletin_date or (to_iso(transcript[0]) if transcript else None)
            or (web.transcript_date if web.transcript_minutes else None) or web.head_date)
    if date is None and body and not web.transcript:
        date = _news_meeting_date(texts, body)
    return ParsedDocument(
        source=doc.source, title=title, language=doc.language, doc_type=doc_type, sections=tuple(fixed),
        file_hash=doc.file_hash, municipality=municipality, body=body, meeting_date=date, item=web.item,
    )


_ADOPTED_BY = re.compile(
    rf"\b(?i:{'|'.join(re.escape(c) for c in genre.adopted_by())})\s+(?P<body>[\w-]+(?:\s+[\w-]+){{0,2}})")


def _adopted_by(texts: list[str]) -> str | None:
    """The body a strategy or plan says adopted it: "Antagen av kommunfullmäktige 14 november 2017" →
    "Kommunfullmäktige", "Hyväksytty kaupunginvaltuustossa 12.6.2017" → "Kaupunginvaltuusto"."""
    for text in texts[:60]:
        for m in _ADOPTED_BY.finditer(text):
            words = m.group("body").split()
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n])
                name = name[:1].upper() + name[1:]
                if is_body_name(name):
                    return name
            if named := body_nominative(words[0]):
                return named
    return None


def _transcript(text: str, doc: LoadedDocument, web: WebFacts) -> tuple[str, str] | None:
    """(title, body) from a transcript's own head lines, the hosting site's "Download" line first."""
    return transcript_title(f"{web.document_name}\n{text}" if web.document_name else text, doc.language,
                            web.document_name)


def _news_meeting_date(texts: list[str], body: str) -> str | None:
    """The meeting's date as a news item or bulletin says it of its body: "Stadsstyrelsen behandlade vid
    mötet 2.10.2017", "Kaupunginhallitus kokoontui 6.5.2019" — a full date right after a meeting cue, in a
    sentence that names the body."""
    stem = body.lower()[:max(5, len(body) - 3)]
    for text in texts[:40]:
        low = text.lower()
        if stem not in low:
            continue
        for m in _MEETING_DATE.finditer(low):
            found = first_date(text[m.end():m.end() + 24])
            if found and text[m.end():].lstrip().startswith(found.raw.split()[0]):
                return found.iso
    return None


_MEETING_DATE = re.compile(
    rf"\b(?:{'|'.join(re.escape(c) for c in sorted(genre.meeting_date_cues(), key=len, reverse=True))})"
    r"(?:\s+(?:den|on|maanantaina|tiistaina|keskiviikkona|torstaina|perjantaina|eilen|tänään))?\s+")


def _parse_minutes(doc: LoadedDocument, all_lines: list[Line], text: str,
                   municipality: str | None, web: WebFacts) -> ParsedDocument:
    layout = read_layout(all_lines, text)
    lines = list(layout.lines)
    parser = MinutesParser(text, doc.language)
    if layout.meeting is not None:
        parser.preamble.body = layout.meeting.organ
        parser.preamble.date = layout.meeting.date
        when = first_date(layout.meeting.time or "")
        parser.preamble.date_raw = when.raw if when else layout.meeting.time  # "29.5.2023", not the hours
    elif web.bulletin_body:  # "Kaupunginhallituksen päätökset 4.12.2017"
        parser.preamble.body = web.bulletin_body
        parser.preamble.date, parser.preamble.date_raw = web.bulletin_date, web.bulletin_date_raw
    elif web.body:  # the breadcrumb's "… > Kommunfullmäktige > Sammanträde 2009-09-10"
        parser.preamble.body = web.body
    if web.transcript:  # a transcript's cover on one line: "PÖYTÄKIRJA 7/ Kaupunginhallitus AIKA …"
        parser.preamble.body = parser.preamble.body or web.transcript_body
        parser.preamble.date = parser.preamble.date or web.transcript_date
    quoted = _quoted_decisions(lines, text)
    for i, line in enumerate(lines):
        parser.feed(line, as_text=i in layout.as_text or i in quoted or _inside_sentence(lines, i, text))
    parser.finish()
    raw = [s for s in parser.sections if _trim(s.lines) and not _empty_decision(s)]
    items = parser.items
    preamble = [s for s in raw if s.item is None]
    labelled = next((s for s in raw if s.kind == "title"), None)  # "Asia" / "Ärende"
    title_line = _labelled_title(labelled) or next(
        (line.text.strip() for s in preamble if s.kind in ("item_header", "text", "background")
         for line in s.lines if _is_title(line.text, text)), None
    )
    if len(items) == 1:
        first = next((s for s in raw if s.item is items[0] and s.kind == "item_header"), None)
        if first is not None and preamble and sum(len(_trim(s.lines)) for s in preamble) <= 8:
            first.lines = [line for s in preamble for line in _trim(s.lines)] + first.lines
            raw = [s for s in raw if s.item is not None]
        main = items[0].main
        own = items[0].title if items[0].title and not MINUTES_CHROME.match(items[0].title) else None
        title = own or title_line or main.label or doc.title or doc.source
        body, date, item, case = main.body, main.date, main.item, main.case_number
    else:
        p = parser.preamble
        word = "protokoll" if doc.language == "sv" else "pöytäkirja"
        transcript = _transcript(text, doc, web) if web.transcript else None
        if items and web.bulletin_head:
            title = web.bulletin_head
        elif items and transcript:
            title = transcript[0]
        elif items and web.transcript and p.body:
            title = " ".join(x for x in (p.body, p.date_raw, word) if x)
        elif items:  # a headerless fragment of many items: its first item's title, not the file's name
            title = doc.title or (f"{p.label} {word}" if p.label else web.document_name or title_line
                                  ) or items[0].title or doc.source
        else:  # an official's decision: no §, one matter
            title = title_line or doc.title or p.label or doc.source
        body, date, item, case = p.body, p.date, None, None if items else p.case_number
    if web.item_body:  # Dynasty's head names the page's one item: its body, date, § and title
        body, date, item = web.item_body, web.item_date or date, web.item
        title = web.item_title or title
    if doc.format in ("txt", "md", "html"):
        # a headerless fragment ("Valmistelija … Ehdotus … Päätös", "§ 11 … § 12 …"): the body its sentences
        # name ("Kaupunginhallitus esittää …") and its first sentence's words, never the file's name
        texts = [t for line in lines if (t := " ".join(line.text.split()))]
        body = body or _acting_body(texts)
        if title == doc.source and not items:
            title = next((_short(t, 80) for t in texts if is_prose(t) and len(t) >= 30), title)
    title = _short(title, MAX_TITLE)
    resolutions = _resolutions(raw)
    facts = _handling_facts(raw)
    sections = [_section(s, parser.preamble, title, resolutions.get(id(s)), facts.get(id(s.handling)))
                for s in raw]
    sections = _layout_sections(layout, parser.preamble, title, doc.language) + sections
    doc_type = "agenda" if is_agenda(all_lines, sections) else "minutes"
    return ParsedDocument(
        source=doc.source, title=title, language=doc.language, doc_type=doc_type, sections=tuple(sections),
        file_hash=doc.file_hash, municipality=municipality, body=body, meeting_date=date, item=item,
        case_number=case,
    )


_VERBS = frozenset(v for v in genre.decision_verbs() + genre.proposal_verbs() + genre.meeting_verbs()
                   if " " not in v)


def _before_verb(body: str) -> str:
    """"Stadsstyrelsen föreslår att fullmäktige" (the name ran on past its verb) → "Stadsstyrelsen"."""
    words = body.split()
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _VERBS), None)
    return " ".join(words[:cut]) if cut else body


# A line that only dates the page: "Publicerad 2016-03-17", "23.11.2020" (never its title).
_DATED = re.compile(rf"^(?:\w+:?\s+)?(?:{genre.DATE_NUMERIC})$")
_DATE_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}\s+(?=[A-ZÅÄÖ])")
# A newspaper's dateline before its first sentence: "LIETO. ", "KOTKA – ".
_DATELINE = re.compile(r"^[A-ZÅÄÖ]{3,}(?:[ -][A-ZÅÄÖ]{2,})?\s*[.–-]\s+(?=[A-ZÅÄÖ])")


def _acting_body(texts: list[str]) -> str | None:
    """The body a news item or decision summary is about: the one most of its first sentences start with
    ("Stadsstyrelsen föreslår …", "Kaupunginhallitus myönsi …"); None when no sentence names one."""
    counts: dict[str, int] = {}
    for text in texts[:40]:
        text = _DATELINE.sub("", text)  # "LIETO. Kunnanvaltuusto on päättänyt …"
        m = DECISION_SUBJECT.match(text) or PROPOSAL_SUBJECT.match(text) or MEETING_SUBJECT.match(text)
        if m:
            body = clean_body(_before_verb(m.group("body")))
            counts[body] = counts.get(body, 0) + 1
        elif (m := INVERTED_SUBJECT.match(text)) and is_body_name(name := m.group("body").capitalize()):
            counts[name] = counts.get(name, 0) + 1  # "Så beslutade kommunfullmäktige den 17 oktober"
    # "Fullmäktige" and "Kommunfullmäktige" are one body: the fuller name takes the shorter one's count
    for short in sorted(counts, key=len):
        fuller = [o for o in counts if len(o) > len(short) and o.lower().endswith(short.lower())]
        if fuller:
            counts[max(fuller, key=len)] += counts.pop(short)
    return max(counts, key=lambda b: counts[b]) if counts else None


def _layout_sections(layout: Layout, preamble: Handling, title: str, language: str) -> list[Section]:
    """The cover page as a "meeting" section and the table of contents as a "contents" section."""
    found: list[Section] = []
    sv = language == "sv"
    if layout.meeting is not None and _trim(layout.cover):
        m = layout.meeting
        found.append(Section(
            heading_path=(_short(title, MAX_PATH_PART), "Sammanträde" if sv else "Kokous"), kind="meeting",
            lines=_trim(layout.cover), body=m.organ or preamble.body, meeting_date=m.date or preamble.date,
            meeting=m, presenter=None,
        ))
    if _trim(layout.contents):
        found.append(Section(
            heading_path=(_short(title, MAX_PATH_PART), "Innehållsförteckning" if sv else "Sisällysluettelo"),
            kind="contents", lines=_trim(layout.contents), body=preamble.body, meeting_date=preamble.date,
        ))
    return found


_OPEN_END = re.compile(r"[\w,–-]$")  # a line that stops mid-sentence


def _inside_sentence(lines: list[Line], i: int, document_text: str) -> bool:
    """A decision or proposal label ("Päätös", "Beslut") on a line of its own in the middle of a wrapped
    sentence: "… kaupunginhallituksen aiempi" / "Päätös" / "oli hylätä …". It is text, not a section:
    read as a heading it would open a decision the document never made (text in a background section
    could plant one). Only these two: a decision or proposal starts with a capital letter, where a
    preparer's or presenter's title ("Esittelijä" / "kaupunginjohtaja …") need not."""
    if i == 0 or i + 1 >= len(lines):
        return False
    before, here, after = (lines[j].text.strip() for j in (i - 1, i, i + 1))
    if not (before and after and after[0].islower() and _OPEN_END.search(before)) or len(before.split()) < 4:
        return False
    heading = classify_line(here, document_text).heading
    return (heading is not None and heading.kind in ("decision", "proposal")
            and classify_line(before, document_text).cls == "text")


def _labelled_title(section: RawSection | None) -> str | None:
    """The text after an "Asia:" / "Ärende" label."""
    if section is None:
        return None
    texts = [line.text.strip() for line in section.lines if line.text.strip()]
    if not texts:
        return None
    first = texts[0]
    if section.label and first.lower().startswith(section.label.lower()):
        first = first[len(section.label):].strip(" :") or (texts[1] if len(texts) > 1 else "")
    return first or None


def _is_title(text: str, document_text: str) -> bool:
    """A title line: no organisation's name, no sentence (a long title without a final period counts)."""
    text = text.strip()
    shaped = not is_prose(text) or (len(text) <= 200 and not text.endswith((".", "!", "?", ":")))
    return (bool(text) and not _ORGANISATION_LINE.match(text) and shaped
            and classify_line(text, document_text).cls == "text")


def _resolutions(raw: list[RawSection]) -> dict[int, str | None]:
    """Each decision section's resolution, read with its own handling's proposal and vote."""
    by_handling: dict[int, list[RawSection]] = {}
    for s in raw:
        by_handling.setdefault(id(s.handling), []).append(s)
    result: dict[int, str | None] = {}
    for sections in by_handling.values():
        def text_of(kinds: tuple[str, ...], group: list[RawSection] = sections) -> str:
            return "\n".join(line.text for s in group if s.kind in kinds for line in s.lines)

        proposal, handling = text_of(("proposal",)), text_of(("handling",))
        for s in sections:
            if s.kind == "decision":
                result[id(s)] = classify_resolution("\n".join(x.text for x in s.lines), handling, proposal)
    return result


_QUOTE_CONTEXT = {"background", "documents", "attachments", "contact", "distribution", "appeal", "title"}


def _quoted_decisions(lines: list[Line], text: str) -> set[int]:
    """Decision headings that stand inside the background of a handling whose own proposal or decision
    comes later: a quoted earlier decision or a planted one ("Päätös: … hylkää …" in Selostus, "Beslut:"
    in Ärendebeskrivning). The layout puts a handling's decision after its proposal, so these are text.
    One pass: each candidate waits for the next proposal/decision heading or item header."""
    quoted: set[int] = set()
    pending: list[int] = []
    context: str | None = None
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        if not stripped or len(stripped) > 300:
            continue
        c = classify_line(stripped, text)
        if c.cls == "item":
            pending, context = [], None
            continue
        if c.cls != "heading" or c.heading is None:
            continue
        kind = c.heading.kind
        if kind == "decision" and context in _QUOTE_CONTEXT:
            pending.append(i)
            continue
        if kind in ("proposal", "decision"):
            quoted.update(pending)
            pending = []
        context = kind
    if quoted:
        logger.debug("%d decision headings inside background read as text", len(quoted))
    return quoted


_EMPTY_DECISION = re.compile(
    rf"^(?:(?:{BODY_NP})\s+)?(?:beslutade|beslutar|beslöt|päätti|päättää|decided)\s*:?$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[_\-–—=.\s]*$")


def _empty_decision(s: RawSection) -> bool:
    """An agenda's decision field ("Stadsstyrelsens beslut:" followed by nothing, or by "Kommunfullmäktige
    beslutade" and no words after) is not a decision."""
    if s.kind != "decision":
        return False
    texts = [t for line in s.lines if (t := " ".join(line.text.split())) and not _SEPARATOR.match(t)
             and not genre.is_web_chrome(t)]
    return not texts or (len(texts) == 1 and bool(_EMPTY_DECISION.match(texts[0])))


_CONTACT_BITS = re.compile(
    r"\S+@\S+|\((?:[^()]*)\)|\b(?:p\.|puh\.?|tel\.?|tfn\.?)\s*[\d +-]{6,}|[\d +-]{9,}$", re.IGNORECASE)


def _people(s: RawSection) -> tuple[str, ...]:
    """The names in a preparer/presenter/conflict section, one per line, without contact details; the
    first line that is no person's name ends the list (PDF text runs on into the background)."""
    found: list[str] = []
    for line in s.lines:
        if found and not looks_like_person(line.text):
            break
        t = " ".join(line.text.split())
        if s.label and t.lower().startswith(s.label.lower()):
            t = t[len(s.label):]
        t = _CONTACT_BITS.sub("", t).strip(" :,;-–")
        t = re.sub(r"\s*,\s*$", "", re.sub(r",\s*,", ",", t))
        if t and len(t) <= 120:
            found.append(t)
    return tuple(found)


_NAMED_PROPOSAL = re.compile(r"^(?P<who>.+?)(?::s|s|n)\s+\S+$")


def _presenter_of(s: RawSection) -> str | None:
    """Who presents a proposal: "Stadsdirektör Martin Norrgårds förslag" → "Stadsdirektör Martin Norrgård",
    "Päätösehdotus Hyvinvointialuejohtaja Svahn Sanna" → "Hyvinvointialuejohtaja Svahn Sanna"."""
    label = s.label or ""
    if len(label.split()) >= 3 and (m := _NAMED_PROPOSAL.match(label)):
        return m.group("who")
    first = next((" ".join(line.text.split()) for line in s.lines if line.text.strip()), "")
    if label and first.lower().startswith(label.lower()):
        rest = first[len(label):].strip(" :")
        if rest and len(rest.split()) <= 5 and not is_prose(rest) and rest[:1].isupper():
            return rest
    return None


@dataclass(frozen=True)
class _HandlingFacts:
    preparers: tuple[str, ...] = ()
    presenter: str | None = None
    conflicts: tuple[str, ...] = ()
    vote: str | None = None
    ballots: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _handling_facts(raw: list[RawSection]) -> dict[int, _HandlingFacts]:
    """Per handling: its preparers, presenter, declared conflicts of interest, vote count and roll call."""
    groups: dict[int, list[RawSection]] = {}
    for s in raw:
        groups.setdefault(id(s.handling), []).append(s)
    facts = {}
    for key, group in groups.items():
        preparers = tuple(p for s in group if s.kind == "preparer" for p in _people(s))
        presenters = [p for s in group if s.kind == "presenter" for p in _people(s)]
        presenter = presenters[0] if presenters else next(
            (p for s in group if s.kind == "proposal" and (p := _presenter_of(s))), None)
        said = genre.conflicts_in("\n".join(line.text for s in group if s.kind not in ("attachments",)
                                             for line in s.lines))  # "Ola Ström anmälde jäv …"
        listed = tuple(p for s in group if s.kind == "conflict"
                       and not genre.conflicts_in("\n".join(x.text for x in s.lines))
                       for p in _people(s))  # "Jäv:" / "Ola Ström"
        conflicts = listed + tuple(p for p in said if p not in listed)
        voted = "\n".join(line.text for s in group if s.kind in ("decision", "handling") for line in s.lines)
        ballots = tuple((kind, names) for kind, names in genre.roll_call(voted).items())
        facts[key] = _HandlingFacts(preparers, presenter, conflicts, genre.vote_count(voted), ballots)
    return facts


def _section(s: RawSection, preamble: Handling, title: str, resolution: str | None,
             facts: _HandlingFacts | None = None) -> Section:
    h = s.handling
    item_title = None
    if s.item is None:
        path: tuple[str, ...] = (preamble.label or title,)
        case = h.case_number
    else:
        main = s.item.main
        path = (f"§ {main.item}",) if main.item else (s.item.title or title,)
        item_title = s.item.title if main.item else None
        if h is not main and h.label:
            path += (h.label,)
        case = h.case_number or main.case_number
    if s.label:
        path += (s.label,)
    return Section(
        heading_path=tuple(_short(p, MAX_PATH_PART) for p in path), kind=s.kind, lines=_trim(s.lines),
        body=h.body, meeting_date=h.date, item=h.item, case_number=case, item_title=item_title,
        resolution=resolution,
        **(_facts_fields(facts, s.kind) if facts else {}),
    )


def _facts_fields(facts: _HandlingFacts, kind: str) -> dict:
    """The handling's facts on each of its sections (the vote on its decision and handling sections)."""
    return {"preparers": facts.preparers, "presenter": facts.presenter, "conflicts": facts.conflicts,
            "vote": facts.vote if kind in ("decision", "handling") else None,
            "ballots": facts.ballots if kind in ("decision", "handling") else ()}

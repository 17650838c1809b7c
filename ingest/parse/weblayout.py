"""Web decision pages as publishing systems print them: their chrome removed, their own lines read.

Dynasty ("Dynasty tietopalvelu Haku RSS <kaupunki>"), CloudNC, paatokset.hel.fi, Tweb, ah.turku.fi,
municipal decision bulletins and document-hosting transcripts (docplayer, 5dok, yumpu) wrap a decision
in lines that are no part of it. Before parsing, those lines are dropped (what they say about the page —
the organisation in Dynasty's banner, the body in a breadcrumb, the document's name in docplayer's
"Download" line — is kept as `WebFacts`), HTML markup left in the text is removed, and the systems' own
forms are rewritten to the genre's: ah.turku.fi's glued handling table ("Kaupunginvaltuusto12325.08.20143")
becomes handling lines with the page's own handling first, and a bulletin's "§ 463 Title: Hyväksyttiin."
becomes an item header followed by its decision.

What the page's head says is kept too: Dynasty's item head ("Kunnanvaltuusto" / "Pöytäkirja 31.10.2017/Pykälä
80": body, meeting date, § and the item's title below its handling table), a bulletin's head line with a
headline before it or the year in the lines after it, a meeting page's "Möte 2019-10-28", and a transcript's
cover run together on one line (docplayer, 5dok, vdocuments; also without the site's marks): the body its
first words or its notice box name ("Organ Kommunstyrelsens arbetsutskott") and the meeting date a cover
label gives ("Sammanträdesdatum: 2018-10-02"), never a display, posting or checking date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import genre
from ingest.parse.dates import find_dates, first_date, to_iso
from ingest.parse.vocab import ABBREVIATIONS, is_body_name
from ingest.records import Line

logger = logging.getLogger(__name__)

MARKUP = re.compile(r"</?(?:br|strong|b|i|em|p|span|u|sup|sub)\b[^>]{0,40}>", re.IGNORECASE)
_DYNASTY = re.compile(r"^dynasty (?:tietopalvelu|informationstjänst|informationsservice)\b.*?\brss\s+"
                      r"(?P<org>.+)$", re.IGNORECASE)
_DOWNLOAD = re.compile(r'^(?:download|share)\s+"(?P<title>[^"]{4,200})"\s*$', re.IGNORECASE)
# A transcript site's own marks: the page is a PDF's text as docplayer, 5dok or vdocuments print it.
_TRANSCRIPT_MARK = re.compile(r"^(?:transkript(?:io)?|transcript|full text|(?:storlek|koko): px|"
                              r"loading\.+ \(view fulltext now\)|upload: \w+)$", re.IGNORECASE)
# Dynasty's head of one item: "Kunnanvaltuusto" / "Pöytäkirja 31.10.2017/Pykälä 80" (an agenda's
# "Esityslista 15.12.2025/Asianro 4" numbers the agenda's matter, not a §).
_DYNASTY_HEAD = re.compile(r"^(?P<kind>[A-ZÅÄÖ][\wåäö]+)\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*/\s*"
                           r"(?P<label>[A-ZÅÄÖ][\wåäö]+)\s*(?P<num>\d{1,4})$")
_DYNASTY_ITEM_LABELS = ("pykälä", "paragraf")
# A meeting page's head line: "Möte 2019-10-28", "Kokous 12.3.2024".
_MEETING_HEAD = re.compile(rf"^(?i:{'|'.join(w for w in genre.bulletin_words() if ' ' not in w)})\s*:?\s*"
                           rf"(?P<date>{genre.DATE_NUMERIC})$")
_MEETING_CUE = re.compile(rf"\b(?i:{'|'.join(re.escape(c) for c in genre.meeting_date_cues())})\b")
_PAPER_WORD = re.compile(rf"\b(?i:{'|'.join(genre.paper_chrome())})\b")
# Lines of a Dynasty item's handling table and case numbers, never its title: "§ 6", "31.10.2017",
# "47/00.02/2016", "Asianro 579/10.03.00.01/2021", "S/Kunnanhallitus salainen", "KhallS 31.10.2017 § 6".
_DYNASTY_NOT_TITLE = re.compile(r"^(?:§\s*\d+|\d{1,2}\.\d{1,2}\.\d{4}|[\d/.:-]+|\w+\s+[\d/.]+/\d{4}|"
                                r"[A-ZÅÄÖ]{1,3}/.*|.*\s§\s*\d{1,4})$")
# The line after which a CMS page has only its footer (address, contacts, links).
_FOOTER_START = re.compile(
    r"^(?:sidan granskad|sidan uppdaterad|sivua päivitetty|sivu päivitetty|page updated|sidansvarig)\b",
    re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^(?:din position|olet tässä|you are here)\s*:\s*(?P<path>.+)$",
                         re.IGNORECASE)
# ah.turku.fi: "Kaupunginhallitus31718.08.20145" = body, § 317, 18.08.2014, item 5
_TURKU_ROW = re.compile(
    r"^(?P<body>[A-ZÅÄÖ][\w-]+?)(?P<num>\d{1,4})(?P<date>\d{2}\.\d{2}\.\d{4})(?P<asia>\d{1,3})$")
_TURKU_HEAD = re.compile(r"^.{0,40}§\s*Kokouspvm\s*Asia\d*$|^.{0,40}§\s*Sammanträdesdatum\s*Ärende\d*$",
                         re.IGNORECASE)
# A bulletin's line per §: "§ 463 Oy Vaasan Asumisoikeus, laina-ajan jatkaminen: Hyväksyttiin."
_BULLETIN_ITEM = re.compile(r"^§\s*(?P<num>\d{1,4})\s+(?P<title>[^:]{3,160}?)\s*:\s+(?P<decision>\S.*)$")
_SIGN_HEADER = re.compile(r"^§\s*\d{1,4}\s+\S")
# "Kaupunginhallituksen päätökset 4.12.2017", "Stadsfullmäktiges beslut 25.5.2022",
# "Oulun kaupunginhallitus 18.3.2019, ennakkotiedote päätöksistä", "Stadsfullmäktiges sammanträde 13.12."
# Heads by their stems, so genitives match: "hallitus" ~ "hallituksen", "lautakunta" ~ "lautakunnan".
_HEADS = "|".join(sorted({h[:max(5, len(h) - 3)] for h in genre.body_heads()}, key=len, reverse=True))
_BULLETIN_WORDS = "|".join(sorted(genre.bulletin_words(), key=len, reverse=True))
# A headline may come first: "Talousarvio 2020 hyväksyttiin - Oulun kaupunginvaltuuston päätöksiä 9.12.2019".
_BULLETIN_HEAD = re.compile(
    r"^(?:[^–-]{3,80}\s[–-]\s)?"
    rf"(?:[A-ZÅÄÖ][\w-]+(?:n|s)\s+)?(?P<body>(?=[A-ZÅÄÖa-zåäö])[\w-]*(?i:{_HEADS})\w{{0,8}})\s*(?:[,:–-]\s*)?"
    rf"(?:(?i:{_BULLETIN_WORDS})\s+)?"
    r"(?P<date>\d{1,2}\.\d{1,2}\.(?:\d{4})?)",
)


@dataclass(frozen=True)
class WebFacts:
    """What a page's chrome says about it: the publishing organisation, a body named in the breadcrumb,
    the document's name in a transcript site's "Download" line, and a bulletin's head line."""

    organisation: str | None = None
    body: str | None = None
    document_name: str | None = None
    bulletin_body: str | None = None
    bulletin_date: str | None = None  # ISO when the year is printed
    bulletin_date_raw: str | None = None
    bulletin: bool = False  # a decision bulletin: many §§, one short paragraph each
    bulletin_head: str | None = None  # the head line itself: "Kaupunginhallituksen päätökset 6.5.2019"
    item_body: str | None = None  # Dynasty's head of one item: body, meeting date, § and the item's title
    item_date: str | None = None
    item: str | None = None
    item_title: str | None = None
    transcript: bool = False  # a transcript site's page of a PDF (docplayer, 5dok, vdocuments)
    transcript_body: str | None = None  # the body and meeting date its cover names
    transcript_date: str | None = None
    transcript_minutes: bool = False  # its first words are a minutes cover's ("PÖYTÄKIRJA", "Plats och tid")
    head_date: str | None = None  # a meeting page's head line: "Möte 2019-10-28", "Kokous 12.3.2024"


def body_nominative(word: str) -> str | None:
    """"Kaupunginhallituksen" → "Kaupunginhallitus", "Stadsfullmäktiges" → "Stadsfullmäktige"."""
    low = word.lower()
    for body in genre.bodies():
        name = body.name
        if " " in name:
            continue
        if low == name or (len(name) > 6 and low.startswith(name[:-2]) and len(low) - len(name) <= 5):
            return name[:1].upper() + name[1:]
    return None


def _bulletin_head(text: str, following: list[str] | None = None) -> tuple[str, str | None, str] | None:
    """(body, ISO date, date as printed) of a bulletin's head line; a head without the year
    ("Kaupunginhallituksen päätöksiä 12.11.") takes it from the lines after it that repeat the day
    ("… päätöksistä 12.11.2019")."""
    if len(text) > 140 or "§" in text:
        return None
    m = _BULLETIN_HEAD.search(text)
    if not m:
        return None
    body = body_nominative(m.group("body")) or (m.group("body") if is_body_name(m.group("body")) else None)
    if body is None:
        return None
    found = first_date(text[m.start("date"):])
    day_month = [int(x) for x in m.group("date").split(".")[:2]]
    if found is None and m.group("date").endswith("."):
        found = next((d for later in (following or [])[:4] for d in find_dates(later)
                      if [int(x) for x in reversed(d.iso.split("-")[1:])] == day_month), None)
    return body, found.iso if found else None, m.group("date")


_NOTICE = re.compile(rf"(?i:{'|'.join(re.escape(c) for c in genre.notice_date_cues())})")
_COVER_FIELDS = {field: re.compile(
    rf"(?<!\w)(?:{'|'.join(label.pattern for label in genre.cover_labels() if label.field == field)})(?!\w)",
    re.IGNORECASE) for field in ("time", "place", "organ")}


def _cover_on_one_line(text: str) -> bool:
    """A protocol's cover run together on one line, as a PDF's text: its time and place labels, each
    capitalised, in the first words ("12/2008 370 Stadsstyrelsen TID - AIKA 04.06.2008 … PLATS - PAIKKA")."""
    head = text[:250]
    found = [[m.group(0) for m in _COVER_FIELDS[field].finditer(head)] for field in ("time", "place")]
    return all(found) and any(word[:1].isupper() for words in found for word in words)


def _dynasty_title(lines: list[Line]) -> str | None:
    """The first line after Dynasty's head that is no handling-table cell, body name or case number."""
    for line in lines[:30]:
        text = " ".join(line.text.split())
        if not text or genre.is_web_chrome(text) or is_body_name(text) or _DYNASTY_NOT_TITLE.match(text):
            continue
        return text if len(text) >= 4 else None
    return None


def _everything(lines: list[Line], limit: int = 4000) -> str:
    """The first `limit` characters of the lines' text, on one line."""
    return " ".join(" ".join(x.text.split()) for x in lines if x.text.strip())[:limit]


def _transcript_head(lines: list[Line], document_name: str | None) -> tuple[str | None, str | None]:
    """The body and meeting date a transcript's cover names in its first words ("1 LOVIISAN KAUPUNKI
    PÖYTÄKIRJA 7/ Kaupunginhallitus AIKA …", "Download "Fullmäktige 21.10.2013 Sida 1 / 79""): the first
    body's name in nominative, and the first full date that no display or posting cue precedes."""
    cover = _everything(lines, 600)
    name = " ".join((document_name or "").split())
    name = name[:90] + name[90:].split(" ", 1)[0]  # never a word cut in two ("Kommunstyrelse")
    body = None
    for text in (name, cover[:300]):
        words = text.replace(":", " ").split()
        for i, word in enumerate(words):
            known = ABBREVIATIONS.get(word.lower().rstrip(",.")) if word.isupper() else None
            if known and not known.startswith("*"):  # "Protokoll KF 2017-06-21.pdf", "SSTYR, 2015-04-14"
                body = known[:1].upper() + known[1:]
                break
            joined = i >= 2 and words[i - 1] in ("och", "ja") and words[i - 2].endswith("-")
            before = words[i - 1] if i >= 1 else ""
            named = before[:1].isupper() and not before.isupper() and word.islower() and is_body_name(
                f"{before} {word}")  # "Tekninen lautakunta", "Tekniska nämnden"
            if not (word[:1].isupper() or joined or named) or not is_body_name(word.capitalize()) or (
                    word.isupper() and len(word) < 5):
                continue
            start = i
            if joined:
                start = i - 2  # "Social- och hälsovårdsnämnden"
            elif named:
                start = i - 1
            elif i >= 1 and words[i - 1][:1].isupper() and body_nominative(words[i - 1]) and \
                    words[i - 1].lower().endswith(("s", "n")):
                start = i - 1  # "Kommunstyrelsens arbetsutskott"
            span = " ".join(words[start:i + 1])
            body = span[:1].upper() + span[1:].lower() if span.isupper() else span
            break
        if body:
            break
    # the notice box further down the cover: "Organ Kommunstyrelsens arbetsutskott", "Organ Kommunfullmäktige
    # Sammanträdesdatum 2021-03-02"
    everything, box_date = _everything(lines), None
    for m in _COVER_FIELDS["organ"].finditer(everything):
        words = everything[m.end():].replace(":", " ").split()[:4]
        boxed = next((" ".join(words[:n]) for n in range(len(words), 0, -1)
                      if words and words[0][:1].isupper() and is_body_name(" ".join(words[:n]))), None)
        if boxed:
            body = body or boxed
            after = everything[m.end():m.end() + 100]
            box_date = next((d.iso for d in find_dates(after)
                             if _COVER_FIELDS["time"].search(after[max(0, d.start - 25):d.start])
                             and not _NOTICE.search(after[:d.start])), None)
            break
    if body and " " not in body and len(body) >= 8:
        # a body named by its head alone ("Beslutsinstans: Arbetsutskottet") takes the fuller name the page
        # gives it ("Socialnämndens arbetsutskott")
        stem = re.escape(body.lower()[:-2])
        fuller = re.search(rf"\b((?:[A-ZÅÄÖ][\w-]+\s+)?[\w-]+s)\s+((?i:{stem})\w{{0,4}})\b", everything)
        if fuller and fuller.group(1)[:1].isupper() and is_body_name(f"{fuller.group(1)} {fuller.group(2)}") \
                and body_nominative(fuller.group(1).split()[-1]):
            body = f"{fuller.group(1)} {fuller.group(2)}"
    full = " ".join((document_name or "").split())
    # a date its label names first ("Sammanträdesdatum: 2018-10-02", "AIKA 12.06.2017", "Organ och
    # sammanträdesdatum Kommunstyrelsen 2014-09-09"), else the first date no display or posting cue
    # ("Plats och tid för justeringen … 2013-04-22", "Kaupunginvirastossa 24.06.2014") precedes
    for text in (full, cover):
        for found in find_dates(text):
            labelled = _COVER_FIELDS["time"].search(text[max(0, found.start - 40):found.start])
            if labelled and not _NOTICE.search(text[max(0, found.start - 60):found.start]):
                return body, found.iso
    if box_date:
        return body, box_date
    for text in (name, cover):
        for found in find_dates(text):
            if not _NOTICE.search(text[max(0, found.start - 60):found.start]):
                return body, found.iso
    return body, None


def read_web_layout(lines: list[Line], language: str) -> tuple[list[Line], WebFacts]:
    """The page's lines without chrome and markup, in the genre's forms; and what the chrome said."""
    organisation = body = document_name = None
    transcript = False
    dynasty: tuple[re.Match[str], str, int] | None = None  # the head, its body, where it stands in `out`
    out: list[Line] = []
    turku_rows: list[re.Match[str]] = []
    for line in lines:
        text = " ".join(MARKUP.sub(" ", line.text).split())
        if text != " ".join(line.text.split()):
            line = Line(text, page=line.page, level=line.level)
        if not text:
            out.append(line)
            continue
        if m := _DYNASTY.match(text):
            organisation = organisation or m.group("org").split(" - ")[0].strip()
            continue
        if m := _DOWNLOAD.match(text):
            document_name = document_name or m.group("title")
            transcript = True
            continue
        if _TRANSCRIPT_MARK.match(text):
            transcript = True
            continue
        if dynasty is None and organisation and (m := _DYNASTY_HEAD.match(text)):
            before = next((x.text.strip() for x in reversed(out) if x.text.strip()), "")
            if is_body_name(before):
                dynasty = (m, before.rstrip(":"), len(out))
        if m := _BREADCRUMB.match(text):
            parts = [p.strip() for p in m.group("path").split(">")]
            body = body or next((p for p in reversed(parts) if is_body_name(p)), None)
            continue
        if _TURKU_HEAD.match(text):
            out.append(Line(text.split("§")[0].strip(), page=line.page))  # "Turun kaupunki"
            continue
        if _URL_ONLY.match(text):
            continue
        if m := _TURKU_ROW.match(text):
            if is_body_name(m.group("body")):
                turku_rows.append(m)
                continue
        if turku_rows:  # the table ended: the page's own handling (the last row) first
            out.extend(Line(f"{r.group('body')} {r.group('date')} § {r.group('num')}", page=line.page)
                       for r in reversed(turku_rows))
            turku_rows = []
        if _FOOTER_START.match(text):  # "Sidan granskad 2019-06-18": the site's footer follows, as contact
            out.append(Line("Kontakt" if language == "sv" else "Yhteystiedot", page=line.page))
            if genre.is_web_chrome(text):
                continue
        if genre.is_web_chrome(text):
            continue
        out.append(line)
    head = [" ".join(x.text.split()) for x in out[:60] if x.text.strip()][:15]
    head_date = next((to_iso(m.group("date")) for t in head[:6] if (m := _MEETING_HEAD.match(t))), None)
    bulletin_head, head_line = None, None
    for i, t in enumerate(head):
        if h := _bulletin_head(t, head[i + 1:]):
            bulletin_head, head_line = h, t
            break
    signs = sum(bool(_SIGN_HEADER.match(x.text.strip())) for x in out)
    headings = sum(bool(re.match(r"^(?:päätös|beslut|päätösehdotus|förslag till beslut|selostus|"
                                 r"ärendebeskrivning|perustelut)\b", x.text.strip(), re.IGNORECASE))
                   for x in out)
    bulletin = bulletin_head is not None and signs >= 2 and headings == 0
    if bulletin:
        out = _bulletin_items(out, language)
    facts = WebFacts(
        organisation=organisation, body=body, document_name=document_name,
        bulletin_body=bulletin_head[0] if bulletin_head else None,
        bulletin_date=bulletin_head[1] if bulletin_head else None,
        bulletin_date_raw=bulletin_head[2] if bulletin_head else None, bulletin=bulletin,
        bulletin_head=head_line, head_date=head_date,
    )
    if dynasty is not None:
        m, item_body, at = dynasty
        facts = replace(facts, item_body=item_body, item_date=to_iso(m.group("date")),
                        item=m.group("num") if m.group("label").lower() in _DYNASTY_ITEM_LABELS else None,
                        item_title=_dynasty_title(out[at + 1:]))
    first = next((t for t in head if not genre.is_web_chrome(t)), "")
    opening = " ".join(t for t in head if not genre.is_web_chrome(t))[:400]
    cover = bool(_PAPER_WORD.search(opening) or _cover_on_one_line(opening))
    if not transcript and len(first) >= 150 and cover:
        transcript = True  # "KEMIJÄRVEN KAUPUNKI PÖYTÄKIRJA 6/2017 1 Kaupunginvaltuusto AIKA 12.06.2017 …"
    # a transcript site's notice of a meeting ("Kommunfullmäktige … sammanträder … den 22 april 2014") dates
    # its meeting too; a report's or a memo's date is no meeting's
    cover = cover or bool(_MEETING_CUE.search(opening))
    if transcript:
        transcript_body, transcript_date = _transcript_head(out, document_name)
        facts = replace(facts, transcript=True, transcript_minutes=cover, transcript_body=transcript_body,
                        transcript_date=transcript_date)
    return out, facts


def _bulletin_items(lines: list[Line], language: str) -> list[Line]:
    """Each § of a bulletin as an item: "§ N Title" then a decision heading and the decision text."""
    label = "Beslut" if language == "sv" else "Päätös"
    out: list[Line] = []
    for i, line in enumerate(lines):
        text = " ".join(line.text.split())
        m = _BULLETIN_ITEM.match(text)
        if m:
            out.append(Line(f"§ {m.group('num')} {m.group('title')}", page=line.page))
            out.append(Line(label, page=line.page))
            out.append(Line(m.group("decision"), page=line.page))
            continue
        out.append(line)
        if _SIGN_HEADER.match(text):
            following = next((x.text.strip() for x in lines[i + 1:] if x.text.strip()), "")
            if following and not _SIGN_HEADER.match(following):
                out.append(Line(label, page=line.page))
    return out


_TRANSCRIPT_WORD = r"(?i:pöytäkirja|protokoll|esityslista|föredragningslista|kokouspöytäkirja)"
_TRANSCRIPT_FORMS = (
    # docplayer: "Hailuodon kunta PÖYTÄKIRJA 3/2015 … Kunnanvaltuusto"
    re.compile(rf"(?P<word>{_TRANSCRIPT_WORD})\s+(?P<num>\d{{1,3}}/(?:\d{{4}})?)\s+(?P<body>[A-ZÅÄÖ][\w-]+)"),
    # docplayer: "9/ Kaupunginhallitus TID - AIKA"
    re.compile(r"(?<![\w/])(?P<num>\d{1,3}/(?:\d{4})?)\s+(?P<body>[A-ZÅÄÖ][\w-]+)\s+(?:TID|AIKA|PLATS|PAIKKA)\b"),
    # 5dok: "INNEHÅLLSFÖRTECKNING SSTYR, 2015-12-01 18:00, Protokoll"
    re.compile(rf"\b(?P<body>[A-ZÅÄÖ]{{2,6}}),\s+(?P<date>{genre.DATE_NUMERIC})[^,]{{0,12}},\s+(?P<word>{_TRANSCRIPT_WORD})"),
)


def transcript_title(text: str, language: str, document_name: str | None = None) -> tuple[str, str] | None:
    """(title, body) of a minutes transcript from the lines its hosting site prints: "Kunnanvaltuusto
    pöytäkirja 3/2015", "Stadsstyrelsen 2015-12-01 protokoll" — never the cover's first line."""
    from ingest.parse.vocab import ABBREVIATIONS

    head = text[:4000]
    for form in _TRANSCRIPT_FORMS:
        for m in form.finditer(head):
            raw = m.group("body")
            body = (ABBREVIATIONS.get(raw.lower()) if raw.isupper() else None) or (
                raw if is_body_name(raw) else None)
            if body is None or body.startswith("*"):
                continue
            groups = m.groupdict()
            word = (groups.get("word") or ("protokoll" if language == "sv" else "pöytäkirja")).lower()
            word = {"kokouspöytäkirja": "pöytäkirja"}.get(word, word)
            num = groups.get("num") or ""
            year = re.search(rf"{re.escape(num)}(\d{{4}})", document_name or "") if num[-1:] == "/" else None
            if year:
                num += year.group(1)
            when = groups.get("date") or ""
            return " ".join(p for p in (body, when, word, num) if p), body
    return None

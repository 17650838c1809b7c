"""Web decision pages as publishing systems print them: their chrome removed, their own lines read.

Dynasty ("Dynasty tietopalvelu Haku RSS <kaupunki>"), CloudNC, paatokset.hel.fi, Tweb, ah.turku.fi,
municipal decision bulletins and document-hosting transcripts (docplayer, 5dok, yumpu) wrap a decision
in lines that are no part of it. Before parsing, those lines are dropped (what they say about the page —
the organisation in Dynasty's banner, the body in a breadcrumb, the document's name in docplayer's
"Download" line — is kept as `WebFacts`), HTML markup left in the text is removed, and the systems' own
forms are rewritten to the genre's: ah.turku.fi's glued handling table ("Kaupunginvaltuusto12325.08.20143")
becomes handling lines with the page's own handling first, and a bulletin's "§ 463 Title: Hyväksyttiin."
becomes an item header followed by its decision.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import genre
from ingest.parse.dates import first_date
from ingest.parse.vocab import is_body_name
from ingest.records import Line

logger = logging.getLogger(__name__)

MARKUP = re.compile(r"</?(?:br|strong|b|i|em|p|span|u|sup|sub)\b[^>]{0,40}>", re.IGNORECASE)
_DYNASTY = re.compile(r"^dynasty (?:tietopalvelu|informationstjänst|informationsservice)\b.*?\brss\s+"
                      r"(?P<org>.+)$", re.IGNORECASE)
_DOWNLOAD = re.compile(r'^download\s+"(?P<title>[^"]{4,200})"\s*$', re.IGNORECASE)
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
_BULLETIN_HEAD = re.compile(
    rf"^(?:[A-ZÅÄÖ][\w-]+(?:n|s)\s+)?(?P<body>[A-ZÅÄÖa-zåäö][\w-]*(?i:{_HEADS})\w{{0,8}})\s*(?:[,:–-]\s*)?"
    r"(?:(?:päätökset|päätöksiä|beslut|sammanträde|sammanträdes beslut|kokous|möte)\s+)?"
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


def body_nominative(word: str) -> str | None:
    """"Kaupunginhallituksen" → "Kaupunginhallitus", "Stadsfullmäktiges" → "Stadsfullmäktige"."""
    low = word.lower()
    for body in genre.bodies():
        name = body.name
        if " " in name:
            continue
        if low == name or (len(name) > 6 and low.startswith(name[:-2]) and len(low) - len(name) <= 3):
            return name[:1].upper() + name[1:]
    return None


def _bulletin_head(text: str) -> tuple[str, str | None, str] | None:
    if len(text) > 140 or "§" in text:
        return None
    m = _BULLETIN_HEAD.search(text)
    if not m:
        return None
    body = body_nominative(m.group("body")) or (m.group("body") if is_body_name(m.group("body")) else None)
    if body is None:
        return None
    found = first_date(text)
    return body, found.iso if found else None, m.group("date")


def read_web_layout(lines: list[Line], language: str) -> tuple[list[Line], WebFacts]:
    """The page's lines without chrome and markup, in the genre's forms; and what the chrome said."""
    organisation = body = document_name = None
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
            continue
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
    out = [x for x in out]
    head = [" ".join(x.text.split()) for x in out[:60] if x.text.strip()][:15]
    bulletin_head = next((h for t in head if (h := _bulletin_head(t))), None)
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
    )
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

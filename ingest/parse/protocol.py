"""The layout of published protocols, read before the item parser: cover page, table of contents, the
item header block some publishing systems print at the page FOOT in text order, attachment pages, and
OCR's reading of "§" as "8" or "S".

A Nykarleby-style PDF page ends, in text order, with "28 §" / "Protokoll 29.05.2023 Sida" /
"Personalsektionen" / "28 §" (printed at the top of the page); an attachment page ends with
"Bilaga Personalsektionen, 29.05.2023 § 30". Left in, these lines open a new item at the end of every
page. Here they are removed, and their § number decides which item a page belongs to: a page whose
number differs from the previous page's starts that item (a header line "28 §" is put at its top), an
attachment page goes under its item's `Bilaga` and is read as text (its own "§ 4" or "Beslut:" is
background, not the protocol's). The cover page becomes one "meeting" section with `MeetingFacts`;
the contents become a "contents" section whose numbers check the items found.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

import genre
from ingest.parse.dates import first_date
from ingest.parse.vocab import MINUTES_CHROME, is_body_name, match_heading
from ingest.records import Line, MeetingFacts

logger = logging.getLogger(__name__)

_DATE = genre.DATE_NUMERIC
_PAGE_WORD = r"(?:sida|sivu|sda|s1da|page)"
_DOC_WORD = r"(?:protokoll|pöytäkirja|föredragningslista|esityslista|kokouskutsu|kallelse)"
# "Protokoll 29.05.2023 Sida", "Protokoll 268 29.05.2023 Sda" (OCR: "26§"), "Pöytäkirja 12.3.2024 Sivu 4"
_RUNNING = re.compile(
    rf"^{_DOC_WORD}\s+(?:(?P<num>\d{{1,4}})\s*[§8S]?\s+)?(?:{_DATE})\s+{_PAGE_WORD}\b\s*\d*$", re.IGNORECASE)
# OCR splits the block: "388 29.05.2023 Sida" (38 §) apart from "Protokoll"
_RUNNING_BARE = re.compile(rf"^(?P<num>\d{{1,4}})\s*[§8S]?\s+(?:{_DATE})\s+{_PAGE_WORD}\b\s*\d*$",
                           re.IGNORECASE)
_DOC_ALONE = re.compile(rf"^{_DOC_WORD}$", re.IGNORECASE)
_FRAGMENT = re.compile(r"^\S{1,15}(?:\s+\d{1,4})?$")  # "Personalsekti", "onen 76": a header cut by OCR
_ITEM_NUMBER = re.compile(r"^(?:(?P<a>\d{1,4})\s*§|§\s*(?P<b>\d{1,4}))$")
# "Bilaga Personalsektionen, 29.05.2023 § 30", "Liite Kaupunginhallitus 12.3.2024 § 41" (OCR: "8 30")
_ATTACHMENT_FOOT = re.compile(
    rf"^(?:bilaga|bil\.|liite)\s+.{{2,60}}?,?\s+(?:{_DATE})\s*(?:§|8|S)\s*(?P<num>\d{{1,4}})$", re.IGNORECASE)
_BODY_AND_PAGE = re.compile(r"^(?P<body>.{3,60}?)\s+\d{1,4}$")
_SHOUTED = re.compile(r"^[A-ZÅÄÖ\W\d]{2,40}$")  # "NYKARLEBY", "UUSIKAARLEPYY" over OCR'd pages
_ZONE = 7  # lines at a page's foot (or, after OCR, its top) that may belong to the header block

# "25 § Sammanträdets laglighet och beslutförhet ..... 1", "§ 144 Sammanträdets laglighet ... 2",
# "258 Val av protokolljusterare ...... 2" (OCR), "- Bilaga 1, Protokoll AKTA förhandling ..... 8"
_LEADER = r"(?:\s*(?:\.\s*){3,}|\s*…+)\s*(?P<page>\d{1,4})$"
_CONTENTS_ITEM = re.compile(
    rf"^(?:§\s*(?P<b>-?\d{{1,4}})|(?P<a>\d{{1,4}})\s*[§8S])\s+(?P<title>.+?){_LEADER}")
_CONTENTS_OTHER = re.compile(rf"^.{{2,}}?{_LEADER}")

# OCR's "§": "268 Val av protokolljusterare" (26 §), "41 8 Arbetsvärdering", "…, 28 8" at a line's end.
_OCR_HEAD = re.compile(r"^(?P<num>\d{1,3})\s?[8S]\s+(?P<rest>[A-ZÅÄÖ].*)$")
_OCR_TAIL = re.compile(r"(?P<head>(?:^|,|\s)\s*)(?P<num>\d{1,3})\s[8S]$")


@dataclass(frozen=True)
class ContentsEntry:
    """One item of a table of contents: its § number, title and printed page."""

    num: str
    title: str
    page: int | None


@dataclass(frozen=True)
class Layout:
    """What the layout pass found: the lines left for the item parser, which of them are read as text,
    the cover (lines and facts) and the contents (lines and entries)."""

    lines: tuple[Line, ...]
    as_text: frozenset[int] = frozenset()
    cover: tuple[Line, ...] = ()
    meeting: MeetingFacts | None = None
    contents: tuple[Line, ...] = ()
    entries: tuple[ContentsEntry, ...] = ()
    attachment_pages: frozenset[int] = field(default_factory=frozenset)


# --- OCR'd section signs ---------------------------------------------------------------------------
def fix_section_sign(text: str, known: frozenset[str] | set[str], expected: str | None = None) -> str:
    """"268 Val av protokolljusterare" → "26 § Val av protokolljusterare" when 26 is an item the contents
    list (or the next item expected) and 268 is not; "Personalsektionen 29.5.2023, 28 8" → "… 28 §"."""
    candidates = set(known) | ({expected} if expected else set())
    if not candidates or "§" in text:
        return text
    m = _OCR_HEAD.match(text)
    if m and m.group("num") in candidates:
        glued = m.group("num") + text[len(m.group("num"))]
        if glued not in candidates:
            return f"{m.group('num')} § {m.group('rest')}"
    m = _OCR_TAIL.search(text)
    if m and m.group("num") in candidates:
        return text[: m.start("num")] + m.group("num") + " §"
    return text


# --- contents ---------------------------------------------------------------------------------------
def _contents_entry(text: str) -> ContentsEntry | None:
    m = _CONTENTS_ITEM.match(text) if len(text) <= 400 else None
    if not m:
        return None
    num = m.group("a") or m.group("b")
    return ContentsEntry(num=num, title=" ".join(m.group("title").split()), page=int(m.group("page")))


def _is_contents_line(text: str) -> bool:
    return len(text) <= 400 and bool(_CONTENTS_ITEM.match(text) or _CONTENTS_OTHER.match(text))


def _fix_contents_numbers(entries: list[ContentsEntry]) -> list[ContentsEntry]:
    """OCR'd contents read "25 §" as "258": where the numbers run 25, 26, … the glued 8 goes."""
    fixed: list[ContentsEntry] = []
    for i, e in enumerate(entries):
        prev = fixed[-1].num if fixed else None
        if (len(e.num) >= 2 and e.num[-1] == "8" and prev and prev.isdigit()
                and int(e.num[:-1]) == int(prev) + 1):
            e = ContentsEntry(e.num[:-1], e.title, e.page)
        fixed.append(e)
    return fixed


# --- cover ------------------------------------------------------------------------------------------
_LABELS = tuple((label.field, re.compile(rf"^(?:{label.pattern})(?=$|[\s:])\s*:?\s*", re.IGNORECASE))
                for label in genre.cover_labels())
_MARK = re.compile(r"\[\s*(?P<x>[xX✓✔]?)\s*\]\s*(?P<who>[^\[\]]+)")
_ROLES = {role: re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)
          for role, words in genre.meeting_roles().items()}


# Labels of several words that a two-column cover wraps ("Saapuvilla olleet | Mervi Laaksonen, …" then
# "jäsenet | Antti Harju, …"): (field, the words on the first line, the words that begin the next).
_WRAPPED = sorted(
    ((label.field, " ".join(words[:cut]), " ".join(words[cut:]))
     for label in genre.cover_labels() if re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)+", label.pattern)
     for words in [label.pattern.split()] for cut in range(1, len(words))),
    key=lambda w: -len(w[1]),
)


def _wrapped_label(text: str, following: str) -> tuple[str, str, str] | None:
    """(field, the rest of this line, the words to take off the next) where a label is wrapped."""
    low, next_low = text.lower(), following.lower()
    for name, head, tail in _WRAPPED:
        if (low.startswith(head + " ") and (next_low == tail or next_low.startswith(tail + " "))
                and not _cover_label(following[len(tail):].strip() or "-")):
            return name, text[len(head):].strip(), following[: len(tail)]
    return None


def _cover_label(text: str) -> tuple[str, str] | None:
    for name, pattern in _LABELS:
        m = pattern.match(text)
        if m:
            return name, text[m.end():].strip()
    return None


def _person(entry: str) -> tuple[str, str]:
    """("Frostdahl-Blomqvist Siw", "ordförande") from "Frostdahl-Blomqvist Siw, ordförande"."""
    name, _, role = entry.partition(",")
    return " ".join(name.split()), " ".join(role.split())


def _given_first(name: str, text: str) -> str:
    """"Wik Tobias" → "Tobias Wik" where the document itself writes it so (signatures)."""
    parts = name.split()
    if len(parts) == 2:
        swapped = f"{parts[1]} {parts[0]}"
        if swapped in text:
            return swapped
    return name


def read_cover(lines: list[Line], document_text: str) -> MeetingFacts | None:
    """The facts of a cover page, or None when these lines are no cover (fewer than three labels)."""
    blocks: dict[str, list[str]] = {}
    current: str | None = None
    texts = [" ".join(line.text.split()) for line in lines]
    texts = [t for t in texts if t]
    for at, text in enumerate(texts):
        following = texts[at + 1] if at + 1 < len(texts) else ""
        wrapped = _wrapped_label(text, following)
        if wrapped is not None:
            name, rest, tail = wrapped
            texts[at + 1] = following[len(tail):].strip() or following  # its label's last words go
            labelled: tuple[str, str] | None = (name, rest)
        else:
            labelled = _cover_label(text)
        if not labelled and (genre.is_web_chrome(text) or MINUTES_CHROME.match(text)):
            current = None  # "Protokoll 3/2023", "Intygar: …": the block ended
            continue
        if labelled:
            current, rest = labelled
            blocks.setdefault(current, [])
            if rest:
                blocks[current].append(rest)
        elif current is not None:
            blocks[current].append(text)
    if len([f for f in blocks if f in ("organ", "time", "place", "present", "others", "absent")]) < 3:
        return None
    present: list[str] = []
    absent: list[str] = []
    roles: dict[str, str] = {}
    for text in blocks.get("present", []):
        marks = list(_MARK.finditer(text))
        if not marks:
            if not re.fullmatch(r"(?i)(ordinarie|ersättare|varsinainen|varajäsen|jäsenet|\s)+", text):
                for entry in re.split(r";|\s{2,}", text):
                    name, role = _person(entry)
                    if name:
                        present.append(name)
                        roles.setdefault(name, role)
            continue
        for column, m in enumerate(marks):
            name, role = _person(m.group("who"))
            role = re.sub(r"\s*§.*$", "", role)  # "vice ordförande § 36, kl. 15.58-"
            if m.group("x"):
                present.append(name)
                if role:
                    roles[name] = role
            elif column == 0:  # an unmarked member (the first column); an unmarked substitute was not called
                absent.append(name)
    for text in blocks.get("absent", []):
        absent.extend(n for n in (_person(e)[0] for e in re.split(r";|,\s*(?=[A-ZÅÄÖ])", text)) if n)
    others = [" ".join(t.split()) for t in blocks.get("others", [])]
    for entry in others:
        name, role = _person(entry)
        roles.setdefault(name, role)

    def with_role(role: str) -> str | None:
        pattern = _ROLES.get(role)
        if pattern is None:
            return None
        for name, written in roles.items():
            if written and pattern.search(written):
                if role == "chair" and _ROLES["vice_chair"].search(written):
                    continue
                return _given_first(name, document_text)
        return None

    checkers = _checkers(blocks.get("checking", []), [*present, *roles], document_text)
    time_text = " ".join(blocks.get("time", [])) or None
    found = first_date(time_text or "")
    published_lines = []
    for text in blocks.get("published", []):  # up to the line that says when
        published_lines.append(text)
        if first_date(text):
            break
    published = re.sub(r"^(?:på|på adressen|osoitteessa|i)\s+", "", " ".join(published_lines)) or None
    return MeetingFacts(
        organ=" ".join(blocks.get("organ", [])) or None, date=found.iso if found else None, time=time_text,
        place=" ".join(blocks.get("place", [])) or None, items=" ".join(blocks.get("items", [])) or None,
        present=tuple(_given_first(n, document_text) for n in present),
        absent=tuple(_given_first(n, document_text) for n in absent), others=tuple(others),
        chair=with_role("chair"), vice_chair=with_role("vice_chair"), secretary=with_role("secretary"),
        checkers=checkers, published=published,
    )


def _checkers(texts: list[str], people: list[str], document_text: str) -> tuple[str, ...]:
    """The minutes checkers: the people named under Protokolljustering / Pöytäkirjan tarkastus."""
    joined = " ".join(texts)
    found = []
    for person in people:
        given = _given_first(person, document_text)
        for form in {person, given}:
            if form and form in joined and given not in found:
                found.append(given)
    if found:
        return tuple(found)
    words = [t for t in texts if not _ROLES["checker"].fullmatch(t.strip())]
    return tuple(words[:1])


# --- pages ------------------------------------------------------------------------------------------
@dataclass
class _Page:
    number: int | None
    lines: list[Line]
    item: str | None = None  # the § this page belongs to, from its header block
    attachment: bool = False


def _header_line(text: str) -> tuple[str, str | None] | None:
    """("running"|"number"|"attachment"|"body"|"page"|"shouted", § number) for a header-block line."""
    if (m := _RUNNING.match(text)) or (m := _RUNNING_BARE.match(text)):
        return "running", m.group("num")
    if _DOC_ALONE.match(text):
        return "doc", None
    if m := _ITEM_NUMBER.match(text):
        return "number", m.group("a") or m.group("b")
    if m := _ATTACHMENT_FOOT.match(text):
        return "attachment", m.group("num")
    if re.fullmatch(r"\d{1,4}", text):
        return "page", None
    if is_body_name(text) or ((m := _BODY_AND_PAGE.match(text)) and is_body_name(m.group("body"))):
        return "body", None
    if _SHOUTED.match(text) and len(text.split()) <= 3:
        return "shouted", None
    return None


def _strip_block(page: _Page, known: set[str], from_end: bool) -> None:
    """Remove the header block at the page's foot (text layer) or top (OCR order); note its § number."""
    lines = page.lines
    if from_end:
        order = list(range(len(lines) - 1, max(-1, len(lines) - 1 - _ZONE), -1))
    else:
        order = list(range(min(_ZONE, len(lines))))
    block: list[int] = []
    kinds: set[str] = set()
    nums: list[str] = []
    for i in order:
        text = " ".join(lines[i].text.split())
        found = _header_line(text) if text else ("blank", None)
        if found is None or (from_end and found[0] == "shouted"):
            if from_end:
                break
            continue  # at the top the item's own header may stand between the logo and the block
        block.append(i)
        kinds.add(found[0])
        if found[1]:
            nums.append(_ocr_number(found[1], known))
    if not ({"running", "attachment"} & kinds):
        return
    page.attachment = "attachment" in kinds
    resolved = [n for n in nums if not known or n in known]
    page.item = resolved[0] if resolved else None
    drop = set(block)
    if not from_end:  # OCR cuts the header into fragments around the block: "Personalsekti" / "onen 76"
        last = max(block)
        drop |= {i for i in range(min(last + 2, len(lines)))
                 if i not in drop and _is_fragment(" ".join(lines[i].text.split()))}
    page.lines = [line for i, line in enumerate(lines) if i not in drop]


def _is_fragment(text: str) -> bool:
    return (bool(_FRAGMENT.match(text)) and not text.endswith(":") and not _ITEM_NUMBER.match(text)
            and match_heading(text) is None)


def _ocr_number(num: str, known: set[str]) -> str:
    """"268" in a running header is item 26 read by OCR when 26 is known and 268 is not."""
    if num not in known and len(num) >= 2 and num[-1] == "8" and num[:-1] in known:
        return num[:-1]
    return num


def read_layout(lines: list[Line], document_text: str) -> Layout:
    """Cover, contents and page header blocks of a protocol; lines without pages pass through mostly
    untouched (contents and cover are still found at the start)."""
    paged = any(line.page is not None for line in lines)
    pages: list[_Page] = []
    for line in lines:
        if not pages or (paged and line.page != pages[-1].number):
            pages.append(_Page(line.page, []))
        pages[-1].lines.append(line)

    # contents: a page (or, without pages, a run of lines) where most lines are contents entries
    contents: list[Line] = []
    entries: list[ContentsEntry] = []
    for page in pages[:6]:
        texts = [" ".join(x.text.split()) for x in page.lines]
        shaped = [i for i, t in enumerate(texts) if _is_contents_line(t)]
        items = [e for t in texts if (e := _contents_entry(t))]
        if len(items) < 3:
            continue
        if paged:
            contents.extend(page.lines)
            page.lines = []
        else:
            start, end = shaped[0], shaped[-1]
            contents.extend(page.lines[start:end + 1])
            page.lines = page.lines[:start] + page.lines[end + 1:]
        entries.extend(items)
    entries = _fix_contents_numbers(entries)
    known = {e.num for e in entries}

    # cover: the pages before the contents and the first item (paged), or the lines before the first
    # item header (unpaged), when they carry at least three cover labels
    cover: list[Line] = []
    meeting = None
    if paged:
        first_pages: list[_Page] = []
        for page in pages[:3]:
            if any(_ITEM_NUMBER.match(" ".join(x.text.split())) for x in page.lines) and first_pages:
                break
            if not page.lines:
                if contents:
                    break
                continue
            first_pages.append(page)
        candidate = [x for p in first_pages for x in p.lines]
        meeting = read_cover(candidate, document_text)
        if meeting is not None:
            cover = candidate
            for p in first_pages:
                p.lines = []

    out: list[Line] = []
    as_text: set[int] = set()
    attachment_pages: set[int] = set()
    current: str | None = None
    previous_attachment: str | None = None
    for page in pages:
        if paged and page.lines:
            near = known | ({current, str(int(current) + 1)} if current and current.isdigit() else set())
            _strip_block(page, near, from_end=True)
            if page.item is None:
                _strip_block(page, near, from_end=False)
        if not page.lines:
            continue
        texts = [" ".join(x.text.split()) for x in page.lines]
        if page.item and page.attachment:
            if previous_attachment != page.item:
                out.append(Line("Bilaga", page=page.number))
            for line in page.lines:
                as_text.add(len(out))
                out.append(line)
            previous_attachment = page.item
            if page.number is not None:
                attachment_pages.add(page.number)
            continue
        previous_attachment = None
        expected = str(int(current) + 1) if current and current.isdigit() else None
        fixed = [fix_section_sign(t, known, expected) for t in texts]
        if page.item and page.item != current:
            opens = any(re.match(rf"^(?:{page.item}\s*§|§\s*{page.item})(?!\d)", t) for t in fixed[:6])
            if not opens:
                out.append(Line(f"{page.item} §", page=page.number))
            current = page.item
        for line, text, new in zip(page.lines, texts, fixed):
            out.append(line if new == text else replace(line, text=new))
    return Layout(lines=tuple(out), as_text=frozenset(as_text), cover=tuple(cover), meeting=meeting,
                  contents=tuple(contents), entries=tuple(entries),
                  attachment_pages=frozenset(attachment_pages))

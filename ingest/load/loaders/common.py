"""Pieces every loader shares: the skip exception, the loader result, text clean-up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.records import Line, PageOcr


class SkipFile(Exception):
    """A file that cannot be ingested; the message is the one-line reason shown in the summary."""

    def __init__(self, reason: str) -> None:
        super().__init__(one_line(reason))


@dataclass
class Extracted:
    """What a format loader hands back to `load_document`, before hashing and language detection."""

    lines: list[Line]
    title: str | None = None
    page_count: int | None = None
    ocr_pages: tuple[PageOcr, ...] = ()  # PDF pages read by OCR


# Characters that look like spaces or are invisible in print; PDF and Word exports are full of them.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009"
                                 "\u200a\u205f\u3000\t\v\f"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Typographic ligatures from PDF text layers; NFKC would also fold "²" and "½", so only these.
_LIGATURES = {ord("ﬀ"): "ff", ord("ﬁ"): "fi", ord("ﬂ"): "fl", ord("ﬃ"): "ffi", ord("ﬄ"): "ffl",
              ord("ﬅ"): "st", ord("ﬆ"): "st"}
_TABLE = {**_SPACES, **_INVISIBLE, **_LIGATURES}
_RUNS_OF_SPACE = re.compile(r" {2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_line(text: str) -> str:
    """One physical line as the index should see it: NFC, plain spaces, no invisible characters.

    Surrogate code points (a PDF's ToUnicode map can produce them) are joined where they pair up and
    replaced by U+FFFD where not: no later stage could encode them as UTF-8."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    text = _CONTROL.sub("", text)
    return _RUNS_OF_SPACE.sub(" ", text).strip()


def split_lines(text: str) -> list[str]:
    """Split on any line break (\\r\\n, \\r, \\n, U+2028) and clean each line; empty lines are kept."""
    return [clean_line(part) for part in text.splitlines()]


def one_line(text: str, limit: int = 200) -> str:
    """A message squeezed onto one line, cut at `limit` characters (summaries are tables)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_WORD_EXPORT = re.compile(r"^(microsoft\s+(word|powerpoint|excel)\s*-\s*)", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(docx?|pdf|odt|rtf|txt|xlsx?|pptx?|html?)$", re.IGNORECASE)
_PLACEHOLDER_TITLES = frozenset((
    "untitled", "nimetön", "namnlös", "otsikko", "rubrik", "title", "document", "asiakirja", "dokument",
    "esitys", "presentation", "powerpoint presentation",
))


def meaningful_title(raw: object) -> str | None:
    """A metadata title worth showing, or None: exporters fill /Title with file names and "Untitled"."""
    if not isinstance(raw, str):
        return None
    title = clean_line(raw)
    title = _WORD_EXPORT.sub("", title).strip()
    if (len(title) < 3 or _FILE_NAME.search(title) or title.lower() in _PLACEHOLDER_TITLES
            or not re.search(r"[^\W\d_]{2}", title)):
        return None
    return title


def looks_binary(raw: bytes) -> bool:
    """True for bytes that are no text file: NUL bytes, or many control characters in the first 64 kB."""
    sample = raw[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 50)

"""Plain text and Markdown: decode whatever encoding the file was saved in, keep Markdown's headings."""

from __future__ import annotations

import codecs
import logging
import re

from ingest.load.loaders.common import Extracted, SkipFile, clean_line, looks_binary, split_lines
from ingest.load.loaders.pages import remove_running_lines
from ingest.records import Line

logger = logging.getLogger(__name__)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Notepad's "Unicode"), else cp1252, else latin-1.

    Files from Finnish and Swedish Windows machines are cp1252 more often than not; latin-1 never fails,
    so it catches the few bytes cp1252 leaves undefined.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if looks_binary(raw):
        raise SkipFile("binary content in a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _decode_nonempty(raw: bytes) -> str:
    text = decode_text(raw)
    if not text.strip().replace("\ufeff", ""):
        raise SkipFile("empty file")
    return text


def load_txt(raw: bytes) -> Extracted:
    """Lines of a text file; form feeds (pdftotext output) mark pages, whose running headers are removed."""
    text = _decode_nonempty(raw)
    if "\f" not in text:
        return Extracted([Line(t) for t in split_lines(text) if t])
    pages = text.split("\f")
    if pages and not pages[-1].strip():  # pdftotext ends the last page with a form feed too
        pages.pop()
    cleaned = remove_running_lines([split_lines(page) for page in pages])
    lines = [Line(t, page=n) for n, page in enumerate(cleaned, start=1) for t in page if t]
    return Extracted(lines, page_count=len(pages))


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={2,}|-{2,})[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_HORIZONTAL_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.IGNORECASE)
# Every span is bounded: with an unbounded `.+?` a long line of unclosed markers ("**a **a …") makes each
# marker scan to the end of the line, and an 80 kB line took 40 s. Longer spans keep their markers.
_SPAN = 300
_INLINE = (
    (re.compile(rf"<!--.{{0,{_SPAN * 4}}}?-->"), ""),
    (re.compile(rf"!\[([^\]]{{0,{_SPAN}}})\]\([^)]{{0,{_SPAN}}}\)"), r"\1"),  # images keep their alt text
    (re.compile(rf"\[([^\]]{{1,{_SPAN}}})\]\([^)]{{0,{_SPAN}}}\)"), r"\1"),  # links keep their text
    (re.compile(rf"(\*\*|__)(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)\1"), r"\2"),
    (re.compile(rf"(?<![\w*])\*(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(rf"(?<!\w)_(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(rf"~~(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)~~"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)


def _strip_inline(text: str) -> str:
    """Remove emphasis, link and code markers; the words stay (light touch, not a Markdown renderer)."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _front_matter(lines: list[str]) -> tuple[str | None, int]:
    """The YAML front matter's title and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            titles = [m.group(1) for line in lines[1:end] if (m := _FRONT_MATTER_TITLE.match(line))]
            return (clean_line(titles[0]) or None) if titles else None, end + 1
    return None, 0


def load_md(raw: bytes) -> Extracted:
    """Markdown as lines: `#` and underlined headings get a level, table rows become "a | b", bullets "• "."""
    source = _decode_nonempty(raw).splitlines()
    title, start = _front_matter(source)
    lines: list[Line] = []
    in_fence = False
    paragraph_above = False  # the source line above was paragraph text, so "===" / "---" underlines it
    for text in source[start:]:
        stripped = text.strip()
        if _FENCE.match(text):
            in_fence, paragraph_above = not in_fence, False
            continue
        if in_fence:
            lines.append(Line(clean_line(text)))
            continue
        underline = _SETEXT_UNDERLINE.match(text)
        if underline and paragraph_above and lines:
            lines[-1] = Line(lines[-1].text, level=1 if underline.group(1)[0] == "=" else 2)
            paragraph_above = False
            continue
        paragraph_above = False
        if not stripped or _HORIZONTAL_RULE.match(text) or _TABLE_SEPARATOR.match(stripped):
            continue
        if heading := _ATX_HEADING.match(text):
            lines.append(Line(clean_line(_strip_inline(heading.group(2) or "")), level=len(heading.group(1))))
        elif stripped.startswith("|"):
            cells = [clean_line(_strip_inline(cell)) for cell in stripped.strip("|").split("|")]
            lines.append(Line(" | ".join(cell for cell in cells if cell)))
        else:
            stripped = re.sub(r"^(>\s*)+", "", stripped)  # block quotes
            if _BULLET.match(stripped):
                lines.append(Line("• " + clean_line(_strip_inline(_BULLET.sub("", stripped)))))
            else:
                lines.append(Line(clean_line(_strip_inline(stripped))))
                paragraph_above = True
    return Extracted([line for line in lines if line.text and line.text != "•"], title=title)

"""Word documents with python-docx: paragraphs in body order, heading levels, tables as rows."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.load.loaders.common import Extracted, SkipFile, clean_line, meaningful_title, one_line
from ingest.records import Line

logger = logging.getLogger(__name__)

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # real .docx files pack 3–30×; a zip bomb packs thousands×
RATIO_CHECK_FROM = 20 * 1024 * 1024  # below this, a high ratio harms nobody
MAX_MEMBERS = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .doc (and encrypted Office files)

# "Heading 2" in English Word, "Otsikko 2" / "Rubrik 2" when a Finnish or Swedish Word named the style.
_HEADING_STYLE = re.compile(r"^(?:heading|otsikko|rubrik|överskrift|überschrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = frozenset(("title", "otsikko", "rubrik"))  # Word's "Title" style, localised


def check_zip(raw: bytes) -> None:
    """Refuse archives that expand past the limits before python-docx unpacks anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        if raw.startswith(_OLE_MAGIC):
            raise SkipFile("old binary Word file (or a password-protected one) — save it as .docx") from exc
        raise SkipFile(f"corrupt DOCX: {exc}") from exc
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        names = {member.filename for member in members}
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or (
            unpacked > RATIO_CHECK_FROM and unpacked > MAX_RATIO * max(packed, 1)):
        raise SkipFile(f"DOCX would expand to {unpacked // 2**20} MB from {len(raw) // 1024} kB "
                       "(zip bomb?) — not opened")
    if "word/document.xml" not in names:
        raise SkipFile("corrupt DOCX: no word/document.xml (not a Word document)")


def _blocks(body_element, parent) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in reading order, including those wrapped in content controls (w:sdt)."""
    pending = list(body_element.iterchildren())
    pending.reverse()
    while pending:
        element = pending.pop()
        if element.tag == qn("w:p"):
            yield Paragraph(element, parent)
        elif element.tag == qn("w:tbl"):
            yield Table(element, parent)
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                pending.extend(reversed(list(content.iterchildren())))


_UNSET = object()  # no heading level in the style's name / no w:outlineLvl at this step of the chain


def _outline_value(ppr) -> object:
    """The w:outlineLvl in these paragraph properties as a heading level (None: body text), or _UNSET."""
    found = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if found is None:
        return _UNSET
    value = found.get(qn("w:val"))
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else None


def _style_facts(style) -> tuple[object, int | None, bool]:
    """(heading level its name gives or _UNSET, outline level of its basedOn chain, is a bullet style).

    Worked out once per style: looking styles up for each paragraph made a 200 000-paragraph file
    take over a minute."""
    named: object = _UNSET
    for name in (style.name, style.style_id) if style is not None else ():
        name = (name or "").strip()
        if match := _HEADING_STYLE.match(name):
            named = int(match.group(1)) or None
            break
        if name.lower() in _TITLE_STYLES:
            named = 1
            break
    outline = None
    chain = style
    for _ in range(10):  # basedOn chains are short; a cycle must not hang us
        if chain is None:
            break
        found = _outline_value(chain.element.pPr)
        if found is not _UNSET:
            outline = found
            break
        chain = chain.base_style
    bullet = style is not None and (style.name or "").lower().startswith("list bullet")
    return named, outline, bullet  # type: ignore[return-value]


class _Styles:
    """Style facts by style id, for one document."""

    def __init__(self) -> None:
        self.facts: dict[str | None, tuple[object, int | None, bool]] = {}

    def of(self, paragraph: Paragraph) -> tuple[object, int | None, bool]:
        key = paragraph._p.style
        if key not in self.facts:
            self.facts[key] = _style_facts(paragraph.style)
        return self.facts[key]

    def heading_level(self, paragraph: Paragraph) -> int | None:
        """From the style's name ("Heading 2", "Otsikko 2", "Title"), else the paragraph's or its style
        chain's w:outlineLvl (custom heading styles of municipal templates)."""
        named, outline, _ = self.of(paragraph)
        if named is not _UNSET:
            return named  # type: ignore[return-value]
        own = _outline_value(paragraph._p.pPr)
        return outline if own is _UNSET else own  # type: ignore[return-value]

    def is_list_item(self, paragraph: Paragraph) -> bool:
        ppr = paragraph._p.pPr
        return (ppr is not None and ppr.find(qn("w:numPr")) is not None) or self.of(paragraph)[2]


def _cell_text(cell) -> str:
    parts = [p.text for p in cell.paragraphs]
    for nested in cell.tables:
        parts.extend(" | ".join(_row_cells(row)) for row in nested.rows)
    return clean_line(" ".join(parts))


def _row_cells(row) -> list[str]:
    """Cell texts of one row; a merged cell spans several grid columns but is printed once."""
    texts: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        text = _cell_text(cell)
        if text and (not texts or texts[-1] != text):
            texts.append(text)
    return texts


def load_docx(raw: bytes) -> Extracted:
    """Lines of a .docx after the zip-bomb check; headings carry their level, table rows read "a | b"."""
    check_zip(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx and lxml raise a zoo of types on damaged packages
        raise SkipFile(f"corrupt DOCX: {type(exc).__name__}: {one_line(str(exc), 120)}") from exc
    lines: list[Line] = []
    styles = _Styles()
    for block in _blocks(document.element.body, document._body):
        if isinstance(block, Table):
            for row in block.rows:
                if text := " | ".join(_row_cells(row)):
                    lines.append(Line(text))
            continue
        parts = [text for part in block.text.splitlines() if (text := clean_line(part))]
        if not parts:  # soft line breaks (Shift+Enter) split a paragraph into lines
            continue
        level = styles.heading_level(block)
        bullet = "• " if level is None and styles.is_list_item(block) else ""
        lines.extend(Line(bullet + text if i == 0 else text, level=level) for i, text in enumerate(parts))
    title = meaningful_title(document.core_properties.title)
    return Extracted(lines, title=title)

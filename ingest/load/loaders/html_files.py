"""HTML pages (municipal web pages, news items, exported minutes): block elements become lines.

The walk over the tree is iterative: scraped pages nest deep enough to exhaust Python's recursion limit.
"""

from __future__ import annotations

import codecs
import logging
import warnings
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag, UnicodeDammit
from bs4.element import PreformattedString

from ingest.load.loaders.common import Extracted, SkipFile, clean_line, looks_binary, meaningful_title
from ingest.records import Line

logger = logging.getLogger(__name__)

# Never the page's content: code, menus, cookie and search forms, site chrome.
_DROP = frozenset("script style noscript nav aside form template svg iframe button select head".split())
_CHROME = frozenset(("header", "footer"))  # dropped unless inside <article>/<main>, where they hold the title
_DROP_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "menu", "menubar"))
_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol p pre section summary table tbody "
    "thead tfoot ul".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LAYOUT_SIGNS = frozenset(("table", "h1", "h2", "h3", "h4", "h5", "h6"))
_PARAGRAPHS = frozenset(("p", "div", "li"))


_LAYOUT_SCAN = 500  # elements looked at per cell; a cell holding more lays out a page


def _is_layout_cell(cell: Tag) -> bool:
    """A table cell that lays out a page rather than holding a value (old CMS pages, exported minutes).

    Its content is read as blocks. Word's HTML wraps every cell's value in one <p>, so a paragraph or
    two still make a value; a heading, a nested table or three paragraphs make a layout. The scan is
    bounded: with bs4's find() every cell of nested tables searched its whole subtree, quadratic in the
    nesting (a 100 kB page of unclosed cells took minutes).
    """
    paragraphs = seen = 0
    pending = list(reversed(cell.contents))
    while pending:
        node = pending.pop()
        if not isinstance(node, Tag):
            continue
        seen += 1
        if seen > _LAYOUT_SCAN or node.name in _LAYOUT_SIGNS:
            return True
        paragraphs += node.name in _PARAGRAPHS
        if paragraphs >= 3:
            return True
        pending.extend(reversed(node.contents))
    return False


def _events(root: Tag) -> Iterator[tuple[str, Tag | str]]:
    """("enter", tag), ("text", string), ("exit", tag) in document order, without recursion.

    Subtrees of dropped elements are never entered.
    """
    stack: list[tuple[Tag, Iterator]] = [(root, iter(root.contents))]
    content_depth = 0  # how many <article>/<main> elements we are inside
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag.name in ("article", "main"):
                content_depth -= 1
            yield "exit", tag
        elif isinstance(child, Tag):
            if _dropped(child, content_depth):
                continue
            if child.name in ("article", "main"):
                content_depth += 1
            yield "enter", child
            stack.append((child, iter(child.contents)))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            yield "text", str(child)


def _dropped(tag: Tag, content_depth: int) -> bool:
    if tag.name in _DROP or (tag.name in _CHROME and content_depth == 0):
        return True
    role = tag.get("role")
    return (isinstance(role, str) and role.lower() in _DROP_ROLES) or tag.has_attr("hidden")


class _Lines:
    """Collects lines from walk events: paragraphs, headings with a level, "• " items, "a | b" rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.level: int | None = None
        self.bullet = False
        self.cells: list[list[str]] = []  # text of the open table cells, innermost last
        self.rows: list[list[str]] = []  # cells of the open table rows, innermost last
        self.pre = 0
        self.layout: list[Tag] = []  # open layout cells (see _is_layout_cell), innermost last

    def text(self, text: str) -> None:
        target = self.cells[-1] if self.cells else self.buffer
        if self.pre and not self.cells:
            first, *rest = text.split("\n")
            target.append(first)
            for part in rest:
                self.flush()
                self.buffer.append(part)
        else:
            target.append(text)

    def flush(self) -> None:
        text = clean_line("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.lines.append(Line(("• " + text) if self.bullet else text, level=self.level))
            self.bullet = False

    def enter(self, tag: Tag) -> None:
        name = tag.name
        if name in ("td", "th") and not self.cells and _is_layout_cell(tag):
            self.layout.append(tag)
            self.end_row()  # cells left of this one come first
            return
        if self.cells:  # inside a table cell everything is one cell's text, except nested rows
            if name == "tr":
                self.rows.append([])
            elif name in ("td", "th"):
                self.cells.append([])
            elif name in _BLOCKS or name == "br":
                self.cells[-1].append(" ")
            return
        if name == "tr":
            self.flush()
            self.rows.append([])
        elif name in ("td", "th"):
            self.flush()
            self.cells.append([])
        elif name == "br":
            self.flush()
        elif name in _BLOCKS:
            self.flush()
            self.level = _HEADINGS.get(name, self.level)
            self.bullet = self.bullet or name == "li"
            self.pre += name == "pre"

    def end_row(self) -> None:
        """Emit the open row's cells so far as one line."""
        if not self.rows:
            return
        row = " | ".join(cell for cell in self.rows[-1] if cell)
        self.rows[-1] = []
        if self.cells:
            self.cells[-1].append(f" {row} ")
        elif row:
            self.flush()
            self.lines.append(Line(row))

    def exit(self, tag: Tag) -> None:
        name = tag.name
        if self.layout and self.layout[-1] is tag:
            self.layout.pop()
            self.flush()
        elif name in ("td", "th") and self.cells:
            cell = clean_line("".join(self.cells.pop()))
            if self.rows:
                self.rows[-1].append(cell)
            else:  # a cell outside any row: malformed, keep its text
                self.buffer.append(f" {cell} ")
        elif name == "tr" and self.rows:
            self.end_row()
            self.rows.pop()
        elif name in _BLOCKS and not self.cells:
            self.flush()
            if name in _HEADINGS:
                self.level = None
            if name == "li":
                self.bullet = False
            self.pre -= name == "pre"


def _title(soup: BeautifulSoup) -> str | None:
    if soup.title is not None:
        title = meaningful_title(soup.title.get_text(" "))
        if title:
            return title
    meta = soup.find("meta", attrs={"property": "og:title"})
    return meaningful_title(meta.get("content")) if isinstance(meta, Tag) else None


def decode_html(raw: bytes) -> str:
    """The page as text: BOM, then <meta charset>, then UTF-8, then cp1252 (pages saved on Windows).

    Handing bytes to lxml directly turns an undeclared cp1252 "ä" into U+FFFD.
    """
    if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(raw):
        raise SkipFile("binary content in a text file")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dammit = UnicodeDammit(raw, user_encodings=["utf-8", "windows-1252"], is_html=True)
    if dammit.unicode_markup is None:
        return raw.decode("latin-1")
    return dammit.unicode_markup


def load_html(raw: bytes) -> Extracted:
    """Lines of an HTML page: block elements are lines, headings carry their level."""
    if not raw.strip():
        raise SkipFile("empty file")
    markup = decode_html(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "lxml")
    collector = _Lines()
    root = soup.body or soup
    for event, item in _events(root):
        if isinstance(item, str):  # ("text", string); NavigableString is a str
            collector.text(item)
        elif event == "enter":
            collector.enter(item)
        else:
            collector.exit(item)
    collector.flush()
    return Extracted(collector.lines, title=_title(soup))

"""Turn document text into safe Markdown/HTML for the app: escape everything, mark only the quote.

Documents come from anyone who can upload; their text must show as text. Everything from a
document goes through `escape_markdown` (for st.markdown) or `escape_html` (for st.html); the
only markup that reaches the page unescaped is the highlight and layout built here.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable, Sequence

from assistant.composition.framing import format_date  # the one date writer; the views import it from here
from assistant.records import Answer
from ingest.records import Chunk

logger = logging.getLogger(__name__)

# Characters with a meaning anywhere in a line (CommonMark, GFM, Streamlit's :color[…] and $math$).
_MD_INLINE = set("\\`*_{}[]|~:$^")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# Constructs that only mean something at the start of a line: lists, headings, quotes, rules.
_LINE_START = re.compile(r"^(\d{1,9})([.)])|^([-+=#])")
_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")
# The reader marks its answer span inside the quoted sentence as **span**; escaped it reads \*\*span\*\*.
_BOLD_SPAN = re.compile(r"\\\*\\\*([^*\n]{1,300}?)\\\*\\\*")
_RAW_BOLD = re.compile(r"\*\*([^*\n]{1,300}?)\*\*")
# What GFM turns into links by itself (Streamlit renders with autolinks): "http://…", "www.…", "a@b.c".
# An invisible word joiner after "http", "www" or "@" breaks the pattern and shows the same text.
_AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto)(?=\\?:)|\bwww(?=\.)|@(?=[^\W_])")
MARK_STYLE = "background:#ffe58f;color:inherit;padding:0 .1em;border-radius:2px"


def escape_markdown(text: str) -> str:
    """Text that st.markdown shows literally: HTML entities for < > &, backslashes for the rest.

    Lines keep their breaks (two trailing spaces) and lose leading indentation, which Markdown
    would otherwise turn into a code block.
    """
    lines = []
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        out = []
        for ch in line:
            if ch in _MD_ENTITIES:
                out.append(_MD_ENTITIES[ch])
            elif ch in _MD_INLINE:
                out.append("\\" + ch)
            else:
                out.append(ch)
        escaped = "".join(out)
        escaped = _LINE_START.sub(
            lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", escaped, count=1
        )
        lines.append(escaped)
    # A blank line stays a paragraph break; other breaks become hard line breaks.
    joined = _AUTOLINK.sub(lambda m: m.group(0) + _WORD_JOINER, "\n".join(lines))
    return re.sub(r"(?<=\S)\n(?=\S)", "  \n", joined)


def answer_markdown(
    text: str,
    numbers: Iterable[int] = (),
    sources: Iterable[str] = (),
    link: Callable[[int], str] | None = None,
) -> str:
    """The answer text escaped, with its citation markers [n] (only the real ones) in bold, and
    links to their cards when `link` gives the address of card n ("#sc-card-4-1").

    `sources` are the texts the answer quotes (its passages): a "[1]" that stands in a quoted sentence
    is the document's own text, not a citation, and is shown as plain text even when 1 is a real one.
    """
    known = {int(n) for n in numbers}
    sources = list(sources)
    escaped = escape_markdown(_defuse_quoted_markers(text, [s for s in sources if s and "[" in s]))

    def marker(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        bold = f"**\\[{n}\\]**"
        return f"[{bold}]({link(n)})" if link else bold

    # The reader's **span** is bold; asterisks a document brought along (they stand in a source) stay text.
    raw_spans = {m.group(1) for m in _RAW_BOLD.finditer(text or "")}
    # (escaped after a word, as inside a line: "1.9.2024" at a line's start would read as a list)
    ours = {escape_markdown("x " + x)[2:] for x in raw_spans if not any(f"**{x}**" in src for src in sources)}

    def bold(m: re.Match[str]) -> str:
        return f"**{m.group(1)}**" if m.group(1) in ours else m.group(0)

    return _BOLD_SPAN.sub(bold, _MARKER.sub(marker, escaped))


_TEXT_MARKER = re.compile(r"\[(\d{1,3})\]")
_QUOTE_WINDOW = 16  # characters before a marker that must match the quoted text along with it
_WORD_JOINER = "\u2060"  # invisible: "[⁠1]" looks like "[1]" but is no marker any more


def _defuse_quoted_markers(text: str, sources: list[str]) -> str:
    """Markers copied from a document along with the words before them become plain text."""
    if not sources or "[" not in text:
        return text

    def defuse(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - _QUOTE_WINDOW) : m.start()]
        quoted = len(before.strip()) >= 4 and any(before + m.group(0) in source for source in sources)
        return f"[{_WORD_JOINER}{m.group(1)}]" if quoted else m.group(0)

    return _TEXT_MARKER.sub(defuse, text)


def escape_html(text: str) -> str:
    """Text for st.html: entities for every markup character, line breaks kept."""
    return html.escape(text or "", quote=True).replace("\n", "<br>")


def join_chunks(chunks: Sequence[Chunk]) -> tuple[str, dict[str, int]]:
    """The section text from its chunks in order, and where each chunk starts in it.

    Chunkers may repeat the end of one chunk at the start of the next; the overlap is shown once.
    """
    text = ""
    starts: dict[str, int] = {}
    for chunk in sorted(chunks, key=lambda c: c.chunk_index):
        piece = chunk.text
        if not text:
            starts[chunk.id] = 0
            text = piece
            continue
        overlap = _overlap(text, piece)
        if overlap:
            starts[chunk.id] = len(text) - overlap
            text += piece[overlap:]
        else:
            starts[chunk.id] = len(text) + 1
            text += "\n" + piece
    return text, starts


def _overlap(left: str, right: str, minimum: int = 20) -> int:
    """Length of the longest suffix of `left` that is a prefix of `right` (0 if shorter than `minimum`)."""
    longest = min(len(left), len(right))
    for size in range(longest, minimum - 1, -1):
        if left.endswith(right[:size]):
            return size
    return 0


def quote_span(chunks: Sequence[Chunk], cited: Chunk, quote: str) -> tuple[str, tuple[int, int] | None]:
    """The section text and the (start, end) of the cited quote in it, found via the cited chunk."""
    text, starts = join_chunks(chunks)
    if not quote:
        return text, None
    if cited.id in starts:
        local = cited.text.find(quote)
        if local >= 0:
            start = starts[cited.id] + local
            if text[start : start + len(quote)] == quote:
                return text, (start, start + len(quote))
    found = text.find(quote)
    if found >= 0:
        return text, (found, found + len(quote))
    logger.debug("quote not found in section %s of %s", cited.section, cited.source)
    return text, None


def highlight_html(text: str, span: tuple[int, int] | None, mark_id: str | None = None) -> str:
    """Escaped text with the span wrapped in <mark>; the only unescaped markup is the mark itself."""
    if span is None:
        return escape_html(text)
    start, end = span
    attrs = f' style="{MARK_STYLE}"' + (f' id="{html.escape(mark_id, quote=True)}"' if mark_id else "")
    before, marked, after = escape_html(text[:start]), escape_html(text[start:end]), escape_html(text[end:])
    return f"{before}<mark{attrs}>{marked}</mark>{after}"


FOLD_LABELS = {"before": "Show the text before", "after": "Show the text after"}
_SECTION_STYLE = (
    "white-space:normal;line-height:1.5;font-size:0.92rem;border-left:3px solid #d0d7de;"
    "padding:.3em .8em;margin:.2em 0"
)
_SUMMARY_STYLE = "cursor:pointer;color:#6b7280;font-size:0.85rem;margin:.1em 0"


def section_html(
    chunks: Sequence[Chunk],
    cited: Chunk | None = None,
    quote: str = "",
    compact: bool = True,
    labels: dict[str, str] | None = None,
    context_chars: int = 240,
) -> str:
    """One section as a bordered block with the cited quote highlighted.

    Compact (a citation card): the lines around the quote show and the rest of the section
    folds into <details> above and below, so the quote is in view without scripts and the
    whole section is still one click away. Otherwise (the reader): all of it.
    """
    if cited is not None:
        text, span = quote_span(chunks, cited, quote)
    else:
        text, span = join_chunks(chunks)[0], None
    if not compact:
        body = highlight_html(text, span)
    else:
        body = _folded(text, span, context_chars, {**FOLD_LABELS, **(labels or {})})
    return f'<div class="sc-section" style="{_SECTION_STYLE}">{body}</div>'


def _folded(text: str, span: tuple[int, int] | None, context_chars: int, labels: dict[str, str]) -> str:
    lines: list[tuple[int, int]] = []  # (start, end) of each line in text
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if span is not None:
        first = next(i for i, (_, e) in enumerate(lines) if e >= span[0])
        last = next(i for i, (_, e) in enumerate(lines) if e >= span[1] - 1 or i == len(lines) - 1)
        budget = context_chars
        while first > 0 and lines[first - 1][1] - lines[first - 1][0] <= budget:
            budget -= lines[first - 1][1] - lines[first - 1][0]
            first -= 1
        budget = context_chars
    else:  # nothing to mark: the opening of the section
        first, last, budget = 0, 0, 2 * context_chars - (lines[0][1] - lines[0][0])
    while last + 1 < len(lines) and lines[last + 1][1] - lines[last + 1][0] <= budget:
        budget -= lines[last + 1][1] - lines[last + 1][0]
        last += 1
    start, end = lines[first][0], lines[last][1]
    shown = None if span is None else (span[0] - start, min(span[1], end) - start)
    parts = []
    if start > 0:
        parts.append(_details(labels["before"], text[: start - 1]))
    parts.append(highlight_html(text[start:end], shown))
    if end < len(text):
        parts.append(_details(labels["after"], text[end + 1 :]))
    return "".join(parts)


def _details(summary: str, text: str) -> str:
    return (
        f'<details><summary style="{_SUMMARY_STYLE}">{escape_html(summary)}</summary>'
        f"{escape_html(text)}</details>"
    )


def citation_facts(chunk: Chunk, labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs for a citation card, leaving out what the document does not say."""
    facts = [
        (labels["municipality"], chunk.municipality),
        (labels["body"], chunk.body),
        (labels["meeting_date"], format_date(chunk.meeting_date, labels.get("date_format"))),
        ("§", chunk.item),
        (labels["section"], chunk.section),
        (labels["page"], str(chunk.page) if chunk.page is not None else None),
    ]
    return [(k, v) for k, v in facts if v]


def facts_markdown(chunk: Chunk, labels: dict[str, str]) -> str:
    """The card's metadata line, escaped: "Municipality: Kuopio · Body: … · § 27 · Section: … · Page: 3"."""
    parts = []
    for label, value in citation_facts(chunk, labels):
        value = escape_markdown(value.replace("\n", " "))
        parts.append(f"§ {value}" if label == "§" else f"{escape_markdown(label)}: {value}")
    return " · ".join(parts)


def copy_text(answer: Answer, labels: dict[str, str]) -> str:
    """The answer as plain text with its numbered sources, for the clipboard."""
    lines = [answer.text.strip(), "", f"{labels.get('sources', 'Sources')}:"]
    for c in answer.citations:
        chunk = c.chunk
        where = " · ".join(v for _, v in citation_facts(chunk, labels))
        lines.append(f"[{c.n}] {chunk.document_title} — {where}")
        if c.quote:
            lines.append(f"    “{' '.join(c.quote.split())}”")
    return "\n".join(lines)

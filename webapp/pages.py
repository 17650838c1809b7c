"""A cited PDF page as an image with the quoted words highlighted, offline (pypdfium2, Tesseract).

Text PDFs: the quote's words are aligned with the words of the page's text layer (one best local
alignment, so the quote's own region wins over common words found elsewhere, and a damaged layer's
misspelt word still matches); pdfium gives the character boxes of the aligned words. The quote
comes from extracted text whose line breaks and hyphens need not match the page's. Scanned (OCR'd)
pages, and pages whose words were put right after extraction, are matched on Tesseract's word boxes
of the rendered page instead. Where nothing is found the page is still shown, unmarked.
"""

from __future__ import annotations

import difflib
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

SCALE = 1.5  # 108 dpi: an A4 page ~890 px wide, readable in a card and in the reader
OCR_LANGUAGES = "fin+swe+eng"
MARK_FILL = (255, 214, 0, 96)
MARK_LINE = (230, 160, 0, 255)
_WORD = re.compile(r"[^\W_]+(?:[-'’.,:/][^\W_]+)*", re.UNICODE)
MIN_RUN = 2  # words: a single common word found elsewhere on the page is no evidence
MAX_RUN = 40

Box = tuple[float, float, float, float]  # left, top, right, bottom in image pixels


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int
    height: int
    page: int  # 1-based
    boxes: tuple[Box, ...]  # the highlighted areas
    method: str  # "text" (pdfium search) | "ocr" (Tesseract boxes) | "none"


def is_pdf(path: str | Path | None) -> bool:
    return bool(path) and Path(str(path)).suffix.lower() == ".pdf" and Path(str(path)).is_file()


def render_page(
    path: str | Path, page: int, quote: str = "", ocr: bool = False, scale: float = SCALE
) -> PageImage:
    """Page `page` (1-based) of the PDF as PNG, the quote marked; `ocr` says the page's text came from OCR."""
    p = Path(path)
    return _render(str(p), p.stat().st_mtime_ns, int(page), quote or "", bool(ocr), float(scale))


@lru_cache(maxsize=32)
def _render(path: str, mtime: int, page_no: int, quote: str, ocr: bool, scale: float) -> PageImage:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page_no <= len(pdf):
            raise ValueError(f"{Path(path).name} has {len(pdf)} pages, not page {page_no}")
        page = pdf[page_no - 1]
        image = page.render(scale=scale).to_pil().convert("RGB")
        boxes: list[Box] = []
        method = "none"
        if quote.strip():
            textpage = page.get_textpage()
            has_text = textpage.count_chars() > 0
            if has_text and not ocr:
                boxes = _text_boxes(textpage, page.get_height(), quote, scale)
                method = "text" if boxes else "none"
            if not boxes and (ocr or not has_text):
                boxes = _ocr_boxes(image, quote)
                method = "ocr" if boxes else "none"
        marked = _draw(image, boxes)
        buffer = io.BytesIO()
        marked.save(buffer, format="PNG", optimize=True)
        return PageImage(buffer.getvalue(), marked.width, marked.height, page_no, tuple(boxes), method)
    finally:
        pdf.close()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _same(a: str, b: str) -> bool:
    """Two normalised words are the same word, allowing a damaged text layer's letter or two
    ("ungdomsfullmäktge" for "ungdomsfullmäktige") in words of five letters or more."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[:3] != b[:3] or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85


def align(page_words: list[str], quote_words: list[str]) -> list[int]:
    """The page words that carry the quote: the best local alignment (Smith-Waterman: a word that matches
    +2, a word left out or changed -1) of the quote's words with the page's, so one dense region wins over
    scattered matches of common words elsewhere (a heading's "i ungdoms…"). Returns page word indices."""
    n, m = len(quote_words), len(page_words)
    if not n or not m:
        return []
    score = [[0] * (m + 1) for _ in range(n + 1)]
    best, at = 0, (0, 0)
    for i in range(1, n + 1):
        q, row, up = quote_words[i - 1], score[i], score[i - 1]
        for k in range(1, m + 1):
            diagonal = up[k - 1] + (2 if _same(q, page_words[k - 1]) else -1)
            value = max(0, diagonal, up[k] - 1, row[k - 1] - 1)
            row[k] = value
            if value > best:
                best, at = value, (i, k)
    matched: list[int] = []
    i, k = at
    while i > 0 and k > 0 and score[i][k] > 0:
        same = _same(quote_words[i - 1], page_words[k - 1])
        if score[i][k] == score[i - 1][k - 1] + (2 if same else -1):
            if same:
                matched.append(k - 1)
            i, k = i - 1, k - 1
        elif score[i][k] == score[i - 1][k] - 1:
            i -= 1
        else:
            k -= 1
    return sorted(matched)


def _text_boxes(textpage, page_height: float, quote: str, scale: float) -> list[Box]:
    """Boxes of the page's words that the quote aligns with (`align`), a run of neighbouring words as
    one character range (pdfium gives a box per printed line of it)."""
    text = textpage.get_text_range()
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    page_words = [_norm(text[a:b]) for a, b in spans]
    quote_words = [w for w in (_norm(x) for x in _words(quote)) if w][: MAX_RUN * 3]
    matched = align(page_words, quote_words)
    if len(matched) < (1 if len(quote_words) < MIN_RUN else MIN_RUN):
        return []
    runs: list[list[int]] = []
    for k in matched:
        if runs and k - runs[-1][-1] <= 2:  # one changed or damaged word between stays in the run
            runs[-1].append(k)
        else:
            runs.append([k])
    boxes: list[Box] = []
    for run in runs:
        start, end = spans[run[0]][0], spans[run[-1]][1]
        for r in range(textpage.count_rects(start, end - start)):
            left, bottom, right, top = textpage.get_rect(r)
            boxes.append(
                (left * scale, (page_height - top) * scale, right * scale, (page_height - bottom) * scale)
            )
    return boxes


def _norm(word: str) -> str:
    return re.sub(r"[^\w]", "", word.casefold())


def _ocr_boxes(image, quote: str) -> list[Box]:
    """Tesseract's word boxes for the words of the quote, in runs of at least MIN_RUN words."""
    try:
        import pytesseract

        data = pytesseract.image_to_data(image, lang=OCR_LANGUAGES, output_type=pytesseract.Output.DICT)
    except Exception as exc:  # no tesseract, or a language missing: show the page unmarked
        logger.warning("OCR of the page failed: %s", exc)
        return []
    ocr_words = [
        (
            _norm(t),
            (
                data["left"][k],
                data["top"][k],
                data["left"][k] + data["width"][k],
                data["top"][k] + data["height"][k],
            ),
        )
        for k, t in enumerate(data["text"])
        if t and t.strip() and _norm(t)
    ]
    wanted = [w for w in (_norm(x) for x in _words(quote)) if w]
    if not ocr_words or not wanted:
        return []
    shortest = 1 if len(wanted) < MIN_RUN else MIN_RUN
    matcher = difflib.SequenceMatcher(None, [w for w, _ in ocr_words], wanted, autojunk=False)
    boxes: list[Box] = []
    for block in matcher.get_matching_blocks():
        if block.size >= shortest:
            boxes.extend(box for _, box in ocr_words[block.a : block.a + block.size])
    return boxes


def _draw(image, boxes: list[Box]):
    if not boxes:
        return image
    from PIL import Image, ImageDraw

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=MARK_FILL, outline=MARK_LINE)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

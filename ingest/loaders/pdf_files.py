"""PDF text layers with pypdf, page by page, running headers and footers removed."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from ..records import Line
from .common import Extracted, SkipFile, meaningful_title, one_line, split_lines
from .pages import remove_running_lines

logger = logging.getLogger(__name__)

# Fewer letters and digits than this per page on average: the pages are pictures (scanned paper).
MIN_CHARS_PER_PAGE = 16


def _open(raw: bytes) -> PdfReader:
    head = raw[:1024]
    if b"%PDF-" not in head:
        looks = " (it looks like an HTML page, e.g. a saved error page)" if b"<html" in head.lower() else ""
        raise SkipFile(f"corrupt PDF: the file does not start with %PDF{looks}")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")  # many PDFs carry only an owner password: readable by all
            except DependencyError as exc:
                reason = "encrypted PDF (AES) — install the 'cryptography' package and ingest again"
                raise SkipFile(reason) from exc
            if not decrypted:
                raise SkipFile("encrypted PDF — remove the password and ingest again")
        _ = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SkipFile(f"corrupt PDF: {one_line(str(exc) or type(exc).__name__, 120)}") from exc
    return reader


def _page_lines(reader: PdfReader, index: int) -> list[str] | None:
    """One page's lines, or None when pypdf cannot read this page (the rest of the file may be fine)."""
    try:
        page = reader.pages[index]
        return split_lines(page.extract_text() or "")
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # pypdf raises many types on damaged content streams
        logger.warning("page %d unreadable: %s: %s", index + 1, type(exc).__name__, one_line(str(exc), 120))
        return None


def load_pdf(raw: bytes, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """Lines with their 1-based page numbers; only the lines are kept, not pypdf's page objects."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(raw)
        n_pages = len(reader.pages)
        if n_pages == 0:
            raise SkipFile("corrupt PDF: no pages")
        pages: list[list[str]] = []
        unreadable = 0
        for index in range(n_pages):
            lines = _page_lines(reader, index)
            unreadable += lines is None
            pages.append(lines or [])
            if progress is not None:
                progress(index + 1, n_pages)
    if unreadable == n_pages:
        raise SkipFile("corrupt PDF: no page could be read")
    letters = sum(ch.isalnum() for lines in pages for line in lines for ch in line)
    if letters < MIN_CHARS_PER_PAGE * n_pages:
        raise SkipFile("PDF has no text layer (scanned?) — OCR it first, e.g. with ocrmypdf")
    empty = [str(n) for n, lines in enumerate(pages, start=1) if not any(lines)]
    if empty:
        logger.warning("PDF pages without text (scanned?): %s", ", ".join(empty[:20]))
    pages = remove_running_lines(pages)
    lines = [Line(text, page=n) for n, page_lines in enumerate(pages, start=1) for text in page_lines if text]
    title = None
    try:
        title = meaningful_title(reader.metadata.title if reader.metadata else None)
    except Exception as exc:  # a broken Info dictionary costs the title, not the document
        logger.debug("no PDF title: %s", exc)
    return Extracted(lines, title=title, page_count=n_pages)

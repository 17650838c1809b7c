"""Load stage: read one file into lines with page numbers and heading levels, or say why not.

Every failure is a `SkipFile` with a one-line reason for the ingest summary; no parser exception
escapes, so one bad file never stops a corpus run. PDF, DOCX, HTML and large text files are read in a
worker process (`ingest.load.isolation`) with a time and memory limit, so that a parser that hangs, eats
memory or crashes costs that one file, not the ingest.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from ingest.load.isolation import DEFAULT_ISOLATION, IsolationSettings, load_isolated, runs_isolated
from ingest.load.language import detect_language
from ingest.load.loaders.common import Extracted, SkipFile, one_line
from ingest.load.loaders.docx_files import load_docx
from ingest.load.loaders.html_files import load_html
from ingest.load.loaders.pdf_files import load_pdf
from ingest.load.loaders.text_files import load_md, load_txt
from ingest.load.ocr import OcrSettings
from ingest.records import LoadedDocument

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "SkipFile", "load_document", "read_document"]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
MAX_FILE_BYTES = 200 * 1024 * 1024
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
_SURROGATES = re.compile("[\ud800-\udfff]")
_NO_TEXT = {
    "pdf": "PDF has no text layer, and OCR found no text on its pages (blank or pictures only)",
    "html": "no text found in the HTML page (content loaded by JavaScript?)",
}


class _CallerError(Exception):
    """An exception from the caller's progress callback: it is the caller's, so it is re-raised as is."""


def _guarded(progress: Callable[[int, int], None] | None) -> Callable[[int, int], None] | None:
    if progress is None:
        return None

    def call(page: int, total: int) -> None:
        try:
            progress(page, total)
        except Exception as exc:
            raise _CallerError() from exc

    return call


_READERS = {"load_pdf": load_pdf, "load_docx": load_docx, "load_html": load_html, "load_md": load_md,
            "load_txt": load_txt}


def _extract(raw: bytes, fmt: str, progress: Callable[[int, int], None] | None,
             ocr: OcrSettings | None = None, on_ocr: Callable[[int, int], None] | None = None) -> Extracted:
    if fmt == "pdf":
        return load_pdf(raw, _guarded(progress), ocr, _guarded(on_ocr))
    loader = {"txt": load_txt, "md": load_md, "html": load_html, "docx": load_docx}[fmt]
    return loader(raw)


def load_document(
    path: Path, progress: Callable[[int, int], None] | None = None, ocr: OcrSettings | None = None,
    on_ocr: Callable[[int, int], None] | None = None, isolation: IsolationSettings = DEFAULT_ISOLATION,
) -> LoadedDocument:
    """Read `path` into a LoadedDocument; `progress(page, n_pages)` is called per PDF page, and
    `on_ocr(done, total)` per page OCR'd (`ocr`: how; see ingest.load.ocr). `isolation`: the worker's time
    and memory bounds, passed down from the caller's settings.

    Raises SkipFile for unsupported, oversized, empty, binary, encrypted, corrupt or text-less files, and
    for files whose reader runs out of time or memory or crashes (see `ingest.load.isolation`; small text
    files, and every file when isolation is off, are read in this process).
    """
    path = Path(path)
    if runs_isolated(path, isolation) and not _readers_replaced() and not _too_large(path):
        return load_isolated(path, f"{__name__}:read_document", progress, isolation, ocr=ocr, on_ocr=on_ocr)
    return read_document(path, progress, ocr, on_ocr)


def _readers_replaced() -> bool:
    """Whether a format reader was replaced in this process (a test double, a plugin): the worker would
    run the original one, so such files are read here."""
    return any(globals()[name] is not reader for name, reader in _READERS.items())


def _too_large(path: Path) -> bool:
    """Refused on its size alone: no need to start a worker to say so."""
    try:
        return path.stat().st_size > MAX_FILE_BYTES
    except OSError:
        return True


def read_document(
    path: Path, progress: Callable[[int, int], None] | None = None, ocr: OcrSettings | None = None,
    on_ocr: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """`load_document` in this process, with no time or memory limit: what the isolated worker runs."""
    path = Path(path)
    if _SURROGATES.search(path.name):  # undecodable bytes in the name: the index (UTF-8 JSON) cannot hold it
        raise SkipFile("the file name is not valid UTF-8 — rename the file")
    suffix = path.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        shown = suffix or "(no suffix)"
        raise SkipFile(f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    try:
        if not path.is_file():
            raise SkipFile("not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            raise SkipFile(f"file too large ({size // 2**20} MB, limit {limit} MB) — split it")
        if size == 0:
            raise SkipFile("empty file")
        raw = path.read_bytes()
    except OSError as exc:
        reason = one_line(exc.strerror or str(exc), 120)
        raise SkipFile(f"could not read file: {type(exc).__name__}: {reason}") from exc

    try:
        extracted = _extract(raw, fmt, progress, ocr, on_ocr)
    except SkipFile:
        raise
    except _CallerError as exc:
        cause = exc.__cause__
        assert isinstance(cause, BaseException)  # _guarded always chains the callback's exception
        raise cause from None
    except RecursionError as exc:
        raise SkipFile(f"could not read {fmt.upper()}: nested too deeply") from exc
    except MemoryError as exc:
        raise SkipFile(f"could not read {fmt.upper()}: ran out of memory") from exc
    except Exception as exc:  # any parser failure becomes a reason in the summary, never a crash
        logger.debug("%s: %s failed", path, fmt, exc_info=True)
        reason = f"{type(exc).__name__}: {one_line(str(exc), 120)}"
        raise SkipFile(f"could not read {fmt.upper()}: {reason}") from exc

    lines = tuple(line for line in extracted.lines if line.text.strip())
    if not lines:
        raise SkipFile(_NO_TEXT.get(fmt, "empty file" if fmt in ("txt", "md") else "no text found"))
    text = "\n".join(line.text for line in lines)
    return LoadedDocument(
        path=path,
        source=path.name,
        format=fmt,
        lines=lines,
        language=detect_language(text),
        file_hash=hashlib.sha256(raw).hexdigest(),
        title=extracted.title,
        page_count=extracted.page_count,
        ocr_pages=extracted.ocr_pages,
    )

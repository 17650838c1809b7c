"""PDF text layers with pypdf, page by page, each page checked and read by OCR where it cannot be read.

Every page's text layer is measured (`ingest.load.textquality`: the share of its words a lexicon knows, and
letters glued into overlong tokens). A page that is empty (a scan) or damaged (a font whose ToUnicode map
loses and swaps letters) is rendered and read by Tesseract (`ingest.load.ocr`); the OCR text replaces a
damaged layer only when it reads better. A page whose layer reads but has lost the letters of its
ligature glyphs ("tll" for "till", `ingest.load.ligatures`) is OCR'd too, and where the OCR text is not
used (no Tesseract, or it reads worse) the lexicon puts the letters back; so does it on the document's
other pages in that language that show a lost-glyph word (too few words to tell on their own).
Form fields' values, which are no part of the text layer, are read from the fields. Running headers
and footers are removed last, on the text each page ended with.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import warnings
from collections import Counter
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

import ingest.load.ligatures as ligatures
import ingest.load.ocr as ocr_engine
from ingest.load.loaders.common import (
    Extracted,
    SkipFile,
    clean_line,
    meaningful_title,
    one_line,
    split_lines,
)
from ingest.load.loaders.pages import running_lines
from ingest.load.ocr import OcrSettings, fix_item_signs, fix_signs
from ingest.load.textquality import (
    MIN_LETTERS,
    MIN_TRIGRAMS,
    TextQuality,
    known_trigrams,
    measure,
    restore_diacritics,
    vocabulary,
)
from ingest.records import Line, PageOcr

logger = logging.getLogger(__name__)

OCR_MARGIN = 0.1  # the OCR text replaces a damaged text layer when its lexicon hit rate is this much higher


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


def load_pdf(
    raw: bytes,
    progress: Callable[[int, int], None] | None = None,
    ocr: OcrSettings | None = None,
    on_ocr: Callable[[int, int], None] | None = None,
) -> Extracted:
    """Lines with their 1-based page numbers and where each came from (text layer, form field, OCR).

    `progress(page, n_pages)` per page read from the text layer; `on_ocr(done, total)` once with
    done=0 before OCR starts (the isolated loader extends its time bound by then) and after each page.
    `ocr=None` means the defaults (no cache); `OcrSettings(enabled=False)` keeps text layers as they are.
    """
    settings = ocr or OcrSettings()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(raw)
        n_pages = len(reader.pages)
        if n_pages == 0:
            raise SkipFile("corrupt PDF: no pages")
        pages: list[list[str]] = []
        unreadable = 0
        form_lines = 0
        for index in range(n_pages):
            lines = _page_lines(reader, index)
            unreadable += lines is None
            fields = _form_fields(reader, index)
            form_lines += len(fields)
            pages.append((lines or []) + fields)
            if progress is not None:
                progress(index + 1, n_pages)
    if unreadable == n_pages:
        raise SkipFile("corrupt PDF: no page could be read")
    if form_lines:
        logger.info("PDF form: %d field values read from its form fields (they are no part of the text "
                    "layer)", form_lines)

    texts = ["\n".join(lines) for lines in pages]
    qualities = [measure(text) for text in texts]
    trigrams = known_trigrams(texts, qualities)
    if len(trigrams) >= MIN_TRIGRAMS:  # now shifted-letter lines on otherwise clean pages can be told
        qualities = [measure(text, trigrams=trigrams) if q.verdict == "ok" else q
                     for text, q in zip(texts, qualities)]
    flagged = [i for i, q in enumerate(qualities) if q.verdict != "ok"]
    lost = _lost_ligatures(texts, qualities)
    wanted = sorted(flagged + [i for i, (reason, _) in lost.items() if reason == "ligatures"])
    confidences: list[list[float | None]] = [[None] * len(lines) for lines in pages]
    sources = ["pdf"] * n_pages
    report: dict[int, PageOcr] = {}
    if wanted:
        why_not = ocr_engine.available(settings)
        if why_not is None:
            report = _ocr(raw, pages, confidences, sources, qualities, wanted, settings, on_ocr, trigrams,
                          lost)
        elif all(qualities[i].verdict == "empty" for i in range(n_pages)):
            raise SkipFile(f"PDF has no text layer (scanned) and cannot be OCR'd: {why_not}")
        elif flagged:
            logger.warning("%d PDF pages are damaged or empty and stay unread: %s", len(flagged), why_not)
    repairs: list[list[str | None]] = [[None] * len(lines) for lines in pages]  # after OCR: its lines
    if lost:
        _repair_ligatures(pages, repairs, sources, qualities, lost, report)
    if not any(text.strip() for lines in pages for text in lines):
        raise SkipFile("PDF has no text layer, and OCR found no text on its pages (blank or pictures only)")

    drops = running_lines(pages, frozenset(i for i in range(n_pages) if sources[i] == "ocr"))
    lines_out = [
        Line(text, page=n + 1, text_source=sources[n], ocr_confidence=confidences[n][i],
             text_repair=repairs[n][i])
        for n, page_lines in enumerate(pages)
        for i, text in enumerate(page_lines)
        if text and i not in drops[n]
    ]
    title = None
    try:
        title = meaningful_title(reader.metadata.title if reader.metadata else None)
    except Exception as exc:  # a broken Info dictionary costs the title, not the document
        logger.debug("no PDF title: %s", exc)
    return Extracted(lines_out, title=title, page_count=n_pages,
                     ocr_pages=tuple(report[i] for i in sorted(report)))


def _lost_ligatures(texts: list[str], qualities: list[TextQuality]
                    ) -> dict[int, tuple[str, ligatures.LigatureDamage]]:
    """The readable pages whose text layer lost ligature letters, by index: "ligatures" where the
    page's own rate shows it; "ligatures-document" where the page has a lost-glyph word and another
    page of the same language shows it (the broken font is the document's; a page of a few lines
    cannot show it by itself). A damaged page (OCR'd for that) that shows it counts as that other
    page: on the dev protocol the loss shows only on pages with shifted-letter headings too."""
    measured = {i: ligatures.measure(text, q.language) for i, (text, q) in enumerate(zip(texts, qualities))
                if q.verdict != "empty" and q.language}
    languages = {qualities[i].language for i, damage in measured.items() if damage.detected}
    found = {}
    for i, damage in measured.items():
        if qualities[i].verdict != "ok" or qualities[i].language not in languages:
            continue
        if damage.detected:
            found[i] = ("ligatures", damage)
        elif damage.damaged:
            found[i] = ("ligatures-document", damage)
    return found


def _repair_ligatures(
    pages: list[list[str]],
    repairs: list[list[str | None]],
    sources: list[str],
    qualities: list[TextQuality],
    lost: dict[int, tuple[str, ligatures.LigatureDamage]],
    report: dict[int, PageOcr],
) -> None:
    """Put lost ligature letters back from the lexicon on the pages of `lost` whose text layer stayed
    (lists changed in place): each changed line is marked "ligatures" (what chunks and the ingest
    summary read); the record of a page OCR'd for it but kept says how many words were put back.
    Pages not OCR'd get no record: `ocr_pages` lists the pages Tesseract read."""
    words = pages_changed = 0
    for index in sorted(lost):
        if sources[index] == "ocr":
            continue
        language = qualities[index].language
        changed = 0
        for i, line in enumerate(pages[index]):
            fixed, n = ligatures.repair(line, language)
            if n:
                pages[index][i], repairs[index][i] = fixed, "ligatures"
                changed += n
        words += changed
        pages_changed += bool(changed)
        if index in report:  # OCR'd for it, but the OCR text read worse
            text = "\n".join(pages[index])
            report[index] = dataclasses.replace(
                report[index], known_after=round(measure(text).known, 3),
                lost_after=round(ligatures.measure(text, language).per_1000, 1), repaired=changed)
    if pages_changed:
        logger.info("lost ligatures: %d words put back from the lexicon on %d pages", words, pages_changed)


def _ocr(
    raw: bytes,
    pages: list[list[str]],
    confidences: list[list[float | None]],
    sources: list[str],
    qualities: list[TextQuality],
    flagged: list[int],
    settings: OcrSettings,
    on_ocr: Callable[[int, int], None] | None,
    trigrams: frozenset[str] = frozenset(),
    lost: dict[int, tuple[str, ligatures.LigatureDamage]] | None = None,
) -> dict[int, PageOcr]:
    """OCR the flagged pages and put the OCR text in place where it reads better (lists changed in place).

    The language is the document's: the lexicon that knows most words on its clean pages; a document
    with none (a scan) is told by its first OCR'd page. A page of `lost` (lost ligature letters) takes
    the OCR text where the loss no longer shows in it and it reads no worse."""
    lost = lost or {}
    if len(flagged) > settings.max_pages:
        logger.warning("%d pages need OCR; the first %d are read", len(flagged), settings.max_pages)
        flagged = flagged[: settings.max_pages]
    votes: Counter[str] = Counter()
    for q in qualities:
        if q.verdict == "ok" and q.language:
            votes[q.language] += q.words
    language = votes.most_common(1)[0][0] if votes else None
    if on_ocr is not None:
        on_ocr(0, len(flagged))
    done = 0

    def step(_: int, __: int) -> None:
        nonlocal done
        done += 1
        if on_ocr is not None:
            on_ocr(done, len(flagged))

    # the vocabulary of clean pages: those that lost ligature letters would lend it "tll" and "efer"
    words = vocabulary(["" if i in lost else "\n".join(lines) for i, lines in enumerate(pages)], qualities)
    read = {}
    rest = flagged
    if language is None:
        read = ocr_engine.ocr_pages(raw, flagged[:1], None, settings, step)
        first = read.get(flagged[0])
        language = measure(first.text).language if first is not None else None
        rest = flagged[1:]
    read.update(ocr_engine.ocr_pages(raw, rest, language, settings, step))

    report = {}
    for index in flagged:
        result = read.get(index)
        before = qualities[index]
        if result is None:
            continue
        layer = "\n".join(pages[index])
        lines = [restore_diacritics(fix_item_signs(fix_signs(clean_line(line.text)), layer), language, words)
                 for line in result.lines]
        text = "\n".join(lines)
        after = measure(text, trigrams=trigrams)
        lost_before = lost_after = 0.0
        if index in lost:  # the loss gone (not just less: OCR reads a printed "tll" as "TIl"), no fewer known
            lost_before = lost[index][1].per_1000
            damage = ligatures.measure(text, before.language)
            lost_after = damage.per_1000
            use = not damage.detected and lost_after < lost_before and after.known >= before.known
        elif before.verdict == "empty":
            use = after.letters >= MIN_LETTERS
        else:  # reads better; or, where a few lines were garbled, reads them and no worse otherwise
            use = after.known >= before.known + OCR_MARGIN or (
                after.garbled_lines < before.garbled_lines and after.known >= before.known)
        if use:
            pages[index] = lines
            confidences[index] = [line.confidence if line.text else None for line in result.lines]
            sources[index] = "ocr"
        reason = lost[index][0] if index in lost else before.verdict
        report[index] = PageOcr(index + 1, reason, use, round(before.known, 3), round(after.known, 3),
                                result.confidence, result.cached, round(result.seconds, 2),
                                round(lost_before, 1), round(lost_after, 1))
    records = report.values()
    logger.info("OCR: %d of %d pages read (%d damaged, %d empty, %d lost ligatures), %d used, %d from the "
                "cache", len(report), len(pages), sum(r.reason == "damaged" for r in records),
                sum(r.reason == "empty" for r in records), sum(r.reason == "ligatures" for r in records),
                sum(r.used for r in records), sum(r.cached for r in records))
    return report


def _form_fields(reader: PdfReader, index: int) -> list[str]:
    """"Label: value" lines of the filled-in form fields (AcroForm widgets) on one page.

    A form's values live in its fields, not in the page's text layer, so pypdf's text extraction misses
    them: a filled-in form would read as a scan. The label is the field's tooltip (/TU) or its name."""
    try:
        annotations = reader.pages[index].get("/Annots")
        annotations = annotations.get_object() if annotations is not None else []
    except Exception:  # noqa: BLE001 - a broken annotation array costs the fields, not the page
        return []
    lines = []
    for ref in annotations or []:
        try:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field, value, label, kind = widget, None, None, None
            for _ in range(16):  # a field's name, type and value may sit on its parents
                value = field.get("/V") if value is None else value
                label = label or field.get("/TU") or field.get("/T")
                kind = kind or field.get("/FT")
                parent = field.get("/Parent")
                if parent is None:
                    break
                field = parent.get_object()
            text = _field_value(value, kind)
            if text:
                lines.append(clean_line(f"{clean_line(str(label))}: {text}" if label else text))
        except Exception as exc:  # noqa: BLE001 - one broken field
            logger.debug("form field unreadable: %s", exc)
    return lines


def _field_value(value: object, kind: object) -> str:
    if value is None:
        return ""
    if kind == "/Btn":  # a check box or radio button: its "on" state is a name, "/Off" when unchecked
        return "" if str(value) in ("/Off", "") else "[X]"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return "" if text.startswith("/") and kind != "/Tx" else text

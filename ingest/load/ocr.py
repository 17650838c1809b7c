"""Read rendered PDF pages with Tesseract: for scanned pages and pages whose text layer is damaged.

Pages are rendered with pdfium (pypdfium2) in grayscale and piped to Debian's `tesseract` binary (one
process per page, `OMP_THREAD_LIMIT=1`, as many at a time as there are cores: Tesseract's own threads
gain little on a page, parallel pages scale). Results are cached by the rendered page's pixels (plus
language, resolution and Tesseract version), so an unchanged page is never read twice, whatever
happens to the index.

Resolution: 200 dpi. On the 22 flagged pages of the dev protocol (personalsektionen; A4, 11-12 pt)
Tesseract used 1.46 CPU-s a page at 150 dpi, 1.61 at 200 and 2.01 at 300, for a lexicon hit rate of
0.801, 0.800 and 0.794 (text layer: 0.322); 200 keeps room for smaller print (tables, footnotes) within
the 3 s/page target. The language packs are Debian's `fast` models: `swe` and `fin` have no `§` or `%`
in their alphabet (they read "28 §" as "288" or "28 8"), so `eng` is always added ("swe+eng"), which
reads both but drops some å/ä/ö (put back afterwards, see textquality.restore_diacritics).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

TESSERACT_LANGUAGES = {"sv": "swe+eng", "fi": "fin+eng", "en": "eng"}
UNKNOWN_LANGUAGE = "fin+swe+eng"  # a fully scanned document: its language shows after the first page


@dataclass(frozen=True)
class OcrSettings:
    """How PDF pages are OCR'd; `enabled=False` keeps damaged text layers as they are."""

    enabled: bool = True
    dpi: int = 200
    cache_dir: Path | None = None  # e.g. <index>/ocr-cache; None: no cache
    workers: int = 0  # parallel Tesseract processes; 0 = one per core
    page_timeout_s: float = 60.0  # one page's Tesseract run
    page_budget_s: float = 15.0  # wall seconds per OCR'd page added to the loader's time bound
    max_pages: int = 2000  # pages OCR'd per file at most (the rest keeps its text layer)
    binary: str = "tesseract"


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float  # Tesseract's mean word confidence, 0-100


@dataclass(frozen=True)
class OcrPage:
    """One page as Tesseract read it: lines (blank ones between paragraphs) and the page's confidence."""

    lines: tuple[OcrLine, ...]
    confidence: float  # mean word confidence over the page, weighted by word length
    cached: bool = False
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class OcrUnavailable(RuntimeError):
    """No Tesseract binary or language pack: the message says what to install."""


@lru_cache(maxsize=4)
def _tesseract(binary: str) -> tuple[str, frozenset[str]]:
    """Tesseract's version and installed languages, or OcrUnavailable with the fix."""
    path = shutil.which(binary)
    if path is None:
        raise OcrUnavailable("Tesseract is not installed — `sudo apt-get install tesseract-ocr "
                             "tesseract-ocr-fin tesseract-ocr-swe tesseract-ocr-eng` (or `make system`)")
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract does not run: {exc}") from exc
    first = (version.stdout or version.stderr).splitlines()
    langs = frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())
    return (first[0].strip() if first else "tesseract"), langs


def available(settings: OcrSettings) -> str | None:
    """None when OCR can run, else the reason it cannot (with what to install)."""
    if not settings.enabled:
        return "OCR is switched off"
    try:
        _tesseract(settings.binary)
    except OcrUnavailable as exc:
        return str(exc)
    return None


def tesseract_languages(language: str | None, settings: OcrSettings) -> str:
    """The `-l` argument for a document language, limited to the installed packs."""
    wanted = TESSERACT_LANGUAGES.get(language or "", UNKNOWN_LANGUAGE)
    _, installed = _tesseract(settings.binary)
    have = [code for code in wanted.split("+") if code in installed]
    if len(have) < len(wanted.split("+")):
        logger.warning("Tesseract language packs missing for %s (installed: %s) — apt-get install "
                       "tesseract-ocr-fin tesseract-ocr-swe", wanted, ", ".join(sorted(installed)))
    return "+".join(have) or "eng"


def ocr_pages(
    raw: bytes,
    indexes: Iterable[int],
    language: str | None,
    settings: OcrSettings,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, OcrPage]:
    """OCR the pages `indexes` (0-based) of the PDF `raw`; a page Tesseract fails on is left out.

    Pages are rendered here one after the other (pdfium is not thread-safe) and read by up to
    `workers` Tesseract processes at a time; `progress(done, total)` after each page.
    """
    import pypdfium2 as pdfium

    wanted = list(indexes)
    version, _ = _tesseract(settings.binary)
    langs = tesseract_languages(language, settings)
    workers = settings.workers or os.cpu_count() or 1
    results: dict[int, OcrPage] = {}
    document = pdfium.PdfDocument(raw)
    pending: dict[int, Future[OcrPage | None]] = {}
    done = 0

    def collect(index: int) -> None:
        nonlocal done
        page = pending.pop(index).result()
        if page is not None:
            results[index] = page
        done += 1
        if progress is not None:
            progress(done, len(wanted))

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for index in wanted:
                image, digest = _render(document, index, settings.dpi)
                key = hashlib.sha256(f"{digest}|{langs}|{settings.dpi}|{version}".encode()).hexdigest()
                cached = _cache_get(settings.cache_dir, key)
                if cached is not None:
                    results[index] = cached
                    done += 1
                    if progress is not None:
                        progress(done, len(wanted))
                    continue
                while len(pending) >= 2 * workers:  # bound the rendered images held in memory
                    collect(next(iter(pending)))
                pending[index] = pool.submit(_read, image, langs, settings, key)
            for index in list(pending):
                collect(index)
    finally:
        document.close()
    return results


def _render(document, index: int, dpi: int) -> tuple[bytes, str]:
    """The page as a grayscale PGM image, and the hash of its pixels (the cache key's base)."""
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
    finally:
        page.close()
    digest = hashlib.sha256(image.tobytes()).hexdigest()
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # uncompressed: no time spent encoding a PNG
    return buffer.getvalue(), digest


def _read(image: bytes, langs: str, settings: OcrSettings, key: str) -> OcrPage | None:
    started = time.perf_counter()
    command = [shutil.which(settings.binary) or settings.binary, "stdin", "stdout", "-l", langs,
               "--psm", "3", "--dpi", str(settings.dpi), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, input=image, capture_output=True, timeout=settings.page_timeout_s,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        logger.warning("Tesseract took longer than %g s on a page", settings.page_timeout_s)
        return None
    except OSError as exc:
        logger.warning("Tesseract did not run: %s", exc)
        return None
    if done.returncode != 0:
        logger.warning("Tesseract failed: %s", done.stderr.decode("utf-8", "replace").strip()[:200])
        return None
    page = parse_tsv(done.stdout.decode("utf-8", "replace"))
    page = OcrPage(page.lines, page.confidence, cached=False, seconds=time.perf_counter() - started)
    _cache_put(settings.cache_dir, key, page)
    return page


_SECTION_SIGN = re.compile(r"(?<=\d) ?\$|\$(?= ?\d)")


def fix_signs(text: str) -> str:
    """`$` next to a number is a misread `§` ("41 $ Val av protokolljusterare", "enligt $ 12"): the
    minutes of a euro country number their items, they do not price them in dollars."""
    return _SECTION_SIGN.sub(lambda m: m.group(0).replace("$", "§"), text)


_ITEM_IN_LAYER = re.compile(r"(?<![\d.,/])(\d{1,4})(?: |n)?§")  # "28 §", "28§", damaged "n28n§"
_ITEM_MISREAD = re.compile(r"(?<![\d.,/])(\d{1,4}) ?[8S&$£](?=\s|$|[,.:;])")


def fix_item_signs(text: str, layer_text: str) -> str:
    """"28 §" where OCR read "288", "28 8", "28S" or "28 &", when the page's own text layer (whose
    digits and § survive the font damage that garbles its letters) has a "28 §". A scan has no layer:
    nothing is changed there."""
    numbers = set(_ITEM_IN_LAYER.findall(layer_text))
    if not numbers:
        return text

    def fix(match: re.Match[str]) -> str:
        return f"{match.group(1)} §" if match.group(1) in numbers else match.group(0)

    return _ITEM_MISREAD.sub(fix, text)


def parse_tsv(tsv: str) -> OcrPage:
    """Tesseract's TSV (one row per word, with block/paragraph/line numbers) as lines of text.

    A blank line separates paragraphs, as in the text a PDF library returns."""
    lines: list[OcrLine] = []
    words: list[tuple[str, float]] = []
    current: tuple[str, str, str] | None = None
    paragraph: tuple[str, str] | None = None
    weighted, weight = 0.0, 0

    def flush() -> None:
        if words:
            text = " ".join(w for w, _ in words)
            confidence = sum(c * len(w) for w, c in words) / max(1, sum(len(w) for w, _ in words))
            lines.append(OcrLine(text, round(confidence, 1)))
        words.clear()

    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            confidence = max(0.0, float(row.get("conf") or 0))
        except ValueError:
            confidence = 0.0
        where = (row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        if where != current:
            flush()
            if paragraph is not None and where[:2] != paragraph:
                lines.append(OcrLine("", 0.0))
            current, paragraph = where, where[:2]
        words.append((text, confidence))
        weighted += confidence * len(text)
        weight += len(text)
    flush()
    return OcrPage(tuple(lines), round(weighted / weight, 1) if weight else 0.0)


def _cache_get(cache_dir: Path | None, key: str) -> OcrPage | None:
    if cache_dir is None:
        return None
    path = cache_dir / key[:2] / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        lines = tuple(OcrLine(str(t), float(c)) for t, c in data["lines"])
        return OcrPage(lines, float(data["confidence"]), cached=True)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.debug("ignoring a broken OCR cache entry %s: %s", path, exc)
        return None


def _cache_put(cache_dir: Path | None, key: str, page: OcrPage) -> None:
    """Write atomically (a temporary file renamed into place): a killed ingest leaves no half entry."""
    if cache_dir is None:
        return
    path = cache_dir / key[:2] / f"{key}.json"
    data = {"lines": [[line.text, line.confidence] for line in page.lines], "confidence": page.confidence}
    tmp = path.with_suffix(f".{os.getpid()}.{id(page)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        logger.warning("could not write the OCR cache at %s: %s", cache_dir, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()

"""Lost ligature glyphs on the real Nykarleby minutes: the figures of BENCHMARKS.md "Lost ligature glyphs".

Not a test (pytest does not collect it): `python tests/bench_ligatures.py [--cache DIR] [--clean]`.
Each PDF is loaded three ways and the text it ends with measured (lost-glyph words per 1,000 words,
`ingest.load.ligatures.measure`; known-word share; ligature letter pairs per 1,000 letters, which also sees
the losses the lexicon cannot, "at" for "att"):

- before: as before issue 21 (damaged and empty pages OCR'd; lost ligatures left as they are),
- lexicon: lost ligatures put back from the lexicon only, no OCR for them,
- shipped: pages that show the loss OCR'd (the lexicon where the OCR text is not used), the
  document's other pages of that language put right from the lexicon,
- ocr-all: those other pages OCR'd too.

`--clean` also measures the clean texts in ../shared/real/web2, web and corpus/. Reads
../shared/real/ (development material outside the repository).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest import ligatures  # noqa: E402
from ingest.load.loaders import pdf_files  # noqa: E402
from ingest.load.loaders.common import Extracted  # noqa: E402
from ingest.load.ocr import OcrSettings  # noqa: E402
from ingest.load.textquality import TextQuality, measure  # noqa: E402

REAL = REPO.parent / "shared" / "real"
_PAIRS = re.compile(r"tt|ti|ft|fi|fl|ff", re.IGNORECASE)
_ORIGINAL = pdf_files._lost_ligatures


Found = dict[int, tuple[str, ligatures.LigatureDamage]]


def _nothing(texts: list[str], qualities: list[TextQuality]) -> Found:
    return {}


def _lexicon_only(texts: list[str], qualities: list[TextQuality]) -> Found:
    return {i: ("ligatures-document", damage) for i, (_, damage) in _ORIGINAL(texts, qualities).items()}


def _ocr_all(texts: list[str], qualities: list[TextQuality]) -> Found:
    return {i: ("ligatures", damage) for i, (_, damage) in _ORIGINAL(texts, qualities).items()}


def _rates(extracted: Extracted) -> Counter[str]:
    """Lost-glyph words, words, known words, letters and ligature pairs over the text the PDF ends with."""
    by_page: dict[int, list[str]] = {}
    for line in extracted.lines:
        by_page.setdefault(line.page or 0, []).append(line.text)
    total: Counter[str] = Counter()
    for lines in by_page.values():
        text = "\n".join(lines)
        quality = measure(text)
        damage = ligatures.measure(text, quality.language)
        total.update(words=damage.words, lost=damage.damaged, known=round(quality.known * quality.words),
                     letters=sum(ch.isalpha() for ch in text), pairs=len(_PAIRS.findall(text)))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ligature-bench-ocr-cache"),
                        help="OCR cache (a cold one times Tesseract)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="also measure the clean texts")
    args = parser.parse_args()
    pdfs = sorted((REAL / "nykarleby").glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {REAL / 'nykarleby'} (../shared/real/ is outside the repository)")
    settings = OcrSettings(cache_dir=args.cache, workers=args.workers)
    ways = {"before": _nothing, "lexicon": _lexicon_only, "shipped": _ORIGINAL, "ocr-all": _ocr_all}
    print("| PDF | pages | way | lost per 1,000 words | known share | tt/ti/ft/fi/fl/ff per 1,000 letters | "
          "pages OCR'd for it (OCR text used) | pages put right from the lexicon | Tesseract s | seconds |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for path in pdfs:
        raw = path.read_bytes()
        for way, finder in ways.items():
            pdf_files._lost_ligatures = finder
            started = time.perf_counter()
            extracted = pdf_files.load_pdf(raw, ocr=settings)
            seconds = time.perf_counter() - started
            rate = _rates(extracted)
            read = [r for r in extracted.ocr_pages if r.reason == "ligatures"]
            lexicon = {line.page for line in extracted.lines if line.text_repair == "ligatures"}
            used = sum(r.used for r in read)
            print(f"| {path.name.split('_')[0]} | {extracted.page_count} | {way} | "
                  f"{1000 * rate['lost'] / rate['words']:.1f} | {rate['known'] / rate['words']:.3f} | "
                  f"{1000 * rate['pairs'] / rate['letters']:.1f} | {len(read)} ({used}) | "
                  f"{len(lexicon)} | {sum(r.seconds for r in read):.1f} | {seconds:.1f} |")
    pdf_files._lost_ligatures = _ORIGINAL
    if args.clean:
        _clean()


def _clean() -> None:
    """The same measure on clean text: the web excerpts and the project's corpus."""
    folders = (REAL / "web2", REAL / "web", REPO / "corpus")
    files = [path for folder in folders for path in sorted(folder.glob("*.txt"))]
    total: Counter[tuple[str, str]] = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        language = measure(text).language
        if language not in ("sv", "fi"):
            continue
        damage = ligatures.measure(text, language)
        total.update({(language, "files"): 1, (language, "words"): damage.words,
                      (language, "lost"): damage.damaged, (language, "unknown"): damage.unknown,
                      (language, "detected"): damage.detected})
    for language in ("sv", "fi"):
        words = total[language, "words"]
        print(f"clean {language}: {total[language, 'files']} texts, {words} words, "
              f"{1000 * total[language, 'lost'] / words:.2f} lost per 1,000, "
              f"{total[language, 'lost'] / max(1, total[language, 'unknown']):.4f} of unknown words, "
              f"{total[language, 'detected']} texts detected")


if __name__ == "__main__":
    main()

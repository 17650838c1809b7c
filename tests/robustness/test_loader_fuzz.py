"""Fuzz the loaders with mutated real files and hostile constructions: every input ends in a document or a
one-line SkipFile, within the time and memory bounds of the isolated loader worker.

Bounds held here (`conftest.TEST_TIMEOUT_S`, `TEST_MEMORY_MB`): 20 s wall clock per file (plus 10 s for
the worker's start and clean-up) and 768 MB of address space on top of the worker's own; the ingest
process itself never parses these files. The default run tries a few hundred inputs; `-m slow` tries
thousands and the full-size bombs.
"""

from __future__ import annotations

import html
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

import ingest.load.isolation as isolation
from ingest.load import SkipFile, load_document
from ingest.load.isolation import IsolationSettings
from ingest.records import LoadedDocument

from . import hostile_files as hf
from .conftest import REPO, SLACK_S, TEST_TIMEOUT_S
from .mutations import mutate

DEFAULT_MUTANTS = 30  # per seed file
SLOW_MUTANTS = 1000
MINUTES_TEXT = (REPO / "tests" / "data" / "fi_valtuusto_poytakirja.txt").read_text(encoding="utf-8")
LABELS = ("Päätös", "Päätösehdotus", "Selostus", "Käsittely")


def _docx_seed(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Valtuuston pöytäkirja"
    for line in MINUTES_TEXT.splitlines():
        if line.strip() in LABELS:
            document.add_heading(line.strip(), level=2)
        elif line.strip():
            document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    rows = [("Toimenpide", "Vastuutaho", "Aikataulu"), ("Digituki", "Kirjasto", "2025")]
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.save(path)
    return path


def _html_seed(path: Path) -> Path:
    blocks = "".join(
        f"<h2>{html.escape(line)}</h2>" if line.strip() in LABELS else f"<p>{html.escape(line)}</p>"
        for line in MINUTES_TEXT.splitlines() if line.strip()
    )
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Valtuuston pöytäkirja</title></head><body>"
        f"<nav><a href='/'>Etusivu</a></nav><main><table><tr><td>{blocks}</td></tr></table></main>"
        "<footer>Kaupunki</footer></body></html>", encoding="utf-8")
    return path


def _pdf_seed(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    lines = MINUTES_TEXT.splitlines()
    for start in range(0, len(lines), 25):
        pdf.add_page()
        for line in lines[start:start + 25]:
            text = line.encode("latin-1", "replace").decode("latin-1") or " "
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Real files of every format: generated minutes (DOCX, HTML, PDF) and the test documents."""
    folder = tmp_path_factory.mktemp("seeds")
    made = [_docx_seed(folder / "minutes.docx"), _html_seed(folder / "minutes.html"),
            _pdf_seed(folder / "minutes.pdf")]
    for name in (
            "sv_handlingsplan.pdf", "fi_digiohjelma_toimenpiteet.md",
            "sv_kommunstyrelsen_protokoll.txt",
    ):
        made.append(Path(shutil.copy(REPO / "tests" / "data" / name, folder / name)))
    return made


def outcome(path: Path, bounds: IsolationSettings) -> tuple[str, float]:
    """("ok" | "skip: reason", seconds) — any other exception fails the test."""
    started = time.perf_counter()
    try:
        doc = load_document(path, isolation=bounds)
    except SkipFile as exc:
        reason = str(exc)
        assert reason and "\n" not in reason
        result = f"skip: {reason}"
    else:
        assert isinstance(doc, LoadedDocument) and doc.lines and doc.language in ("fi", "sv", "en")
        for line in doc.lines:
            line.text.encode("utf-8")  # nothing the index could not store
        result = "ok"
    elapsed = time.perf_counter() - started
    assert elapsed <= TEST_TIMEOUT_S + SLACK_S, (path.name, elapsed, result)
    return result, elapsed


def fuzz(seeds: list[Path], tmp_path: Path, per_seed: int, figures, target: str,
         bounds: IsolationSettings) -> None:
    for seed in seeds:
        raw = seed.read_bytes()
        fmt = seed.suffix.lstrip(".")
        for i in range(per_seed):
            rng = random.Random(f"{seed.name}:{i}")
            how, data = mutate(raw, rng, zip_aware=seed.suffix == ".docx")
            path = tmp_path / f"mutant{seed.suffix}"
            path.write_bytes(data)
            try:
                result, elapsed = outcome(path, bounds)
            except AssertionError as exc:
                raise AssertionError(f"{seed.name} mutant {i} ({how}): {exc}") from exc
            figures.add(f"{target} {fmt}", "inputs")
            figures.add(f"{target} {fmt}", "read" if result == "ok" else "skipped")
            figures.peak(f"{target} {fmt}", "max seconds", round(elapsed, 2))
    record_worker_peak(figures)


def record_worker_peak(figures) -> None:
    """The live loader worker's peak resident memory (VmHWM), for the report."""
    worker = isolation._worker
    if worker is None or not worker.alive():
        return
    with open(f"/proc/{worker.process.pid}/status", encoding="ascii") as fh:
        peak = next((int(line.split()[1]) for line in fh if line.startswith("VmHWM:")), 0)
    figures.peak("loader worker", "peak resident MB", round(peak / 1024))


def test_mutated_files_end_in_a_document_or_a_clean_skip(seeds, tmp_path, loader_bounds, figures) -> None:
    fuzz(seeds, tmp_path, DEFAULT_MUTANTS, figures, "fuzz mutated", loader_bounds)


@pytest.mark.slow
def test_slow_many_mutated_files(seeds, tmp_path, loader_bounds, figures) -> None:
    fuzz(seeds, tmp_path, SLOW_MUTANTS, figures, "fuzz mutated (slow)", loader_bounds)


# ------------------------------------------------------------------------------------ hostile files

Builder = Callable[[Path], Path]
# name → (builder at default size, builder at full size, what must come out: "skip", "ok" or "any")
HOSTILE: dict[str, tuple[Builder, Builder, str]] = {
    "pdf-thousands-of-pages": (lambda d: hf.pdf_many_pages(d / "pages.pdf", 1000),
                               lambda d: hf.pdf_many_pages(d / "pages.pdf", 20_000), "any"),
    "pdf-flate-bomb": (lambda d: hf.pdf_flate_bomb(d / "bomb.pdf", 200),
                       lambda d: hf.pdf_flate_bomb(d / "bomb.pdf", 4096), "skip"),
    "pdf-huge-image": (lambda d: hf.pdf_huge_image(d / "image.pdf", 256),
                       lambda d: hf.pdf_huge_image(d / "image.pdf", 16_384, side=10**7), "any"),
    "pdf-page-tree-cycle": (lambda d: hf.pdf_page_tree_cycle(d / "cycle.pdf"),) * 2 + ("skip",),
    "pdf-deep-nesting": (lambda d: hf.pdf_deep_nesting(d / "deep.pdf", 10_000),
                         lambda d: hf.pdf_deep_nesting(d / "deep.pdf", 1_000_000), "any"),
    "pdf-xref-loop": (lambda d: hf.pdf_xref_loop(d / "loop.pdf"),) * 2 + ("any",),
    "docx-zip-bomb": (lambda d: hf.docx_zip_bomb(d / "bomb.docx", 150),
                      lambda d: hf.docx_zip_bomb(d / "bomb.docx", 2048), "skip"),
    "docx-lying-zip-sizes": (lambda d: hf.docx_lying_sizes(d / "lying.docx", 16),
                             lambda d: hf.docx_lying_sizes(d / "lying.docx", 190), "skip"),
    "docx-20000-members": (lambda d: hf.docx_many_members(d / "members.docx", 20_000),
                           lambda d: hf.docx_many_members(d / "members.docx", 100_000), "skip"),
    "docx-billion-laughs": (lambda d: hf.docx_billion_laughs(d / "laughs.docx"),) * 2 + ("skip",),
    "docx-deep-nesting": (lambda d: hf.docx_deep_nesting(d / "deep.docx", 5_000),
                          lambda d: hf.docx_deep_nesting(d / "deep.docx", 500_000), "skip"),
    "docx-many-paragraphs": (lambda d: hf.docx_many_paragraphs(d / "paragraphs.docx", 20_000),
                             lambda d: hf.docx_many_paragraphs(d / "paragraphs.docx", 1_000_000), "any"),
    "html-deep-nesting": (lambda d: hf.html_deep_nesting(d / "deep.html", 50_000),
                          lambda d: hf.html_deep_nesting(d / "deep.html", 1_000_000), "any"),
    "html-unclosed-tables": (lambda d: hf.html_unclosed(d / "unclosed.html", 5_000),
                             lambda d: hf.html_unclosed(d / "unclosed.html", 500_000), "any"),
    "html-huge-attribute": (lambda d: hf.html_huge_attribute(d / "attribute.html", 5),
                            lambda d: hf.html_huge_attribute(d / "attribute.html", 150), "any"),
    "html-entity-flood": (lambda d: hf.html_entity_flood(d / "entities.html", 200_000),
                          lambda d: hf.html_entity_flood(d / "entities.html", 6_000_000), "any"),
    "txt-many-pages": (lambda d: hf.text_many_pages(d / "pages.txt", 20_000),
                       lambda d: hf.text_many_pages(d / "pages.txt", 1_000_000), "any"),
    "md-unclosed-markers": (lambda d: hf.markdown_unclosed_markers(d / "markers.md", 512),
                            lambda d: hf.markdown_unclosed_markers(d / "markers.md", 8192), "any"),
}


def _hostile(name: str, tmp_path: Path, figures, full: bool, bounds: IsolationSettings) -> None:
    small, big, expected = HOSTILE[name]
    path = (big if full else small)(tmp_path)
    result, elapsed = outcome(path, bounds)
    if expected != "any":
        assert result.startswith(expected), result
    target = "hostile files (full size)" if full else "hostile files"
    figures.add(target, "inputs")
    figures.add(target, "read" if result == "ok" else "skipped")
    figures.peak(target, "max seconds", round(elapsed, 2))
    figures.add(f"{target}, each", f"{name} → {result[6:50] if result != 'ok' else 'read'} ({elapsed:.1f} s)")
    record_worker_peak(figures)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file(name: str, tmp_path: Path, loader_bounds, figures) -> None:
    _hostile(name, tmp_path, figures, full=False, bounds=loader_bounds)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_slow_hostile_file_at_full_size(name: str, tmp_path: Path, loader_bounds, figures) -> None:
    _hostile(name, tmp_path, figures, full=True, bounds=loader_bounds)


def test_a_pdf_mapping_glyphs_to_surrogates_still_indexes(tmp_path: Path, loader_bounds) -> None:
    """Was: a ToUnicode map to U+D800 put lone surrogates in the text; the chunker could not hash it."""
    path = tmp_path / "surrogates.pdf"
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"2 beginbfchar <41> <D800> <42> <DFFF> endbfchar\nendcmap CMapName currentdict /CMap "
            b"defineresource pop end end")
    content = b"BT /F1 11 Tf 50 780 Td (AB Kaupunginhallitus hyvaksyi digiohjelman kokouksessaan) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>", hf._stream(content),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>", hf._stream(cmap),
    ]
    path.write_bytes(hf._pdf(objects))
    doc = load_document(path, isolation=loader_bounds)
    assert "Kaupunginhallitus hyvaksyi" in doc.text
    doc.text.encode("utf-8")


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path: Path) -> None:
    """Was: a name with undecodable bytes (from a cp1252 zip) made every ingest of the folder fail."""
    path = tmp_path / b"p\xe4\xe4t\xf6s.txt".decode("utf-8", "surrogateescape")
    path.write_text("Päätös tehtiin.", encoding="utf-8")
    with pytest.raises(SkipFile, match="not valid UTF-8"):
        load_document(path)


def test_markdown_with_unclosed_markers_reads_in_linear_time(tmp_path: Path) -> None:
    """Was: an 80 kB line of "**a " took 40 s in-process (each marker scanned to the end of the line)."""
    path = hf.markdown_unclosed_markers(tmp_path / "markers.md", 256)  # 256 kB: read in-process
    started = time.perf_counter()
    load_document(path, isolation=IsolationSettings(enabled=False))
    assert time.perf_counter() - started < 5


def test_nested_layout_tables_read_in_linear_time(tmp_path: Path) -> None:
    """Was: every cell of nested tables searched its whole subtree; 10 000 unclosed cells took 66 s."""
    path = hf.html_unclosed(tmp_path / "unclosed.html", 10_000)
    started = time.perf_counter()
    load_document(path, isolation=IsolationSettings(enabled=False))
    assert time.perf_counter() - started < 10

"""Lost ligature glyphs: text layers that drop the second letter of tt/ti/ft/fi/fl/ff (ingest.load.ligatures).

The fast tests damage text written here the way such a font does (each pair keeps its first letter) and
check that the damage is found by its rate, that clean text is not, and that the lexicon repair puts
the words back; a generated PDF carries such a text layer through the loader. The `realdocs` test reads
the Nykarleby minutes in ../shared/real/ (development material outside the repository).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from fpdf import FPDF

import ingest.load.ligatures as ligatures
from ingest.load.loaders.pdf_files import load_pdf
from ingest.load.ocr import OcrSettings

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "nykarleby"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

CLEAN_SV = (
    "Efter en kort diskussion beslutade nämnden att godkänna förslaget till ny arbetsfördelning. "
    "Det finns ett behov av fler platser i daghemmet, och staden ska därför utreda om det är möjligt "
    "att flytta verksamheten till den tidigare skolbyggnaden. Kostnaderna för ersättningarna omfattas "
    "av budgeten för detta år. Nämnden konstaterade att sitt tidigare beslut fortsätter att gälla och "
    "att frågan tas upp till behandling i september. Till sekreterare valdes personalchefen. Frågan om "
    "fritidsverksamhetens lokaler och idrottsplatsen utreds efter sommaren, eftersom underskrifterna "
    "samlades in först i augusti. Ledamöterna diskuterade också tidtabellen för kollektivtrafiken och "
    "effektiv användning av befintliga lokaler. Förslaget att inleda ett samarbete med grannkommunen "
    "omfattar skolskjutsar, fritidsgårdar och biblioteket, och det ska förverkligas till hösten."
)
CLEAN_FI = (
    "Kaupunginhallitus päätti, että asia valmistellaan uudelleen ja tuodaan valtuustolle tiedoksi "
    "syksyllä. Tilanne on muuttunut, koska liikuntapaikkojen kunnostaminen maksaa arvioitua enemmän. "
    "Puheenjohtaja totesi, että kokous oli laillisesti koolle kutsuttu. Sivistyslautakunta esittää, "
    "että kirjaston aukioloaikoja pidennetään ja että tietoa palveluista lisätään verkkosivuille. "
    "Tavoitteena on turvata lasten ja nuorten harrastusmahdollisuudet sekä kehittää yhteistyötä "
    "naapurikuntien kanssa. Toimitilojen käyttöaste selvitetään, ja selvitys tuodaan lautakunnalle. "
    "Talousarvion toteutumista seurataan kuukausittain, ja poikkeamista raportoidaan hallitukselle."
)
_LIGATURE = re.compile(r"(?<=t)[ti]|(?<=f)(?:fi|fl|[tilf])", re.IGNORECASE)


def lose_ligatures(text: str) -> str:
    """What the broken font's text layer reads: each ligature glyph as its first letter only."""
    return _LIGATURE.sub("", text)


# --- the measure and the repair (no files) ------------------------------------------------------------
def test_lost_ligatures_are_found_by_their_rate() -> None:
    damaged = lose_ligatures(CLEAN_SV)
    assert "tll" in damaged and "efer" in damaged and "omfatar" in damaged  # the damage is the font's
    found = ligatures.measure(damaged, "sv")
    assert found.detected and found.kinds >= 10
    assert found.per_1000 > 50 and found.share > 0.5


def test_finnish_lost_ligatures_are_found_too() -> None:
    found = ligatures.measure(lose_ligatures(CLEAN_FI), "fi")
    assert found.detected and found.kinds >= ligatures.MIN_KINDS


@pytest.mark.parametrize(("text", "language"), [(CLEAN_SV, "sv"), (CLEAN_FI, "fi")], ids=["sv", "fi"])
def test_clean_text_is_not_detected(text: str, language: str) -> None:
    found = ligatures.measure(text, language)
    assert not found.detected and found.per_1000 < ligatures.RATE_ABOVE


def test_a_repeated_name_on_a_clean_page_is_one_kind_not_a_font() -> None:
    """A name that reads as a damaged word, printed often, stays below MIN_KINDS: the rate alone would
    fire on it, the different damaged words do not."""
    page = CLEAN_SV + " Martn Martn Martn Martn Martn har ordet."
    found = ligatures.measure(page, "sv")
    assert found.damaged >= 5 and found.kinds == 1 and not found.detected


def test_the_repair_puts_the_words_back() -> None:
    damaged = lose_ligatures(CLEAN_SV)
    repaired, changed = ligatures.repair(damaged, "sv")
    assert changed >= 15
    for word in ("till", "Efter", "finns", "omfattar", "kollektivtrafiken", "fritidsverksamhetens",
                 "effektiv"):
        assert re.search(rf"\b{word}\b", repaired), word
    assert ligatures.measure(repaired, "sv").per_1000 < ligatures.RATE_ABOVE
    # clean text is left as it is; a known word ("att" lost as "at" is a word) cannot be told
    assert ligatures.repair(CLEAN_SV, "sv") == (CLEAN_SV, 0)
    assert ligatures.repair("TLL OCH EFER", "sv")[0] == "TILL OCH EFTER"
    assert ligatures.repair("tll", None) == ("tll", 0)


# --- through the PDF loader (a generated PDF whose text layer has lost its ligatures) ------------------
needs_font = pytest.mark.skipif(not FONT.exists(),
                                reason=f"{FONT} missing (apt-get install fonts-dejavu-core)")


def _pdf(pages: list[str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@needs_font
def test_the_loader_repairs_a_lost_ligature_page_and_marks_its_lines() -> None:
    """Without OCR the lexicon puts the words back and marks the lines it changed (no OCR record: none
    was read); the clean page stays as it is."""
    raw = _pdf([CLEAN_FI, lose_ligatures(CLEAN_SV)])
    extracted = load_pdf(raw, ocr=OcrSettings(enabled=False))
    text = "\n".join(line.text for line in extracted.lines if line.page == 2)
    assert "tll" not in text.split() and "Efter en kort diskussion" in text
    assert extracted.ocr_pages == ()
    assert "ligatures" in {line.text_repair for line in extracted.lines if line.page == 2}
    assert {line.text_repair for line in extracted.lines if line.page == 1} == {None}


@needs_font
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (make system)")
def test_a_page_whose_print_has_the_same_loss_keeps_its_layer_repaired(tmp_path: Path) -> None:
    """The page is OCR'd, but here the print itself reads "tll" (text written that way, not a broken
    font): the OCR text has no fewer lost-glyph words, so the layer stays and the lexicon repairs it."""
    raw = _pdf([CLEAN_FI, lose_ligatures(CLEAN_SV)])
    extracted = load_pdf(raw, ocr=OcrSettings(cache_dir=tmp_path / "cache"))
    (record,) = extracted.ocr_pages
    assert (record.page, record.reason, record.used) == (2, "ligatures", False)
    assert record.repaired >= 15 and record.lost_before > 50 and record.lost_after < ligatures.RATE_ABOVE
    assert {line.text_source for line in extracted.lines} == {"pdf"}


def test_chunks_and_the_ingest_summary_say_what_was_repaired() -> None:
    from ingest.chunk import chunk_document
    from ingest.pipeline import IngestReport
    from ingest.records import Line, ParsedDocument, Section

    lines = (Line("Nämnden beslutade enligt förslaget.", page=1, text_source="pdf"),
             Line("Ärendet tas upp till behandling efter sommaren.", page=1, text_source="pdf",
                  text_repair="ligatures"))
    doc = ParsedDocument("a.pdf", "A", "sv", "minutes", (Section(("§ 1",), "decision", lines),), "hash")
    (chunk,) = chunk_document(doc)
    assert chunk.text_repair == "ligatures" and chunk.metadata()["text_repair"] == "ligatures"
    clean = ParsedDocument("a.pdf", "A", "sv", "minutes", (Section(("§ 1",), "decision", lines[:1]),), "hash")
    assert "text_repair" not in chunk_document(clean)[0].metadata()

    report = IngestReport(ocr_pages={"ligatures_ocr": 6, "ligatures_cached": 2, "ligatures_lexicon": 4})
    summary = report.summary()
    assert ("Lost ligatures: 10 PDF pages whose text layer lost the letters of tt/ti/ft/fi glyphs "
            "(6 re-read by OCR, 2 of them from the OCR cache; 4 put right from the lexicon)") in summary
    assert "OCR:" not in summary  # no page was OCR'd for damage or a missing layer


@needs_font
@pytest.mark.integration
def test_an_ingest_says_which_pages_lost_ligatures(tmp_path: Path) -> None:
    """Through the isolated loader worker (the marks travel with the lines) to the summary."""
    from robustness.fake_embeddings import FakeEmbeddings

    from ingest.pipeline import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "minutes.pdf").write_bytes(_pdf([CLEAN_FI, lose_ligatures(CLEAN_SV)]))
    report = build_index([docs], tmp_path / "index", FakeEmbeddings(), ocr=OcrSettings(enabled=False))
    assert report.ocr_pages == {"ligatures_lexicon": 1}
    assert ("Lost ligatures: 1 PDF pages whose text layer lost the letters of tt/ti/ft/fi glyphs (0 re-read "
            "by OCR, 0 of them from the OCR cache; 1 put right from the lexicon)") in report.summary()


# --- the real minutes ----------------------------------------------------------------------------------
NYKARLEBY = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
needs_real = pytest.mark.skipif(len(NYKARLEBY) != 3, reason=f"real documents missing: {REAL} "
                                "(../shared/real/ is development material outside the repository)")


@needs_real
@pytest.mark.realdocs
def test_the_real_minutes_lost_ligatures_are_found_and_repaired() -> None:
    """The three Nykarleby minutes' text layers, without OCR (the lexicon repair; the same on every
    machine). Välfärdsnämnden's report pages and one of ungdomsfullmäktige's show the loss by their
    own rate; personalsektionen shows it only on pages with shifted-letter headings (OCR'd for those,
    left here), and two of its short pages are put right as the document's. Its Finnish attachment is
    left alone."""
    started = time.perf_counter()
    found = {path.name.split("_")[0]: load_pdf(path.read_bytes(), ocr=OcrSettings(enabled=False))
             for path in NYKARLEBY}
    seconds = time.perf_counter() - started
    own = {name: {r.page for r in e.ocr_pages if r.reason == "ligatures"} for name, e in found.items()}
    assert not any(own.values())  # no OCR, no record
    repaired = {name: {line.page for line in e.lines if line.text_repair == "ligatures"}
                for name, e in found.items()}
    assert {7, 8, 9, 11, 15} <= repaired["valfardsnamnden"] and 6 in repaired["ungdomsfullmaktige"]
    assert 1 <= len(repaired["personalsektionen"]) <= 4
    assert not set(range(49, 61)) & repaired["personalsektionen"]  # the Finnish attachment
    for name, extracted in found.items():
        words = {word for line in extracted.lines if line.page in repaired[name]
                 for word in line.text.split()}
        assert not {"tll", "efer", "fnns"} & words, name  # the font's commonest losses
    assert seconds < 60
    print(f"3 PDFs (138 pages) loaded without OCR in {seconds:.1f} s")


@needs_real
@pytest.mark.realdocs
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (make system)")
def test_the_real_lost_ligature_pages_are_read_by_ocr(tmp_path: Path) -> None:
    """With OCR, the detected pages are read again and the OCR text replaces the layer where it has
    fewer lost-glyph words and reads no worse."""
    path = next(p for p in NYKARLEBY if p.name.startswith("valfardsnamnden"))
    extracted = load_pdf(path.read_bytes(), ocr=OcrSettings(cache_dir=tmp_path / "cache"))
    records = [r for r in extracted.ocr_pages if r.reason == "ligatures"]
    assert len(records) >= 5 and sum(r.used for r in records) >= 4
    for record in records:
        assert record.lost_after < record.lost_before and record.known_after >= record.known_before
    ocr_pages = {r.page for r in records if r.used}
    assert {line.text_source for line in extracted.lines if line.page in ocr_pages} == {"ocr"}

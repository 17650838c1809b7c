"""A cited PDF page as an image with the quote highlighted: pdfium's character boxes for a text page,
Tesseract's word boxes for a scanned page, the page unmarked when the quote is not on it."""

from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from webapp.pages import MARK_LINE, render_page

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEXT = (
    "Kunnanhallitus päätti hyväksyä digitaalisen ohjelman ja sen rahoitussuunnitelman. "
    "Toteutuksesta vastaa tietohallintoyksikkö yhdessä toimialojen kanssa vuosina 2024–2027."
)
QUOTE = "Toteutuksesta vastaa tietohallintoyksikkö yhdessä toimialojen kanssa"


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FONT.exists():
        pytest.skip(f"{FONT} missing (Debian fonts-dejavu-core)")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", "", 11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Ensimmäinen sivu.")
    pdf.add_page()
    pdf.multi_cell(0, 6, TEXT)
    path = tmp_path_factory.mktemp("pdf") / "kh.pdf"
    pdf.output(str(path))
    return path


def _marked_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for px in image.getdata() if px == MARK_LINE[:3])


def test_text_page_quote_boxes_on_its_line(text_pdf: Path) -> None:
    page = render_page(text_pdf, 2, QUOTE)
    assert page.method == "text" and page.page == 2 and page.boxes
    assert page.png.startswith(b"\x89PNG") and _marked_pixels(page.png) > 100
    # A4 at scale 1.5 is 893 x 1263 px; the quote is on the text's second line (6 mm lines from 10 mm):
    # its boxes lie in the top fifth of the page and start at the left margin (10 mm ≈ 43 px)
    assert (page.width, page.height) == (893, 1263)
    left = min(b[0] for b in page.boxes)
    top, bottom = min(b[1] for b in page.boxes), max(b[3] for b in page.boxes)
    assert 30 < left < 60 and 0 < top < bottom < page.height / 5
    # not found on page 1: the page is shown, unmarked
    other = render_page(text_pdf, 1, QUOTE)
    assert other.method == "none" and not other.boxes and _marked_pixels(other.png) == 0
    with pytest.raises(ValueError, match="has 2 pages"):
        render_page(text_pdf, 3, QUOTE)


def test_quote_from_extracted_text_with_other_line_breaks(text_pdf: Path) -> None:
    # the extracted quote has a line break where the page has none, and the page breaks its line
    # after "rahoitussuunnitelman.": found as two runs of words, one box on each printed line
    quote = "ja sen rahoitussuunnitelman.\nToteutuksesta vastaa tietohallintoyksikkö"
    page = render_page(text_pdf, 2, quote)
    assert page.method == "text" and len(page.boxes) == 2
    assert page.boxes[0][1] < page.boxes[1][1]  # in reading order, the second a line lower


def test_scanned_page_found_by_ocr(text_pdf: Path, tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fin)")
    import pypdfium2 as pdfium

    scan = tmp_path / "scan.pdf"  # page 2 as an image only: no text layer, as a scanned page
    image = pdfium.PdfDocument(str(text_pdf))[1].render(scale=2).to_pil().convert("RGB")
    image.save(scan, "PDF", resolution=144)
    page = render_page(scan, 1, QUOTE, ocr=True)
    assert page.method == "ocr"
    assert len(page.boxes) >= 5  # the six words of the quote, each Tesseract's own box
    missing = render_page(scan, 1, "sote-uudistuksen talousarvio ylittyi")
    assert missing.method == "none" and not missing.boxes


REAL_PDF = (Path(__file__).resolve().parents[2] / "shared" / "real" / "nykarleby"
            / "ungdomsfullmaktige_protokoll_30_01_2023_16_15_153457.pdf")


@pytest.mark.realdocs
def test_a_real_protocol_page_marks_the_quoted_decision_not_the_heading() -> None:
    """The ungdomsfullmäktige protocol's § 9 (page 11): its heading and its decision share words ("i",
    "ungdomsfullmäktige"); the marks must lie on the decision. The quote is the decision as this project
    parses it (read from ../shared/real at test time, never copied here)."""
    if not REAL_PDF.exists():
        pytest.skip(f"real documents missing: {REAL_PDF} (../shared/real/nykarleby)")
    import pypdfium2 as pdfium

    from ingest.chunk import chunk_document
    from ingest.load import load_document
    from ingest.parse import parse_document
    from webapp.pages import SCALE, _norm, _words

    chunks = chunk_document(parse_document(load_document(REAL_PDF)))
    decision = next(c for c in chunks if c.page == 11 and c.section_kind == "decision")
    quote = decision.text.split(".")[0] + "."
    page = render_page(REAL_PDF, 11, quote)
    assert page.method == "text" and page.boxes
    # the words under the marks (read back from the text layer) are the quote's words
    textpage = pdfium.PdfDocument(str(REAL_PDF))[10].get_textpage()
    height = pdfium.PdfDocument(str(REAL_PDF))[10].get_height()
    under = " ".join(textpage.get_text_bounded(left / SCALE, height - bottom / SCALE, right / SCALE,
                                               height - top / SCALE)
                     for left, top, right, bottom in page.boxes)
    # (this layer's font maps some letters wrongly, "ersättarg" for "ersättare": alike, not equal)
    wanted = {_norm(w) for w in _words(quote)}
    found = {_norm(w) for w in _words(under)}
    alike = {w for w in wanted if any(difflib.SequenceMatcher(None, w, f).ratio() >= 0.75 for f in found)}
    assert len(alike) >= 0.6 * len(wanted), (quote, under)
    # and none of them on the item's heading line, which comes first on the page
    heading = next(c for c in chunks if c.page == 11 and c.section_kind == "item_header")
    heading_word = next(w for w in _words(heading.text) if len(w) > 6 and _norm(w) not in wanted)
    assert _norm(heading_word) not in found

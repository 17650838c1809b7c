"""Page text quality, OCR of scanned and damaged PDF pages, form fields, running lines on OCR'd pages.

The PDFs are generated here: a scan (text drawn into a picture, no text layer), a PDF whose font's
ToUnicode map is edited so that its glyphs print right and its text layer reads "l" as "j" and spaces as
"n" (the damage `../shared/real/README.md` describes), and a form whose text is only in its fields.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

import ingest.load.ocr as ocr
from ingest.load import SkipFile, load_document, read_document
from ingest.load.loaders.pages import remove_running_lines
from ingest.load.loaders.pdf_files import load_pdf
from ingest.load.ocr import OcrSettings, fix_item_signs, fix_signs, parse_tsv
from ingest.load.textquality import MIN_TRIGRAMS, known_trigrams, measure, restore_diacritics

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "nykarleby"
DEV_PDF = REAL / "personalsektionen_protokoll_29_05_2023_15_00_164658.pdf"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract is not installed (make system)")
needs_font = pytest.mark.skipif(not FONT.exists(),
                                reason=f"{FONT} missing (apt-get install fonts-dejavu-core)")

CLEAN_SV = (
    "Personalsektionen beslutade att godkänna förslaget. Ordföranden öppnade sammanträdet och "
    "konstaterade att sammanträdet var lagligt sammankallat och beslutfört. Till protokolljusterare "
    "valdes två medlemmar. Förslaget till beslut godkändes utan ändringar."
)
# The damage of the real protocols: lost "ti" ligatures, l→j, spaces read as "n"
DAMAGED_SV = (
    "Personalsektonenn12.2.2024,n41n§ Tillnprouokollj suerarenvaldesnTobiasnWiknochnMarlenenLindgren. "
    "Tjänsteinnehavarnasnochnarbetstagarnasnuppgifsrelateradenlönernellerndärmedn protokojjet "
    "medjemmarna Säagbmiulälä detiddm idmläuä: Dngem för daeufåemdae rälsmns nm e meda n tidasfrns"
)
MORE_SV = (
    "Nämnden för utbildning och småbarnspedagogik behandlade motionen om klädbidrag till personalen. "
    "Stadsstyrelsen föreslår att fullmäktige beslutar att godkänna budgeten för nästa år. Arbetsgivaren "
    "ska förhandla med representanter för huvudavtalsorganisationerna om fördelningen av den lokala "
    "justeringspotten. Lönerna höjs från början av juni enligt det allmänna kollektivavtalet. Mötet "
    "avslutades klockan fyra och protokollet justerades elektroniskt följande vecka. Ärendet återremitteras "
    "för ny beredning, eftersom utredningen saknade uppgifter om kostnaderna och om hur verksamheten "
    "påverkas. Kommunen ansvarar för skolor, daghem, vägar, vatten och äldreomsorg i hela regionen. "
    "Direktören presenterade den ekonomiska rapporten och svarade på frågor om investeringar, skatter, "
    "hyror och bidrag. Ledamöterna diskuterade byggandet av en simhall, cykelvägar längs stranden och "
    "belysning vid busshållplatser. Ungdomarna önskade fler mötesplatser, kvällsöppna bibliotek och "
    "billigare resor med kollektivtrafiken under sommarlovet. Tjänstemännen utreder frågan vidare."
)
CLEAN_FI = (
    "Kaupunginhallitus päätti hyväksyä esityksen. Puheenjohtaja avasi kokouksen ja totesi sen "
    "laillisesti koolle kutsutuksi ja päätösvaltaiseksi. Pöytäkirjantarkastajiksi valittiin kaksi jäsentä."
)


# --- the quality measure (no OCR) -----------------------------------------------------------------
def test_clean_text_is_ok_and_damaged_text_is_flagged() -> None:
    clean, damaged = measure(CLEAN_SV), measure(DAMAGED_SV)
    assert clean.verdict == "ok" and clean.language == "sv" and clean.known >= 0.6
    assert damaged.verdict == "damaged" and damaged.known < 0.45
    # spaces read as letters: most letters stand in overlong unknown tokens
    assert measure("Tjänsteinnehavarnasnochnarbetstagarnasnuppgifsrelateradenlönerneller "
                   "jämförbaranmånadslönernhöjsngenomnennallmännförhöjning").glued > 0.5


def test_a_finnish_page_in_swedish_minutes_is_not_damage() -> None:
    """Attachments in the other language are common: the best-fitting lexicon judges."""
    quality = measure(CLEAN_FI)
    assert quality.language == "fi" and quality.verdict == "ok"


def test_empty_and_tiny_pages() -> None:
    assert measure("").verdict == "empty"
    assert measure("  3  ").verdict == "empty"  # a page number only: fewer than 16 letters
    assert measure("Martin Norrgård Esa Högnäsbacka").verdict == "ok"  # 4 words (names): not judged


def test_lines_of_shifted_letters_on_a_clean_page_are_found() -> None:
    """The real protocol's headings in a font whose letters are all shifted, amid clean text: the
    lexicon misses them as it misses names, but their letter triples are no Swedish word's."""
    document = [CLEAN_SV, MORE_SV]
    qualities = [measure(text) for text in document]
    trigrams = known_trigrams(document, qualities)
    assert len(trigrams) >= MIN_TRIGRAMS
    page = CLEAN_SV + "\nSäagbmiulälä detiddm idmläuä:\nMotionen överfördes till stadsstyrelsen.\n" \
        "rdeäör Magrtin Norrdbrbm iörmläagd:\n"
    quality = measure(page, trigrams=trigrams)
    assert quality.known >= 0.45 and quality.garbled_lines == 2 and quality.verdict == "damaged"
    assert measure(CLEAN_SV + "\n" + MORE_SV[:300], trigrams=trigrams).garbled_lines == 0
    # (names are unknown words too: that they are not garbled needs a real document's trigrams, see
    # test_the_whole_real_protocol: its cover and signature pages are not flagged)


def test_ocr_spelling_repairs() -> None:
    # a/ä/å, o/ö dropped by the swe+eng model, put back where one spelling is known
    assert restore_diacritics("Forslaget godkandes. Personalsektionen utser tvä justerare.", "sv") == \
        "Förslaget godkändes. Personalsektionen utser två justerare."
    # a compound no lexicon has: the document's own words decide
    vocabulary = frozenset({"småbarnspedagogik", "klädbidrag"})
    assert restore_diacritics("Kladbidrag inom smabarnspedagogik", "sv", vocabulary) == \
        "Klädbidrag inom småbarnspedagogik"
    assert restore_diacritics("Kladbidrag", "en") == "Kladbidrag"
    # § misread, put right from the page's text layer (its digits and § survive the font damage)
    layer = "Personalsektonenn29...2023,n36n§\n84 §"
    assert fix_item_signs("368 Motion, Klädbidrag", layer) == "36 § Motion, Klädbidrag"
    assert fix_item_signs("Nämnden 13.09.2022, 84 &", layer) == "Nämnden 13.09.2022, 84 §"
    assert fix_item_signs("enligt 3 698,10 euro; 418 sidor", layer) == "enligt 3 698,10 euro; 418 sidor"
    assert fix_item_signs("368 Motion", "") == "368 Motion"  # a scan: no layer to go by
    assert fix_signs("41 $ Val av protokolljusterare, enligt $ 12") == \
        "41 § Val av protokolljusterare, enligt § 12"


def test_tesseract_tsv_becomes_lines_with_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t28",
        "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t96\t§",
        "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t80\tBeslut",
        "5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t70\tNästa",
    ]
    page = parse_tsv("\n".join([header, *rows]))
    assert [line.text for line in page.lines] == ["28 §", "Beslut", "", "Nästa"]
    # line confidence weighted by word length: (90*2 + 96*1) / 3 = 92.0
    assert page.lines[0].confidence == 92.0
    # page: (90*2 + 96 + 80*6 + 70*5) / 14 = 1106 / 14 = 79.0
    assert page.confidence == 79.0


def test_running_lines_on_ocr_pages() -> None:
    """OCR reads the logo and the header block in print order, with the § number inside the header line
    and digits misread; the text layer has the header without it. Both go; the handling line stays."""
    body = ["Ordföranden öppnade mötet.", "Förslaget godkändes.", "Ärendet bordlades.", "Mötet avslutades.",
            "Bilagan är lång.", "Beslutet expedieras."]
    layer = [["Protokoll 29.05.2023 Sida", "Personalsektionen", body[n - 1], f"{n}"] for n in range(1, 7)]
    scanned = [["NYKARLEBY", "UUSIKAARLEPYY", f"Protokoll {n}8 29.05.2023 Sida", f"Personalsektionen {n}",
                f"{n} § Ärende {n}", f"Personalsektionen {n}.5.2023, {n} §", body[n - 7]]
               for n in range(7, 10)]
    pages = layer + scanned
    cleaned = remove_running_lines(pages, ocr=frozenset(range(6, 9)))
    assert cleaned[0] == ["Ordföranden öppnade mötet."]
    assert cleaned[6] == ["7 § Ärende 7", "Personalsektionen 7.5.2023, 7 §", body[0]]
    # without saying which pages are OCR'd, the logo stays (3 of 9 pages is not half)
    assert remove_running_lines(pages)[6][0] == "NYKARLEBY"


# --- generated PDFs -----------------------------------------------------------------------------
PAGES_SV = [
    "Protokoll 12.2.2024\n\n41 § Val av protokolljusterare\n\nFörslag:\nPersonalsektionen utser två "
    "protokolljusterare.\nPersonalsektionens beslut:\nTill protokolljusterare valdes Tobias Wik och "
    "Marlene Lindgren.",
    "42 § Godkännande av föredragningslistan\n\nFörslag:\nPersonalsektionen godkänner "
    "föredragningslistan.\nPersonalsektionens beslut:\nFörslaget godkändes.",
    "43 § Allmän löneförhöjning\n\nBeredning: personalchef Kristina Wikblad\nLönerna höjs med två procent "
    "från och med första juni.\nPersonalsektionens beslut:\nFörslaget godkändes enhälligt.",
]


def _scan(path: Path, texts: list[str]) -> Path:
    """A scanned PDF: each page's text drawn into a 150 dpi picture, no text layer at all."""
    font = ImageFont.truetype(str(FONT), 30)
    pdf = FPDF()
    for text in texts:
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        y = 120
        for line in text.split("\n"):
            draw.text((120, y), line, fill=0, font=font)
            y += 48
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=210, h=297)
    path.write_bytes(bytes(pdf.output()))
    return path


def _broken_cmap(path: Path, texts: list[str]) -> Path:
    """Glyphs right, text layer wrong: the font's ToUnicode map says "j" for the glyph "l" and "n" for
    the space (a same-length edit of the uncompressed CMap, so the file's offsets stay valid)."""
    pdf = FPDF()
    pdf.compress = False
    pdf.add_font("dejavu", "", str(FONT))
    for text in texts:
        pdf.add_page()
        pdf.set_font("dejavu", size=12)
        pdf.multi_cell(0, 7, text)
    raw = bytes(pdf.output())
    start, end = raw.index(b"beginbfchar"), raw.index(b"endbfchar")
    cmap = raw[start:end].replace(b"> <006C>", b"> <006A>").replace(b"<0020> <0020>", b"<0020> <006E>")
    assert cmap != raw[start:end]
    path.write_bytes(raw[:start] + cmap + raw[end:])
    return path


def _form(path: Path) -> Path:
    """A one-page form: nothing in the text layer, three filled-in fields (one a check box)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    fields = ArrayObject()
    for i, (name, kind, value) in enumerate([("Sökande", "/Tx", "Anna Caldén"),
                                             ("Ärende", "/Tx", "Anhållan om individuellt tillägg"),
                                             ("Bifogas", "/Btn", "/Yes")]):
        widget = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject(kind), NameObject("/T"): TextStringObject(name),
            NameObject("/V"): NameObject(value) if value.startswith("/") else TextStringObject(value),
            NameObject("/Rect"): ArrayObject([FloatObject(50), FloatObject(700 - 40 * i), FloatObject(400),
                                              FloatObject(720 - 40 * i)]),
        })
        fields.append(writer._add_object(widget))
    page[NameObject("/Annots")] = fields
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_form_is_read_from_its_fields(tmp_path: Path) -> None:
    extracted = load_pdf(_form(tmp_path / "form.pdf").read_bytes(), ocr=OcrSettings(enabled=False))
    assert [line.text for line in extracted.lines] == [
        "Sökande: Anna Caldén", "Ärende: Anhållan om individuellt tillägg", "Bifogas: [X]"]
    assert {line.page for line in extracted.lines} == {1} and not extracted.ocr_pages


@needs_font
def test_without_ocr_a_scan_says_what_to_do(tmp_path: Path) -> None:
    path = _scan(tmp_path / "scan.pdf", PAGES_SV[:1])
    with pytest.raises(SkipFile, match="no text layer .* cannot be OCR'd: OCR is switched off"):
        load_pdf(path.read_bytes(), ocr=OcrSettings(enabled=False))


@needs_font
@needs_tesseract
@pytest.mark.integration
def test_a_scanned_pdf_is_ocrd_page_by_page_and_cached(tmp_path: Path) -> None:
    path = _scan(tmp_path / "scan.pdf", PAGES_SV)
    settings = OcrSettings(cache_dir=tmp_path / "ocr-cache")
    seen: list[tuple[int, int]] = []
    doc = read_document(path, ocr=settings, on_ocr=lambda done, total: seen.append((done, total)))
    assert doc.language == "sv" and seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [(r.page, r.reason, r.used) for r in doc.ocr_pages] == [(1, "empty", True), (2, "empty", True),
                                                                     (3, "empty", True)]
    assert all(line.text_source == "ocr" and (line.ocr_confidence or 0) > 50 for line in doc.lines)
    pages = {line.text: line.page for line in doc.lines}
    assert pages["41 § Val av protokolljusterare"] == 1  # § read as §: swe+eng has the sign
    assert pages["42 § Godkännande av föredragningslistan"] == 2
    assert pages["Förslaget godkändes enhälligt."] == 3
    assert min(r.known_after for r in doc.ocr_pages) > 0.6
    # unchanged pages are never read twice
    again = read_document(path, ocr=settings)
    assert all(r.cached for r in again.ocr_pages) and again.lines == doc.lines
    # … and every chunk says where its text came from
    from ingest.chunk import chunk_document
    from ingest.parse import parse_document

    chunks = chunk_document(parse_document(doc))
    assert chunks and all(c.text_source == "ocr" and (c.ocr_confidence or 0) > 50 for c in chunks)
    assert {"text_source", "ocr_confidence"} <= set(chunks[0].metadata())


@needs_font
@needs_tesseract
@pytest.mark.integration
def test_a_font_with_a_broken_unicode_map_is_flagged_and_read_by_ocr(tmp_path: Path) -> None:
    path = _broken_cmap(tmp_path / "broken.pdf", PAGES_SV)
    layer = load_pdf(path.read_bytes(), ocr=OcrSettings(enabled=False))
    assert "Vajnavnprotokojjjusterare" in "".join(line.text for line in layer.lines)  # the damage
    doc = load_document(path, ocr=OcrSettings())  # in the isolated worker, as ingest runs it
    assert [(r.page, r.reason, r.used) for r in doc.ocr_pages] == [(1, "damaged", True), (2, "damaged", True),
                                                                     (3, "damaged", True)]
    text = doc.text
    assert "Till protokolljusterare valdes Tobias Wik" in text and "protokojjet" not in text
    assert all(r.known_after > r.known_before + 0.3 for r in doc.ocr_pages)
    assert next(line.page for line in doc.lines if "Allmän löneförhöjning" in line.text) == 3


# --- the real dev protocol ------------------------------------------------------------------------
needs_real = pytest.mark.skipif(not DEV_PDF.exists(), reason=f"real documents missing: {DEV_PDF} "
                                "(../shared/real/ is development material outside the repository)")


def _pages(source: Path, numbers: list[int], target: Path) -> Path:
    """Some pages of a real PDF, fonts and all (pypdf copies them)."""
    reader = PdfReader(source)
    writer = PdfWriter()
    for number in numbers:
        writer.add_page(reader.pages[number - 1])
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@needs_real
@needs_tesseract
@pytest.mark.realdocs
def test_damaged_pages_of_the_real_protocol_are_read_by_ocr(tmp_path: Path) -> None:
    """Pages 4-8 of personalsektionen: page 4 is clean; on 5-8 the text layer reads
    "Personalsektonenn22...2023,n28n§" (checked by eye on the rendered pages: the print is clean)."""
    path = _pages(DEV_PDF, [4, 5, 6, 7, 8], tmp_path / "five.pdf")
    doc = load_document(path, ocr=OcrSettings(cache_dir=tmp_path / "cache"))
    assert [(r.page, r.reason, r.used) for r in doc.ocr_pages] == [
        (2, "damaged", True), (3, "damaged", True), (4, "damaged", True), (5, "damaged", True)]
    assert {line.text_source for line in doc.lines if line.page == 1} == {"pdf"}
    text = doc.text
    assert "Personalsektonenn" not in text and "Beredning: personalchef Kristina Wikblad" in text
    assert next(line.page for line in doc.lines if "Allmän löneförhöjning" in line.text) == 4
    assert all(r.known_after >= 0.65 for r in doc.ocr_pages)


@needs_real
@needs_tesseract
@pytest.mark.realdocs
@pytest.mark.slow
def test_the_whole_real_protocol(tmp_path: Path) -> None:
    doc = load_document(DEV_PDF, ocr=OcrSettings(cache_dir=tmp_path / "cache"))
    flagged = {r.page for r in doc.ocr_pages}
    # the item pages with the broken font (checked by eye on the rendered pages); page 61, a web page's
    # footer of links, is flagged but OCR reads it no better, so its text layer is kept
    used = {r.page for r in doc.ocr_pages if r.used}
    assert {5, 6, 7, 8, 9, 10, 29, 30, 48, 62, 66, 67, 78, 79, 80, 101, 102} <= used
    assert {73, 74, 75, 76} <= used  # clean pages with shifted-letter headings ("Säagbmiulälä detiddm")
    assert len(flagged) <= 25 and doc.page_count == 102
    assert not {1, 12, 32, 82} & flagged  # cover and signature pages: names, no damage
    assert "Säagbmiulälä" not in doc.text and "36 § Motion, Klädbidrag" in doc.text
    assert "Personalsektonenn" not in doc.text
    assert ocr.available(OcrSettings()) is None


@needs_font
@needs_tesseract
@pytest.mark.integration
def test_ingest_says_what_was_ocrd_and_a_reingest_reads_from_the_cache(tmp_path: Path) -> None:
    from robustness.fake_embeddings import FakeEmbeddings

    from ingest.pipeline import OCR_CACHE, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    path = _scan(docs / "scan.pdf", PAGES_SV)
    index = tmp_path / "index"
    first = build_index([docs], index, FakeEmbeddings())
    assert "OCR: 3 PDF pages read by OCR (0 with a damaged text layer, 3 without one; 0 more checked and " \
           "kept, 0 from the OCR cache)" in first.summary()
    assert (index / OCR_CACHE).is_dir()
    # a sidecar changes the file's hash: the file is parsed again, its pages come from the cache
    path.with_name(path.name + ".meta.json").write_text('{"municipality": "Nykarleby"}', encoding="utf-8")
    second = build_index([docs], index, FakeEmbeddings())
    assert second.parsed == ["scan.pdf"] and second.ocr_pages == {"empty": 3, "cached": 3}

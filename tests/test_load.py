"""Load stage: every supported format, and every bad input turning into a one-line SkipFile.

PDFs and DOCX files are generated under tmp_path with fpdf2 / python-docx, so the tests run offline.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

import ingest.load as load_module
from ingest.load import SUPPORTED_SUFFIXES, SkipFile, load_document
from ingest.load.language import detect_language
from ingest.load.loaders import docx_files
from ingest.load.loaders.common import meaningful_title
from ingest.load.loaders.pages import is_page_number, remove_running_lines

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def skip_reason(path: Path) -> str:
    with pytest.raises(SkipFile) as info:
        load_document(path)
    message = str(info.value)
    assert "\n" not in message  # the summary is one line per file
    return message


# ---------------------------------------------------------------------------------------- PDF helpers


class _MinutesPdf(FPDF):
    """A PDF with the running header/footer of Finnish minutes on every page."""

    running = True

    def header(self) -> None:
        if self.running:
            self.set_font("Helvetica", size=9)
            # The page number inside a longer line: only equal to other pages' with digits normalised.
            self.cell(0, 6, f"Kaustisen kunta   PÖYTÄKIRJA 5/2025   {self.page_no()} ({{nb}})",
                      new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 6, "Kunnanhallitus 17.02.2025", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        if self.running:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, f"Sivu {self.page_no()} / {{nb}}")


def make_pdf(path: Path, pages: list[list[str]], *, running: bool = True, title: str | None = None,
             user_password: str | None = None, owner_password: str | None = None) -> Path:
    pdf = _MinutesPdf()
    pdf.running = running
    if title:
        pdf.set_title(title)
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for line in lines:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    path.write_bytes(bytes(pdf.output()))
    return path


# Body text differs from page to page, as real text does.
BODY = [
    ["§ 27 Digistrategian hyväksyminen", "32/00.01.02/2025", "Valmistelija hallintosihteeri",
     "Strategia laadittiin yhteistyössä kuntien kanssa.",
     "Päätösehdotus Kunnanhallitus hyväksyy strategian."],
    ["Selostus jatkuu toisella sivulla.", "Työpajoissa määritettiin visio ja tavoitteet.",
     "Kunnat kommentoivat luonnosta syksyllä.", "Lopullinen versio lähetettiin 25.10.2024."],
    ["§ 28 Tiekartan päivitys", "45/00.01.02/2025", "Valmistelija tietohallintojohtaja",
     "Tiekartta päivitetään vuosittain.", "Päätös Hyväksyttiin yksimielisesti."],
    ["Liitteet", "Digistrategia 2028", "Muutoksenhaku", "Oikaisuvaatimusohje liitetään pöytäkirjaan."],
]


# ---------------------------------------------------------------------------------------- text files


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_documents_load(path: Path) -> None:
    doc = load_document(path)
    # The seeds are UTF-8 text: format txt, identity = file name, hash of the raw bytes, no blank lines.
    assert doc.format == "txt" and doc.source == path.name
    assert doc.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.lines and all(line.text == line.text.strip() and line.text for line in doc.lines)
    # 000–002 are Finnish minutes, 003–004 Swedish web pages.
    assert doc.language == ("fi" if path.name < "003" else "sv")


def test_utf8_bom_cp1252_and_latin1_decode(tmp_path: Path) -> None:
    text = "Päätös: kunnanhallitus hyväksyi åtgärdsplanen. Kostnad 5 € per invånare."
    bom = load_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert bom.lines[0].text == text  # the BOM is not part of the first line
    cp = load_document(write(tmp_path, "cp.txt", text.encode("cp1252")))
    assert cp.lines[0].text == text  # ä/ö/å/€ survive: not UTF-8, so cp1252
    # 0x81 is undefined in cp1252, so only latin-1 can decode this; "ä" (0xE4) still comes out right.
    latin = load_document(write(tmp_path, "latin.txt", "Kunnanhallitus hyväksyi".encode("latin-1") + b"\x81"))
    assert latin.lines[0].text.startswith("Kunnanhallitus hyväksyi")
    utf16 = load_document(write(tmp_path, "utf16.txt", ("\ufeff" + text).encode("utf-16-le")))
    assert utf16.lines[0].text == text  # Notepad's "Unicode" (UTF-16 with BOM) is text, not binary


def test_normalises_line_breaks_and_odd_spaces(tmp_path: Path) -> None:
    raw = "Kunnanhallitus\u00a017.02.2025\r\n\r\n  digi\u00adstrategia\u200b   2028  \rKolmas\tri\u2028vi\n"
    doc = load_document(write(tmp_path, "a.txt", raw))
    # NBSP → space, soft hyphen/zero-width removed, runs of space collapsed, \r\n, \r and U+2028 split
    # lines, empty lines dropped.
    assert [line.text for line in doc.lines] == [
        "Kunnanhallitus 17.02.2025", "digistrategia 2028", "Kolmas ri", "vi"]
    assert all(line.page is None and line.level is None for line in doc.lines)


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n\n"], ids=["zero", "spaces", "bom"])
def test_empty_text_file(tmp_path: Path, raw: bytes) -> None:
    assert skip_reason(write(tmp_path, "empty.txt", raw)) == "empty file"
    assert skip_reason(write(tmp_path, "empty.md", raw)) == "empty file"


def test_binary_content_with_text_suffix(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert skip_reason(write(tmp_path, "image.txt", png)) == "binary content in a text file"
    # No NUL byte, but a large share of control characters: still not text.
    noisy = bytes([1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 65, 66]) * 100
    assert skip_reason(write(tmp_path, "noisy.md", noisy)) == "binary content in a text file"
    assert skip_reason(write(tmp_path, "page.html", png)) == "binary content in a text file"


def test_form_feeds_in_text_are_pages(tmp_path: Path) -> None:
    # pdftotext output: pages separated by \f, each with the running header and a page number.
    pages = [f"Kaupunginhallitus 09.01.2023\nRivi {word} sivulla\n{n}\n" for n, word in
             enumerate(["yksi", "kaksi", "kolme"], start=1)]
    doc = load_document(write(tmp_path, "pdftotext.txt", "\f".join(pages) + "\f"))
    # The header repeats on 3/3 pages and the bare numbers are page numbers: only body lines remain.
    assert [(line.text, line.page) for line in doc.lines] == [
        ("Rivi yksi sivulla", 1), ("Rivi kaksi sivulla", 2), ("Rivi kolme sivulla", 3)]
    assert doc.page_count == 3


def test_markdown(tmp_path: Path) -> None:
    md = """---
title: "Digiohjelma 2023"
lang: sv
---
# Borgås **digiprogram**

Programmet har *tre* teman och [en bilaga](https://example.org/bilaga.pdf).

## Åtgärder
- Kunskapsbaserade beslut
* Högklassiga tjänster

| Åtgärd | Ansvarig | Tidplan |
|--------|:--------:|--------:|
| E-tjänster | Stadsstyrelsen | 2023 |

Tidplan
-------
```
kod   rad
```
"""
    doc = load_document(write(tmp_path, "prog.md", md))
    assert doc.format == "md" and doc.title == "Digiohjelma 2023"  # title from the front matter
    assert [(line.text, line.level) for line in doc.lines] == [
        ("Borgås digiprogram", 1),  # "#" heading: level 1, emphasis markers gone
        ("Programmet har tre teman och en bilaga.", None),  # link keeps its text only
        ("Åtgärder", 2),
        ("• Kunskapsbaserade beslut", None),  # bullets stay text lines, marked like HTML <li>
        ("• Högklassiga tjänster", None),
        ("Åtgärd | Ansvarig | Tidplan", None),  # table rows joined with " | ", separator row dropped
        ("E-tjänster | Stadsstyrelsen | 2023", None),
        ("Tidplan", 2),  # setext heading underlined with "---"
        ("kod rad", None),  # code block content is text; the fences are not
    ]
    assert doc.language == "sv"


# ---------------------------------------------------------------------------------------- HTML


def test_html_drops_chrome_and_keeps_structure(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Lokal digital agenda - Bräcke kommun</title>
<style>p { color: red }</style><script>var tracking = "Dela sidan";</script></head>
<body><header><a href="/">Startsida</a></header><nav><ul><li>Meny</li></ul></nav>
<main><article><header><h1>Lokal digital agenda</h1></header>
<p>Bräcke kommun har drivit <b>förstudie</b>projektet.<br>Den antogs 2019-09-27.</p>
<h2>Värden vi utgår ifrån</h2>
<ul><li>Hoppa på <em>digitaliseringståget</em>!</li><li><p>Jobba smartare</p></li></ul>
<table><tr><th>Åtgärd</th><th>Ansvarig</th></tr><tr><td><p>E-tjänster</p></td><td>Kommunstyrelsen</td></tr></table>
<div>Fritext i en div</div><noscript>Aktivera JavaScript</noscript><form><label>Sök</label></form>
</article></main><aside>Relaterat</aside><footer>Kontakta oss</footer></body></html>"""
    doc = load_document(write(tmp_path, "agenda.html", html))
    assert doc.format == "html" and doc.title == "Lokal digital agenda - Bräcke kommun"
    assert [(line.text, line.level) for line in doc.lines] == [
        ("Lokal digital agenda", 1),  # a <header> inside <article> holds the title: kept
        ("Bräcke kommun har drivit förstudieprojektet.", None),  # inline tags do not split words
        ("Den antogs 2019-09-27.", None),  # <br> ends a line
        ("Värden vi utgår ifrån", 2),
        ("• Hoppa på digitaliseringståget!", None),
        ("• Jobba smartare", None),  # a <p> inside <li> is still the bullet's text
        ("Åtgärd | Ansvarig", None),
        ("E-tjänster | Kommunstyrelsen", None),
        ("Fritext i en div", None),
    ]  # no script, style, nav, page header/footer, aside, noscript or form text
    assert doc.language == "sv"


def test_html_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    html = """<body><table><tr><td>Valikko</td><td><h2>Kunnanhallitus 17.02.2025 § 27</h2>
<p>Digistrategian hyväksyminen</p>
<table><tr><td>Päätösehdotus</td><td><p class="MsoNormal">Kunnanhallitus hyväksyy strategian.</p></td></tr>
</table></td></tr></table></body>"""
    doc = load_document(write(tmp_path, "minutes.html", html))
    # The outer cell holds a heading and a table: page layout, so its blocks are lines of their own;
    # the inner row of two short values (Word wraps each in a <p>) is one "a | b" line.
    assert [(line.text, line.level) for line in doc.lines] == [
        ("Valikko", None),
        ("Kunnanhallitus 17.02.2025 § 27", 2),
        ("Digistrategian hyväksyminen", None),
        ("Päätösehdotus | Kunnanhallitus hyväksyy strategian.", None),
    ]


def test_html_encoding_from_meta_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Päätös: hyväksyttiin yksimielisesti.</p>'
    doc = load_document(write(tmp_path, "latin.htm", html.encode("iso-8859-1")))
    assert doc.lines[0].text == "Päätös: hyväksyttiin yksimielisesti."  # not mojibake like "PÃ¤Ã¤tÃ¶s"
    assert doc.format == "html" and doc.title is None


def test_html_undeclared_cp1252(tmp_path: Path) -> None:
    html = "<html><body><p>Beslut: Borgå stad antar digiprogrammet för år 2023.</p></body></html>"
    doc = load_document(write(tmp_path, "windows.html", html.encode("cp1252")))
    # No <meta charset> and not UTF-8: cp1252, as for text files, not U+FFFD replacement characters.
    assert doc.lines[0].text == "Beslut: Borgå stad antar digiprogrammet för år 2023."


def test_deeply_nested_html_does_not_crash(tmp_path: Path) -> None:
    depth = 20_000  # far past Python's recursion limit of 1000
    html = "<html><body>" + "<div><span>" * depth + "Syvällä oleva teksti" + "</span></div>" * depth
    doc = load_document(write(tmp_path, "deep.html", html))
    assert [line.text for line in doc.lines] == ["Syvällä oleva teksti"]  # the walk is iterative


def test_recursion_error_becomes_skipfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(raw: bytes) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(load_module, "load_html", explode)
    assert skip_reason(write(tmp_path, "deep.html", "<p>x</p>")) == "could not read HTML: nested too deeply"


def test_html_without_text(tmp_path: Path) -> None:
    html = "<html><head><title>App</title><script>render()</script></head><body><div id='app'></div></body>"
    assert "no text found in the HTML page" in skip_reason(write(tmp_path, "app.html", html))


# ---------------------------------------------------------------------------------------- PDF


def test_pdf_lines_pages_title_and_progress(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", [["Ensimmäinen sivu kertoo strategiasta."], ["Toinen sivu jatkaa."]],
                    running=False, title="Kaustisen seudun digistrategia 2028")
    calls: list[tuple[int, int]] = []
    doc = load_document(path, progress=lambda page, total: calls.append((page, total)))
    assert [(line.text, line.page) for line in doc.lines] == [
        ("Ensimmäinen sivu kertoo strategiasta.", 1), ("Toinen sivu jatkaa.", 2)]
    assert doc.format == "pdf" and doc.page_count == 2 and doc.language == "fi"
    assert doc.title == "Kaustisen seudun digistrategia 2028"  # /Title from the PDF metadata
    assert calls == [(1, 2), (2, 2)]  # one progress call per page


def test_pdf_running_header_and_footer_removed(tmp_path: Path) -> None:
    doc = load_document(make_pdf(tmp_path / "minutes.pdf", BODY))
    texts = [line.text for line in doc.lines]
    # "Kaustisen kunta PÖYTÄKIRJA 5/2025 n (4)" (equal once digits are normalised, and n advances with
    # the page) and "Kunnanhallitus 17.02.2025" head all 4 pages; the page number "Sivu n / 4" ends them.
    assert not any("PÖYTÄKIRJA" in t or t == "Kunnanhallitus 17.02.2025" or t.startswith("Sivu")
                   for t in texts)
    # Every body line survives with the page it is printed on - also the zone lines that look alike
    # across pages: "§ 27 …"/"§ 28 …" item headers and the case numbers "32/…", "45/…".
    assert [(line.text, line.page) for line in doc.lines] == [
        (text, page) for page, lines in enumerate(BODY, start=1) for text in lines]
    assert doc.page_count == 4


def test_pdf_under_three_pages_keeps_repeated_lines(tmp_path: Path) -> None:
    doc = load_document(make_pdf(tmp_path / "short.pdf", BODY[:2]))
    # With 2 pages, "repeats on half the pages" proves nothing: the header stays.
    assert [line.text for line in doc.lines].count("Kunnanhallitus 17.02.2025") == 2


def test_pdf_corrupt_truncated_and_not_a_pdf(tmp_path: Path) -> None:
    garbage = write(tmp_path, "garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert skip_reason(garbage).startswith("corrupt PDF: ")
    whole = make_pdf(tmp_path / "whole.pdf", BODY).read_bytes()
    truncated = write(tmp_path, "truncated.pdf", whole[: len(whole) * 2 // 3])  # an interrupted download
    assert skip_reason(truncated).startswith("corrupt PDF: ")
    error_page = write(tmp_path, "saved.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>")
    assert "looks like an HTML page" in skip_reason(error_page)


def test_pdf_encrypted(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", BODY, owner_password="owner", user_password="secret")
    assert skip_reason(locked) == "encrypted PDF — remove the password and ingest again"
    # An owner password alone (no printing/copying limits lifted) opens with the empty user password.
    owner_only = make_pdf(tmp_path / "owner.pdf", BODY, owner_password="owner")
    assert load_document(owner_only).lines[0].text == BODY[0][0]


def test_pdf_encrypted_with_pypdf_aes(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "plain.pdf", BODY)))
    writer.encrypt("secret", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert skip_reason(path) == "encrypted PDF — remove the password and ingest again"


@pytest.mark.skipif(shutil.which("tesseract") is None,
                    reason="tesseract is not installed (make system): without it the reason is "
                           "'install Tesseract', tested in tests/test_ocr.py")
def test_pdf_without_text_layer(tmp_path: Path) -> None:
    """Blank pictures only: OCR'd (tests/test_ocr.py reads real scans), and nothing found is the reason."""
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):  # a scanned paper: each page is one picture
        pdf.add_page()
        pdf.image(Image.new("RGB", (200, 280), "white"), x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert skip_reason(path) == ("PDF has no text layer, and OCR found no text on its pages "
                                 "(blank or pictures only)")


def test_pdf_without_text_layer_and_no_tesseract_names_the_fix(tmp_path: Path) -> None:
    """The same scan where Tesseract is missing (a binary that does not exist stands for it): the reason
    says what to install, on every machine."""
    from PIL import Image

    from ingest.load.ocr import OcrSettings

    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (200, 280), "white"), x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(SkipFile) as info:
        load_document(path, ocr=OcrSettings(binary="no-such-tesseract-here"))
    assert "tesseract-ocr" in str(info.value) and "\n" not in str(info.value)


def test_progress_callback_errors_are_not_skips(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", BODY)

    def cancel(page: int, total: int) -> None:
        raise KeyError("cancelled by the user")

    # The caller's own exception (a cancel button) comes back unchanged, not as "could not read PDF".
    with pytest.raises(KeyError, match="cancelled"):
        load_document(path, progress=cancel)


@pytest.mark.slow
def test_pdf_200_pages_steady_memory(tmp_path: Path) -> None:
    pages = [[f"Sivun {n} ensimmäinen kappale käsittelee asiaa numero {n * 7}.",
              f"Toinen kappale jatkaa asiaa {n * 13} ja päättyy."] + [f"Rivi {k}: {n * k}" for k in range(20)]
             for n in range(1, 201)]
    path = make_pdf(tmp_path / "big.pdf", pages)
    calls: list[int] = []
    detect_language("lämmittely")  # load the language model first: its ~80 MB are no per-page cost
    tracemalloc.start()
    try:
        doc = load_document(path, progress=lambda page, total: calls.append(page))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert calls == list(range(1, 201)) and doc.page_count == 200
    assert {line.page for line in doc.lines} == set(range(1, 201))  # every page kept its body lines
    assert not any(line.text.startswith("Sivu ") for line in doc.lines)  # footers gone on all pages
    # Only lines are kept, never page objects: peak memory stays a small multiple of the file size.
    assert peak < 60 * 2**20, f"peak {peak / 2**20:.1f} MB for a {path.stat().st_size / 2**20:.1f} MB file"


# ---------------------------------------------------------------------------------------- DOCX


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Kuopion digitalisaation tiekartta"
    document.add_heading("Digitalisaation tiekartta", level=1)
    document.add_paragraph("Tiekartta uudistetaan strategian mukaisesti.")
    # A style named the way a Finnish Word names it, and one named by a Swedish Word.
    document.styles.add_style("Otsikko 2", WD_STYLE_TYPE.PARAGRAPH)
    document.styles.add_style("Rubrik 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Toimenpiteet", style="Otsikko 2")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Toimenpide", "Vastuutaho", "Aikataulu"),
                                       ("Digituki", "Sivistyslautakunta", "2024"),
                                       ("Yhteinen rivi", "", "")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.cell(2, 0).merge(table.cell(2, 2))  # a merged cell spans the row but is printed once
    document.add_paragraph("Åtgärder", style="Rubrik 3")
    document.add_paragraph("Ensimmäinen kohta", style="List Bullet")
    document.save(path)
    return path


def test_docx_headings_tables_and_title(tmp_path: Path) -> None:
    doc = load_document(make_docx(tmp_path / "tiekartta.docx"))
    assert doc.format == "docx" and doc.title == "Kuopion digitalisaation tiekartta"
    assert [(line.text, line.level) for line in doc.lines] == [
        ("Digitalisaation tiekartta", 1),  # style "Heading 1"
        ("Tiekartta uudistetaan strategian mukaisesti.", None),
        ("Toimenpiteet", 2),  # style "Otsikko 2"
        ("Toimenpide | Vastuutaho | Aikataulu", None),  # one line per table row
        ("Digituki | Sivistyslautakunta | 2024", None),
        ("Yhteinen rivi", None),
        ("Åtgärder", 3),  # style "Rubrik 3"
        ("• Ensimmäinen kohta", None),
    ]
    assert doc.language == "fi" and doc.page_count is None


def test_docx_outline_level_of_a_custom_style(tmp_path: Path) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles.add_style("KH Asiaotsikko", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    style.element.get_or_add_pPr().append(outline)
    document.add_paragraph("Digistrategian hyväksyminen", style="KH Asiaotsikko")
    document.add_paragraph("Kunnanhallitus hyväksyy strategian.")
    path = tmp_path / "template.docx"
    document.save(path)
    # A municipal template's own heading style is a heading through its outline level (0-based → 2).
    assert [line.level for line in load_document(path).lines] == [2, None]


def test_docx_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * 2**20
            for _ in range(40):  # 40 MB of zeros pack into ~40 kB: a ratio no Word file has
                member.write(chunk)
    assert "zip bomb" in skip_reason(path)


def test_docx_too_big_when_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_files, "MAX_UNPACKED_BYTES", 10_000)  # a small limit stands for 200 MB
    assert "zip bomb" in skip_reason(make_docx(tmp_path / "a.docx"))


def test_docx_corrupt(tmp_path: Path) -> None:
    not_a_zip = write(tmp_path, "bad.docx", b"PK\x03\x04 not really a zip")
    assert skip_reason(not_a_zip).startswith("corrupt DOCX: ")
    old_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "save it as .docx" in skip_reason(write(tmp_path, "old.docx", old_doc))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")  # an .odt renamed
    assert "no word/document.xml" in skip_reason(write(tmp_path, "odt.docx", buffer.getvalue()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")  # truncated XML
        archive.writestr("word/document.xml", "<w:document")
    assert skip_reason(write(tmp_path, "broken.docx", broken.getvalue())).startswith("corrupt DOCX: ")


# ---------------------------------------------------------------------------------------- dispatch


def test_unsupported_suffix(tmp_path: Path) -> None:
    reason = skip_reason(write(tmp_path, "budget.xlsx", b"PK"))
    assert reason.startswith("unsupported file type .xlsx (supported: ")
    assert all(suffix in reason for suffix in SUPPORTED_SUFFIXES)  # the fix: convert to one of these


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert load_document(write(tmp_path, "MUISTIO.TXT", "Kuka vastaa tiekartasta?")).format == "txt"


def test_too_large_and_not_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 10)  # a small limit stands for 200 MB
    assert skip_reason(write(tmp_path, "big.txt", "x" * 11)).startswith("file too large")
    (tmp_path / "folder.pdf").mkdir()
    assert skip_reason(tmp_path / "folder.pdf") == "not a regular file"


def test_unexpected_parser_error_becomes_skipfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: bytes) -> None:
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(load_module, "load_docx", broken)
    # Type and message, squeezed onto one line.
    assert skip_reason(write(tmp_path, "a.docx", b"x")) == "could not read DOCX: ValueError: boom second line"


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000), suffix=st.sampled_from(SUPPORTED_SUFFIXES), pdf_head=st.booleans())
def test_arbitrary_bytes_never_escape(tmp_path: Path, raw: bytes, suffix: str, pdf_head: bool) -> None:
    if pdf_head and suffix == ".pdf":
        raw = b"%PDF-1.4\n" + raw  # get past the magic check into pypdf itself
    path = write(tmp_path, f"fuzz{suffix}", raw)
    try:
        doc = load_document(path)
    except SkipFile as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.lines and doc.language in ("fi", "sv", "en")


# ---------------------------------------------------------------------------------------- helpers


def test_running_line_rules() -> None:
    pages = [
        ["Sida 1 av 3", "KS 2024-05-21 § 77", "Dnr KS 2023/145", "Beslut", "Text ett"],
        ["Sida 2 av 3", "KS 2024-05-21 § 78", "Dnr KS 2023/160", "Beslut", "Text två"],
        ["Sida 3 av 3", "KS 2024-05-21 § 79", "Dnr KS 2023/171", "Beslut", "- 3 -"],
    ]
    # "Sida n av 3" advances with the page: footer. "§ 77/78/79" also does, but § lines must repeat
    # verbatim; the case numbers do not advance with the page; "Beslut" is a section label.
    assert remove_running_lines(pages) == [row[1:] for row in pages[:2]] + [pages[2][1:4]]
    assert remove_running_lines(pages[:2]) == pages[:2]  # fewer than 3 pages: untouched
    assert all(map(is_page_number, ["3", "- 3 -", "3/12", "3 (12)", "Sivu 3 / 12", "Page 3 of 9"]))
    plan = [
        ["Vasa stad | Handlingsplan 2024–2026", "Inledning", "Text"],
        ["Vasa stad | Handlingsplan 2024–2026", "Tidplan: 2024–2025", "E-tjänster"],
        ["Vasa stad | Handlingsplan 2024–2026", "Tidplan: 2025–2026", "Ansvarig: Digitaliseringsenheten"],
        ["Vasa stad | Handlingsplan 2024–2026", "Uppföljning", "Ansvarig: Digitaliseringsenheten"],
    ]
    # The header on 4/4 pages goes. The years of "Tidplan" advance with the page by chance, but years
    # are no page numbers; a field label repeated on 2 pages is action-table content: both stay.
    assert remove_running_lines(plan) == [page[1:] for page in plan]
    assert not any(map(is_page_number, ["§ 3", "2078/02.08.00/2022", "Liite 3", "17.02.2025"]))


def test_meaningful_title() -> None:
    assert meaningful_title("Microsoft Word - KH_pöytäkirja_17022025.docx") is None  # a file name
    assert meaningful_title("Untitled") is None and meaningful_title("  ") is None
    assert meaningful_title(None) is None and meaningful_title("1234") is None
    assert meaningful_title("Microsoft Word - Digistrategia 2028") == "Digistrategia 2028"

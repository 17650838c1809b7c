"""Builders of hostile input files for the loader fuzz tests: bombs, cycles, deep nesting, huge counts.

Each builder writes one file and returns its path; sizes are parameters so the default run stays quick
and the slow run can push harder. Nothing here needs the network.
"""

from __future__ import annotations

import io
import logging
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

MB = 2**20

# ------------------------------------------------------------------------------------------ PDF


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from numbered object bodies (object i+1 is objects[i]) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    out.write(trailer % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _text_content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 50 780 Td 14 TL"]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\")
        escaped = escaped.replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def pdf_many_pages(path: Path, pages: int, lines: list[str] | None = None) -> Path:
    """`pages` pages sharing one content stream: a small file that makes a reader walk every page."""
    lines = lines or ["Kaupunginhallitus päätti hyväksyä digiohjelman.", "Vastuutaho: tietohallinto."]
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        _FONT,
        _stream(_text_content(lines)),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> " \
           b"/Contents 4 0 R >>"
    objects += [page] * pages
    path.write_bytes(_pdf(objects))
    return path


def pdf_flate_bomb(path: Path, unpacked_mb: int) -> Path:
    """One page whose content stream inflates to `unpacked_mb` MB (a text operator, then spaces)."""
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(_text_content(["Pommi."]) + b"\n")]
    block = b" " * MB
    for _ in range(unpacked_mb):
        parts.append(compressor.compress(block))
    parts.append(compressor.flush())
    data = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _FONT,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>",
    ]
    path.write_bytes(_pdf(objects))
    return path


def pdf_huge_image(path: Path, inline_kb: int = 2048, side: int = 100_000) -> Path:
    """A page with an image XObject claiming side×side pixels and an inline image of `inline_kb` kB noise."""
    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(inline_kb * 1024)).replace(b"EI", b"E_")
    content = (_text_content(["Kuvaliite."]) + b"\nq 100 0 0 100 50 50 cm /Im1 Do Q\n"
               b"BI /W 1024 /H %d /CS /G /BPC 8 ID " % (inline_kb) + noise + b" EI\n")
    image = zlib.compress(b"\0" * MB)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
        _FONT,
        _stream(content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Length %d /Filter /FlateDecode >>\nstream\n" % (side, side, len(image)) + image + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
        b"/XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
    ]
    path.write_bytes(_pdf(objects))
    return path


def pdf_page_tree_cycle(path: Path) -> Path:
    """A page tree whose /Kids contains itself (and a page whose parent is a cycle)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Parent 2 0 R /Count 2 >>",
    ]
    path.write_bytes(_pdf(objects))
    return path


def pdf_deep_nesting(path: Path, depth: int = 100_000) -> Path:
    """An object of `depth` nested arrays, referenced from the page's resources."""
    deep = b"[" * depth + b"1" + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _FONT,
        _stream(_text_content(["Sisäkkäin."])),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
        b"/Deep 6 0 R >> /Contents 4 0 R >>",
        deep,
    ]
    path.write_bytes(_pdf(objects))
    return path


def pdf_xref_loop(path: Path) -> Path:
    """A trailer whose /Prev points back at its own cross-reference section."""
    data = bytearray(pdf_many_pages(path, 2).read_bytes())
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    xref = int(data[start:data.index(b"\n", start)])
    data = data.replace(b"/Size 7 /Root 1 0 R", b"/Size 7 /Root 1 0 R /Prev %d" % xref)
    path.write_bytes(bytes(data))
    return path


# ------------------------------------------------------------------------------------------ DOCX

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_package(path: Path, document_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal .docx around `document_xml` (and any extra members)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _document(body: str) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}">'
    return f"{head}<w:body>{body}</w:body></w:document>".encode()


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_zip_bomb(path: Path, unpacked_mb: int = 300) -> Path:
    """document.xml followed by a member of `unpacked_mb` MB of zeros (packs a thousand to one)."""
    docx_package(path, _document(_paragraph("Pommi.")))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/media/image1.png", "w", force_zip64=True) as member:
        block = b"\0" * MB
        for _ in range(unpacked_mb):
            member.write(block)
    return path


def docx_lying_sizes(path: Path, unpacked_mb: int = 64) -> Path:
    """A document.xml of `unpacked_mb` MB whose zip headers claim 100 bytes (defeats a header-only check)."""
    text = _paragraph("Valehteleva koko.") + "<w:p/>" * (unpacked_mb * MB // 6)
    docx_package(path, _document(text))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_len = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + name_len] == name:
                struct.pack_into("<I", data, at + size_at, 100)
            start = at + 4
    path.write_bytes(bytes(data))
    return path


def docx_many_members(path: Path, members: int = 20_000) -> Path:
    return docx_package(path, _document(_paragraph("Monta osaa.")),
                        {f"word/media/m{i}.bin": b"x" for i in range(members)})


def docx_billion_laughs(path: Path) -> Path:
    """document.xml with nested entity definitions that would expand to gigabytes."""
    entities = '<!ENTITY a0 "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="{_W}"><w:body>'
           f"<w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")
    return docx_package(path, xml.encode())


def docx_deep_nesting(path: Path, depth: int = 50_000) -> Path:
    inner = "<w:sdt><w:sdtContent>" * depth + _paragraph("Syvällä.") + "</w:sdtContent></w:sdt>" * depth
    return docx_package(path, _document(inner))


def docx_many_paragraphs(path: Path, paragraphs: int = 200_000) -> Path:
    return docx_package(path, _document("".join(_paragraph(f"Kappale {i}.") for i in range(paragraphs))))


# ------------------------------------------------------------------------------------------ HTML


def html_deep_nesting(path: Path, depth: int = 200_000) -> Path:
    path.write_text("<html><body>" + "<div><span>" * depth + "Syvällä oleva teksti" + "</span></div>" * depth,
                    encoding="utf-8")
    return path


def html_unclosed(path: Path, count: int = 200_000) -> Path:
    path.write_text("<html><body>" + "<table><tr><td><p><b><i>solu " * count, encoding="utf-8")
    return path


def html_huge_attribute(path: Path, mb: int = 20) -> Path:
    path.write_text('<html><body><p title="' + "x" * (mb * MB) + '">Attribuutti.</p></body></html>',
                    encoding="utf-8")
    return path


def html_entity_flood(path: Path, count: int = 2_000_000) -> Path:
    body = "&amp;&lt;&#x2603;&nbsp;" * count
    path.write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ text


def text_many_pages(path: Path, pages: int = 100_000) -> Path:
    path.write_text("".join(f"Sivu {i}\nTekstiä sivulla {i}.\n\f" for i in range(pages)), encoding="utf-8")
    return path


def markdown_unclosed_markers(path: Path, kb: int = 2048) -> Path:
    path.write_text("**a " * (kb * 256), encoding="utf-8")
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "pdf-5000-pages": lambda d: pdf_many_pages(d / "pages.pdf", 5000),
    "pdf-flate-bomb-2GB": lambda d: pdf_flate_bomb(d / "bomb.pdf", 2048),
    "pdf-huge-image": lambda d: pdf_huge_image(d / "image.pdf"),
    "pdf-page-tree-cycle": lambda d: pdf_page_tree_cycle(d / "cycle.pdf"),
    "pdf-deep-nesting": lambda d: pdf_deep_nesting(d / "deep.pdf"),
    "pdf-xref-loop": lambda d: pdf_xref_loop(d / "loop.pdf"),
    "docx-zip-bomb": lambda d: docx_zip_bomb(d / "bomb.docx"),
    "docx-lying-sizes": lambda d: docx_lying_sizes(d / "lying.docx"),
    "docx-many-members": lambda d: docx_many_members(d / "members.docx"),
    "docx-billion-laughs": lambda d: docx_billion_laughs(d / "laughs.docx"),
    "docx-deep-nesting": lambda d: docx_deep_nesting(d / "deep.docx"),
    "docx-many-paragraphs": lambda d: docx_many_paragraphs(d / "paragraphs.docx"),
    "html-deep-nesting": lambda d: html_deep_nesting(d / "deep.html"),
    "html-unclosed": lambda d: html_unclosed(d / "unclosed.html"),
    "html-huge-attribute": lambda d: html_huge_attribute(d / "attribute.html"),
    "html-entity-flood": lambda d: html_entity_flood(d / "entities.html"),
    "txt-100000-pages": lambda d: text_many_pages(d / "pages.txt"),
    "md-unclosed-markers": lambda d: markdown_unclosed_markers(d / "markers.md"),
}

"""Uploads: type by content, size, safe names, duplicates; then store and ingest, one result per file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from config import Settings
from ingest.store import read_manifest
from webapp.indexing import ingest_uploads
from webapp.uploads import MAX_NAME_BYTES, safe_filename, sha256, store_upload, validate_upload

MB = 1_000_000
FINNISH = "Päätös: Kaupunginhallitus hyväksyy digiohjelman. Vastuu: tietohallintojohtaja.\n"


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Digiohjelma 2025", level=1)
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in text.splitlines():
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_zip(name: str = "hello.txt") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "hello")
    return out.getvalue()


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
        ("/abs/path/Päätös §15 – Kuopio.pdf", "Päätös §15 – Kuopio.pdf"),  # non-ASCII letters kept
        ("Borgå stad: protokoll?.txt", "Borgå stad_ protokoll.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul.md", "_nul.md"),
        ("com1.tar.pdf", "_com1.tar.pdf"),
        ("lpt9", "_lpt9"),
        ("a\x00b\x1fc\u202ed\u200b.txt", "abcd.txt"),  # control and invisible characters
        ("line\nbreak.md", "linebreak.md"),
        (".hidden.md", "hidden.md"),  # ingest skips dot files
        ("...", "upload"),
        ("dir/", "upload"),
        ("README.md", "upload-README.md"),  # ingest skips README.md
        ("notes.meta.json", "notes_meta.json"),  # would be read as another file's sidecar
        ("report.PDF", "report.pdf"),
        ("  spaced   name  .txt. ", "spaced name.txt"),
        (
            "<script>alert(1)</script>.html",
            "script.html",
        ),  # "/" is a path separator: only "script>.html" is left
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_caps_length_in_bytes_and_keeps_suffix() -> None:
    long = safe_filename("ä" * 300 + ".docx")
    assert long.endswith(".docx") and len(long.encode("utf-8")) <= MAX_NAME_BYTES
    assert set(long[:-5]) == {"ä"}


# ------------------------------------------------------------------ validation


def check(name: str, data: bytes, upload_dir: Path, max_bytes: int = MB, **kw):
    return validate_upload(name, data, upload_dir, max_bytes, **kw)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("memo.txt", FINNISH.encode("utf-8"), "text"),
        ("memo.txt", FINNISH.encode("cp1252"), "text"),  # Windows text files are common in municipalities
        ("memo.txt", b"\xef\xbb\xbf" + FINNISH.encode("utf-8"), "text"),  # with a BOM
        ("notes.md", b"# Otsikko\n\nTeksti <br> jossa on merkint\xc3\xa4\xc3\xa4.\n", "text"),
        ("page.html", b"<!DOCTYPE html><html><body><p>Hei</p></body></html>", "html"),
        ("page.htm", b"<div><h2>Otsikko</h2><p>Teksti</p></div>", "html"),
        ("doc.docx", None, "docx"),
        ("doc.pdf", None, "pdf"),
    ],
)
def test_accepted_by_content(tmp_path: Path, name: str, data: bytes | None, kind: str) -> None:
    if data is None:
        data = make_docx(FINNISH) if kind == "docx" else make_pdf("Digiohjelma\n" + FINNISH)
    result = check(name, data, tmp_path)
    assert (result.ok, result.reason, result.kind, result.safe_name) == (True, None, kind, name)
    assert len(result.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "code", "reason"),
    [
        ("empty.txt", b"", "empty", "the file is empty"),
        ("blank.txt", b" \n\t ", "empty", "the file is empty"),
        ("program.exe", b"MZ\x90\x00", "unsupported_type", "unsupported file type .exe"),
        ("noextension", b"hello", "unsupported_type", "unsupported file type (none)"),
        (
            "report.pdf",
            b"<html><body>no</body></html>",
            "mismatch",
            "the name says .pdf but the content is html",
        ),
        ("report.pdf", FINNISH.encode(), "mismatch", "the name says .pdf but the content is text"),
        ("letter.docx", b"%PDF-1.7\n1 0 obj\n", "mismatch", "the name says .docx but the content is pdf"),
        ("page.html", FINNISH.encode(), "mismatch", "the name says .html but the content is text"),
        ("archive.docx", make_zip(), "not_docx", "not a Word (.docx) document"),
        ("broken.docx", b"PK\x03\x04garbage", "not_docx", "not a Word (.docx) document"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "binary data"),
        ("latin.txt", b"caf\x81\x8d\x8f", "encoding", "unknown encoding"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12", "binary", "binary data"),
    ],
)
def test_rejected_by_content(tmp_path: Path, name: str, data: bytes, code: str, reason: str) -> None:
    result = check(name, data, tmp_path)
    assert not result.ok
    assert result.code == code and reason in result.reason


def test_size_limit(tmp_path: Path) -> None:
    data = b"a" * 2000
    assert check("big.txt", data, tmp_path, max_bytes=2000).ok
    result = check("big.txt", data + b"a", tmp_path, max_bytes=2000)
    assert (result.ok, result.code) == (False, "too_large")
    assert result.reason == "the file is 2 kB; the limit is 2 kB"
    assert check("big.txt", b"a" * 3_000_000, tmp_path, max_bytes=2 * MB).reason == (
        "the file is 3.0 MB; the limit is 2.0 MB"
    )


def test_duplicates_by_content_hash(tmp_path: Path) -> None:
    (tmp_path / "original.txt").write_text(FINNISH, encoding="utf-8")
    again = check("renamed copy.txt", FINNISH.encode(), tmp_path)
    assert (again.ok, again.code, again.duplicate_of) == (False, "duplicate", "original.txt")
    # documents already in the index (e.g. the corpus) count too: the app passes their hashes
    indexed = check("x.txt", b"other text", tmp_path, known_hashes={sha256(b"other text"): "corpus_doc.txt"})
    assert (indexed.ok, indexed.duplicate_of) == (False, "corpus_doc.txt")
    assert "corpus_doc.txt" in indexed.reason


def test_same_name_other_content_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "memo.txt").write_text("first version", encoding="utf-8")
    result = check("memo.txt", b"second version", tmp_path)
    assert (result.ok, result.safe_name) == (True, "memo-2.txt")
    # a name already used by an indexed document (say, in the corpus) is never taken over
    taken = check("000_doc.txt", b"third", tmp_path, taken_names={"000_doc.txt"})
    assert taken.safe_name == "000_doc-2.txt"


def test_store_upload(tmp_path: Path) -> None:
    upload_dir = tmp_path / "uploads"
    data = FINNISH.encode()
    result = check("../memo.txt", data, upload_dir)
    path = store_upload(result, data, upload_dir)
    assert path == upload_dir / "memo.txt" and path.read_bytes() == data
    assert [p.name for p in upload_dir.iterdir()] == ["memo.txt"]  # no temp file left behind
    with pytest.raises(ValueError):
        store_upload(check("x.exe", b"MZ", upload_dir), b"MZ", upload_dir)


# ------------------------------------------------------------------ store + ingest, as the app does it


def test_ingest_uploads_accepts_and_rejects_per_file(
    tmp_path: Path, two_doc_index: Path, copy_index, embeddings
):
    index_dir = copy_index(two_doc_index)
    upload_dir = tmp_path / "uploads"
    settings = Settings(
        index_dir=index_dir, upload_dir=upload_dir, corpus_dir=tmp_path / "none", max_upload_mb=1
    )
    before = read_manifest(index_dir)
    files = [
        ("Digiohjelma.docx", make_docx(FINNISH)),
        ("fake.pdf", b"<html><body>not a pdf</body></html>"),
        ("Handlingsplan.pdf", make_pdf("Handlingsplan 2025\nKommunstyrelsen ansvarar for uppfoljningen.")),
        ("huge.txt", b"x" * (MB + 1)),
        (
            "broken.pdf",
            b"%PDF-1.4\nthis is not really a PDF\n",
        ),  # passes the type check, the loader refuses it
        ("copy-of-digiohjelma.docx", None),  # filled below: the same bytes as the first file
    ]
    files[-1] = ("copy-of-digiohjelma.docx", files[0][1])
    stages = []
    results = ingest_uploads(files, settings, embeddings, progress=lambda s, d, t: stages.append(s))

    assert [r.name for r in results] == [name for name, _ in files]  # one result per file, in order
    assert [r.ok for r in results] == [True, False, True, False, False, False]
    ok = {r.stored_as: r.chunks for r in results if r.ok}
    after = read_manifest(index_dir)
    assert set(after.files) == set(before.files) | set(ok)
    assert all(ok[name] == len(after.files[name].chunk_ids) > 0 for name in ok)
    assert [r.code for r in results if not r.ok] == ["mismatch", "too_large", "ingest", "duplicate"]
    assert results[4].reason  # the loader's own reason is passed on
    assert sorted(p.name for p in upload_dir.iterdir()) == sorted(ok)  # rejected files are not kept
    assert "parse" in stages and "embed" in stages


def test_rejected_batch_changes_nothing(tmp_path: Path, two_doc_index: Path, copy_index, embeddings) -> None:
    index_dir = copy_index(two_doc_index)
    upload_dir = tmp_path / "uploads"
    settings = Settings(index_dir=index_dir, upload_dir=upload_dir)
    before = read_manifest(index_dir)
    files = [("fake.docx", FINNISH.encode()), ("x.exe", b"MZ"), ("empty.md", b"")]
    results = ingest_uploads(files, settings, embeddings)
    assert [(r.ok, r.code) for r in results] == [
        (False, "mismatch"),
        (False, "unsupported_type"),
        (False, "empty"),
    ]
    assert read_manifest(index_dir).generation == before.generation
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_public_only_names_do_not_reveal_an_internal_document(tmp_path: Path) -> None:
    """Issue 15: in a public-only app an upload named like an internal document got "-2" while one
    named like nothing got its own name — which told the uploader the internal one exists. There
    every upload is stored as NAME-<sha8>, taken name or not; outside public-only the "-2" stays."""
    data = FINNISH.encode("utf-8")
    digest = sha256(data)
    hidden = validate_upload("salainen.txt", data, tmp_path, MB, taken_names={"salainen.txt"},
                             public_only=True)
    free = validate_upload("salainen.txt", data, tmp_path, MB, taken_names=set(), public_only=True)
    assert hidden.ok and free.ok
    assert hidden.safe_name == free.safe_name == f"salainen-{digest[:8]}.txt"
    plain = validate_upload("salainen.txt", data, tmp_path, MB, taken_names={"salainen.txt"})
    assert plain.safe_name == "salainen-2.txt"
    long = validate_upload("ä" * 200 + ".txt", data, tmp_path, MB, public_only=True)
    assert long.safe_name.endswith(f"-{digest[:8]}.txt") and len(long.safe_name.encode()) <= MAX_NAME_BYTES

"""Check an uploaded file before it is stored: real type by content, size, a safe name, no duplicates.

Anyone with the app open can upload, so nothing about the file is trusted: the extension must
agree with the bytes, the name must not reach outside the upload folder or collide with a
reserved device name, and the same document uploaded twice is caught by its sha256.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.pipeline import IGNORED_NAMES
from ingest.sidecars import SIDECAR_SUFFIX

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "text",
}
UPLOAD_TYPES = ["pdf", "txt", "md", "html", "docx"]  # for st.file_uploader(type=…)
MAX_NAME_BYTES = 150  # well under the 255-byte limit of common file systems, with room for "-2"
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|title|meta|p|div|span|h[1-6]|table|ul|ol|li|article|section|br)\b",
    re.IGNORECASE,
)
_NAME_UNSAFE = re.compile(r"[^\w\s.\-–—()+,&'§]", re.UNICODE)


@dataclass(frozen=True)
class UploadCheck:
    """The verdict on one uploaded file; `reason` is the one line shown to the user."""

    ok: bool
    reason: str | None
    safe_name: str | None
    sha256: str
    kind: str | None = None  # "pdf" | "docx" | "html" | "text", as detected from the bytes
    duplicate_of: str | None = None
    code: str | None = None  # why it was rejected (a key of REASONS), for a translated message
    params: dict[str, str] = field(default_factory=dict, compare=False)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_filename(name: str) -> str:
    """A file name that stays inside the upload folder on any OS and keeps its non-ASCII letters.

    Drops any path (also Windows `..\\`), control and invisible characters, characters outside a
    small punctuation set, leading dots (hidden files are ignored by ingest) and trailing dots and
    spaces; renames device names (CON, NUL, COM1 …) and names ingest ignores (README.md); caps the
    length in bytes while keeping the suffix.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # Cc, Cf, Co, Cs, Cn
    name = _NAME_UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_{2,}", "_", name)
    name = name.strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" ._") or "upload"
    suffix = suffix.lower()
    if stem.split(".")[0].casefold() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    full = f"{stem}.{suffix}" if suffix else stem
    if full.casefold().endswith(SIDECAR_SUFFIX):  # ingest reads NAME.meta.json as another file's metadata
        stem = stem[: -len(".meta")] + "_meta"
    elif full.casefold() in IGNORED_NAMES:  # ingest skips README.md, LICENSE …
        stem = f"upload-{stem}"
    tail = f".{suffix}" if suffix else ""
    budget = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(" ._") or "upload"
    return stem + tail


def sniff(data: bytes) -> tuple[str | None, str | None]:
    """(kind, problem code) from the bytes alone: a PDF, a Word document, HTML or plain text."""
    head = data[:1024]
    if b"%PDF-" in head:  # readers accept the header anywhere in the first kilobyte
        return "pdf", None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None, "not_docx"
        if "word/document.xml" in names:
            return "docx", None
        return None, "not_docx"
    if b"\x00" in data:
        return None, "binary"
    text = _decode(data)
    if text is None:
        return None, "encoding"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        return None, "binary"
    if _HTML_MARKUP.search(data[:65536]):
        return "html", None
    return "text", None


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def validate_upload(
    name: str,
    data: bytes,
    upload_dir: Path,
    max_bytes: int,
    known_hashes: Mapping[str, str] | None = None,
    taken_names: Collection[str] = (),
    public_only: bool = False,
) -> UploadCheck:
    """Whether `data` may be stored in `upload_dir`, and under which name.

    `known_hashes` (sha256 → document name) adds documents already in the index to the duplicate
    check; `taken_names` are names already used by indexed documents: a new file never takes
    such a name (it would replace that document), it gets a "-2" suffix instead.

    `public_only` (an app that hides internal documents): every accepted file is stored as
    `NAME-<first 8 of its sha256>.suffix`, whether or not its name is taken. A "-2" only where a name
    is taken would tell the uploader that an internal document of that name exists.
    """
    digest = sha256(data)
    safe = safe_filename(name)

    def reject(
        code: str, kind: str | None = None, duplicate_of: str | None = None, **params: str
    ) -> UploadCheck:
        reason = REASONS[code].format(**params)
        logger.info("rejected upload %r: %s", name, reason)
        return UploadCheck(False, reason, safe, digest, kind, duplicate_of, code, params)

    if not data or not data.strip():
        return reject("empty")
    if len(data) > max_bytes:
        return reject("too_large", size=_mb(len(data)), limit=_mb(max_bytes))
    suffix = Path(safe).suffix.lower()
    expected = ALLOWED_SUFFIXES.get(suffix)
    if expected is None:
        return reject("unsupported_type", suffix=suffix or "(none)")
    kind, problem = sniff(data)
    if problem:
        return reject(problem)
    if kind == "html" and expected == "text":
        kind = "text"  # a text or Markdown file may quote some markup; it is read as text anyway
    if kind != expected:
        return reject("mismatch", kind=kind, suffix=suffix, actual=kind or "")
    duplicate = _find_duplicate(digest, upload_dir, known_hashes or {})
    if duplicate is not None:
        return reject("duplicate", kind=kind, duplicate_of=duplicate, name=duplicate)
    if public_only:
        safe = _content_name(safe, digest)
    return UploadCheck(True, None, _unique_name(safe, upload_dir, taken_names), digest, kind)


# English reasons (logs, tests, the fallback); the app shows its own translation of each code.
REASONS = {
    "empty": "the file is empty",
    "too_large": "the file is {size}; the limit is {limit}",
    "unsupported_type": "unsupported file type {suffix}; upload .pdf, .docx, .html, .txt or .md",
    "binary": "the content is binary data, not a document",
    "encoding": "the text is in an unknown encoding (expected UTF-8 or Windows-1252)",
    "not_docx": "the content is a ZIP archive, not a Word (.docx) document",
    "mismatch": "the name says {suffix} but the content is {actual}",
    "duplicate": "the same file is already uploaded or indexed as {name}",
}


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _find_duplicate(digest: str, upload_dir: Path, known_hashes: Mapping[str, str]) -> str | None:
    if digest in known_hashes:
        return known_hashes[digest]
    if upload_dir.is_dir():
        for path in sorted(upload_dir.iterdir()):
            if path.is_file() and not path.name.startswith(".") and sha256(path.read_bytes()) == digest:
                return path.name
    return None


def _content_name(name: str, digest: str) -> str:
    """`name` with the start of the file's sha256 before its suffix, within MAX_NAME_BYTES."""
    path = Path(name)
    tag = f"-{digest[:8]}"
    stem = path.stem
    while len((stem + tag + path.suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem.rstrip(' ._') or 'upload'}{tag}{path.suffix}"


def _unique_name(name: str, upload_dir: Path, taken: Collection[str]) -> str:
    """`name`, or `name-2`, `name-3` … if a different file already has it (on disk or in the index)."""
    taken_folded = {t.casefold() for t in taken}
    path = Path(name)
    candidate, n = name, 1
    while (upload_dir / candidate).exists() or candidate.casefold() in taken_folded:
        n += 1
        candidate = f"{path.stem}-{n}{path.suffix}"
    return candidate


def store_upload(check: UploadCheck, data: bytes, upload_dir: Path) -> Path:
    """Write an accepted upload atomically: a hidden temp file, then a rename, so ingest never sees half."""
    if not check.ok or not check.safe_name:
        raise ValueError(f"not storing a rejected upload: {check.reason}")
    upload_dir.mkdir(parents=True, exist_ok=True)
    target = upload_dir / check.safe_name
    if target.resolve().parent != upload_dir.resolve():  # belt and braces: safe_filename has no separators
        raise ValueError(f"unsafe upload name {check.safe_name!r}")
    tmp = upload_dir / f".{check.sha256[:16]}.part"
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target

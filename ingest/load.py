"""Load a file into lines with page numbers. PLACEHOLDER: plain text only; being replaced."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .records import Line, LoadedDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


class SkipFile(Exception):
    """A file that cannot be ingested; the message is the one-line reason shown in the summary."""


def load_document(path: Path) -> LoadedDocument:
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise SkipFile("empty file")
    text = raw.decode("utf-8", errors="replace")
    lines = tuple(Line(t) for t in text.splitlines())
    return LoadedDocument(
        path=Path(path), source=Path(path).name, format="txt", lines=lines, language="fi",
        file_hash=hashlib.sha256(raw).hexdigest(),
    )

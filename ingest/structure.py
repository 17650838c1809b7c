"""Parse a loaded document into sections. PLACEHOLDER: one section per document; being replaced."""

from __future__ import annotations

from .records import LoadedDocument, ParsedDocument, Section


def parse_document(doc: LoadedDocument) -> ParsedDocument:
    lines = tuple(line for line in doc.lines if line.text.strip())
    title = lines[0].text.strip() if lines else doc.source
    return ParsedDocument(
        source=doc.source, title=title, language=doc.language, doc_type="document",
        sections=(Section(heading_path=(title,), kind="text", lines=lines),), file_hash=doc.file_hash,
    )

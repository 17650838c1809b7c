"""Split sections into chunks. PLACEHOLDER: fixed-size line windows; being replaced."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .records import Chunk, ParsedDocument


def chunk_document(
    doc: ParsedDocument, max_tokens: int = 400, count_tokens: Callable[[str], int] | None = None
) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in doc.sections:
        for start in range(0, len(section.lines), 8):
            lines = section.lines[start : start + 8]
            text = "\n".join(line.text for line in lines)
            chunks.append(
                Chunk(
                    id=f"{doc.source}::{len(chunks)}", text=text, source=doc.source,
                    document_title=doc.title, chunk_index=len(chunks),
                    content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
                    section=" › ".join(section.heading_path), section_kind=section.kind,
                    language=doc.language, doc_type=doc.doc_type, page=lines[0].page,
                    file_hash=doc.file_hash,
                )
            )
    return chunks

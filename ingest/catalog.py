"""What an index holds, read without a model or a vector store: its documents and chunk table.

For readers above the ingest stage (the app's overview, filters, document list and source pages,
which must work while the embedding model is still loading), so they need neither the store's
file layout nor the pipeline's file discovery.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline import discover
from ingest.records import Chunk
from ingest.store import CHUNKS, read_manifest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogDocument:
    source: str  # the document's name in the index (what citations carry)
    path: str  # the file it was read from, when ingested
    title: str
    municipality: str | None
    doc_type: str
    language: str
    visibility: str
    chunks: int
    file_hash: str = ""


@dataclass(frozen=True)
class Catalog:
    """One live generation of an index: its documents and (optionally) every chunk."""

    index_dir: Path
    generation: str
    model_id: str
    built_at: str
    documents: tuple[CatalogDocument, ...]
    chunks: tuple[Chunk, ...] = ()

    def document(self, source: str) -> CatalogDocument | None:
        return next((d for d in self.documents if d.source == source), None)


def live_generation(index_dir: Path) -> str | None:
    """The live generation's name (changes with every ingest), or None when there is no index."""
    manifest = read_manifest(Path(index_dir))
    return manifest.generation if manifest else None


def read_catalog(index_dir: Path, public_only: bool = False, with_chunks: bool = True) -> Catalog | None:
    """The live generation's documents (and chunks); internal ones left out when `public_only`."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    docs = tuple(
        sorted(
            (
                CatalogDocument(
                    source,
                    e.path,
                    e.title,
                    e.municipality,
                    e.doc_type,
                    e.language,
                    e.visibility,
                    len(e.chunk_ids),
                    e.file_hash,
                )
                for source, e in manifest.files.items()
                if not public_only or e.visibility == "public"
            ),
            key=lambda d: (d.title.casefold(), d.source),
        )
    )
    chunks: list[Chunk] = []
    if with_chunks:
        shown = {d.source for d in docs}
        with (index_dir / manifest.generation / CHUNKS).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                chunk = Chunk.from_metadata(row["id"], row["text"], row["metadata"])
                if chunk.source in shown:
                    chunks.append(chunk)
    return Catalog(index_dir, manifest.generation, manifest.model_id, manifest.built_at, docs, tuple(chunks))


def has_documents(folder: Path) -> bool:
    """Whether a folder holds any file the ingest would read."""
    return Path(folder).is_dir() and bool(discover([folder])[0])

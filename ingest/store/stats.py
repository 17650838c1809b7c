"""What the live generation holds: documents, chunks, model, build time (`index_stats`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.store.layout import read_manifest


@dataclass
class StoreStats:
    generation: str | None = None
    documents: int = 0
    chunks: int = 0
    model_id: str | None = None
    built_at: str | None = None
    sources: list[str] = field(default_factory=list)

def index_stats(index_dir: Path, public_only: bool = False) -> StoreStats:
    """What the live generation holds; with `public_only`, counting and naming public documents only."""
    manifest = read_manifest(Path(index_dir))
    if manifest is None:
        return StoreStats()
    files = {s: f for s, f in manifest.files.items() if not public_only or f.visibility == "public"}
    return StoreStats(
        generation=manifest.generation,
        documents=len(files),
        chunks=sum(len(f.chunk_ids) for f in files.values()),
        model_id=manifest.model_id,
        built_at=manifest.built_at,
        sources=sorted(files),
    )

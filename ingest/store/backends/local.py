"""The embedded Chroma store: a `PersistentClient` folder (`chroma/`) inside each generation's folder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ingest.store.backends.base import ChromaBackend, VectorStore, chroma_settings
from ingest.store.layout import COLLECTION_PREFIX, Manifest, prev_ids

FOLDER = "chroma"


class LocalChroma(ChromaBackend):
    """Embedded: one store per generation folder, so a generation is copied, changed and switched whole."""

    def _client(self, index_dir: Path, generation: str) -> Any:
        import chromadb

        path = index_dir / generation / FOLDER
        return self._opened(chromadb.PersistentClient(path=str(path), settings=chroma_settings()))

    def collection_name(self, index_dir: Path, generation: str) -> str:
        return COLLECTION_PREFIX  # the folder is the generation's own

    def create(self, index_dir: Path, generation: str, name: str, previous: Manifest | None,
               keep_ids: set[str]) -> tuple[VectorStore, set[str]]:
        """The previous generation's embedded store copied and the dropped chunks deleted, where there
        is one (cheaper than rebuilding the HNSW graph); else an empty collection."""
        source = index_dir / previous.generation / FOLDER if previous is not None else None
        if previous is None or previous.chroma_host or source is None or not source.exists():
            return self._new(index_dir, generation, name), set()
        shutil.copytree(source, index_dir / generation / FOLDER)
        store = self.open(index_dir, generation, name)
        held = set(prev_ids(previous))
        store.delete(sorted(held - keep_ids))
        return store, held & keep_ids

    def drop(self, index_dir: Path, generation: str, name: str) -> None:
        """Nothing to do: the store goes with the generation's folder."""

"""A Chroma server (`chroma run`): one collection per generation, named after the index folder."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from ingest.store.backends.base import ChromaBackend, VectorStore, chroma_errors, chroma_settings
from ingest.store.layout import COLLECTION_PREFIX, Manifest

logger = logging.getLogger(__name__)


class ChromaServer(ChromaBackend):
    """Over HTTP; every generation's vectors are added to a new collection from the local copy."""

    def _client(self, index_dir: Path, generation: str) -> Any:
        import chromadb

        with chroma_errors(self.target):
            assert self.target.host is not None  # a server backend has a host
            client = chromadb.HttpClient(
                host=self.target.host, port=self.target.port, settings=chroma_settings()
            )
        return self._opened(client)

    def collection_name(self, index_dir: Path, generation: str) -> str:
        # One server may hold several indexes: name the collection after the folder (its name, and a hash
        # of its path, since per-municipality folders are often all called "index") and the generation.
        resolved = index_dir.resolve()
        tag = "".join(c if c.isalnum() else "-" for c in resolved.name)[:40].strip("-") or "index"
        digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:8]
        return f"{COLLECTION_PREFIX}-{tag}-{digest}-{generation}"

    def create(self, index_dir: Path, generation: str, name: str, previous: Manifest | None,
               keep_ids: set[str]) -> tuple[VectorStore, set[str]]:
        return self._new(index_dir, generation, name), set()

    def drop(self, index_dir: Path, generation: str, name: str) -> None:
        try:
            self._client(index_dir, generation).delete_collection(name)
        except Exception as exc:  # gone already, or the server is down: the folder goes anyway
            logger.debug("could not drop collection %s on %s: %s", name, self.target.address, exc)

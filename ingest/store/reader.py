"""Reading one generation: its chunk table, keyword index and vectors (`Index`)."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.records import Chunk
from ingest.store.backends import ChromaTarget, VectorStore, backend_for, manifest_target
from ingest.store.layout import (
    CHUNKS,
    MANIFEST,
    VECTORS,
    ChromaUnavailable,
    IndexNotFound,
    Manifest,
    ModelMismatch,
    _current_generation,
    mismatch_message,
    no_index_message,
    remove_debris_if_idle,
)

logger = logging.getLogger(__name__)


def _bm25s():
    """bm25s sets its own logger to DEBUG when imported; keep it at the application's level."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s

_prefetching: threading.Thread | None = None


def prefetch_modules() -> None:
    """Import the store's libraries (Chroma, bm25s: ~1 s) in a daemon thread, for a caller that is about to
    load a model: torch leaves the interpreter free often enough while it loads that this comes almost
    free (measured: a fresh process's model load plus Chroma's client went from 10.5 to 9.7 s, median of
    3, on the shared 2-core box). Opening the index later finds them imported; once per process."""
    global _prefetching
    if _prefetching is not None:
        return

    def run() -> None:
        with contextlib.suppress(Exception):  # an import that fails here fails again, and is reported, there
            import chromadb  # noqa: F401

            _bm25s()

    _prefetching = threading.Thread(target=run, name="strategy-chat-store-imports", daemon=True)
    _prefetching.start()


class Index:
    """A read-only view of one generation: chunk table, keyword index and vectors."""

    def __init__(self, index_dir: Path, generation: str, manifest: Manifest, target: ChromaTarget) -> None:
        bm25s = _bm25s()
        self.index_dir = index_dir
        self.generation = generation
        self.manifest = manifest
        self.target = target
        gen_dir = index_dir / generation
        self.chunks: list[Chunk] = []
        with (gen_dir / CHUNKS).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                self.chunks.append(Chunk.from_metadata(row["id"], row["text"], row["metadata"]))
        self._tokens: list[list[str]] | None = None
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.bm25 = bm25s.BM25.load(str(gen_dir / "bm25")) if self.chunks else None
        # Memory-mapped: pages are read when a filtered query touches them. Older indexes lack it.
        vectors_path = gen_dir / VECTORS
        self.vectors: np.ndarray | None = (
            np.load(vectors_path, mmap_mode="r") if vectors_path.exists() and self.chunks else None
        )
        if self.vectors is not None and self.vectors.shape[0] != len(self.chunks):
            logger.warning("%s: %s has %d rows for %d chunks; filtered queries fall back to Chroma",
                           gen_dir, VECTORS, self.vectors.shape[0], len(self.chunks))
            self.vectors = None
        self._backend = backend_for(target)
        self._store: VectorStore | None = None
        # Chroma keeps every client's system (its SQLite connection and loaded HNSW segments) in a
        # class-level cache until the client is closed: an `ask` process or the app that reopens the
        # index after each ingest grew by a generation's worth each time. Closed when this view is.
        self._finalizer = weakref.finalize(self, self._backend.close)
        self._connect()

    def _connect(self) -> VectorStore:
        self._backend.close()  # a reconnect replaces the old client
        self._store = self._backend.open(self.index_dir, self.generation, self.manifest.collection)
        return self._store

    def close(self) -> None:
        """Release the Chroma client (and so its store's memory). Also done when the view is dropped."""
        self._store = None
        self._finalizer()

    @property
    def store(self) -> VectorStore:
        """The generation's vector store; reconnected after the server was unreachable."""
        return self._store if self._store is not None else self._connect()

    @property
    def tokens(self) -> list[list[str]]:
        """Each chunk's keyword tokens, read on first use (at 100k chunks they take ~1 GB as lists)."""
        if self._tokens is None:
            with (self.index_dir / self.generation / CHUNKS).open(encoding="utf-8") as fh:
                self._tokens = [json.loads(line)["tokens"] for line in fh]
        return self._tokens

    @classmethod
    def open(
        cls, index_dir: Path | str, target: ChromaTarget | None = None, model_id: str | None = None
    ) -> Index:
        """Open the live generation. Its vectors are where the manifest says; a configured server
        address overrides the recorded one (replicas may reach the same server by another name)."""
        index_dir = Path(index_dir)
        gen = _current_generation(index_dir)
        if gen is None:
            raise IndexNotFound(no_index_message(index_dir))
        remove_debris_if_idle(index_dir)
        manifest = Manifest.from_json((index_dir / gen / MANIFEST).read_text(encoding="utf-8"))
        if model_id is not None and manifest.model_id != model_id:
            raise ModelMismatch(mismatch_message(index_dir, manifest.model_id, model_id))
        recorded = manifest_target(manifest)
        if target is None or not recorded.is_server or not target.is_server:
            if target is not None and target.is_server != recorded.is_server:
                logger.warning(
                    "%s keeps its vectors %s; re-ingest with the other setting to move them",
                    index_dir, f"on {recorded.address}" if recorded.is_server else "embedded",
                )
            target = recorded
        return cls(index_dir, gen, manifest, target)

    def is_current(self) -> bool:
        """False once another ingest has switched the index to a newer generation."""
        return _current_generation(self.index_dir) == self.generation

    def dense_search(
        self, vector: Sequence[float], k: int, where: dict | None = None
    ) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) pairs, best first, from the vector store's (HNSW) index."""
        if not self.chunks:
            return []
        try:
            found = self.store.query(vector, min(k, len(self.chunks)), where=where)
        except ChromaUnavailable:
            self._store = None  # connect afresh next time
            raise
        return [(self.position[i], 1.0 - d) for i, d in found if i in self.position]

    def exact_dense_search(
        self, vector: Sequence[float], k: int, rows: np.ndarray
    ) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) pairs, best first, over the given rows only.

        Exact, from the local vectors: what a filtered query uses when the filter keeps few rows.
        """
        if self.vectors is None:
            raise ValueError("this index generation has no vectors.npy; re-ingest to add it")
        if not len(rows):
            return []
        query = np.asarray(vector, dtype=np.float32)
        matrix = np.asarray(self.vectors[rows], dtype=np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix)) * (float(np.linalg.norm(query)) or 1.0)
        # einsum, not BLAS: OpenBLAS's threads made this 4k x 384 product take 8 ms instead of 0.2.
        sims = np.einsum("ij,j->i", matrix, query) / np.where(norms > 0, norms, 1.0)
        top = np.argpartition(-sims, k - 1)[:k] if len(rows) > k else np.arange(len(rows))
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(rows[i]), float(sims[i])) for i in top]

    def keyword_search(
        self, tokens: list[str], k: int, mask: np.ndarray | None = None, rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) pairs with a positive score, best first.

        `rows` (positions, e.g. those passing a filter) restricts the search to them; `mask` weights
        every chunk's score instead. Prefer `rows`: bm25s's top-k over a masked array is mostly ties
        (zeros), where numpy's argpartition takes ~15 ms at 100k chunks instead of ~1 ms.
        """
        if self.bm25 is None or not tokens:
            return []
        if rows is not None:
            scores = self.bm25.get_scores(tokens)[rows]
            k = min(k, len(rows))
            if not k:
                return []
            top = np.argpartition(scores, -k)[-k:]
            top = top[np.flip(np.argsort(scores[top]))]  # bm25s's own order (ties included)
            return [(int(rows[i]), float(scores[i])) for i in top if scores[i] > 0]
        docs, scores = self.bm25.retrieve(
            [tokens], k=min(k, len(self.chunks)), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

"""Writing a new generation from the live one, then switching CURRENT to it (`IndexWriter`)."""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.records import Chunk
from ingest.store.backends import ChromaTarget, VectorStore, backend_for, manifest_target
from ingest.store.layout import (
    CHUNKS,
    CURRENT,
    MANIFEST,
    VECTORS,
    FileEntry,
    Manifest,
    ModelMismatch,
    _fsync_dir,
    _write_atomic,
    mismatch_message,
    read_manifest,
    remove_debris,
)
from ingest.store.reader import _bm25s

logger = logging.getLogger(__name__)


class IndexWriter:
    """Builds the next generation from the live one; `commit` makes it live in one rename."""

    def __init__(self, index_dir: Path, model_id: str, pipeline_version: str, target: ChromaTarget) -> None:
        self.index_dir = index_dir
        self.model_id = model_id
        self.pipeline_version = pipeline_version
        self.target = target
        self.previous = read_manifest(index_dir)
        if self.previous is not None and self.previous.model_id != model_id:
            raise ModelMismatch(mismatch_message(index_dir, self.previous.model_id, model_id))
        self._previous_rows: list[dict] | None = None
        self.backend = backend_for(target)  # its clients are closed when the write is done
        remove_debris(index_dir)  # the writer holds the lock: no other write is under way

    def close(self) -> None:
        self.backend.close()

    def previous_rows(self) -> list[dict]:
        """The live generation's chunks.jsonl rows, in order (read once)."""
        if self._previous_rows is None:
            self._previous_rows = []
            if self.previous is not None:
                with (self.index_dir / self.previous.generation / CHUNKS).open(encoding="utf-8") as fh:
                    self._previous_rows = [json.loads(line) for line in fh]
        return self._previous_rows

    def _previous_vectors(self) -> np.ndarray | None:
        if self.previous is None:
            return None
        path = self.index_dir / self.previous.generation / VECTORS
        return np.load(path, mmap_mode="r") if path.exists() else None

    def previous_embeddings(self, ids: Sequence[str]) -> dict[str, Sequence[float] | np.ndarray]:
        """Vectors the live generation already has for these chunk ids (nothing is embedded twice)."""
        if self.previous is None or not ids:
            return {}
        matrix = self._previous_vectors()
        if matrix is not None:
            position = {row["id"]: i for i, row in enumerate(self.previous_rows())}
            return {i: np.array(matrix[position[i]], dtype=np.float32) for i in ids if i in position}
        # An index written before vectors.npy existed: ask its vector store.
        prev = self.previous
        backend = backend_for(manifest_target(prev))
        try:
            return dict(backend.open(self.index_dir, prev.generation, prev.collection).vectors(ids))
        finally:
            backend.close()

    def write(
        self,
        files: dict[str, FileEntry],
        new_chunks: Sequence[Chunk],
        new_tokens: Sequence[list[str]],
        new_vectors: np.ndarray | Sequence[Sequence[float]],
    ) -> Manifest:
        """Write a generation holding `files`: chunks kept from the live one plus `new_chunks`."""
        generation = f"g{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        gen_dir = self.index_dir / generation
        gen_dir.mkdir(parents=True)
        keep_ids = {cid for f in files.values() for cid in f.chunk_ids}
        new_ids = {c.id for c in new_chunks}
        collection_name = self.backend.collection_name(self.index_dir, generation)

        rows: list[dict] = []
        kept_positions: list[int] = []
        for i, row in enumerate(self.previous_rows()):
            if row["id"] in keep_ids and row["id"] not in new_ids:
                rows.append(row)
                kept_positions.append(i)
        kept_ids = [r["id"] for r in rows]
        kept_vectors = self._kept_vectors(kept_positions, kept_ids)
        fresh = np.asarray(new_vectors, dtype=np.float32)
        if not len(new_chunks):
            fresh = np.zeros((0, kept_vectors.shape[1]), dtype=np.float32)
        vectors = np.concatenate([kept_vectors, fresh]) if len(kept_vectors) else fresh
        tokens = [r["tokens"] for r in rows] + [list(t) for t in new_tokens]
        for chunk, toks in zip(new_chunks, new_tokens, strict=True):
            rows.append({"id": chunk.id, "text": chunk.text, "metadata": chunk.metadata(), "tokens": toks})

        store = self._new_store(generation, collection_name, rows[: len(kept_ids)], kept_vectors)
        added = rows[len(kept_ids) :]
        store.add([r["id"] for r in added], fresh, [r["text"] for r in added], [r["metadata"] for r in added])

        with (gen_dir / CHUNKS).open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        if len(rows):
            with (gen_dir / VECTORS).open("wb") as fh:
                np.save(fh, vectors)
        _write_bm25(gen_dir / "bm25", tokens)

        manifest = Manifest(
            model_id=self.model_id,
            generation=generation,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            files=files,
            pipeline_version=self.pipeline_version,
            collection=collection_name,
            chroma_host=self.target.host,
            chroma_port=self.target.port if self.target.is_server else None,
        )
        _write_atomic(gen_dir / MANIFEST, manifest.to_json())
        _fsync_dir(gen_dir)
        _write_atomic(self.index_dir / CURRENT, generation)
        _fsync_dir(self.index_dir)
        self.close()  # before the old folders go: the embedded store holds files in them open
        self._collect_garbage(generation)
        self.close()
        return manifest

    def _kept_vectors(self, positions: list[int], ids: list[str]) -> np.ndarray:
        """Vectors of the chunks carried over, in order: from vectors.npy, else (older index) Chroma."""
        if not positions:
            return np.zeros((0, 0), dtype=np.float32)
        matrix = self._previous_vectors()
        if matrix is not None:
            return np.asarray(matrix[np.asarray(positions)], dtype=np.float32)
        found = self.previous_embeddings(ids)
        return np.asarray([found[i] for i in ids], dtype=np.float32)

    def _new_store(self, generation: str, name: str, kept_rows: list[dict], kept_vectors: np.ndarray
                   ) -> VectorStore:
        """The new generation's vector store, already holding the kept chunks' vectors: what the backend
        carried over from the live generation (the embedded store copies it), and the rest added."""
        kept = {r["id"] for r in kept_rows}
        store, held = self.backend.create(self.index_dir, generation, name, self.previous, kept)
        missing = [i for i, r in enumerate(kept_rows) if r["id"] not in held]
        if missing:
            rows = [kept_rows[i] for i in missing]
            store.add([r["id"] for r in rows], kept_vectors[np.asarray(missing)],
                      [r["text"] for r in rows], [r["metadata"] for r in rows])
        return store

    def _collect_garbage(self, live: str) -> None:
        """Drop generations older than the previous one, and any half-written ones, with their
        collections on the Chroma server."""
        gens = sorted(p for p in self.index_dir.iterdir() if p.is_dir() and p.name.startswith("g"))
        # The one that was live until now, by name: not "the newest but one" by sort order, which within
        # one second is random and counts a generation whose ingest was killed before going live.
        keep = {live} | ({self.previous.generation} if self.previous is not None else set())
        for path in gens:
            if path.name in keep:
                continue
            target, name = self.target, self.backend.collection_name(self.index_dir, path.name)
            if (path / MANIFEST).exists():
                with contextlib.suppress(Exception):
                    manifest = Manifest.from_json((path / MANIFEST).read_text(encoding="utf-8"))
                    target, name = manifest_target(manifest), manifest.collection
            backend = self.backend if target == self.target else backend_for(target)
            backend.drop(self.index_dir, path.name, name)
            if backend is not self.backend:
                backend.close()
            shutil.rmtree(path, ignore_errors=True)

def _write_bm25(path: Path, tokens: list[list[str]]) -> None:
    bm25s = _bm25s()
    if not tokens:
        return
    retriever = bm25s.BM25()
    retriever.index([t or ["∅"] for t in tokens], show_progress=False)
    retriever.save(str(path))

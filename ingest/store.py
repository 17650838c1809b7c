"""The index on disk: immutable generations, switched atomically.

    INDEX_DIR/
      CURRENT          name of the live generation, replaced with os.replace (atomic)
      .lock            held by the one ingest that may write at a time
      g<time>-<rand>/  one generation
        manifest.json  model, files and their chunk ids; written last
        chunks.jsonl   every chunk: text, metadata, keyword tokens
        bm25/          the bm25s keyword index over those tokens
        chroma/        the embedded Chroma store (absent in server mode)

A reader opens whatever CURRENT names and sees one whole generation. A writer copies the live
generation, applies its changes, writes the manifest and only then points CURRENT at it: an
interrupted ingest leaves the previous index as it was, and the next ingest removes the debris.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .records import Chunk

logger = logging.getLogger(__name__)

INDEX_FORMAT = 1
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
COLLECTION_PREFIX = "strategy-chat"
_KEEP_GENERATIONS = 2  # the live one and the one before it, for readers still on it


class IndexError_(Exception):
    """Base for index errors; the message says what to do."""


class IndexNotFound(IndexError_):
    pass


class ModelMismatch(IndexError_):
    pass


@dataclass(frozen=True)
class ChromaTarget:
    """Where the vectors live: embedded under the generation folder, or a Chroma server."""

    host: str | None = None
    port: int = 8000

    @property
    def is_server(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class FileEntry:
    path: str
    file_hash: str
    title: str
    language: str
    doc_type: str
    municipality: str | None
    sections: int
    chunk_ids: tuple[str, ...]
    visibility: str = "public"


@dataclass(frozen=True)
class Manifest:
    model_id: str
    generation: str
    built_at: str
    files: dict[str, FileEntry]
    pipeline_version: str
    collection: str
    chroma_host: str | None = None
    format: int = INDEX_FORMAT

    @property
    def chunk_count(self) -> int:
        return sum(len(f.chunk_ids) for f in self.files.values())

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k != "files"}
        data["files"] = {s: {**f.__dict__, "chunk_ids": list(f.chunk_ids)} for s, f in self.files.items()}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        files = {
            s: FileEntry(**{**f, "chunk_ids": tuple(f["chunk_ids"])}) for s, f in data.pop("files").items()
        }
        return cls(files=files, **data)


def no_index_message(index_dir: Path) -> str:
    return f"No index at {index_dir} — run `strategy-chat ingest corpus --index {index_dir}` first."


def mismatch_message(index_dir: Path, index_model: str, model: str) -> str:
    return (
        f"The index at {index_dir} was built with {index_model}, not {model}. Query it with the same "
        f"embedding backend, or rebuild it: `strategy-chat ingest corpus --index NEW_DIR` with the new model."
    )


def read_manifest(index_dir: Path) -> Manifest | None:
    gen = _current_generation(index_dir)
    if gen is None:
        return None
    return Manifest.from_json((index_dir / gen / MANIFEST).read_text(encoding="utf-8"))


def _current_generation(index_dir: Path) -> str | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and (index_dir / name / MANIFEST).exists() else None


def _chroma_client(target: ChromaTarget, path: Path | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if target.is_server:
        return chromadb.HttpClient(host=target.host, port=target.port, settings=settings)
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _collection_name(index_dir: Path, generation: str, target: ChromaTarget) -> str:
    if not target.is_server:
        return COLLECTION_PREFIX
    # One server may hold several indexes: name the collection after the folder and generation.
    tag = "".join(c if c.isalnum() else "-" for c in index_dir.resolve().name)[:40].strip("-") or "index"
    return f"{COLLECTION_PREFIX}-{tag}-{generation}"


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
        self.tokens: list[list[str]] = []
        with (gen_dir / CHUNKS).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                self.chunks.append(Chunk.from_metadata(row["id"], row["text"], row["metadata"]))
                self.tokens.append(row["tokens"])
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.bm25 = bm25s.BM25.load(str(gen_dir / "bm25")) if self.chunks else None
        client = _chroma_client(target, gen_dir / "chroma")
        self.collection = client.get_collection(manifest.collection)

    @classmethod
    def open(
        cls, index_dir: Path | str, target: ChromaTarget | None = None, model_id: str | None = None
    ) -> Index:
        index_dir = Path(index_dir)
        gen = _current_generation(index_dir)
        if gen is None:
            raise IndexNotFound(no_index_message(index_dir))
        manifest = Manifest.from_json((index_dir / gen / MANIFEST).read_text(encoding="utf-8"))
        if model_id is not None and manifest.model_id != model_id:
            raise ModelMismatch(mismatch_message(index_dir, manifest.model_id, model_id))
        target = target or ChromaTarget(host=manifest.chroma_host)
        return cls(index_dir, gen, manifest, target)

    def is_current(self) -> bool:
        """False once another ingest has switched the index to a newer generation."""
        return _current_generation(self.index_dir) == self.generation

    def dense_search(
        self, vector: Sequence[float], k: int, where: dict | None = None
    ) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) pairs, best first."""
        if not self.chunks:
            return []
        result = self.collection.query(
            query_embeddings=[list(vector)],
            n_results=min(k, len(self.chunks)),
            where=where,
            include=["distances"],
        )
        return [
            (self.position[i], 1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
            if i in self.position
        ]

    def keyword_search(
        self, tokens: list[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) pairs with a positive score, best first."""
        if self.bm25 is None or not tokens:
            return []
        docs, scores = self.bm25.retrieve(
            [tokens], k=min(k, len(self.chunks)), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


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

    def _previous_chunks(self) -> Iterator[tuple[dict, list[str]]]:
        if self.previous is None:
            return
        with (self.index_dir / self.previous.generation / CHUNKS).open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield row, row["tokens"]

    def previous_embeddings(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Vectors the live generation already has for these chunk ids (nothing is embedded twice)."""
        if self.previous is None or not ids:
            return {}
        path = self.index_dir / self.previous.generation / "chroma"
        collection = _chroma_client(self.target, path).get_collection(self.previous.collection)
        found: dict[str, list[float]] = {}
        for start in range(0, len(ids), 2000):
            got = collection.get(ids=list(ids[start : start + 2000]), include=["embeddings"])
            found.update({i: list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)})
        return found

    def write(
        self,
        files: dict[str, FileEntry],
        new_chunks: Sequence[Chunk],
        new_tokens: Sequence[list[str]],
        new_vectors: Sequence[Sequence[float]],
    ) -> Manifest:
        """Write a generation holding `files`: chunks kept from the live one plus `new_chunks`."""
        generation = f"g{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        gen_dir = self.index_dir / generation
        gen_dir.mkdir(parents=True)
        keep_ids = {cid for f in files.values() for cid in f.chunk_ids}
        new_ids = {c.id for c in new_chunks}
        collection_name = _collection_name(self.index_dir, generation, self.target)

        rows: list[dict] = []
        tokens: list[list[str]] = []
        for row, toks in self._previous_chunks():
            if row["id"] in keep_ids and row["id"] not in new_ids:
                rows.append(row)
                tokens.append(toks)
        kept_ids = [r["id"] for r in rows]
        for chunk, toks in zip(new_chunks, new_tokens, strict=True):
            rows.append({"id": chunk.id, "text": chunk.text, "metadata": chunk.metadata(), "tokens": toks})
            tokens.append(toks)

        collection = self._new_collection(gen_dir, collection_name, kept_ids)
        for start in range(0, len(new_chunks), 1000):
            part = new_chunks[start : start + 1000]
            collection.add(
                ids=[c.id for c in part],
                embeddings=np.asarray(new_vectors[start : start + 1000], dtype=np.float32),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )

        with (gen_dir / CHUNKS).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        _write_bm25(gen_dir / "bm25", tokens)

        manifest = Manifest(
            model_id=self.model_id,
            generation=generation,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            files=files,
            pipeline_version=self.pipeline_version,
            collection=collection_name,
            chroma_host=self.target.host,
        )
        _write_atomic(gen_dir / MANIFEST, manifest.to_json())
        _fsync_dir(gen_dir)
        _write_atomic(self.index_dir / CURRENT, generation)
        _fsync_dir(self.index_dir)
        self._collect_garbage(generation)
        return manifest

    def _new_collection(self, gen_dir: Path, name: str, kept_ids: Sequence[str]):
        """A collection for the new generation already holding the kept chunks' vectors."""
        prev = self.previous
        if (
            not self.target.is_server
            and prev is not None
            and (self.index_dir / prev.generation / "chroma").exists()
        ):
            shutil.copytree(self.index_dir / prev.generation / "chroma", gen_dir / "chroma")
            collection = _chroma_client(self.target, gen_dir / "chroma").get_collection(name)
            stale = sorted(set(prev_ids(prev)) - set(kept_ids))
            for start in range(0, len(stale), 5000):
                collection.delete(ids=stale[start : start + 5000])
            return collection
        client = _chroma_client(self.target, gen_dir / "chroma")
        collection = client.create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        if prev is not None and kept_ids:
            old = _chroma_client(self.target, self.index_dir / prev.generation / "chroma").get_collection(
                prev.collection
            )
            for start in range(0, len(kept_ids), 2000):
                got = old.get(
                    ids=list(kept_ids[start : start + 2000]), include=["embeddings", "documents", "metadatas"]
                )
                collection.add(
                    ids=got["ids"],
                    embeddings=got["embeddings"],
                    documents=got["documents"],
                    metadatas=got["metadatas"],
                )
        return collection

    def _collect_garbage(self, live: str) -> None:
        """Drop generations older than the previous one, and any half-written ones."""
        gens = sorted(p for p in self.index_dir.iterdir() if p.is_dir() and p.name.startswith("g"))
        committed = [p for p in gens if (p / MANIFEST).exists()]
        keep = {p.name for p in committed[-_KEEP_GENERATIONS:]} | {live}
        for path in gens:
            if path.name in keep:
                continue
            if self.target.is_server and (path / MANIFEST).exists():
                with contextlib.suppress(Exception):
                    name = Manifest.from_json((path / MANIFEST).read_text(encoding="utf-8")).collection
                    _chroma_client(self.target, None).delete_collection(name)
            shutil.rmtree(path, ignore_errors=True)


def prev_ids(manifest: Manifest) -> list[str]:
    return [cid for f in manifest.files.values() for cid in f.chunk_ids]


def _bm25s():
    """bm25s sets its own logger to DEBUG when imported; keep it at the application's level."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _write_bm25(path: Path, tokens: list[list[str]]) -> None:
    bm25s = _bm25s()
    if not tokens:
        return
    retriever = bm25s.BM25()
    retriever.index([t or ["∅"] for t in tokens], show_progress=False)
    retriever.save(str(path))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder; a second one waits."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class StoreStats:
    generation: str | None = None
    documents: int = 0
    chunks: int = 0
    model_id: str | None = None
    built_at: str | None = None
    sources: list[str] = field(default_factory=list)


def index_stats(index_dir: Path) -> StoreStats:
    manifest = read_manifest(Path(index_dir))
    if manifest is None:
        return StoreStats()
    return StoreStats(
        generation=manifest.generation,
        documents=len(manifest.files),
        chunks=manifest.chunk_count,
        model_id=manifest.model_id,
        built_at=manifest.built_at,
        sources=sorted(manifest.files),
    )

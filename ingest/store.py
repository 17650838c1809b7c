"""The index on disk: immutable generations, switched atomically.

    INDEX_DIR/
      CURRENT          name of the live generation, replaced with os.replace (atomic)
      .lock            held by the one ingest that may write at a time
      g<time>-<rand>/  one generation
        manifest.json  model, files and their chunk ids; written last
        chunks.jsonl   every chunk: text, metadata, keyword tokens
        vectors.npy    float32 vectors, one row per line of chunks.jsonl, same order
        bm25/          the bm25s keyword index over those tokens
        chroma/        the embedded Chroma store (absent in server mode)

A reader opens whatever CURRENT names and sees one whole generation. A writer copies the live
generation, applies its changes, writes the manifest and only then points CURRENT at it: an
interrupted ingest leaves the previous index as it was, and the next ingest removes the debris.

In server mode each generation is its own collection on the Chroma server (named after the index
folder and the generation), and old generations' collections are dropped with their folders.
`vectors.npy` keeps a local copy of the vectors: filtered queries search the matching rows exactly
(faster than Chroma's `where` at 100k chunks), and an ingest never has to read vectors back from
the server.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
import weakref
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
VECTORS = "vectors.npy"
COLLECTION_PREFIX = "strategy-chat"


class IndexProblem(Exception):
    """Base for index errors; the message says what to do."""


class IndexNotFound(IndexProblem):
    pass


class ModelMismatch(IndexProblem):
    pass


class ChromaUnavailable(IndexProblem):
    """The Chroma server cannot be reached (or has lost the collection); retried on the next query."""


@dataclass(frozen=True)
class ChromaTarget:
    """Where the vectors live: embedded under the generation folder, or a Chroma server."""

    host: str | None = None
    port: int = 8000

    @property
    def is_server(self) -> bool:
        return bool(self.host)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


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
    chroma_port: int | None = None
    format: int = INDEX_FORMAT

    @property
    def chunk_count(self) -> int:
        return sum(len(f.chunk_ids) for f in self.files.values())

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k != "files"}
        if data["chroma_port"] is None:  # embedded: keep the manifest readable by code from before the field
            del data["chroma_port"]
        data["files"] = {s: {**f.__dict__, "chunk_ids": list(f.chunk_ids)} for s, f in self.files.items()}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        files = {
            s: FileEntry(**{**f, "chunk_ids": tuple(f["chunk_ids"])}) for s, f in data.pop("files").items()
        }
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:  # written by a newer version: read what this one knows
            logger.info("manifest fields unknown to this version ignored: %s", ", ".join(unknown))
        return cls(files=files, **{k: v for k, v in data.items() if k in known})


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


def _close_clients(clients: list) -> None:
    closed = bool(clients)
    while clients:
        client = clients.pop()
        with contextlib.suppress(Exception):
            client.close()
    if closed:
        _trim_heap()


def _trim_heap() -> None:
    """Hand freed heap back to the system (glibc): a closed store's pages otherwise stay with the process
    (measured: ~1.7 MB kept per generation switch without this, ~0.3 MB with it)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _chroma_client(target: ChromaTarget, path: Path | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if target.is_server:
        with chroma_errors(target):
            assert target.host is not None  # is_server means a host is set
            return chromadb.HttpClient(host=target.host, port=target.port, settings=settings)
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=settings)


def unreachable_message(target: ChromaTarget) -> str:
    return (
        f"Chroma server at {target.address} is not reachable — start it (`chroma run --path DIR "
        f"--host {target.host} --port {target.port}`) or set STRATEGY_CHAT_CHROMA_HOST/PORT to where it "
        f"runs; the next question tries again."
    )


def _is_connection_error(exc: BaseException) -> bool:
    import httpx

    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return True
    # chromadb.HttpClient() raises a bare ValueError when its first request fails.
    return isinstance(exc, ValueError) and "could not connect" in str(exc).lower()


@contextlib.contextmanager
def chroma_errors(target: ChromaTarget, collection: str | None = None) -> Iterator[None]:
    """Turn a lost Chroma server, or one that lost our collection, into ChromaUnavailable."""
    try:
        yield
    except IndexProblem:
        raise
    except Exception as exc:
        if not target.is_server:
            raise
        if _is_connection_error(exc):
            raise ChromaUnavailable(unreachable_message(target)) from exc
        from chromadb.errors import NotFoundError

        if isinstance(exc, NotFoundError) and collection:
            raise ChromaUnavailable(
                f"Chroma server at {target.address} has no collection {collection} — was it restarted "
                f"with another --path? Rebuild with `strategy-chat ingest` into a new index folder."
            ) from exc
        raise


def _collection_name(index_dir: Path, generation: str, target: ChromaTarget) -> str:
    if not target.is_server:
        return COLLECTION_PREFIX
    # One server may hold several indexes: name the collection after the folder (its name, and a hash
    # of its path, since per-municipality folders are often all called "index") and the generation.
    resolved = index_dir.resolve()
    tag = "".join(c if c.isalnum() else "-" for c in resolved.name)[:40].strip("-") or "index"
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:8]
    return f"{COLLECTION_PREFIX}-{tag}-{digest}-{generation}"


def manifest_target(manifest: Manifest) -> ChromaTarget:
    """Where a generation's vectors were written."""
    return ChromaTarget(manifest.chroma_host, manifest.chroma_port or ChromaTarget.port)


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
        self._collection = None
        self._client = None
        # Chroma keeps every client's system (its SQLite connection and loaded HNSW segments) in a
        # class-level cache until the client is closed: an `ask` process or the app that reopens the
        # index after each ingest grew by a generation's worth each time. Closed when this view is.
        self._clients: list = []
        self._finalizer = weakref.finalize(self, _close_clients, self._clients)
        self._connect()

    def _connect(self):
        with chroma_errors(self.target, self.manifest.collection):
            _close_clients(self._clients)  # a reconnect replaces the old client
            client = _chroma_client(self.target, self.index_dir / self.generation / "chroma")
            self._clients.append(client)
            self._client = client
            self._collection = client.get_collection(self.manifest.collection)
        return self._collection

    def close(self) -> None:
        """Release the Chroma client (and so its store's memory). Also done when the view is dropped."""
        self._collection = None
        self._client = None
        self._finalizer()

    @property
    def collection(self):
        """The generation's Chroma collection; reconnected after the server was unreachable."""
        return self._collection if self._collection is not None else self._connect()

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
        """(chunk position, cosine similarity) pairs, best first, from Chroma's HNSW index."""
        if not self.chunks:
            return []
        try:
            with chroma_errors(self.target, self.manifest.collection):
                result = self.collection.query(
                    query_embeddings=[list(vector)],
                    n_results=min(k, len(self.chunks)),
                    where=where,
                    include=["distances"],
                )
        except ChromaUnavailable:
            self._collection = None  # connect afresh next time
            raise
        return [
            (self.position[i], 1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
            if i in self.position
        ]

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
        self._clients: list = []  # Chroma clients opened for this write, closed when it is done
        remove_debris(index_dir)  # the writer holds the lock: no other write is under way

    def _client(self, target: ChromaTarget, path: Path | None):
        client = _chroma_client(target, path)
        self._clients.append(client)
        return client

    def close(self) -> None:
        _close_clients(self._clients)

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

    def _previous_collection(self):
        prev = self.previous
        assert prev is not None
        target = manifest_target(prev)
        client = self._client(target, self.index_dir / prev.generation / "chroma")
        with chroma_errors(target, prev.collection):
            return client.get_collection(prev.collection)

    def previous_embeddings(self, ids: Sequence[str]) -> dict[str, Sequence[float] | np.ndarray]:
        """Vectors the live generation already has for these chunk ids (nothing is embedded twice)."""
        if self.previous is None or not ids:
            return {}
        matrix = self._previous_vectors()
        if matrix is not None:
            position = {row["id"]: i for i, row in enumerate(self.previous_rows())}
            return {i: np.array(matrix[position[i]], dtype=np.float32) for i in ids if i in position}
        # An index written before vectors.npy existed: ask Chroma.
        collection = self._previous_collection()
        found: dict[str, Sequence[float] | np.ndarray] = {}
        for start in range(0, len(ids), 2000):
            with chroma_errors(manifest_target(self.previous), self.previous.collection):
                got = collection.get(ids=list(ids[start : start + 2000]), include=["embeddings"])
            found.update({i: list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)})
        return found

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
        collection_name = _collection_name(self.index_dir, generation, self.target)

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

        collection = self._new_collection(gen_dir, collection_name, rows[: len(kept_ids)], kept_vectors)
        added = rows[len(kept_ids) :]
        _add(collection, self.target, [r["id"] for r in added], fresh,
             [r["text"] for r in added], [r["metadata"] for r in added])

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

    def _new_collection(self, gen_dir: Path, name: str, kept_rows: list[dict], kept_vectors: np.ndarray):
        """A collection for the new generation already holding the kept chunks' vectors.

        Embedded, the previous generation's store is copied and the dropped chunks deleted (cheaper
        than rebuilding the HNSW graph); on a server the kept chunks are added from local data.
        """
        prev = self.previous
        if (
            not self.target.is_server
            and prev is not None
            and not prev.chroma_host
            and (self.index_dir / prev.generation / "chroma").exists()
        ):
            shutil.copytree(self.index_dir / prev.generation / "chroma", gen_dir / "chroma")
            collection = self._client(self.target, gen_dir / "chroma").get_collection(name)
            stale = sorted(set(prev_ids(prev)) - {r["id"] for r in kept_rows})
            for start in range(0, len(stale), 5000):
                collection.delete(ids=stale[start : start + 5000])
            return collection
        client = self._client(self.target, gen_dir / "chroma")
        with chroma_errors(self.target):
            collection = client.create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        _add(collection, self.target, [r["id"] for r in kept_rows], kept_vectors,
             [r["text"] for r in kept_rows], [r["metadata"] for r in kept_rows])
        return collection

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
            target, name = self.target, _collection_name(self.index_dir, path.name, self.target)
            if (path / MANIFEST).exists():
                with contextlib.suppress(Exception):
                    manifest = Manifest.from_json((path / MANIFEST).read_text(encoding="utf-8"))
                    target, name = manifest_target(manifest), manifest.collection
            if target.is_server:
                try:
                    self._client(target, None).delete_collection(name)
                except Exception as exc:  # gone already, or the server is down: the folder goes anyway
                    logger.debug("could not drop collection %s on %s: %s", name, target.address, exc)
            shutil.rmtree(path, ignore_errors=True)


def _add(collection, target: ChromaTarget, ids: list[str], vectors: np.ndarray, texts: list[str],
         metadatas: list[dict], batch: int = 2000) -> None:
    for start in range(0, len(ids), batch):
        with chroma_errors(target):
            collection.add(
                ids=ids[start : start + batch],
                embeddings=vectors[start : start + batch],
                documents=texts[start : start + batch],
                metadatas=metadatas[start : start + batch],
            )


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


def remove_debris(index_dir: Path) -> list[str]:
    """Remove half-written generations (no manifest, not live) left by an ingest that was killed.

    Called by the next writer under the writer lock, and by readers when they open the index while
    no ingest runs (the lock is free): a crashed write never waits for the next good ingest to go.
    Returns the names removed.
    """
    live = _current_generation(index_dir)
    removed = []
    with contextlib.suppress(OSError):
        for path in index_dir.iterdir():
            if (path.is_dir() and path.name.startswith("g") and path.name != live
                    and not (path / MANIFEST).exists()):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
        for tmp in index_dir.glob(f".{CURRENT}.*.tmp"):  # an atomic write cut short
            tmp.unlink(missing_ok=True)
    if removed:
        logger.info("%s: removed half-written generations %s", index_dir, ", ".join(sorted(removed)))
    return removed


def remove_debris_if_idle(index_dir: Path) -> list[str]:
    """`remove_debris` when no ingest holds the writer lock (never waits; a read-only folder is fine)."""
    try:
        fh = (index_dir / ".lock").open("a")
    except OSError:
        return []
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return []  # an ingest is writing: its folder is not debris
        try:
            return remove_debris(index_dir)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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

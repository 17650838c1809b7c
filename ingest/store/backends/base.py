"""The interface the index reader and writer use for a generation's vectors, whichever store keeps them.

`VectorStore` is one generation's collection; `Backend` is where collections live (a folder per
generation for the embedded store, a collection per generation on a server): it names, opens,
creates and drops them. `ChromaCollection` is the one `VectorStore` both Chroma backends hand out.
Failures of a server come out as `ChromaUnavailable` with what to do (`chroma_errors`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.store.layout import ChromaUnavailable, IndexProblem, Manifest

ADD_BATCH = 2000


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


def manifest_target(manifest: Manifest) -> ChromaTarget:
    """Where a generation's vectors were written."""
    return ChromaTarget(manifest.chroma_host, manifest.chroma_port or ChromaTarget.port)


class VectorStore(Protocol):
    """One generation's vectors, with each chunk's text and metadata beside them."""

    name: str

    def count(self) -> int: ...

    def query(self, vector: Sequence[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) pairs, nearest first (approximate: the store's own index)."""
        ...

    def add(self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]: ...

    def metadatas(self, ids: Sequence[str]) -> list[dict]: ...


class Backend(Protocol):
    """Where generations' collections live; one instance per `ChromaTarget`, holding its clients."""

    target: ChromaTarget

    def collection_name(self, index_dir: Path, generation: str) -> str: ...

    def open(self, index_dir: Path, generation: str, name: str) -> VectorStore:
        """An existing generation's collection."""
        ...

    def create(self, index_dir: Path, generation: str, name: str, previous: Manifest | None,
               keep_ids: set[str]) -> tuple[VectorStore, set[str]]:
        """A new generation's collection, and the ids of `keep_ids` it already holds (carried over
        from `previous` where the backend can copy it whole); the caller adds the rest."""
        ...

    def drop(self, index_dir: Path, generation: str, name: str) -> None:
        """Remove a generation's collection (its folder goes with the generation in any case)."""
        ...

    def close(self) -> None:
        """Close every client this backend opened (the embedded store keeps files open until then)."""
        ...


class ChromaCollection:
    """A Chroma collection as a `VectorStore`; a server's failures become `ChromaUnavailable`."""

    def __init__(self, collection: Any, target: ChromaTarget) -> None:
        self._collection = collection
        self.target = target
        self.name: str = collection.name

    def _errors(self) -> contextlib.AbstractContextManager[None]:
        return chroma_errors(self.target, self.name)

    def count(self) -> int:
        with self._errors():
            return int(self._collection.count())

    def query(self, vector: Sequence[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        with self._errors():
            result = self._collection.query(
                query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"]
            )
        return list(zip(result["ids"][0], map(float, result["distances"][0]), strict=True))

    def add(self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict]) -> None:
        for start in range(0, len(ids), ADD_BATCH):
            with self._errors():
                self._collection.add(
                    ids=ids[start : start + ADD_BATCH],
                    embeddings=vectors[start : start + ADD_BATCH],
                    documents=texts[start : start + ADD_BATCH],
                    metadatas=metadatas[start : start + ADD_BATCH],
                )

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 5000):
            with self._errors():
                self._collection.delete(ids=ids[start : start + 5000])

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for start in range(0, len(ids), ADD_BATCH):
            with self._errors():
                got = self._collection.get(ids=list(ids[start : start + ADD_BATCH]), include=["embeddings"])
            found.update({i: list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)})
        return found

    def metadatas(self, ids: Sequence[str]) -> list[dict]:
        with self._errors():
            return list(self._collection.get(ids=list(ids), include=["metadatas"])["metadatas"])


class ChromaBackend:
    """What both Chroma backends share: their clients (closed together) and the collection calls."""

    def __init__(self, target: ChromaTarget) -> None:
        self.target = target
        self._clients: list[Any] = []

    def _client(self, index_dir: Path, generation: str) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _opened(self, client: Any) -> Any:
        self._clients.append(client)
        return client

    def open(self, index_dir: Path, generation: str, name: str) -> VectorStore:
        client = self._client(index_dir, generation)
        with chroma_errors(self.target, name):
            return ChromaCollection(client.get_collection(name), self.target)

    def _new(self, index_dir: Path, generation: str, name: str) -> ChromaCollection:
        client = self._client(index_dir, generation)
        with chroma_errors(self.target):
            collection = client.create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        return ChromaCollection(collection, self.target)

    def close(self) -> None:
        close_clients(self._clients)


def chroma_settings() -> Any:
    """Chroma's client settings: never report usage anywhere."""
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def close_clients(clients: list) -> None:
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

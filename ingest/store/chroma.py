"""The Chroma side of an index: embedded (a folder per generation) or a server (a collection per
generation); its clients, and its failures turned into errors that say what to do."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.store.layout import COLLECTION_PREFIX, ChromaUnavailable, IndexProblem, Manifest


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

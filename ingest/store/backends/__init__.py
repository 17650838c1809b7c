"""Vector stores behind one interface (`base.VectorStore`, `base.Backend`), in the pattern of kotaemon's
`storages/`: `local` (embedded Chroma, a folder per generation) and `server` (a Chroma server, a
collection per generation). `backend_for` is the one place that chooses, from where the settings (or
a generation's manifest) say the vectors live."""

from __future__ import annotations

from ingest.store.backends.base import (
    Backend,
    ChromaTarget,
    VectorStore,
    chroma_errors,
    close_clients,
    manifest_target,
    unreachable_message,
)


def backend_for(target: ChromaTarget) -> Backend:
    """The backend for a target: a server when it names a host, else the embedded store."""
    if target.is_server:
        from ingest.store.backends.server import ChromaServer

        return ChromaServer(target)
    from ingest.store.backends.local import LocalChroma

    return LocalChroma(target)


__all__ = [
    "Backend",
    "ChromaTarget",
    "VectorStore",
    "backend_for",
    "chroma_errors",
    "close_clients",
    "manifest_target",
    "unreachable_message",
]

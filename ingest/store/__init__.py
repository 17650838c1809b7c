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

The package, by job: `layout` (folders, manifest, atomic writes, lock, debris), `backends` (the vector
stores behind one interface: `VectorStore` for a generation's collection, `Backend` for where they live —
`local` embedded Chroma, `server` a Chroma server — chosen by `backend_for`; their errors), `reader`
(`Index`), `writer` (`IndexWriter`), `stats` (`index_stats`). The reader and writer see only the
interface.
"""

from __future__ import annotations

from ingest.store.backends import (
    Backend,
    ChromaTarget,
    VectorStore,
    backend_for,
    chroma_errors,
    manifest_target,
    unreachable_message,
)
from ingest.store.layout import (
    CHUNKS,
    COLLECTION_PREFIX,
    CURRENT,
    INDEX_FORMAT,
    MANIFEST,
    VECTORS,
    ChromaUnavailable,
    FileEntry,
    IndexNotFound,
    IndexProblem,
    Manifest,
    ModelMismatch,
    mismatch_message,
    no_index_message,
    prev_ids,
    read_manifest,
    remove_debris,
    remove_debris_if_idle,
    writer_lock,
)
from ingest.store.reader import Index, prefetch_modules
from ingest.store.stats import StoreStats, index_stats
from ingest.store.writer import IndexWriter

__all__ = [
    "INDEX_FORMAT",
    "CURRENT",
    "MANIFEST",
    "CHUNKS",
    "VECTORS",
    "COLLECTION_PREFIX",
    "IndexProblem",
    "IndexNotFound",
    "ModelMismatch",
    "ChromaUnavailable",
    "FileEntry",
    "Manifest",
    "no_index_message",
    "mismatch_message",
    "read_manifest",
    "prev_ids",
    "remove_debris",
    "remove_debris_if_idle",
    "writer_lock",
    "ChromaTarget",
    "Backend",
    "VectorStore",
    "backend_for",
    "unreachable_message",
    "chroma_errors",
    "manifest_target",
    "Index",
    "prefetch_modules",
    "IndexWriter",
    "StoreStats",
    "index_stats",
]

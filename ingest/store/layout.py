"""The index folder's layout: generations, the CURRENT pointer, the manifest, atomic writes, the
writer lock and the debris a killed ingest leaves (see `ingest.store`)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

def prev_ids(manifest: Manifest) -> list[str]:
    return [cid for f in manifest.files.values() for cid in f.chunk_ids]

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

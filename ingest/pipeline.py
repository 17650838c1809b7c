"""Ingest files into the index: load → parse → chunk → embed → store, incrementally.

Only files whose bytes changed are parsed again, and only chunks whose text (with its context
header) is new are embedded; everything else is carried over from the live generation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .chunk import chunk_document
from .embeddings import IndexEmbeddings
from .keyword import tokenize
from .load import SUPPORTED_SUFFIXES, SkipFile, load_document
from .records import Chunk
from .store import VECTORS, ChromaTarget, FileEntry, IndexWriter, Manifest, manifest_target, writer_lock
from .structure import parse_document

logger = logging.getLogger(__name__)

# Bump when parsing or chunking changes what a file turns into: every file is then re-parsed
# (chunks whose text is unchanged still keep their vectors).
PIPELINE_VERSION = "2"
IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.txt"}
SIDECAR_SUFFIX = ".meta.json"

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    documents: int = 0  # documents in the index after the run
    sections: int = 0  # sections parsed in this run
    chunks: int = 0  # chunks in the index after the run
    parsed: list[str] = field(default_factory=list)  # files (re)parsed in this run
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    embedded: int = 0  # chunks sent to the embedding model in this run
    reused: int = 0  # new chunk ids whose vectors were reused
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    generation: str | None = None

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.chunks} chunks in the index "
            f"({len(self.parsed)} parsed, {self.unchanged} unchanged, {len(self.removed)} removed; "
            f"{self.sections} sections, {self.embedded} chunks embedded) in {self.seconds:.1f} s"
        ]
        lines += [f"skipped {name}: {reason}" for name, reason in self.skipped]
        return "\n".join(lines)


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest under the given files and folders, and those skipped up front."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not _ignored(p) and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(p)
        elif path.is_file():
            found.append(path)
        else:
            skipped.append((str(path), "no such file or folder"))
    return found, skipped


def _ignored(path: Path) -> bool:
    return (
        path.name.lower() in IGNORED_NAMES
        or path.name.endswith(SIDECAR_SUFFIX)
        or any(part.startswith(".") for part in path.parts)
    )


def _sidecar(path: Path) -> dict[str, str]:
    """Per-document overrides from `NAME.meta.json` (municipality, body, visibility …)."""
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable %s: %s", side, exc)
        return {}
    return {str(k): str(v) for k, v in data.items() if v is not None}


def _visibility(path: Path) -> str:
    """Documents under a folder named `internal` are internal unless a sidecar says otherwise."""
    return "internal" if any(part.lower() == "internal" for part in path.resolve().parent.parts) else "public"


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if side.exists():
        digest.update(side.read_bytes())
    return digest.hexdigest()


def _in_scope(recorded: str, roots: Sequence[Path]) -> bool:
    p = Path(recorded).resolve()
    return any(p == r or r in p.parents for r in roots)


def build_index(
    paths: Iterable[Path | str],
    index_dir: Path | str,
    embeddings: IndexEmbeddings,
    chroma: ChromaTarget | None = None,
    progress: ProgressFn | None = None,
    max_tokens: int = 400,
) -> IngestReport:
    """Bring the index at `index_dir` in line with the files under `paths`.

    Files recorded in the index under these paths but gone from disk are removed; files
    elsewhere in the index are left alone.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    chroma = chroma or ChromaTarget()
    paths = [Path(p) for p in paths]
    roots = [p.resolve() for p in paths]
    report = IngestReport()
    stage = report.stage_seconds
    files, report.skipped = discover(paths)

    with writer_lock(index_dir):
        writer = IndexWriter(index_dir, embeddings.model_id, PIPELINE_VERSION, chroma)
        previous = writer.previous
        same_pipeline = previous is not None and previous.pipeline_version == PIPELINE_VERSION
        entries: dict[str, FileEntry] = dict(previous.files) if previous else {}
        new_chunks: list[Chunk] = []
        seen: dict[str, Path] = {}

        for i, path in enumerate(files, 1):
            if progress:
                progress("parse", i, len(files))
            source = path.name
            if source in seen:
                report.skipped.append(
                    (str(path), f"same file name as {seen[source]}: names identify documents")
                )
                continue
            seen[source] = path
            t0 = time.perf_counter()
            file_hash = _file_hash(path)
            old = entries.get(source)
            if same_pipeline and old is not None and old.file_hash == file_hash:
                report.unchanged += 1
                continue
            try:
                loaded = load_document(path)
                parsed = parse_document(loaded)
                chunks = chunk_document(parsed, max_tokens=max_tokens, count_tokens=embeddings.count_tokens)
            except SkipFile as exc:
                report.skipped.append((str(path), str(exc)))
                if entries.pop(source, None) is not None:  # its old text no longer stands in the file
                    report.removed.append(source)
                continue
            except Exception as exc:  # a parser bug must not take the batch down
                logger.exception("failed to ingest %s", path)
                report.skipped.append((str(path), f"could not parse: {type(exc).__name__}: {exc}"))
                continue
            finally:
                stage["parse"] = stage.get("parse", 0.0) + time.perf_counter() - t0
            if not chunks:
                report.skipped.append((str(path), "no text to index after parsing"))
                continue
            overrides = {"visibility": _visibility(path), **_sidecar(path)}
            chunks = [_apply_overrides(c, overrides) for c in chunks]
            report.parsed.append(source)
            report.sections += len(parsed.sections)
            new_chunks.extend(chunks)
            entries[source] = FileEntry(
                path=str(path.resolve()),
                file_hash=file_hash,
                title=parsed.title,
                language=parsed.language,
                doc_type=parsed.doc_type,
                municipality=overrides.get("municipality", parsed.municipality),
                sections=len(parsed.sections),
                chunk_ids=tuple(c.id for c in chunks),
                visibility=overrides["visibility"],
            )

        for source, entry in list(entries.items()):
            if source not in seen and _in_scope(entry.path, roots) and not Path(entry.path).exists():
                del entries[source]
                report.removed.append(source)

        # Moving the vectors between embedded and a server (or another server) writes a generation too.
        moved = previous is not None and _where(manifest_target(previous)) != _where(chroma)
        if moved:
            logger.warning("moving the index's vectors from %s to %s", _describe(previous), _describe(chroma))
        # An index from before vectors.npy gets one (filtered queries need it) on its next ingest.
        upgrade = previous is not None and bool(previous.chunk_count) and not (
            index_dir / previous.generation / VECTORS
        ).exists()
        changed = bool(report.parsed or report.removed) or previous is None or moved or upgrade
        if changed and (entries or previous is not None):
            report.generation = _write_generation(writer, entries, new_chunks, embeddings, report, progress)
        report.documents = len(entries)
        report.chunks = sum(len(e.chunk_ids) for e in entries.values())
    report.seconds = time.perf_counter() - started
    return report


def _where(target: ChromaTarget) -> tuple[str | None, int | None]:
    return (target.host, target.port) if target.is_server else (None, None)


def _describe(where: ChromaTarget | Manifest) -> str:
    target = manifest_target(where) if isinstance(where, Manifest) else where
    return f"the Chroma server at {target.address}" if target.is_server else "the embedded store"


def _apply_overrides(chunk: Chunk, overrides: dict[str, str]) -> Chunk:
    """Apply sidecar metadata, then fix the id: it carries the hash of the text that gets embedded,
    so an id already in the index always has the right vector."""
    fields = Chunk.__dataclass_fields__
    known = {k: v for k, v in overrides.items() if k in fields and k not in ("id", "text")}
    extra = {**chunk.extra, **{k: v for k, v in overrides.items() if k not in fields}}
    chunk = replace(chunk, **known, extra=extra)
    content_hash = hashlib.sha256(chunk.embed_text.encode("utf-8")).hexdigest()[:16]
    return replace(chunk, content_hash=content_hash, id=f"{chunk.source}#{chunk.chunk_index}-{content_hash}")


def _write_generation(
    writer: IndexWriter,
    entries: dict[str, FileEntry],
    new_chunks: list[Chunk],
    embeddings: IndexEmbeddings,
    report: IngestReport,
    progress: ProgressFn | None,
) -> str:
    stage = report.stage_seconds
    previous_ids = {
        cid for f in (writer.previous.files.values() if writer.previous else ()) for cid in f.chunk_ids
    }
    # Chunk ids include the hash of the embedded text: an id already in the index has its vector.
    fresh = [c for c in new_chunks if c.id not in previous_ids]
    t0 = time.perf_counter()
    reused = writer.previous_embeddings([c.id for c in new_chunks if c.id in previous_ids])
    stage["reuse"] = time.perf_counter() - t0
    to_embed = [c for c in new_chunks if c.id not in reused]
    report.reused = len(new_chunks) - len(fresh)

    t0 = time.perf_counter()
    # float32 rows, not lists of Python floats: 100k chunks' vectors take 150 MB instead of ~1.3 GB.
    vectors: dict[str, np.ndarray] = {i: np.asarray(v, dtype=np.float32) for i, v in reused.items()}
    order = sorted(to_embed, key=lambda c: len(c.embed_text))  # similar lengths batch with less padding
    batch = 16
    in_model = 0.0
    for start in range(0, len(order), batch):
        part = order[start : start + batch]
        texts = [c.embed_text for c in part]
        t1 = time.perf_counter()
        out = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        in_model += time.perf_counter() - t1
        for chunk, vec in zip(part, out, strict=True):
            vectors[chunk.id] = vec
        if progress:
            progress("embed", min(start + batch, len(order)), len(order))
    stage["embed"] = time.perf_counter() - t0
    stage["model"] = in_model  # of which inside the embedding model itself
    report.embedded = len(to_embed)

    t0 = time.perf_counter()
    tokens = [tokenize(c.embed_text, c.language) for c in new_chunks]
    stage["tokenize"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    matrix = np.stack([vectors[c.id] for c in new_chunks]) if new_chunks else np.zeros((0, 0), np.float32)
    manifest = writer.write(entries, new_chunks, tokens, matrix)
    stage["store"] = time.perf_counter() - t0
    return manifest.generation

"""Ingest files into the index: load → parse → chunk → embed → store, incrementally.

Only files whose bytes changed are parsed again, and only chunks whose text (with its context
header) is new are embedded; everything else is carried over from the live generation.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunk import chunk_document
from ingest.embed import IndexEmbeddings
from ingest.embed.keyword import tokenize
from ingest.load import SUPPORTED_SUFFIXES, SkipFile, load_document
from ingest.load.isolation import DEFAULT_ISOLATION, IsolationSettings
from ingest.load.loaders.common import one_line
from ingest.load.ocr import OcrSettings
from ingest.parse import parse_document
from ingest.records import Chunk
from ingest.sidecars import SIDECAR_SUFFIX, read_sidecar, read_sidecar_bytes, visibility_of
from ingest.store import VECTORS, ChromaTarget, FileEntry, IndexWriter, Manifest, manifest_target, writer_lock

logger = logging.getLogger(__name__)

# Bump when parsing or chunking changes what a file turns into: every file is then re-parsed
# (chunks whose text is unchanged still keep their vectors).
PIPELINE_VERSION = "10"  # 3: sidecars fail closed; 4: OCR of damaged pages, real layouts, owners in metadata;
# 5: roll-call ballots (voted_yes / voted_no / voted_blank) in metadata; 6: wrapped cover labels;
# 7: the minutes item's title in every chunk's header (a decision section seldom names its subject);
# 8: pages that lost their ligature glyphs re-read by OCR or repaired from the lexicon (text_repair)
# 9: web layouts of the real web2 pages (transcript covers, Dynasty item heads, bulletin heads, news bodies)
# 10: a section without a body or date of its own takes the page's (chunk headers and filters had none)
OCR_CACHE = "ocr-cache"  # under the index folder; generations come and go, OCR'd pages stay read
IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.txt"}
# Text per file parsed and chunked in this process (the loader's worker has its own bounds): with
# linear parse and chunk stages this bounds their time and memory. 40 M characters ≈ a 15,000-page PDF.
MAX_TEXT_CHARS = 40_000_000

OUTSIDE = "symlink to a {} outside the folders given — not followed"
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
    # (file, what happened): indexed, but not as its sidecar asked, or replacing another copy
    notes: list[tuple[str, str]] = field(default_factory=list)
    embedded: int = 0  # chunks sent to the embedding model in this run
    reused: int = 0  # new chunk ids whose vectors were reused
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    generation: str | None = None
    # PDF pages OCR'd in this run, by why ("damaged", "empty"); "kept" = OCR'd but the text layer read better;
    # pages that lost ligature letters: "ligatures_ocr" (re-read by OCR), "ligatures_lexicon" (put back from
    # the lexicon), "ligatures_cached" (of the OCR'd ones, from the cache)
    ocr_pages: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.chunks} chunks in the index "
            f"({len(self.parsed)} parsed, {self.unchanged} unchanged, {len(self.removed)} removed; "
            f"{self.sections} sections, {self.embedded} chunks embedded) in {self.seconds:.1f} s"
        ]
        n = self.ocr_pages.get
        if any(n(key) for key in ("damaged", "empty", "kept", "cached")):
            lines.append(f"OCR: {n('damaged', 0) + n('empty', 0)} PDF pages read by OCR ({n('damaged', 0)} "
                         f"with a damaged text layer, {n('empty', 0)} without one; {n('kept', 0)} more "
                         f"checked and kept, {n('cached', 0)} from the OCR cache)")
        read, repaired, cached = n("ligatures_ocr", 0), n("ligatures_lexicon", 0), n("ligatures_cached", 0)
        if read or repaired:
            lines.append(f"Lost ligatures: {read + repaired} PDF pages whose text layer lost the letters of "
                         f"tt/ti/ft/fi glyphs ({read} re-read by OCR, {cached} of them from the OCR cache; "
                         f"{repaired} put right from the lexicon)")
        lines += [f"removed {name}: its file is gone or no longer readable" for name in self.removed]
        lines += [f"note {_shown(name)}: {reason}" for name, reason in self.notes]
        lines += [f"skipped {_shown(name)}: {reason}" for name, reason in self.skipped]
        return "\n".join(lines)


def _shown(name: str) -> str:
    """A path as one printable line: control characters and bidi overrides (U+202E …) escaped."""
    return printable(name)


def printable(text: str) -> str:
    """`text` with every control, format (bidi overrides, zero-width …) and separator character shown as
    an escape: a file name can neither break a line of the summary nor reorder what is shown after it."""
    out = []
    for ch in text:
        out.append(ascii(ch)[1:-1] if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch)
    return "".join(out)


@dataclass(frozen=True)
class Found:
    """A file to ingest and the root it was found under (a folder given, or the file itself)."""

    path: Path
    root: Path


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest under the given files and folders, and those skipped up front."""
    found, skipped = _discover(paths)
    return [f.path for f in found], skipped


def _discover(paths: Iterable[Path | str]) -> tuple[list[Found], list[tuple[str, str]]]:
    """Walk the given folders without following symlinks out of them.

    The ignore rule (dot-folders, README, sidecars) looks only at the part of a path below the folder
    given, so `ingest ../good` and `ingest ~/.cache/minutes` work. A symlink (file or folder) whose target
    lies outside every given root is not followed and gets a line saying so; one pointing inside is
    skipped quietly when its target is ingested anyway.
    """
    given = [Path(p) for p in paths]
    roots = [_resolve(p) for p in given]
    found: list[Found] = []
    links: list[tuple[Found, Path]] = []  # file symlinks pointing inside the roots, and their targets
    skipped: list[tuple[str, str]] = []
    for raw, root in zip(given, roots, strict=True):
        if root is None or not (raw.is_dir() or raw.is_file()):
            skipped.append((str(raw), "no such file or folder"))
            continue
        if not raw.is_dir():
            found.append(Found(raw, root.parent))
            continue

        def unlisted(exc: OSError) -> None:
            skipped.append((str(exc.filename), f"could not list the folder: {exc.strerror}"))

        for folder, dirs, files in os.walk(raw, onerror=unlisted):
            here = Path(folder)
            kept = []
            for name in sorted(dirs):
                sub = here / name
                if name.startswith("."):
                    continue
                if sub.is_symlink():  # os.walk does not follow it; one pointing inside is walked where it is
                    target = _resolve(sub)
                    if target is None or not _inside(target, roots):
                        skipped.append((str(sub), OUTSIDE.format("folder")))
                    continue
                kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                path = here / name
                if _ignored(path.relative_to(raw)) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if path.is_symlink():
                    target = _resolve(path)
                    if target is None:
                        skipped.append((str(path), "broken symlink (or a symlink loop)"))
                    elif not _inside(target, roots):
                        skipped.append((str(path), OUTSIDE.format("file")))
                    else:
                        links.append((Found(path, root), target))
                    continue
                found.append(Found(path, root))
    real = {_resolve(f.path) for f in found}
    found += [link for link, target in links if target not in real]  # a link to a file ingested anyway: once
    return found, skipped


def _resolve(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop, a name too long
        return None


def _inside(target: Path, roots: Sequence[Path | None]) -> bool:
    return any(r is not None and (target == r or r in target.parents) for r in roots)


def _ignored(relative: Path) -> bool:
    """Whether a file is left out, judged on its path below the folder given."""
    return (
        relative.name.lower() in IGNORED_NAMES
        or relative.name.endswith(SIDECAR_SUFFIX)
        or any(part.startswith(".") for part in relative.parts)
    )


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    side = read_sidecar_bytes(path)
    if side is not None:
        digest.update(side)
    return digest.hexdigest()


def _in_scope(recorded: str, roots: Sequence[Path]) -> bool:
    p = Path(recorded).resolve()
    return any(p == r or r in p.parents for r in roots)


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "the file disappeared while ingesting (moved or deleted?)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long for the file system — rename it"
    return f"could not read file: {type(exc).__name__}: {one_line(exc.strerror or str(exc), 120)}"


def build_index(
    paths: Iterable[Path | str],
    index_dir: Path | str,
    embeddings: IndexEmbeddings,
    chroma: ChromaTarget | None = None,
    progress: ProgressFn | None = None,
    max_tokens: int = 400,
    ocr: OcrSettings | None = None,
    isolation: IsolationSettings = DEFAULT_ISOLATION,
) -> IngestReport:
    """Bring the index at `index_dir` in line with the files under `paths`.

    `ocr`: how damaged and scanned PDF pages are OCR'd; by default with a cache in `index_dir/ocr-cache`
    that outlives the index's generations, so a re-ingest OCRs no page it has read before.
    `isolation`: the loader worker's time and memory bounds (the CLI and the app pass `settings.isolation`).

    Files recorded in the index under these paths but gone from disk are removed; files
    elsewhere in the index are left alone. Every per-file failure is that file's line in the report.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    how = _FileOptions(max_tokens, ocr or OcrSettings(cache_dir=index_dir / OCR_CACHE), isolation)
    chroma = chroma or ChromaTarget()
    given = [Path(p) for p in paths]
    roots = [r for r in (_resolve(p) for p in given) if r is not None]  # before any file is read
    report = IngestReport()
    files, report.skipped = _discover(given)

    with writer_lock(index_dir):
        writer = IndexWriter(index_dir, embeddings.model_id, PIPELINE_VERSION, chroma)
        previous = writer.previous
        entries: dict[str, FileEntry] = dict(previous.files) if previous else {}
        same_pipeline = previous is not None and previous.pipeline_version == PIPELINE_VERSION
        new_chunks, seen = _parse_changed(files, entries, same_pipeline, embeddings, report, how, progress)
        _reconcile(entries, seen, roots, report)
        if _needs_generation(previous, index_dir, chroma, report) and (entries or previous is not None):
            report.generation = _write_generation(writer, entries, new_chunks, embeddings, report, progress)
        report.documents = len(entries)
        report.chunks = sum(len(e.chunk_ids) for e in entries.values())
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _FileOptions:
    """How each file is read and cut: the same for every file of a run."""

    max_tokens: int
    ocr: OcrSettings
    isolation: IsolationSettings


def _parse_changed(
    files: Sequence[Found],
    entries: dict[str, FileEntry],
    same_pipeline: bool,
    embeddings: IndexEmbeddings,
    report: IngestReport,
    how: _FileOptions,
    progress: ProgressFn | None,
) -> tuple[list[Chunk], dict[str, Path]]:
    """Load, parse and chunk the files whose bytes (or the pipeline) changed, updating `entries`; returns
    their chunks and the files seen by name. Kept apart from the write so that one file's failure, of
    any kind, is that file's line in the report and the rest of the batch still lands."""
    stage = report.stage_seconds
    new_chunks: list[Chunk] = []
    seen: dict[str, Path] = {}
    on_ocr = (lambda done, total: progress("ocr", done, total)) if progress else None
    for i, found in enumerate(files, 1):
        if progress:
            progress("parse", i, len(files))
        t0 = time.perf_counter()
        try:
            result = _ingest_file(found.path, entries, seen, same_pipeline, embeddings, report, how, on_ocr)
        except SkipFile as exc:
            report.skipped.append((str(found.path), str(exc)))
            result = None
        except OSError as exc:  # gone between discovery and reading, a name too long …
            report.skipped.append((str(found.path), _os_reason(exc)))
            result = None
        except Exception as exc:  # a parser bug must not take the batch down
            logger.exception("failed to ingest %s", found.path)
            report.skipped.append(
                (str(found.path), f"could not parse: {type(exc).__name__}: {one_line(str(exc), 120)}")
            )
            result = None
        finally:
            stage["parse"] = stage.get("parse", 0.0) + time.perf_counter() - t0
        if result is not None:
            source, entry, chunks, sections = result
            entries[source] = entry
            new_chunks.extend(chunks)
            report.parsed.append(source)
            report.sections += sections
    return new_chunks, seen


def _reconcile(entries: dict[str, FileEntry], seen: dict[str, Path], roots: Sequence[Path],
               report: IngestReport) -> None:
    """Drop the documents recorded under the given roots whose files are gone from disk: an ingest of
    one folder must not remove what was ingested from another, nor keep what was deleted from this one."""
    for source, entry in list(entries.items()):
        if source not in seen and _in_scope(entry.path, roots) and not Path(entry.path).exists():
            del entries[source]
            report.removed.append(source)


def _needs_generation(previous: Manifest | None, index_dir: Path, chroma: ChromaTarget,
                      report: IngestReport) -> bool:
    """Whether this run writes a new generation: something was parsed or removed, there is no index yet,
    the vectors move to another store, or an old index lacks vectors.npy. Otherwise the live
    generation stands as it is (a no-op ingest writes nothing)."""
    # Moving the vectors between embedded and a server (or another server) writes a generation too.
    moved = previous is not None and _where(manifest_target(previous)) != _where(chroma)
    if moved and previous is not None:
        logger.warning("moving the index's vectors from %s to %s", _describe(previous), _describe(chroma))
    # An index from before vectors.npy gets one (filtered queries need it) on its next ingest.
    upgrade = previous is not None and bool(previous.chunk_count) and not (
        index_dir / previous.generation / VECTORS
    ).exists()
    return bool(report.parsed or report.removed) or previous is None or moved or upgrade


def _ingest_file(
    path: Path,
    entries: dict[str, FileEntry],
    seen: dict[str, Path],
    same_pipeline: bool,
    embeddings: IndexEmbeddings,
    report: IngestReport,
    how: _FileOptions,
    on_ocr: Callable[[int, int], None] | None = None,
) -> tuple[str, FileEntry, list[Chunk], int] | None:
    """One file: (source, entry, chunks, sections) to add, or None when it is unchanged.

    Raises SkipFile or OSError with the file's reason; whatever it raises costs this file only.
    """
    source = path.name
    resolved = path.resolve()
    old = entries.get(source)
    if source in seen:
        raise SkipFile(f"same file name as {seen[source]}: names identify documents — rename one of them")
    if old is not None and Path(old.path) != resolved:
        if os.path.lexists(old.path):
            # Names identify documents: never replace one silently with another file of the same name.
            raise SkipFile(f"a document named {source} is already indexed from {old.path}: names identify "
                           "documents — rename one of them")
        report.notes.append((str(path), f"replaces the indexed {source} from {old.path} (no longer there)"))
    seen[source] = path
    try:
        file_hash = _file_hash(path)
        if same_pipeline and old is not None and old.file_hash == file_hash and Path(old.path) == resolved:
            report.unchanged += 1
            return None
        limit_s = how.isolation.timeout_s
        loaded = load_document(path, ocr=how.ocr, on_ocr=on_ocr, isolation=how.isolation)
        deadline = time.monotonic() + limit_s  # parse and chunk run here, outside the loader's worker
        for page in loaded.ocr_pages:
            keys: tuple[str, ...]
            if page.reason != "ligatures":
                keys = (page.reason if page.used else "kept",) + (("cached",) if page.cached else ())
            elif page.used:
                keys = ("ligatures_ocr",) + (("ligatures_cached",) if page.cached else ())
            else:  # the lexicon repaired its layer: counted from the lines below
                keys = ()
            for key in keys:
                report.ocr_pages[key] = report.ocr_pages.get(key, 0) + 1
        repaired = len({line.page for line in loaded.lines if line.text_repair == "ligatures"})
        if repaired:
            report.ocr_pages["ligatures_lexicon"] = report.ocr_pages.get("ligatures_lexicon", 0) + repaired
        size = sum(len(line.text) for line in loaded.lines)
        if size > MAX_TEXT_CHARS:
            raise SkipFile(f"too much text ({size / 1e6:.0f} M characters, limit "
                           f"{MAX_TEXT_CHARS / 1e6:.0f} M) — split the file")
        parsed = parse_document(loaded)
        if time.monotonic() > deadline:
            raise SkipFile(f"parsing took longer than {limit_s:g} s — split the file")
        chunks = chunk_document(parsed, max_tokens=how.max_tokens, count_tokens=embeddings.count_tokens,
                                deadline=deadline)
    except (SkipFile, OSError):
        if entries.pop(source, None) is not None:  # its old text no longer stands in the file
            report.removed.append(source)
        raise
    if not chunks:
        raise SkipFile("no text to index after parsing")
    sidecar = read_sidecar(path)
    for problem in sidecar.problems:
        report.notes.append((str(path), problem))
    visibility = visibility_of(path, sidecar)
    overrides = {**sidecar.overrides, "visibility": visibility}
    chunks = [_apply_overrides(c, overrides) for c in chunks]
    entry = FileEntry(
        path=str(resolved),
        file_hash=file_hash,
        title=parsed.title,
        language=parsed.language,
        doc_type=parsed.doc_type,
        municipality=overrides.get("municipality", parsed.municipality),
        sections=len(parsed.sections),
        chunk_ids=tuple(c.id for c in chunks),
        visibility=visibility,
    )
    return source, entry, chunks, len(parsed.sections)


def _where(target: ChromaTarget) -> tuple[str | None, int | None]:
    return (target.host, target.port) if target.is_server else (None, None)


def _describe(where: ChromaTarget | Manifest) -> str:
    target = manifest_target(where) if isinstance(where, Manifest) else where
    return f"the Chroma server at {target.address}" if target.is_server else "the embedded store"


def _apply_overrides(chunk: Chunk, overrides: dict[str, str]) -> Chunk:
    """Apply sidecar metadata, then fix the id: it carries the hash of the text that gets embedded,
    so an id already in the index always has the right vector."""
    fields = Chunk.__dataclass_fields__
    known: dict[str, Any] = {k: v for k, v in overrides.items() if k in fields and k not in ("id", "text")}
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
    """Embed only chunks with new ids (an id carries the hash of its embedded text, so a known id's vector
    is reused) and write every entry's chunks as a new generation, which the writer makes live at once."""
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

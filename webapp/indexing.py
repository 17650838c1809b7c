"""What the app does with the index besides asking: first build, uploads, filter choices, document list.

Kept out of `app.py` so the upload path (validate → store → ingest → per-file result) can be
tested without a browser, and so the app holds no ingest or retrieval logic of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from ingest.embeddings import IndexEmbeddings
from ingest.pipeline import IngestReport, build_index, discover
from ingest.records import Chunk
from ingest.store import ChromaTarget, read_manifest

from .uploads import UploadCheck, store_upload, validate_upload

logger = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class UploadResult:
    """One uploaded file's outcome, as shown to the user."""

    name: str  # the name it was uploaded under
    ok: bool
    stored_as: str | None = None
    chunks: int = 0
    reason: str | None = None  # English, for logs; `code`/`params` drive the translated message
    code: str | None = None
    params: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class IndexChoices:
    """The values the sidebar filters offer, taken from the chunks in the index."""

    municipalities: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    first_date: str | None = None
    last_date: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    municipality: str | None
    doc_type: str
    language: str
    chunks: int


def chroma_target(settings: Settings) -> ChromaTarget | None:
    return ChromaTarget(settings.chroma_host, settings.chroma_port) if settings.chroma_host else None


def _visible(chunk: Chunk, public_only: bool) -> bool:
    return not public_only or chunk.extra.get("visibility", "public") == "public"


def index_choices(chunks: Iterable[Chunk], public_only: bool = False) -> IndexChoices:
    municipalities: set[str] = set()
    bodies: set[str] = set()
    doc_types: set[str] = set()
    languages: set[str] = set()
    dates: set[str] = set()
    for chunk in chunks:
        if not _visible(chunk, public_only):
            continue
        if chunk.municipality:
            municipalities.add(chunk.municipality)
        if chunk.body:
            bodies.add(chunk.body)
        if chunk.doc_type:
            doc_types.add(chunk.doc_type)
        if chunk.language:
            languages.add(chunk.language)
        if chunk.meeting_date:
            dates.add(chunk.meeting_date[:10])
    ordered = sorted(dates)
    return IndexChoices(
        municipalities=tuple(sorted(municipalities, key=str.casefold)),
        bodies=tuple(sorted(bodies, key=str.casefold)),
        doc_types=tuple(sorted(doc_types)),
        languages=tuple(sorted(languages)),
        first_date=ordered[0] if ordered else None,
        last_date=ordered[-1] if ordered else None,
    )


def documents(index_dir: Path, public_only: bool = False) -> list[DocumentInfo]:
    """The documents in the live index, by title; internal ones left out when the app is public-only."""
    manifest = read_manifest(Path(index_dir))
    if manifest is None:
        return []
    out = [
        DocumentInfo(source, e.title, e.municipality, e.doc_type, e.language, len(e.chunk_ids))
        for source, e in manifest.files.items()
        if not public_only or e.visibility == "public"
    ]
    return sorted(out, key=lambda d: (d.title.casefold(), d.source))


@dataclass(frozen=True)
class VisibleStats:
    """What the sidebar may say about the index: counts over the documents this app may show."""

    documents: int = 0
    chunks: int = 0
    model_id: str | None = None
    built_at: str | None = None


def visible_stats(index_dir: Path, public_only: bool = False) -> VisibleStats:
    """Document and chunk counts of the live index; internal documents not counted when public-only
    (their number is no business of a public user either)."""
    manifest = read_manifest(Path(index_dir))
    if manifest is None:
        return VisibleStats()
    shown = [e for e in manifest.files.values() if not public_only or e.visibility == "public"]
    chunks = sum(len(e.chunk_ids) for e in shown)
    return VisibleStats(len(shown), chunks, manifest.model_id, manifest.built_at)


def initial_sources(settings: Settings) -> list[Path]:
    """Folders a first build reads: the corpus, and the upload folder if anything was uploaded."""
    sources = []
    for folder in (settings.corpus_dir, settings.upload_dir):
        if folder.is_dir() and discover([folder])[0]:
            sources.append(folder)
    return sources


def build_first_index(
    settings: Settings, embeddings: IndexEmbeddings, progress: ProgressFn | None = None
) -> IngestReport | None:
    """Build the index from the corpus (and uploads) when there is none yet; None when there is nothing."""
    sources = initial_sources(settings)
    if not sources:
        logger.warning("no index at %s and no documents in %s", settings.index_dir, settings.corpus_dir)
        return None
    logger.info("no index at %s: building it from %s", settings.index_dir, ", ".join(map(str, sources)))
    report = build_index(
        sources, settings.index_dir, embeddings, chroma=chroma_target(settings), progress=progress
    )
    logger.info("first build: %s", report.summary())
    return report


def ingest_uploads(
    files: Sequence[tuple[str, bytes]],
    settings: Settings,
    embeddings: IndexEmbeddings,
    progress: ProgressFn | None = None,
) -> list[UploadResult]:
    """Validate, store and index uploaded files; one result per file, in order.

    A rejected file is never stored, and one the ingest cannot read is removed again, so it
    changes nothing else. Only the upload folder is re-ingested: the corpus stays as it is.
    """
    upload_dir = Path(settings.upload_dir)
    manifest = read_manifest(Path(settings.index_dir))
    indexed = manifest.files if manifest else {}
    # A public app never names an internal document: a copy of one is not "already indexed as …" (it is
    # indexed anew, as public, under its own name). Names stay taken, so an upload never replaces one.
    known = {e.file_hash: source for source, e in indexed.items()
             if not settings.public_only or e.visibility == "public"}
    taken = set(indexed)
    max_bytes = settings.max_upload_mb * 1_000_000

    results: list[UploadResult | None] = []
    stored: dict[int, tuple[UploadCheck, Path]] = {}
    for i, (name, data) in enumerate(files):
        check = validate_upload(name, data, upload_dir, max_bytes, known_hashes=known, taken_names=taken)
        if not check.ok:
            results.append(_rejected(name, check))
            continue
        path = store_upload(check, data, upload_dir)
        taken.add(path.name)
        stored[i] = (check, path)
        results.append(None)
    if not stored:
        return [r for r in results if r is not None]

    try:
        report = build_index(
            [upload_dir], settings.index_dir, embeddings, chroma=chroma_target(settings), progress=progress
        )
    except Exception as exc:  # the index stays as it was: take the new files out again
        logger.exception("ingesting uploads failed")
        for _, path in stored.values():
            path.unlink(missing_ok=True)
        reason = f"could not be indexed: {type(exc).__name__}: {exc}"
        return [
            r
            if r is not None
            else UploadResult(files[i][0], False, reason=reason, code="ingest", params={"reason": reason})
            for i, r in enumerate(results)
        ]

    manifest = read_manifest(Path(settings.index_dir))
    skipped = {Path(p).name: why for p, why in report.skipped}
    for i, (check, path) in stored.items():
        name = files[i][0]
        entry = manifest.files.get(path.name) if manifest else None
        if path.name in report.parsed and entry is not None:
            results[i] = UploadResult(name, True, stored_as=path.name, chunks=len(entry.chunk_ids))
        else:
            why = skipped.get(path.name, "no text to index")
            path.unlink(missing_ok=True)
            logger.info("upload %s not indexed: %s", path.name, why)
            results[i] = UploadResult(name, False, reason=why, code="ingest", params={"reason": why})
    return [r for r in results if r is not None]


def _rejected(name: str, check: UploadCheck) -> UploadResult:
    return UploadResult(name, False, reason=check.reason, code=check.code, params=dict(check.params))

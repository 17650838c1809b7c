"""What the app does with the index besides asking: first build, uploads, filter choices, document list.

Kept out of `app.py` so the upload path (validate → store → ingest → per-file result) can be
tested without a browser, and so the app holds no ingest or retrieval logic of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from config import Settings
from ingest.catalog import Catalog, has_documents, read_catalog
from ingest.embed import IndexEmbeddings
from ingest.pipeline import IngestReport, build_index
from ingest.records import Chunk
from ingest.store import ChromaTarget

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


def visible(chunk: Chunk, public_only: bool) -> bool:
    """Whether a public-only (or a full) view shows the chunk: its document's visibility is "public"."""
    return not public_only or chunk.extra.get("visibility", "public") == "public"


def index_choices(chunks: Iterable[Chunk], public_only: bool = False) -> IndexChoices:
    municipalities: set[str] = set()
    bodies: set[str] = set()
    doc_types: set[str] = set()
    languages: set[str] = set()
    dates: set[str] = set()
    for chunk in chunks:
        if not visible(chunk, public_only):
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
    catalog = read_catalog(Path(index_dir), public_only, with_chunks=False)
    return documents_of(catalog)


def documents_of(catalog: Catalog | None) -> list[DocumentInfo]:
    if catalog is None:
        return []
    return [
        DocumentInfo(d.source, d.title, d.municipality, d.doc_type, d.language, d.chunks)
        for d in catalog.documents
    ]


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
    return stats_of(read_catalog(Path(index_dir), public_only, with_chunks=False))


def stats_of(catalog: Catalog | None) -> VisibleStats:
    if catalog is None:
        return VisibleStats()
    chunks = sum(d.chunks for d in catalog.documents)
    return VisibleStats(len(catalog.documents), chunks, catalog.model_id, catalog.built_at)


def initial_sources(settings: Settings) -> list[Path]:
    """Folders a first build reads: the corpus, and the upload folder if anything was uploaded."""
    sources = []
    for folder in (settings.corpus_dir, settings.upload_dir):
        if has_documents(folder):
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
        sources, settings.index_dir, embeddings, chroma=chroma_target(settings), progress=progress,
        isolation=settings.isolation,
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
    catalog = read_catalog(Path(settings.index_dir), with_chunks=False)
    indexed = catalog.documents if catalog else ()
    # A public app never names an internal document: a copy of one is not "already indexed as …" (it is
    # indexed anew, as public, under its own name). Names stay taken, so an upload never replaces one.
    known = {d.file_hash: d.source for d in indexed if not settings.public_only or d.visibility == "public"}
    taken = {d.source for d in indexed}
    max_bytes = settings.max_upload_mb * 1_000_000

    results: list[UploadResult | None] = []
    stored: dict[int, tuple[UploadCheck, Path]] = {}
    for i, (name, data) in enumerate(files):
        check = validate_upload(
            name, data, upload_dir, max_bytes, known_hashes=known, taken_names=taken,
            public_only=settings.public_only,
        )
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
            [upload_dir], settings.index_dir, embeddings, chroma=chroma_target(settings), progress=progress,
            isolation=settings.isolation,
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

    catalog = read_catalog(Path(settings.index_dir), with_chunks=False)
    skipped = {Path(p).name: why for p, why in report.skipped}
    for i, (check, path) in stored.items():
        name = files[i][0]
        entry = catalog.document(path.name) if catalog else None
        if path.name in report.parsed and entry is not None:
            results[i] = UploadResult(name, True, stored_as=path.name, chunks=entry.chunks)
        else:
            why = skipped.get(path.name, "no text to index")
            path.unlink(missing_ok=True)
            logger.info("upload %s not indexed: %s", path.name, why)
            results[i] = UploadResult(name, False, reason=why, code="ingest", params={"reason": why})
    return [r for r in results if r is not None]


def _rejected(name: str, check: UploadCheck) -> UploadResult:
    return UploadResult(name, False, reason=check.reason, code=check.code, params=dict(check.params))


@dataclass(frozen=True)
class Overview:
    """What the first page says the index holds."""

    documents: int
    doc_types: tuple[tuple[str, int], ...]  # (doc_type, documents), most first
    municipalities: tuple[str, ...]
    bodies: tuple[str, ...]
    first_date: str | None
    last_date: str | None


class IndexView:
    """The live index as the app reads it without a model: documents, chunks by section, filter
    choices, matters. One per index generation, shared by every session."""

    def __init__(self, catalog: Catalog, public_only: bool = False) -> None:
        from assistant.matters import build_matters

        self.catalog = catalog
        self.generation = catalog.generation
        self.chunks = catalog.chunks
        self.choices = index_choices(catalog.chunks, public_only)
        self._by_section: dict[tuple[str, str], list[Chunk]] = {}
        self._by_source: dict[str, list[Chunk]] = {}
        for chunk in sorted(catalog.chunks, key=lambda c: (c.source, c.chunk_index)):
            self._by_section.setdefault((chunk.source, chunk.section), []).append(chunk)
            self._by_source.setdefault(chunk.source, []).append(chunk)
        self.matters = build_matters(catalog.chunks)
        self.stats = stats_of(catalog)
        self.documents = documents_of(catalog)

    def section(self, source: str, section: str) -> list[Chunk]:
        return list(self._by_section.get((source, section), []))

    def document_sections(self, source: str) -> list[tuple[str, list[Chunk]]]:
        """A document's sections in reading order."""
        order: dict[str, list[Chunk]] = {}
        for chunk in self._by_source.get(source, []):
            order.setdefault(chunk.section, []).append(chunk)
        return list(order.items())

    def file_path(self, source: str) -> Path | None:
        doc = self.catalog.document(source)
        return Path(doc.path) if doc and doc.path else None

    def overview(self) -> Overview:
        types: dict[str, int] = {}
        for doc in self.catalog.documents:
            types[doc.doc_type] = types.get(doc.doc_type, 0) + 1
        c = self.choices
        return Overview(
            len(self.catalog.documents),
            tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
            c.municipalities,
            c.bodies,
            c.first_date,
            c.last_date,
        )


def open_view(index_dir: Path, public_only: bool = False) -> IndexView | None:
    """The live index's view, or None when there is no index yet."""
    catalog = read_catalog(Path(index_dir), public_only)
    return IndexView(catalog, public_only) if catalog is not None else None

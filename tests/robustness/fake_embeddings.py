"""A tiny deterministic embedder for tests of the ingest pipeline's file handling (no model, no download).

Why: what these tests check (which files are indexed, skipped, visible) does not depend on what the
vectors mean; loading e5 for each would cost seconds per test on a shared CPU.
"""

from __future__ import annotations

import hashlib

from ingest.chunk import estimate_tokens
from ingest.embed import IndexEmbeddings

DIM = 384


class FakeEmbeddings(IndexEmbeddings):
    model_id = "test:fake-384"
    max_tokens = 512

    def _vector(self, text: str) -> list[float]:
        digest = hashlib.shake_256(text.encode("utf-8", "surrogatepass")).digest(DIM)
        return [b / 255.0 + 0.01 for b in digest]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

"""Hybrid retrieval: dense (multilingual e5) and BM25 over lemmas, fused by reciprocal rank.

The dense side lets an English question find a Finnish passage; the keyword side holds on to
names, numbers, § and dates that embeddings blur. Filters apply to both sides.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.embeddings import IndexEmbeddings
from ingest.keyword import tokenize
from ingest.records import Chunk
from ingest.store import Index

from .glossary import expand
from .questions import Question, body_class
from .records import Passage

logger = logging.getLogger(__name__)

FILTER_KEYS = ("municipality", "body", "doc_type", "language", "source", "date_from", "date_to", "visibility")
RRF_K = 60
MODES = ("hybrid", "dense", "keyword")


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    """Metadata filters; equality on the named fields, an inclusive ISO date range on meeting_date."""

    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, raw: Mapping[str, str] | None) -> Filters:
        raw = {k: v for k, v in (raw or {}).items() if v not in (None, "")}
        unknown = sorted(set(raw) - set(FILTER_KEYS))
        if unknown:
            raise FilterError(
                f"Unknown filter key {', '.join(unknown)}; use one of: {', '.join(FILTER_KEYS)}."
            )
        return cls(tuple(sorted((k, str(v)) for k, v in raw.items())))

    def accepts(self, chunk: Chunk) -> bool:
        for key, value in self.values:
            if key == "date_from":
                if not chunk.meeting_date or chunk.meeting_date < value:
                    return False
            elif key == "date_to":
                if not chunk.meeting_date or chunk.meeting_date[: len(value)] > value:
                    return False
            elif key == "visibility":
                if chunk.extra.get("visibility", "public") != value:
                    return False
            elif (getattr(chunk, key, None) or "").casefold() != value.casefold():
                return False
        return True

    def __bool__(self) -> bool:
        return bool(self.values)


class Retriever:
    """Searches one index generation; built once per process and reused across questions."""

    def __init__(self, index: Index, embeddings: IndexEmbeddings, mode: str = "hybrid") -> None:
        if mode not in MODES:
            raise ValueError(f"Unknown retrieval mode {mode!r}; choose one of: {', '.join(MODES)}.")
        self.index = index
        self.embeddings = embeddings
        self.mode = mode
        self._by_section: dict[tuple[str, str], list[int]] = {}
        self._by_source: dict[str, list[int]] = {}
        for pos, chunk in enumerate(index.chunks):
            self._by_section.setdefault((chunk.source, chunk.section), []).append(pos)
            self._by_source.setdefault(chunk.source, []).append(pos)

    def _mask(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        return np.fromiter(
            (filters.accepts(c) for c in self.index.chunks), dtype=bool, count=len(self.index.chunks)
        )

    def search(self, question: Question, filters: Filters = Filters(), k: int = 8) -> list[Passage]:
        chunks = self.index.chunks
        if not chunks:
            return []
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        depth = max(50, 5 * k)
        dense: list[tuple[int, float]] = []
        keyword: list[tuple[int, float]] = []
        if self.mode in ("hybrid", "dense"):
            vector = self.embeddings.embed_query(question.text)
            # Post-filter a deeper dense list: Chroma's `where` is slow on large collections and
            # cannot express the date range; the keyword side filters with a mask for free.
            wide = depth if mask is None else min(len(chunks), depth * 4)
            dense = [(p, s) for p, s in self.index.dense_search(vector, wide) if mask is None or mask[p]][
                :depth
            ]
        if self.mode in ("hybrid", "keyword"):
            weights = None if mask is None else mask.astype(np.float32)
            keyword = self.index.keyword_search(query_tokens(question.text), depth, weights)
        fused: dict[int, float] = {}
        for ranking in (dense, keyword):
            for rank, (pos, _) in enumerate(ranking):
                fused[pos] = fused.get(pos, 0.0) + 1.0 / (RRF_K + rank + 1)
        dense_score = dict(dense)
        keyword_score = dict(keyword)
        for pos in fused:
            fused[pos] *= _structure_boost(question, chunks[pos])
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        return [
            Passage(
                chunk=chunks[pos],
                score=fused[pos],
                dense=dense_score.get(pos),
                keyword=keyword_score.get(pos),
                neighbours=self.neighbours(chunks[pos]),
            )
            for pos in ranked
        ]

    def neighbours(self, chunk: Chunk, width: int = 1) -> tuple[Chunk, ...]:
        """The chunks just before and after this one in the same section."""
        positions = self._by_section.get((chunk.source, chunk.section), [])
        here = self.index.position[chunk.id]
        i = positions.index(here)
        around = positions[max(0, i - width) : i] + positions[i + 1 : i + 1 + width]
        return tuple(self.index.chunks[p] for p in around)

    def section(self, source: str, section: str) -> list[Chunk]:
        return [self.index.chunks[p] for p in self._by_section.get((source, section), [])]

    def document_sections(self, source: str) -> list[tuple[str, list[Chunk]]]:
        """A document's sections in reading order, for the reader view and for the answerer."""
        order: dict[str, list[Chunk]] = {}
        chunks = sorted(
            (self.index.chunks[p] for p in self._by_source.get(source, [])), key=lambda c: c.chunk_index
        )
        for chunk in chunks:
            order.setdefault(chunk.section, []).append(chunk)
        return list(order.items())


def query_tokens(text: str) -> list[str]:
    """Lemmas of the question in fi/sv/en plus their glossary translations, for the keyword side."""
    tokens = tokenize(text)
    extra = [t for token in tokens for t in sorted(expand(token)) if " " not in t and t != token]
    return tokens + extra


def _structure_boost(question: Question, chunk: Chunk) -> float:
    """Favour sections whose kind answers this type of question, and handlings of the body asked about."""
    boost = 1.0
    kind = chunk.section_kind
    if question.type == "decision":
        boost *= {"decision": 1.6, "proposal": 0.8, "handling": 1.1}.get(kind, 1.0)
    elif question.type == "owner":
        boost *= {"actions": 1.4, "contact": 1.1, "preparer": 0.9}.get(kind, 1.0)
    if question.section_hint and kind == question.section_hint:
        boost *= 1.5
    if question.body_class and chunk.body:
        boost *= 1.3 if body_class(chunk.body) == question.body_class else 0.85
    return boost


def passages_json(passages: Sequence[Passage]) -> list[dict]:
    return [p.to_json() for p in passages]

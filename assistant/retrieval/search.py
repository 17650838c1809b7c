"""Hybrid retrieval: dense (multilingual e5) and BM25 over lemmas, fused by reciprocal rank.

The dense side lets an English question find a Finnish passage; the keyword side holds on to
names, numbers, § and dates that embeddings blur. Filters apply to both sides, as a boolean mask over
chunk positions computed from per-field numpy columns (built once per index generation). The keyword
side scores only the matching rows; the dense side either searches the matching rows exactly (few
rows) or post-filters a deeper HNSW candidate list (many rows), whichever costs less. Chroma's own
`where` measured slower than both at 100k chunks, and cannot express the date prefix range or
case-insensitive equality (BENCHMARKS.md).
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.question.analysis import Question, body_class
from assistant.question.glossary import expand
from assistant.records import Passage
from assistant.retrieval.adapter import QueryAdapter
from assistant.retrieval.fusion import FEATURES, RRF_K, Evidence, Fusion, features, question_years
from ingest.embed import IndexEmbeddings
from ingest.embed.keyword import tokenize
from ingest.records import Chunk
from ingest.store import Index

logger = logging.getLogger(__name__)

FILTER_KEYS = ("municipality", "body", "doc_type", "language", "source", "date_from", "date_to", "visibility")
MODES = ("hybrid", "dense", "keyword")
# Filtered dense search: cost per row of the exact search (gather from vectors.npy + dot product)
# and per HNSW candidate that Chroma returns, in microseconds, measured at 100k chunks on the 2-core
# dev box (0.7 ms for 3.6k rows; 18.5 ms for 2.9k candidates). See BENCHMARKS.md.
EXACT_ROW_US = 0.2
HNSW_CANDIDATE_US = 6.5
OVERSAMPLE = 2.0  # HNSW candidates fetched per wanted hit, beyond what the filter's share implies
_MASK_CACHE = 128  # filter combinations whose masks are kept per generation


class FilterError(ValueError):
    pass


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FI_DATE = re.compile(r"(?:(\d{1,2})\.\s?)?(\d{1,2})\.\s?(\d{4})")  # 1.6.2024, 01.06.2024, 6.2024
_SV_DATE = re.compile(r"(\d{1,2})/(\d{1,2})\s?(\d{4})")  # 1/6 2024 (d/m år, as Swedish minutes write it)


def filter_date(key: str, raw: str) -> str:
    """An ISO date or prefix ("2024-06-01", "2024-06", "2024") from ISO or fi/sv writing ("1.6.2024",
    "01.06.2024", "6.2024", "1/6 2024"); anything else, or a date that does not exist, is refused."""
    text = raw.strip()
    year = month = day = None
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := _FI_DATE.fullmatch(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
    elif m := _SV_DATE.fullmatch(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
    try:
        if year is None:
            raise ValueError
        if day is not None:
            return datetime.date(int(year), int(month or 0), int(day)).isoformat()
        if month is not None:
            return datetime.date(int(year), int(month), 1).isoformat()[:7]
        return f"{int(year):04d}"
    except ValueError:
        raise FilterError(
            f"{key}={raw!r} is not a date — write e.g. 2024-06-01, 1.6.2024, 2024-06 or 2024."
        ) from None


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
        values = {k: str(v).strip() for k, v in raw.items()}
        for key in ("date_from", "date_to"):
            if key in values:
                values[key] = filter_date(key, values[key])
        return cls(tuple(sorted(values.items())))

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


class FilterColumns:
    """Each filterable field as a numpy array over chunk positions, so a filter is a few vector
    comparisons instead of `Filters.accepts` per chunk (~100 ms at 100k chunks). Same semantics as
    `Filters.accepts`; columns are built on first use and masks are cached per filter combination."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = chunks
        self._codes: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
        self._dates: np.ndarray | None = None
        self._masks: OrderedDict[Filters, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def _column(self, key: str) -> tuple[np.ndarray, dict[str, int]]:
        """Codes per chunk for one field, and the code of each value (casefolded but visibility)."""
        if key not in self._codes:
            vocab: dict[str, int] = {}
            if key == "visibility":
                values = (c.extra.get("visibility", "public") for c in self.chunks)
            else:
                values = ((getattr(c, key, None) or "").casefold() for c in self.chunks)
            codes = np.fromiter((vocab.setdefault(v, len(vocab)) for v in values), np.int32, len(self.chunks))
            self._codes[key] = (codes, vocab)
        return self._codes[key]

    def _date_column(self) -> np.ndarray:
        if self._dates is None:
            self._dates = np.array([c.meeting_date or "" for c in self.chunks], dtype=str)
        return self._dates

    def _compute(self, filters: Filters) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        for key, value in filters.values:
            if key in ("date_from", "date_to"):
                dates = self._date_column()
                # date_to compares the date's first len(value) characters: "2024" means through 2024.
                cut = dates if key == "date_from" else dates.astype(f"<U{max(len(value), 1)}")
                mask &= (dates != "") & ((cut >= value) if key == "date_from" else (cut <= value))
            else:
                codes, vocab = self._column(key)
                code = vocab.get(value if key == "visibility" else value.casefold())
                if code is None:
                    mask[:] = False
                else:
                    mask &= codes == code
        return mask

    def _entry(self, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            entry = self._masks.get(filters)
            if entry is None:
                mask = self._compute(filters)
                mask.flags.writeable = False
                entry = (mask, np.flatnonzero(mask))
                self._masks[filters] = entry
                if len(self._masks) > _MASK_CACHE:
                    self._masks.popitem(last=False)
            else:
                self._masks.move_to_end(filters)
            return entry

    def mask(self, filters: Filters) -> np.ndarray:
        """Boolean mask over chunk positions (shared and cached: do not modify)."""
        return self._entry(filters)[0]

    def rows(self, filters: Filters) -> np.ndarray:
        """Positions of the chunks that pass, ascending."""
        return self._entry(filters)[1]


class Retriever:
    """Searches one index generation; built once per process and reused across questions."""

    def __init__(self, index: Index, embeddings: IndexEmbeddings, mode: str = "hybrid",
                 adapter: QueryAdapter | None = None, fusion: Fusion | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"Unknown retrieval mode {mode!r}; choose one of: {', '.join(MODES)}.")
        self.index = index
        self.embeddings = embeddings
        self.mode = mode
        self.adapter = adapter  # moves the question's vector for the dense side (retrieval.adapter)
        self.fusion = fusion  # the learned fusion (retrieval.fusion); None: reciprocal rank × structure
        self._titles: dict[int, frozenset[str]] = {}  # title words per chunk position, for the fusion
        self._by_section: dict[tuple[str, str], list[int]] = {}
        self._by_source: dict[str, list[int]] = {}
        for pos, chunk in enumerate(index.chunks):
            self._by_section.setdefault((chunk.source, chunk.section), []).append(pos)
            self._by_source.setdefault(chunk.source, []).append(pos)
        self._columns = FilterColumns(index.chunks)

    def _mask(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        return self._columns.mask(filters)

    def search(self, question: Question, filters: Filters = Filters(), k: int = 8) -> list[Passage]:
        sides = self.sides(question, filters, k)
        if sides is None:
            return []
        dense, keyword = sides
        fused = self._fuse(question, dense, keyword)
        dense_score = dict(dense)
        keyword_score = dict(keyword)
        chunks = self.index.chunks
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

    def sides(self, question: Question, filters: Filters = Filters(), k: int = 8
              ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]] | None:
        """Each side's best (position, score) pairs, deepest first; None when no chunk passes the filters."""
        if not self.index.chunks:
            return None
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return None
        depth = max(50, 5 * k)
        dense: list[tuple[int, float]] = []
        keyword: list[tuple[int, float]] = []
        if self.mode in ("hybrid", "dense"):
            vector = question.vector or self.embeddings.embed_query(question.text)
            if self.adapter is not None:
                vector = self.adapter(vector)
            dense = self._dense(vector, depth, filters, mask)
        if self.mode in ("hybrid", "keyword"):
            rows = None if mask is None else self._columns.rows(filters)
            keyword = self.index.keyword_search(query_tokens(question.text), depth, rows=rows)
        return dense, keyword

    def _fuse(self, question: Question, dense: list[tuple[int, float]], keyword: list[tuple[int, float]]
              ) -> dict[int, float]:
        """Reciprocal rank times the structure boost; or the learned fusion's score where one is loaded."""
        if self.fusion is not None:
            positions, rows = self.feature_rows(question, dense, keyword)
            return dict(zip(positions, self.fusion.score(rows).tolist(), strict=True))
        chunks = self.index.chunks
        fused: dict[int, float] = {}
        for ranking in (dense, keyword):
            for rank, (pos, _) in enumerate(ranking):
                fused[pos] = fused.get(pos, 0.0) + 1.0 / (RRF_K + rank + 1)
        return {pos: score * _structure_boost(question, chunks[pos]) for pos, score in fused.items()}

    def feature_rows(self, question: Question, dense: list[tuple[int, float]],
                     keyword: list[tuple[int, float]]
                     ) -> tuple[list[int], np.ndarray]:
        """The candidates (either side's) and their fusion features, row by row (retrieval.fusion)."""
        chunks = self.index.chunks
        dense_at = {pos: (rank, score) for rank, (pos, score) in enumerate(dense)}
        keyword_at = {pos: (rank, score) for rank, (pos, score) in enumerate(keyword)}
        positions = list(dict.fromkeys([p for p, _ in dense] + [p for p, _ in keyword]))
        words = set(tokenize(question.text))
        years = question_years(question.text)
        best_dense = dense[0][1] if dense else 0.0
        best_keyword = keyword[0][1] if keyword else 0.0
        rows = []
        for pos in positions:
            chunk = chunks[pos]
            d_rank, d_score = dense_at.get(pos, (None, None))
            k_rank, k_score = keyword_at.get(pos, (None, None))
            title = self._title_words(pos)
            evidence = Evidence(
                dense_rank=d_rank, dense=d_score, keyword_rank=k_rank, keyword=k_score,
                structure=_structure_boost(question, chunk),
                title_overlap=len(words & title) / len(words) if words else 0.0,
                meeting_year=(chunk.meeting_date or "")[:4] or None,
            )
            rows.append(features(evidence, best_dense, best_keyword, years))
        return positions, np.asarray(rows, dtype=np.float64).reshape(len(positions), len(FEATURES))

    def _title_words(self, pos: int) -> frozenset[str]:
        words = self._titles.get(pos)
        if words is None:
            chunk = self.index.chunks[pos]
            words = self._titles[pos] = frozenset(tokenize(
                " ".join(p for p in (chunk.item_title, chunk.section, chunk.document_title) if p)))
        return words

    def _dense(
        self, vector: Sequence[float], depth: int, filters: Filters, mask: np.ndarray | None
    ) -> list[tuple[int, float]]:
        """The dense side's best `depth` chunks that pass the filters."""
        if mask is None:
            return self.index.dense_search(vector, depth)
        rows = self._columns.rows(filters)
        total = len(self.index.chunks)
        wide = min(total, math.ceil(depth * OVERSAMPLE * total / len(rows)))
        exact = self.index.vectors is not None and len(rows) * EXACT_ROW_US <= wide * HNSW_CANDIDATE_US
        if exact:
            return self.index.exact_dense_search(vector, depth, rows)
        hits = [(p, s) for p, s in self.index.dense_search(vector, wide) if mask[p]]
        if len(hits) < min(depth, len(rows)) and wide < total and self.index.vectors is not None:
            return self.index.exact_dense_search(vector, depth, rows)  # the filter's rows sit far away
        return hits[:depth]

    def neighbours(self, chunk: Chunk, width: int = 1) -> tuple[Chunk, ...]:
        """The chunks just before and after this one in the same section."""
        positions = self._by_section.get((chunk.source, chunk.section), [])
        here = self.index.position[chunk.id]
        i = positions.index(here)
        around = positions[max(0, i - width) : i] + positions[i + 1 : i + 1 + width]
        return tuple(self.index.chunks[p] for p in around)

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

"""Folds by document for anything fitted on dev: leave-one-document-out or k-fold by document.

A model scored on questions whose document it was trained on has seen that document's wording, and
a paraphrase of a training question is not a new question. So the unit that goes to one side is a
set of documents together with every question group that touches them: documents joined by a group
(a question citing two documents) form one unit, and a group without documents (an unanswerable
near miss) is a unit of its own. No document and no group is ever on both sides of a fold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Fold:
    """One split of the dev questions: fit on `train`, score on `test` (their documents are disjoint)."""

    index: int
    train: tuple[Mapping, ...]
    test: tuple[Mapping, ...]
    documents: frozenset[str]  # file names held out in this fold

    @property
    def test_ids(self) -> frozenset[str]:
        return frozenset(q["id"] for q in self.test)

    @property
    def train_ids(self) -> frozenset[str]:
        return frozenset(q["id"] for q in self.train)


def _group(q: Mapping) -> str:
    return str(q.get("group") or q["id"])  # a legacy question without a group is its own group


def _units(questions: Sequence[Mapping]) -> list[tuple[frozenset[str], list[Mapping]]]:
    """(documents, questions) per unit: connected components of documents linked through groups."""
    groups: dict[str, list[Mapping]] = {}
    for q in questions:
        groups.setdefault(_group(q), []).append(q)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    group_docs: dict[str, set[str]] = {}
    for g, qs in groups.items():
        docs = {Path(s["source"]).name for q in qs for s in q.get("expected_sources") or []}
        group_docs[g] = docs
        for d in docs:  # union every document of the group with its first one
            parent[find(d)] = find(min(docs))
    units: dict[str, tuple[set[str], list[Mapping]]] = {}
    for g, qs in groups.items():
        docs = group_docs[g]
        key = f"doc:{find(min(docs))}" if docs else f"group:{g}"
        unit = units.setdefault(key, (set(), []))
        unit[0].update(docs)
        unit[1].extend(qs)
    return [(frozenset(d), qs) for _, (d, qs) in sorted(units.items())]


def _stable(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def document_folds(goldset: Sequence[Mapping], k: int | None = None) -> Iterator[Fold]:
    """Yield folds whose test sides hold out whole documents (with all their question groups).

    k=None: leave-one-document-out (one fold per document unit; unanswerable groups without a
    document are spread over those folds). k=n: n folds, units assigned largest first to the fold
    with the fewest questions so far (deterministic: ties go by a hash of the unit, never by input
    order). Every question is in exactly one test side. Raises ValueError when k < 2 or there are
    fewer document units than folds.
    """
    units = _units(goldset)
    with_docs = [u for u in units if u[0]]
    loose = [u for u in units if not u[0]]
    n = len(with_docs) if k is None else k
    if n < 2:
        raise ValueError(f"folds by document need at least 2 folds (got {n}): add documents or lower k")
    if len(with_docs) < n:
        raise ValueError(f"{n} folds need at least {n} document units; the gold set has {len(with_docs)}")
    bins: list[list[tuple[frozenset[str], list[Mapping]]]] = [[] for _ in range(n)]
    sizes = [0] * n

    def key(u: tuple[frozenset[str], list[Mapping]]) -> tuple[int, str]:
        return -len(u[1]), _stable(",".join(sorted(u[0])) or _group(u[1][0]))

    if k is None:
        for i, unit in enumerate(sorted(with_docs, key=key)):
            bins[i].append(unit)
            sizes[i] += len(unit[1])
        rest = loose
    else:
        rest = with_docs + loose
    for unit in sorted(rest, key=key):
        i = min(range(n), key=lambda j: (sizes[j], j))
        bins[i].append(unit)
        sizes[i] += len(unit[1])
    order = {id(q): pos for pos, q in enumerate(goldset)}
    for i, units_in in enumerate(bins):
        held = {id(q) for _, qs in units_in for q in qs}
        test = tuple(sorted((q for _, qs in units_in for q in qs), key=lambda q: order[id(q)]))
        train = tuple(q for q in goldset if id(q) not in held)
        yield Fold(i, train, test, frozenset(d for docs, _ in units_in for d in docs))

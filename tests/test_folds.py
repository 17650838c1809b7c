"""Folds by document (evaluation.folds): no document and no question group on both sides of a fold."""

from __future__ import annotations

import pytest

from evaluation.folds import document_folds


def _q(qid: str, group: str, *sources: str) -> dict:
    return {"id": qid, "group": group, "answerable": bool(sources),
            "expected_sources": [{"source": s, "section": ""} for s in sources]}


# a.txt: groups ga (3 phrasings), gab (also cites b.txt); c.txt: gc (2); d.txt: gd (1);
# near misses gu, gv without documents.
GOLD = [_q("a1", "ga", "a.txt"), _q("a2", "ga", "a.txt"), _q("a3", "ga", "a.txt"),
        _q("ab1", "gab", "a.txt", "dir/b.txt"), _q("b1", "gb", "b.txt"),
        _q("c1", "gc", "c.txt"), _q("c2", "gc", "c.txt"), _q("d1", "gd", "d.txt"),
        _q("u1", "gu"), _q("u2", "gu"), _q("v1", "gv")]


def _check_disjoint(folds) -> None:
    seen: list[str] = []
    for fold in folds:
        assert not fold.test_ids & fold.train_ids
        train_docs = {s["source"].rsplit("/", 1)[-1] for q in fold.train for s in q["expected_sources"]}
        assert not train_docs & fold.documents
        assert not {q["group"] for q in fold.train} & {q["group"] for q in fold.test}
        assert len(fold.train) + len(fold.test) == len(GOLD)
        seen += sorted(fold.test_ids)
    assert sorted(seen) == sorted(q["id"] for q in GOLD)  # every question held out exactly once


def test_leave_one_document_out() -> None:
    folds = list(document_folds(GOLD))
    # units: {a, b} (joined by gab: 5 questions), {c} (2), {d} (1) → 3 folds; gu (2), gv (1) go to the
    # smallest folds: gu to {d} (1 → 3), then gv to {c} (2 → 3)
    assert [sorted(f.documents) for f in folds] == [["a.txt", "b.txt"], ["c.txt"], ["d.txt"]]
    assert [sorted(f.test_ids) for f in folds] == [["a1", "a2", "a3", "ab1", "b1"], ["c1", "c2", "v1"],
                                                   ["d1", "u1", "u2"]]
    _check_disjoint(folds)


def test_k_fold_by_document_is_balanced_and_deterministic() -> None:
    folds = list(document_folds(GOLD, k=2))
    # largest first onto the lighter fold: {a,b} 5 → fold 0; then 2-question units {c} and gu (order
    # by hash) go to fold 1 (0 → 2 → 4); {d} and gv (1 each) to fold 1 then fold 0 or the reverse:
    # sizes end 6/5 either way
    assert sorted(len(f.test) for f in folds) == [5, 6]
    _check_disjoint(folds)
    assert [f.test_ids for f in document_folds(list(reversed(GOLD)), k=2)] == [f.test_ids for f in folds]


def test_too_few_documents() -> None:
    with pytest.raises(ValueError, match="at least 4 document units"):
        list(document_folds(GOLD, k=4))
    with pytest.raises(ValueError, match="at least 2 folds"):
        list(document_folds(GOLD, k=1))

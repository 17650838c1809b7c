"""Scoring: pure, offline functions from a gold question and an `ask --json` dict to numbers.

No model is consulted (see matching.py for when a key fact or a source counts as found), so an
evaluation run is reproducible and CI can compare runs across corpus, model and code changes.
Every figure is a mean over the questions where it is defined, reported overall, per question
language and per question type.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence

from .matching import key_fact_scores, source_matches

logger = logging.getLogger(__name__)

KS = (1, 5, 10)

# --- retrieval -------------------------------------------------------------------------------------


def first_ranks(passages: Sequence[Mapping], expected: Sequence[Mapping]) -> list[int | None]:
    """For each expected source, the 1-based rank of the first passage matching it (None: not found)."""
    ranks: list[int | None] = []
    for exp in expected:
        ranks.append(next((r for r, p in enumerate(passages, 1) if source_matches(exp, p)), None))
    return ranks


def retrieval_scores(ranks: Sequence[int | None], ks: Iterable[int] = KS) -> dict[str, float]:
    """Recall@k, MRR and nDCG@10 from the first-match rank of each expected source.

    Relevance is binary and per expected source: expected source e counts once, at r_e, the rank of
    the first passage that matches it; later passages matching e again add nothing. With E the set of
    expected sources:

        Recall@k = |{e : r_e <= k}| / |E|
        MRR      = 1 / min_e r_e                       (0 when nothing matches)
        DCG@10   = sum over distinct ranks r in {r_e <= 10} of 1 / log2(r + 1)
        IDCG@10  = sum_{i=1}^{min(|E|, 10)} 1 / log2(i + 1)
        nDCG@10  = DCG@10 / IDCG@10

    (A passage matching two expected sources counts once in DCG.) E.g. ranks [3]: MRR = 1/3,
    nDCG@10 = (1/log2 4) / 1 = 0.5.
    """
    found = [r for r in ranks if r is not None]
    scores = {f"recall@{k}": sum(r <= k for r in found) / len(ranks) if ranks else 0.0 for k in ks}
    scores["mrr"] = 1 / min(found) if found else 0.0
    dcg = sum(1 / math.log2(r + 1) for r in set(found) if r <= 10)
    idcg = sum(1 / math.log2(i + 1) for i in range(1, min(len(ranks), 10) + 1))
    scores["ndcg@10"] = dcg / idcg if idcg else 0.0
    return scores


# --- citations and abstention ----------------------------------------------------------------------


def citation_scores(citations: Sequence[Mapping], expected: Sequence[Mapping]) -> tuple[float | None, float]:
    """(precision, recall): cited items matching some expected source ÷ cited (None when nothing is
    cited), and expected sources matched by some citation ÷ expected."""
    precision = (
        sum(any(source_matches(e, c) for e in expected) for c in citations) / len(citations)
        if citations else None
    )
    covered = sum(any(source_matches(e, c) for c in citations) for e in expected)
    recall = covered / len(expected) if expected else 0.0
    return precision, recall


def abstention_scores(
    abstained: Sequence[bool], unanswerable: Sequence[bool]
) -> tuple[float | None, float | None]:
    """(precision, recall) with abstaining as the positive class and 'unanswerable' as the truth."""
    tp = sum(a and u for a, u in zip(abstained, unanswerable, strict=True))
    n_abstained, n_unanswerable = sum(abstained), sum(unanswerable)
    return (tp / n_abstained if n_abstained else None, tp / n_unanswerable if n_unanswerable else None)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the value at 1-based rank ceil(p/100 · n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


# --- one question, then many ---------------------------------------------------------------------


# Per-question scores (None where undefined), averaged by `aggregate` over answerable questions.
RECORD_SCORES = ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10", "doc_recall@5", "key_facts",
                 "key_fact_groups", "citation_precision", "citation_recall")

# The figures `aggregate` reports, in display order; report.py and thresholds use these names.
FIGURES = ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10", "doc_recall@5", "key_fact_accuracy",
           "key_fact_groups", "citation_precision", "citation_recall", "abstention_precision",
           "abstention_recall", "unanswerable_accuracy", "answer_accuracy", "paraphrase_consistency",
           "latency_p50_ms", "latency_p95_ms")


def _mean(values: Iterable[float | int | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _brief(item: Mapping) -> dict:
    brief = {"source": item.get("source"), "section": item.get("section"), "page": item.get("page")}
    return brief | ({"body": item["body"]} if item.get("body") else {})


def _confidence(value: object) -> float | None:
    """The answer's probability of being right, when the answerer gives one (a float in [0, 1])."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        return None
    return float(value)


def score_question(
    gold: Mapping, answer: Mapping, latency_ms: float | None = None, error: str | None = None
) -> dict:
    """One gold question against one `Answer.to_json()` dict: a flat record of per-question scores.

    Retrieval, key-fact and citation scores are None for unanswerable questions; an unanswerable
    question is answered correctly when the system abstained, an answerable one when it did not
    abstain and every key-fact group is present.
    """
    text, abstained = str(answer.get("answer") or ""), bool(answer.get("abstained"))
    citations, passages = list(answer.get("citations") or []), list(answer.get("passages") or [])
    expected = list(gold.get("expected_sources") or [])
    record: dict = {
        "id": gold["id"], "language": gold["language"], "type": gold["type"],
        "group": gold.get("group"), "file": gold.get("_file"),
        "answerable": bool(gold["answerable"]), "question": gold["question"],
        "confidence": _confidence(answer.get("confidence")),
        "answer": text, "abstained": abstained, "error": error, "latency_ms": latency_ms,
        "citations": [_brief(c) for c in citations], "passages": [_brief(p) for p in passages[:10]],
        "expected_sources": expected, "ranks": None, "missing_key_facts": [],
        **{name: None for name in RECORD_SCORES},
    }
    if not record["answerable"]:
        record["correct"] = abstained
        return record
    ranks = first_ranks(passages, expected)
    record["ranks"] = ranks
    record.update(retrieval_scores(ranks) if expected else {})
    # the same at document level (section ignored): meaningful even while section paths change
    docs = [{"source": s} for s in dict.fromkeys(e["source"] for e in expected)]
    record["doc_recall@5"] = retrieval_scores(first_ranks(passages, docs), ks=(5,))["recall@5"]
    all_present, fraction, missing = key_fact_scores(text, gold.get("key_facts") or [])
    if abstained:
        all_present, fraction, missing = 0, 0.0, list(range(len(gold.get("key_facts") or [])))
    record["key_facts"], record["key_fact_groups"] = all_present, fraction
    record["missing_key_facts"] = [gold["key_facts"][i] for i in missing]
    record["citation_precision"], record["citation_recall"] = citation_scores(citations, expected)
    record["correct"] = bool(all_present) and not abstained
    return record


def aggregate(records: Sequence[Mapping]) -> dict:
    """Means of the per-question scores over the questions where they are defined, plus abstention
    precision/recall and latency percentiles (nearest rank). None where no question qualifies."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    figures: dict = {"n": len(records), "answerable": len(answerable), "unanswerable": len(unanswerable),
                     "errors": sum(bool(r.get("error")) for r in records)}
    for name in RECORD_SCORES:
        key = "key_fact_accuracy" if name == "key_facts" else name
        figures[key] = _mean(r.get(name) for r in answerable)
    ap, ar = abstention_scores([r["abstained"] for r in records], [not r["answerable"] for r in records])
    figures["abstention_precision"], figures["abstention_recall"] = ap, ar
    figures["unanswerable_accuracy"] = _mean(r["abstained"] for r in unanswerable)
    figures["answer_accuracy"] = _mean(r["correct"] for r in records)
    figures["groups"], figures["paraphrase_consistency"] = paraphrase_consistency(records)
    latencies = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    figures["latency_p50_ms"] = percentile(latencies, 50)
    figures["latency_p95_ms"] = percentile(latencies, 95)
    return figures


def paraphrase_consistency(records: Sequence[Mapping]) -> tuple[int, float | None]:
    """(number of groups, share of groups all of whose questions in `records` are right).

    A group is one underlying question in all its phrasings and languages; records without a group
    (legacy gold sets) are left out. E.g. groups {a: right, right}, {b: right, wrong} → (2, 0.5).
    """
    groups: dict[str, list[bool]] = {}
    for r in records:
        if r.get("group"):
            groups.setdefault(r["group"], []).append(bool(r["correct"]))
    if not groups:
        return 0, None
    return len(groups), sum(all(v) for v in groups.values()) / len(groups)


# Thresholds on the answer's confidence, for the abstention curve.
CURVE_THRESHOLDS = tuple(round(i * 0.05, 2) for i in range(21))


def abstention_curve(
    records: Sequence[Mapping], thresholds: Sequence[float] = CURVE_THRESHOLDS
) -> list[dict]:
    """Abstention precision/recall if the system also abstained whenever confidence < t, per t.

    Only records with a confidence take part (empty list when none has one). An answerable question
    stays right at t when it was right and not newly abstained; an unanswerable one is right when
    abstained at t. `answered` is the share of questions still answered.
    """
    scored = [r for r in records if r.get("confidence") is not None]
    if not scored:
        return []
    points = []
    for t in thresholds:
        abstain = [bool(r["abstained"]) or r["confidence"] < t for r in scored]
        unanswerable = [not r["answerable"] for r in scored]
        precision, recall = abstention_scores(abstain, unanswerable)
        right = [a if not r["answerable"] else (bool(r["correct"]) and not a)
                 for a, r in zip(abstain, scored, strict=True)]
        points.append({"threshold": t, "abstention_precision": precision, "abstention_recall": recall,
                       "answer_accuracy": sum(right) / len(right),
                       "answered": 1 - sum(abstain) / len(abstain), "n": len(scored)})
    return points


def curves(records: Sequence[Mapping]) -> dict[str, list[dict]]:
    """`abstention_curve` overall and per question language ({} when no answer has a confidence)."""
    out = {"overall": abstention_curve(records)}
    if not out["overall"]:
        return {}
    for lang in sorted({r["language"] for r in records}):
        out[f"language:{lang}"] = abstention_curve([r for r in records if r["language"] == lang])
    return out


def breakdown(records: Sequence[Mapping]) -> dict:
    """`aggregate` overall, per question language and per question type."""
    def groups(key: str) -> dict:
        return {v: aggregate([r for r in records if r[key] == v]) for v in sorted({r[key] for r in records})}
    return {"overall": aggregate(records), "by_language": groups("language"), "by_type": groups("type")}

"""`strategy-chat train`: fit the answer scorer on the dev gold set and choose its abstention threshold.

For every dev question: retrieve as `ask` does, list the admissible candidates with their features,
frame each as the answer it would give and label it right when that answer holds every key fact and
cites an expected source. A listwise linear model (standardised features; each question's candidates and
abstaining share one softmax, see `_fit`) is fitted; its L2 strength and the abstention threshold are
chosen on out-of-fold probabilities (k-fold by document, `evaluation.folds`): the threshold is the lowest
probability at which the answered questions reach the target precision, else the one that gets the most
questions right, so the figures it reports are those of documents the model has not seen.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.composition.framing import Framer
from assistant.question.analysis import analyse
from assistant.reading.scoring import FEATURES, MODEL_PATH, Candidate, ScorerModel, describe
from config import REPO_ROOT, Settings

from .metrics import abstention_curve

logger = logging.getLogger(__name__)

TARGET_PRECISION = 0.9
MIN_RECALL = 0.25  # the precision target counts only where at least this share of answerable is answered
# (0.9 is reached on dev at recall 0.10: answering one question in ten is no operating point)
STRENGTHS = (3.0, 10.0, 30.0, 100.0)  # L2 strengths tried; the one with most questions right out of fold
DEV_GOLD = REPO_ROOT / "evaluation" / "goldsets" / "dev"
FALLBACK_GOLD = (REPO_ROOT / "evaluation" / "goldsets" / "corpus.jsonl",
                 REPO_ROOT / "evaluation" / "goldsets" / "testdocs.jsonl")
GOLD_TYPE = {"owner": "owner", "decision": "decision", "date": "date", "amount": "amount", "person": "person",
             "list": "list", "fact": "fact"}


@dataclass
class Example:
    """One dev question as the scorer sees it."""

    gold: dict
    vector: tuple[float, ...] | None
    passages: list
    rows: dict[int, tuple[list[Candidate], np.ndarray, np.ndarray]] = field(default_factory=dict)  # fold →


def dev_goldsets() -> list[Path]:
    """The dev split's gold files; before they exist, the corpus and test-documents sets (dev documents)."""
    files = sorted(DEV_GOLD.glob("*.jsonl")) if DEV_GOLD.is_dir() else []
    return files or [p for p in FALLBACK_GOLD if p.exists()]


def _questions(paths: Sequence[Path], sources: frozenset[str] | None) -> list[dict]:
    from .goldset import load_goldset

    out: list[dict] = []
    for path in paths:
        for q in load_goldset(path):
            names = {Path(s["source"]).name for s in q.get("expected_sources") or []}
            if sources is not None and names and not names <= sources:
                continue  # a question over a document the index does not hold (e.g. no ../shared/real)
            out.append(q)
    return out


def _label(answer_text: str, citations, gold: dict) -> int:
    from .matching import key_fact_scores, source_matches

    if not gold.get("answerable", True):
        return 0
    right, _, _ = key_fact_scores(answer_text, gold.get("key_facts") or [])
    expected = gold.get("expected_sources") or []
    cited = [c.to_json() for c in citations]
    sourced = not expected or any(
        source_matches(e, c) or Path(str(c["source"])).name == Path(e["source"]).name
        for e in expected for c in cited
    )
    return int(right and sourced)


def _centroids(examples: Sequence[Example], keep: set[str] | None) -> dict[str, np.ndarray]:
    """Mean e5 vector of the labelled questions of each answer type (those with ids in `keep`)."""
    by_type: dict[str, list[np.ndarray]] = {}
    for ex in examples:
        kind = GOLD_TYPE.get(ex.gold.get("type", ""))
        if kind and ex.vector is not None and (keep is None or ex.gold["id"] in keep):
            by_type.setdefault(kind, []).append(np.asarray(ex.vector))
    return {k: np.mean(v, axis=0) for k, v in by_type.items() if len(v) >= 2}


def _rows(assistant, ex: Example, centroids: dict[str, np.ndarray], framer: Framer,
          labelled: dict | None = None):
    """(candidates, features, labels) of one question under one fold's type centroids."""
    answerer = assistant.answerer
    question = analyse(ex.gold["question"], vector=ex.vector, centroids=centroids)
    found, rows = describe(question, ex.passages, answerer.embed, answerer.document_sections,
                           cache=answerer.vectors)
    labelled = {} if labelled is None else labelled
    labels = []
    for c in found:
        key = (ex.gold["id"], question.type, c)
        if key not in labelled:
            answer = framer.frame(question, c)
            labelled[key] = _label(answer.text, answer.citations, ex.gold)
        labels.append(labelled[key])
    return found, rows, np.array(labels, dtype=int)


def _fit(rows: Sequence[np.ndarray], labels: Sequence[np.ndarray], strength: float) -> ScorerModel:
    """A listwise linear model: each question's candidates and abstaining share a softmax, and the fit
    maximises the probability of a right candidate (any of them), or of abstaining where none is right.
    A ranking objective: what the answerer uses is which candidate comes first and by how much, not
    each candidate's own odds. L2 `strength` on the weights; deterministic (L-BFGS from zero)."""
    from scipy.optimize import minimize

    x = np.vstack(rows)
    y = np.concatenate(labels).astype(float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (x - mean) / scale
    sizes = np.array([len(r) for r in rows])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(rows)), sizes)
    right = np.add.reduceat(y, starts) > 0
    n = x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, null = theta[:n], theta[n]
        z = x @ w
        top = np.maximum(np.maximum.reduceat(z, starts), null)
        e = np.exp(z - top[group])
        e_null = np.exp(null - top)
        total = e_null + np.add.reduceat(e, starts)
        wanted = np.where(right, np.add.reduceat(e * y, starts), e_null)
        value = float(np.sum(np.log(total) - np.log(wanted)) + strength * (w @ w) / 2)
        dz = e / total[group] - np.where(right[group], y * e / wanted[group], 0.0)
        d_null = float(np.sum(e_null / total - (~right)))
        return value, np.append(x.T @ dz + strength * w, d_null)

    fitted = minimize(loss, np.zeros(n + 1), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return ScorerModel(FEATURES, mean, scale, fitted.x[:n], float(fitted.x[n]), 0.5, {}, {},
                       objective="listwise")


def curve(outcomes: Sequence[tuple[float, int, bool]]) -> list[dict]:
    """`evaluation.metrics.abstention_curve` over (best probability, top candidate right, answerable):
    what abstaining below each threshold would give."""
    return abstention_curve([{"confidence": p, "abstained": False, "answerable": a, "correct": bool(r)}
                             for p, r, a in outcomes])


def choose_threshold(
    outcomes: Sequence[tuple[float, int, bool]], target: float, min_recall: float = MIN_RECALL
) -> float:
    """The lowest threshold whose answered questions reach `target` precision (most recall at that
    precision) while answering at least `min_recall` of the answerable ones (a handful of confident
    answers is no operating point); where none does, the one that gets the most questions right, a
    refusal of an unanswerable question weighing half the ratio of answerable to unanswerable ones
    (halfway to balanced accuracy: refusing matters though unanswerable questions are fewer)."""
    probs = sorted({round(p, 4) for p, _, _ in outcomes})
    answerable = sum(1 for _, _, a in outcomes if a)
    weight = max(1.0, answerable / max(1, len(outcomes) - answerable) / 2)
    best_score, best_t = -1.0, 0.5
    for t in probs:
        given = [(p, r) for p, r, _ in outcomes if p >= t]
        if not given:
            continue
        right = sum(r for _, r in given)
        if right / len(given) >= target and len(given) >= 5 and right >= min_recall * answerable:
            return max(t - 1e-4, 0.0)
        score = right + weight * sum(1 for p, _, a in outcomes if not a and p < t)
        if score > best_score:
            best_score, best_t = score, t
    return max(best_t - 1e-4, 0.0)


def _hash(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for p in sorted(paths):
        digest.update(p.name.encode())
        digest.update(p.read_bytes())
    return digest.hexdigest()[:16]


def train(
    settings: Settings,
    goldsets: Sequence[Path] | None = None,
    out: Path = MODEL_PATH,
    target: float = TARGET_PRECISION,
    folds: int = 5,
    embeddings=None,
    limit: int | None = None,
    dump: Path | None = None,
    strengths: Sequence[float] = STRENGTHS,
) -> dict:
    """Fit, choose the threshold, write `out`; returns the report (also stored in the file)."""
    from assistant.answerers.extractive import ExtractiveAnswerer
    from assistant.pipeline import Asked, Assistant
    from assistant.reading.scoring import prior_model
    from assistant.retrieval.search import Filters

    from .folds import document_folds

    started = time.perf_counter()
    goldsets = list(goldsets or dev_goldsets())
    if not goldsets:
        raise FileNotFoundError("No dev gold set: put JSONL files in evaluation/goldsets/dev/.")
    assistant = Assistant(replace(settings, answerer="extractive"), embeddings=embeddings)
    assert isinstance(assistant.answerer, ExtractiveAnswerer)
    assistant.answerer.model = prior_model()
    sources = frozenset(assistant.status().sources)
    gold = _questions(goldsets, sources)[:limit]
    if len(gold) < 20:
        raise ValueError(f"only {len(gold)} dev questions over the indexed documents: ingest the dev "
                         "documents (make train does) or pass --index")
    framer = Framer(assistant.answerer.document_sections, prompts_dir=settings.prompts_dir)
    labelled: dict = {}
    examples: list[Example] = []
    logger.info("retrieving for %d dev questions", len(gold))
    for q in gold:
        parsed = assistant._analyse(Asked(q["question"], Filters())).parsed
        passages = [] if not parsed.supported else assistant.retriever.search(
            parsed, Filters.parse(q.get("filters")), k=settings.top_k)
        examples.append(Example(q, parsed.vector, passages))
    # Out-of-fold: each fold's model and centroids never saw its documents.
    k = max(2, min(folds, len({s["source"] for q in gold for s in q.get("expected_sources") or []})))
    by_strength: dict[float, list[tuple[float, int, bool, str]]] = {c: [] for c in strengths}
    hit_any = 0
    for fold in document_folds(gold, k=k):
        logger.info("fold %d of %d (%.0f s)", fold.index + 1, k, time.perf_counter() - started)
        train_ids = sorted(set(fold.train_ids))
        centroids = _centroids(examples, set(train_ids))
        data = {ex.gold["id"]: _rows(assistant, ex, centroids, framer, labelled) for ex in examples}
        xs = [data[i][1] for i in train_ids if len(data[i][0])]
        ys = [data[i][2] for i in train_ids if len(data[i][0])]
        if not xs or np.concatenate(ys).max() == 0:
            continue
        fitted = {c: _fit(xs, ys, c) for c in strengths}
        for ex in examples:
            if ex.gold["id"] not in fold.test_ids:
                continue
            _, rows, labels = data[ex.gold["id"]]
            answerable_q = bool(ex.gold.get("answerable", True))
            hit_any += int(labels.max()) if len(labels) else 0
            for c, model in fitted.items():
                if len(labels) == 0:
                    by_strength[c].append((0.0, 0, answerable_q, ex.gold["language"]))
                    continue
                probs = model.probabilities(rows)
                top = int(np.argmax(probs))
                by_strength[c].append(
                    (float(probs[top]), int(labels[top]), answerable_q, ex.gold["language"]))
    # The strength, then the threshold, that get the most questions right out of fold.
    tried = {}
    for c, found in by_strength.items():
        t = choose_threshold([o[:3] for o in found], target)
        tried[c] = (_questions_right([o[:3] for o in found], t), t)
    strength = max(strengths, key=lambda c: (tried[c][0], -c))
    outcomes, threshold = by_strength[strength], tried[strength][1]
    # The shipped model: all dev questions.
    centroids = _centroids(examples, None)
    shipped = [_rows(assistant, ex, centroids, framer, labelled) for ex in examples]
    xs = [d[1] for d in shipped if len(d[0])]
    ys = [d[2] for d in shipped if len(d[0])]
    y = np.concatenate(ys)
    if dump:  # for experiments: every row, label and question
        fold_of = {i: f.index for f in document_folds(gold, k=k) for i in f.test_ids}
        np.savez(dump, x=np.vstack(xs), y=y,
                 q=np.concatenate([[n] * len(d[0]) for n, d in enumerate(shipped) if len(d[0])]),
                 fold=np.array([fold_of[ex.gold["id"]] for ex in examples]),
                 answerable=np.array([bool(ex.gold.get("answerable", True)) for ex in examples]),
                 lang=np.array([ex.gold["language"] for ex in examples]))
    final = _fit(xs, ys, strength)
    answerable = sum(1 for o in outcomes if o[2])
    report = {
        "trained_on": [str(p.relative_to(REPO_ROOT)) if p.is_relative_to(REPO_ROOT) else str(p)
                       for p in goldsets],
        "training_data_hash": _hash(goldsets),
        "questions": len(gold),
        "candidates": int(len(y)),
        "positives": int(y.sum()),
        "target_precision": target,
        "objective": "listwise",
        "l2_strength": strength,
        "l2_tried": {str(c): {"questions_right": r, "threshold": round(t, 4)} for c, (r, t) in tried.items()},
        "folds": k,
        "out_of_fold": {
            "right_candidate_available": round(hit_any / max(answerable, 1), 4),
            "top_right_of_answerable": round(sum(o[1] for o in outcomes if o[2]) / max(answerable, 1), 4),
            "curve": curve([o[:3] for o in outcomes]),
            "per_language": {
                lang: {"questions": len(sub), "curve": curve([o[:3] for o in sub]),
                       "at_threshold": _point([o[:3] for o in sub], threshold)}
                for lang in ("fi", "sv", "en") if (sub := [o for o in outcomes if o[3] == lang])
            },
            "at_threshold": _point([o[:3] for o in outcomes], threshold),
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    model = replace(final, threshold=threshold, type_centroids=centroids, meta=report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    return report


def _questions_right(outcomes: Sequence[tuple[float, int, bool]], threshold: float) -> int:
    """Right answers given plus unanswerable questions refused."""
    return sum(1 for p, r, a in outcomes if (r if p >= threshold else not a))


def _point(outcomes: Sequence[tuple[float, int, bool]], threshold: float) -> dict:
    given = [(p, r) for p, r, _ in outcomes if p >= threshold]
    right = sum(r for _, r in given)
    answerable = sum(1 for _, _, a in outcomes if a) or 1
    unanswerable = [p for p, _, a in outcomes if not a]
    return {"threshold": round(threshold, 4), "answered": len(given),
            "precision": round(right / len(given), 4) if given else 1.0,
            "recall": round(right / answerable, 4),
            "unanswerable_refused": round(sum(p < threshold for p in unanswerable) / len(unanswerable), 4)
            if unanswerable else None}


def summary(report: dict) -> str:
    oof = report["out_of_fold"]
    lines = [f"trained on {report['questions']} dev questions ({report['candidates']} candidates, "
             f"{report['positives']} right) in {report['seconds']} s; {report['folds']}-fold by document:",
             f"  right candidate among the scored: {oof['right_candidate_available']:.2f} of answerable; "
             f"top candidate right: {oof['top_right_of_answerable']:.2f}",
             f"  threshold {oof['at_threshold']['threshold']:.3f} for precision "
             f"≥ {report['target_precision']}: "
             + json.dumps(oof["at_threshold"])]
    for lang, part in oof["per_language"].items():
        lines.append(f"  {lang} ({part['questions']} q): " + json.dumps(part["at_threshold"]))
    return "\n".join(lines)



def train_command(
    settings: Settings, goldsets: Sequence[Path] | None, out: Path | None, target: float, ingest: bool = True
) -> str:
    """`strategy-chat train`: the dev split's index brought up to date (the dev documents only), then
    `train`; returns the summary to print."""
    from ingest.embed import embeddings_for_ingest, make_embeddings

    if ingest:
        from .split import split_documents
        from .split_runs import ingest_split

        docs = split_documents("dev")
        ingest_split(docs, settings.index_dir,
                     embeddings_for_ingest(settings.embedding_backend, settings.embedding_model,
                                           settings.index_dir), isolation=settings.isolation)
    embeddings = make_embeddings(settings.embedding_backend, settings.embedding_model, settings.index_dir)
    report = train(settings, goldsets, out or MODEL_PATH, target, embeddings=embeddings)
    return summary(report) + f"\nwrote {out or MODEL_PATH}"

"""`strategy-chat train-reader`: fine-tune the span reader on the train split's examples, calibrate its
no-answer margin on dev, and write the delta + manifest into reader/models/.

Steps (fixed seeds):
1. Read the examples (evaluation/reader/examples.jsonl) and their passages from the documents.
2. Train on the train split: each example's passage; a neighbouring chunk of the same document that
   does not hold the answer, as a hard negative, for a share of the answerable ones.
3. Calibrate on dev (`calibrate_on_examples`): each dev question read against its passage and up to
   three other chunks of its document, as retrieval would bring them; Platt on the best span's margin,
   the threshold that gets most dev questions right. (`strategy-chat eval` then measures the end-to-end
   figures with real retrieval.)
4. Save `reader/models/<name>.safetensors` + `<name>.json` (base hash, data hash, settings, figures).
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reader.calibration import Platt, choose_threshold, fit_platt
from reader.model import DEFAULT_NAME, MODELS_DIR, Manifest, ReaderConfig, base_sha256, load, load_base, save
from reader.read import Reader
from reader.training import SEED, TrainItem, TrainOptions, train

from .matching import normalize
from .reader_data import (
    EXAMPLES_PATH,
    ResolvedExample,
    compile_raw,
    data_sha256,
    load_examples,
    reanchor,
    resolve,
    token_counter,
    write_examples,
    write_gold,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReaderTrainPlan:
    examples: Path = EXAMPLES_PATH
    out_dir: Path = MODELS_DIR
    name: str = DEFAULT_NAME
    epochs: float = 2.0
    max_minutes: float | None = 85.0
    device: str = "cpu"
    limit: int | None = None  # train on the first N examples only (CI's tiny run)
    init: str | None = None  # go on training this saved reader (its delta over the same base) instead of e5
    negative_share: float = 0.35  # answerable examples that also get a neighbouring chunk as a negative
    negatives_per_positive: int = 0  # windows of an answering passage that miss the answer, trained as none
    config: ReaderConfig = ReaderConfig()
    lr: float = 1e-4
    batch_size: int = 16
    seed: int = SEED  # the training's order and negatives; dev is read with SEED whatever this is


def train_items(resolved: Sequence[ResolvedExample], negative_share: float,
                seed: int = SEED) -> list[TrainItem]:
    rng = random.Random(seed)
    items = []
    for r in resolved:
        ex, chunk = r.example, r.chunk
        items.append(TrainItem(ex.question, chunk.context_header, chunk.text, r.answer))
        if r.answer is None or rng.random() >= negative_share:
            continue
        wanted = normalize(ex.answer or "")
        near = sorted((c for c in r.neighbours if wanted not in normalize(c.text)),
                      key=lambda c: (c.item != chunk.item, abs(c.chunk_index - chunk.chunk_index)))
        if near:
            pick = near[0] if rng.random() < 0.7 else rng.choice(near)
            items.append(TrainItem(ex.question, pick.context_header, pick.text, None))
    return items


def _passages_for(r: ResolvedExample, rng: random.Random,
                  others: int = 3) -> tuple[list[tuple[str, str]], int]:
    """The example's passage among up to `others` chunks of its document, in a shuffled order; returns
    the passages and where the example's own one is."""
    pool = list(r.neighbours)
    rng.shuffle(pool)
    chunks = [r.chunk, *pool[:others]]
    order = list(range(len(chunks)))
    rng.shuffle(order)
    shuffled = [chunks[i] for i in order]
    return [(c.context_header, c.text) for c in shuffled], order.index(0)


def span_right(predicted: str, gold: str | None) -> bool:
    """A span is right when it and the gold answer share their words (one holds the other, normalised)."""
    if gold is None:
        return False
    p, g = normalize(predicted), normalize(gold)
    return bool(p) and bool(g) and (g in p or p in g) and len(p) <= 3 * len(g) + 20


def read_examples(reader: Reader, resolved: Sequence[ResolvedExample], seed: int = SEED) -> list[dict]:
    """Each example read against its passage and its document's other chunks: best span, margin, right."""
    rng = random.Random(seed)
    out = []
    for r in resolved:
        passages, own = _passages_for(r, rng)
        best = reader.read(r.example.question, passages).best
        right = best is not None and best.passage == own and span_right(best.text, r.example.answer)
        right = right or (best is not None and span_right(best.text, r.example.answer)
                          and normalize(r.example.answer or "") in normalize(passages[best.passage][1]))
        out.append({"id": r.example.id, "language": r.example.language, "real": r.example.real,
                    "answerable": r.example.answerable, "margin": best.margin if best else -50.0,
                    "span": best.text if best else "", "right": bool(right)})
    return out


def figures(rows: Sequence[dict], probability: Any, threshold: float) -> dict:
    """Answer accuracy (right spans + right refusals), span accuracy on answerable, abstention P/R."""
    def block(sel: list[dict]) -> dict:
        if not sel:
            return {}
        answered = [r for r in sel if probability(r["margin"]) >= threshold]
        refused = [r for r in sel if probability(r["margin"]) < threshold]
        ans = [r for r in sel if r["answerable"]]
        un = [r for r in sel if not r["answerable"]]
        right = sum(1 for r in answered if r["right"]) + sum(1 for r in refused if not r["answerable"])
        return {
            "questions": len(sel),
            "accuracy": round(right / len(sel), 4),
            "answerable_right": round(sum(1 for r in answered if r["right"]) / max(1, len(ans)), 4),
            "best_span_right": round(sum(1 for r in ans if r["right"]) / max(1, len(ans)), 4),
            "unanswerable_refused": round(sum(1 for r in un if probability(r["margin"]) < threshold)
                                          / max(1, len(un)), 4),
            "abstention_precision": round(sum(1 for r in refused if not r["answerable"])
                                          / max(1, len(refused)), 4),
        }
    out = {"all": block(list(rows))}
    for lang in ("fi", "sv", "en"):
        out[lang] = block([r for r in rows if r["language"] == lang])
    out["real"] = block([r for r in rows if r["real"]])
    out["written_documents"] = block([r for r in rows if not r["real"]])
    return out


def train_reader_command(base_folder: Path, plan: ReaderTrainPlan = ReaderTrainPlan()) -> dict:
    """Run the whole recipe; returns the manifest's figures."""
    import torch

    started = time.monotonic()
    count = token_counter(base_folder)
    examples = load_examples(plan.examples)
    train_ex = [e for e in examples if e.split == "train"]
    dev_ex = [e for e in examples if e.split == "dev"]
    if plan.limit:
        train_ex, dev_ex = train_ex[: plan.limit], dev_ex[: max(8, plan.limit // 2)]
    train_res, train_stats = resolve(train_ex, count)
    dev_res, dev_stats = resolve(dev_ex, count)
    logger.info("train examples %s, dev %s", dict(train_stats), dict(dev_stats))
    items = train_items(train_res, plan.negative_share, plan.seed)
    earlier: dict = {}
    if plan.init:
        model, tokenizer, start = load(base_folder, plan.init, plan.out_dir)
        if start.config != plan.config:
            raise ValueError(f"The reader {plan.init} was trained with {start.config}, not {plan.config} — "
                             "go on with the settings it was trained with.")
        earlier = {"init": plan.init, "init_training": {k: v for k, v in start.training.items()
                                                         if k in ("epochs", "steps", "seconds", "final_loss",
                                                                  "lr", "init", "init_training")}}
    else:
        model, tokenizer = load_base(base_folder)
    report = train(model, tokenizer, items, plan.config,
                   TrainOptions(epochs=plan.epochs, device=plan.device, max_minutes=plan.max_minutes,
                                lr=plan.lr, batch_size=plan.batch_size, seed=plan.seed,
                                negatives_per_positive=plan.negatives_per_positive),
                   on_checkpoint=lambda m, at: save(
                       m, _manifest(plan, base_folder, examples, {}, {"checkpoint": at}), plan.out_dir))
    reader = Reader(model, tokenizer, plan.config, Platt(), 0.5)
    rows = read_examples(reader, dev_res, SEED)
    platt = fit_platt([r["margin"] for r in rows], [r["right"] for r in rows])
    threshold, _ = choose_threshold([platt(r["margin"]) for r in rows], [r["right"] for r in rows],
                                    [r["answerable"] for r in rows])
    metrics = {"dev_passage_reading": figures(rows, platt, threshold)}
    training = {**report, **earlier, "train_items": len(items), "train_examples": len(train_res),
                "examples_resolved": {"train": dict(train_stats), "dev": dict(dev_stats)},
                "minutes_total": round((time.monotonic() - started) / 60, 1),
                "threads": torch.get_num_threads()}
    manifest = replace(_manifest(plan, base_folder, examples, metrics, training),
                       calibration=platt.to_json(), threshold=round(threshold, 4))
    save(model, manifest, plan.out_dir)
    return manifest.to_json()


def _manifest(plan: ReaderTrainPlan, base_folder: Path, examples: Sequence[Any], metrics: dict,
              training: dict) -> Manifest:
    counts = Counter((e.split, e.language, "real" if e.real else "written", "answerable" if e.answerable
                      else "unanswerable", e.origin) for e in examples)
    return Manifest(name=plan.name, base_sha256=base_sha256(base_folder), data_sha256=data_sha256(examples),
                    config=plan.config, metrics=metrics,
                    training={**training, "data": {"|".join(k): v for k, v in sorted(counts.items())}})


def compile_command(base_folder: Path, raw_files: Sequence[Path],
                    examples_path: Path = EXAMPLES_PATH) -> dict:
    """Written raw files → examples.jsonl (passages located, split from split.json) and the dev/test
    reader gold sets."""
    examples, stats = compile_raw(raw_files, token_counter(base_folder))
    write_examples(examples, examples_path)
    return {"examples": len(examples), "compile": dict(stats), "gold": write_gold(examples)}


def reanchor_command(base_folder: Path, examples_path: Path = EXAMPLES_PATH) -> dict:
    """examples.jsonl's locators moved to where today's parse puts them, and the dev/test reader gold
    sets rewritten from them (`reader_data.reanchor`): after a pipeline change, before a training."""
    examples, counts = reanchor(load_examples(examples_path), token_counter(base_folder))
    write_examples(examples, examples_path)
    return {"examples": len(examples), "reanchor": dict(counts), "gold": write_gold(examples)}


def recalibrate(results_json: Path, name: str = DEFAULT_NAME, folder: Path = MODELS_DIR,
                config: str = "reader-all") -> dict:
    """Refit the reader's calibration and threshold to its end-to-end answers on dev.

    `results_json` is `strategy-chat eval --split dev --configs reader-all --json …`: the reader answering
    every dev question from real retrieval. An answer is right when it holds the gold key facts; the
    margin is read back from the answer's probability through the calibration it was made with. Only the
    manifest changes (the delta stays); the test split is never read here.
    """
    import json

    from reader.model import read_manifest, update_manifest

    data = json.loads(Path(results_json).read_text(encoding="utf-8"))
    runs = data.get("splits", {})
    if "dev" not in runs or set(runs) - {"dev"}:
        raise ValueError(f"{results_json}: recalibrate reads a dev-only run (eval --split dev)")
    records = runs["dev"]["result"]["configs"][config]["records"]
    manifest = read_manifest(name, folder)
    old = Platt(float(manifest.calibration["a"]), float(manifest.calibration["b"]))

    rows = [{"margin": old.margin(float(r["confidence"] or 0.0)), "answerable": r["answerable"],
             "right": bool(r["answerable"] and r.get("key_facts") == 1 and not r["abstained"])}
            for r in records if not r.get("error")]
    platt = fit_platt([r["margin"] for r in rows], [r["right"] for r in rows])
    threshold, right = choose_threshold([platt(r["margin"]) for r in rows], [r["right"] for r in rows],
                                        [r["answerable"] for r in rows])
    figures = {
        "questions": len(rows), "questions_right_at_threshold": right,
        "answer_accuracy_at_threshold": round(right / max(1, len(rows)), 4),
        "best_span_holds_key_facts": round(sum(r["right"] for r in rows)
                                           / max(1, sum(r["answerable"] for r in rows)), 4),
    }
    fields = {"calibration": platt.to_json(), "threshold": round(threshold, 4)}
    update_manifest(name, folder, fields, {"dev_end_to_end_calibration": figures})
    return {**fields, **figures}


def choose_fallback(results_json: Path, name: str = DEFAULT_NAME, folder: Path = MODELS_DIR,
                    scorer: str = "scorer", reader: str = "reader",
                    probability: Callable[[float], float] | None = None) -> dict:
    """Choose where the reader answers in place of an abstaining scorer ("scorer+reader"), on dev.

    `results_json` is a dev run with both answerers (`eval --split dev --configs scorer,reader --json`;
    a run whose `system` was the scorer alone, before scorer+reader shipped, is read the same way).
    For each threshold t at or above the reader's own, a question is answered by the scorer when it
    answered, else by the reader when its probability is >= t, else refused; t is the one that gets most
    dev questions right (right: the key facts, or a refusal of an unanswerable). With it, the scorer's
    answers may be made to stand only from a probability s on (a tenth-step quantile of its answers'
    confidences; below s the reader reads, and where it is unsure too the question is refused): a scorer
    sure enough alone is less sure than it must be beside a reader. The pair (s, t) with most right is
    kept; of ties, no s, then the lowest s, then the highest t. Writes both to the manifest
    (`scorer_threshold` None: no s).
    `probability` maps the run's reader confidences to the manifest's calibration where it was refitted
    after the run (`calibrate_and_choose`).
    """
    import json

    from reader.model import read_manifest, update_manifest

    data = json.loads(Path(results_json).read_text(encoding="utf-8"))
    run = data["splits"]["dev"]["result"]["configs"]
    if scorer not in run and run.get("system", {}).get("overrides", {}).get("answerer") == "extractive":
        scorer = "system"
    first = {r["id"]: r for r in run[scorer]["records"]}
    second = {r["id"]: r for r in run[reader]["records"]}
    ids = [i for i in first if i in second]
    own = read_manifest(name, folder).threshold
    remap = probability or (lambda p: p)

    def right(t: float, floor: float | None = None) -> int:
        n = 0
        for i in ids:
            s, r = first[i], second[i]
            reads = not r["abstained"] and remap(r["confidence"] or 0.0) >= t
            stands = not s["abstained"] and (floor is None or (s["confidence"] or 0.0) >= floor)
            use = s if stands else (r if reads else None)
            n += (use is not None and s["answerable"] and use.get("key_facts") == 1) or \
                (use is None and not s["answerable"])
        return n

    grid = sorted({round(own, 4), *[round(own + k * (1 - own) / 40, 4) for k in range(41)]})
    answered = sorted(float(first[i]["confidence"] or 0.0) for i in ids if not first[i]["abstained"])
    floors: list[float | None] = [None, *sorted({round(answered[len(answered) * k // 10], 4)
                                                 for k in range(1, 10)} if answered else [])]
    scores = {(f, t): right(t, f) for f in floors for t in grid}
    best_floor, best = max(scores, key=lambda ft: (scores[ft], ft[0] is None, -(ft[0] or 0.0), ft[1]))
    figures = {"questions": len(ids), "right_at_threshold": scores[(best_floor, best)],
               "answer_accuracy_at_threshold": round(scores[(best_floor, best)] / max(1, len(ids)), 4),
               "right_with_the_scorer_own_threshold": max(scores[(None, t)] for t in grid),
               "scorer_alone_right": right(2.0)}
    update_manifest(name, folder, {"fallback_threshold": best, "scorer_threshold": best_floor},
                    {"dev_scorer_then_reader": figures})
    return {"fallback_threshold": best, "scorer_threshold": best_floor, **figures}


def calibrate_and_choose(results_json: Path, name: str = DEFAULT_NAME, folder: Path = MODELS_DIR) -> dict:
    """Both dev steps from one run, `eval --split dev --configs scorer,reader-all --json RESULTS_JSON`:
    refit the calibration and threshold to the reader's answers (`recalibrate`), then choose where it
    answers for an abstaining scorer (`choose_fallback`, the reader-all confidences mapped to the new
    calibration; answering at or above the threshold is what the `reader` configuration would do)."""

    from reader.model import read_manifest

    before = read_manifest(name, folder).calibration
    old = Platt(float(before["a"]), float(before["b"]))
    calibration = recalibrate(results_json, name, folder)
    new = Platt(float(calibration["calibration"]["a"]), float(calibration["calibration"]["b"]))

    fallback = choose_fallback(results_json, name, folder, reader="reader-all",
                               probability=lambda p: new(old.margin(p)))
    return {"recalibrate": calibration, "fallback": fallback}

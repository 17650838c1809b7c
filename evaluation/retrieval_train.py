"""`strategy-chat train-retrieval`: fit the query-side adapter (assistant/retrieval/adapter.py) to the team's
written questions, on the reader's examples and their document split.

Steps (fixed seed; ~5 minutes on the 2-core CPU, nearly all of it embedding):
1. Resolve the train and dev examples' passages from their documents (as the reader's training does) and
   embed every chunk of those documents with e5, as ingest embeds them (context header + text).
2. Embed each answerable question as e5 embeds a question ("query: ").
3. Train W by softmax over all train-document chunks (InfoNCE, temperature `tau`): the gold chunk against
   the neighbouring items of the same minutes and everything else in the train documents.
4. Keep the epoch with the best dev recall@5 (dev questions against all dev-document chunks) and save the
   adapter with its manifest: base hash, data hash, dev figures before and after, per language.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.adapter import (
    DEFAULT_NAME,
    MODELS_DIR,
    AdapterManifest,
    QueryAdapter,
    adapt,
    adapter_for,
    save,
)
from reader.model import base_sha256

from .reader_data import EXAMPLES_PATH, ReaderExample, data_sha256, document_chunks, load_examples, resolve
from .split import REPO_ROOT

logger = logging.getLogger(__name__)
SEED = 0
KS = (1, 5, 10)


@dataclass(frozen=True)
class RetrievalTrainPlan:
    examples: Path = EXAMPLES_PATH
    out_dir: Path = MODELS_DIR
    name: str = DEFAULT_NAME
    max_epochs: int = 6
    lr: float = 3e-4  # chosen on dev recall@5 among 1e-4, 3e-4, 1e-3 (1e-3 overfits after one epoch)
    tau: float = 0.02  # chosen on dev among 0.01, 0.02, 0.05
    batch: int = 64
    weight_decay: float = 0.01
    limit: int | None = None  # only the first N examples of each split (a smoke run)
    # The fusion's nine weights learn from every third train question (~2,100 questions from ~180
    # documents; each is asked on the train index, ~0.1 s a question here, so all would triple the time)
    fusion_every: int = 3
    fusion_l2: float = 1e-3  # chosen on dev recall@5 among 1e-4, 1e-3, 1e-2 (0.596 / 0.592 / 0.580)


@dataclass(frozen=True)
class Embedded:
    """Questions and the chunks of their documents as e5 vectors, with each question's gold chunk."""

    questions: np.ndarray  # (n, d)
    gold: np.ndarray  # (n,) row in `chunks` of each question's gold chunk
    languages: tuple[str, ...]
    real: tuple[bool, ...]
    chunks: np.ndarray  # (m, d)


def recall(questions: np.ndarray, gold: np.ndarray, chunks: np.ndarray, ks: Sequence[int] = KS
           ) -> dict[str, float]:
    """Share of questions whose gold chunk ranks in the top k of `chunks` by cosine (unit vectors); ties
    count against the gold one."""
    if not len(questions):
        return {f"recall@{k}": 0.0 for k in ks}
    scores = questions @ chunks.T
    own = scores[np.arange(len(gold)), gold]
    rank = (scores >= own[:, None]).sum(axis=1) - 1  # the gold chunk itself is among the >=
    return {f"recall@{k}": round(float((rank < k).mean()), 4) for k in ks}


def figures(data: Embedded, matrix: np.ndarray | None) -> dict[str, Any]:
    """recall@k overall, per question language and for real / written documents."""
    q = data.questions if matrix is None else adapt(data.questions, matrix)
    out: dict[str, Any] = {"questions": len(q), **recall(q, data.gold, data.chunks)}
    langs = np.array(data.languages)
    real = np.array(data.real, dtype=bool)
    slices = [(lang, langs == lang) for lang in ("fi", "sv", "en")] + [("real", real), ("written", ~real)]
    for name, sel in slices:
        if sel.any():
            out[name] = {"questions": int(sel.sum()), **recall(q[sel], data.gold[sel], data.chunks)}
    return out


def train_adapter(train: Embedded, dev: Embedded, plan: RetrievalTrainPlan,
                  log: Callable[[str], None] = logger.info) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """W by InfoNCE over every train chunk; the epoch with the best dev recall@5 (the first, on ties)."""
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    dim = train.questions.shape[1]
    weights = torch.zeros(dim, dim, requires_grad=True)
    opt = torch.optim.AdamW([weights], lr=plan.lr, weight_decay=plan.weight_decay)
    questions = torch.from_numpy(train.questions.astype(np.float32))
    chunks = torch.from_numpy(train.chunks.astype(np.float32))
    gold = torch.from_numpy(train.gold.astype(np.int64))
    best = np.zeros((dim, dim), np.float32)
    best_r5 = figures(dev, None)["recall@5"]
    history: list[dict[str, Any]] = [{"epoch": 0, "dev_recall@5": best_r5}]
    for epoch in range(1, plan.max_epochs + 1):
        order = rng.permutation(len(questions))
        total = 0.0
        for start in range(0, len(order), plan.batch):
            rows = torch.from_numpy(order[start:start + plan.batch])
            q = questions[rows]
            q = torch.nn.functional.normalize(q + q @ weights, dim=1)
            loss = torch.nn.functional.cross_entropy(q @ chunks.T / plan.tau, gold[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(rows)
        matrix = weights.detach().numpy().copy()
        r5 = figures(dev, matrix)["recall@5"]
        history.append({"epoch": epoch, "loss": round(total / len(order), 4), "dev_recall@5": r5})
        log(f"epoch {epoch}: loss {total / len(order):.3f}, dev recall@5 {r5:.3f}")
        if r5 > best_r5:
            best, best_r5 = matrix, r5
    return best, history


def embed_split(examples: Sequence[ReaderExample], embed_passages: Callable[[list[str]], list[list[float]]],
                embed_queries: Callable[[list[str]], list[list[float]]],
                count_tokens: Callable[[str], int] | None
                ) -> Embedded:
    """The answerable examples' questions and all chunks of their documents, embedded."""
    resolved, stats = resolve([e for e in examples if e.answerable], count_tokens)
    logger.info("resolved: %s", dict(stats))
    documents = sorted({r.example.document for r in resolved})
    chunks = [c for d in documents for c in document_chunks((REPO_ROOT / d).resolve(), count_tokens)]
    row = {c.id: i for i, c in enumerate(chunks)}
    kept = [r for r in resolved if r.chunk.id in row]
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].embed_text))  # less padding
    batches = [order[start:start + 16] for start in range(0, len(order), 16)]
    vectors = [np.asarray(embed_passages([chunks[i].embed_text for i in b]), np.float32) for b in batches]
    passages = np.zeros((len(chunks), vectors[0].shape[1] if vectors else 0), np.float32)
    if vectors:
        passages[order] = np.concatenate(vectors)
    questions = np.asarray(embed_queries([r.example.question for r in kept]), np.float32)
    questions = questions.reshape(len(kept), -1)
    return Embedded(questions=questions, gold=np.array([row[r.chunk.id] for r in kept], np.int64),
                    languages=tuple(r.example.language for r in kept),
                    real=tuple(r.example.real for r in kept),
                    chunks=passages)


def train_retrieval_command(base_folder: Path, plan: RetrievalTrainPlan) -> dict[str, Any]:
    """The whole recipe, with the converted e5 in `base_folder`; returns the manifest written."""
    from ingest.embed import ConvertedE5Embeddings

    from .reader_data import token_counter

    started = time.perf_counter()
    embeddings = ConvertedE5Embeddings(base_folder)
    count = token_counter(base_folder)
    examples = load_examples(plan.examples)
    by_split = {s: [e for e in examples if e.split == s][: plan.limit] for s in ("train", "dev")}
    embedded = {s: embed_split(exs, embeddings.embed_documents, embeddings.embed_queries, count)
                for s, exs in by_split.items()}
    embed_s = time.perf_counter() - started
    matrix, history = train_adapter(embedded["train"], embedded["dev"], plan)
    manifest = AdapterManifest(
        name=plan.name, base_sha256=base_sha256(base_folder), data_sha256=data_sha256(by_split["train"]),
        metrics={"dev_plain_e5": figures(embedded["dev"], None),
                 "dev_adapted": figures(embedded["dev"], matrix),
                 "note": "dev questions against every chunk of the dev documents, dense side alone"},
        training={"train_questions": len(embedded["train"].questions),
                  "train_chunks": len(embedded["train"].chunks), "lr": plan.lr, "tau": plan.tau,
                  "batch": plan.batch, "weight_decay": plan.weight_decay, "seed": SEED, "history": history,
                  "embed_s": round(embed_s, 1), "total_s": round(time.perf_counter() - started, 1),
                  "embedding_model": embeddings.model_id})
    save(QueryAdapter(manifest, matrix), plan.out_dir)
    return manifest.to_json()


# -- the hybrid's fusion, learned on an index of the train documents -----------------------------------

@dataclass(frozen=True)
class FusionGroup:
    """One question's candidates (either side's best) as feature rows, and which row is its gold chunk."""

    rows: np.ndarray  # (candidates, len(FEATURES))
    gold: int  # row of the gold chunk; -1 when neither side found it
    language: str


def fusion_groups(assistant: Any, examples: Sequence[ReaderExample],
                  count_tokens: Callable[[str], int] | None,
                  k: int = 8) -> list[FusionGroup]:
    """Each answerable example's candidates on `assistant`'s index, featurised as the retriever fuses them."""
    resolved, _ = resolve([e for e in examples if e.answerable], count_tokens)
    retriever = assistant.retriever
    where = {(Path(c.source).name, c.chunk_index): pos for pos, c in enumerate(retriever.index.chunks)}
    out = []
    for r in resolved:
        gold_pos = where.get((Path(r.example.document).name, r.chunk.chunk_index))
        if gold_pos is None:
            continue
        question = assistant.analyse(r.example.question)
        sides = retriever.sides(question, k=k)
        if sides is None:
            continue
        positions, rows = retriever.feature_rows(question, *sides)
        out.append(FusionGroup(rows, positions.index(gold_pos) if gold_pos in positions else -1,
                               r.example.language))
    return out


def fusion_recall(groups: Sequence[FusionGroup], weights: np.ndarray | None, ks: Sequence[int] = KS
                  ) -> dict[str, Any]:
    """recall@k of the gold chunk among the fused candidates (`weights` None: the hand-set fusion, i.e.
    the `rrf` and `structure` features with weight 1), overall and per language."""
    from assistant.retrieval.fusion import hand_set_weights

    if weights is None:
        weights = hand_set_weights()

    def at(selected: Sequence[FusionGroup]) -> dict[str, float]:
        ranks = []
        for g in selected:
            if g.gold < 0:
                ranks.append(10**6)
                continue
            scores = g.rows @ weights
            ranks.append(int((scores >= scores[g.gold]).sum()) - 1)
        r = np.asarray(ranks)
        return {f"recall@{k}": round(float((r < k).mean()), 4) if len(r) else 0.0 for k in ks}

    out: dict[str, Any] = {"questions": len(groups), **at(groups)}
    for lang in ("fi", "sv", "en"):
        part = [g for g in groups if g.language == lang]
        if part:
            out[lang] = {"questions": len(part), **at(part)}
    return out


def fit_fusion(groups: Sequence[FusionGroup], epochs: int = 200, lr: float = 0.05, l2: float = 1e-3
               ) -> np.ndarray:
    """Listwise softmax over each question's candidates (those whose gold was found), full batch, from the
    hand-set fusion's weights."""
    import torch

    from assistant.retrieval.fusion import FEATURES, hand_set_weights

    torch.manual_seed(SEED)
    usable = [g for g in groups if g.gold >= 0]
    weights = torch.tensor(hand_set_weights(), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([weights], lr=lr)
    width = max((len(g.rows) for g in usable), default=1)
    rows = torch.zeros(len(usable), width, len(FEATURES), dtype=torch.float64)
    padding = torch.ones(len(usable), width, dtype=torch.bool)
    for i, g in enumerate(usable):
        rows[i, : len(g.rows)] = torch.from_numpy(g.rows)
        padding[i, : len(g.rows)] = False
    gold = torch.tensor([g.gold for g in usable], dtype=torch.long)
    for _ in range(epochs):
        scores = (rows @ weights).masked_fill(padding, -1e9)
        loss = torch.nn.functional.cross_entropy(scores, gold) + l2 * (weights ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return weights.detach().numpy()


def train_fusion_command(settings: Any, plan: RetrievalTrainPlan, index_prefix: str | Path = ".index"
                         ) -> dict[str, Any]:
    """Fit the fusion on the train split's index (built or brought up to date here, as `eval` does for dev
    and test), with the query adapter the settings name; report recall on the dev index beside the
    hand-set fusion's; save `<plan.out_dir>/<fusion name>.json`."""
    from dataclasses import replace

    from assistant.pipeline import Assistant
    from assistant.retrieval.fusion import DEFAULT_FUSION, FEATURES, Fusion, save_fusion
    from ingest.embed import make_embeddings

    from .reader_data import token_counter
    from .split import split_documents
    from .split_runs import default_index_dir, ingest_split

    started = time.perf_counter()
    examples = load_examples(plan.examples)
    count = token_counter(settings.converted_e5_dir())
    groups = {}
    for split in ("train", "dev"):
        index_dir = default_index_dir(split, index_prefix)
        embeddings = make_embeddings(settings.embedding_backend, settings.embedding_model, index_dir)
        ingest_split(split_documents(split), index_dir, embeddings)
        assistant = Assistant(replace(settings, index_dir=index_dir, answerer="naive", fusion="none",
                                      query_adapter="none"), embeddings)
        # the adapter just written to plan.out_dir, where it fits the index's model
        assistant.query_adapter = adapter_for(settings.query_adapter, embeddings.model_id, plan.out_dir)
        chosen = [e for e in examples if e.split == split][: plan.limit]
        chosen = chosen[:: plan.fusion_every] if split == "train" else chosen
        groups[split] = fusion_groups(assistant, chosen, count)
        logger.info("%s: %d questions featurised", split, len(groups[split]))
    weights = fit_fusion(groups["train"], l2=plan.fusion_l2)
    name = settings.fusion if settings.fusion not in (None, "none") else DEFAULT_FUSION
    fusion = Fusion(name=name, weights=tuple(round(float(w), 6) for w in weights),
                    metrics={"dev_hand_set": fusion_recall(groups["dev"], None),
                             "dev_learned": fusion_recall(groups["dev"], weights),
                             "train_learned": fusion_recall(groups["train"], weights),
                             "query_adapter": settings.query_adapter,
                             "note": "reader examples' gold chunk among the fused candidates of the "
                                     "split's index"},
                    training={"l2": plan.fusion_l2, "every": plan.fusion_every, "seed": SEED,
                              "train_questions": len(groups["train"]),
                              "features": list(FEATURES), "total_s": round(time.perf_counter() - started, 1),
                              "data_sha256": data_sha256([e for e in examples if e.split == "train"])})
    save_fusion(fusion, plan.out_dir)
    return fusion.to_json()

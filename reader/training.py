"""Fine-tuning the span reader: (question, passage, answer range | no answer) examples → trained layers.

Fixed seeds; the word embeddings and the lower encoder layers stay frozen (they are the shipped e5
weights, and freezing them halves the backward pass); windows are batched by length. Runs on the CPU
(fp32; bf16 autocast trains slower there) or, with `device="cuda"`, on a GPU.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import ReaderConfig, freeze_for_training
from .windows import Window, make_windows, padded

logger = logging.getLogger(__name__)
SEED = 20261207


@dataclass(frozen=True)
class TrainItem:
    """One example as the reader sees it: the passage's header and text, and the answer's character
    range in the text (None: the passage does not answer)."""

    question: str
    header: str
    text: str
    answer: tuple[int, int] | None
    weight: float = 1.0


@dataclass(frozen=True)
class TrainOptions:
    epochs: float = 2.0
    batch_size: int = 16
    lr: float = 1e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    negatives_per_positive: int = 1  # windows of an answering passage that miss the answer
    device: str = "cpu"
    threads: int | None = None
    max_minutes: float | None = None  # stop (and keep what is learned) when the time is up
    head_lr_scale: float = 1.0  # the span head starts from random weights: it may learn faster
    seed: int = SEED


def build_windows(tokenizer: Any, items: Sequence[TrainItem], config: ReaderConfig,
                  negatives_per_positive: int = 1, seed: int = SEED) -> list[Window]:
    """All training windows: an answering passage's windows that hold the answer, and up to
    `negatives_per_positive` of its windows that do not; every window of a passage with no answer."""
    rng = random.Random(seed)
    out: list[Window] = []
    for item in items:
        windows = make_windows(tokenizer, item.question, [(item.header, item.text)], config.max_length,
                               config.stride, answers=[item.answer])
        if item.answer is None:
            out.extend(windows)
            continue
        pos = [w for w in windows if w.start_token > 0]
        neg = [w for w in windows if w.start_token == 0]
        out.extend(pos)
        rng.shuffle(neg)
        out.extend(neg[:negatives_per_positive])
    return out


def _batches(windows: Sequence[Window], size: int, rng: random.Random) -> list[list[Window]]:
    """Batches of windows of similar length (less padding), in a shuffled order."""
    order = list(range(len(windows)))
    rng.shuffle(order)
    chunks = [order[i : i + size * 50] for i in range(0, len(order), size * 50)]
    batches = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(windows[i].input_ids))
        batches += [[windows[i] for i in chunk[j : j + size]] for j in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def train(model: Any, tokenizer: Any, items: Sequence[TrainItem], config: ReaderConfig,
          options: TrainOptions = TrainOptions(),
          on_checkpoint: Callable[[Any, dict], object] | None = None, checkpoint_every: int = 400) -> dict:
    """Fine-tune `model` in place; returns what happened (windows, steps, seconds, last loss)."""
    import numpy as np
    import torch

    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)
    if options.threads:
        torch.set_num_threads(options.threads)
    device = torch.device(options.device)
    model.to(device)
    names = freeze_for_training(model, config.trainable_layers)
    trained = [(n, p) for n, p in model.named_parameters() if n in set(names)]
    head = [p for n, p in trained if n.startswith("qa_outputs.")]
    body = [p for n, p in trained if not n.startswith("qa_outputs.")]
    params = body + head
    windows = build_windows(tokenizer, items, config, options.negatives_per_positive, options.seed)
    rng = random.Random(options.seed)
    per_epoch = math.ceil(len(windows) / options.batch_size)
    total = max(1, int(per_epoch * options.epochs))
    optimizer = torch.optim.AdamW([{"params": body, "lr": options.lr},
                                   {"params": head, "lr": options.lr * options.head_lr_scale}],
                                  weight_decay=options.weight_decay)
    warm = max(1, int(total * options.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm))))
    pad = tokenizer.pad_token_id or 1
    model.train()
    started = time.monotonic()
    step, losses, seen = 0, [], 0
    stopped_early = False
    while step < total:
        for batch in _batches(windows, options.batch_size, rng):
            if step >= total:
                break
            ids, mask = padded(batch, pad)
            starts = torch.tensor([w.start_token for w in batch])
            ends = torch.tensor([w.end_token for w in batch])
            out = model(input_ids=ids.to(device), attention_mask=mask.to(device),
                        start_positions=starts.to(device), end_positions=ends.to(device))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            seen += len(batch)
            losses.append(float(out.loss.detach()))
            elapsed = time.monotonic() - started
            if step % 25 == 0 or step == total:
                logger.info("step %d/%d loss %.3f (last 25) %.1f windows/s", step, total,
                            sum(losses[-25:]) / len(losses[-25:]), seen / max(elapsed, 1e-6))
            if on_checkpoint is not None and step % checkpoint_every == 0:
                model.eval()
                on_checkpoint(model, {"step": step, "of": total})
                model.train()
            if options.max_minutes is not None and elapsed > options.max_minutes * 60:
                stopped_early = True
                break
        if stopped_early:
            break
    model.eval()
    return {
        "windows": len(windows), "positive_windows": sum(1 for w in windows if w.start_token > 0),
        "steps": step, "planned_steps": total, "epochs": round(step / per_epoch, 3),
        "seconds": round(time.monotonic() - started, 1),
        "final_loss": round(sum(losses[-50:]) / max(1, len(losses[-50:])), 4),
        "stopped_early": stopped_early, "device": str(device), "batch_size": options.batch_size,
        "lr": options.lr, "seed": options.seed,
    }

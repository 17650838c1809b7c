"""Question + passage → token windows the encoder reads, with each token's character range in the passage.

The context is the passage's header (document, body, date, §, item title, section) on its first line and
the passage text after it, so "which body, which meeting" can be read; spans are only taken from the
text (header tokens get no offsets). A passage longer than the window is read in overlapping windows
(a doc stride), as in SQuAD.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Window:
    input_ids: tuple[int, ...]
    offsets: tuple[tuple[int, int] | None, ...]  # per token: character range in the passage text
    passage: int  # which of the passages given
    start_token: int = 0  # training label: the answer's first token, 0 (CLS) for no answer here
    end_token: int = 0


def make_windows(
    tokenizer: Any, question: str, passages: Sequence[tuple[str, str]], max_length: int = 256,
    stride: int = 64, answers: Sequence[tuple[int, int] | None] | None = None,
) -> list[Window]:
    """Windows of `passages` [(header, text)] read against `question`; with `answers` (one (start, end)
    character range in each passage's text, or None), each window is labelled with its answer tokens
    (CLS where the window does not hold the whole answer)."""
    if not passages:
        return []
    contexts = [f"{header}\n{text}" if header else text for header, text in passages]
    shifts = [len(header) + 1 if header else 0 for header, _ in passages]
    enc = tokenizer(
        [question] * len(passages), contexts, truncation="only_second", max_length=max_length,
        stride=stride, return_overflowing_tokens=True, return_offsets_mapping=True, padding=False,
    )
    windows = []
    for w, ids in enumerate(enc["input_ids"]):
        p = enc["overflow_to_sample_mapping"][w]
        sequence = enc.sequence_ids(w)
        shift = shifts[p]
        offsets: list[tuple[int, int] | None] = []
        for (a, b), seq in zip(enc["offset_mapping"][w], sequence, strict=True):
            offsets.append((a - shift, b - shift) if seq == 1 and a >= shift and b > a else None)
        start_token = end_token = 0
        answer = answers[p] if answers is not None else None
        if answer is not None:
            start_token, end_token = _label(offsets, *answer)
        windows.append(Window(tuple(ids), tuple(offsets), p, start_token, end_token))
    return windows


def _label(offsets: Sequence[tuple[int, int] | None], start: int, end: int) -> tuple[int, int]:
    """The first and last token of [start, end) when the window holds all of it, else (0, 0)."""
    inside = [(i, o) for i, o in enumerate(offsets) if o is not None]
    if not inside or inside[0][1][0] > start or inside[-1][1][1] < end:
        return 0, 0
    first = next(i for i, o in inside if o[1] > start)
    last = max(i for i, o in inside if o[0] < end)
    return (first, last) if last >= first else (0, 0)


def padded(batch: Sequence[Window], pad: int) -> tuple[Any, Any]:
    """(input ids, attention mask) of a batch of windows as torch tensors, padded to the longest."""
    import torch

    width = max(len(w.input_ids) for w in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, w in enumerate(batch):
        ids[r, : len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[r, : len(w.input_ids)] = 1
    return ids, mask

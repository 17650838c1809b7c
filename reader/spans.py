"""From a window's start and end logits to answer spans; no model here, only numbers.

A window is `[CLS] question [SEP][SEP] context [SEP]`; `offsets[i]` is the (start, end) character
range of token i in the context string, or None for a question or special token. The no-answer score
is the CLS token's start + end logit (SQuAD 2.0). The best span is the highest start + end sum with
start <= end, both inside the context, at most `max_tokens` long.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Offsets = Sequence[tuple[int, int] | None]


def best_spans(
    start_logits: Sequence[float], end_logits: Sequence[float], offsets: Offsets,
    max_tokens: int = 48, top: int = 20, keep: int = 3,
) -> list[tuple[int, int, float]]:
    """The `keep` best (char_start, char_end, score) spans of one window, best first, no overlaps."""
    s = np.asarray(start_logits, dtype=np.float64)
    e = np.asarray(end_logits, dtype=np.float64)
    inside = np.array([o is not None and o[1] > o[0] for o in offsets], dtype=bool)
    if not inside.any():
        return []
    s_masked = np.where(inside, s, -np.inf)
    e_masked = np.where(inside, e, -np.inf)
    starts = np.argsort(-s_masked)[:top]
    ends = np.argsort(-e_masked)[:top]
    found: list[tuple[int, int, float]] = []
    for i in starts:
        if not inside[i]:
            continue
        for j in ends:
            if not inside[j] or j < i or j - i + 1 > max_tokens:
                continue
            found.append((int(i), int(j), float(s[i] + e[j])))
    found.sort(key=lambda t: -t[2])
    chosen: list[tuple[int, int, float]] = []
    for i, j, score in found:
        if any(not (j < a or i > b) for a, b, _ in chosen):
            continue
        chosen.append((i, j, score))
        if len(chosen) == keep:
            break
    out = []
    for i, j, score in chosen:
        first, last = offsets[i], offsets[j]
        assert first is not None and last is not None
        out.append((first[0], last[1], score))
    return out


def null_score(start_logits: Sequence[float], end_logits: Sequence[float]) -> float:
    """The window's no-answer score: the CLS token (position 0) as both start and end."""
    return float(start_logits[0]) + float(end_logits[0])


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and trailing punctuation a token boundary may carry (", " or a closing period)."""
    while start < end and text[start] in " \t\n,;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    if end - start > 1 and text[end - 1] == "." and not text[start:end - 1].rstrip()[-1:].isdigit():
        end -= 1
    return start, end

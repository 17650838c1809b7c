"""The reader's no-answer margin turned into a probability, and the one threshold.

Platt scaling: p = sigmoid(a * margin + b), fitted on dev (the margin is the best span's score minus
its window's no-answer score, see `spans`). Isotonic regression was the alternative; with a few
hundred dev questions a two-parameter fit is steadier. The threshold maximises right answers plus
right refusals on the same dev questions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize


@dataclass(frozen=True)
class Platt:
    a: float = 1.0
    b: float = 0.0

    def __call__(self, margin: float) -> float:
        z = self.a * margin + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def margin(self, probability: float) -> float:
        """The margin this calibration maps to `probability` (its inverse; clipped off 0 and 1)."""
        p = min(max(probability, 1e-9), 1 - 1e-9)
        return (math.log(p / (1 - p)) - self.b) / self.a

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b}


def fit_platt(margins: Sequence[float], right: Sequence[bool]) -> Platt:
    """Fit a, b by logistic log-loss (L-BFGS from a = 1, b = 0), with Platt's smoothed targets so a
    separable dev set does not push a to infinity."""
    x = np.asarray(margins, dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    if len(x) == 0:
        return Platt()
    pos, neg = y.sum(), len(y) - y.sum()
    t = np.where(y > 0, (pos + 1) / (pos + 2), 1 / (neg + 2))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = w[0] * x + w[1]
        p = 1 / (1 + np.exp(-np.clip(z, -60, 60)))
        eps = 1e-12
        value = -np.sum(t * np.log(p + eps) + (1 - t) * np.log(1 - p + eps))
        g = p - t
        return float(value), np.array([np.sum(g * x), np.sum(g)])

    result = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return Platt(float(result.x[0]), float(result.x[1]))


def choose_threshold(probabilities: Sequence[float], right: Sequence[bool],
                     answerable: Sequence[bool]) -> tuple[float, int]:
    """The probability threshold that gets most questions right: an answered question is right when its
    best span is right, a refused one when it had no answer. Returns (threshold, questions right)."""
    p = np.asarray(probabilities, dtype=np.float64)
    ok = np.asarray(right, dtype=bool)
    has = np.asarray(answerable, dtype=bool)
    best_t, best_n = 0.5, -1
    for t in sorted({0.0, 1.0, *np.round(p, 4).tolist()}):
        answered = p >= t
        n = int(np.sum(answered & ok) + np.sum(~answered & ~has))
        if n >= best_n:  # a tie goes to the higher threshold: a wrong answer is worse than none
            best_t, best_n = float(t), n
    return best_t, best_n

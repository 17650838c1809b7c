"""Typed records of the reading stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpanGuess:
    """One candidate answer span in one passage: character offsets into the passage's text."""

    passage: int  # index of the passage in the list read
    start: int  # character offset in the passage text (not the header)
    end: int
    text: str
    score: float  # start logit + end logit
    null_score: float  # the window's no-answer score (CLS start + end logits)

    @property
    def margin(self) -> float:
        """How much the reader prefers this span to saying the window holds no answer."""
        return self.score - self.null_score


@dataclass(frozen=True)
class Reading:
    """What the reader made of a question's passages: the spans best first and the calibrated
    probability that the best one answers (0 when there is none)."""

    spans: tuple[SpanGuess, ...]
    probability: float
    threshold: float

    @property
    def best(self) -> SpanGuess | None:
        return self.spans[0] if self.spans else None

    @property
    def answers(self) -> bool:
        return bool(self.spans) and self.probability >= self.threshold

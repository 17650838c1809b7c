"""Answerers turn a question and its retrieved passages into an `Answer`; chosen by configuration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .config import Settings
from .prompts import phrases
from .questions import Question
from .records import Answer, Citation, Passage

ANSWERERS = ("extractive", "naive", "openai", "ollama")


class Answerer(Protocol):
    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer: ...


def abstention(question: Question, passages: Sequence[Passage], see_also: int = 3) -> Answer:
    """Say plainly that the documents do not answer, and list the closest passages to look at."""
    words = phrases(question.language)
    text = words["abstain"]
    if passages:
        places = dict.fromkeys(f"{p.chunk.document_title} — {p.chunk.section}" for p in passages)
        closest = "; ".join(list(places)[:see_also])
        text += f"\n\n{words['see_also']}: {closest}"
    return answer_for(question, text, abstained=True)


def answer_for(
    question: Question, text: str, citations: Sequence[Citation] = (), abstained: bool = False
) -> Answer:
    """An answer to this question, in its language and of its type."""
    return Answer(
        question=question.text,
        text=text,
        abstained=abstained,
        citations=tuple(citations),
        language=question.language,
        question_type=question.type,
    )


class NaiveAnswerer:
    """A baseline: the top passage, whole, as the answer."""

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages)
        top = passages[0].chunk
        return answer_for(question, f"{top.text} [1]", (Citation(1, top, top.text),))


def make_answerer(settings: Settings) -> Answerer:
    name = settings.answerer
    if name == "extractive":
        from .extractive import ExtractiveAnswerer

        return ExtractiveAnswerer()
    if name == "naive":
        return NaiveAnswerer()
    if name in ("openai", "ollama"):
        from .llm import LLMAnswerer

        return LLMAnswerer(settings)
    raise ValueError(f"Unknown answerer {name!r}; choose one of: {', '.join(ANSWERERS)}.")

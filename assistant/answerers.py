"""Answerers turn a question and its retrieved passages into an `Answer`; chosen by configuration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .config import Settings
from .prompts import phrases
from .questions import Question
from .records import Answer, Citation, Passage

ANSWERERS = ("scorer+reader", "reader", "extractive", "naive", "openai", "ollama")


class Answerer(Protocol):
    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer: ...


@dataclass(frozen=True)
class AnswerTools:
    """What an answerer may use beyond its passages, handed over explicitly by the `Assistant`:
    `embed` (texts → e5 vectors, the scorer's candidate similarity) and `document_sections` (a
    document's sections in reading order, to read a decision's proposal and vote)."""

    embed: Callable[[list[str]], Any] | None = None
    document_sections: Callable[[str], Any] | None = None
    # The embedder's loaded e5 encoder, its tokenizer and the folder of its weights, when it is the
    # converted e5: the reader shares them (embeddings, lower layers) instead of loading them again.
    shared_encoder: Callable[[], tuple[Any, Any, Path] | None] | None = None


def abstention(
    question: Question, passages: Sequence[Passage], prompts_dir: Path, see_also: int = 3
) -> Answer:
    """Say plainly that the documents do not answer, and list the closest passages to look at; the words
    are `phrases.json` in `prompts_dir` (the settings' folder, so a deployment can reword them)."""
    words = phrases(question.language, prompts_dir)
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

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages, self.prompts_dir)
        top = passages[0].chunk
        return answer_for(question, f"{top.text} [1]", (Citation(1, top, top.text),))


def _extractive(settings: Settings, tools: AnswerTools) -> Answerer:
    from .extractive import ExtractiveAnswerer  # imported on use: it loads the scorer model file

    answerer = ExtractiveAnswerer(prompts_dir=settings.prompts_dir)
    answerer.embed = tools.embed
    answerer.document_sections = tools.document_sections
    return answerer


def _reader(settings: Settings, tools: AnswerTools) -> Answerer:
    from .reading import load_reader_answerer  # imported on use: it loads torch and the trained reader

    answerer = load_reader_answerer(settings, tools.shared_encoder() if tools.shared_encoder else None)
    answerer.document_sections = tools.document_sections
    return answerer


def _scorer_then_reader(settings: Settings, tools: AnswerTools) -> Answerer:
    from .reading import ScorerThenReader  # imported on use: it loads torch and the trained reader

    reader = _reader(settings, tools)
    threshold = settings.reader_fallback_threshold
    if threshold is None:
        threshold = reader.reader.fallback_threshold  # type: ignore[attr-defined]
    if threshold is None:
        threshold = reader.reader.threshold  # type: ignore[attr-defined]
    return ScorerThenReader(_extractive(settings, tools), reader, threshold)  # type: ignore[arg-type]


def _llm(settings: Settings, tools: AnswerTools) -> Answerer:  # noqa: ARG001 - the LLM reads passages only
    from .llm import LLMAnswerer  # the LLM extra stays optional

    return LLMAnswerer(settings)


# The one place an answerer is named: name → factory(settings). Adding one is an entry here.
ANSWERER_FACTORIES: dict[str, Callable[[Settings, AnswerTools], Answerer]] = {
    "scorer+reader": _scorer_then_reader,
    "reader": _reader,
    "extractive": _extractive,
    "naive": lambda settings, _tools: NaiveAnswerer(settings.prompts_dir),
    "openai": _llm,
    "ollama": _llm,
}


def make_answerer(settings: Settings, tools: AnswerTools | None = None) -> Answerer:
    factory = ANSWERER_FACTORIES.get(settings.answerer)
    if factory is None:
        raise ValueError(f"Unknown answerer {settings.answerer!r}; choose one of: {', '.join(ANSWERERS)}.")
    return factory(settings, tools or AnswerTools())

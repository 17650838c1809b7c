"""What every answerer shares: the interface, the tools it may be handed, and the plain answers (an
abstention, an answer in the question's language). The answerers import this module; the registry
(`answerers.py`) imports the answerers — so no answerer imports the registry back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .prompts import phrases
from .questions import Question
from .records import Answer, Citation, Passage


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

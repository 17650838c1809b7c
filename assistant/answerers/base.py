"""What every answerer shares: the interface and the tools it may be handed (the plain answers, an
abstention and an answer in the question's language, are `composition.plain`). The answerers import
this module; the registry (`registry.py`) imports the answerers, so no answerer imports it back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.composition.plain import abstention, answer_for
from assistant.question.analysis import Question
from assistant.records import Answer, Citation, Passage


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


class NaiveAnswerer:
    """A baseline: the top passage, whole, as the answer."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages, self.prompts_dir)
        top = passages[0].chunk
        return answer_for(question, f"{top.text} [1]", (Citation(1, top, top.text),))

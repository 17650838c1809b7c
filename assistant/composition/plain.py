"""The plain answers every answerer gives: an abstention that points to the closest passages, and an
answer in the question's language and of its type."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.prompts import phrases
from assistant.question.analysis import Question
from assistant.records import Answer, Citation, Passage


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

"""One chat turn without drawing it: a follow-up made a standalone question, asked, and stored.

Kept apart from the Streamlit views so that what a turn does (which question was searched, what was
answered or why not, what the conversation keeps) reads, and is tested, in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.pipeline import Assistant, EmptyQuestion
from assistant.question.followup import rewrite_followup
from assistant.records import Answer
from assistant.retrieval.search import FilterError
from ingest.store import IndexProblem

from .conversations import ConversationStore
from .indexing import IndexChoices

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """A turn's outcome: the question as typed, what was searched (the follow-up made whole, where it
    was one), and the answer or the one-line reason there is none."""

    question: str
    searched: str
    rewritten: str | None
    filters: dict[str, str]
    answer: Answer | None
    error: str | None


def answer_turn(assistant: Assistant, question: str, history: Sequence[str], filters: dict[str, str],
                choices: IndexChoices, public_only: bool = False) -> Asked:
    """Rewrite a follow-up against the earlier searched questions (`history`, oldest first) and ask it
    (from public documents only where the session's `public_only` says so).
    An error in one question becomes the turn's error, never an exception out of the conversation."""
    rewritten = rewrite_followup(question, list(history), choices.municipalities, choices.bodies)
    searched = rewritten or question
    answer: Answer | None = None
    error: str | None = None
    try:
        answer = assistant.ask(searched, filters, public_only=public_only)
        if rewritten:
            answer = replace(answer, rewritten_question=rewritten)
    except (EmptyQuestion, FilterError, IndexProblem) as exc:
        error = str(exc)
    except Exception as exc:  # one bad question must not take the conversation down
        logger.exception("asking %r failed", searched)
        error = f"{type(exc).__name__}: {exc}"
    return Asked(question, searched, rewritten, dict(filters), answer, error)


def store_turn(store: ConversationStore, owner: str, conversation_id: str | None,
               asked: Asked) -> tuple[str, dict]:
    """Keep the turn in the owner's conversation (a new one, named after the question, where there is
    none yet or it was deleted meanwhile); returns the conversation's id and the turn as the views draw it."""
    if conversation_id is None or store.get(owner, conversation_id) is None:
        conversation_id = store.create(owner, asked.question).id
    turn_id = store.add_turn(owner, conversation_id, asked.question, asked.searched, asked.rewritten,
                             asked.filters, asked.answer, asked.error)
    return conversation_id, {
        "id": turn_id, "question": asked.question, "searched": asked.searched, "rewritten": asked.rewritten,
        "filters": dict(asked.filters), "answer": asked.answer, "error": asked.error, "rating": None,
        "comment": None,
    }

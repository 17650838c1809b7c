"""A chat turn without the app (webapp/turns.py): follow-ups, errors, storing. No model, no index."""

from __future__ import annotations

from pathlib import Path

from assistant.records import Answer
from assistant.retrieval.search import FilterError
from webapp.conversations import ConversationStore
from webapp.indexing import IndexChoices
from webapp.turns import answer_turn, store_turn

CHOICES = IndexChoices(municipalities=("Kuopio", "Pori"))


class FakeAssistant:
    """Answers with the question it was asked; fails as told."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail, self.asked, self.public_only = fail, [], []

    def ask(self, question: str, filters=None, public_only: bool = False) -> Answer:
        self.asked.append(question)
        self.public_only.append(public_only)
        if self.fail is not None:
            raise self.fail
        return Answer(question=question, text=f"answer to {question}", abstained=False)


def test_a_follow_up_is_searched_whole_and_the_answer_says_so() -> None:
    assistant = FakeAssistant()
    asked = answer_turn(assistant, "Entä Porissa?", ["Kuka vastaa digitiekartasta Kuopiossa?"], {}, CHOICES)
    assert asked.rewritten and "Pori" in asked.rewritten and assistant.asked == [asked.searched]
    assert asked.answer is not None and asked.answer.rewritten_question == asked.rewritten
    assert asked.error is None


def test_a_standalone_question_is_asked_as_typed() -> None:
    asked = answer_turn(FakeAssistant(), "Kuka vastaa digitiekartasta Kuopiossa?", [], {}, CHOICES)
    assert asked.rewritten is None and asked.searched == asked.question


def test_a_session_without_internal_access_asks_public_only() -> None:
    """The session's public_only (webapp.access: not logged in, or not in an internal group) reaches the
    shared assistant with each question."""
    assistant = FakeAssistant()
    answer_turn(assistant, "Kuka vastaa?", [], {}, CHOICES)
    answer_turn(assistant, "Kuka vastaa?", [], {}, CHOICES, public_only=True)
    assert assistant.public_only == [False, True]


def test_errors_become_the_turns_error_not_an_exception() -> None:
    bad_filter = answer_turn(FakeAssistant(FilterError("Unknown filter key colour")), "Kuka?", [],
                             {"colour": "red"}, CHOICES)
    assert bad_filter.answer is None and bad_filter.error == "Unknown filter key colour"
    crash = answer_turn(FakeAssistant(RuntimeError("boom")), "Kuka vastaa?", [], {}, CHOICES)
    assert crash.error == "RuntimeError: boom"


def test_a_turn_is_stored_in_a_new_conversation_then_in_the_same_one(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite")
    first = answer_turn(FakeAssistant(), "Kuka vastaa digitiekartasta?", [], {"municipality": "Kuopio"},
                        CHOICES)
    conversation, turn = store_turn(store, "owner-1", None, first)
    assert turn["searched"] == first.searched and turn["filters"] == {"municipality": "Kuopio"}
    again, second = store_turn(store, "owner-1", conversation,
                               answer_turn(FakeAssistant(), "Entä Porissa?", [first.searched], {}, CHOICES))
    assert again == conversation and second["id"] != turn["id"]
    assert [t.question for t in store.turns("owner-1", conversation)] == ["Kuka vastaa digitiekartasta?",
                                                                        "Entä Porissa?"]
    # another browser's key never reaches this conversation: a new one is made for it
    other, _ = store_turn(store, "owner-2", conversation, first)
    assert other != conversation

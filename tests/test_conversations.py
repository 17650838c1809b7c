"""The conversation store: turns read back whole, every call scoped to one browser's key, safe under
concurrent sessions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.records import Answer, Citation, Passage
from ingest.records import Chunk
from webapp.conversations import (
    ConversationStore,
    answer_from_json,
    answer_to_json,
    new_key,
    store_path,
    title_from,
    valid_key,
)


def _chunk(i: int = 0) -> Chunk:
    return Chunk(
        id=f"doc.pdf#{i}",
        text="Kaupunginhallitus päätti hyväksyä ohjelman [2].",
        source="doc.pdf",
        document_title="Pöytäkirja",
        chunk_index=i,
        content_hash="h",
        section="§ 5 › Päätös",
        section_kind="decision",
        language="fi",
        doc_type="minutes",
        municipality="Kuopio",
        body="Kaupunginhallitus",
        meeting_date="2024-10-14",
        item="5",
        case_number="12/00.01/2024",
        page=3,
        resolution="approved",
        extra={"text_source": "ocr", "visibility": "public"},
    )


def _answer() -> Answer:
    chunk = _chunk()
    return Answer(
        question="Mitä päätettiin?",
        text="Hyväksyttiin [1].",
        abstained=False,
        citations=(Citation(1, chunk, "päätti hyväksyä ohjelman"),),
        passages=(Passage(chunk, 0.5, 0.8, None),),
        timings_ms={"retrieve": 3.0},
        language="fi",
        question_type="decision",
        rewritten_question="Mitä Kuopio päätti?",
    )


@pytest.fixture()
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "c.sqlite")


def test_answer_round_trip_keeps_what_the_cards_need() -> None:
    back = answer_from_json(answer_to_json(_answer()))
    assert back == _answer()  # frozen dataclasses: every field equal (Chunk.extra is not compared)
    assert back.citations[0].chunk.extra == {"text_source": "ocr", "visibility": "public"}
    assert back.citations[0].chunk.page == 3 and back.passages[0].dense == 0.8


def test_turns_titles_feedback_and_preferences(store: ConversationStore) -> None:
    owner = new_key()
    conv = store.create(owner, "  Kuka vastaa\n digitiekartasta?  ")
    assert conv.title == "Kuka vastaa digitiekartasta?"
    turn = store.add_turn(owner, conv.id, "entä Kuopiossa?", "Mitä Kuopio päätti?", "Mitä Kuopio päätti?",
                          {"body": "Kaupunginhallitus"}, _answer())  # fmt: skip
    failed = store.add_turn(owner, conv.id, "?", "?", None, {}, None, error="The question is empty.")
    first, second = store.turns(owner, conv.id)
    assert (first.id, first.question, first.searched, first.rewritten) == (
        turn, "entä Kuopiossa?", "Mitä Kuopio päätti?", "Mitä Kuopio päätti?")  # fmt: skip
    assert first.filters == {"body": "Kaupunginhallitus"} and first.answer == _answer()
    assert first.citations[0]["quote"] == "päätti hyväksyä ohjelman"
    assert (second.id, second.answer, second.error) == (failed, None, "The question is empty.")
    assert store.set_feedback(owner, turn, "down", "  väärä  ")
    rated = store.turns(owner, conv.id)[0]
    assert (rated.rating, rated.comment) == ("down", "väärä")
    with pytest.raises(ValueError):
        store.set_feedback(owner, turn, "meh")
    assert store.preference(owner, "ui_lang") is None
    store.set_preference(owner, "ui_lang", "sv")
    store.set_preference(owner, "ui_lang", "en")
    assert store.preference(owner, "ui_lang") == "en"
    assert store.rename(owner, conv.id, "Digi") and store.get(owner, conv.id).title == "Digi"
    assert not store.rename(owner, conv.id, "   ")
    assert store.delete(owner, conv.id) and store.turns(owner, conv.id) == [] and store.list(owner) == []


def test_one_browser_can_never_reach_another_browsers_conversations(store: ConversationStore) -> None:
    alice, mallory = new_key(), new_key()
    conv = store.create(alice, "Alice's question")
    turn = store.add_turn(alice, conv.id, "q", "q", None, {}, _answer())
    store.set_preference(alice, "ui_lang", "sv")
    # knowing the ids is not enough: every call is scoped to the caller's key
    assert store.list(mallory) == [] and store.get(mallory, conv.id) is None
    assert store.turns(mallory, conv.id) == []
    assert not store.rename(mallory, conv.id, "mine now") and not store.delete(mallory, conv.id)
    assert not store.set_feedback(mallory, turn, "down")
    with pytest.raises(KeyError):
        store.add_turn(mallory, conv.id, "x", "x", None, {}, None)
    assert store.preference(mallory, "ui_lang") is None
    assert [c.title for c in store.list(alice)] == ["Alice's question"]
    assert len(store.turns(alice, conv.id)) == 1 and store.turns(alice, conv.id)[0].rating is None


def test_keys_are_random_and_checked() -> None:
    keys = {new_key() for _ in range(1000)}
    assert len(keys) == 1000 and all(valid_key(k) and len(k) >= 22 for k in keys)  # 16 bytes → 22 chars
    assert not any(valid_key(k) for k in (None, "", "abc", "x" * 65, "a b" * 10, "<script>aaaaaaaaaaaaaaaa"))


def test_concurrent_sessions_keep_their_own_turns(tmp_path: Path) -> None:
    """8 sessions (threads of one app process) writing at once: nothing lost, nothing crossed."""
    store = ConversationStore(tmp_path / "c.sqlite")
    owners = [new_key() for _ in range(8)]
    errors: list[BaseException] = []

    def session(owner: str) -> None:
        try:
            conv = store.create(owner, f"question of {owner}")
            for i in range(15):
                store.add_turn(owner, conv.id, f"{owner} {i}", f"{owner} {i}", None, {}, _answer())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(o,)) for o in owners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for owner in owners:
        (conv,) = store.list(owner)
        assert [t.question for t in store.turns(owner, conv.id)] == [f"{owner} {i}" for i in range(15)]
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 8 * 15


def test_titles_and_where_the_file_lives(tmp_path: Path) -> None:
    long = "Mitä " + "hyvin " * 30 + "pitkä kysymys?"
    assert len(title_from(long)) <= 81 and title_from(long).endswith("…")
    assert store_path(tmp_path / "index") == tmp_path / "index" / "conversations.sqlite"
    assert store_path(tmp_path / "index", tmp_path / "elsewhere.db") == tmp_path / "elsewhere.db"

"""One configuration, passed down: the prompts folder reaches every answer's words, and the loader bounds
come from the same Settings object. Fast: no embedding model, no index (the answerer runs without
embeddings, on chunks parsed from a test document)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answerers.registry import make_answerer
from assistant.question.analysis import analyse
from assistant.records import Passage
from config import Settings
from ingest.chunk import chunk_document
from ingest.load import load_document
from ingest.load.isolation import DEFAULT_ISOLATION, IsolationSettings
from ingest.parse import parse_document
from ingest.records import Chunk

REPO = Path(__file__).resolve().parent.parent
PROGRAMME = REPO / "tests" / "data" / "fi_digiohjelma_toimenpiteet.md"  # a dev document (tests/data)
MARK = "(reworded) "


@pytest.fixture(scope="module")
def programme() -> list[Chunk]:
    return chunk_document(parse_document(load_document(PROGRAMME)))


@pytest.fixture()
def reworded(tmp_path: Path) -> Path:
    """A copy of prompts/ with every English answer frame marked before its citation ("… [{n}]" →
    "… (reworded) [{n}]") and the English abstention reworded."""
    folder = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", folder)
    templates = json.loads((folder / "templates.json").read_text(encoding="utf-8"))
    frames = [k for k, v in templates["en"].items() if isinstance(v, str) and "[{n}]" in v]
    assert {"decided", "owner", "owner_plain", "quote", "cover"} <= set(frames)
    for key in frames:
        templates["en"][key] = templates["en"][key].replace("[{n}]", MARK + "[{n}]")
    (folder / "templates.json").write_text(json.dumps(templates, ensure_ascii=False), encoding="utf-8")
    phrases = json.loads((folder / "phrases.json").read_text(encoding="utf-8"))
    phrases["en"]["abstain"] = "Nothing in these minutes answers that."
    (folder / "phrases.json").write_text(json.dumps(phrases, ensure_ascii=False), encoding="utf-8")
    return folder


def _answer(settings: Settings, chunks: list[Chunk], question: str):
    """The extractive answer with the threshold at 0, so that it answers whatever the scorer's
    confidence (this test is about the words, not the choice)."""
    answerer = make_answerer(settings)
    answerer.threshold = 0.0  # type: ignore[attr-defined]
    passages = [Passage(chunk=c, score=1.0 / (61 + i), dense=0.0) for i, c in enumerate(chunks)]
    return answerer.answer(analyse(question), passages)


def test_a_changed_prompts_folder_reaches_the_extractive_answer_and_the_abstention(programme, reworded):
    """STRATEGY_CHAT_PROMPTS_DIR used to change the LLM prompts only: the extractive frame and the
    abstention read the shipped folder whatever the settings said."""
    question = "Who is responsible for digital support in Lohja?"
    shipped = _answer(Settings(answerer="extractive"), programme, question)
    changed = _answer(replace(Settings(answerer="extractive"), prompts_dir=reworded), programme, question)
    assert not shipped.abstained and not changed.abstained and shipped.citations
    assert MARK not in shipped.text and MARK + "[1]" in changed.text
    assert changed.text.replace(MARK, "") == shipped.text  # the same answer, in the folder's words
    assert [c.chunk.id for c in changed.citations] == [c.chunk.id for c in shipped.citations]

    unknown = analyse("Who is responsible for the city's space programme?")
    for answerer in ("extractive", "naive"):
        settings = replace(Settings(), prompts_dir=reworded, answerer=answerer)
        assert make_answerer(settings).answer(unknown, []).text == "Nothing in these minutes answers that."
    assert make_answerer(Settings(answerer="naive")).answer(unknown, []).text == (
        "The documents do not answer this question.")


def test_the_loader_bounds_come_from_the_one_settings_object() -> None:
    """STRATEGY_CHAT_LOADER_* are read by Settings.from_env at the entry point, not by ingest at import;
    a value that is no yes/no or no number is refused with the fix, as every other setting's is."""
    env = {"STRATEGY_CHAT_LOADER_ISOLATION": "0", "STRATEGY_CHAT_LOADER_TIMEOUT_S": "30",
           "STRATEGY_CHAT_LOADER_MEMORY_MB": "512", "STRATEGY_CHAT_LOADER_INLINE_TEXT_BYTES": "2000"}
    assert Settings.from_env(env).isolation == IsolationSettings(
        enabled=False, timeout_s=30.0, memory_mb=512, inline_text_bytes=2000)
    assert Settings.from_env({}).isolation == IsolationSettings() == DEFAULT_ISOLATION
    assert DEFAULT_ISOLATION == IsolationSettings(enabled=True, timeout_s=180.0, memory_mb=2048)
    with pytest.raises(ValueError, match="STRATEGY_CHAT_LOADER_ISOLATION='of' is not a yes/no value"):
        Settings.from_env({"STRATEGY_CHAT_LOADER_ISOLATION": "of"})
    with pytest.raises(ValueError, match="STRATEGY_CHAT_LOADER_TIMEOUT_S='3 min' is not a number"):
        Settings.from_env({"STRATEGY_CHAT_LOADER_TIMEOUT_S": "3 min"})


def test_nothing_in_ingest_reads_the_loader_environment(monkeypatch, tmp_path: Path) -> None:
    """A STRATEGY_CHAT_LOADER_* variable set in the process changes nothing unless the entry point builds
    Settings from it: a text file above the inline size is read in this process when isolation is off
    in the settings passed, and the environment's "1" does not switch it back on."""
    import ingest.load.isolation as isolation
    monkeypatch.setenv("STRATEGY_CHAT_LOADER_ISOLATION", "1")
    monkeypatch.setenv("STRATEGY_CHAT_LOADER_INLINE_TEXT_BYTES", "10")
    big = tmp_path / "muistio.txt"
    big.write_text("Kaupunginhallitus hyväksyi digiohjelman. " * 10, encoding="utf-8")  # 420 bytes
    assert not isolation.runs_isolated(big)  # the default: 1 MB inline, not the environment's 10 bytes
    assert isolation.runs_isolated(big, IsolationSettings(inline_text_bytes=10))
    off = Settings.from_env({"STRATEGY_CHAT_LOADER_ISOLATION": "0"}).isolation
    assert not isolation.runs_isolated(big, off)

"""Careless and hostile input at the edges (issue 15, items 1, 6, 7): environment booleans, date
filters, invalid UTF-8 on `ask`'s stdin, names `status` prints, half-written generations."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from assistant.retrieval.search import FilterError, Filters
from cli.main import main
from config import Settings
from ingest.pipeline import build_index
from ingest.store import CURRENT, Index, read_manifest

from .fake_embeddings import FakeEmbeddings


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "Yes", "on", " ON "])
def test_public_only_true_spellings(raw: str) -> None:
    assert Settings.from_env({"STRATEGY_CHAT_PUBLIC_ONLY": raw}).public_only is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "NO", "off"])
def test_public_only_false_spellings(raw: str) -> None:
    assert Settings.from_env({"STRATEGY_CHAT_PUBLIC_ONLY": raw}).public_only is False


@pytest.mark.parametrize("raw", ["maybe", "2", "ture", "y", "enabled", "-1", " "])
def test_public_only_anything_else_is_refused_in_one_line(raw: str) -> None:
    """Was: anything but 1/true/yes/on read as false — a typo served internal documents."""
    with pytest.raises(ValueError) as caught:
        Settings.from_env({"STRATEGY_CHAT_PUBLIC_ONLY": raw})
    message = str(caught.value)
    assert "\n" not in message and "STRATEGY_CHAT_PUBLIC_ONLY" in message and "true/false" in message


def test_the_cli_refuses_to_start_on_a_bad_boolean(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("STRATEGY_CHAT_PUBLIC_ONLY", "maybe")
    assert main(["status", "--index", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "STRATEGY_CHAT_PUBLIC_ONLY" in err[0]


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024-06-01", "2024-06-01"), ("01.06.2024", "2024-06-01"), ("1.6.2024", "2024-06-01"),
    ("1. 6. 2024", "2024-06-01"), ("1/6 2024", "2024-06-01"), ("2024-6", "2024-06"), ("6.2024", "2024-06"),
    ("2024", "2024"), ("29.2.2024", "2024-02-29"),
])
def test_date_filters_accept_iso_and_finnish_swedish_dates(raw: str, iso: str) -> None:
    """Was: 01.06.2024 compared as a string (silently ignoring the filter)."""
    assert dict(Filters.parse({"date_from": raw}).values) == {"date_from": iso}
    assert dict(Filters.parse({"date_to": raw}).values) == {"date_to": iso}


@pytest.mark.parametrize("raw", ["2024-13-45", "31.2.2024", "29.2.2023", "0.0.2024", "kesäkuu", "24",
                                 "2024/06/01"])
def test_invalid_dates_are_refused_in_one_line(raw: str) -> None:
    """Was: 2024-13-45 silently filtered everything out."""
    with pytest.raises(FilterError) as caught:
        Filters.parse({"date_from": raw})
    assert "\n" not in str(caught.value) and "not a date" in str(caught.value)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inputs")
    docs = root / "docs"
    (docs / "internal").mkdir(parents=True)
    (docs / "julkinen.txt").write_text("Kunnanhallitus\nPöytäkirja\nKirjasto avataan kesäkuussa.\n",
                                       encoding="utf-8")
    (docs / "internal" / "salainen.txt").write_text("Salainen muistio\nKvasar maksaa paljon.\n",
                                                    encoding="utf-8")
    (docs / "pa\nha\u202etxt.txt").write_text("Outo nimi\nTeksti on tässä.\n", encoding="utf-8")
    build_index([docs], root / "index", FakeEmbeddings())
    return root / "index"


@pytest.mark.integration
def test_status_in_public_only_mode_lists_public_documents_escaped(small_index: Path, monkeypatch,
                                                                  capsys) -> None:
    monkeypatch.setenv("STRATEGY_CHAT_PUBLIC_ONLY", "yes")
    assert main(["status", "--index", str(small_index)]) == 0
    out = capsys.readouterr().out
    assert "salainen" not in out and "2 documents" in out  # julkinen.txt and the odd name
    assert "\u202e" not in out and "pa\\nha\\u202etxt.txt" in out
    monkeypatch.setenv("STRATEGY_CHAT_PUBLIC_ONLY", "no")
    assert main(["status", "--index", str(small_index)]) == 0
    assert "salainen.txt" in capsys.readouterr().out


@pytest.mark.integration
def test_invalid_utf8_on_stdin_costs_only_its_own_question(small_index: Path, monkeypatch, capsys) -> None:
    """Was: a traceback after the first answer, and the rest of the batch unanswered."""
    import assistant.pipeline as api
    monkeypatch.setattr(api, "make_embeddings", lambda *a, **k: FakeEmbeddings())
    raw = b"Milloin kirjasto avataan?\nMit\xe4 \xff\xfe p\xe4\xe4tettiin?\n"
    raw += "Vem ansvarar för biblioteket?\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert main(["ask", "--json", "--index", str(small_index)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["question"] for a in answers] == [
        "Milloin kirjasto avataan?", "Mit\ufffd \ufffd\ufffd p\ufffd\ufffdtettiin?",
        "Vem ansvarar för biblioteket?",
    ]


@pytest.mark.integration
def test_half_written_generations_go_at_the_next_start(small_index: Path, tmp_path: Path) -> None:
    """Was: a killed write's folder stayed until the next successful ingest."""
    index = tmp_path / "index"
    shutil.copytree(small_index, index, ignore=shutil.ignore_patterns(".lock"))
    live = (index / CURRENT).read_text(encoding="utf-8").strip()
    debris = index / "g20991231235959-abcdef"
    (debris / "chroma").mkdir(parents=True)  # what a write killed before its manifest leaves
    (debris / "chunks.jsonl").write_text("{}\n", encoding="utf-8")
    Index.open(index).close()  # a reader starting while no ingest runs clears it
    assert not debris.exists() and (index / live).exists()
    (debris / "chroma").mkdir(parents=True)
    report = build_index([], index, FakeEmbeddings())  # so does the next writer, even one with no work
    assert report.generation is None and not debris.exists()
    assert read_manifest(index).generation == live


def test_the_converted_model_folder_comes_from_configuration_not_the_current_directory(
        tmp_path: Path, monkeypatch) -> None:
    """Was: `.models/` under the current directory — run from elsewhere, another 466 MB copy was made."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "STRATEGY_CHAT_INDEX_DIR": str(tmp_path / "index")}
    first = Settings.from_env(env).embedding_model
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env(env).embedding_model == first  # wherever it runs from
    assert first is not None and not first.startswith(str(tmp_path / ".models"))
    chosen = Settings.from_env({**env, "STRATEGY_CHAT_MODELS_DIR": str(tmp_path / "m")}).embedding_model
    assert chosen == str(tmp_path / "m" / "multilingual-e5-small-st")
    assert Settings.from_env({**env, "STRATEGY_CHAT_EMBEDDING_BACKEND": "e5-bundled"}).embedding_model is None
    assert Settings.from_env({**env, "STRATEGY_CHAT_EMBEDDING_MODEL": "x/y"}).embedding_model == "x/y"


@pytest.mark.integration
def test_an_index_of_another_model_keeps_auto_s_model_setting_alone(small_index: Path) -> None:
    """"auto" on an index of another model: the model setting names that model, so none is filled in."""
    assert Settings.from_env({"STRATEGY_CHAT_INDEX_DIR": str(small_index)}).embedding_model is None

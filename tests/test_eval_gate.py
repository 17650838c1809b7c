"""The CI gate of issue 5: the corpus gold set, scored on a fresh index, must stay above the
thresholds in evaluation/thresholds.json (set a few points under the measured figures)."""

from __future__ import annotations

from pathlib import Path

from assistant.api import Assistant
from assistant.config import Settings
from evaluation.run import run_eval
from evaluation.thresholds import check_thresholds, load_thresholds

REPO = Path(__file__).resolve().parent.parent


def test_corpus_gold_set_meets_the_thresholds(corpus_index: Path, embeddings) -> None:
    settings = Settings(index_dir=corpus_index)

    def _warm(s: Settings):
        assistant = Assistant(s, embeddings=embeddings)
        assistant.warm_up()
        return assistant.ask
    result = run_eval(
        REPO / "evaluation" / "goldsets" / "corpus.jsonl",
        settings,
        ["system"],
        ask_factory=_warm,
    )
    failures = check_thresholds(result, load_thresholds(REPO / "evaluation" / "thresholds.json"))
    assert not failures, "\n".join(failures)

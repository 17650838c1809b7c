"""The CI gate of issue 12: the held-out TEST split, scored on a fresh index of its own documents, must
stay above the test figures in evaluation/thresholds.json (set just under the measured run).

Only test is gated: dev is where rules are tuned, so a dev gate would reward tuning, not
generalising. Without ../shared/real the real documents' questions are skipped (with a warning) and the
rest is still gated.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from assistant.pipeline import Assistant
from config import Settings
from evaluation.split import missing_message
from evaluation.split_runs import run_splits
from evaluation.thresholds import THRESHOLDS_PATH, check_thresholds, load_thresholds


# Ingest of the test split (2 OCR'd PDFs, ~24 documents, ~390 chunks) takes ~1.5 min of CPU and the
# questions ~0.2-0.7 s each; the file's default 600 s is too tight on a shared 2-core machine.
@pytest.mark.integration
@pytest.mark.timeout(1800)
def test_test_split_meets_the_thresholds(tmp_path: Path, embeddings) -> None:
    def warm(settings: Settings):
        assistant = Assistant(settings, embeddings=embeddings)
        assistant.warm_up()
        return assistant.ask

    notes: list[str] = []
    # The shipped step reads with the trained reader where the scorer abstains (~0.4 s a question here):
    # the gate scores the fixed 1-in-N sample of question groups its thresholds were measured on.
    sample = json.loads(THRESHOLDS_PATH.read_text(encoding="utf-8")).get("_sample")
    result = run_splits(["test"], Settings(), ["system"], index_dirs={"test": tmp_path / "index-test"},
                        ask_factory=warm, embeddings=embeddings, notify=notes.append, sample=sample)
    run = result.runs["test"]
    if run.documents.partial:
        warnings.warn(missing_message(run.documents) + " The gate checks the remaining questions.",
                      stacklevel=1)
    assert run.ingest["documents"] > 0, run.ingest["summary"]
    figures = run.result.figures("system")
    print(f"test split: {figures['n']} questions, answer accuracy {figures['answer_accuracy']}, "
          f"key facts {figures['key_fact_accuracy']}; {'; '.join(notes)}")
    failures = check_thresholds(run.result, load_thresholds(THRESHOLDS_PATH, split="test"))
    assert not failures, "\n".join(failures)

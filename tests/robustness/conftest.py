"""Shared pieces of the robustness suite: the figures it reports, loader limits for tests, helpers.

Every test adds what it tried (inputs, clients, kills) to `figures`; the totals are printed at the end
of the run under "robustness figures", so a report can quote them.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ingest.load.isolation import IsolationSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
# The loader bounds the fuzz tests hold every input to (the production defaults are 180 s and 2048 MB).
TEST_TIMEOUT_S = 20.0
TEST_MEMORY_MB = 768
SLACK_S = 10.0  # worker start-up and clean-up on top of the timeout

_FIGURES: dict[str, Counter] = defaultdict(Counter)


class Figures:
    """Counts per target ("fuzz pdf", "kill ingest" …) and outcome ("inputs", "skipped", "killed" …)."""

    def add(self, target: str, key: str, n: int = 1) -> None:
        _FIGURES[target][key] += n

    def peak(self, target: str, key: str, value: float) -> None:
        _FIGURES[target][key] = max(_FIGURES[target][key], value)


@pytest.fixture(scope="session")
def figures() -> Figures:
    return Figures()


@pytest.fixture()
def loader_bounds() -> IsolationSettings:
    """The loaders isolated with the test bounds, for the test to pass to `load_document(isolation=…)`."""
    return IsolationSettings(enabled=True, timeout_s=TEST_TIMEOUT_S, memory_mb=TEST_MEMORY_MB)


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python running this checkout (not an installed copy elsewhere)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def python() -> str:
    return sys.executable


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if not _FIGURES:
        return
    terminalreporter.section("robustness figures")
    for target in sorted(_FIGURES):
        parts = ", ".join(f"{key} {value:g}" for key, value in sorted(_FIGURES[target].items()))
        terminalreporter.write_line(f"{target}: {parts}")

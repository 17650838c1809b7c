"""CI gates: figures a run must reach, kept in thresholds.json next to this file.

Format: {split: {config: {scope: {"min": {figure: value}, "max": {figure: value}}}}}, scope being
`overall`, `language:fi` or `type:decision`, figure one of metrics.FIGURES. Only the held-out `test`
split is gated (dev is where one tunes, so a dev gate would only reward tuning). A file passed with
--thresholds for a single gold set may leave out the split level. A null value is not checked.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from .metrics import FIGURES
from .run import EvalResult

logger = logging.getLogger(__name__)

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"
GATED_SPLITS = ("test",)


def load_thresholds(path: str | Path = THRESHOLDS_PATH, split: str | None = None) -> dict:
    """{config: {scope: bounds}} of `split` (e.g. "test"), or of the whole file when it has no split
    level (a file for one gold set), without `_comment` keys."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if split is not None and isinstance(data.get(split), dict):
        data = data[split]
    elif split is not None and any(k in data for k in ("dev", "test")):
        return {}  # the file gates other splits only
    return {k: v for k, v in data.items() if not k.startswith("_")}


def check_thresholds(result: EvalResult, thresholds: Mapping) -> list[str]:
    """Every threshold the result misses, as one readable line each (empty list: all met).

    A configuration that was not run is skipped; a figure that could not be computed (None, e.g.
    abstention recall with no unanswerable questions in scope) counts as a failure.
    """
    failures: list[str] = []
    for config, scopes in thresholds.items():
        if config.startswith("_"):
            continue
        if config not in result.configs:
            logger.info("thresholds for %s skipped: configuration not run", config)
            continue
        for scope, bounds in scopes.items():
            if scope.startswith("_"):
                continue
            try:
                figures = result.figures(config, scope)
            except (KeyError, ValueError):
                failures.append(f"{config} {scope}: unknown scope (use overall, language:xx, type:xx)")
                continue
            for kind in ("min", "max"):
                for figure, limit in (bounds.get(kind) or {}).items():
                    if limit is None:
                        continue
                    if figure not in FIGURES:
                        failures.append(f"{config} {scope}: unknown figure {figure!r}")
                        continue
                    value = figures.get(figure)
                    if value is None:
                        failures.append(f"{config} {scope}: {figure} not measured (needs ≥ 1 question)")
                    elif (value < limit) if kind == "min" else (value > limit):
                        op = "≥" if kind == "min" else "≤"
                        failures.append(f"{config} {scope}: {figure} = {value:.3f}, required {op} {limit}")
    return failures

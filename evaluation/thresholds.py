"""CI gates: figures a run must reach, kept in thresholds.json next to this file.

Format: {config: {scope: {"min": {figure: value}, "max": {figure: value}}}}, scope being `overall`,
`language:fi` or `type:decision`, figure one of metrics.FIGURES. A null value is not checked, so the
placeholder file passes until someone fills in measured values.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from .goldset import GOLDSET_DIR, GoldSetError, resolve_goldset
from .metrics import FIGURES
from .run import EvalResult

logger = logging.getLogger(__name__)

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"
GATED_GOLDSET = GOLDSET_DIR / "corpus.jsonl"  # the gold set thresholds.json's figures were measured on


def default_thresholds(goldset: str | Path) -> Path | None:
    """thresholds.json for the gold set it was measured on; None for any other (its figures differ,
    so `make eval` over the test documents would fail on gates that were never meant for it)."""
    try:
        path = resolve_goldset(goldset).resolve()
    except GoldSetError:  # reported by the run itself
        return None
    return THRESHOLDS_PATH if path == GATED_GOLDSET.resolve() else None


def load_thresholds(path: str | Path = THRESHOLDS_PATH) -> dict:
    """The thresholds file without its `_comment` keys."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
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

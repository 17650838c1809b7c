"""Run a gold set through the QA core under several configurations and score every answer.

The core is reached through one call, `Assistant(settings).ask(question, filters)`, and scored only
on its `Answer.to_json()` dict (the `ask --json` contract), so the evaluation keeps working while the
internals change. The ask function is injectable: tests and dry runs pass a fake.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from config import Settings

from .goldset import load_goldset, resolve_goldset
from .metrics import breakdown, curves, score_question

logger = logging.getLogger(__name__)

# A configuration is a name and the Settings fields it overrides. `system` is what ships; the others
# are the baselines it has to beat.
CONFIGS: dict[str, dict[str, Any]] = {
    "system": {"retrieval_mode": "hybrid", "answerer": "scorer+reader"},
    "scorer": {"retrieval_mode": "hybrid", "answerer": "extractive"},
    "reader": {"retrieval_mode": "hybrid", "answerer": "reader"},
    # The reader answering everything: its records carry every best span and its probability, which
    # `strategy-chat train-reader --recalibrate` fits the calibration and threshold to (dev only).
    "reader-all": {"retrieval_mode": "hybrid", "answerer": "reader", "reader_threshold": 0.0},
    "dense": {"retrieval_mode": "dense", "answerer": "extractive"},
    "bm25": {"retrieval_mode": "keyword", "answerer": "extractive"},
    "naive": {"retrieval_mode": "hybrid", "answerer": "naive"},
}
BASELINE = "system"
# What `strategy-chat eval` runs unless told: the shipped answer step, the old scorer alone, the reader
# alone and the baselines ("reader-all" is the recalibration run's, asked for by name).
DEFAULT_CONFIGS = tuple(name for name in CONFIGS if name != "reader-all")

AskFn = Callable[[str, "dict | None"], Any]  # returns an Answer or its to_json() dict
AskFactory = Callable[[Settings], AskFn]


class AssistantFactory:
    """The real QA core: one Assistant per configuration, all sharing one embedding model (loading it
    is the slow part) as long as the configurations do not change the embedding settings."""

    def __init__(self) -> None:
        self._embeddings: dict[tuple, Any] = {}

    def embeddings_for(self, settings: Settings) -> Any:
        """The model for settings.index_dir (its own model, or the default for a new index), loaded
        once and shared with the Assistants, so ingesting a split's index costs no second load."""
        from ingest.embed import choose_backend, make_embeddings

        key = choose_backend(settings.embedding_backend, settings.embedding_model, settings.index_dir)
        if key not in self._embeddings:
            self._embeddings[key] = make_embeddings(
                settings.embedding_backend, settings.embedding_model, settings.index_dir)
        return self._embeddings[key]

    def __call__(self, settings: Settings) -> AskFn:
        from assistant.pipeline import Assistant  # imported late: the evaluation package loads without it
        from ingest.embed import choose_backend

        key = choose_backend(settings.embedding_backend, settings.embedding_model, settings.index_dir)
        assistant = Assistant(settings, embeddings=self._embeddings.get(key))
        self._embeddings.setdefault(key, assistant.embeddings)
        if not assistant.has_index():  # otherwise every question fails with the same error
            raise FileNotFoundError(f"no index in {settings.index_dir}: run `strategy-chat ingest` first")
        assistant.warm_up()  # latency is measured after load, as a user of a running app sees it

        def ask(question: str, filters: dict | None = None) -> Any:
            return assistant.ask(question, filters=filters)

        return ask


@dataclass
class ConfigResult:
    """One configuration's per-question records and its figures (overall / by_language / by_type)."""

    name: str
    overrides: dict[str, Any]
    records: list[dict]
    figures: dict
    curves: dict[str, list[dict]] = field(default_factory=dict)  # abstention vs confidence threshold

    def to_json(self) -> dict:
        return {"name": self.name, "overrides": self.overrides, "figures": self.figures,
                "curves": self.curves, "records": self.records}


@dataclass
class EvalResult:
    goldset: str
    started: str
    questions: int
    settings: dict[str, Any]
    configs: dict[str, ConfigResult] = field(default_factory=dict)

    def figures(self, config: str, scope: str = "overall") -> dict:
        """Figures of one config for `overall`, `language:fi` or `type:decision`."""
        figs = self.configs[config].figures
        if scope == "overall":
            return figs["overall"]
        kind, _, value = scope.partition(":")
        return figs[{"language": "by_language", "type": "by_type"}[kind]].get(value, {})

    def to_json(self) -> dict:
        return {"goldset": self.goldset, "started": self.started, "questions": self.questions,
                "settings": self.settings, "configs": {n: c.to_json() for n, c in self.configs.items()}}


def resolve_configs(configs: Sequence[str] | Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict]:
    """Names from CONFIGS (e.g. "system,dense"), or a mapping of name → Settings overrides."""
    if configs is None:
        return {k: dict(CONFIGS[k]) for k in DEFAULT_CONFIGS}
    if isinstance(configs, Mapping):
        chosen = {str(k): dict(v) for k, v in configs.items()}
    else:
        names = [n.strip() for item in configs for n in str(item).split(",") if n.strip()]
        unknown = [n for n in names if n not in CONFIGS]
        if unknown:
            raise ValueError(f"unknown configuration(s) {unknown}; known: {', '.join(CONFIGS)}")
        chosen = {n: dict(CONFIGS[n]) for n in names}
    known = {f.name for f in fields(Settings)}
    for name, overrides in chosen.items():
        if bad := set(overrides) - known:
            raise ValueError(f"configuration {name!r} sets unknown Settings fields {sorted(bad)}")
    if not chosen:
        raise ValueError("no configurations to run")
    return chosen


def _as_json(answer: Any) -> dict:
    data = answer.to_json() if hasattr(answer, "to_json") else answer
    if not isinstance(data, Mapping) or "answer" not in data or "abstained" not in data:
        raise TypeError(f"ask returned {type(answer).__name__}, not an Answer or its to_json() dict")
    data = dict(data)
    if "confidence" not in data and getattr(answer, "confidence", None) is not None:
        data["confidence"] = answer.confidence  # the answerer's probability, when it has one
    return data


def _public_settings(settings: Settings) -> dict[str, Any]:
    hidden = {"llm_api_key"}
    return {f.name: str(getattr(settings, f.name)) for f in fields(Settings) if f.name not in hidden}


def run_config(
    questions: Sequence[Mapping], ask: AskFn, progress: Callable[[str, int, int], None] | None = None,
    name: str = "",
) -> list[dict]:
    """Ask every question once and score it; a failing question is recorded, not fatal."""
    records = []
    for i, gold in enumerate(questions, 1):
        started = time.perf_counter()
        try:
            answer, error = _as_json(ask(gold["question"], gold.get("filters"))), None
        except Exception as exc:  # noqa: BLE001 - one broken question must not void the run
            logger.warning("%s: question %s failed: %s", name, gold["id"], exc)
            answer, error = {"answer": "", "abstained": False}, f"{type(exc).__name__}: {exc}"
        latency = (time.perf_counter() - started) * 1000
        records.append(score_question(gold, answer, latency_ms=round(latency, 2), error=error))
        if progress:
            progress(name, i, len(questions))
    return records


def run_eval(
    goldset_path: str | Path,
    settings: Settings,
    configs: Sequence[str] | Mapping[str, Mapping[str, Any]] | None = None,
    *,
    ask_factory: AskFactory | None = None,
    limit: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> EvalResult:
    """Score a gold set under each configuration (default: all of CONFIGS).

    `ask_factory(settings)` is called once per configuration with the base settings plus that
    configuration's overrides; every configuration reads the same index (`settings.index_dir`).
    """
    path = resolve_goldset(goldset_path)
    questions = load_goldset(path)[: limit or None]
    return run_questions(questions, settings, configs, ask_factory=ask_factory, progress=progress,
                         name=str(path))


def run_questions(
    questions: Sequence[Mapping],
    settings: Settings,
    configs: Sequence[str] | Mapping[str, Mapping[str, Any]] | None = None,
    *,
    ask_factory: AskFactory | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    name: str = "",
) -> EvalResult:
    """`run_eval` over questions already loaded (a split's gold set spans several files)."""
    chosen = resolve_configs(configs)
    factory = ask_factory or AssistantFactory()
    result = EvalResult(goldset=name, started=datetime.now(UTC).isoformat(timespec="seconds"),
                        questions=len(questions), settings=_public_settings(settings))
    for config, overrides in chosen.items():
        config_settings = replace(settings, **overrides)
        logger.info("configuration %s: %s", config, overrides)
        ask = factory(config_settings)
        records = run_config(questions, ask, progress, config)
        if records and all(r["error"] for r in records):
            logger.error("configuration %s: every question failed, e.g. %s", config, records[0]["error"])
        result.configs[config] = ConfigResult(config, overrides, records, breakdown(records), curves(records))
        del ask  # let the config's model go before the next one loads
    return result

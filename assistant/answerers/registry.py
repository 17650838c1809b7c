"""The answerer registry: a name from the settings → the answerer. Answerers turn a question and its
retrieved passages into an `Answer` (`answer_base.Answerer`)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answerers.base import Answerer, AnswerTools, NaiveAnswerer
from config import Settings

__all__ = ["ANSWERERS", "ANSWERER_FACTORIES", "Answerer", "AnswerTools", "NaiveAnswerer", "make_answerer"]

ANSWERERS = ("scorer+reader", "reader", "extractive", "naive", "openai", "ollama")


def _extractive(settings: Settings, tools: AnswerTools) -> Answerer:
    from assistant.answerers.extractive import (
        ExtractiveAnswerer,  # imported on use: it loads the scorer model file
    )

    answerer = ExtractiveAnswerer(prompts_dir=settings.prompts_dir)
    answerer.embed = tools.embed
    answerer.document_sections = tools.document_sections
    return answerer


def _reader(settings: Settings, tools: AnswerTools) -> Answerer:
    from assistant.answerers.reader import (
        load_reader_answerer,  # imported on use: it loads torch and the trained reader
    )

    answerer = load_reader_answerer(settings, tools.shared_encoder() if tools.shared_encoder else None)
    answerer.document_sections = tools.document_sections
    return answerer


def _scorer_then_reader(settings: Settings, tools: AnswerTools) -> Answerer:
    """The scorer now, the reader built in the background (it is needed only where the scorer abstains);
    the threshold from the reader's manifest, which is read at once (a missing reader says so here)."""
    from assistant.answerers.reader import (
        BackgroundLoad,
        ScorerThenReader,  # imported on use: it loads torch and the trained reader
    )
    from reader.model import MODELS_DIR, read_manifest

    manifest = read_manifest(settings.reader_model, settings.reader_dir or MODELS_DIR)
    threshold = settings.reader_fallback_threshold
    if threshold is None:
        threshold = manifest.fallback_threshold
    if threshold is None:
        threshold = settings.reader_threshold if settings.reader_threshold is not None else manifest.threshold
    reader = BackgroundLoad(lambda: _reader(settings, tools))  # type: ignore[arg-type, return-value]
    return ScorerThenReader(_extractive(settings, tools), reader, threshold,
                            scorer_threshold=manifest.scorer_threshold, prompts_dir=settings.prompts_dir)


def _llm(settings: Settings, tools: AnswerTools) -> Answerer:  # noqa: ARG001 - the LLM reads passages only
    from assistant.answerers.llm import LLMAnswerer  # the LLM extra stays optional

    return LLMAnswerer(settings)


# The one place an answerer is named: name → factory(settings). Adding one is an entry here.
ANSWERER_FACTORIES: dict[str, Callable[[Settings, AnswerTools], Answerer]] = {
    "scorer+reader": _scorer_then_reader,
    "reader": _reader,
    "extractive": _extractive,
    "naive": lambda settings, _tools: NaiveAnswerer(settings.prompts_dir),
    "openai": _llm,
    "ollama": _llm,
}


def make_answerer(settings: Settings, tools: AnswerTools | None = None) -> Answerer:
    factory = ANSWERER_FACTORIES.get(settings.answerer)
    if factory is None:
        raise ValueError(f"Unknown answerer {settings.answerer!r}; choose one of: {', '.join(ANSWERERS)}.")
    return factory(settings, tools or AnswerTools())

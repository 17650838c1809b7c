"""Extension points are registries in one place: every named backend has a factory, and an unknown
name is refused with the list of known ones."""

from __future__ import annotations

import pytest

from ingest.embed import AUTO, BACKEND_FACTORIES, BACKENDS, make_embeddings


def test_every_embedding_backend_but_auto_has_one_factory() -> None:
    assert set(BACKENDS) == {AUTO, *BACKEND_FACTORIES}


def test_an_unknown_embedding_backend_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="e5-bundled") as info:
        make_embeddings("word2vec")
    assert "word2vec" in str(info.value)


def test_sentence_transformers_without_a_model_says_how_to_set_one() -> None:
    with pytest.raises(ValueError, match="STRATEGY_CHAT_EMBEDDING_MODEL"):
        make_embeddings("sentence-transformers", None)


def test_every_answerer_has_one_factory_and_unknown_ones_are_refused() -> None:
    from assistant.answerers.registry import ANSWERER_FACTORIES, ANSWERERS, NaiveAnswerer, make_answerer
    from config import Settings

    assert set(ANSWERERS) == set(ANSWERER_FACTORIES)
    assert isinstance(make_answerer(Settings(answerer="naive")), NaiveAnswerer)
    with pytest.raises(ValueError, match="extractive"):
        make_answerer(Settings(answerer="gpt-9"))

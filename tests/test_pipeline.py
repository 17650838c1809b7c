"""The ingest pipeline and the generational store: incremental runs, model checks, bad input, interruption."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.embed import IndexEmbeddings
from ingest.pipeline import build_index
from ingest.store import CURRENT, Index, IndexNotFound, ModelMismatch, read_manifest

MINUTES = """Kaupunginhallitus 14.10.2024 § 188
Digiohjelman hyväksyminen
Valmistelija: tietohallintopäällikkö Anna Esimerkki
Selostus
Digiohjelma ohjaa kaupungin palvelujen kehittämistä vuosina 2025–2027.
Päätösehdotus
Kaupunginhallitus hyväksyy digiohjelman.
Päätös
Hyväksyttiin yksimielisesti.
"""

NEWS = """Vasa stads digitala agenda klar
Stadsstyrelsen behandlar agendan på sitt möte den 12 maj. Agendan beskriver hur stadens e-tjänster utvecklas.
Mer information: digitaliseringschef Erik Exempel
"""


class Counting(IndexEmbeddings):
    """Wraps the real model and counts what it embeds, so a test can say "nothing was embedded"."""

    def __init__(self, inner: IndexEmbeddings, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


@pytest.fixture(scope="session")
def e5(embeddings) -> IndexEmbeddings:
    return embeddings  # conftest's: the default model, loaded once for the whole session


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh_2024_188.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "vasa_nyhet.txt").write_text(NEWS, encoding="utf-8")
    return folder


def test_second_run_embeds_nothing_and_an_edit_replaces_only_its_chunks(
    docs: Path, tmp_path: Path, e5
) -> None:
    index_dir = tmp_path / "index"
    model = Counting(e5)
    first = build_index([docs], index_dir, model)
    assert first.documents == 2 and first.chunks > 0
    # Every chunk is new on the first run, so each was embedded exactly once.
    assert model.embedded == first.embedded == first.chunks

    model.embedded = 0
    second = build_index([docs], index_dir, model)
    assert (second.embedded, model.embedded, second.unchanged, second.generation) == (0, 0, 2, None)

    before = read_manifest(index_dir)
    (docs / "vasa_nyhet.txt").write_text(NEWS + "Agendan antas i juni.\n", encoding="utf-8")
    third = build_index([docs], index_dir, model)
    after = read_manifest(index_dir)
    assert third.parsed == ["vasa_nyhet.txt"] and third.unchanged == 1
    # The untouched minutes keep exactly their chunk ids; the edited file's set changed.
    assert after.files["kh_2024_188.txt"].chunk_ids == before.files["kh_2024_188.txt"].chunk_ids
    assert after.files["vasa_nyhet.txt"].chunk_ids != before.files["vasa_nyhet.txt"].chunk_ids
    # Only chunks whose text changed went to the model (at most all of the edited file's).
    assert 0 < model.embedded <= len(after.files["vasa_nyhet.txt"].chunk_ids)

    index = Index.open(index_dir, model_id=e5.model_id)
    assert index.store.count() == len(index.chunks) == after.chunk_count
    assert any("juni" in c.text for c in index.chunks)


def test_a_deleted_file_loses_its_chunks(docs: Path, tmp_path: Path, e5) -> None:
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, e5)
    (docs / "vasa_nyhet.txt").unlink()
    report = build_index([docs], index_dir, e5)
    assert report.removed == ["vasa_nyhet.txt"] and report.documents == 1
    index = Index.open(index_dir)
    assert {c.source for c in index.chunks} == {"kh_2024_188.txt"}
    assert index.store.count() == len(index.chunks)


def test_files_outside_the_run_are_left_alone(docs: Path, tmp_path: Path, e5) -> None:
    index_dir = tmp_path / "index"
    build_index([docs / "kh_2024_188.txt"], index_dir, e5)
    report = build_index([docs / "vasa_nyhet.txt"], index_dir, e5)
    assert report.documents == 2 and report.removed == []


def test_another_model_is_refused(docs: Path, tmp_path: Path, e5) -> None:
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, e5)
    with pytest.raises(ModelMismatch, match=f"was built with {re.escape(e5.model_id)}"):
        build_index([docs], index_dir, Counting(e5, model_id="sentence-transformers:other"))
    with pytest.raises(ModelMismatch, match="rebuild it"):
        Index.open(index_dir, model_id="sentence-transformers:other")


def test_missing_index_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match=r"run `strategy-chat ingest corpus"):
        Index.open(tmp_path / "nowhere")


def test_bad_files_are_skipped_with_a_reason_and_the_rest_ingests(docs: Path, tmp_path: Path, e5) -> None:
    (docs / "empty.txt").write_text("   \n", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    report = build_index([docs, tmp_path / "missing.pdf"], tmp_path / "index", e5)
    reasons = {Path(name).name: reason for name, reason in report.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "missing.pdf"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert report.documents == 2


def test_an_interrupted_ingest_leaves_the_previous_index_usable(docs: Path, tmp_path: Path, e5) -> None:
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, e5)
    live = (index_dir / CURRENT).read_text()
    chunks_before = read_manifest(index_dir).chunk_count

    class Failing(Counting):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise KeyboardInterrupt  # the user pressed Ctrl-C while vectors were being made

    (docs / "third.txt").write_text("Uusi asiakirja digitaalisista palveluista.\n" * 5, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index([docs], index_dir, Failing(e5))
    assert (index_dir / CURRENT).read_text() == live
    assert len(Index.open(index_dir).chunks) == chunks_before

    report = build_index([docs], index_dir, e5)  # the next run completes the work and clears debris
    assert report.documents == 3
    generations = [p for p in index_dir.iterdir() if p.is_dir()]
    assert all((p / "manifest.json").exists() for p in generations)


def test_chunk_metadata_reaches_the_store(docs: Path, tmp_path: Path, e5) -> None:
    build_index([docs], tmp_path / "index", e5)
    index = Index.open(tmp_path / "index")
    chunk = next(c for c in index.chunks if c.source == "kh_2024_188.txt")
    got = index.store.metadatas([chunk.id])[0]
    for key in ("source", "document_title", "section", "language", "doc_type", "chunk_index", "content_hash"):
        assert got[key] == getattr(chunk, key), key
    assert got["visibility"] == "public"


def test_sidecar_metadata_and_internal_folder(tmp_path: Path, e5) -> None:
    folder = tmp_path / "docs" / "internal"
    folder.mkdir(parents=True)
    (folder / "memo.txt").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "docs" / "open.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "docs" / "open.txt.meta.json").write_text('{"municipality": "Vasa"}', encoding="utf-8")
    build_index([tmp_path / "docs"], tmp_path / "index", e5)
    by_source = {c.source: c for c in Index.open(tmp_path / "index").chunks}
    assert by_source["memo.txt"].extra["visibility"] == "internal"
    assert by_source["open.txt"].municipality == "Vasa"

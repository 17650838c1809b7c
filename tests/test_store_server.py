"""The generational store in both modes: embedded, and a real Chroma server on loopback (`chroma run`,
one per module).

The same tests run in both modes (build, incremental re-ingest embeds nothing, an edit replaces only
its chunks, a deleted file loses them, `ask` answers, filtered or not), plus what only a server has: one
collection per generation with old ones dropped, and a server that goes away and comes back while the
app runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from chroma_server import ChromaServer, ChromaServerUnavailable, chroma_binary

from assistant.pipeline import Assistant
from config import Settings
from ingest.embed import IndexEmbeddings
from ingest.pipeline import build_index
from ingest.store import ChromaTarget, ChromaUnavailable, Index, read_manifest

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
    """Wraps the real model and counts the passages it embeds."""

    def __init__(self, inner: IndexEmbeddings) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    if chroma_binary() is None:
        pytest.skip("the `chroma` command is not installed (it comes with chromadb); server tests skipped")
    try:
        chroma = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data").start()
    except ChromaServerUnavailable as exc:
        pytest.skip(f"could not start a Chroma server on loopback: {exc}")
    try:
        yield chroma
    finally:
        chroma.stop()


@pytest.fixture()
def target(server: ChromaServer) -> ChromaTarget:
    server.start()  # a test that stopped it may have failed before restarting it
    return ChromaTarget(server.host, server.port)


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest) -> ChromaTarget:
    """Either store mode: the embedded PersistentClient (no host) or the loopback server."""
    if request.param == "embedded":
        return ChromaTarget()
    return request.getfixturevalue("target")


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh_2024_188.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "vasa_nyhet.txt").write_text(NEWS, encoding="utf-8")
    return folder


def _collections(target: ChromaTarget, index_dir: Path) -> set[str]:
    """Names of this index's collections on the server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=target.host, port=target.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    tag = f"-{index_dir.name}-"
    return {c.name for c in client.list_collections() if tag in c.name}


def test_build_reingest_edit_and_delete(docs: Path, tmp_path: Path, store: ChromaTarget, embeddings) -> None:
    target = store
    index_dir = tmp_path / "srvindex"
    model = Counting(embeddings)
    first = build_index([docs], index_dir, model, chroma=target)
    manifest = read_manifest(index_dir)
    if target.host:
        assert (manifest.chroma_host, manifest.chroma_port) == (target.host, target.port)
        assert not (index_dir / manifest.generation / "chroma").exists()  # the vectors live on the server
    else:
        assert manifest.chroma_host is None and (index_dir / manifest.generation / "chroma").is_dir()
    assert model.embedded == first.chunks > 0
    index = Index.open(index_dir)  # the manifest says where: no target needed
    assert index.store.count() == first.chunks
    assert index.target == target or not target.host

    model.embedded = 0
    second = build_index([docs], index_dir, model, chroma=target)
    assert (second.embedded, model.embedded, second.generation) == (0, 0, None)

    before = read_manifest(index_dir)
    (docs / "vasa_nyhet.txt").write_text(NEWS + "Agendan antas i juni.\n", encoding="utf-8")
    third = build_index([docs], index_dir, model, chroma=target)
    after = read_manifest(index_dir)
    assert third.parsed == ["vasa_nyhet.txt"] and 0 < model.embedded <= len(
        after.files["vasa_nyhet.txt"].chunk_ids
    )
    assert after.files["kh_2024_188.txt"].chunk_ids == before.files["kh_2024_188.txt"].chunk_ids
    index = Index.open(index_dir, model_id=embeddings.model_id)
    assert index.store.count() == len(index.chunks) == after.chunk_count
    assert any("juni" in c.text for c in index.chunks)

    (docs / "vasa_nyhet.txt").unlink()
    fourth = build_index([docs], index_dir, model, chroma=target)
    assert fourth.removed == ["vasa_nyhet.txt"]
    index = Index.open(index_dir)
    assert {c.source for c in index.chunks} == {"kh_2024_188.txt"}
    assert index.store.count() == len(index.chunks)

    # Three generations were written; the store keeps the live one and the one before it.
    generations = [p for p in index_dir.iterdir() if p.is_dir()]
    assert len(generations) == 2
    if target.host:
        live = {read_manifest(index_dir).collection}
        assert live <= _collections(target, index_dir) and len(_collections(target, index_dir)) == 2


def test_a_half_written_generation_leaves_no_collection_behind(
    docs: Path, tmp_path: Path, target: ChromaTarget, embeddings
) -> None:
    index_dir = tmp_path / "halfindex"
    build_index([docs], index_dir, embeddings, chroma=target)

    class Failing(Counting):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise KeyboardInterrupt

    (docs / "third.txt").write_text("Uusi asiakirja digitaalisista palveluista.\n" * 5, encoding="utf-8")
    shutil.copy(docs / "third.txt", docs / "fourth.txt")
    with pytest.raises(KeyboardInterrupt):
        build_index([docs], index_dir, Failing(embeddings), chroma=target)
    for _ in range(3):  # enough generations for the debris to be collected
        (docs / "third.txt").write_text((docs / "third.txt").read_text() + "Lisäys.\n", encoding="utf-8")
        build_index([docs], index_dir, embeddings, chroma=target)
    generations = [p for p in index_dir.iterdir() if p.is_dir()]
    assert len(generations) == 2 and all((p / "manifest.json").exists() for p in generations)
    assert len(_collections(target, index_dir)) == 2


def test_an_embedded_index_moves_to_the_server_on_ingest(
    docs: Path, tmp_path: Path, target: ChromaTarget, embeddings
) -> None:
    index_dir = tmp_path / "movedindex"
    build_index([docs], index_dir, embeddings)
    model = Counting(embeddings)
    report = build_index([docs], index_dir, model, chroma=target)
    assert report.generation is not None and model.embedded == 0  # vectors travel, nothing re-embedded
    index = Index.open(index_dir)
    assert index.target == target and index.store.count() == len(index.chunks)


def test_ask_answers_from_either_store(docs: Path, tmp_path: Path, store: ChromaTarget, embeddings) -> None:
    target = store
    index_dir = tmp_path / "askindex"
    build_index([docs], index_dir, embeddings, chroma=target)
    settings = Settings(index_dir=index_dir, chroma_host=target.host, chroma_port=target.port,
                        answerer="extractive")
    answer = Assistant(settings, embeddings=embeddings).ask("Mitä kaupunginhallitus päätti digiohjelmasta?")
    assert not answer.abstained and answer.citations
    assert answer.citations[0].chunk.source == "kh_2024_188.txt"
    filtered = Assistant(settings, embeddings=embeddings).ask(
        "Mitä kaupunginhallitus päätti digiohjelmasta?", filters={"source": "vasa_nyhet.txt"}
    )
    assert filtered.passages and all(p.chunk.source == "vasa_nyhet.txt" for p in filtered.passages)


def test_a_server_restart_is_a_clear_error_then_recovers_without_restarting_the_app(
    docs: Path, tmp_path: Path, server: ChromaServer, target: ChromaTarget, embeddings
) -> None:
    index_dir = tmp_path / "restartindex"
    build_index([docs], index_dir, embeddings, chroma=target)
    settings = Settings(index_dir=index_dir, chroma_host=target.host, chroma_port=target.port,
                        answerer="extractive")
    assistant = Assistant(settings, embeddings=embeddings)
    question = "Mitä kaupunginhallitus päätti digiohjelmasta?"
    expected = assistant.ask(question).text

    server.stop()
    try:
        unreachable = rf"Chroma server at {target.host}:{target.port} is not reachable"
        with pytest.raises(ChromaUnavailable, match=unreachable):
            assistant.ask(question)
        with pytest.raises(ChromaUnavailable, match="is not reachable"):  # an app started meanwhile
            Assistant(settings, embeddings=embeddings).ask(question)
    finally:
        server.start()
    assert assistant.ask(question).text == expected  # same Assistant, no restart
    assert Assistant(settings, embeddings=embeddings).ask(question).text == expected


def test_one_function_chooses_the_backend_and_both_speak_one_interface(tmp_path: Path) -> None:
    """`backend_for`: a target with a host is a Chroma server (a collection per generation, named after
    the index folder), without one the embedded store (a folder per generation); reader and writer see
    only `Backend` and `VectorStore`."""
    from ingest.store.backends import backend_for
    from ingest.store.backends.local import LocalChroma
    from ingest.store.backends.server import ChromaServer as ServerBackend

    local, server = backend_for(ChromaTarget()), backend_for(ChromaTarget("127.0.0.1", 8123))
    assert isinstance(local, LocalChroma) and isinstance(server, ServerBackend)
    assert local.collection_name(tmp_path, "g1") == local.collection_name(tmp_path, "g2")
    name = server.collection_name(tmp_path / "index", "g1")
    assert name.endswith("-g1") and "-index-" in name and name != server.collection_name(tmp_path / "b", "g1")
    for backend in (local, server):
        assert all(callable(getattr(backend, m)) for m in ("open", "create", "drop", "close"))

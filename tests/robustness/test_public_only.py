"""Public-only access: an app (or `Assistant`) started with STRATEGY_CHAT_PUBLIC_ONLY=1 never retrieves,
cites or lists internal documents — not in answers, abstentions, the document list, the filter choices,
the reader, the status counts, the first-run message or the duplicate check of uploads.

Internal documents: one under a folder named `internal/`, one marked by a sidecar NAME.meta.json.
Each carries words found nowhere else, which must appear nowhere in anything the app shows.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from assistant.pipeline import Assistant
from config import Settings
from ingest.pipeline import build_index
from ingest.store import read_manifest
from webapp.indexing import documents, visible_stats

from .conftest import REPO

APP = str(REPO / "app.py")
PUBLIC = REPO / "corpus" / "000_e5c1d4be2fd5da2b.txt"  # Kaustinen board minutes (fi)
INTERNAL_FOLDER_DOC = """Hemligstads stad
Kommunstyrelsen
Protokoll

§ 91
Projekt Kvasar – hemlig upphandling av kvantdatorer
Dnr KS 2024/999

Ärendebeskrivning
Projekt Kvasar upphandlar kvantdatorer för Hemligstad. Zyxwvut-avtalet omfattar 3,7 miljoner euro.

Förslag till beslut
Kommunstyrelsen godkänner projekt Kvasar.

Beslut
Förslaget godkänns.
"""
INTERNAL_SIDECAR_DOC = """# Salainen muistio Qwertyuiop

Sisäinen muistio: Qwertyuiop-hankkeen budjetti on 12 miljoonaa euroa ja vastuuhenkilö on Ääkkönen Öhlund.
Vastuutaho: Qwertyuiop-työryhmä
"""
# Words of the internal documents that no question below uses (so a page showing the question is fine).
SECRETS = ("Hemligstad", "Zyxwvut", "kvantdator", "Öhlund", "Ääkkönen", "internal.txt", "memo.md", "Salainen",
           "3,7 miljoner", "12 miljoonaa")
ASKED_ABOUT = ("Kvasar", "Qwertyuiop")  # named in questions: never in an answer


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("access") / "docs"
    (folder / "internal").mkdir(parents=True)
    shutil.copy(PUBLIC, folder / "kaustinen.txt")
    (folder / "kaustinen.txt.meta.json").write_text(json.dumps({"municipality": "Kaustinen"}))
    (folder / "internal" / "internal.txt").write_text(INTERNAL_FOLDER_DOC, encoding="utf-8")
    (folder / "internal" / "internal.txt.meta.json").write_text(json.dumps({"municipality": "Hemligstad"}))
    (folder / "memo.md").write_text(INTERNAL_SIDECAR_DOC, encoding="utf-8")
    sidecar = {"visibility": "internal", "municipality": "Salainen"}
    (folder / "memo.md.meta.json").write_text(json.dumps(sidecar))
    return folder


@pytest.fixture(scope="module")
def index_dir(corpus: Path, tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    target = tmp_path_factory.mktemp("access-index") / "index"
    report = build_index([corpus], target, embeddings)
    assert report.documents == 3, report.summary()
    files = read_manifest(target).files
    assert {s: e.visibility for s, e in files.items()} == {
        "kaustinen.txt": "public", "internal.txt": "internal", "memo.md": "internal"}
    return target


QUESTIONS = [
    "Mitä projekti Kvasar maksaa?",
    "Vad beslutade kommunstyrelsen om projekt Kvasar?",
    "Kuka vastaa Qwertyuiop-hankkeesta?",
    "Mikä on Qwertyuiop-hankkeen budjetti?",
    "Kuka vastasi digistrategian koordinoinnista?",
]


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in text.casefold()]


# --------------------------------------------------------------------------------------- the ask API


def test_ask_never_retrieves_or_cites_internal_documents(index_dir: Path, embeddings, figures) -> None:
    public = Assistant(replace(Settings(), index_dir=index_dir, public_only=True, answerer="extractive"),
                       embeddings=embeddings)
    everyone = Assistant(replace(Settings(), index_dir=index_dir, answerer="extractive"),
                         embeddings=embeddings)
    assert any(p.chunk.source == "internal.txt" for p in everyone.ask(QUESTIONS[0]).passages)  # it is there
    for question in QUESTIONS:
        for filters in (None, {"source": "internal.txt"}, {"visibility": "internal"},
                        {"municipality": "Hemligstad"}, {"source": "memo.md"}):
            answer = public.ask(question, filters)
            sources = {p.chunk.source for p in answer.passages} | {c.chunk.source for c in answer.citations}
            assert sources <= {"kaustinen.txt"}, (question, filters, sources)
            assert not leaks(answer.text) and not any(w in answer.text for w in ASKED_ABOUT), answer.text
            assert all(p.chunk.extra.get("visibility", "public") == "public" for p in answer.passages)
            figures.add("public-only", "questions asked")


def test_lists_and_counts_leave_internal_documents_out(index_dir: Path) -> None:
    assert [d.source for d in documents(index_dir, public_only=True)] == ["kaustinen.txt"]
    shown, all_ = visible_stats(index_dir, public_only=True), visible_stats(index_dir)
    manifest = read_manifest(index_dir)
    assert shown.documents == 1 and all_.documents == 3
    assert shown.chunks == len(manifest.files["kaustinen.txt"].chunk_ids) < all_.chunks


# --------------------------------------------------------------------------------------- the app


def make_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, index_dir: Path, corpus: Path) -> AppTest:
    env = {
        "INDEX_DIR": index_dir, "CORPUS_DIR": corpus, "UPLOAD_DIR": tmp_path / "uploads",
        "FEEDBACK_LOG": tmp_path / "feedback.jsonl", "ANSWERER": "extractive", "PUBLIC_ONLY": "1",
        "CONVERSATIONS_DB": tmp_path / "conversations.sqlite",
    }
    for key, value in env.items():
        monkeypatch.setenv(f"STRATEGY_CHAT_{key}", str(value))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["ui_lang"] = "en"
    return at


def shown_text(at: AppTest) -> str:
    """Everything the app put on the page (main, sidebar, dialogs): each element's protobuf as text."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_public_app_shows_nothing_internal(monkeypatch, tmp_path, index_dir, corpus, figures) -> None:
    at = make_app(monkeypatch, tmp_path, index_dir, corpus)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    documents_metric, chunks_metric = (m.value for m in at.sidebar.metric)
    manifest = read_manifest(index_dir)
    assert documents_metric == "1" and chunks_metric == str(len(manifest.files["kaustinen.txt"].chunk_ids))
    assert at.selectbox(key="filter_municipality_en").options == ["All", "Kaustinen"]
    assert at.selectbox(key="filter_language_en").options == ["All", "Finnish"]
    assert len(at.selectbox(key="filter_doc_type_en").options) == 2  # "All" and the public one's kind
    assert "(1)" in shown_text(at)  # the document list's expander: one document
    for question in QUESTIONS:
        at.chat_input(key="question").set_value(question).run()
        assert not at.exception, [e.value for e in at.exception]
    readers = [b.key for b in at.button if (b.key or "").startswith(("open_", "handling_"))]
    assert readers
    for key in readers:  # open every reader the page offers (cards, closest passages, a matter's steps)
        at.button(key=key).click().run()
        assert not at.exception
    page = shown_text(at)
    assert "Kaustinen" in page
    assert not leaks(page), leaks(page)
    figures.add("public-only", "app pages checked", 1 + len(QUESTIONS))


def test_public_app_first_run_counts_only_public(monkeypatch, tmp_path, corpus, embeddings) -> None:
    at = make_app(monkeypatch, tmp_path, tmp_path / "fresh-index", corpus)
    at.run()  # the first build starts in the background; the page says so, naming nothing internal
    assert not at.exception, [e.value for e in at.exception]
    assert not leaks(shown_text(at))
    assert at.session_state["first_build"].wait(120), "the first build did not finish"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Index ready: 1 documents"), at.success[0].value
    assert not leaks(shown_text(at))


def test_public_upload_of_an_internal_documents_bytes_names_nothing(monkeypatch, tmp_path, index_dir,
                                                                   corpus, copy_index) -> None:
    at = make_app(monkeypatch, tmp_path, copy_index(index_dir), corpus)
    at.run()
    upload = ("copy.txt", INTERNAL_FOLDER_DOC.encode(), "text/plain")
    at.file_uploader(key="uploader_0").set_value(upload).run()
    at.button(key="upload_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]  # not "already in the index as …"
    # a public-only app stores every upload under a content-hashed name (NAME-<sha256[:8]>.ext), so whether
    # a name is taken by an internal document never shows
    added = at.sidebar.success[0].value
    assert added.startswith("copy-") and ".txt: added" in added, added
    assert "internal.txt" not in shown_text(at)


def test_control_without_public_only_they_are_listed(monkeypatch, tmp_path, index_dir, corpus) -> None:
    """The check above can see a leak: without public-only the internal documents are on the page."""
    at = make_app(monkeypatch, tmp_path, index_dir, corpus)
    monkeypatch.setenv("STRATEGY_CHAT_PUBLIC_ONLY", "0")
    at.run()
    assert not at.exception
    assert at.sidebar.metric[0].value == "3"
    assert {"internal.txt", "memo.md", "Hemligstad"} <= set(leaks(shown_text(at)))

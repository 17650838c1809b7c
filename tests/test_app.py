"""The Streamlit app, driven with AppTest: answers with cards, abstention, follow-ups, filters, uploads,
first run, feedback, interface language; and the escaping/highlighting helpers it renders with."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import markdown_it
import pytest
from streamlit.testing.v1 import AppTest

from ingest.records import Chunk
from webapp.render import (
    answer_markdown,
    escape_html,
    escape_markdown,
    facts_markdown,
    format_date,
    join_chunks,
    section_html,
)
from webapp.ui import language_from_locale, ui_texts

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
TIMEOUT = 120  # seconds per script run: the first one loads the model, some build an index
OWNER_QUESTION = "Kuka vastasi digistrategian koordinoinnista?"


def make_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, index_dir: Path, corpus_dir: Path) -> AppTest:
    """The app with its settings pointed at test folders (Settings.from_env reads STRATEGY_CHAT_*)."""
    env = {
        "INDEX_DIR": index_dir,
        "CORPUS_DIR": corpus_dir,
        "UPLOAD_DIR": tmp_path / "uploads",
        "FEEDBACK_LOG": tmp_path / "feedback.jsonl",
        "ANSWERER": "extractive",
    }
    for key, value in env.items():
        monkeypatch.setenv(f"STRATEGY_CHAT_{key}", str(value))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["ui_lang"] = "en"
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def turns(at: AppTest) -> list[dict]:
    return at.session_state["turns"]


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def markdown_values(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


@pytest.fixture()
def app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> AppTest:
    at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------ the app


def test_question_with_citations_and_reader(app: AppTest) -> None:
    ask(app, OWNER_QUESTION)
    answer = turns(app)[-1]["answer"]
    assert not answer.abstained and answer.citations, answer.text
    first = answer.citations[0]
    # [n] markers in bold in the answer text
    assert any("**\\[1\\]**" in v for v in markdown_values(app))
    # one card per citation: title, municipality and section, the quote marked inside its section text
    assert any(escape_markdown(first.chunk.document_title) in v for v in markdown_values(app))
    captions = [c.value for c in app.caption]
    assert any("Municipality: Kaustinen" in c and "Section:" in c for c in captions), captions
    marked = [b for b in html_bodies(app) if "<mark" in b]
    assert len(marked) == len(answer.citations)
    assert escape_html(first.quote) in marked[0]
    # the section reader: the whole section in a dialog, the quote still marked
    app.button(key="open_0_1_c").click().run()
    assert not app.exception
    assert any(v.startswith("**Cited section:") for v in markdown_values(app))
    assert len([b for b in html_bodies(app) if "<mark" in b]) == len(answer.citations) + 1
    # the sidebar: answerer and index status
    documents, chunks = (m.value for m in app.sidebar.metric)
    assert documents == "2" and int(chunks) > 0
    assert any("extractive" in c.value for c in app.sidebar.caption)


def test_abstention_offers_closest_passages(app: AppTest) -> None:
    ask(app, "What is the best recipe for blueberry pancakes?")
    answer = turns(app)[-1]["answer"]
    assert answer.abstained, answer.text
    assert app.warning and "do not answer" in app.warning[0].value
    assert any("Closest passages" in c.value for c in app.caption)
    assert len(html_bodies(app)) == min(3, len(answer.passages))  # the closest passages, as cards
    assert app.button(key="open_0_1_p")  # each with its reader button
    assert not [b for b in html_bodies(app) if "<mark" in b]  # nothing is claimed as support


def test_followup_is_rewritten_and_shown(app: AppTest) -> None:
    ask(app, "Kuka vastasi digistrategian koordinoinnista Kaustisella?")
    assert turns(app)[0]["rewritten"] is None
    ask(app, "och i Bräcke?")
    turn = turns(app)[1]
    assert turn["rewritten"] == "Kuka vastasi digistrategian koordinoinnista Bräcke?"
    assert turn["answer"].rewritten_question == turn["rewritten"]
    shown = [c.value for c in app.caption if c.value.startswith("Searched for:")]
    assert shown == [f"Searched for: {escape_markdown(turn['rewritten'])}"]


def test_filters_apply_to_the_next_question(app: AppTest) -> None:
    municipality = app.selectbox(key="filter_municipality")
    assert municipality.options == ["All", "Bräcke", "Kaustinen"]  # choices come from the index
    assert app.selectbox(key="filter_language").options == ["All", "Finnish", "Swedish"]
    municipality.set_value("Bräcke").run()
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    assert turn["filters"] == {"municipality": "Bräcke"}
    assert turn["answer"].passages and {p.chunk.municipality for p in turn["answer"].passages} == {"Bräcke"}
    assert any(c.value == "Filters: municipality=Bräcke" for c in app.caption)
    app.selectbox(key="filter_municipality").set_value("").run()
    ask(app, OWNER_QUESTION)
    assert turns(app)[-1]["filters"] == {}
    assert "Kaustinen" in {p.chunk.municipality for p in turns(app)[-1]["answer"].passages}


def test_date_range_filter(app: AppTest) -> None:
    dates = app.date_input(key="filter_dates")
    assert dates.value == ()  # no range until one is picked
    last = dates.max
    dates.set_value((last, last)).run()
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    assert turn["filters"] == {"date_from": last.isoformat(), "date_to": last.isoformat()}
    passages = turn["answer"].passages
    assert passages and {p.chunk.meeting_date for p in passages} == {last.isoformat()}


UPLOAD_TEXT = (
    "# Kuopion digitiekartta 2025\n\n"
    "Kuopion kaupungin digitiekartan toteutuksesta vastaa tietohallintojohtaja Maija Meikäläinen.\n"
    "Tiekartta hyväksyttiin kaupunginhallituksessa 3.2.2025.\n"
).encode()


def test_upload_accepted_and_rejected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path, copy_index
) -> None:
    index_dir = copy_index(two_doc_index)
    at = make_app(monkeypatch, tmp_path, index_dir, two_doc_corpus)
    at.run()
    at.file_uploader(key="uploader_0").set_value(
        [
            ("../../Kuopion digitiekartta.md", UPLOAD_TEXT, "text/markdown"),
            ("report.pdf", b"<html><body><p>not a PDF at all</p></body></html>", "application/pdf"),
        ]
    ).run()
    at.button(key="upload_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.sidebar.success) == 1
    assert at.sidebar.success[0].value.startswith("Kuopion digitiekartta.md: added, ")
    assert [e.value for e in at.sidebar.error] == [
        "report.pdf: rejected – the name says .pdf but the content is HTML"
    ]
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["Kuopion digitiekartta.md"]
    assert at.sidebar.metric[0].value == "3"
    ask(at, "Kuka vastaa Kuopion digitiekartan toteutuksesta?")
    answer = turns(at)[-1]["answer"]
    assert not answer.abstained, answer.text
    assert answer.citations[0].chunk.source == "Kuopion digitiekartta.md"
    # the same file again is a duplicate, and changes nothing
    at.file_uploader(key="uploader_1").set_value(("copy.md", UPLOAD_TEXT, "text/markdown")).run()
    at.button(key="upload_button").click().run()
    assert "already in the index as Kuopion digitiekartta.md" in at.sidebar.error[0].value
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["Kuopion digitiekartta.md"]


def test_first_run_builds_the_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "000_e5c1d4be2fd5da2b.txt", corpus)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "kuopio.md").write_bytes(UPLOAD_TEXT)
    index_dir = tmp_path / "index"
    at = make_app(monkeypatch, tmp_path, index_dir, corpus)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info] == [f"There is no index yet. Building it from {corpus}…"]
    assert at.success[0].value.startswith("Index ready: 2 documents")
    assert (index_dir / "CURRENT").exists()
    assert at.chat_input(key="question")  # ready for questions
    at.run()  # the next run opens the index it built
    assert not at.info and not at.success


def test_first_run_without_documents_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = make_app(monkeypatch, tmp_path, tmp_path / "index", tmp_path / "no-corpus")
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["The index is empty. Add documents in the sidebar."]
    assert at.file_uploader(key="uploader_0")  # documents can still be added


def test_feedback_is_logged(app: AppTest, tmp_path: Path) -> None:
    ask(app, OWNER_QUESTION)
    ask(app, "Entä milloin se hyväksyttiin?")
    app.feedback(key="feedback_0").set_value(1).run()
    app.button(key="feedback_send_0").click().run()
    app.feedback(key="feedback_1").set_value(0).run()
    app.text_input(key="feedback_comment_1").input("Väärä päivämäärä").run()
    app.button(key="feedback_send_1").click().run()
    assert not app.exception
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    keys = {"time", "question", "answer", "abstained", "citations", "filters", "rating", "comment"}
    assert all(set(r) == keys for r in records)
    up, down = records
    assert (up["rating"], up["comment"], up["question"]) == ("up", None, OWNER_QUESTION)
    assert up["citations"] and up["citations"][0]["source"] == "000_e5c1d4be2fd5da2b.txt"
    assert {"n", "source", "section", "page", "quote"} <= set(up["citations"][0])
    assert (down["rating"], down["comment"]) == ("down", "Väärä päivämäärä")
    assert down["question"] == turns(app)[1]["searched"] != "Entä milloin se hyväksyttiin?"
    assert [c.value for c in app.caption].count("Thank you for the feedback!") == 2


def test_interface_language(app: AppTest) -> None:
    assert app.title[0].value == "Ask the strategies and minutes"
    app.selectbox(key="ui_lang").set_value("sv").run()
    assert app.title[0].value == "Fråga om strategier och protokoll"
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # no browser locale here: Finnish
    assert fresh.title[0].value == ui_texts("fi", REPO / "prompts")["title"]


def test_language_from_locale_and_texts_complete() -> None:
    assert [language_from_locale(x) for x in ("sv-FI", "en_GB", "fi", "de-DE", None, "")] == [
        "sv",
        "en",
        "fi",
        "fi",
        "fi",
        "fi",
    ]
    table = json.loads((REPO / "prompts" / "ui.json").read_text(encoding="utf-8"))
    assert set(table["fi"]) == set(table["sv"]) == set(table["en"])
    for lang in table:
        assert set(table[lang]["reject_reasons"]) == set(table["en"]["reject_reasons"])


# ------------------------------------------------------------------ escaping and highlighting

NASTY = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** [link](http://evil.example) "
    ":red[red] $x^2$ _em_ `code` ~~gone~~ & &amp;\n# heading\n1. list\n- item\n    indented code\n"
    "> quote\n---"
)


def _render(markdown: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def test_escape_markdown_renders_document_text_literally() -> None:
    out = _render(escape_markdown(NASTY))
    for tag in (
        "<script",
        "<img",
        "<strong",
        "<em",
        "<a ",
        "<code",
        "<h1",
        "<ol",
        "<ul",
        "<pre",
        "<blockquote",
        "<hr",
        "<s>",
        "<del",
    ):
        assert tag not in out, tag
    text = html.unescape(out.replace("<p>", "").replace("</p>", "").replace("<br />", ""))
    assert text.split() == NASTY.split()  # every character still shown, as text


def test_answer_markers_bold_only_real_citations() -> None:
    out = answer_markdown("Päätettiin [1] ja [2]; katso [7] <b>x</b>", numbers=[1, 2])
    assert "**\\[1\\]**" in out and "**\\[2\\]**" in out
    assert "\\[7\\]" in out and "**\\[7\\]**" not in out
    assert "<b>" not in out and "&lt;b&gt;" in out


def _chunk(i: int, text: str, section: str = "§ 1 › Päätös") -> Chunk:
    return Chunk(
        id=f"doc.txt#{i}",
        text=text,
        source="doc.txt",
        document_title="Pöytäkirja <script>",
        chunk_index=i,
        content_hash="x",
        section=section,
        section_kind="decision",
        language="fi",
        doc_type="minutes",
        municipality="Kuopio",
        body="Kaupunginhallitus",
        meeting_date="2024-10-14",
        item="188",
        page=3,
    )


def test_section_highlight_marks_the_quote_and_escapes_the_rest() -> None:
    first = _chunk(0, "Kaupunginhallitus päätti <b>hyväksyä</b> digiohjelman. Lisäksi se päätti seurannasta.")
    overlap = "Lisäksi se päätti seurannasta."
    second = _chunk(1, overlap + " Vastuu & toteutus: tietohallinto.")
    text, starts = join_chunks([second, first])
    assert text.count(overlap) == 1 and starts[second.id] == text.index(overlap)
    out = section_html([first, second], second, "Vastuu & toteutus: tietohallinto.")
    assert '<mark style="' in out and ">Vastuu &amp; toteutus: tietohallinto.</mark>" in out
    assert "&lt;b&gt;hyväksyä&lt;/b&gt;" in out and "<b>" not in out
    assert out.count("<mark") == 1
    assert "<mark" not in section_html([first, second], None)


def test_dates_in_the_interface_style() -> None:
    assert format_date("2023-01-09", ui_texts("fi", REPO / "prompts")["date_format"]) == "9.1.2023"
    assert format_date("2023-01-09", ui_texts("sv", REPO / "prompts")["date_format"]) == "2023-01-09"
    assert format_date("2023-01", "{d}.{m}.{y}") == "2023-01"
    assert format_date(None, "{d}.{m}.{y}") is None


def test_facts_line_is_escaped() -> None:
    labels = ui_texts("en", REPO / "prompts")
    line = facts_markdown(_chunk(0, "x", section="4 Toimenpiteet › 4.2 *Digituki*"), labels)
    assert line == (
        "Municipality: Kuopio · Body: Kaupunginhallitus · Meeting date: 2024-10-14 · § 188 · "
        "Section: 4 Toimenpiteet › 4.2 \\*Digituki\\* · Page: 3"
    )

"""The Streamlit app, driven with AppTest: answers with linked cards and a copy button, lasting
conversations (SQLite, per browser), the PDF page, the matter timeline, the first page while the model
loads, follow-ups, helpful abstentions, one-click feedback, the interface language everywhere, uploads,
first run; and the escaping/highlighting helpers it renders with."""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import markdown_it
import pytest
from streamlit.testing.v1 import AppTest

from assistant.pipeline import Assistant
from ingest.records import Chunk
from webapp import loading
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
from webapp.views import human_model

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
TIMEOUT = 120  # seconds per script run: some build an index
OWNER_QUESTION = "Kuka vastasi digistrategian koordinoinnista?"


@pytest.fixture(autouse=True)
def shared_model(monkeypatch: pytest.MonkeyPatch, embeddings) -> None:
    """The app's background loader uses the session's model instead of loading a second copy."""
    monkeypatch.setattr(loading, "make_assistant", lambda s: Assistant(s, embeddings=embeddings))


def make_app(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    index_dir: Path,
    corpus_dir: Path,
    lang: str | None = "en",
    query: dict[str, str] | None = None,
    answerer: str = "extractive",
) -> AppTest:
    """The app with its settings pointed at test folders (Settings.from_env reads STRATEGY_CHAT_*)."""
    env = {
        "INDEX_DIR": index_dir,
        "CORPUS_DIR": corpus_dir,
        "UPLOAD_DIR": tmp_path / "uploads",
        "FEEDBACK_LOG": tmp_path / "feedback.jsonl",
        "CONVERSATIONS_DB": tmp_path / "conversations.sqlite",  # never in a shared read-only index
        "ANSWERER": answerer,
    }
    for key, value in env.items():
        monkeypatch.setenv(f"STRATEGY_CHAT_{key}", str(value))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.session_state["ui_lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
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


def _param(at: AppTest, name: str) -> str | None:
    value = dict(at.query_params).get(name)
    return value[0] if isinstance(value, list) else value


def marked(at: AppTest) -> list[str]:
    return [b for b in html_bodies(at) if "<mark" in b]


@pytest.fixture()
def app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> AppTest:
    at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def council_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seinäjoki council minutes (board → council handlings) and a Swedish PDF action plan."""
    folder = tmp_path_factory.mktemp("council-docs")
    for name in ("fi_valtuusto_poytakirja.txt", "sv_handlingsplan.pdf"):
        shutil.copy(REPO / "tests" / "data" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def council_index(tmp_path_factory: pytest.TempPathFactory, council_corpus: Path, embeddings) -> Path:
    from ingest.pipeline import build_index

    index_dir = tmp_path_factory.mktemp("council-index") / "index"
    report = build_index([council_corpus], index_dir, embeddings)
    assert report.documents == 2, report.summary()
    return index_dir


# ------------------------------------------------------------------ answers, cards, links, copy


def test_question_with_linked_citations_copy_and_reader(app: AppTest) -> None:
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    answer = turn["answer"]
    assert not answer.abstained and answer.citations, answer.text
    first = answer.citations[0]
    # [n] markers in bold, each a link to its card (the card's container carries that key)
    link = f"[**\\[1\\]**](#sc-card-{turn['id']}-1)"
    assert any(link in v for v in markdown_values(app)), markdown_values(app)
    assert app.get_by_key(f"sc-card-{turn['id']}-1") is not None
    # one card per citation, collapsed until its [n] opens it: title, facts, the quote marked in its section
    cards = [e for e in app.expander if e.label.startswith("**\\[")]
    assert len(cards) == len(answer.citations)
    assert escape_markdown(first.chunk.document_title) in cards[0].label
    captions = [c.value for c in app.caption]
    assert any("Municipality: Kaustinen" in c and "Section:" in c for c in captions), captions
    assert len(marked(app)) == len(answer.citations)
    assert escape_html(first.quote) in marked(app)[0]
    # the copy button holds the answer and its numbered sources as text
    copy = next(b for b in html_bodies(app) if 'class="sc-copy"' in b)
    text = html.unescape(copy.split('data-copy="')[1].split('"')[0])
    assert text.startswith(answer.text.strip())
    assert f"[1] {first.chunk.document_title} — " in text and " ".join(first.quote.split()) in text
    # the section reader: the whole section in a dialog, the quote still marked
    app.button(key=f"open_{turn['id']}_1_c").click().run()
    assert not app.exception
    assert any(v.startswith("**Cited section:") for v in markdown_values(app))
    assert len(marked(app)) == len(answer.citations) + 1
    # the sidebar: answerer and index status in words, not ids
    documents, chunks = (m.value for m in app.sidebar.metric)
    assert documents == "2" and int(chunks) > 0
    sidebar = [c.value for c in app.sidebar.caption]
    assert any("Quoting (no language model)" in c for c in sidebar), sidebar
    assert not any("@" in c for c in sidebar)  # no "e5-converted:…@1571fc…/v1"
    # the build date as the English interface writes dates (ui.json: {y}-{mm}-{dd}), not 07.12.2026
    built = next(c for c in sidebar if "Last built" in c)
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}\\?:\d{2}", built)
    assert not re.search(r"\d{2}\.\d{2}\.\d{4}", built)


def test_human_model_names() -> None:
    assert human_model("e5-converted:multilingual-e5-small-q4-dequantised@1571fc982750/v1") == (
        "multilingual E5 small (converted)"
    )
    assert human_model("sentence-transformers:intfloat/multilingual-e5-base@abc/v1") == "multilingual-e5-base"
    assert human_model(None) == "–"


# ------------------------------------------------------------------ conversations that last


def test_conversation_and_language_survive_a_reload(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> None:
    at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus, lang=None)
    at.run()
    key = _param(at, "u")
    assert len(key) >= 20  # a random key put in the URL on the first visit
    at.selectbox(key="ui_lang").set_value("sv").run()
    ask(at, OWNER_QUESTION)
    first = turns(at)[0]
    at.feedback(key=f"feedback_{first['id']}").set_value(1).run()
    conversation = at.session_state["conversation"]
    assert conversation and _param(at, "c") == conversation

    # a reload: a new session with the same URL
    again = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus, lang=None,
                     query={"u": key, "c": conversation})  # fmt: skip
    again.run()
    assert not again.exception, [e.value for e in again.exception]
    assert again.title[0].value == ui_texts("sv", REPO / "prompts")["title"]  # the language kept
    restored = turns(again)
    assert [t["question"] for t in restored] == [OWNER_QUESTION]
    assert restored[0]["answer"].text == first["answer"].text
    assert restored[0]["answer"].citations[0].quote == first["answer"].citations[0].quote
    assert restored[0]["rating"] == "up" and restored[0]["searched"] == first["searched"]
    assert len(marked(again)) == len(first["answer"].citations)  # the cards are drawn again
    # listed in the sidebar by its first question; renamed; a new conversation; the old one reopened
    assert again.button(key=f"conv_{conversation}").label.startswith(OWNER_QUESTION[:30])
    again.text_input(key=f"rename_{conversation}").input("Digistrategia").run()
    again.button(key="rename_save").click().run()
    assert again.button(key=f"conv_{conversation}").label.startswith("Digistrategia · ")
    again.button(key="new_chat").click().run()
    assert turns(again) == [] and _param(again, "c") is None
    again.button(key=f"conv_{conversation}").click().run()
    assert [t["question"] for t in turns(again)] == [OWNER_QUESTION]
    again.button(key="delete_conversation").click().run()
    assert turns(again) == [] and f"conv_{conversation}" not in [b.key for b in again.button]


def test_another_browser_never_sees_the_conversation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> None:
    at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    at.run()
    ask(at, OWNER_QUESTION)
    conversation = at.session_state["conversation"]
    # another browser, even one that knows (or guesses) the conversation's id, gets nothing of it
    other = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus, query={"c": conversation})
    other.run()
    assert not other.exception
    assert turns(other) == [] and other.session_state["conversation"] is None
    assert not [b for b in other.button if (b.key or "").startswith("conv_")]
    assert _param(other, "u") != _param(at, "u")



# ------------------------------------------------------------------ login (browser: test_login_browser.py)

AUTH = {  # Streamlit's [auth]; nothing here contacts the provider (st.login is never clicked)
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "c" * 32,
    "client_id": "strategy-chat", "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def test_login_required_shows_nothing_but_the_login(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> None:
    """STRATEGY_CHAT_LOGIN_REQUIRED: without [auth] the app refuses; with it, the login alone until a user
    is logged in, and an expired login is asked to log in again; the conversation belongs to the subject."""
    import time

    en = ui_texts("en", REPO / "prompts")
    monkeypatch.setenv("STRATEGY_CHAT_LOGIN_REQUIRED", "1")
    unconfigured = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    unconfigured.run()
    assert [e.value for e in unconfigured.error] == [en["login_not_configured"]]
    assert not unconfigured.chat_input and not unconfigured.exception

    def run_as(user: dict) -> AppTest:
        at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
        at.secrets["auth"] = AUTH
        at.user = user
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    anonymous = run_as({"is_logged_in": False})
    assert [i.value for i in anonymous.info] == [en["login_required"]]
    assert [b.label for b in anonymous.button] == [en["login"]] and not anonymous.chat_input
    claims = {"is_logged_in": True, "iss": "http://127.0.0.1:9", "sub": "s-1", "name": "Anna Aalto",
              "groups": ["citizens"]}
    expired = run_as({**claims, "iat": time.time() - 9 * 3600})
    assert [w.value for w in expired.warning] == [en["session_expired"]] and not expired.chat_input
    logged_in = run_as({**claims, "iat": time.time() - 60})
    assert logged_in.chat_input and not logged_in.warning
    captions = [c.value for c in logged_in.sidebar.caption]
    assert en["logged_in_as"].format(name="Anna Aalto") in captions and en["access_public"] in captions
    ask(logged_in, OWNER_QUESTION)
    assert _param(logged_in, "u") is None and _param(logged_in, "c")  # the subject's, not a URL key's

# ------------------------------------------------------------------ the PDF page and the matter


def test_pdf_citation_shows_the_page_and_matter_timeline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, council_index: Path, council_corpus: Path
) -> None:
    # The top passage as the answer ("naive"): which passage an answerer quotes is its own business
    # (tested with it); here the card of a PDF citation and the timeline of a cited decision are tested.
    at = make_app(monkeypatch, tmp_path, council_index, council_corpus, answerer="naive")
    at.run()
    ask(at, "Vem ansvarar för den gemensamma informationsplattformen enligt handlingsplanen?")
    answer = turns(at)[-1]["answer"]
    assert not answer.abstained and answer.citations, answer.text
    pdf_cited = [c for c in answer.citations if c.chunk.source == "sv_handlingsplan.pdf"]
    assert pdf_cited and pdf_cited[0].chunk.page
    # the card: a text tab and a tab with the page as an image, and the original file to download
    assert [t.label for t in at.tabs][:2] == ["Text", f"Page {pdf_cited[0].chunk.page}"]
    assert at.image and at.image[0].proto.imgs
    assert at.get("download_button")
    # a council decision with the board's handling before it: the timeline, board first
    ask(at, "Miten kaupunginvaltuusto päätti Seinäjoen digitalisaatio-ohjelmasta muutettuna?")
    answer = turns(at)[-1]["answer"]
    assert not answer.abstained, answer.text
    timeline = next(e for e in at.expander if e.label.startswith("The matter's handling"))
    steps = [m.value for m in timeline.markdown if m.value.startswith("**Kaupungin")]
    # tests/data/README.md: Kaupunginhallitus 26.2.2024 § 62 approved the proposal; the council amended it
    # 31–20 on 11.3.2024. The board's handling comes first, the council's last, with its outcome and vote.
    assert any(s.startswith("**Kaupunginhallitus 2024-02-26 § 62** — approved") for s in steps[:-1]), steps
    assert steps[-1] == "**Kaupunginvaltuusto 2024-03-11 § 18** — approved as amended, vote 31–20"
    assert at.button(key=f"handling_{turns(at)[-1]['id']}_1")  # each handling opens its section
    assert not timeline.proto.expanded  # asked what was decided: the path is there, folded


def abstain_over_what_is_found(monkeypatch: pytest.MonkeyPatch, repeat: int = 0) -> None:
    """Make every answer the answerer's abstention over the passages retrieval found (the first `repeat`
    of them listed twice): whether a question abstains is the answerer's business, tested with it."""
    from assistant.composition.plain import abstention
    from assistant.question.analysis import analyse

    real_ask = Assistant.ask

    def abstaining(self, question, filters=None, public_only=False):
        found = real_ask(self, question, filters, public_only)
        passages = found.passages + found.passages[:repeat]
        return replace(abstention(analyse(question), passages, REPO / "prompts"), passages=passages)

    monkeypatch.setattr(Assistant, "ask", abstaining)


def test_a_question_about_a_matters_path_opens_its_timeline_even_when_no_passage_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, council_index: Path, council_corpus: Path
) -> None:
    # Every answer is made the answerer's abstention over what retrieval found: asked how the matter went
    # (fi, sv, en), the path is the answer, so the timeline of a found passage's matter opens anyway.
    abstain_over_what_is_found(monkeypatch)
    at = make_app(monkeypatch, tmp_path, council_index, council_corpus, answerer="naive")
    at.run()
    questions = ("Miten Seinäjoen digitalisaatio-ohjelma eteni toimielimissä?",
                 "Hur behandlades Seinäjokis digitaliseringsprogram i organen?",
                 "How was the Seinäjoki digitalisation programme handled by the bodies?")
    for n, question in enumerate(questions, 1):
        ask(at, question)
        assert turns(at)[-1]["answer"].abstained
        opened = [e for e in at.expander if e.label.startswith("The matter's handling") and e.proto.expanded]
        assert len(opened) == n, (question, [e.label for e in at.expander])  # this turn's, opened


# ------------------------------------------------------------------ the first page while the model loads


def test_first_page_is_usable_before_the_model_has_loaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path, embeddings
) -> None:
    release = threading.Event()

    def slow(settings):
        release.wait(60)
        return Assistant(settings, embeddings=embeddings)

    monkeypatch.setattr(loading, "make_assistant", slow)
    at = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    try:
        at.run()
        assert not at.exception
        assert [i.value for i in at.info] == [ui_texts("en", REPO / "prompts")["loading_model"]]
        overview = "\n".join(markdown_values(at))
        assert "2 documents" in overview and "Bräcke, Kaustinen" in overview
        examples = [b for b in at.button if (b.key or "").startswith("example_")]
        assert examples and all(b.label for b in examples)
        assert at.selectbox(key="filter_municipality_en")  # the filters work from the catalogue
    finally:
        release.set()
    examples[0].click().run()  # an example question is asked as soon as the model is there
    assert not at.exception
    assert turns(at) and turns(at)[0]["question"] == examples[0].label
    assert not at.info  # the loading notice is gone


# ------------------------------------------------------------------ follow-ups, filters, abstentions


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
    municipality = app.selectbox(key="filter_municipality_en")
    assert municipality.options == ["All", "Bräcke", "Kaustinen"]  # choices come from the index
    assert app.selectbox(key="filter_language_en").options == ["All", "Finnish", "Swedish"]
    municipality.set_value("Bräcke").run()
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    assert turn["filters"] == {"municipality": "Bräcke"}
    assert turn["answer"].passages and {p.chunk.municipality for p in turn["answer"].passages} == {"Bräcke"}
    assert any(c.value == "Filters: " + escape_markdown("Municipality: Bräcke") for c in app.caption)
    # a language switch keeps the choice and relabels "All"
    app.selectbox(key="ui_lang").set_value("sv").run()
    assert app.selectbox(key="filter_municipality_sv").value == "Bräcke"
    assert app.selectbox(key="filter_municipality_sv").options[0] == "Alla"
    app.selectbox(key="filter_municipality_sv").set_value("").run()
    ask(app, OWNER_QUESTION)
    assert turns(app)[-1]["filters"] == {}
    assert "Kaustinen" in {p.chunk.municipality for p in turns(app)[-1]["answer"].passages}


def test_date_range_filter_in_the_interface_format(app: AppTest) -> None:
    dates = app.date_input(key="filter_dates_en")
    assert dates.value == ()  # no range until one is picked
    assert dates.proto.format == "DD/MM/YYYY"
    last = dates.max
    dates.set_value((last, last)).run()
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    assert turn["filters"] == {"date_from": last.isoformat(), "date_to": last.isoformat()}
    passages = turn["answer"].passages
    assert passages and {p.chunk.meeting_date for p in passages} == {last.isoformat()}
    app.selectbox(key="ui_lang").set_value("fi").run()
    assert app.date_input(key="filter_dates_fi").proto.format == "DD.MM.YYYY"


def test_abstention_names_the_filters_and_lists_each_place_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path
) -> None:
    # Whether a question abstains is the answerer's business (tested with it); here every answer is
    # turned into the answerer's abstention over the passages retrieval found, so the drawing is what
    # is tested: the text once, each closest place once, the filters named and offered to be cleared.
    abstain_over_what_is_found(monkeypatch, repeat=2)  # the same place more than once
    app = make_app(monkeypatch, tmp_path, two_doc_index, two_doc_corpus)
    app.run()
    ask(app, OWNER_QUESTION)
    answer = turns(app)[-1]["answer"]
    assert answer.abstained and answer.passages
    assert app.warning and app.warning[0].value == escape_markdown(answer.text.split("\n\n")[0])
    # the abstention is said once, in the asker's words; the interface only heads the closest passages
    captions = [c.value for c in app.caption]
    assert captions.count("Closest passages:") == 1
    assert not any("do not answer" in c for c in captions)
    places = list(dict.fromkeys((p.chunk.source, p.chunk.section) for p in answer.passages))[:3]
    documents = list(dict.fromkeys(source for source, _ in places))
    titles = [e.label for e in app.main.expander]
    assert len(titles) == len(documents), titles  # each document's title once
    assert len(html_bodies(app)) - 1 == len(places)  # each place once (+ the page's script)
    assert not marked(app)  # nothing is claimed as support
    assert not app.info  # no filters were set: nothing to blame them for
    # with a filter, the abstention says it may be the reason and offers to ask again without it
    app.selectbox(key="filter_municipality_en").set_value("Bräcke").run()
    ask(app, OWNER_QUESTION)
    turn = turns(app)[-1]
    said = escape_markdown("Municipality: Bräcke")
    assert app.info[0].value == f"The filters ({said}) may be why nothing was found."
    app.button(key=f"clear_filters_{turn['id']}").click().run()
    assert not app.exception
    assert turns(app)[-1]["filters"] == {} and turns(app)[-1]["question"] == turn["question"]
    assert app.selectbox(key="filter_municipality_en").value == ""


# ------------------------------------------------------------------ feedback


def test_feedback_goes_beside_the_index_unless_set() -> None:
    from config import Settings

    assert Settings.from_env({}, index_dir="/srv/idx").feedback_path() == Path("/srv/idx/feedback.jsonl")
    elsewhere = Settings.from_env({"STRATEGY_CHAT_FEEDBACK_LOG": "/tmp/f.jsonl"})
    assert elsewhere.feedback_path() == Path("/tmp/f.jsonl")


def test_feedback_in_one_click_comment_optional(app: AppTest, tmp_path: Path) -> None:
    ask(app, OWNER_QUESTION)
    ask(app, "Entä milloin se hyväksyttiin?")
    first, second = (t["id"] for t in turns(app))
    app.feedback(key=f"feedback_{first}").set_value(1).run()  # the thumb alone is recorded
    log = tmp_path / "feedback.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1 and records[0]["rating"] == "up" and records[0]["comment"] is None
    app.feedback(key=f"feedback_{second}").set_value(0).run()
    submit = [b for b in app.button if (b.key or "").startswith(f"FormSubmitter:feedback_form_{second}")]
    assert len(submit) == 1 and not [b for b in app.button if "feedback_form_" + str(first) in (b.key or "")]
    app.text_input(key=f"feedback_comment_{second}").input("Väärä päivämäärä")
    submit[0].click().run()
    assert not app.exception
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    keys = {"time", "question", "answer", "abstained", "citations", "filters", "rating", "comment"}
    assert all(set(r) == keys for r in records)
    up, down, commented = records
    assert (up["rating"], up["question"]) == ("up", OWNER_QUESTION)
    assert up["citations"] and up["citations"][0]["source"] == "000_e5c1d4be2fd5da2b.txt"
    assert {"n", "source", "section", "page", "quote"} <= set(up["citations"][0])
    assert (down["rating"], down["comment"]) == ("down", None)
    assert (commented["rating"], commented["comment"]) == ("down", "Väärä päivämäärä")
    assert commented["question"] == turns(app)[1]["searched"] != "Entä milloin se hyväksyttiin?"
    assert not [b for b in app.button if (b.key or "").startswith("FormSubmitter:")]  # the form closed
    assert [c.value for c in app.caption].count("Thank you for the feedback!") == 2


# ------------------------------------------------------------------ uploads and first run


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
    # the build runs in the background: the page says so (the folder by its name, never the machine's
    # absolute path) and already takes a question
    assert [i.value for i in at.info] == ["There is no index yet. Building it from corpus…"]
    assert at.chat_input(key="question") and not at.success
    # a question asked meanwhile waits for the index, then is answered from it
    ask(at, "Kuka vastaa Kuopion digitiekartan toteutuksesta?")
    assert (index_dir / "CURRENT").exists()
    assert at.success[0].value.startswith("Index ready: 2 documents")
    answer = turns(at)[-1]["answer"]
    assert not answer.abstained and answer.citations[0].chunk.source == "kuopio.md", answer.text
    at.run()  # later runs open the index it built and say nothing more about it
    assert not at.info and not at.success


def test_first_run_without_documents_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = make_app(monkeypatch, tmp_path, tmp_path / "index", tmp_path / "no-corpus")
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["The index is empty. Add documents in the sidebar."]
    assert at.file_uploader(key="uploader_0")  # documents can still be added


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
    assert text.replace("\u2060", "").split() == NASTY.split()  # every character shown, as text


def test_no_autolinks_from_document_text() -> None:
    # GFM (Streamlit's Markdown) links bare URLs, www. names and e-mail addresses by itself
    out = escape_markdown("Katso http://evil.example, www.evil.example ja mallory@evil.example")
    assert "http://" not in out.replace("\\", "") and "www." not in out and "@evil" not in out
    assert out.replace("\u2060", "").replace("\\", "") == (
        "Katso http://evil.example, www.evil.example ja mallory@evil.example"
    )  # the same text on the screen: only invisible joiners and escapes added


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


@pytest.mark.parametrize(("question", "path"), [
    ("Miten asia eteni toimielimissä?", True),
    ("Mitä käsittelyvaiheita asialla oli?", True),
    ("Hur behandlades ärendet?", True),
    ("How was the matter handled by the bodies?", True),
    # a Swedish compound that begins like an English path word: the action plan, not a handling
    ("Vem ansvarar för den gemensamma informationsplattformen enligt handlingsplanen?", False),
    ("Vad beslöt fullmäktige?", False),
])
def test_path_questions_are_told_by_word_not_by_substring(question: str, path: bool) -> None:
    from webapp.views import asks_for_path

    assert asks_for_path(question) is path

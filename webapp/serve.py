"""`python -m webapp.serve [streamlit options]`: the app, with the model loading from server start.

`streamlit run app.py` runs nothing before the first page opens, so the first visitor waited for torch,
e5 and the index to load (~6 s here) after the page was up. This starts the same loader
(`webapp.loading.shared_loader`) in the background, then runs Streamlit's own `streamlit run app.py`
in this process, where `app.py` finds the loader already at work. Options go to Streamlit unchanged.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from config import Settings, passive_thread_waits

APP = Path(__file__).resolve().parent.parent / "app.py"


def process_settings() -> Settings:
    """The process's settings from the environment, with what must hold before a model loads: offline
    hub, passive OpenMP waits (read once; many users' questions share the cores), logging at their
    level. `app.py` and `start_loading` both start here, so they build equal settings."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    passive_thread_waits()
    settings = Settings.from_env()
    level = getattr(logging, settings.log_level.upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def start_loading() -> Settings:
    """The settings `app.py` will build from the same environment, with their model loading."""
    from webapp.loading import shared_loader

    settings = process_settings()
    shared_loader(settings)
    return settings


def main(argv: list[str] | None = None) -> None:
    start_loading()
    from streamlit.web import cli as streamlit_cli

    streamlit_cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()

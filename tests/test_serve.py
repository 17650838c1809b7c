"""webapp.serve starts the model loading before Streamlit runs, and app.py finds that same loader."""

from __future__ import annotations

from dataclasses import replace

from config import Settings
from webapp import loading


class FakeLoader:
    made: list[Settings] = []

    def __init__(self, settings: Settings) -> None:
        FakeLoader.made.append(settings)
        self.settings = settings


def test_one_loader_per_settings_shared_with_the_app(monkeypatch) -> None:
    monkeypatch.setattr(loading, "AssistantLoader", FakeLoader)
    monkeypatch.setattr(loading, "_LOADERS", {})
    FakeLoader.made = []
    from webapp.serve import start_loading

    settings = start_loading()  # what `python -m webapp.serve` does before Streamlit runs app.py
    first = loading.shared_loader(Settings.from_env())  # what app.py's load_assistant does
    assert first is loading.shared_loader(settings)
    assert len(FakeLoader.made) == 1  # no second model load for the first page
    other = loading.shared_loader(replace(settings, top_k=settings.top_k + 1))  # another configuration
    assert other is not first and len(FakeLoader.made) == 2

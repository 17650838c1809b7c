"""The app's interface texts in Finnish, Swedish and English, from `prompts/ui.json`.

Texts live in a file so a translator can fix them without touching code; the default language
follows the browser where Streamlit reports it, else Finnish (most users are Finnish staff).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

UI_LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def ui_texts(language: str, prompts_dir: Path) -> dict:
    """The texts for `language`; keys missing in it fall back to English, so a new key never crashes."""
    table = _load(Path(prompts_dir) / "ui.json")
    english = table["en"]
    chosen = table.get(language, {})
    return {**english, **chosen}


def language_from_locale(locale: str | None) -> str:
    """ "sv-FI" → "sv", "en-GB" → "en"; anything else (or no locale) → Finnish."""
    if not locale:
        return DEFAULT_LANGUAGE
    code = str(locale).replace("_", "-").split("-")[0].strip().lower()
    return code if code in UI_LANGUAGES else DEFAULT_LANGUAGE

"""Prompts and answer phrases are files under prompts/; this is the one place that reads them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .config import Settings

LANGUAGES = ("fi", "sv", "en")


def load_prompt(name: str, language: str | None = None, prompts_dir: Path | None = None) -> str:
    """`prompts/NAME.LANG.md` if it exists, else `prompts/NAME.md`."""
    folder = prompts_dir or Settings().prompts_dir
    candidates = ([folder / f"{name}.{language}.md"] if language else []) + [folder / f"{name}.md"]
    for path in candidates:
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(
        f"No prompt {name!r} in {folder} (looked for {', '.join(p.name for p in candidates)})."
    )


@lru_cache(maxsize=8)
def _phrases(folder: Path) -> dict[str, dict[str, str]]:
    return json.loads((folder / "phrases.json").read_text(encoding="utf-8"))


def phrases(language: str, prompts_dir: Path | None = None) -> dict[str, str]:
    """The answer templates in the question's language (English where the language is unknown)."""
    table = _phrases(prompts_dir or Settings().prompts_dir)
    return table.get(language) or table["en"]

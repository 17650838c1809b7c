"""Prompts and answer phrases are files under prompts/; this is the one place that reads them.

The folder is always the caller's `settings.prompts_dir` (STRATEGY_CHAT_PROMPTS_DIR), passed down: with no
default here, a changed folder reaches the LLM prompts, the extractive answers and the abstention alike.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fi", "sv", "en")


def load_prompt(name: str, language: str | None = None, *, prompts_dir: Path) -> str:
    """`prompts/NAME.LANG.md` if it exists, else `prompts/NAME.md`."""
    folder = Path(prompts_dir)
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


def phrases(language: str, prompts_dir: Path) -> dict[str, str]:
    """The answer templates in the question's language (English where the language is unknown)."""
    table = _phrases(Path(prompts_dir))
    return table.get(language) or table["en"]

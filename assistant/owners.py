"""Who owns an action: find the action the question names, then the party written with it.

Action lists hold many actions and many owners side by side; "who is responsible for the chatbot"
wants the owner of that action, not the first "Ansvarig:" line in the chunk. The units come from
the same parser that kept each action whole at ingestion (`ingest.actions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.actions import INLINE_OWNER, OWNER, action_units, cells, is_table_header, split_attributes
from ingest.records import Chunk, Line

_OWNER_COLUMN = re.compile(
    r"^(vastuutaho|vastuuhenkilö|vastuu|vastaa|ansvarig|ansvar|owner|responsible)$", re.I
)


@dataclass(frozen=True)
class OwnedAction:
    chunk: Chunk
    title: str  # the action's first line (or first cell)
    quote: str  # exact substring of chunk.text naming the owner: the owner line or the table row
    owner: str  # the owner as written
    text: str  # the whole action, for matching it against the question


def owned_actions(chunk: Chunk) -> list[OwnedAction]:
    """Every action in the chunk that names who is responsible for it."""
    found: list[OwnedAction] = []
    header: list[str] | None = None
    for unit in action_units(tuple(Line(t) for t in chunk.text.split("\n"))):
        texts = [line.text.strip() for line in unit if line.text.strip()]
        if not texts:
            continue
        if is_table_header(texts[0]):
            header = cells(texts[0])
            continue
        row = cells(texts[0])
        if row and header:
            column = next((i for i, name in enumerate(header) if _OWNER_COLUMN.match(name)), None)
            if column is not None and column < len(row) and row[column]:
                found.append(OwnedAction(chunk, row[0], texts[0], row[column], texts[0]))
            continue
        _, owners, _ = split_attributes(unit)
        if owners:
            quote = owners[0].text.strip()
            owner = re.sub(r"^\W*[^:–]+[:–]\s*", "", quote)
            found.append(OwnedAction(chunk, texts[0], quote, owner, "\n".join(texts)))
        else:
            inline = next((t for t in texts if INLINE_OWNER.search(t)), None)
            if inline:
                found.append(OwnedAction(chunk, texts[0], inline, inline, "\n".join(texts)))
    return found


def actions_in(chunks: Iterable[Chunk]) -> list[OwnedAction]:
    return [action for chunk in chunks for action in owned_actions(chunk)]


def is_owner_line(text: str) -> bool:
    return bool(OWNER.match(text.strip()))

"""Who owns an action: the rows ingest found (chunk metadata `owners`), one per owner line or table row.

Action lists hold many actions and many owners side by side; "who is responsible for the chatbot"
wants the owner of that action, not the first "Ansvarig:" line in the chunk. Ingest (`ingest.parse.actions`)
found them once; an index built before that is read by the same parser here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ingest.parse.actions import OWNER, OWNERS_KEY, owned_rows, rows_from_json
from ingest.records import Chunk


@dataclass(frozen=True)
class OwnedAction:
    chunk: Chunk
    title: str  # the action's first line (or first cell)
    quote: str  # exact substring of chunk.text naming the owner: the owner line or the table row
    owner: str  # the owner as written
    text: str  # the whole action, for matching it against the question


def owned_actions(chunk: Chunk) -> list[OwnedAction]:
    """Every action in the chunk that names who is responsible for it."""
    stored = chunk.extra.get(OWNERS_KEY)
    if stored is not None:
        rows = rows_from_json(stored)
    elif chunk.section_kind == "actions":
        rows = owned_rows(chunk.text)
    else:
        rows = []
    return [OwnedAction(chunk, r.title, r.quote, r.owner, r.text) for r in rows if r.quote in chunk.text]


def actions_in(chunks: Iterable[Chunk]) -> list[OwnedAction]:
    return [action for chunk in chunks for action in owned_actions(chunk)]


def is_owner_line(text: str) -> bool:
    return bool(OWNER.match(text.strip()))

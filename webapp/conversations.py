"""Conversations that outlive a reload: turns, titles and the interface language in SQLite.

A browser is known by a random key in its URL (`?u=…`, 128 bits from `secrets`), never by
anything it could guess or share by accident with another user; every read and write names that
key, so one browser can never list, open, rename or delete another's conversation even when it
knows a conversation's id. Stdlib `sqlite3` in WAL mode: one file, many sessions (threads) of one
app process, short transactions.
"""

from __future__ import annotations

import builtins
import json
import logging
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from assistant.records import Answer, Citation, Passage
from ingest.records import Chunk

logger = logging.getLogger(__name__)

KEY_BYTES = 16  # 128 random bits: unguessable, and short enough for a URL
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
TITLE_CHARS = 80
DB_NAME = "conversations.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    question TEXT NOT NULL,
    searched TEXT NOT NULL,
    rewritten TEXT,
    filters TEXT NOT NULL,
    answer TEXT,
    citations TEXT NOT NULL,
    error TEXT,
    rating TEXT,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_conversation ON turns (conversation, id);
CREATE TABLE IF NOT EXISTS preferences (
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (owner, name)
);
"""


def new_key() -> str:
    """A fresh browser key (URL-safe)."""
    return secrets.token_urlsafe(KEY_BYTES)


def valid_key(key: object) -> bool:
    """Whether a key from a URL has the shape of one we hand out (anything else gets a new key)."""
    return isinstance(key, str) and _KEY_RE.fullmatch(key) is not None


def title_from(question: str) -> str:
    """A conversation's title: its first question on one line, cut at a word near TITLE_CHARS."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created_at: str  # ISO, UTC
    updated_at: str


@dataclass(frozen=True)
class StoredTurn:
    """One question and what came of it, as the app shows it again after a reload."""

    id: int
    question: str  # as typed
    searched: str  # the standalone question that was asked
    rewritten: str | None
    filters: dict[str, str]
    answer: Answer | None
    error: str | None = None
    rating: str | None = None  # "up" | "down"
    comment: str | None = None
    created_at: str = ""
    citations: tuple[dict, ...] = field(default=(), compare=False)  # Citation.to_json() of each


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------ answers as JSON


def _chunk_json(chunk: Chunk) -> dict:
    return asdict(chunk)


def _chunk_from(data: Mapping) -> Chunk:
    known = set(Chunk.__dataclass_fields__)
    return Chunk(**{k: v for k, v in data.items() if k in known})


def answer_to_json(answer: Answer) -> dict:
    """Everything needed to draw the answer again: its fields, citations and passages with their chunks."""
    data = {
        f.name: getattr(answer, f.name) for f in fields(Answer) if f.name not in ("citations", "passages")
    }
    data["citations"] = [
        {"n": c.n, "quote": c.quote, "chunk": _chunk_json(c.chunk)} for c in answer.citations
    ]
    data["passages"] = [
        {"score": p.score, "dense": p.dense, "keyword": p.keyword, "chunk": _chunk_json(p.chunk)}
        for p in answer.passages
    ]
    return data


def answer_from_json(data: Mapping) -> Answer:
    known = {f.name for f in fields(Answer)} - {"citations", "passages"}
    return Answer(
        **{k: v for k, v in data.items() if k in known},
        citations=tuple(
            Citation(int(c["n"]), _chunk_from(c["chunk"]), c["quote"]) for c in data.get("citations", ())
        ),
        passages=tuple(
            Passage(_chunk_from(p["chunk"]), float(p["score"]), p.get("dense"), p.get("keyword"))
            for p in data.get("passages", ())
        ),
    )


# ------------------------------------------------------------------ the store


class ConversationStore:
    """One SQLite file shared by every session of the app; each call is scoped to one owner key."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._db() as db:
            db.executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        with conn:  # one transaction: committed on success, rolled back on error
            yield conn

    # conversations

    def create(self, owner: str, title: str) -> Conversation:
        now = _now()
        conv = Conversation(secrets.token_urlsafe(12), title_from(title) or "…", now, now)
        with self._db() as db:
            db.execute(
                "INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (conv.id, owner, conv.title, now, now),
            )
        return conv

    def list(self, owner: str, limit: int = 50) -> list[Conversation]:
        """The owner's conversations, most recently used first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id, title, created_at, updated_at FROM conversations WHERE owner = ? "
                "ORDER BY updated_at DESC, rowid DESC LIMIT ?",
                (owner, limit),
            ).fetchall()
        return [Conversation(r["id"], r["title"], r["created_at"], r["updated_at"]) for r in rows]

    def get(self, owner: str, conversation_id: str) -> Conversation | None:
        with self._db() as db:
            row = db.execute(
                "SELECT id, title, created_at, updated_at FROM conversations WHERE owner = ? AND id = ?",
                (owner, conversation_id),
            ).fetchone()
        return (
            None
            if row is None
            else Conversation(row["id"], row["title"], row["created_at"], row["updated_at"])
        )

    def rename(self, owner: str, conversation_id: str, title: str) -> bool:
        title = title_from(title)
        if not title:
            return False
        with self._db() as db:
            cur = db.execute(
                "UPDATE conversations SET title = ? WHERE owner = ? AND id = ?",
                (title, owner, conversation_id),
            )
        return cur.rowcount == 1

    def delete(self, owner: str, conversation_id: str) -> bool:
        with self._db() as db:
            cur = db.execute("DELETE FROM conversations WHERE owner = ? AND id = ?", (owner, conversation_id))
        return cur.rowcount == 1

    # turns

    def add_turn(
        self,
        owner: str,
        conversation_id: str,
        question: str,
        searched: str,
        rewritten: str | None,
        filters: Mapping[str, str],
        answer: Answer | None,
        error: str | None = None,
    ) -> int:
        """Store a turn; returns its id (the app's widget keys are built from it)."""
        now = _now()
        citations = [c.to_json() for c in answer.citations] if answer else []
        with self._db() as db:
            if (
                db.execute(
                    "UPDATE conversations SET updated_at = ? WHERE owner = ? AND id = ?",
                    (now, owner, conversation_id),
                ).rowcount
                != 1
            ):
                raise KeyError(f"no conversation {conversation_id!r} for this browser")
            cur = db.execute(
                "INSERT INTO turns (conversation, owner, question, searched, rewritten, filters, answer, "
                "citations, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    owner,
                    question,
                    searched,
                    rewritten,
                    json.dumps(dict(filters), ensure_ascii=False),
                    json.dumps(answer_to_json(answer), ensure_ascii=False) if answer else None,
                    json.dumps(citations, ensure_ascii=False),
                    error,
                    now,
                ),
            )
        return int(cur.lastrowid or 0)

    def turns(self, owner: str, conversation_id: str) -> builtins.list[StoredTurn]:
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM turns WHERE owner = ? AND conversation = ? ORDER BY id",
                (owner, conversation_id),
            ).fetchall()
        out = []
        for r in rows:
            try:
                answer = answer_from_json(json.loads(r["answer"])) if r["answer"] else None
            except (KeyError, TypeError, ValueError) as exc:  # written by another version: show the text
                logger.warning("turn %s could not be read back: %s", r["id"], exc)
                answer = None
            out.append(
                StoredTurn(
                    id=int(r["id"]),
                    question=r["question"],
                    searched=r["searched"],
                    rewritten=r["rewritten"],
                    filters=json.loads(r["filters"]),
                    answer=answer,
                    error=r["error"] or (None if answer is not None else "stored answer unreadable"),
                    rating=r["rating"],
                    comment=r["comment"],
                    created_at=r["created_at"],
                    citations=tuple(json.loads(r["citations"])),
                )
            )
        return out

    def set_feedback(self, owner: str, turn_id: int, rating: str, comment: str | None = None) -> bool:
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        with self._db() as db:
            cur = db.execute(
                "UPDATE turns SET rating = ?, comment = ? WHERE owner = ? AND id = ?",
                (rating, (comment or "").strip() or None, owner, turn_id),
            )
        return cur.rowcount == 1

    # preferences (the interface language)

    def preference(self, owner: str, name: str) -> str | None:
        with self._db() as db:
            row = db.execute(
                "SELECT value FROM preferences WHERE owner = ? AND name = ?", (owner, name)
            ).fetchone()
        return None if row is None else str(row["value"])

    def set_preference(self, owner: str, name: str, value: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO preferences (owner, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (owner, name) DO UPDATE SET value = excluded.value",
                (owner, name, value),
            )


def store_path(index_dir: Path, configured: Path | None = None) -> Path:
    """Where conversations live: the configured file, else `conversations.sqlite` in the index folder
    (beside its generations; the index's clean-up only removes generation folders)."""
    return Path(configured) if configured else Path(index_dir) / DB_NAME

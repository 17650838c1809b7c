"""Who sees internal documents: the login (OpenID Connect, Streamlit's `st.login`) against the settings.

Decided once per page run at the entry point (`app.py`), from the ID token's claims that Streamlit
keeps in `st.user`, and turned into that session's `Settings` (`session_settings`): its `public_only`
then rules retrieval, citations, the document list, the page viewer, the matter timeline and uploads,
with no check of its own in any of them. Conversations of a logged-in user belong to their subject
(`owner`), not to the URL's key, so a guessed or shared address never shows them to anyone else.

Without login configured (no `[auth]` in `.streamlit/secrets.toml`) nothing changes: `public_only`
alone decides, as before there was a login.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from assistant.records import Answer
from config import Settings

from .indexing import visible

ANY_GROUP = "*"  # auth_internal_groups="*": every logged-in user sees internal documents
# Owner keys of logged-in users: "oidc-" and 64 hex digits, longer than any key `?u=` may carry
# (conversations.valid_key: at most 64 characters), so an address can never name a logged-in user's.
OWNER_PREFIX = "oidc-"


@dataclass(frozen=True)
class Access:
    """One page run's user, as far as documents and conversations go."""

    login_configured: bool
    logged_in: bool  # a login within auth_session_hours
    expired: bool  # logged in once, longer ago than auth_session_hours: treated as logged out
    internal: bool  # may see documents marked internal (settings.public_only still wins)
    owner: str | None  # the conversations' owner of a logged-in user; None: the URL's key (`?u=`)
    name: str = ""  # how the sidebar names the user


def user_groups(claims: Mapping[str, Any], claim: str) -> frozenset[str]:
    """The groups in `claim` of the ID token: a list (Entra ID, Keycloak), or one string of names
    separated by spaces or commas; a dotted name reads a nested claim ("realm_access.roles")."""
    value: Any = claims.get(claim)
    if value is None and "." in claim:
        value = claims
        for part in claim.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return frozenset(v for v in value.replace(",", " ").split() if v)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return frozenset(str(v).strip() for v in value if str(v).strip())
    return frozenset()


def owner_of(claims: Mapping[str, Any]) -> str:
    """A stable conversation owner for a subject: a hash of the issuer and `sub` (no name or e-mail
    address in the database, and another provider's same `sub` is another owner)."""
    subject = f"{claims.get('iss', '')}\n{claims.get('sub', '')}"
    return OWNER_PREFIX + hashlib.sha256(subject.encode("utf-8")).hexdigest()


def decide(settings: Settings, claims: Mapping[str, Any] | None, login_configured: bool,
           now: float | None = None) -> Access:
    """The access of a page run whose user has these ID token `claims` (Streamlit's `st.user`).

    Login not configured: today's app (everyone sees what `public_only` allows). Configured: internal
    documents only for a logged-in user, within `auth_session_hours` of the token's issue, whose groups
    name one of `auth_internal_groups` ("*": any); anyone else gets the app as if public-only."""
    if not login_configured:
        return Access(False, False, False, True, None)
    claims = claims or {}
    if not claims.get("is_logged_in") or not claims.get("sub"):
        return Access(True, False, False, False, None)
    now = time.time() if now is None else now
    issued = claims.get("iat")
    limit_s = settings.auth_session_hours * 3600
    if limit_s > 0 and (not isinstance(issued, int | float) or now - float(issued) > limit_s):
        return Access(True, False, True, False, None)
    wanted = settings.internal_groups()
    internal = ANY_GROUP in wanted or bool(wanted & user_groups(claims, settings.auth_groups_claim))
    name = str(claims.get("name") or claims.get("preferred_username") or claims.get("email") or "")
    return Access(True, True, False, internal, owner_of(claims), name)


def session_settings(settings: Settings, access: Access) -> Settings:
    """The settings this session's pages follow: public-only unless the user may see internal documents."""
    public_only = settings.public_only or not access.internal
    return settings if public_only == settings.public_only else replace(settings, public_only=public_only)


def shown_answer(answer: Answer | None, public_only: bool) -> Answer | None:
    """A stored answer as a public-only session may see it: None when it cites an internal document
    (its text quotes it), else without the internal passages it was found among."""
    if answer is None or not public_only:
        return answer
    if not all(visible(c.chunk, public_only) for c in answer.citations):
        return None
    passages = tuple(p for p in answer.passages if visible(p.chunk, public_only))
    return answer if len(passages) == len(answer.passages) else replace(answer, passages=passages)

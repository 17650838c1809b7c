"""Who sees internal documents (webapp/access.py), decided from the ID token's claims with no browser, and
the login settings from the environment. Fast: no model, no index, no server. The browser test against a
real OIDC provider on loopback is tests/test_login_browser.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.records import Answer, Citation, Passage
from config import Settings
from ingest.records import Chunk
from webapp.access import Access, decide, owner_of, session_settings, shown_answer, user_groups

NOW = 1_800_000_000.0
SETTINGS = Settings(auth_internal_groups="strategy-internal, council")


def claims(groups: object = ("strategy-internal",), iat: float = NOW - 60, **more: object) -> dict:
    return {"is_logged_in": True, "iss": "https://idp.example", "sub": "u-1", "name": "Anna Aalto",
            "iat": iat, "exp": iat + 300, "groups": groups, **more}


def test_without_login_configured_the_settings_alone_decide() -> None:
    """Today's app: no [auth] in secrets.toml, no login; public_only decides, conversations by URL key."""
    access = decide(SETTINGS, None, login_configured=False)
    assert access == Access(False, False, False, True, None)
    assert session_settings(SETTINGS, access) is SETTINGS
    public = replace(SETTINGS, public_only=True)
    assert session_settings(public, access).public_only


def test_a_member_of_an_internal_group_sees_internal_documents() -> None:
    access = decide(SETTINGS, claims(), login_configured=True, now=NOW)
    assert access.logged_in and access.internal and not access.expired and access.name == "Anna Aalto"
    assert session_settings(SETTINGS, access).public_only is False
    # the deployment's own public_only still wins over any login
    assert session_settings(replace(SETTINGS, public_only=True), access).public_only


def test_anyone_else_gets_the_public_only_app() -> None:
    outsider = decide(SETTINGS, claims(groups=["citizens"]), login_configured=True, now=NOW)
    assert outsider.logged_in and not outsider.internal
    assert session_settings(SETTINGS, outsider).public_only
    anonymous = decide(SETTINGS, {"is_logged_in": False}, login_configured=True, now=NOW)
    assert not anonymous.logged_in and not anonymous.internal and anonymous.owner is None
    assert session_settings(SETTINGS, anonymous).public_only
    no_groups = decide(SETTINGS, {k: v for k, v in claims().items() if k != "groups"}, True, now=NOW)
    assert no_groups.logged_in and not no_groups.internal
    nobody_named = decide(replace(SETTINGS, auth_internal_groups=""), claims(), True, now=NOW)
    assert not nobody_named.internal  # no internal groups configured: no one sees internal documents
    anyone = decide(replace(SETTINGS, auth_internal_groups="*"), claims(groups=[]), True, now=NOW)
    assert anyone.internal


def test_an_expired_session_is_logged_out() -> None:
    """A login older than auth_session_hours (the ID token's iat) is treated as no login at all."""
    old = decide(SETTINGS, claims(iat=NOW - 9 * 3600), login_configured=True, now=NOW)
    assert old.expired and not old.logged_in and not old.internal and old.owner is None
    fresh = decide(SETTINGS, claims(iat=NOW - 7 * 3600), login_configured=True, now=NOW)
    assert fresh.logged_in and fresh.internal
    no_iat = decide(SETTINGS, {k: v for k, v in claims().items() if k != "iat"}, True, now=NOW)
    assert no_iat.expired and not no_iat.internal  # the age cannot be told: not trusted
    unlimited = decide(replace(SETTINGS, auth_session_hours=0), claims(iat=NOW - 90 * 86400), True, now=NOW)
    assert unlimited.logged_in and unlimited.internal


def test_the_groups_claim_is_configurable_and_read_in_its_usual_shapes() -> None:
    assert user_groups({"groups": ["a", " b ", ""]}, "groups") == {"a", "b"}
    assert user_groups({"groups": "a b,c"}, "groups") == {"a", "b", "c"}
    assert user_groups({"realm_access": {"roles": ["council"]}}, "realm_access.roles") == {"council"}
    assert user_groups({"groups": {"a": 1}}, "groups") == frozenset()  # not a list of names
    assert user_groups({}, "groups") == frozenset()
    roles = replace(SETTINGS, auth_groups_claim="roles")
    assert decide(roles, claims(groups=[], roles=["council"]), True, now=NOW).internal
    assert not decide(roles, claims(), True, now=NOW).internal  # "groups" is not read any more


def test_conversations_belong_to_the_subject_not_the_url() -> None:
    """The owner key is a hash of issuer and subject: stable across logins, another subject or another
    provider's same subject is another owner, and it never looks like a URL key (`?u=`)."""
    from webapp.conversations import valid_key

    anna = decide(SETTINGS, claims(), True, now=NOW).owner
    assert anna == decide(SETTINGS, claims(iat=NOW - 10), True, now=NOW).owner == owner_of(claims())
    assert anna != owner_of(claims(sub="u-2")) and anna != owner_of(claims(iss="https://other.example"))
    assert anna and "u-1" not in anna and "Anna" not in anna and not valid_key(anna)


def _chunk(source: str, visibility: str | None) -> Chunk:
    extra = {} if visibility is None else {"visibility": visibility}
    return Chunk(id=f"{source}#0", text=f"text of {source}", source=source, document_title=source,
                 chunk_index=0, content_hash="h", section="1", section_kind="text", language="fi",
                 doc_type="strategy", extra=extra)


def test_a_stored_answer_quoting_an_internal_document_is_withheld_from_a_public_only_session() -> None:
    internal, public = _chunk("memo.txt", "internal"), _chunk("plan.txt", None)
    cites_internal = Answer("q", "Irma [1]", False, citations=(Citation(1, internal, "Irma"),),
                            passages=(Passage(internal, 1.0), Passage(public, 0.5)))
    assert shown_answer(cites_internal, public_only=False) is cites_internal
    assert shown_answer(cites_internal, public_only=True) is None
    cites_public = replace(cites_internal, citations=(Citation(1, public, "text"),))
    shown = shown_answer(cites_public, public_only=True)
    assert shown is not None and [p.chunk.source for p in shown.passages] == ["plan.txt"]
    assert shown_answer(None, public_only=True) is None


def test_the_login_settings_come_from_the_environment() -> None:
    settings = Settings.from_env({"STRATEGY_CHAT_AUTH_INTERNAL_GROUPS": "a, b,,",
                                  "STRATEGY_CHAT_LOGIN_REQUIRED": "yes",
                                  "STRATEGY_CHAT_AUTH_GROUPS_CLAIM": "roles",
                                  "STRATEGY_CHAT_AUTH_SESSION_HOURS": "1.5"})
    assert settings.internal_groups() == {"a", "b"} and settings.login_required
    assert settings.auth_groups_claim == "roles" and settings.auth_session_hours == 1.5
    defaults = Settings.from_env({})
    assert defaults.internal_groups() == frozenset() and not defaults.login_required
    assert defaults.auth_groups_claim == "groups" and defaults.auth_session_hours == 8.0
    with pytest.raises(ValueError, match="STRATEGY_CHAT_LOGIN_REQUIRED"):  # a typo never opens the app
        Settings.from_env({"STRATEGY_CHAT_LOGIN_REQUIRED": "ja"})

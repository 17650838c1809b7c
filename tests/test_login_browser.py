"""Login in a real browser (issue 23): the app (`streamlit run app.py` on 127.0.0.1) with Streamlit's
`st.login` against a real OpenID Connect provider on loopback (tests/oidc_provider.py), both started and
stopped here, driven by Playwright in Debian's Chromium.

One index of two public documents and one internal memo; the app answers with the top passage
(`naive`), so whichever document retrieval may use is the one cited. In one browser, in turn:

- not logged in: the app is public-only (two documents listed, the memo never cited), a login offered;
- logged in through the provider's form as a member of the internal group: the memo cited, three listed;
- the member's page address opened in another browser: none of the member's conversation;
- logged out (through the provider's end-session endpoint): public-only again, no conversations listed;
- logged in as a user outside the group: public-only, and the member's address shows nothing;
- a login made nine hours ago (its ID token's iat) against an eight-hour session: expired, public-only.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

import pytest
from oidc_provider import OidcProvider, User
from test_browser import _require_chromium, app_server, ask_in_browser, browser_page

from webapp.ui import ui_texts

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CLIENT_ID, CLIENT_SECRET = "strategy-chat", secrets.token_urlsafe(24)
INTERNAL_GROUP = "strategy-internal"
MEMBER = User("anna", "anna-pw", "Anna Aalto", (INTERNAL_GROUP, "staff"))
OUTSIDER = User("bert", "bert-pw", "Bert Berg", ("citizens",))
STALE = User("cara", "cara-pw", "Cara Carlsson", (INTERNAL_GROUP,), issued_ago_s=9 * 3600)
MEMO_TITLE = "Sisäinen muistio tietoaltaasta"
SECRET_NAME = "Irma Sisänen"
MEMO = (
    f"{MEMO_TITLE}\n\n"
    f"Kivijärven tietoallashankkeen vastuuhenkilö on tietohallintopäällikkö {SECRET_NAME}. "
    "Tietoallashanke käynnistyy keväällä, ja sen budjetti on 40 000 euroa.\n"
)
QUESTION = "Kuka on Kivijärven tietoallashankkeen vastuuhenkilö?"
EN = ui_texts("en", REPO / "prompts")


@pytest.fixture()
def login_index(tmp_path: Path, two_doc_corpus: Path, embeddings) -> Path:
    """Two public corpus documents and an internal memo (under a folder named `internal/`)."""
    from ingest.pipeline import build_index

    corpus = tmp_path / "docs"
    shutil.copytree(two_doc_corpus, corpus)
    (corpus / "internal").mkdir()
    (corpus / "internal" / "muistio.txt").write_text(MEMO, encoding="utf-8")
    index_dir = tmp_path / "index"
    report = build_index([corpus], index_dir, embeddings)
    assert report.documents == 3, report.summary()
    return index_dir


def _secrets(path: Path, provider: OidcProvider) -> Path:
    """Streamlit's `[auth]` as a deployer writes it; `{port}` is filled in by Streamlit."""
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def _log_in(page, user: User) -> None:
    """The sidebar's Log in, the provider's form, back in the app."""
    page.get_by_test_id("stSidebar").get_by_role("button", name=EN["login"]).click()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("stChatInputTextArea").wait_for()


def _documents_listed(page, n: int) -> None:
    page.get_by_test_id("stSidebar").get_by_text(f"{EN['document_list']} ({n})").wait_for()


def _logged_in(page, user: User, internal: bool) -> None:
    """The sidebar names the user and what they see; the document list counts the memo only for members."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(EN["logged_in_as"].format(name=user.name)).wait_for()
    sidebar.get_by_text(EN["access_internal" if internal else "access_public"]).wait_for()
    _documents_listed(page, 3 if internal else 2)


def _asked_public_only(page) -> None:
    """The question whose answer is in the memo, answered from public documents only."""
    ask_in_browser(page, None, QUESTION)
    assert SECRET_NAME not in _last_answer(page) and MEMO_TITLE not in page.content()


def _last_answer(page) -> str:
    return page.get_by_test_id("stChatMessage").last.inner_text()


def test_login_through_a_real_oidc_provider_decides_who_sees_internal_documents(
    tmp_path: Path, login_index: Path
) -> None:
    _require_chromium()
    env = {
        "index_dir": login_index,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "feedback.jsonl",
        "conversations_db": tmp_path / "conversations.sqlite",
        "answerer": "naive",
        "auth_internal_groups": f"{INTERNAL_GROUP}, council",
        "auth_session_hours": "8",
    }
    times: dict[str, float] = {}
    started = time.monotonic()
    with OidcProvider(CLIENT_ID, CLIENT_SECRET, [], (MEMBER, OUTSIDER, STALE)) as idp:
        secrets_toml = _secrets(tmp_path / "secrets.toml", idp)
        login = ["--secrets.files", str(secrets_toml)]
        with app_server(env, tmp_path / "streamlit.log", streamlit_args=login,
                        launcher="streamlit") as url, browser_page() as page:
            idp.redirect_uris.add(f"{url}/oauth2callback")  # registered with the provider, as a deployer does
            sidebar = page.get_by_test_id("stSidebar")

            # not logged in: public only, a login offered
            page.goto(url)
            sidebar.get_by_text(EN["login_hint"]).wait_for()
            _documents_listed(page, 2)
            _asked_public_only(page)
            times["anonymous"] = time.monotonic() - started

            # a member of the internal group: the memo is found and cited
            mark = time.monotonic()
            _log_in(page, MEMBER)
            _logged_in(page, MEMBER, internal=True)
            times["member login"] = time.monotonic() - mark
            ask_in_browser(page, None, QUESTION)
            answer = page.get_by_test_id("stChatMessage").last
            assert SECRET_NAME in answer.inner_text()
            cards = answer.locator('[class*="st-key-sc-card-"]')
            assert cards.filter(has_text=MEMO_TITLE).count() >= 1, answer.inner_text()[:800]
            assert "c=" in page.url and "u=" not in page.url  # the conversation is the subject's, not a key's
            member_url = page.url
            sidebar.get_by_role("button", name=QUESTION[:30]).first.wait_for()
            times["member"] = time.monotonic() - mark

            # the member's address in another browser: nothing of theirs
            other = page.context.browser.new_context(locale="en-US")
            try:
                guest = other.new_page()
                guest.goto(member_url)
                guest.get_by_test_id("stSidebar").get_by_text(EN["login_hint"]).wait_for()
                guest.get_by_test_id("stSidebar").get_by_text(EN["no_conversations"]).wait_for()
                assert guest.get_by_test_id("stChatMessage").count() == 0
                assert SECRET_NAME not in guest.content() and MEMO_TITLE not in guest.content()
            finally:
                other.close()

            # logged out, at the provider too: public only again, the member's conversations gone from view
            mark = time.monotonic()
            sidebar.get_by_role("button", name=EN["logout"]).click()
            sidebar.get_by_text(EN["login_hint"]).wait_for()
            _documents_listed(page, 2)
            sidebar.get_by_text(EN["no_conversations"]).wait_for()
            assert idp.logouts == [MEMBER.username]
            assert SECRET_NAME not in page.content()
            times["logout"] = time.monotonic() - mark

            # a user outside the group: public only, and the member's address shows them nothing
            mark = time.monotonic()
            _log_in(page, OUTSIDER)
            _logged_in(page, OUTSIDER, internal=False)
            _asked_public_only(page)
            page.goto(member_url)
            sidebar.get_by_text(EN["logged_in_as"].format(name=OUTSIDER.name)).wait_for()
            page.get_by_test_id("stChatInputTextArea").wait_for()
            assert page.get_by_test_id("stChatMessage").count() == 0
            assert SECRET_NAME not in page.content()
            times["outsider"] = time.monotonic() - mark

            # a login older than the session's eight hours: treated as logged out
            mark = time.monotonic()
            sidebar.get_by_role("button", name=EN["logout"]).click()
            sidebar.get_by_text(EN["login_hint"]).wait_for()
            _log_in(page, STALE)
            page.get_by_text(EN["session_expired"]).wait_for()
            sidebar.get_by_role("button", name=EN["login"]).wait_for()
            _documents_listed(page, 2)
            assert EN["logged_in_as"].format(name=STALE.name) not in page.content()
            times["expired"] = time.monotonic() - mark
            assert idp.logins == [MEMBER.username, OUTSIDER.username, STALE.username]
    print("\n" + "; ".join(f"{k} {v:.1f} s" for k, v in times.items())
          + f"; whole test {time.monotonic() - started:.1f} s")

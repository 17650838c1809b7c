"""The app in a real browser: `streamlit run app.py` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Asks a question, checks that an answer with a citation card appears, that text from a document
carrying HTML and Markdown stays text, opens the section reader and saves screenshots.

`SCREENSHOT_INDEX=/tmp/sc-index SCREENSHOT_OUT=docs/screenshot.png pytest -m browser -k docs_screenshot`
retakes the README screenshot against a full index (see test_docs_screenshot).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from webapp.indexing import ingest_uploads
from webapp.ui import ui_texts

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUESTION = "Kuka vastasi digistrategian koordinoinnista?"
INJECTION = (
    "Testiasiakirja\n\n"
    'Toimenpiteen vastuuhenkilö on <b id="injected">Eeva Esimerkki</b>\n'
    '<img src=x onerror="window.__pwned=1">.\n'
    "Katso **lihavointi** ja [linkki](http://evil.example) sekä :red[punainen].\n"
)


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run this test"
        )
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(env_settings: dict[str, str], log: Path, timeout: float = 90) -> Iterator[str]:
    """`streamlit run app.py` on a free port of 127.0.0.1; stopped (and killed if need be) on exit."""
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.update({f"STRATEGY_CHAT_{k.upper()}": str(v) for k, v in env_settings.items()})
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout
            while True:
                if server.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited with {server.returncode}:\n{log.read_text()[-3000:]}"
                    )
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"streamlit did not answer within {timeout} s:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@contextlib.contextmanager
def browser_page(locale: str = "en-US", width: int = 1280, height: int = 900) -> Iterator:
    """A page in headless Debian Chromium; Playwright never downloads a browser of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def ask_in_browser(page, url: str, question: str, open_label: str = "Open section") -> None:
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(1).wait_for()  # the assistant's turn
    page.get_by_role("button", name=open_label).first.wait_for()  # at least one card is drawn


def test_question_citation_card_and_reader(
    tmp_path: Path, two_doc_index: Path, two_doc_corpus: Path, copy_index, embeddings
) -> None:
    _require_chromium()
    index_dir = copy_index(two_doc_index)
    settings = Settings(index_dir=index_dir, upload_dir=tmp_path / "uploads", corpus_dir=two_doc_corpus)
    added = ingest_uploads([("testiasiakirja.txt", INJECTION.encode())], settings, embeddings)
    assert added[0].ok, added[0].reason

    env = {
        "index_dir": index_dir,
        "corpus_dir": two_doc_corpus,
        "upload_dir": settings.upload_dir,
        "feedback_log": tmp_path / "feedback.jsonl",
    }
    with app_server(env, tmp_path / "streamlit.log") as url, browser_page() as page:
        ask_in_browser(page, url, QUESTION)
        answer = page.get_by_test_id("stChatMessage").nth(1)
        assert "[1]" in answer.inner_text()
        assert "Kaustisen seudun digistrategian 2028" in answer.inner_text()  # the card's document title
        assert answer.locator("mark").count() >= 1  # the quote highlighted in its section
        assert page.get_by_text(
            "Ask the strategies and minutes"
        ).is_visible()  # English from the browser locale
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

        page.get_by_role("button", name="Open section").first.click()
        dialog = page.get_by_role("dialog")
        dialog.locator("mark").wait_for()  # the dialog's content arrives after its frame
        assert "Cited section" in dialog.inner_text()
        assert dialog.locator("mark").count() == 1
        page.screenshot(path=str(tmp_path / "reader.png"))
        page.keyboard.press("Escape")

        # a document's markup stays text: nothing injected into the page, every character shown
        ask_in_browser(page, url, "Kuka on toimenpiteen vastuuhenkilö testiasiakirjassa?")
        page.get_by_text('<b id="injected">', exact=False).first.wait_for()
        assert page.locator("#injected").count() == 0
        assert page.locator("img[src=x]").count() == 0
        assert page.locator('a[href="http://evil.example"]').count() == 0
        assert page.evaluate("window.__pwned") is None
        assert "**lihavointi**" in page.locator("body").inner_text()
        page.screenshot(path=str(tmp_path / "escaped.png"), full_page=True)
    assert (tmp_path / "answer.png").stat().st_size > 10_000
    assert (tmp_path / "reader.png").stat().st_size > 10_000


@pytest.mark.skipif(
    not os.environ.get("SCREENSHOT_OUT"), reason="set SCREENSHOT_OUT (and SCREENSHOT_INDEX) to retake"
)
def test_docs_screenshot(tmp_path: Path) -> None:
    """The README screenshot: the app answering with citations, against an index of the whole corpus."""
    _require_chromium()
    index_dir = Path(os.environ.get("SCREENSHOT_INDEX", "/tmp/sc-index"))
    assert (index_dir / "CURRENT").exists(), f"no index at {index_dir}: build one from corpus/ first"
    question = os.environ.get(
        "SCREENSHOT_QUESTION", "Kuka vastasi Kaustisen seudun digistrategian koordinoinnista?"
    )
    env = {"index_dir": index_dir, "upload_dir": tmp_path / "uploads", "feedback_log": tmp_path / "f.jsonl"}
    with (
        app_server(env, tmp_path / "streamlit.log") as url,
        browser_page(locale="fi-FI", height=1000) as page,
    ):
        ask_in_browser(page, url, question, open_label=ui_texts("fi", REPO / "prompts")["open_section"])
        page.wait_for_timeout(500)
        page.screenshot(path=os.environ["SCREENSHOT_OUT"], full_page=False)

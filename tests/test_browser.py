"""The app in a real browser: `streamlit run app.py` on 127.0.0.1, driven by Playwright in Debian's Chromium.

Checks the first page before the model has loaded, the first page's and first answer's times, that [n]
opens its card, a PDF citation's page image with its highlight on the quoted words (against Poppler's word
boxes), a board → council matter's timeline, opened by itself when asked how the matter went (fi, sv, en),
that text from a document carrying HTML and Markdown stays text, and that a reload keeps the conversation
and the language.

`SCREENSHOT_INDEX=/tmp/sc-index SCREENSHOT_OUT=docs/screenshot.png pytest -m browser -k docs_screenshot`
retakes the README screenshot against a full index (see test_docs_screenshot).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

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
def app_server(env_settings: dict[str, str], log: Path, timeout: float = 90,
               streamlit_args: Sequence[str] = (), launcher: str = "serve") -> Iterator[str]:
    """The app on a free port of 127.0.0.1; stopped (and killed if need be) on exit. `launcher`: "serve"
    is `python -m webapp.serve` (`make app`: the model loads from server start), "streamlit" the plain
    `streamlit run app.py` (it loads when the first page opens). `streamlit_args`: more Streamlit
    options (e.g. `--secrets.files PATH` for a login's `[auth]`)."""
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1,localhost"}
    env.update({f"STRATEGY_CHAT_{k.upper()}": str(v) for k, v in env_settings.items()})
    start = {"serve": ["webapp.serve"], "streamlit": ["streamlit", "run", "app.py"]}[launcher]
    cmd = [
        sys.executable, "-m", *start,
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer", *streamlit_args,
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


def ask_in_browser(page, url: str | None, question: str) -> float:
    """Ask in the chat box; returns the seconds from Enter until the answer's first card is there."""
    if url:
        page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    before = page.get_by_test_id("stChatMessage").count()
    box.fill(question)
    started = time.monotonic()
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(before + 1)
    answer.wait_for()  # the assistant's turn
    # drawn: a citation card (collapsed until opened) or an abstention's warning
    answer.locator('[data-testid="stExpander"], [data-testid="stAlert"]').first.wait_for()
    return time.monotonic() - started


def _marked_pixels(png: bytes) -> int:
    """Pixels of the highlight's outline colour in a screenshot (webapp.pages.MARK_LINE, ±16 per channel)."""
    import io

    from PIL import Image

    from webapp.pages import MARK_LINE

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for px in image.getdata() if all(abs(a - b) <= 16 for a, b in zip(px, MARK_LINE[:3])))


def _marked_box(png: bytes) -> tuple[float, float, float, float] | None:
    """The box around every pixel of the highlight's outline colour, as fractions of the image's width and
    height (left, top, right, bottom); None when nothing is marked."""
    import io

    from PIL import Image

    from webapp.pages import MARK_LINE

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    xs, ys = [], []
    for i, px in enumerate(image.getdata()):
        if all(abs(a - b) <= 16 for a, b in zip(px, MARK_LINE[:3])):
            xs.append(i % width)
            ys.append(i // width)
    if not xs:
        return None
    return min(xs) / width, min(ys) / height, (max(xs) + 1) / width, (max(ys) + 1) / height


def _words_box(pdf: Path, page_no: int, quote: str) -> tuple[float, float, float, float]:
    """Where the quote's words stand on the page, found independently of the app: Poppler's `pdftotext
    -bbox` word boxes, the longest run of the quote's words met in the same order on the page, as
    fractions of the page's width and height (left, top, right, bottom)."""
    import re
    import xml.etree.ElementTree as ET

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: install poppler-utils (make system) to check where the mark is")
    xml = subprocess.run(["pdftotext", "-f", str(page_no), "-l", str(page_no), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    page = next(e for e in ET.fromstring(xml).iter() if e.tag.endswith("page"))
    width, height = float(page.get("width")), float(page.get("height"))

    def norm(word: str) -> str:
        return re.sub(r"[^\w]", "", word.casefold())

    words = [(norm(w.text or ""), w) for w in page.iter() if w.tag.endswith("word")]
    quoted = [n for n in map(norm, quote.split()) if n]
    # every page word in a run of three or more of the quote's words met in the same order (dynamic
    # programming over quote × page: the length of the common run ending at each pair)
    covered: set[int] = set()
    previous = [0] * (len(words) + 1)
    for q in quoted:
        row = [0] * (len(words) + 1)
        for k, (w, _) in enumerate(words, 1):
            if w and w == q:
                row[k] = previous[k - 1] + 1
                if row[k] >= 3:
                    covered.update(range(k - row[k], k))
        previous = row
    assert covered, f"the quote's words are not on page {page_no}: {quote!r}"
    run = [words[k][1] for k in sorted(covered)]
    return (min(float(e.get("xMin")) for e in run) / width, min(float(e.get("yMin")) for e in run) / height,
            max(float(e.get("xMax")) for e in run) / width, max(float(e.get("yMax")) for e in run) / height)


def _overlap(marked: tuple[float, ...], words: tuple[float, ...]) -> float:
    """The share of the words' box that the marked box covers."""
    left, top = max(marked[0], words[0]), max(marked[1], words[1])
    right, bottom = min(marked[2], words[2]), min(marked[3], words[3])
    inside = max(0.0, right - left) * max(0.0, bottom - top)
    return inside / ((words[2] - words[0]) * (words[3] - words[1]))


def _area(box: tuple[float, ...]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


@pytest.fixture()
def browser_index(tmp_path: Path, two_doc_corpus: Path, embeddings) -> tuple[Path, Path]:
    """The two corpus documents, the Seinäjoki council minutes (board → council), the Vasa PDF plan and
    a document carrying HTML and Markdown."""
    from ingest.pipeline import build_index

    corpus = tmp_path / "docs"
    shutil.copytree(two_doc_corpus, corpus)
    for name in ("fi_valtuusto_poytakirja.txt", "sv_handlingsplan.pdf"):
        shutil.copy(REPO / "tests" / "data" / name, corpus / name)
    (corpus / "testiasiakirja.txt").write_text(INJECTION, encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, embeddings)
    return index_dir, corpus


PDF_QUESTION = "Vem ansvarar för den gemensamma informationsplattformen enligt handlingsplanen?"
MATTER_QUESTION = "Miten kaupunginvaltuusto päätti Seinäjoen digitalisaatio-ohjelmasta muutettuna?"
# How the matter went, as people ask it in each language (the genre's path words: eteni, behandlades, handled)
PATH_QUESTIONS = (
    "Miten Seinäjoen digitalisaatio-ohjelma eteni toimielimissä?",
    "Hur behandlades Seinäjokis digitaliseringsprogram i organen?",
    "How was the Seinäjoki digitalisation programme handled by the bodies?",
)


def test_app_in_chromium(tmp_path: Path, browser_index: tuple[Path, Path]) -> None:
    """First page before the model, [1] opens its card, the PDF page with its highlight, the matter
    timeline, document markup kept as text, a reload that keeps the conversation and the language."""
    _require_chromium()
    index_dir, corpus = browser_index
    env = {
        "index_dir": index_dir,
        "corpus_dir": corpus,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "feedback.jsonl",
        "conversations_db": tmp_path / "conversations.sqlite",
        # the top passage as the answer: which passage an answerer quotes is tested with the answerer;
        # here it is the app around the answer (and a PDF passage is sure to be cited)
        "answerer": "naive",
    }
    en = ui_texts("en", REPO / "prompts")
    started = time.monotonic()
    with app_server(env, tmp_path / "streamlit.log") as url, browser_page() as page:
        # the first page is usable while the model still loads: overview, examples, the chat box
        page.goto(url)
        notice = page.get_by_text(en["loading_model"][:30])
        notice.wait_for()
        page.get_by_text(en["examples_title"]).wait_for()
        page.get_by_test_id("stChatInputTextArea").wait_for()
        usable = time.monotonic() - started
        assert notice.is_visible()  # the model is not there yet, and the page is
        overview = page.locator("li", has_text="Municipalities:").first
        assert "Kaustinen" in overview.inner_text()  # the overview names what the index holds

        # a question about the PDF plan: its [n] opens the card, whose page tab shows the highlighted page
        first = ask_in_browser(page, None, PDF_QUESTION)
        first_answer = time.monotonic() - started
        answer = page.get_by_test_id("stChatMessage").nth(1)
        links = answer.locator('a[href^="#sc-card-"]')
        assert links.count() >= 1, answer.inner_text()[:500]
        cards = page.locator('[class*="st-key-sc-card-"]')
        pdf = cards.filter(has=page.get_by_text("Handlingsplan för digi"))
        assert pdf.count() >= 1, answer.inner_text()[:800]
        key = next(c for c in pdf.first.get_attribute("class").split() if c.startswith("st-key-sc-card-"))
        details = pdf.first.get_by_test_id("stExpanderDetails")
        assert not details.is_visible()  # collapsed until its [n] is clicked
        answer.locator(f'a[href="#{key.removeprefix("st-key-")}"]').first.click()
        details.wait_for()
        assert pdf.first.locator("mark").first.is_visible()  # the quote highlighted in the text
        tab = pdf.first.get_by_role("tab", name="Page")
        image = pdf.first.get_by_test_id("stImage").locator("img").first
        for _ in range(20):  # a click while the card is still unfolding can be lost: click until shown
            tab.click()
            page.wait_for_timeout(500)
            if image.is_visible():
                break
        image.wait_for()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
        assert _marked_pixels(image.screenshot()) > 50  # the quote's boxes drawn on the page image
        page_no = tab.inner_text().split()[-1]
        assert pdf.first.locator("a.sc-pdf").get_attribute("href").endswith(f"#page={page_no}")
        # …on the quoted words: the image as served (its full size) against Poppler's boxes of the words
        # that the text tab marks. Both as fractions of the page, so the render's scale does not matter.
        src = image.get_attribute("src")
        with urllib.request.urlopen(src if src.startswith("http") else url + src, timeout=30) as response:
            marked = _marked_box(response.read())
        quote = " ".join(pdf.first.locator("mark").all_text_contents())
        words = _words_box(corpus / "sv_handlingsplan.pdf", int(page_no), quote)
        assert marked is not None, "nothing marked on the page image"
        covered = _overlap(marked, words)
        print(f"\nhighlight: marked box {tuple(round(v, 3) for v in marked)}, quoted words "
              f"{tuple(round(v, 3) for v in words)} (fractions of page {page_no}); {covered:.0%} of the "
              f"words' box covered, marked/words area {_area(marked) / _area(words):.2f}")
        assert covered >= 0.8, quote  # the mark lies on the quoted words…
        assert _area(marked) <= 2.5 * _area(words), quote  # …and not on a heading or the page besides
        page.screenshot(path=str(tmp_path / "pdf.png"), full_page=True)

        # a board → council matter: the timeline, board first
        ask_in_browser(page, None, MATTER_QUESTION)
        timeline = page.get_by_test_id("stExpander").filter(has_text="The matter's handling").last
        timeline.wait_for()
        if not timeline.get_by_test_id("stExpanderDetails").is_visible():  # folded unless asked for a path
            timeline.locator("summary").first.click()
        timeline.get_by_text("Kaupunginvaltuusto 2024-03-11 § 18").wait_for()
        text = timeline.inner_text()
        board, council = "Kaupunginhallitus 2024-02-26 § 62", "Kaupunginvaltuusto 2024-03-11 § 18"
        assert text.index(board) < text.index(council)
        assert "approved as amended, vote 31–20" in text

        # asked how the matter went, in Finnish, Swedish or English: the timeline is the answer and opens
        timelines = page.get_by_test_id("stExpander").filter(has_text="The matter's handling")
        for question in PATH_QUESTIONS:
            before = timelines.count()
            ask_in_browser(page, None, question)
            opened = timelines.nth(before).get_by_test_id("stExpanderDetails")  # this turn's timeline
            try:
                opened.get_by_text(council).wait_for(timeout=20_000)  # shown without a click
            except Exception:
                page.screenshot(path=str(tmp_path / "path.png"), full_page=True)
                raise AssertionError(
                    f"{question}: {page.get_by_test_id('stChatMessage').last.inner_text()[:1200]}"
                ) from None
            shown = opened.inner_text()
            assert shown.index(board) < shown.index(council), question

        # a document's markup stays text: nothing injected into the page, every character shown
        warm = [ask_in_browser(page, None, "Mitä testiasiakirja sanoo: lihavointi, linkki ja punainen?")]
        page.get_by_test_id("stChatMessage").last.locator('a[href^="#sc-card-"]').first.click()  # open [1]
        try:
            shown = '<img src=x onerror="window.__pwned=1">'
            page.get_by_text(shown, exact=False).first.wait_for(timeout=20_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "injection.png"), full_page=True)
            raise AssertionError(page.get_by_test_id("stChatMessage").last.inner_text()[:1500]) from None
        assert page.locator("#injected").count() == 0
        assert page.locator("img[src=x]").count() == 0
        assert page.locator('a[href="http://evil.example"]').count() == 0
        assert page.evaluate("window.__pwned") is None
        assert "**lihavointi**" in page.locator("body").inner_text()
        warm.append(ask_in_browser(page, None, QUESTION))
        warm.append(ask_in_browser(page, None, "Vem ansvarar för den digitala agendan i Bräcke?"))

        # Swedish, then a reload: the same conversation, still in Swedish
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="Svenska").click()
        sv = ui_texts("sv", REPO / "prompts")
        page.get_by_text(sv["title"]).wait_for()
        shown = page.get_by_test_id("stChatMessage").count()
        assert "c=" in page.url and "u=" in page.url
        page.reload()
        page.get_by_text(sv["title"]).wait_for()
        page.get_by_test_id("stChatMessage").nth(shown - 1).wait_for()
        assert page.get_by_test_id("stChatMessage").count() == shown
        sidebar.get_by_role("button", name=PDF_QUESTION[:30]).first.wait_for()  # listed by its first question
        page.screenshot(path=str(tmp_path / "reloaded.png"), full_page=True)
    print(
        f"\nusable page {usable:.1f} s after start; first answer {first_answer:.1f} s after start "
        f"({first:.1f} s after asking); warm answers {', '.join(f'{w:.2f}' for w in warm)} s"
    )


# Issue 22's targets on an existing index, after the page opens: the chat input within 4 s, the first
# answer within 8 s. Asserted with room for a loaded 2-core CI box (other suites and training share it);
# the measured times are printed and recorded (BENCHMARKS.md has them with the box's load).
CHAT_INPUT_BOUND_S = 20.0
FIRST_ANSWER_BOUND_S = 60.0


def test_first_page_and_first_answer_times(tmp_path: Path, browser_index: tuple[Path, Path],
                                           record_property) -> None:
    """A fresh app on an existing index, the shipped answer step: seconds from opening the page until the
    chat input is there, and until the answer to a question typed at once is drawn."""
    _require_chromium()
    index_dir, _corpus = browser_index
    env = {
        "index_dir": index_dir,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "feedback.jsonl",
        "conversations_db": tmp_path / "conversations.sqlite",
    }
    with app_server(env, tmp_path / "streamlit.log") as url, browser_page() as page:
        opened = time.monotonic()
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for()
        chat_input = time.monotonic() - opened
        asked = ask_in_browser(page, None, QUESTION)
        first_answer = time.monotonic() - opened
        text = page.get_by_test_id("stChatMessage").last.inner_text()
    record_property("chat_input_s", round(chat_input, 2))
    record_property("first_answer_s", round(first_answer, 2))
    print(f"\nafter the page opened: chat input {chat_input:.1f} s (target 4), first answer "
          f"{first_answer:.1f} s (target 8; {asked:.1f} s of it after asking)")
    assert text.strip(), "no answer drawn"
    assert chat_input <= CHAT_INPUT_BOUND_S
    assert first_answer <= FIRST_ANSWER_BOUND_S


FRESH_TREE_INPUT_BOUND_S = 20.0  # target 8 on a quiet box (issue 22); a loaded CI box takes longer


def test_a_fresh_tree_takes_a_question_while_its_index_builds(tmp_path: Path, two_doc_corpus: Path,
                                                             record_property) -> None:
    """No index yet: the chat input is there while the model loads and the first index builds in the
    background, and a question typed at once is answered from the index once it is built."""
    _require_chromium()
    index_dir = tmp_path / "index"
    env = {
        "index_dir": index_dir,
        "corpus_dir": two_doc_corpus,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "feedback.jsonl",
        "conversations_db": tmp_path / "conversations.sqlite",
    }
    with app_server(env, tmp_path / "streamlit.log") as url, browser_page() as page:
        page.set_default_timeout(180_000)  # the answer waits for the model and the whole first build
        opened = time.monotonic()
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for()
        chat_input = time.monotonic() - opened
        building = page.get_by_test_id("stAlert").first.inner_text()
        asked = ask_in_browser(page, None, QUESTION)
        text = page.get_by_test_id("stChatMessage").last.inner_text()
    record_property("fresh_chat_input_s", round(chat_input, 2))
    print(f"\nfresh tree: chat input {chat_input:.1f} s after the page opened (target 8); the answer "
          f"{asked:.1f} s after asking, the index built meanwhile")
    assert "no index yet" in building.lower() or (index_dir / "CURRENT").exists(), building
    assert str(tmp_path) not in building  # never the machine's absolute paths
    assert (index_dir / "CURRENT").exists()
    assert "[1]" in text, text
    assert chat_input <= FRESH_TREE_INPUT_BOUND_S


def test_reader_answer_shows_the_span_bold_inside_the_cited_quote(tmp_path: Path,
                                                                  two_doc_index: Path) -> None:
    """The trained reader's answer in the app: the quoted sentence with the answer span in bold, cited."""
    _require_chromium()
    from reader.model import manifest_path

    if not manifest_path().exists():
        pytest.skip("no trained reader in reader/models: run `strategy-chat train-reader`")
    env = {
        "index_dir": two_doc_index,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "feedback.jsonl",
        "conversations_db": tmp_path / "conversations.sqlite",
        "answerer": "reader",
        "reader_threshold": "0",  # answer whatever it reads best: this test is about how a span is shown
    }
    with app_server(env, tmp_path / "streamlit.log") as url, browser_page() as page:
        ask_in_browser(page, url, QUESTION)
        answer = page.get_by_test_id("stChatMessage").last
        bold = [t.strip() for t in answer.locator("strong").all_inner_texts()]
        spans = [t for t in bold if t and not t.startswith("[")]  # [n] markers are bold too
        assert spans, answer.inner_text()
        text = answer.inner_text()
        assert "[1]" in text and spans[0] in text
        # the span stands inside the quoted sentence: quote marks around it on the same line
        line = next(ln for ln in text.splitlines() if spans[0] in ln)
        assert "”" in line or "“" in line, line


@pytest.mark.skipif(
    not os.environ.get("SCREENSHOT_OUT"), reason="set SCREENSHOT_OUT (and SCREENSHOT_INDEX) to retake"
)
def test_docs_screenshot(tmp_path: Path) -> None:
    """The README screenshots against an index of the corpus: on a desktop, an answer with its first card
    opened from its [1]; on a phone (390 px), the first page with the overview and example questions.
    SCREENSHOT_OUT names the desktop one; the phone one goes beside it with "-phone" before the suffix."""
    _require_chromium()
    index_dir = Path(os.environ.get("SCREENSHOT_INDEX", "/tmp/sc-index"))
    assert (index_dir / "CURRENT").exists(), f"no index at {index_dir}: build one from corpus/ first"
    out = Path(os.environ["SCREENSHOT_OUT"])
    question = os.environ.get(
        "SCREENSHOT_QUESTION", "Kuka vastasi Kaustisen seudun digistrategian koordinoinnista?"
    )
    fi = ui_texts("fi", REPO / "prompts")
    env = {
        "index_dir": index_dir,
        "upload_dir": tmp_path / "uploads",
        "feedback_log": tmp_path / "f.jsonl",
        "conversations_db": tmp_path / "c.sqlite",
    }
    with app_server(env, tmp_path / "streamlit.log") as url:
        with browser_page(locale="fi-FI", width=390, height=844) as page:
            page.goto(url)
            page.get_by_text(fi["examples_title"]).wait_for()
            page.wait_for_timeout(800)
            page.screenshot(path=str(out.with_name(f"{out.stem}-phone{out.suffix}")), full_page=False)
        with browser_page(locale="fi-FI", height=1000) as page:
            ask_in_browser(page, url, question)
            answer = page.get_by_test_id("stChatMessage").nth(1)
            link = answer.locator('a[href^="#sc-card-"]').first
            if link.count():
                link.click()
            page.wait_for_timeout(800)
            page.screenshot(path=str(out), full_page=False)

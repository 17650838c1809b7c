"""Document text on the app's page is text: a document whose title, headings, body and sidecar metadata are
made of HTML and Markdown is asked about and read in the section reader, and no element of the page —
Markdown, captions, alerts, cards, the reader — turns any of it into markup.

tests/test_app.py checks the escaping helpers one by one; this walks every element of a real page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown_it
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from ingest.pipeline import build_index

from .conftest import REPO

APP = str(REPO / "app.py")
ATTACK = '<img src=x onerror=alert(1)> <script>alert(2)</script> [klikkaa](javascript:alert(3)) **x**'
DOCUMENT = f"""# Digiohjelma {ATTACK}

## Toimenpiteet <iframe src="https://evil.example"></iframe> _kursiivi_

Digiohjelman toimeenpanosta vastaa tietohallinto <b onclick="alert(4)">Ville Virtanen</b> [1](javascript:x).
Ohjelma hyväksyttiin kaupunginhallituksessa 3.2.2025 :red[punainen] $x^2$ <style>body{{display:none}}</style>

| Toimenpide | Vastuutaho | Aikataulu |
| --- | --- | --- |
| Digituki <svg onload=alert(5)> | Kirjasto <a href="javascript:alert(6)">linkki</a> | 2025 |
"""
MUNICIPALITY = '<img src=y onerror=alert(7)>Kunta](javascript:alert(8))'
FORBIDDEN = re.compile(r"<\s*(img|script|iframe|svg|style|a|b|input|form|object|embed)\b", re.IGNORECASE)
HTML_ALLOWED = {"div", "mark", "details", "summary", "br", "button"}  # button: the app's copy button
OWN_LINK = re.compile(r'<a href="#sc-card-\d+-\d+">')  # the app's own [n] → card links


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    folder = tmp_path_factory.mktemp("render") / "docs"
    folder.mkdir()
    (folder / "digiohjelma.md").write_text(DOCUMENT, encoding="utf-8")
    (folder / "digiohjelma.md.meta.json").write_text(json.dumps({"municipality": MUNICIPALITY}))
    target = folder.parent / "index"
    assert build_index([folder], target, embeddings).documents == 1
    return target


def elements(at: AppTest) -> list[tuple[str, str]]:
    """(element type, its protobuf as text) for every element on the page, dialogs included."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append((type(node).__name__, text_format.MessageToString(proto, as_utf8=True)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_hostile_document_text_renders_as_text(monkeypatch, tmp_path, index_dir, figures) -> None:
    for key, value in {"INDEX_DIR": index_dir, "CORPUS_DIR": tmp_path / "none", "UPLOAD_DIR": tmp_path / "up",
                       "FEEDBACK_LOG": tmp_path / "f.jsonl", "ANSWERER": "extractive"}.items():
        monkeypatch.setenv(f"STRATEGY_CHAT_{key}", str(value))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["ui_lang"] = "en"
    at.run()
    for question in ("Kuka vastaa digiohjelman toimeenpanosta?", "Milloin ohjelma hyväksyttiin?",
                     "What is the recipe for pancakes?"):
        at.chat_input(key="question").set_value(question).run()
        assert not at.exception, [e.value for e in at.exception]
    answered = [t for t in at.session_state["turns"] if t["answer"] and not t["answer"].abstained]
    assert answered, [t["answer"].text for t in at.session_state["turns"]]
    at.button(key=f"open_{answered[0]['id']}_1_c").click().run()  # the section reader too
    assert not at.exception

    markdown = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.error, *at.info, *at.success)]
    assert any("Virtanen" in m for m in markdown)  # the document's text is on the page …
    renderer = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for value in markdown:  # … and none of it became markup
        html = renderer.render(value)
        assert not FORBIDDEN.search(OWN_LINK.sub("", html)), (value, html)
        assert "<strong>x</strong>" not in html and "<em>kursiivi</em>" not in html, value
    scripts = [h.proto.body for h in at.get("html") if h.proto.unsafe_allow_javascript]
    assert len(scripts) == 1 and "Virtanen" not in scripts[0] and "alert(" not in scripts[0]  # the app's own
    bodies = [h.proto.body for h in at.get("html") if not h.proto.unsafe_allow_javascript]
    assert bodies and any("Virtanen" in b for b in bodies)
    for body in bodies:
        tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z][\w-]*)", body)}
        assert tags <= HTML_ALLOWED, (tags - HTML_ALLOWED, body[:300])
    for kind, proto in elements(at):  # no element anywhere carries the raw tags (but the app's own script)
        if "unsafe_allow_javascript: true" in proto:
            continue
        assert "<script>" not in proto and "<img src=x" not in proto, kind
    figures.add("rendering", "page elements checked", len(elements(at)))

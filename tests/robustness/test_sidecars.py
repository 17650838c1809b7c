"""Sidecars fail closed (issue 15, item 1): a document whose visibility cannot be established with
certainty from `NAME.meta.json` is internal, with a one-line note, and never crashes the batch.

The fuzz writes random sidecars — random JSON (objects, arrays, scalars, nesting), the key "visibility"
in random case and spacing, repeated keys, values of every type, BOM-prefixed UTF-8/16/32, Latin-1,
truncated and trailing-comma text — and compares `read_sidecar` + `visibility_of` with an oracle written
from the rule alone: public only where the bytes decode, the JSON is an object, and every key that
folds to "visibility" has a string value that folds to the same "public" or "internal" (or there is
none and the folder says public).
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.pipeline import Assistant
from config import Settings
from ingest.pipeline import build_index
from ingest.sidecars import read_sidecar, visibility_of
from ingest.store import read_manifest

from .fake_embeddings import FakeEmbeddings

DOC = "Kunnanhallitus\nPöytäkirja\nSalainen hanke Kvasar maksaa 3,7 miljoonaa euroa.\n"


def oracle(raw: bytes, folder_internal: bool) -> str:
    """The rule, independently of the code: see the module docstring."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (b"", "utf-8-sig")):
        if raw.startswith(bom):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                return "internal"
            break
    try:
        pairs = json.loads(text, object_pairs_hook=lambda p: ("object", p))
    except (ValueError, RecursionError):
        return "internal"
    if not (isinstance(pairs, tuple) and pairs[0] == "object"):
        return "internal"
    values = [v for k, v in pairs[1] if k.strip().casefold() == "visibility"]
    if not values:
        return "internal" if folder_internal else "public"
    if not all(isinstance(v, str) for v in values):
        return "internal"
    named = {v.strip().casefold() for v in values}
    if len(named) != 1 or not named <= {"public", "internal"}:
        return "internal"
    if len(set(map(json.dumps, values))) > 1:  # the same word spelled twice differently: still ambiguous
        return "internal"
    return named.pop()


def key_spellings() -> st.SearchStrategy[str]:
    return st.sampled_from(["visibility", "Visibility", "VISIBILITY", " visibility", "visibility ",
                            "ViSiBiLiTy", "visibilty", "municipality", "body", "Body", "title", "source",
                            "page", ""])


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=16),
                    st.sampled_from(["public", "internal", "Public", " PUBLIC ", "internal ", "julkinen",
                                     "", "intern", "public\u202e", "Kaustinen"]), st.text(max_size=8))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(key_spellings(), inner, max_size=3)), max_leaves=8)


def render(pairs: list[tuple[str, object]]) -> str:
    """A JSON object text with the pairs in order (repeated keys kept)."""
    return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in pairs) + "}"


@st.composite
def sidecar_bytes(draw) -> bytes:
    shape = draw(st.sampled_from(["object", "object", "object", "other", "garbage"]))
    if shape == "object":
        text = render(draw(st.lists(st.tuples(key_spellings(), json_values), max_size=5)))
    elif shape == "other":
        text = json.dumps(draw(json_values), ensure_ascii=False)
    else:
        text = draw(st.text(max_size=30))
    damage = draw(st.sampled_from(["none", "none", "trailing comma", "truncate", "comment"]))
    if damage == "trailing comma" and text.endswith("}") and len(text) > 2:
        text = text[:-1] + ",}"
    elif damage == "truncate" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif damage == "comment":
        text = "// metadata\n" + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be+bom", "utf-32",
                                     "latin-1", "utf-16-le-nobom"]))
    try:
        if encoding == "utf-16-be+bom":
            return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        if encoding == "utf-16-le-nobom":
            return text.encode("utf-16-le")
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=sidecar_bytes(), folder_internal=st.booleans())
def test_fuzzed_sidecars_fail_closed(tmp_path: Path, raw: bytes, folder_internal: bool, figures) -> None:
    folder = tmp_path / ("internal" if folder_internal else "public")
    folder.mkdir(exist_ok=True)
    doc = folder / "memo.txt"
    doc.write_text(DOC, encoding="utf-8")
    (folder / "memo.txt.meta.json").write_bytes(raw)
    sidecar = read_sidecar(doc)  # never raises
    got = visibility_of(doc, sidecar)
    assert got == oracle(raw, folder_internal), (raw, sidecar)
    assert all("\n" not in p and len(p) < 300 for p in sidecar.problems)  # one line each
    if got == "internal" and oracle(raw, False) == "internal" and b"internal" not in raw.lower():
        assert sidecar.problems  # made internal by doubt: the summary says why
    figures.add("fuzz sidecars", "inputs")
    figures.add("fuzz sidecars", f"visibility {got}")


@pytest.mark.parametrize(("raw", "visibility", "note"), [
    # the issue's three cases
    (b'{"visibility": "internal",}', "internal", "not valid JSON"),  # trailing comma: internal, said so
    (codecs.BOM_UTF8 + b'{"visibility": "internal"}', "internal", None),  # Notepad's BOM: read
    (b'{"Visibility": "internal"}', "internal", None),  # keys in any case
    (codecs.BOM_UTF8 + b'{"VISIBILITY": "Public"}', "public", None),
    (b'["internal"]', "internal", "holds an array"),  # not an object
    (b'"public"', "internal", "holds a string"),
    (b'{"visibility": true}', "internal", "not \"public\" or \"internal\""),  # wrong value type
    (b'{"visibility": "secret"}', "internal", "not \"public\" or \"internal\""),
    (b'{"visibility": "public", "Visibility": "internal"}', "internal", "twice"),
    (b'{"municipality": ["Kuopio"]}', "public", "should be text"),  # no doubt about visibility
    ('{"visibility": "internal"}'.encode("utf-16"), "internal", None),
    (b"", "internal", "not valid JSON"),
])
def test_the_issues_sidecars(tmp_path: Path, raw: bytes, visibility: str, note: str | None) -> None:
    doc = tmp_path / "memo.txt"
    doc.write_text(DOC, encoding="utf-8")
    (tmp_path / "memo.txt.meta.json").write_bytes(raw)
    sidecar = read_sidecar(doc)
    assert visibility_of(doc, sidecar) == visibility
    if note is None:
        assert not sidecar.problems
    else:
        assert any(note in p for p in sidecar.problems), sidecar.problems


@pytest.mark.integration
def test_broken_sidecars_never_stop_the_batch_nor_leak_in_public_only(tmp_path: Path, monkeypatch) -> None:
    """Was: ingest exited 0 and the "internal" documents were cited and listed with PUBLIC_ONLY=1."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "public.txt").write_text("Kunnanhallitus\nPöytäkirja\nKirjaston aukioloajat pidennetään.\n",
                                     encoding="utf-8")
    broken = {"comma.txt": b'{"visibility": "internal",}',
              "bom.txt": codecs.BOM_UTF8 + b'{"visibility": "x"}', "list.txt": b'["internal"]',
              "case.txt": b'{"Visibility": "Internal"}'}
    for name, raw in broken.items():
        (docs / name).write_text(DOC.replace("Kvasar", f"Kvasar{name[:4]}"), encoding="utf-8")
        (docs / f"{name}.meta.json").write_bytes(raw)
    index = tmp_path / "index"
    report = build_index([docs], index, FakeEmbeddings())
    assert not report.skipped and sorted(report.parsed) == sorted([*broken, "public.txt"])
    noted = {Path(p).name for p, _ in report.notes}
    assert noted == {"comma.txt", "bom.txt", "list.txt"}  # case.txt is fine: keys are case-insensitive
    files = read_manifest(index).files
    assert {s for s, e in files.items() if e.visibility == "public"} == {"public.txt"}

    import assistant.pipeline as api
    monkeypatch.setattr(api, "make_embeddings", lambda *a, **k: FakeEmbeddings())
    assistant = Assistant(Settings(index_dir=index, public_only=True, answerer="extractive"))
    for question in ("Mitä Kvasar maksaa?", "Paljonko salainen hanke maksaa?", "Kvasarcomm Kvasarlist"):
        answer = assistant.ask(question)
        assert {p.chunk.source for p in answer.passages} <= {"public.txt"}, question
        assert "Kvasar" not in answer.text

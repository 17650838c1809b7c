"""genre.lemmas: simplemma's own lemmas, served by block from a cached index instead of decoding whole
dictionaries (the first answer of a process paid ~3.7 s for that)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from genre import lemmas

REPO = Path(__file__).resolve().parent.parent


def _words() -> list[str]:
    words: set[str] = set()
    for path in sorted((REPO / "corpus").glob("*")) + sorted((REPO / "tests" / "data").glob("*.txt")):
        if path.is_file():
            words.update(re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", path.read_text(errors="replace")))
    return sorted(words)[:3000]


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own and no dictionary opened yet."""
    monkeypatch.setattr(lemmas, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(lemmas, "_FACTORY", lemmas.OnDemandDictionaryFactory())
    lemmas._lemmatizer.cache_clear()
    yield tmp_path / "cache"
    lemmas._lemmatizer.cache_clear()


def test_same_lemmas_as_simplemma(fresh: Path) -> None:
    words = _words()
    assert len(words) > 1000
    for lang in ("fi", "sv", "en"):
        got = [lemmas.lemmatize(w, lang) for w in words]
        assert got == [simplemma.lemmatize(w, lang=lang) for w in words], lang
    assert sorted(p.name.split("-")[0] for p in fresh.iterdir()) == ["en", "fi", "sv"]


def test_the_block_index_is_cached_and_the_whole_dict_taken_when_lookups_pay_for_it(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lemmas._stream_map("en")
    assert [p.suffix for p in fresh.iterdir()] == [".blocks"]
    again = lemmas._stream_map("en")  # read from the cache, not built
    assert again._firsts == first._firsts and again._blocks == first._blocks

    monkeypatch.setattr(lemmas, "_LOOKUPS_PER_RECORD", 5 / len(first))  # switch after 5 lookups
    words = ["councils", "decided", "approved", "boards", "owners", "plans", "running", "was"]
    dictionary = lemmas._OnDemandDictionary("en")
    looked_up = [dictionary.get(w) for w in words]
    assert not isinstance(dictionary._backend, type(first))  # the whole dict now
    whole = DefaultDictionaryFactory().get_dictionary("en")
    assert looked_up == [whole.get(w) for w in words]
    assert [lemmas.lemmatize(w, "en") for w in words] == [simplemma.lemmatize(w, lang="en") for w in words]


def test_an_unwritable_cache_still_lemmatises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(lemmas, "cache_dir", lambda: blocker / "cache")
    assert lemmas._stream_map("en").get("councils") == simplemma.lemmatize("councils", lang="en")


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        lemmas.lemmatize("sana", "xx")

"""simplemma's lemmas for fi, sv and en, without decoding whole dictionaries at start.

`simplemma.lemmatize` decodes a language's whole front-coded dictionary on first use: 3.5 M Finnish
entries, about 3.7 s for fi+sv+en on the 2-core box, paid by the first question of every process.
Here a dictionary is served by simplemma's own block lookup (`StreamMap`: bisect to a block of 32
records, decode only those), whose block index is kept on disk after it is built once
(`~/.cache/strategy-chat/simplemma/`), so a process opens it in milliseconds. The data and the
lookup rule are simplemma's, so every lemma is the one `simplemma.lemmatize(word, lang=lang)` gives.

A lookup costs ~20 µs instead of a dict's ~1 µs, so a process that lemmatises a lot (an ingest)
switches a language to the full dict once it has looked up as many words as decoding would cost
(records / 20 lookups; the ski-rental rule: never more than twice the cheaper choice).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import simplemma
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.dictionary_factory import (
    DATA_FOLDER,
    SUPPORTED_LANGUAGES,
    CachingDictionaryFactory,
    DecodedStrMapping,
    MappingStrToByteString,
    _read_decompressed,
)
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

logger = logging.getLogger(__name__)

_CACHE_VERSION = 1
# A block lookup decodes ~16 records at ~1 µs each, plus the bisect: about 20 records' worth.
_LOOKUPS_PER_RECORD = 1 / 20


def cache_dir() -> Path:
    return Path.home() / ".cache" / "strategy-chat" / "simplemma"


def _cache_file(lang: str) -> Path:
    source = DATA_FOLDER / f"{lang}.plzma"
    stat = source.stat()
    key = f"{simplemma.__version__}|{lang}|{stat.st_size}|{stat.st_mtime_ns}|{_CACHE_VERSION}"
    return cache_dir() / f"{lang}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.blocks"


def _stream_map(lang: str) -> StreamMap:
    """simplemma's StreamMap for `lang`, its block index read from the cache (built and written once)."""
    path = _cache_file(lang)
    try:
        with path.open("rb") as handle:
            firsts, blocks = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        built = StreamMap(lang)  # iterates every record once: ~1 µs a record
        _write_atomically(path, pickle.dumps((built._firsts, built._blocks), protocol=5))
        return built
    stream = StreamMap.__new__(StreamMap)
    stream._data = _read_decompressed(lang)
    stream._rev, stream._count, stream._pos = frontcode._read_header(stream._data)
    stream._firsts, stream._blocks = firsts, blocks
    return stream


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home: every process builds the index again (~1-2 s for fi)
        logger.info("could not cache simplemma's block index in %s: %s", path.parent, exc)


class _OnDemandDictionary(DecodedStrMapping):
    """Block lookups at first; the whole dict once the lookups would have paid for decoding it."""

    __slots__ = ("_lang", "_backend", "_lookups", "_switch_at", "_lock")

    def __init__(self, lang: str) -> None:
        stream = _stream_map(lang)
        self._lang = lang
        self._backend: DecodedStrMapping = stream
        self._lookups = 0
        self._switch_at = max(1, int(len(stream) * _LOOKUPS_PER_RECORD))
        self._lock = threading.Lock()

    def _lookup(self, key: str) -> str | None:
        self._lookups += 1  # not atomic across threads: a few lost counts only delay the switch
        if self._lookups >= self._switch_at and isinstance(self._backend, StreamMap):
            self._decode_whole()
        return self._backend._lookup(key)

    def _decode_whole(self) -> None:
        with self._lock:
            if isinstance(self._backend, StreamMap):
                logger.debug("decoding simplemma's whole %s dictionary after %d lookups",
                             self._lang, self._lookups)
                self._backend = MappingStrToByteString(frontcode._decode_stream(self._backend._data))

    def __iter__(self) -> Iterator[str]:
        return iter(self._backend)

    def __len__(self) -> int:
        return len(self._backend)


class OnDemandDictionaryFactory(CachingDictionaryFactory):
    """A `DictionaryFactory` of simplemma's shipped dictionaries, opened by block (see the module)."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        if lang not in SUPPORTED_LANGUAGES:
            raise ValueError(f"Unsupported language: {lang}")
        return _OnDemandDictionary(lang)


_FACTORY = OnDemandDictionaryFactory()


@lru_cache(maxsize=1)
def _lemmatizer() -> simplemma.Lemmatizer:
    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))


def lemmatize(word: str, lang: str) -> str:
    """`simplemma.lemmatize(word, lang=lang)`, the same lemma; raises ValueError for an unknown language."""
    return _lemmatizer().lemmatize(word, lang)


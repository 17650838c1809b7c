"""A matter's path through the bodies: each handling of one item, from preparer and board to council.

Minutes repeat an item's earlier handlings inside it ("Kaupunginhallitus 26.02.2024 § 62" under the
council's § 18), the same case number follows the item from meeting to meeting and document to
document, and texts cite handlings by "Body d.m.yyyy § n". The chunks carry what the parser read
for each handling (body, meeting_date, item, case_number, section_kind, resolution); handlings
joined by any of these three links are one matter. Built once per index generation.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import genre
from ingest.parse.vocab import same_body
from ingest.records import Chunk

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 320
# "Kunnanhallitus 14.10.2024 § 188", "Kommunstyrelsen 3.2.2025 § 12", "KH 26.02.2024 § 62"
_REFERENCE = re.compile(
    r"\b([A-ZÅÄÖ][\w-]*(?:\s+[a-zåäö][\w-]*)?)\s+(\d{1,2})\.(\d{1,2})\.(\d{4})\s*§\s*(\d{1,4})\b"
)
_CASE = re.compile(
    r"\b\d{1,6}/\d{2}\.\d{2}\.\d{2}(?:\.\d{2})*/\d{4}\b"
    r"|\b(?:dnr|diarienr)\.?\s*[\w ]{0,8}\d{2,4}[/:-]\d{1,6}\b",
    re.I,
)
_TITLE_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

Key = tuple[str, str, str, str]  # (source, body folded, meeting_date, item)


@dataclass(frozen=True)
class Handling:
    """One body's handling of the matter at one meeting."""

    body: str | None
    meeting_date: str | None  # ISO
    item: str | None  # the § number
    source: str | None  # the document it is minuted in (None: only referred to from another text)
    document_title: str | None
    section: str | None  # the section to open: the decision, else the item's header
    proposed: str | None
    decided: str | None
    resolution: str | None  # see ingest.records.RESOLUTIONS
    vote: str | None  # "31–20"
    case_number: str | None

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Matter:
    title: str
    case_numbers: tuple[str, ...]
    handlings: tuple[Handling, ...]  # oldest first

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "case_numbers": list(self.case_numbers),
            "handlings": [h.to_json() for h in self.handlings],
        }


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _case_key(text: str | None) -> str:
    return re.sub(r"\s+", "", (text or "").casefold())


def _names_body(reference: str, body: str) -> bool:
    """Whether a reference's body ("KHALL", "Kaupunginhallitus", "Valtuusto") names the indexed body
    (folded): the same name, an abbreviation of it, or the name without the municipality's kind."""
    ref = _fold(reference)
    if not ref or not body:
        return False
    expansion = genre.body_abbreviations().get(ref)
    if expansion is not None:  # "*hallitus": kaupungin- or kunnanhallitus, whichever the index has
        return body.endswith(_fold(expansion.lstrip("*")))
    return ref == body or same_body(ref, body)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def _item_of(chunk: Chunk) -> str | None:
    """The item (top heading "§ 18") a chunk of minutes stands under."""
    top = chunk.section.split(" › ")[0].strip()
    return top if top.startswith("§") else None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, k: Key) -> Key:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


class Matters:
    """Every matter of an index; `find` answers a case number, a handling reference or title words."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._by_key: dict[Key, list[Chunk]] = {}
        for chunk in chunks:
            if chunk.doc_type != "minutes" or not (chunk.meeting_date and chunk.item):
                continue
            key = (chunk.source, _fold(chunk.body), chunk.meeting_date, str(chunk.item))
            self._by_key.setdefault(key, []).append(chunk)
        self._union = _Union()
        by_case: dict[str, Key] = {}
        by_item: dict[tuple[str, str], Key] = {}
        by_ref: dict[tuple[str, str], list[Key]] = {}  # (date, item) → keys; the body is matched below
        for key, parts in self._by_key.items():
            self._union.find(key)
            by_ref.setdefault(key[2:], []).append(key)
            for chunk in parts:
                case = _case_key(chunk.case_number)
                if case:
                    self._union.join(by_case.setdefault(case, key), key)
                item = _item_of(chunk)
                if item:
                    self._union.join(by_item.setdefault((chunk.source, item), key), key)
        self._referenced: dict[Key, Handling] = {}
        for key, parts in self._by_key.items():
            for chunk in parts:
                for ref in _REFERENCE.finditer(chunk.text):
                    body, d, m, y, item = ref.groups()
                    if not genre.body_kind(body) and body.casefold() not in genre.body_abbreviations():
                        continue
                    date = f"{y}-{int(m):02d}-{int(d):02d}"
                    targets = [k for k in by_ref.get((date, item), []) if _names_body(body, k[1])]
                    if not targets:  # handled in a document not in the index: a step without a link
                        ghost: Key = ("", _fold(body), date, item)
                        self._referenced.setdefault(
                            ghost, Handling(body, date, item, None, None, None, None, None, None, None, None)
                        )
                        targets = [ghost]
                    for target in targets:
                        self._union.join(key, target)

    @cached_property
    def _groups(self) -> dict[Key, list[Key]]:
        groups: dict[Key, list[Key]] = {}
        for key in [*self._by_key, *self._referenced]:
            groups.setdefault(self._union.find(key), []).append(key)
        return groups

    def _handling(self, key: Key) -> Handling:
        if key in self._referenced:
            return self._referenced[key]
        parts = sorted(self._by_key[key], key=lambda c: c.chunk_index)
        first = parts[0]

        def text_of(kind: str) -> str | None:
            texts = [c.text for c in parts if c.section_kind == kind]
            return _excerpt("\n".join(texts)) if texts else None

        decision = next((c for c in parts if c.section_kind == "decision"), None)
        resolution = next((c.resolution for c in parts if c.resolution), None)
        vote = None
        for kind in ("decision", "handling"):
            vote = vote or genre.vote_count("\n".join(c.text for c in parts if c.section_kind == kind))
        header = next((c for c in parts if c.section_kind == "item_header"), first)
        return Handling(
            body=first.body,
            meeting_date=first.meeting_date,
            item=str(first.item),
            source=first.source,
            document_title=first.document_title,
            section=(decision or header).section,
            proposed=text_of("proposal"),
            decided=text_of("decision"),
            resolution=resolution,
            vote=vote,
            case_number=next((c.case_number for c in parts if c.case_number), None),
        )

    def _title(self, keys: Sequence[Key]) -> str:
        for key in keys:
            for chunk in self._by_key.get(key, ()):
                if chunk.section_kind != "item_header" or not chunk.section.strip().startswith("§"):
                    continue
                for line in chunk.text.strip().split("\n"):
                    line = _CASE.sub("", re.sub(r"^§\s*\d+\s*", "", line.strip())).strip(" .,-–")
                    if len(line) >= 3 and not _REFERENCE.search(line):
                        return line
        return next((c.document_title for k in keys for c in self._by_key.get(k, ())), "")

    def _matter(self, root: Key) -> Matter:
        keys = self._groups[root]
        handlings = sorted(
            (self._handling(k) for k in keys),
            key=lambda h: (h.meeting_date or "", h.source is None, h.body or ""),
        )
        cases = tuple(dict.fromkeys(h.case_number for h in handlings if h.case_number))
        return Matter(self._title(keys), cases, tuple(handlings))

    def of(self, chunk: Chunk) -> Matter | None:
        """The matter a cited chunk belongs to (None for chunks outside minutes items)."""
        key = (chunk.source, _fold(chunk.body), chunk.meeting_date or "", str(chunk.item))
        if key not in self._by_key:
            return None
        return self._matter(self._union.find(key))

    def find(self, query: str) -> Matter | None:
        """A matter by case number, by "Body d.m.yyyy § n", or by the words of its title."""
        wanted = _case_key(query)
        for key, parts in self._by_key.items():
            if any(_case_key(c.case_number) == wanted for c in parts if c.case_number):
                return self._matter(self._union.find(key))
        ref = _REFERENCE.search(query)
        if ref:
            body, d, m, y, item = ref.groups()
            date = f"{y}-{int(m):02d}-{int(d):02d}"
            for key in [*self._by_key, *self._referenced]:
                if key[1:] == (_fold(body), date, item):
                    return self._matter(self._union.find(key))
        words = {w.casefold() for w in _TITLE_WORD.findall(query)}
        if not words:
            return None
        best: tuple[float, int, Key] | None = None
        for root, keys in self._groups.items():
            title = {w.casefold() for w in _TITLE_WORD.findall(self._title(keys))}
            hits = sum(1 for w in words if any(_same_word(w, t) for t in title))
            if not hits:
                continue
            score = (hits / len(words), len(keys), root)
            if best is None or score[:2] > best[:2]:
                best = score
        if best is None or best[0] < 0.5:
            return None
        return self._matter(best[2])


def _same_word(a: str, b: str) -> bool:
    """Inflected forms share a stem: "digitalisaatio-ohjelmasta" ~ "digitalisaatio-ohjelma"."""
    stem = min(len(a), len(b), max(5, min(len(a), len(b)) - 3))
    return a[:stem] == b[:stem]


def build_matters(chunks: Iterable[Chunk]) -> Matters:
    """The matters in these chunks (an index's chunk table), ready for `find` and `of`."""
    return Matters(chunks)

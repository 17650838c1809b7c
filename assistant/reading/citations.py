"""Citation markers in answer text: find them, renumber them, and pick the passage sentence behind each.

Pure functions on strings, shared by the LLM and extractive answerers, so that every answer's
`[n]` points to a passage that exists and carries a quote that is literally in that passage.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping

import genre

logger = logging.getLogger(__name__)

# "[1]", "[1, 2]", "[1;2]", "[1-3]" (a range); numbers of at most three digits, so "[2024]" is not a marker.
_NUMBER = r"\d{1,3}"
MARKER = re.compile(rf"\[\s*{_NUMBER}(?:\s*(?:[,;]|[-–])\s*{_NUMBER})*\s*\]")
_MAX_RANGE = 20  # "[1-30]" is not a citation anyone means

# A sentence ends at . ! ? (with any closing quotes/brackets and citation markers right after it) when
# space and a capital, a quote, a bracket or § follow, or the text ends; and at every line break.
# "17.02.2025", "klo 18.00", "28. marraskuuta" and "p. 040 562 2512" do not end sentences.
_SENTENCE_END = re.compile(
    r"[.!?]+[\"'”’)\]]*(?:\s*\[[\d\s,;\-–]+\])*[\"'”’)]*(?=\s+[\"'“”‘’(\[A-ZÅÄÖÜÉ§]|\s*$)"
)
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words of the three languages (genre/) that would otherwise match anywhere.
_STOPWORDS = genre.stopwords("fi") | genre.stopwords("sv") | genre.stopwords("en")
_HYPHENATED = re.compile(r"(\w)-[ \t]*\n[ \t]*(?=[a-zåäöü])")
_SHARED_COMPOUND = re.compile(
    r"(\w)-[ \t]*\n[ \t]*(?=(?:" + "|".join(genre.compound_conjunctions()) + r")\b)")
_LINE_BREAK = re.compile(r"[ \t]*(?<!\n)\n(?!\n)[ \t]*")
_STEM = 6  # Finnish and Swedish inflect: compare word beginnings ("digistrategian" ~ "digistrategia")
MAX_QUOTE_CHARS = 500


def marker_spans(text: str) -> list[tuple[int, int, list[int]]]:
    """Each marker's (start, end, numbers), in order; the numbers of a range are spelled out."""
    found = []
    for match in MARKER.finditer(text):
        numbers = _parse_marker(match.group())
        if numbers:
            found.append((match.start(), match.end(), numbers))
    return found


def _parse_marker(marker: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", marker.strip("[] \t")):
        bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x]
        if len(bounds) == 2:
            low, high = bounds
            if not 0 <= high - low <= _MAX_RANGE:
                return []
            numbers.extend(range(low, high + 1))
        else:
            numbers.extend(bounds)
    return numbers


def find_markers(text: str) -> list[int]:
    """The numbers cited in `text`, each once, in order of first appearance."""
    seen: dict[int, None] = {}
    for _, _, numbers in marker_spans(text):
        for n in numbers:
            seen.setdefault(n, None)
    return list(seen)


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """Rewrite every marker through `mapping` as `[a][b]`; numbers not in it are dropped, and a marker
    left empty is removed with the space before it ("approved [7]." → "approved.")."""
    out: list[str] = []
    last = 0
    for start, end, numbers in marker_spans(text):
        kept: list[int] = []
        for n in numbers:
            if n in mapping and mapping[n] not in kept:
                kept.append(mapping[n])
        before = text[last:start]
        if kept:
            out.append(before + "".join(f"[{m}]" for m in kept))
        else:
            out.append(before.rstrip(" \t") if _ends_line_or_punct(text, end) else before)
        last = end
    out.append(text[last:])
    return "".join(out)


def _ends_line_or_punct(text: str, end: int) -> bool:
    """Whether what follows a removed marker would otherwise leave a stray space before it."""
    return end >= len(text) or text[end] in ".,;:!?)\n "


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, whitespace trimmed; text[start:end] is the sentence.

    A marker right after a full stop stays with the sentence it cites ("… approved. [1] Next …").
    """
    cuts = sorted({0, len(text)} | {m.end() for m in _SENTENCE_END.finditer(text)} | _line_breaks(text))
    spans = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


def _line_breaks(text: str) -> set[int]:
    return {i for i, ch in enumerate(text) if ch == "\n"}


def strip_markers(text: str) -> str:
    """The text without its citation markers, spaces tidied."""
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(MARKER.sub(" ", text).split()))


def _terms(text: str) -> set[str]:
    terms = set()
    for word in _WORD.findall(MARKER.sub(" ", text.lower())):
        if word.isdigit():
            terms.add(word.lstrip("0") or "0")  # "02" in a date matches "2"
        elif len(word) > 2 and word not in _STOPWORDS:
            terms.add(word[:_STEM])
    return terms


def overlap(claim: str, sentence: str) -> float:
    """How much of the claim a sentence carries: shared terms (numbers count double), over the
    square root of the sentence's length so a long paragraph does not win by size alone."""
    claim_terms = _terms(claim)
    sentence_terms = _terms(sentence)
    if not claim_terms or not sentence_terms:
        return 0.0
    shared = claim_terms & sentence_terms
    score = sum(2.0 if t.isdigit() else 1.0 for t in shared)
    return score / math.sqrt(len(sentence_terms))


def best_quote(claim: str, chunk_text: str) -> str:
    """The sentence of `chunk_text` that best overlaps `claim`, else its first sentence; always an exact
    substring of `chunk_text` (cut at a word boundary when a "sentence" runs on for paragraphs)."""
    spans = split_sentences(chunk_text)
    if not spans:
        return chunk_text
    best = max(spans, key=lambda span: overlap(claim, chunk_text[span[0] : span[1]]))
    if overlap(claim, chunk_text[best[0] : best[1]]) <= 0.0:
        best = spans[0]
    return _cap(chunk_text[best[0] : best[1]])


def _cap(sentence: str) -> str:
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_QUOTE_CHARS)
    return sentence[: cut if cut > 0 else MAX_QUOTE_CHARS].rstrip()


def claims_by_marker(text: str) -> dict[int, list[str]]:
    """For each cited number, the sentences of `text` that carry it, markers removed.

    A marker standing alone after the full stop ("… approved. [1]") belongs to the sentence before it.
    """
    claims: dict[int, list[str]] = {}
    spans = split_sentences(text)
    markers = marker_spans(text)
    for i, (s, e) in enumerate(spans):
        inside = [numbers for ms, me, numbers in markers if s <= ms and me <= e]
        if not inside:
            continue
        claim = strip_markers(text[s:e])
        if not _terms(claim) and i > 0:
            claim = strip_markers(text[spans[i - 1][0] : spans[i - 1][1]])
        for numbers in inside:
            for n in numbers:
                if claim not in claims.setdefault(n, []):
                    claims[n].append(claim)
    return claims


def sentences_of(text: str) -> list[str]:
    """Lines and sentences, each an exact substring of `text` (minutes put one statement a line).

    A line that ends mid-sentence and a next line that starts in lower case are one sentence
    wrapped by the page (PDF text keeps the printed line breaks).
    """
    spans: list[list[int]] = []
    for a, b in split_sentences(text):
        if spans and text[spans[-1][1] - 1] not in ".!?:;" and text[a].islower():
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [text[a:b] for a, b in spans]


def join_lines(text: str) -> str:
    """A quote as a sentence reads, not as the PDF broke it: a line's end-of-line hyphen joined
    ("ungdoms-\nfullmäktige" → "ungdomsfullmäktige", but "sosiaali-\nja terveys" → "sosiaali- ja
    terveys"), other line breaks as spaces; paragraph breaks (a blank line) stay."""
    text = _SHARED_COMPOUND.sub(r"\1- ", text)
    text = _HYPHENATED.sub(r"\1", text)
    return _LINE_BREAK.sub(" ", text)

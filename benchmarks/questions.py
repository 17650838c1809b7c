"""Benchmark questions drawn from an index of the synthetic corpus, each with a filter that matches it.

Why: latency depends on what retrieval and the answerer have to chew on, so questions should name
what the documents talk about (a topic, a town, a body) in the documents' languages, of the types
the answerer handles differently (decision, owner, amount, date). Each question comes with a filter
derived from the chunk it was drawn from, so filtered runs never hit an empty filter. Three filter
kinds rotate: one municipality (~3% of chunks), municipality + meeting dates from a year on (~1%),
and document type + language (~30-60%): a narrow, a narrower and a broad filter.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.synth import FI_TOPICS, SV_TOPICS
from ingest.records import Chunk

logger = logging.getLogger(__name__)

_TEMPLATES = {
    "fi": [
        "Mitä {body} päätti asiasta {topic} ({town})?",
        "Kuka vastaa {town} {topic} toimeenpanosta?",
        "Paljonko {town} {topic} maksaa?",
        "Milloin {topic} hyväksyttiin {town}?",
    ],
    "sv": [
        "Vad beslutade {body} om {topic} i {town}?",
        "Vem ansvarar för {topic} i {town}?",
        "Hur mycket kostar {topic} i {town}?",
        "När antogs {topic} i {town}?",
    ],
    "en": [
        "What did the {body} decide about the {topic} in {town}?",
        "Who is responsible for the {topic} in {town}?",
    ],
}


@dataclass(frozen=True)
class BenchQuestion:
    text: str
    filters: dict[str, str]
    filter_kind: str


def _topic(chunk: Chunk) -> str | None:
    text = f"{chunk.document_title} {chunk.text}".lower()
    return next((t for t in (*FI_TOPICS, *SV_TOPICS) if t in text), None)


def _filters(chunk: Chunk, kind: str) -> dict[str, str]:
    if kind == "municipality":
        return {"municipality": chunk.municipality or ""}
    if kind == "municipality+dates":
        year = (chunk.meeting_date or "2022")[:4]
        return {"municipality": chunk.municipality or "", "date_from": f"{year}-01-01"}
    return {"doc_type": chunk.doc_type, "language": chunk.language}


def make_questions(chunks: Sequence[Chunk], n: int, seed: int = 7) -> list[BenchQuestion]:
    """`n` questions (a fifth in English) about chunks that name a topic and a municipality."""
    rng = random.Random(seed)
    kinds = ("municipality", "municipality+dates", "doctype+language")
    out: list[BenchQuestion] = []
    for _ in range(n * 50):
        if len(out) >= n:
            break
        chunk = chunks[rng.randrange(len(chunks))]
        topic = _topic(chunk)
        if topic is None or not chunk.municipality:
            continue
        kind = kinds[len(out) % len(kinds)]
        if kind == "municipality+dates" and not chunk.meeting_date:
            kind = "municipality"
        lang = "en" if len(out) % 5 == 4 else chunk.language
        template = rng.choice(_TEMPLATES.get(lang, _TEMPLATES["en"]))
        body = chunk.body or ("kaupunginhallitus" if lang == "fi" else "kommunstyrelsen")
        body = body.lower() if lang != "en" else body
        text = template.format(body=body, topic=topic, town=chunk.municipality)
        out.append(BenchQuestion(text, _filters(chunk, kind), kind))
    if len(out) < n:
        logger.warning("only %d of %d questions: few chunks name a topic", len(out), n)
    return out

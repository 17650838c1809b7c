"""Roll-call votes ("Jäsen Ääni / Antti Harju ei"): read by ingest into metadata, offered to the scorer as
facts and framed as who voted how. Fast: no model, no index (one dev-split PDF of evaluation/documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

import genre
from assistant.composition.framing import Framer
from assistant.question.analysis import analyse
from assistant.reading.scoring import cover_facts
from ingest.chunk import chunk_document
from ingest.load import load_document
from ingest.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
HAMEENLINNA = (ROOT / "evaluation" / "documents" / "dev"
               / "hameenlinna_kaupunginhallitus_poytakirja_2024-11-18.pdf")

FINNISH = """Äänestyksessä annettiin 8 jaa-ääntä ja 3 ei-ääntä seuraavasti:
Jäsen Ääni
Mervi Laaksonen jaa
Antti Harju ei
Sanna Rautio jaa
Eero Koivisto ei
Heli Mattila tyhjää
Puheenjohtaja totesi, että kaupunginhallitus on äänin 8–3 hyväksynyt päätösehdotuksen."""

SWEDISH = """Omröstningen utföll enligt följande:
Anna Lind, ja
Ola Berg, nej
Eva Holm Nyström, ja
Per Åkerlund, blankt
Karl Öst, frånvarande"""


def test_a_finnish_roll_call_gives_the_names_by_ballot() -> None:
    assert genre.roll_call(FINNISH) == {
        "yes": ("Mervi Laaksonen", "Sanna Rautio"), "no": ("Antti Harju", "Eero Koivisto"),
        "blank": ("Heli Mattila",),
    }


def test_a_swedish_roll_call_with_commas_and_an_absent_member() -> None:
    assert genre.roll_call(SWEDISH) == {
        "yes": ("Anna Lind", "Eva Holm Nyström"), "no": ("Ola Berg",), "blank": ("Per Åkerlund",),
        "absent": ("Karl Öst",),
    }


@pytest.mark.parametrize("text", [
    "Antti Harju ei\nEero Koivisto ei",  # two lines are no roll call (the minimum is three)
    "Asiaan ei\nPäätös jaa\nTodettiin ei",  # one word before the ballot: no name
    "Kaupunginhallitus päätti, että asiaa ei\nkäsitellä tänään. Puheenjohtaja totesi jaa\nmuuta ei",
])
def test_prose_and_short_lists_are_no_roll_call(text: str) -> None:
    assert genre.roll_call(text) == {}


@pytest.fixture(scope="module")
def hameenlinna_chunks():
    return chunk_document(parse_document(load_document(HAMEENLINNA)))


def test_ingest_stores_the_roll_call_of_a_handling_in_its_chunks(hameenlinna_chunks) -> None:
    # § 304 (the budget): the roll call lists 11 members, three of them "ei" (Harju, Koivisto, Ylinen).
    handling = [c for c in hameenlinna_chunks
                if c.section.startswith("§ 304") and c.section_kind == "handling"]
    assert handling and all(c.extra.get("voted_no") == "Antti Harju; Eero Koivisto; Markku Ylinen"
                            for c in handling)
    assert len(handling[0].extra["voted_yes"].split("; ")) == 8


def test_who_voted_against_is_a_fact_quoted_by_the_whole_roll_call(hameenlinna_chunks) -> None:
    chunk = next(c for c in hameenlinna_chunks if c.section.startswith("§ 304") and "voted_no" in c.extra)
    facts = {f.title: f for f in cover_facts(chunk)}
    against = facts["voted_no"]
    # The quote runs from the first "ei" line to the last: "Antti Harju ei" … "Markku Ylinen ei".
    assert against.quote in chunk.text
    assert against.quote.startswith("Antti Harju ei") and against.quote.endswith("Markku Ylinen ei")
    question = analyse("Who voted against the budget in the Hämeenlinna city board?")
    answer = Framer(prompts_dir=ROOT / "prompts").frame(question, against)
    assert answer.text.startswith("Voted no") and "Antti Harju; Eero Koivisto; Markku Ylinen" in answer.text
    assert answer.citations[0].quote == against.quote

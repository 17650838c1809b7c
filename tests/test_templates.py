"""Answer frames in the asker's language (prompts/templates.json) on the parsed test documents, without
a model or an index: bodies in English for English askers, dates per language, §, resolution kind,
the approved proposal quoted as what was decided, the vote, agendas as proposals, owners as owners."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.composition.framing import Framer, body_name, format_date, templates
from assistant.question.analysis import analyse
from assistant.reading.scoring import Candidate, trim
from ingest.chunk import chunk_document
from ingest.load import load_document
from ingest.parse import parse_document
from ingest.records import Chunk

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
PROMPTS = REPO / "prompts"


@pytest.fixture(scope="module")
def minutes() -> list[Chunk]:
    return chunk_document(parse_document(load_document(DATA / "fi_valtuusto_poytakirja.txt")))


@pytest.fixture(scope="module")
def kaustinen() -> list[Chunk]:
    return chunk_document(parse_document(load_document(REPO / "corpus" / "000_e5c1d4be2fd5da2b.txt")))


def _sections(chunks: list[Chunk]):
    order: dict[str, list[Chunk]] = {}
    for c in sorted(chunks, key=lambda c: c.chunk_index):
        order.setdefault(c.section, []).append(c)
    return lambda source: list(order.items())


def test_every_language_has_every_template_with_its_placeholders() -> None:
    table = json.loads((REPO / "prompts" / "templates.json").read_text(encoding="utf-8"))
    keys = set(table["en"]) - {"_about"}
    for lang in ("fi", "sv", "en"):
        assert keys <= set(table[lang]), (lang, keys - set(table[lang]))
        assert set(table[lang]["how"]) == set(table["en"]["how"])
        for name in ("decided", "owner", "quote", "agenda", "vote", "cover"):
            assert "[{n}]" in table[lang][name]


@pytest.mark.parametrize(
    ("language", "expected"), [("fi", "17.2.2025"), ("sv", "17 februari 2025"), ("en", "17 February 2025")]
)
def test_dates_are_written_for_the_language(language: str, expected: str) -> None:
    words = templates(language, PROMPTS)
    assert format_date("2025-02-17", words["date_format"], words["months"]) == expected


def test_one_date_writer_for_answers_and_the_app() -> None:
    """The app's patterns (ui.json: "{y}-{mm}-{dd}" keeps the zeros) and what is no full date, as is."""
    assert format_date("2023-01-09", "{y}-{mm}-{dd}") == "2023-01-09"
    assert format_date("2023-01-09", "{d}.{m}.{y}") == "9.1.2023"
    assert format_date("2023-01", "{d}.{m}.{y}") == "2023-01"
    assert format_date("9.1.2023", "{d}.{m}.{y}") == "9.1.2023"
    assert format_date(None, "{d}.{m}.{y}") is None and format_date("2023-01-09", None) == "2023-01-09"


def test_bodies_get_their_english_name_for_english_askers_only() -> None:
    assert body_name("Kaupunginhallitus", "en") == "city board (Kaupunginhallitus)"
    assert body_name("Kommunfullmäktige", "en") == "municipal council (Kommunfullmäktige)"
    assert body_name("Kaupunginhallitus", "fi") == "Kaupunginhallitus"


def test_an_english_decision_says_what_was_decided_when_it_only_approves_the_proposal(kaustinen) -> None:
    # "Päätösesitys hyväksyttiin yksimielisesti." approves the proposal: its content is quoted too.
    decision = next(c for c in kaustinen if c.section_kind == "decision" and c.body == "Seutuvaltuusto")
    q = analyse("What did the regional council decide about the Kaustinen digital strategy?")
    framer = Framer(_sections(kaustinen), prompts_dir=PROMPTS)
    answer = framer.frame(q, Candidate("decision", decision, 0, decision.text.strip(), decision.text))
    assert answer.text.startswith("The regional council (Seutuvaltuusto) decided on 28 November 2024 (§ 21)")
    assert "unanimously" in answer.text and "[1]" in answer.text and "[2]" in answer.text
    proposal = answer.citations[1]
    assert proposal.chunk.section_kind == "proposal" and "hyväksyy" in proposal.quote
    assert all(c.quote in c.chunk.text for c in answer.citations)


def test_a_vote_and_an_amendment_in_finnish(minutes) -> None:
    decision = next(c for c in minutes if c.section_kind == "decision" and c.body == "Kaupunginvaltuusto")
    q = analyse("Mitä kaupunginvaltuusto päätti digitalisaatio-ohjelmasta?")
    framer = Framer(_sections(minutes), prompts_dir=PROMPTS)
    answer = framer.frame(q, Candidate("decision", decision, 0, trim(decision.text, 3), decision.text))
    assert answer.text.startswith("Kaupunginvaltuusto päätti 11.3.2024 (§ 18)")
    assert "31–20" in answer.text  # the vote line, from the decision or its handling, cited


def test_an_agenda_s_proposal_is_framed_as_a_proposal(minutes) -> None:
    proposal = next(c for c in minutes if c.section_kind == "proposal")
    agenda = replace(proposal, doc_type="agenda")
    for text, words in (("What did the board decide?", "the decision is not in these documents"),
                        ("Vad beslutade styrelsen?", "beslutet finns inte"),
                        ("Mitä hallitus päätti?", "päätös ei sisälly")):
        candidate = Candidate("proposal", agenda, 0, agenda.text.strip(), agenda.text)
        answer = Framer(prompts_dir=PROMPTS).frame(analyse(text), candidate)
        assert words in answer.text and answer.citations[0].quote in agenda.text


def test_only_an_owner_row_is_framed_as_an_owner(minutes) -> None:
    chunk = next(c for c in minutes if c.section_kind == "background")
    sentence = chunk.text.split("\n")[0]
    q = analyse("Kuka vastaa digitalisaatio-ohjelmasta?")
    plain = Framer(prompts_dir=PROMPTS).frame(q, Candidate("sentence", chunk, 0, sentence, sentence))
    assert not plain.text.startswith(("Vastuutaho", "Vastuussa"))  # a sentence naming no owner stays a quote
    row = Candidate("owner", chunk, 0, sentence, sentence, "Digituki", "Kirjastotoimenjohtaja Helena Saari")
    owned = Framer(prompts_dir=PROMPTS).frame(analyse("Who is responsible for digital support?"), row)
    assert owned.text == "Digituki: responsible is Kirjastotoimenjohtaja Helena Saari [1]"


def test_a_cover_fact_names_the_role_and_the_meeting(minutes) -> None:
    chunk = replace(minutes[0], extra={"chair": "Anna Frostdahl-Blomqvist"}, body="Personalsektionen",
                    meeting_date="2023-05-29", text="Ordförande Anna Frostdahl-Blomqvist\nSekreterare X")
    fact = Candidate("cover", chunk, 0, "Ordförande Anna Frostdahl-Blomqvist", "chair: …", "chair",
                     "Anna Frostdahl-Blomqvist")
    q = analyse("Who chaired the personnel section meeting on 29 May 2023?")
    answer = Framer(prompts_dir=PROMPTS).frame(q, fact)
    assert answer.text == ("Chair (the personnel section (Personalsektionen), 29 May 2023): "
                           "Anna Frostdahl-Blomqvist [1]")
    assert templates("sv", PROMPTS)["roles"]["chair"] == "Ordförande"


def test_a_list_answer_quotes_the_whole_run_of_bullets_the_best_one_stands_in() -> None:
    # Bräcke's "Värden vi utgår ifrån" holds five bullets; the scorer may rank any of them first (here
    # the fourth, "… miljösmart!"): the answer to a list question quotes all five, from the first.
    chunks = chunk_document(parse_document(load_document(REPO / "corpus" / "003_93565b48878e9c26.txt")))
    chunk = next(c for c in chunks if "miljösmart" in c.text and "Hoppa på" in c.text)
    best = next(line for line in chunk.text.splitlines() if "miljösmart" in line).strip()
    question = analyse("Vilka värden utgår Bräcke kommun från i arbetet med Lokal digital agenda?")
    assert question.type == "list"
    answer = Framer(prompts_dir=PROMPTS).frame(question, Candidate("sentence", chunk, 0, best, best))
    bullets = [line.strip() for line in chunk.text.splitlines() if line.strip().startswith("•")]
    assert len(bullets) == 5 and all(b in answer.text for b in bullets)
    assert answer.text.index(bullets[0]) < answer.text.index(best)

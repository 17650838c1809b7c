"""The default answerer over real documents: each question type in fi, sv and en, cited to the right
document and section, and abstentions where the documents do not answer.

One index holds the five corpus documents and the four test documents (a Finnish council's minutes
where the decision differs from the proposal, a Swedish kommunstyrelse protocol with yrkanden and a
vote, a Finnish strategy with an action table, a multi-page Swedish action plan PDF).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pipeline import Assistant
from config import Settings
from ingest.pipeline import build_index

# Builds an index with the real embedding model; the scorer and templates have fast tests of their own
# (tests/test_scorer.py, tests/test_templates.py).
pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
TEST_DOCS = (
    "fi_valtuusto_poytakirja.txt",
    "sv_kommunstyrelsen_protokoll.txt",
    "fi_digiohjelma_toimenpiteet.md",
    "sv_handlingsplan.pdf",
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:
    index_dir = tmp_path_factory.mktemp("answers") / "index"
    build_index(
        [REPO / "corpus", *(REPO / "tests" / "data" / name for name in TEST_DOCS)], index_dir, embeddings
    )
    return Assistant(Settings(index_dir=index_dir, answerer="extractive"), embeddings=embeddings)


# Known misses of the learned scorer (dev 5-fold-by-document: top candidate right 0.41 of answerable);
# strict, so a better scorer that gets them right flips the test.
SCORER_MISS = pytest.mark.xfail(strict=True, reason="the scorer ranks another candidate first")

# (question, expected words in the answer, source of the first citation, fragment of its section)
ANSWERED = [
    # owner: the named owner of the action, not the item's preparer
    (
        "Kuka vastaa Kuopion digitiekartan toisen vaiheen etenemisestä?",
        ["tietohallintojohtaja"],
        "001_1c0f5358d5808faf.txt",
        "Selostus",
    ),
    (
        "Vem ansvarar för åtgärden Chattbot för stadens kundtjänst i Vasa?",
        ["Nyström"],
        "sv_handlingsplan.pdf",
        "3.1 Digitala tjänster för invånare",
    ),
    pytest.param(
        "Who is responsible for electronic booking in Lohja's digital programme?",
        ["Virtanen"],
        "fi_digiohjelma_toimenpiteet.md",
        "4.1 Sähköinen asiointi",
        marks=SCORER_MISS,
    ),
    # decision: the decision of the body asked about, with how it was reached
    (
        "Mitä kaupunginvaltuusto päätti Seinäjoen digitalisaatio-ohjelmasta?",
        ["muutettuna", "31–20"],
        "fi_valtuusto_poytakirja.txt",
        "§ 18 › Päätös",
    ),
    (
        "Vad beslutade kommunstyrelsen i Östersund om ett gemensamt e-arkiv?",
        ["upphandla", "9"],
        "sv_kommunsty",
        "§ 78 › Beslut",
    ),
    (
        "What did the regional council Seutuvaltuusto decide about the Kaustinen digital strategy?",
        ["hyväksyttiin yksimielisesti", "Seutuvaltuusto"],
        "000_e5c1d4be2fd5da2b.txt",
        "Seutuvaltuusto 28.11.2024 § 21",
    ),
    (
        "Mitä kunnanhallitus päätti 17.02.2025 Kaustisen seudun digistrategiasta?",
        ["Hyväksyttiin", "valtuuston"],
        "000_e5c1d4be2fd5da2b.txt",
        "§ 27 › Päätös",
    ),
    # date
    (
        "Milloin Kuopion kaupunginhallitukselle tuodaan tarkennettu toimenpidesuunnitelma?",
        ["Q2"],
        "001_1c0f5358d5808faf.txt",
        "Selostus",
    ),
    (
        "När antogs förstudien Lokal digital agenda i Bräcke?",
        ["2019-09-27"],
        "003_93565b48878e9c26.txt",
        "",
    ),
    (
        "When did the Seinäjoki city council decide on the digitalisation programme?",
        ["11 March 2024"],  # the date written for an English asker (the quote keeps 11.3.2024)
        "fi_valtuusto_poytakirja.txt",
        "§ 18",
    ),
    # list and fact
    (
        "Vilka är digitaliseringsprogrammets tre teman i Borgå?",
        ["Kunskapsbaserade beslut"],
        "004_cabab5fd94356276.txt",
        "tyngdpunkter",
    ),
    pytest.param(
        "Mikä yritys voitti Kuopion digitiekartan asiantuntijakilpailun?",
        ["FCG"],
        "001_1c0f5358d5808faf.txt",
        "Selostus",
        marks=SCORER_MISS,
    ),
    (
        "Which university does the lecturer Katarina Gidlund come from?",
        ["Mittuniversitetet"],
        "003_93565b48878e9c26.txt",
        "Kick off",
    ),
]

UNANSWERABLE = [
    "Mitä Porin kaupunginhallitus päätti digitalisaatiostrategiaa koskevasta valtuustoaloitteesta?",
    pytest.param(
        "Kuka toimi Seinäjoen kaupunginvaltuuston puheenjohtajana 11.03.2024?",
        marks=pytest.mark.xfail(
            strict=True,
            reason="the minutes name the chair's role (Puheenjohtaja totesi …) but not the person; "
            "lexical support cannot tell a role mentioned from a person named",
        ),
    ),
    pytest.param(
        "Vem var projektledare för Lokal digital agenda i Bräcke?",
        marks=pytest.mark.xfail(strict=True, reason="a near-miss sentence scores over the threshold (0.23)"),
    ),
    "Hur mycket kostar chattboten för Vasa stads kundtjänst?",
    "What is Tampere's digital strategy budget for 2026?",
    "Who is responsible for the digital skills of residents in Porvoo's programme?",
]


@pytest.mark.parametrize(("question", "words", "source", "section"), ANSWERED)
def test_answers_cite_the_right_document_and_section(
    assistant: Assistant, question: str, words: list[str], source: str, section: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    for word in words:
        assert word.casefold() in answer.text.casefold(), (word, answer.text)
    first = answer.citations[0]
    assert first.chunk.source.startswith(source) and section in first.chunk.section, (
        first.chunk.section,
        answer.text,
    )
    # Every quote is an exact span of its chunk, and every marker in the text has its citation.
    for citation in answer.citations:
        assert citation.quote and citation.quote in citation.chunk.text
        assert f"[{citation.n}]" in answer.text


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_questions_abstain(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained, answer.text
    assert not answer.citations


def test_a_decision_is_never_answered_with_the_proposal(assistant: Assistant) -> None:
    # The board proposed approving the programme as is; the council amended it after a vote.
    answer = assistant.ask("Mitä Seinäjoen kaupunginvaltuusto päätti digitalisaatio-ohjelmasta 11.03.2024?")
    assert answer.citations and all(
        c.chunk.section_kind != "proposal" or "Päätösehdotus" not in c.chunk.section for c in answer.citations
    )
    assert answer.citations[0].chunk.section_kind == "decision"
    assert answer.citations[0].chunk.body == "Kaupunginvaltuusto"


def test_the_answer_speaks_the_question_s_language(assistant: Assistant) -> None:
    fi = assistant.ask("Mitä kunnanhallitus päätti 17.02.2025 Kaustisen seudun digistrategiasta?")
    sv = assistant.ask(
        "Vad beslutade kommunstyrelsen den 17 februari 2025 om Kaustinen-regionens digistrategi?"
    )
    en = assistant.ask(
        "What did the municipal board decide on 17 February 2025 about the Kaustinen digital strategy?"
    )
    assert "päätti" in fi.text and "beslutade" in sv.text and "decided" in en.text


def test_abstention_lists_the_closest_passages(assistant: Assistant) -> None:
    answer = assistant.ask("What is Tampere's digital strategy budget for 2026?")
    assert answer.abstained and "do not answer" in answer.text and "Closest passages" in answer.text
    assert answer.passages  # the evaluation and the app still see what was retrieved


def test_filters_restrict_retrieval(assistant: Assistant) -> None:
    answer = assistant.ask("Vem ansvarar för åtgärden chattbot?", filters={"language": "fi"})
    assert answer.passages and all(p.chunk.language == "fi" for p in answer.passages)
    dated = assistant.ask("Mitä päätettiin?", filters={"date_from": "2024-01-01", "date_to": "2024-12-31"})
    assert dated.passages and all(
        p.chunk.meeting_date and "2024" <= p.chunk.meeting_date <= "2024-12-31" for p in dated.passages
    )


def test_answers_carry_the_scorer_s_confidence(assistant: Assistant) -> None:
    answered = assistant.ask("Vem ansvarar för åtgärden Chattbot för stadens kundtjänst i Vasa?")
    refused = assistant.ask("What is Tampere's digital strategy budget for 2026?")
    threshold = assistant.answerer.threshold
    assert not answered.abstained and answered.confidence >= threshold
    assert refused.abstained and refused.confidence < threshold
    assert answered.to_json()["confidence"] == round(answered.confidence, 4)


@pytest.mark.parametrize("question", ["😀😀😀", "Что решил городской совет о цифровой стратегии?"])
def test_no_words_or_an_unknown_script_abstains_in_english(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and answer.text.startswith("The documents do not answer")

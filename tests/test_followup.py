"""Follow-up questions made standalone, in Finnish, Swedish and English."""

from __future__ import annotations

import pytest

from assistant.question.followup import find_municipality, is_followup, rewrite_followup

MUNICIPALITIES = ["Kuopio", "Kaustinen", "Borgå", "Bräcke", "Helsinki", "Vasa", "Pedersöre"]


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        # a municipality named in the follow-up replaces the previous one (matched on lemmas)
        # in the case the previous question used: a local case as the asker wrote it, a genitive made
        (
            "entä Kuopiossa?",
            "Kuka vastaa digitiekartasta Kaustisella?",
            "Kuka vastaa digitiekartasta Kuopiossa?",
        ),
        ("Entä Helsingissä?", "Kuka vastaa Kuopion digitiekartasta?",
         "Kuka vastaa Helsingin digitiekartasta?"),
        ("Entä Kaustisella?", "Kuka vastaa Kuopion digitiekartasta?",
         "Kuka vastaa Kaustisen digitiekartasta?"),
        ("Och i Bräcke?", "Vem ansvarar för Borgås digitala plan?",
         "Vem ansvarar för Bräckes digitala plan?"),
        (
            "Entä Helsingissä?",
            "Mitä Kuopio päätti digistrategiasta?",
            "Mitä Helsinki päätti digistrategiasta?",
        ),
        (
            "och i Borgå?",
            "Vem ansvarar för den digitala agendan i Bräcke?",
            "Vem ansvarar för den digitala agendan i Borgå?",
        ),
        (
            "Men i Vasa?",
            "Vad beslutade kommunstyrelsen i Pedersöre om budgeten?",
            "Vad beslutade kommunstyrelsen i Vasa om budgeten?",
        ),
        (
            "what about Kuopio?",
            "Who owns the digital roadmap in Kaustinen?",
            "Who owns the digital roadmap in Kuopio?",
        ),
        # the previous question named none: the municipality is added
        ("Kuopiossa?", "Kuka vastaa digitiekartasta?", "Kuka vastaa digitiekartasta Kuopio?"),
        # the municipality and something more
        (
            "entä Kuopiossa vuonna 2025?",
            "Mitä Kaustinen päätti digistrategiasta?",
            "Mitä Kuopio päätti digistrategiasta vuonna 2025?",
        ),
    ],
)
def test_municipality_is_substituted(question: str, previous: str, expected: str) -> None:
    assert rewrite_followup(question, [previous], MUNICIPALITIES) == expected


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        # a pronoun stands for the previous question's topic
        (
            "and who is responsible for it?",
            "What is the digital strategy of Kuopio?",
            "Who is responsible for digital strategy of Kuopio?",  # the topic as a phrase, "of" kept
        ),
        (
            "Entä milloin se hyväksyttiin?",
            "Mikä on Kaustisen seudun digistrategia 2028?",
            "Milloin Kaustisen seudun digistrategia 2028 hyväksyttiin?",
        ),
        ("Kuka siitä vastaa?", "Mikä on digitiekartta?", "Kuka digitiekartta vastaa?"),
        (
            "och vem ansvarar för det?",
            "Vad är Bräckes lokala digitala agenda?",
            "Vem ansvarar för Bräckes lokala digitala agenda?",
        ),
        # a short question word: the topic is added
        (
            "Who decided?",
            "the digital strategy 2028 of Kaustinen",
            "Who decided digital strategy 2028 of Kaustinen?",
        ),
        ("När?", "Vem antog den digitala agendan?", "När antog den digitala agendan?"),
        # more detail for the same question: appended to it
        (
            "entä vuonna 2025?",
            "Mitä Kuopio päätti digistrategiasta?",
            "Mitä Kuopio päätti digistrategiasta vuonna 2025?",
        ),
        (
            "och budgeten?",
            "Vad innehåller Borgås digitala strategi?",
            "Vad innehåller Borgås digitala strategi budgeten?",
        ),
    ],
)
def test_topic_is_merged(question: str, previous: str, expected: str) -> None:
    assert rewrite_followup(question, [previous], MUNICIPALITIES) == expected


@pytest.mark.parametrize(
    "question",
    [
        "Mikä on Kuopion digistrategian visio?",
        "Kuka vastaa Kaustisen seudun digistrategian toteutuksesta?",
        "Vad beslutade kommunfullmäktige i Borgå om den digitala agendan?",
        "Finns det en digital strategi i Bräcke kommun?",  # "det" here is no pronoun for the topic
        "Who is responsible for the digital agenda in Bräcke municipality?",
        "Mikä on digistrategia?",  # short, but a question of its own
        "What are the goals of the Kuopio digital roadmap?",
    ],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert rewrite_followup(question, ["Mitä Kaustinen päätti digistrategiasta?"], MUNICIPALITIES) is None


def test_no_history_nothing_to_lean_on() -> None:
    assert rewrite_followup("entä Kuopiossa?", [], MUNICIPALITIES) is None
    assert rewrite_followup("and who is responsible for it?", ["", "  "], MUNICIPALITIES) is None


def test_the_last_turn_counts_and_chains_keep_their_topic() -> None:
    history = ["Mitä Kuopio päätti digistrategiasta?", "Mitä Kaustinen päätti digistrategiasta?"]
    assert rewrite_followup("och i Vasa?", history, MUNICIPALITIES) == "Mitä Vasa päätti digistrategiasta?"
    # the app keeps each turn's standalone form, so the next follow-up builds on it
    history.append("Mitä Vasa päätti digistrategiasta?")
    assert (
        rewrite_followup("entä Helsingissä?", history, MUNICIPALITIES)
        == "Mitä Helsinki päätti digistrategiasta?"
    )


def test_same_municipality_again_is_not_rewritten() -> None:
    assert rewrite_followup("entä Kuopiossa?", ["Mitä Kuopio päätti?"], MUNICIPALITIES) is None


def test_unknown_places_are_not_municipalities() -> None:
    # "Tampere" is not in the index: the follow-up is merged as words, not substituted
    out = rewrite_followup("entä Tampereella?", ["Mitä Kuopio päätti digistrategiasta?"], MUNICIPALITIES)
    assert out == "Mitä Kuopio päätti digistrategiasta Tampereella?"


def test_find_municipality_by_lemma_and_inflection() -> None:
    assert find_municipality("Mitä Kuopion kaupunki päätti?", MUNICIPALITIES)[0] == "Kuopio"
    assert find_municipality("vad gäller i Bräckes kommun", MUNICIPALITIES)[0] == "Bräcke"
    assert find_municipality("Porvoossa", MUNICIPALITIES) is None
    text = "Mitä Kaustisen seutu päätti?"
    name, start, end = find_municipality(text, ["Kaustisen seutu", "Kaustinen"])
    assert (name, text[start:end]) == ("Kaustisen seutu", "Kaustisen seutu")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("entä Kuopiossa?", True),
        ("ja sitten?", True),
        ("Men hur gick det?", True),
        ("How about the budget?", True),
        ("Kuka päätti siitä?", True),
        ("Mitä digistrategiassa sanotaan tekoälystä ja sen käytöstä kunnan palveluissa?", False),
        ("Vem ansvarar för den digitala agendan i Bräcke kommun?", False),
    ],
)
def test_is_followup(question: str, expected: bool) -> None:
    assert is_followup(question, MUNICIPALITIES) is expected


@pytest.mark.parametrize(
    ("question", "previous"),
    [
        # issue 14: a question naming its own municipality and topic, after a question about another town,
        # was rewritten to "Who prepared regional council decide Borgå digital strategy digiprogram teman?"
        (
            "Vad är Borgås digiprogram och vilka teman har det?",
            "Who prepared the regional council's decision on the Kaustinen digital strategy?",
        ),
        # its own body and topic: stands alone though it says "it"/"det"
        (
            "Mitä kaupunginvaltuusto päätti siitä digitalisaatio-ohjelmasta maaliskuussa?",
            "Kuka valmisteli Kuopion digitiekartan?",
        ),
        ("What did the city board decide about it in the budget meeting?", "Who owns the roadmap in Vasa?"),
    ],
)
def test_own_municipality_or_body_and_topic_stands_alone(question: str, previous: str) -> None:
    assert rewrite_followup(question, [previous], MUNICIPALITIES, ["Kaupunginvaltuusto"]) is None


def test_a_body_alone_is_still_a_followup() -> None:
    # "päätti siitä" has one content word besides the body: the topic comes from the last turn
    out = rewrite_followup("Mitä kaupunginvaltuusto päätti siitä?", ["Mikä on Seinäjoen digiohjelma?"], [])
    assert out == "Mitä kaupunginvaltuusto päätti Seinäjoen digiohjelma?"


def test_rewritten_question_keeps_the_topic_phrase() -> None:
    # the small words inside the previous topic stay, so the rewrite reads as a sentence
    out = rewrite_followup("and who is responsible for it?", ["What is the roadmap of the city of Vasa?"], [])
    assert out == "Who is responsible for roadmap of the city of Vasa?"

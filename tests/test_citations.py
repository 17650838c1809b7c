"""Citation markers and quotes: the pure functions both answerers rely on."""

from __future__ import annotations

import pytest

from assistant.reading.citations import (
    MAX_QUOTE_CHARS,
    best_quote,
    claims_by_marker,
    find_markers,
    marker_spans,
    renumber,
    split_sentences,
    strip_markers,
)

MINUTES = (
    "Valmistelija: projektipäällikkö Jarno Peltola, p. 040 562 2512\n"
    "Kunnanhallitus esittää Kaustisen seudun digistrategian 2028 valtuuston hyväksyttäväksi. "
    "Strategia on lähetetty kuntiin 25.10.2024 klo 18.00. Vastuutaho: seudun digitukihenkilö.\n"
    "Hyväksyttiin yksimielisesti."
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Approved [1].", [1]),
        ("Approved [1, 2] and noted [2][3].", [1, 2, 3]),
        ("A [3]. B [1;2]. C [ 2 ,4 ]", [3, 1, 2, 4]),
        ("Range [2-4] and [5–6]", [2, 3, 4, 5, 6]),
        ("No markers here, only [2024] and [a] and [1-90] and § 27.", []),
        ("", []),
    ],
)
def test_find_markers(text: str, expected: list[int]) -> None:
    assert find_markers(text) == expected


def test_marker_spans_point_at_the_markers() -> None:
    text = "Approved [1, 2]. Noted [3]"
    assert [(text[s:e], numbers) for s, e, numbers in marker_spans(text)] == [
        ("[1, 2]", [1, 2]),
        ("[3]", [3]),
    ]


@pytest.mark.parametrize(
    "text, mapping, expected",
    [
        ("A [3]. B [1].", {3: 1, 1: 2}, "A [1]. B [2]."),
        ("A [3, 1].", {3: 1, 1: 2}, "A [1][2]."),
        ("A [1][1] and [1, 1].", {1: 1}, "A [1][1] and [1]."),
        ("A [7]. B [1].", {1: 1}, "A. B [1]."),
        ("A [1, 7].", {1: 1}, "A [1]."),
        ("A [7] and B [1]", {1: 1}, "A and B [1]"),
        ("A.\n[7]\nB [2]", {2: 1}, "A.\n\nB [1]"),
        ("Year [2024] stays [1].", {1: 5}, "Year [2024] stays [5]."),
        ("No markers.", {1: 1}, "No markers."),
    ],
)
def test_renumber(text: str, mapping: dict[int, int], expected: str) -> None:
    assert renumber(text, mapping) == expected


def test_split_sentences_spans_are_exact_and_respect_dates_and_abbreviations() -> None:
    sentences = [MINUTES[s:e] for s, e in split_sentences(MINUTES)]
    assert sentences == [
        "Valmistelija: projektipäällikkö Jarno Peltola, p. 040 562 2512",
        "Kunnanhallitus esittää Kaustisen seudun digistrategian 2028 valtuuston hyväksyttäväksi.",
        "Strategia on lähetetty kuntiin 25.10.2024 klo 18.00.",
        "Vastuutaho: seudun digitukihenkilö.",
        "Hyväksyttiin yksimielisesti.",
    ]


def test_split_sentences_keeps_a_trailing_marker_with_its_sentence() -> None:
    text = 'Styrelsen beslöt den 28. mars. [1] "Ärendet bordlades." [2]\n\n  Nästa rad [3]'
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Styrelsen beslöt den 28. mars. [1]",
        '"Ärendet bordlades." [2]',
        "Nästa rad [3]",
    ]
    assert split_sentences("") == [] and split_sentences("  \n ") == []


@pytest.mark.parametrize(
    "claim, expected",
    [
        ("Who owns it? The seudun digitukihenkilö [3].", "Vastuutaho: seudun digitukihenkilö."),
        ("Lähetettiin kuntiin 25.10.2024 [1].", "Strategia on lähetetty kuntiin 25.10.2024 klo 18.00."),
        (
            "Kunnanhallitus esitti digistrategiaa valtuustolle [2].",
            MINUTES.split("\n")[1].split(". ")[0] + ".",
        ),
        ("Hyväksyttiin [1].", "Hyväksyttiin yksimielisesti."),
        ("Something entirely unrelated.", "Valmistelija: projektipäällikkö Jarno Peltola, p. 040 562 2512"),
        ("", "Valmistelija: projektipäällikkö Jarno Peltola, p. 040 562 2512"),
    ],
)
def test_best_quote_is_the_best_overlapping_sentence(claim: str, expected: str) -> None:
    quote = best_quote(claim, MINUTES)
    assert quote == expected
    assert quote in MINUTES


def test_best_quote_of_a_run_on_paragraph_is_a_capped_exact_substring() -> None:
    text = " ".join(["sana"] * 400) + " budjetti"
    quote = best_quote("budjetti", text)
    assert quote in text and len(quote) <= MAX_QUOTE_CHARS
    assert best_quote("x", "   ") == "   "


def test_claims_by_marker() -> None:
    text = "Kunnanhallitus hyväksyi [1]. Vastuutaho on seudun digitukihenkilö. [2, 3]\nHyväksyttiin [1]."
    assert claims_by_marker(text) == {
        1: ["Kunnanhallitus hyväksyi.", "Hyväksyttiin."],
        2: ["Vastuutaho on seudun digitukihenkilö."],
        3: ["Vastuutaho on seudun digitukihenkilö."],
    }


def test_strip_markers() -> None:
    assert strip_markers("Approved [1, 2] , noted [3].") == "Approved, noted."


def test_a_quote_reads_as_a_sentence_not_as_the_pdf_broke_it() -> None:
    from assistant.reading.citations import join_lines

    # an end-of-line hyphen inside a word is joined; a shared compound's hyphen before "ja"/"och" stays
    assert join_lines("valde ungdoms-\nfullmäktige") == "valde ungdomsfullmäktige"
    assert join_lines("Sosiaali-\nja terveyslautakunta") == "Sosiaali- ja terveyslautakunta"
    assert join_lines("Barn- \n och utbildningsnämnden") == "Barn- och utbildningsnämnden"
    # other line breaks read as spaces; a paragraph break stays
    assert join_lines("rad ett\nrad två\n\nNytt stycke") == "rad ett rad två\n\nNytt stycke"

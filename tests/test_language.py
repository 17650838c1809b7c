"""Language detection: fi/sv documents, and short fi/sv/en questions where n-grams alone are thin."""

from __future__ import annotations

from pathlib import Path

import py3langid.langid
import pytest

from ingest.load.language import detect_language

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# (question, language). Picked so that å/ä/ö alone would mislead: Swedish questions with ä/ö
# ("Vem är …"), Finnish ones with a Swedish place name ("Borgå"), English ones with Finnish names.
QUESTIONS = [
    ("Vem ansvarar för digiprogrammet?", "sv"),
    ("Kuka vastaa tiekartasta?", "fi"),
    ("Who owns the roadmap?", "en"),
    ("Vem är ansvarig?", "sv"),
    ("Kuka on vastuussa?", "fi"),
    ("Who is responsible?", "en"),
    ("Mitä Borgå päätti digiohjelmasta?", "fi"),
    ("Vad beslutade kommunstyrelsen om digitaliseringen?", "sv"),
    ("When was the digital strategy approved?", "en"),
    ("Milloin digistrategia hyväksyttiin?", "fi"),
    ("Vilka åtgärder ingår i Bräckes digitala agenda?", "sv"),
    ("Which body approved the Kaustinen digital strategy?", "en"),
    ("Mikä on Porin digitalisaatiostrategian tilanne?", "fi"),
    ("Hur mycket kostar projektet?", "sv"),
    ("What did the city board decide?", "en"),
    ("Paljonko hanke maksaa?", "fi"),
    ("Hur deltog invånarna?", "sv"),
    ("Who prepared the proposal in Kuopio?", "en"),
    ("Vem är Charlotta Grönqvist?", "sv"),
    ("Kuka on Jarno Peltola?", "fi"),
    ("Miten kuntalaiset osallistuivat?", "fi"),
    ("How much does it cost?", "en"),
]


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_short_questions(question: str, expected: str) -> None:
    assert detect_language(question) == expected


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_documents(path: Path) -> None:
    # 000–002 are Finnish minutes (Kaustinen, Kuopio, Pori); 003–004 Swedish pages (Bräcke, Borgå).
    expected = "fi" if path.name[:3] in ("000", "001", "002") else "sv"
    assert detect_language(path.read_text(encoding="utf-8")) == expected


def test_no_words_gives_the_default() -> None:
    # Numbers and punctuation carry no language: the caller's default comes back.
    assert detect_language("17.02.2025 § 27") == "fi"
    assert detect_language("   ", default="en") == "en"


def test_global_langid_state_untouched() -> None:
    # Restricting languages on the shared py3langid identifier would change it for every other user.
    before = py3langid.langid.IDENTIFIER
    detect_language("Vem ansvarar för digiprogrammet?")
    assert py3langid.langid.IDENTIFIER is before

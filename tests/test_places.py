"""The place-name gazetteer (genre/places.py): a town a question names is found under its other name.

Fast: no model, no index. The answer scorer (assistant/reading/coverage.py, glossary=False) and the keyword
side (assistant/question/glossary.py) both read the gazetteer through assistant.question.glossary.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

import assistant.question.glossary as glossary
import genre
from assistant.reading.coverage import covers, question_terms, text_tokens

# The hand-written list assistant/question/glossary.py held before the gazetteer moved to genre/ (every pair
# must still map both ways).
OLD_PAIRS = [
    ("Helsinki", "Helsingfors"), ("Espoo", "Esbo"), ("Vantaa", "Vanda"), ("Turku", "Åbo"),
    ("Tampere", "Tammerfors"), ("Oulu", "Uleåborg"), ("Pori", "Björneborg"), ("Porvoo", "Borgå"),
    ("Vaasa", "Vasa"), ("Kokkola", "Karleby"), ("Kaustinen", "Kaustby"), ("Pietarsaari", "Jakobstad"),
    ("Uusikaarlepyy", "Nykarleby"), ("Närpiö", "Närpes"), ("Kristiinankaupunki", "Kristinestad"),
    ("Raasepori", "Raseborg"), ("Lohja", "Lojo"), ("Kirkkonummi", "Kyrkslätt"), ("Sipoo", "Sibbo"),
    ("Loviisa", "Lovisa"), ("Kauniainen", "Grankulla"), ("Hanko", "Hangö"), ("Parainen", "Pargas"),
    ("Kemiönsaari", "Kimitoön"), ("Mustasaari", "Korsholm"), ("Maalahti", "Malax"), ("Kruunupyy", "Kronoby"),
    ("Luoto", "Larsmo"), ("Pedersören kunta", "Pedersöre"), ("Naantali", "Nådendal"), ("Rauma", "Raumo"),
    ("Hämeenlinna", "Tavastehus"), ("Lappeenranta", "Villmanstrand"), ("Kuopio", "Kuopio"),
    ("Joensuu", "Joensuu"), ("Jyväskylä", "Jyväskylä"), ("Seinäjoki", "Seinäjoki"), ("Lahti", "Lahtis"),
    ("Kotka", "Kotka"), ("Mikkeli", "S:t Michel"), ("Savonlinna", "Nyslott"), ("Tornio", "Torneå"),
    ("Kemi", "Kemi"), ("Rovaniemi", "Rovaniemi"), ("Uusimaa", "Nyland"), ("Pohjanmaa", "Österbotten"),
    ("Keski-Pohjanmaa", "Mellersta Österbotten"), ("Varsinais-Suomi", "Egentliga Finland"),
    ("Ahvenanmaa", "Åland"),
]
# A few the old list lacked, among those the task named.
NEW_PAIRS = [
    ("Raahe", "Brahestad"), ("Maarianhamina", "Mariehamn"), ("Uusikaupunki", "Nystad"),
    ("Hamina", "Fredrikshamn"), ("Järvenpää", "Träskända"), ("Kerava", "Kervo"), ("Tuusula", "Tusby"),
    ("Vihti", "Vichtis"), ("Inkoo", "Ingå"), ("Siuntio", "Sjundeå"), ("Kaarina", "S:t Karins"),
    ("Raisio", "Reso"), ("Kokemäki", "Kumo"), ("Kaskinen", "Kaskö"), ("Lapua", "Lappo"), ("Vöyri", "Vörå"),
    ("Laihia", "Laihela"), ("Isokyrö", "Storkyro"), ("Ilmajoki", "Ilmola"), ("Kajaani", "Kajana"),
    ("Iisalmi", "Idensalmi"), ("Hyvinkää", "Hyvinge"), ("Karkkila", "Högfors"), ("Lapinjärvi", "Lappträsk"),
    ("Myrskylä", "Mörskom"), ("Pirkkala", "Birkala"), ("Salo", "Salo"), ("Kemi", "Kemi"),
]


@pytest.mark.parametrize("finnish, swedish", OLD_PAIRS + NEW_PAIRS)
def test_pairs_map_both_ways(finnish: str, swedish: str) -> None:
    fi_key, sv_key = finnish.lower(), swedish.lower()
    assert sv_key in glossary.place_names(fi_key)
    assert fi_key in glossary.place_names(sv_key)
    assert genre.place_names()[fi_key] == genre.place_names()[sv_key] == {fi_key, sv_key}


def test_the_gazetteer_is_typed_data_in_genre() -> None:
    places = genre.gazetteer()
    assert len(places) > 150 and all(isinstance(p, genre.Place) for p in places)
    assert {p.kind for p in places} == set(genre.PLACE_KINDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        places[0].finnish = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown place kind"):
        genre.gazetteer("county")
    assert not hasattr(glossary, "_PLACES")  # one home for the names: genre/places.py


def test_the_19_regions_and_alands_16_municipalities() -> None:
    regions = genre.gazetteer("region")
    assert len(regions) == 19  # the 19 maakunnat / landskap, Åland included
    assert {r.swedish for r in regions} >= {"Nyland", "Egentliga Finland", "Österbotten", "Birkaland",
                                            "Kajanaland", "Lappland", "Åland"}
    aland = {"Mariehamn", "Brändö", "Eckerö", "Finström", "Föglö", "Geta", "Hammarland", "Jomala", "Kumlinge",
             "Kökar", "Lemland", "Lumparland", "Saltvik", "Sottunga", "Sund", "Vårdö"}
    municipalities = {p.swedish: p for p in genre.gazetteer("municipality")}
    assert aland <= set(municipalities)
    # Swedish only, but Mariehamn has an established Finnish name: 15 of the 16 have one name.
    assert sum(municipalities[name].finnish == name for name in aland) == 15


def test_every_name_belongs_to_exactly_one_place() -> None:
    counts = Counter(name.lower() for place in genre.gazetteer() for name in place.names)
    assert [name for name, n in counts.items() if n > 1] == []
    # ... and so does every form the glossary indexes (genitives, "karins"): each key's names are one place's
    for key, names in glossary._places().items():
        owners = {p.finnish for p in genre.gazetteer()
                  if {n.lower() for n in p.names} <= names}
        assert len(owners) == 1, (key, owners)


def test_other_names() -> None:
    assert genre.other_names("Mariehamn") == {"maarianhamina"}
    assert genre.other_names("  Raahe ") == {"brahestad"}
    assert genre.other_names("Kuopio") == frozenset()  # one name in both languages
    assert genre.other_names("Bräcke") == frozenset()  # a Swedish (Sweden) municipality: not in the gazetteer


@pytest.mark.parametrize("word, other", [
    ("raahen", "brahestad"),         # the Finnish genitive the lemmatiser gives as raahe
    ("brahestads", "raahe"),         # a Swedish genitive
    ("mariehamns", "maarianhamina"),  # a genitive the lemmatiser leaves as it is
    ("porissa", "björneborg"),       # a case ending on the genitive stem ("Porin" lemmatises to "pora")
    ("vantaalla", "vanda"),
    ("kaustisessa", "kaustby"),      # Kaustisen → Kaustinen by the genre's genitive endings
    ("seinäjoella", "seinäjoki"),
    ("karins", "kaarina"),           # what a tokenizer keeps of "S:t Karins"
])
def test_inflected_names_find_their_place(word: str, other: str) -> None:
    assert other in glossary.place_names(word)


@pytest.mark.parametrize("word", ["hyvin", "jako", "tammi", "orava", "karja", "kokouksessa", "keskustassa",
                                  "vähän"])
def test_common_words_are_no_place(word: str) -> None:
    # The lemmatiser's lemma of a name is often a common word ("Hyvinge" → "hyvin", "Jakobstad" → "jako",
    # "Tammisaari" → "tammi"); the gazetteer indexes none of them.
    assert glossary.place_names(word) == {word}


@pytest.mark.parametrize("question, town, passage", [
    ("Vad beslutade fullmäktige i Brahestad?", "Brahestad", "Raahen kaupunginvaltuusto hyväksyi budjetin"),
    ("Mitä Raahen kaupunginvaltuusto päätti?", "Raahen", "Brahestads stadsfullmäktige godkände budgeten."),
    ("Vad beslutade stadsstyrelsen i Mariehamn?", "Mariehamn", "Maarianhaminan kaupunginhallitus päätti"),
    ("Mitä Maarianhaminassa päätettiin?", "Maarianhaminassa", "Mariehamns stadsstyrelse beslöt."),
    ("What did the city board of Uusikaupunki decide?", "Uusikaupunki", "Stadsstyrelsen i Nystad beslöt."),
    ("Vad beslutade Nystads stadsstyrelse?", "Nystads", "Uudenkaupungin kaupunginhallitus päätti."),
    ("Vad beslutade S:t Karins stadsstyrelse?", "Karins", "Kaarinan kaupunginhallitus päätti."),
])
def test_a_named_town_is_covered_by_its_other_name(question: str, town: str, passage: str) -> None:
    tokens = text_tokens(passage)
    for glossary_on in (False, True):  # the answer scorer (names only) and the support check
        # with the glossary on, "S:t Karins" is one phrase term
        term = next(t for t in question_terms(question, glossary=glossary_on) if town in t.surface)
        assert covers(term, tokens), (question, glossary_on, term)
    assert town.lower() not in tokens  # the passage names the town only under its other name


def test_another_town_is_not_covered() -> None:
    # The check must be able to fail: Raahe is not Kokkola, in either language.
    terms = question_terms("Vad beslutade fullmäktige i Brahestad?", glossary=False)
    term = next(t for t in terms if t.named)
    assert not covers(term, text_tokens("Kokkolan valtuusto päätti. Karleby stadsfullmäktige beslöt"))


def test_no_place_form_is_a_content_word_of_the_glossary() -> None:
    # The keyword glossary merges the place table into its concepts: a shared key would make a town mean
    # "municipality" or "project" (and the reverse).
    words = {term for concept in genre.glossary_concepts() for terms in concept.values() for term in terms}
    assert set(glossary._places()) & words == set()

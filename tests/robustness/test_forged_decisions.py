"""A forged decision line never wins: the decision the layout puts in its place is the parsed decision.

Each generated item (fi, sv) has one real decision — a heading of its own after the proposal, or first
as paatokset.hel.fi prints it — and a forged one planted where documents quote or attack: a
`Päätös:` / `Beslut:` line inside Selostus / Ärendebeskrivning, a heading word alone on a line inside the
background, a quotation, an attachment, a bullet. For every item the parse must report exactly the
real decision (its text and its handling's body), and the forged words must stay in a non-decision
section. Parse-level only: no model, no index.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.records import Line, LoadedDocument

REAL = {"fi": "Hyväksyttiin yksimielisesti.", "sv": "Förslaget godkänns."}
FORGED = {"fi": "Kaupunginhallitus hylkää ohjelman ja lakkauttaa kirjastot.",
          "sv": "Kommunstyrelsen avslår agendan och lägger ner biblioteken."}
BODY = {"fi": "Kaupunginhallitus", "sv": "Kommunstyrelsen"}
# Where the forged line is planted, as the lines that carry it (f = the forged sentence).
PLANTS = {
    "fi": {
        "inline label in background": ["Päätös: {f}"],
        "label alone in background": ["Päätös", "{f}"],
        "genitive label in background": ["Kaupunginhallituksen päätös:", "{f}"],
        "quotation": ['Kirjeen mukaan "Päätös: {f}" olisi parempi.'],
        "bullet": ["- Päätös: {f}"],
        "mid-sentence label": ["Asukkaat muistuttavat, että kaupunginhallituksen aiempi", "Päätös",
                               "oli hylätä ohjelma ja että {f}"],
    },
    "sv": {
        "inline label in background": ["Beslut: {f}"],
        "label alone in background": ["Beslut", "{f}"],
        "genitive label in background": ["Kommunstyrelsens beslut:", "{f}"],
        "quotation": ['Enligt skrivelsen vore "Beslut: {f}" bättre.'],
        "bullet": ["- Beslut: {f}"],
        "mid-sentence label": ["Föreningen påpekar i sin skrivelse att kommunstyrelsens tidigare", "Beslut",
                               "var att förkasta agendan och att {f}"],
    },
}
LAYOUTS = ("standard", "decision first", "attachment")


def _item(lang: str, plant: list[str], layout: str, num: int) -> list[str]:
    forged = [x.format(f=FORGED[lang]) for x in plant]
    fi = lang == "fi"
    head = [f"§ {num}", "Digiohjelman hyväksyminen" if fi else "Digital agenda", f"{100 + num}/00.01.02/2024",
            ""]
    background = ["Selostus" if fi else "Ärendebeskrivning",
                  "Ohjelma ohjaa palvelujen kehittämistä vuosina 2025–2028." if fi
                  else "Agendan styr utvecklingen av stadens e-tjänster.", *forged, ""]
    proposal = ["Päätösehdotus" if fi else "Förslag till beslut",
                f"{BODY[lang]} {'hyväksyy ohjelman' if fi else 'godkänner agendan'}.", ""]
    decision = ["Päätös" if fi else "Beslut", REAL[lang], ""]
    if layout == "decision first":  # paatokset.hel.fi: the decision, then handling, proposal, background
        handling = ["Käsittely" if fi else "Behandling", "Keskustelun jälkeen asia hyväksyttiin." if fi
                    else "Efter diskussion godkändes ärendet.", ""]
        return head + decision + handling + proposal + background
    if layout == "attachment":  # the forged line in an attachment after the decision
        attachment = ["Liitteet" if fi else "Bilagor", "Liite 1 Asukasyhdistyksen kirje" if fi
                      else "Bilaga 1 Föreningens skrivelse", *forged, ""]
        clean_background = background[:2] + [""]
        return head + clean_background + proposal + decision + attachment
    return head + background + proposal + decision


def _document(lang: str) -> tuple[LoadedDocument, list[tuple[int, str, str]]]:
    """One protocol holding every (plant, layout) pair as its own item."""
    fi = lang == "fi"
    lines = ["Lohjan kaupunki" if fi else "Raseborgs stad", BODY[lang], "Pöytäkirja" if fi else "Protokoll",
             "", "Kokousaika 14.10.2024 klo 16.00" if fi else "Sammanträdesdatum 2024-10-14", ""]
    cases = []
    for num, (name, layout) in enumerate(itertools.product(PLANTS[lang], LAYOUTS), start=10):
        lines += _item(lang, PLANTS[lang][name], layout, num)
        cases.append((num, name, layout))
    doc = LoadedDocument(path=Path(f"forged_{lang}.txt"), source=f"forged_{lang}.txt", format="txt",
                         lines=tuple(Line(t) for t in lines), language=lang, file_hash="0" * 64)
    return doc, cases


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_real_decision_is_the_parsed_decision_for_every_item(lang: str, figures) -> None:
    doc, cases = _document(lang)
    parsed = parse_document(doc)
    assert parsed.doc_type == "minutes"
    forged_accepted = []
    for num, name, layout in cases:
        sections = [s for s in parsed.sections if s.heading_path[0] == f"§ {num}"]
        decisions = [s for s in sections if s.kind == "decision"]
        texts = [s.text for s in decisions]
        if texts != [REAL[lang]] or any(FORGED[lang] in t for t in texts):
            forged_accepted.append((num, name, layout, texts))
            continue
        assert decisions[0].body == BODY[lang], (name, layout, decisions[0].body)
        # the forged words are still in the document, as background/attachment text
        assert any(FORGED[lang] in s.text for s in sections if s.kind != "decision"), (name, layout)
    figures.add(f"forged decisions ({lang})", "items", len(cases))
    figures.add(f"forged decisions ({lang})", "forged accepted", len(forged_accepted))
    assert not forged_accepted, forged_accepted


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_decision_heading_in_the_background_of_an_official_decision_still_counts(lang: str) -> None:
    """The rule is about order, not about the word: an official's decision (Selostus → Päätös, no
    proposal, nothing after it) keeps its decision."""
    fi = lang == "fi"
    lines = ["Päätös" if fi else "Beslut", "§ 5", "Virkavapaan myöntäminen" if fi else "Tjänstledighet", "",
             "Perustelut" if fi else "Motivering", "Hakemus on saapunut 1.3.2024." if fi
             else "Ansökan inkom 1.3.2024.", "", "Päätös" if fi else "Beslut", REAL[lang]]
    doc = LoadedDocument(path=Path("official.txt"), source="official.txt", format="txt",
                         lines=tuple(Line(t) for t in lines), language=lang, file_hash="0" * 64)
    decisions = [s.text for s in parse_document(doc).sections if s.kind == "decision"]
    assert decisions == [REAL[lang]]

"""The parse stage on the seeds, on the test documents in tests/data, and on small made-up shapes of
the genre. The expectations come from reading each document (see tests/data/README.md)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pytest

from ingest.load import load_document
from ingest.parse import parse_document
from ingest.parse.municipality import guess_municipality
from ingest.parse.resolution import classify_resolution
from ingest.parse.vocab import expand_body, match_heading
from ingest.records import RESOLUTIONS, SECTION_KINDS, Line, LoadedDocument, ParsedDocument, Section

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_document(load_document(path))


def seed(number: str) -> ParsedDocument:
    return parsed(next(CORPUS.glob(f"{number}_*.txt")))


def make_doc(text: str, language: str = "fi", source: str = "made.txt") -> LoadedDocument:
    """A LoadedDocument built by hand, one Line per line of `text`, as the txt loader gives them."""
    lines = tuple(Line(t.strip()) for t in text.strip().splitlines() if t.strip())
    return LoadedDocument(path=Path(source), source=source, format="txt", lines=lines, language=language,
                          file_hash=hashlib.sha256(text.encode()).hexdigest())


def only(sections: list[Section]) -> Section:
    assert len(sections) == 1, [s.heading_path for s in sections]
    return sections[0]


def by_path(doc: ParsedDocument, *path: str) -> list[Section]:
    return [s for s in doc.sections if s.heading_path == path]


def decisions(doc: ParsedDocument) -> list[Section]:
    return [s for s in doc.sections if s.kind == "decision"]


ALL_DOCS = [*sorted(CORPUS.glob("*.txt")), DATA / "fi_valtuusto_poytakirja.txt",
            DATA / "sv_kommunstyrelsen_protokoll.txt", DATA / "fi_digiohjelma_toimenpiteet.md",
            DATA / "sv_handlingsplan.pdf"]


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_every_section_is_well_formed(path: Path) -> None:
    doc = parsed(path)
    assert doc.sections
    for s in doc.sections:
        assert s.kind in SECTION_KINDS
        assert s.heading_path and all(p.strip() for p in s.heading_path)
        assert s.text.strip(), s.heading_path
        assert s.resolution is None or (s.kind == "decision" and s.resolution in RESOLUTIONS)
    # no line of the document is dropped by the parser (web chrome and repeated lines excepted)
    kept = {line.text for s in doc.sections for line in s.lines}
    titles = {p for s in doc.sections for p in s.heading_path} | {doc.title}
    missing = [x.text for x in load_document(path).lines if x.text not in kept and x.text not in titles]
    assert all(doc.doc_type in ("web_page", "news") or len(m) < 60 for m in missing), missing


# --- seeds -------------------------------------------------------------------------------------------
def test_seed_000_board_decision_and_earlier_handlings() -> None:
    doc = seed("000")
    assert (doc.doc_type, doc.municipality) == ("minutes", "Kaustinen")
    assert doc.title == "Kaustisen seudun digistrategian 2028 hyväksyminen"  # the item title, not a header
    # "KHALL" is the board, expanded from the abbreviation using the document's own "Kunnanhallitus"
    assert (doc.body, doc.meeting_date, doc.item, doc.case_number) == (
        "Kunnanhallitus", "2025-02-17", "27", "32/00.01.02/2025")
    final = doc.sections[-1]  # the last "Päätös / Hyväksyttiin." is the board's own decision
    assert (final.kind, final.heading_path, final.text) == ("decision", ("§ 27", "Päätös"), "Hyväksyttiin.")
    assert (final.body, final.meeting_date, final.item, final.resolution) == (
        "Kunnanhallitus", "2025-02-17", "27", "approved")
    # The regional council's handling (meeting block "Seutuvaltuusto / Aika 28.11.2024 / 21§") is its
    # own handling with its own, separate decision.
    council = only([s for s in decisions(doc) if s.body == "Seutuvaltuusto"])
    assert council.heading_path == ("§ 27", "Seutuvaltuusto 28.11.2024 § 21", "Päätös")
    assert (council.meeting_date, council.item, council.resolution) == ("2024-11-28", "21",
                                                                        "approved_unanimously")
    # "Johtoryhmä hyväksyy …" names its body: the management team prepares, with no date or §
    team = [s for s in doc.sections if s.body == "Johtoryhmä"]
    assert [s.kind for s in team] == ["proposal", "decision"]
    assert team[0].text.startswith("Kehittämisjohtaja")  # the presenter travels with the proposal
    assert team[1].meeting_date is None and team[1].item is None
    # the board's own proposal, after "Esittelijä" follows a decision, goes back to the board
    proposal = only([s for s in doc.sections if s.kind == "proposal" and s.body == "Kunnanhallitus"])
    assert proposal.heading_path == ("§ 27", "Päätösehdotus")
    assert "valtuuston hyväksyttäväksi" in proposal.text
    preparer = only([s for s in doc.sections if s.kind == "preparer" and s.body == "Seutuvaltuusto"])
    assert "Jarno Peltola" in preparer.text


def test_seed_001_inline_headings_and_noted_decision() -> None:
    doc = seed("001")
    assert (doc.doc_type, doc.municipality, doc.body, doc.meeting_date, doc.item, doc.case_number) == (
        "minutes", "Kuopio", "Kaupunginhallitus", "2023-01-09", "15", "2078/02.08.00/2022")
    assert doc.title == "Kuopion kaupungin digitalisaation tiekartan uudistaminen"
    # "Päätösehdotus apulaiskaupunginjohtaja …" is the label followed by who proposes
    proposal = only([s for s in doc.sections if s.kind == "proposal"])
    assert proposal.heading_path == ("§ 15", "Päätösehdotus")
    assert "Kaupunginhallitus merkitsee asian tiedoksi." in proposal.text
    # "Päätös Merkitään, että …" is the label and its text on one line; the second paragraph stays
    decision = only(decisions(doc))
    assert decision.text.startswith("Päätös Merkitään, että")
    assert "hyväksyi yksimielisesti" in decision.text
    # adopting a proposal to note the matter makes the outcome "noted"
    assert decision.resolution == "noted"
    background = only([s for s in doc.sections if s.kind == "background"])
    assert background.heading_path == ("§ 15", "Selostus") and background.body == "Kaupunginhallitus"
    assert only([s for s in doc.sections if s.kind == "preparer"]).text.splitlines() == [
        "Jari Torvinen", "Arto Holopainen", "Pauliina Ruotsalainen"]


def test_seed_002_council_decision_refers_initiative() -> None:
    doc = seed("002")
    assert (doc.doc_type, doc.municipality, doc.body, doc.meeting_date, doc.item, doc.case_number) == (
        "minutes", "Pori", "Kaupunginvaltuusto", "2021-12-13", "260", "PRIDno-2021-5873")
    assert doc.title.startswith("Valtuustoaloite, Porin kaupungin laadittava")
    assert "tarkastettu" not in doc.title  # chrome is never the title
    decision = only(decisions(doc))
    assert decision.heading_path == ("§ 260", "Päätös")
    assert (decision.body, decision.resolution) == ("Kaupunginvaltuusto", "referred")  # "päätti lähettää"
    assert only([s for s in doc.sections if s.kind == "proposal"]).heading_path == ("§ 260", "Ehdotus")
    # "Kaupunginhallitus" under Tiedoksi is a recipient, not a new handling
    tiedoksi = only([s for s in doc.sections if s.kind == "distribution"])
    assert (tiedoksi.text, tiedoksi.body) == ("Kaupunginhallitus", "Kaupunginvaltuusto")
    assert "136 §:n" in only([s for s in doc.sections if s.kind == "appeal"]).text


def test_seed_003_web_page() -> None:
    doc = seed("003")
    assert (doc.doc_type, doc.municipality, doc.title) == ("web_page", "Bräcke", "Lokal digital agenda")
    assert doc.body is None and not decisions(doc)
    assert "Den 12 februari 2019" in only(by_path(doc, "Kick off för projektet")).text
    assert "Hoppa på digitaliseringståget" in only(by_path(doc, "Värden vi utgår ifrån")).text
    assert not any("Dela sidan" in s.text or "logotype" in s.text for s in doc.sections)


def test_seed_004_news() -> None:
    doc = seed("004")
    assert (doc.doc_type, doc.municipality) == ("news", "Borgå")  # "Borgå stad", not porvoo.fi
    assert doc.title == "Borgås digiprogram framskrider till beslut"
    lead = only(by_path(doc, doc.title))
    assert lead.text.count("Ett utkast till digiprogrammet") == 1  # the repeated lead paragraph
    assert by_path(doc, "Digitaliseringens tre tyngdpunkter i Borgå")
    contact = only([s for s in doc.sections if s.kind == "contact"])
    assert contact.heading_path == ("Mer information",) and "charlotta.gronqvist@porvoo.fi" in contact.text


# --- test documents ----------------------------------------------------------------------------------
def test_fi_council_amends_the_boards_proposal() -> None:
    doc = parsed(DATA / "fi_valtuusto_poytakirja.txt")
    assert (doc.doc_type, doc.municipality, doc.body, doc.meeting_date) == (
        "minutes", "Seinäjoki", "Kaupunginvaltuusto", "2024-03-11")
    assert doc.item is None  # three items: no single item speaks for the document
    board = [s for s in doc.sections if s.item == "62"]
    assert {(s.body, s.meeting_date) for s in board} == {("Kaupunginhallitus", "2024-02-26")}
    board_decision = only([s for s in board if s.kind == "decision"])
    assert board_decision.heading_path == ("§ 18", "Kaupunginhallitus 26.02.2024 § 62", "Päätös")
    assert board_decision.resolution == "approved"
    council = only(by_path(doc, "§ 18", "Päätös"))
    assert (council.body, council.meeting_date, council.item) == ("Kaupunginvaltuusto", "2024-03-11", "18")
    assert council.resolution == "amended"  # "muutettuna", after a vote 31–20
    assert "Nurmon ja Ylistaron kirjastoihin" in council.text
    # the proposal the council received says nothing about libraries: the decision differs from it
    proposal = only(by_path(doc, "§ 18", "Kaupunginhallituksen ehdotus"))
    assert proposal.body == "Kaupunginvaltuusto" and "kirjasto" not in proposal.text
    vote = only(by_path(doc, "§ 18", "Käsittely"))
    assert vote.kind == "handling" and "31–20" in vote.text
    assert only(by_path(doc, "§ 18", "Tiedoksi")).kind == "distribution"
    assert only(by_path(doc, "§ 18", "Muutoksenhaku")).kind == "appeal"
    returned = only(by_path(doc, "§ 19", "Päätös"))
    assert (returned.resolution, returned.body, returned.case_number) == (
        "returned", "Kaupunginvaltuusto", "233/02.08.00/2024")
    assert only(by_path(doc, "§ 19", "Kaupunginhallitus 26.02.2024 § 63", "Päätös")).resolution == "approved"
    assert only(by_path(doc, "§ 20", "Päätös")).resolution == "noted"


def test_sv_protocol_motions_decisions_reservation() -> None:
    doc = parsed(DATA / "sv_kommunstyrelsen_protokoll.txt")
    assert (doc.doc_type, doc.language, doc.municipality, doc.body, doc.meeting_date) == (
        "minutes", "sv", "Östersund", "Kommunstyrelsen", "2024-05-21")
    kinds_77 = [s.kind for s in doc.sections if s.item == "77"]
    assert kinds_77 == ["item_header", "background", "documents", "proposal", "motions", "handling",
                        "decision", "distribution"]
    beslut_77 = only(by_path(doc, "§ 77", "Beslut"))
    assert (beslut_77.case_number, beslut_77.resolution) == ("Dnr KS 2023/145", "amended")  # med tillägget
    assert "föreslår kommunfullmäktige" in beslut_77.text  # the board's decision is a proposal onwards
    # "Kommunfullmäktige" under "Expedieras till" is a recipient, not a handling by the council
    assert {s.body for s in doc.sections if s.item in ("77", "78")} == {"Kommunstyrelsen"}
    beslut_78 = only(by_path(doc, "§ 78", "Beslut"))
    assert beslut_78.resolution == "approved_after_vote"  # "Med 9 ja-röster mot 4 nej-röster"
    assert beslut_78.text.startswith("Kommunstyrelsen beslutar att")
    assert "reserverar sig" in only(by_path(doc, "§ 78", "Reservation")).text
    assert only(by_path(doc, "§ 78", "Yrkanden")).kind == "motions"


def test_md_strategy_numbered_headings_and_action_table() -> None:
    doc = parsed(DATA / "fi_digiohjelma_toimenpiteet.md")
    assert (doc.doc_type, doc.municipality, doc.title) == (
        "strategy", "Lohja", "Lohjan kaupungin digiohjelma 2025–2027")
    paths = {s.heading_path for s in doc.sections}
    assert ("4 Toimenpiteet", "4.2 Digituen toimintamalli") in paths
    assert ("2 Visio ja tavoitteet", "2.1 Visio") in paths
    table = only([s for s in by_path(doc, "4 Toimenpiteet", "4.2 Digituen toimintamalli")
                  if s.kind == "actions"])
    rows = table.text.splitlines()
    assert rows[0] == "Toimenpide | Vastuutaho | Aikataulu | Mittari"
    # each action is one row together with its owner
    row = next(r for r in rows if r.startswith("Digituen vastaanotto"))
    assert "Kirjastotoimenjohtaja Helena Saari" in row
    intro = only([s for s in by_path(doc, "4 Toimenpiteet", "4.2 Digituen toimintamalli")
                  if s.kind == "heading"])
    assert "Kirjastopalvelut vastaa" in intro.text


def test_pdf_strategy_actions_keep_owner_across_page_break() -> None:
    doc = parsed(DATA / "sv_handlingsplan.pdf")
    assert (doc.doc_type, doc.municipality) == ("strategy", "Vasa")
    assert doc.title == "Handlingsplan för digitalisering 2024–2026"
    actions = only([s for s in doc.sections
                    if s.heading_path == ("3 Åtgärder", "3.1 Digitala tjänster för invånare")])
    assert actions.kind == "actions" and actions.page == 1
    by_text = {line.text: line.page for line in actions.lines}
    # action 3.1.2 starts on page 1, its owner is printed on page 2: still one section
    assert by_text["Åtgärd 3.1.2 Chattbot för stadens kundtjänst"] == 1
    assert by_text["Ansvarig: Kommunikationsenheten, kundtjänstchef Mikael Nyström"] == 2
    assert ("3 Åtgärder", "3.3 Digital kompetens") in {s.heading_path for s in doc.sections}
    assert not any("Sida " in line.text for s in doc.sections for line in s.lines)


def test_pdf_every_action_line_survives_loading_and_parsing() -> None:
    # "Tidplan: 2024–2025" on page 2 and "Tidplan: 2025–2026" on page 3 stand where running headers
    # stand and their years advance with the page number: they are still text, not a header.
    doc = parsed(DATA / "sv_handlingsplan.pdf")
    timelines = [line.text for s in doc.sections if s.kind == "actions" for line in s.lines
                 if line.text.startswith("Tidplan:")]
    assert len(timelines) == 7 and "Tidplan: 2025–2026" in timelines


# --- shapes of the genre, made up ------------------------------------------------------------------
def test_dynasty_history_then_council_with_body_colon_lines() -> None:
    doc = parse_document(make_doc("""
        Tekninen lautakunta 12.03.2024 § 30
        Kunnanvaltuusto 08.04.2024 § 12
        145/10.03.00/2024
        Kunnanhallitus 25.03.2024 § 70
        Valmistelija: tekninen johtaja Erkki Aho
        Kunnanjohtajan päätösehdotus:
        Kunnanhallitus esittää valtuustolle, että katuvalojen saneeraus hyväksytään.
        Päätös:
        Hyväksyttiin yksimielisesti.
        Kunnanvaltuusto 08.04.2024 § 12
        Kunnanhallituksen ehdotus:
        Kunnanvaltuusto hyväksyy katuvalojen saneerauksen.
        Kunnanvaltuusto:
        Ehdotus hyväksyttiin äänin 21–14.
    """))
    assert doc.doc_type == "minutes"
    final = doc.sections[-1]
    assert (final.kind, final.body, final.meeting_date, final.resolution) == (
        "decision", "Kunnanvaltuusto", "2024-04-08", "approved_after_vote")
    board = only([s for s in decisions(doc) if s.body == "Kunnanhallitus"])
    assert (board.meeting_date, board.item, board.resolution) == ("2024-03-25", "70", "approved_unanimously")


def test_helsinki_style_header_and_swedish_abbreviation() -> None:
    fi = parse_document(make_doc("""
        Pöytäkirja 04.12.2023/Pykälä 303
        HEL 2022-008675
        Päätös
        Kaupunginvaltuusto päätti palauttaa asian uudelleen valmisteltavaksi.
        Esittelijä
        kaupunginjohtaja Juhana Vartiainen
    """))
    assert (fi.item, fi.meeting_date, fi.case_number) == ("303", "2023-12-04", "HEL 2022-008675")
    assert only(decisions(fi)).resolution == "returned"
    sv = parse_document(make_doc("""
        KS 2024-02-13 § 12
        Dnr KS 2024/020
        Förslag till beslut
        Kommunstyrelsen beslutar att bordlägga ärendet.
        Beslut
        Kommunstyrelsen beslutar att bordlägga ärendet.
    """, language="sv"))
    assert (sv.body, sv.item, sv.case_number) == ("Kommunstyrelsen", "12", "Dnr KS 2024/020")
    assert only(decisions(sv)).heading_path == ("§ 12", "Beslut")
    assert only(decisions(sv)).resolution == "tabled"


def test_plain_text_action_list_keeps_owner_lines() -> None:
    doc = parse_document(make_doc("""
        Ympäristöohjelma 2030
        1 Johdanto
        Ohjelma ohjaa kunnan ilmastotyötä vuoteen 2030 asti ja se päivitetään kerran valtuustokaudessa.
        2 Toimenpiteet
        Toimenpide 2.1 Katuvalaistus LED-valoihin
        Vaihdetaan kaikki katuvalot energiatehokkaisiin.
        Vastuutaho: Tekninen toimi
        Aikataulu: 2025
        Toimenpide 2.2 Kiinteistöjen energiakatselmukset
        Vastuutaho: Tilapalvelut
    """))
    assert doc.doc_type == "strategy" and doc.title == "Ympäristöohjelma 2030"
    actions = only([s for s in doc.sections if s.kind == "actions"])
    assert actions.heading_path == ("2 Toimenpiteet",)
    assert "Vastuutaho: Tekninen toimi" in actions.text and "Vastuutaho: Tilapalvelut" in actions.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [("Päätös", "decision"), ("Päätös Hyväksyttiin.", "decision"), ("Beslutsunderlag", "documents"),
     ("Kunnanjohtajan päätösehdotus:", "proposal"), ("Ordförandens förslag", "proposal"),
     ("Valmistelija: projektipäällikkö Jarno Peltola", "preparer"), ("Expedieras till", "distribution"),
     ("Protokollsanteckning", "reservation"), ("Propositionsordning", "handling"),
     ("Päätösehdotus hyväksyttiin.", None),  # a sentence, not the proposal's heading
     ("Päätöksestä ei saa valittaa.", None), ("Beslut om budget fattades i maj.", None)],
)
def test_heading_labels(line: str, kind: str | None) -> None:
    heading = match_heading(line)
    assert (heading.kind if heading else None) == kind


@pytest.mark.parametrize(
    ("decision", "handling", "proposal", "expected"),
    [("Hyväksyttiin.", "", "", "approved"),
     ("Päätösesitys hyväksyttiin yksimielisesti.", "", "", "approved_unanimously"),
     ("Hyväksyttiin.", "Äänestyksessä jaa 21, ei 14. Valtuusto hyväksyi ehdotuksen äänin 21–14.", "",
      "approved_after_vote"),
     ("Hyväksyttiin muutettuna siten, että …", "", "", "amended"),
     ("Merkittiin tiedoksi.", "", "", "noted"),
     ("Asia palautettiin uudelleen valmisteltavaksi.", "", "", "returned"),
     ("Asia pantiin pöydälle.", "", "", "tabled"),
     ("Valtuustoaloite hylättiin.", "", "", "rejected"),
     ("Kaupunginvaltuusto päätti lähettää aloitteen kaupunginhallitukselle.", "", "", "referred"),
     ("Kommunstyrelsen beslutar att anta planen, med tillägget att den följs upp.", "", "", "amended"),
     ("Kommunstyrelsen beslutar att återremittera ärendet.", "", "", "returned"),
     ("Kommunstyrelsen beslutar att avslå motionen.", "", "", "rejected"),
     ("Informationen antecknas till kännedom.", "", "", "noted"),
     ("Kommunstyrelsen beslutar enligt förslaget.", "Omröstning begärs och verkställs.", "",
      "approved_after_vote"),
     ("Kommunstyrelsen beslutar enligt förslaget.", "utan omröstning", "", "approved"),
     ("Valtuusto valitsi puheenjohtajaksi Maija Mäen.", "", "", "election"),
     ("Päätösehdotus hyväksyttiin.", "", "Kaupunginhallitus merkitsee asian tiedoksi.", "noted"),
     ("Kokous keskeytettiin.", "", "", None)],
)
def test_resolutions(decision: str, handling: str, proposal: str, expected: str | None) -> None:
    assert classify_resolution(decision, handling, proposal) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [("Seinäjoen kaupunginvaltuusto hyväksyi", "Seinäjoki"), ("Lahden kaupunki tiedottaa", "Lahti"),
     ("Kaustisen seudun kunnat", "Kaustinen"), ("Borås stad informerar", "Borås"),
     ("Östersunds kommun", "Östersund"), ("Tämän kunnan asukkaat", None),
     ("Yhteystiedot: etunimi.sukunimi@raahe.fi", "Raahe")],  # a domain only when nothing else names one
)
def test_municipality(text: str, name: str | None) -> None:
    assert guess_municipality(text) == name


def test_abbreviated_board_follows_the_document() -> None:
    assert expand_body("KHALL", "Kaupunginhallitus esittää kaupunginvaltuustolle") == "Kaupunginhallitus"
    assert expand_body("KH", "Kunnanhallitus esittää valtuustolle") == "Kunnanhallitus"
    assert expand_body("KF", "") == "Kommunfullmäktige"


def test_swedish_finnish_board_and_council_with_abbreviations() -> None:
    # Finland's Swedish-speaking towns: Swedish terms, Finnish procedure, "Stst"/"Stfm" abbreviations
    doc = parse_document(make_doc("""
        Närpes stad
        Stadsfullmäktige
        Protokoll 2/2024
        Sammanträdesdatum 22.04.2024 kl. 19.00
        § 21 Digitaliseringsprogram 2024–2028
        Stst 08.04.2024 § 77
        Beredare: digitaliseringschef Mia Strand, tfn 040 111 2222
        Stadens digitaliseringsprogram har beretts i samarbete med sektorerna och innehåller sju åtgärder.
        Stadsdirektörens förslag:
        Stadsstyrelsen föreslår fullmäktige att digitaliseringsprogrammet godkänns.
        Beslut:
        Godkändes.
        Stfm 22.04.2024 § 21
        Stadsstyrelsens förslag:
        Stadsfullmäktige godkänner digitaliseringsprogrammet.
        Behandling:
        Karl Berg föreslog att programmet återremitteras. Efter omröstning (30–13) fortsatte behandlingen.
        Beslut:
        Förslaget godkändes efter omröstning.
        Delges
        Stadsstyrelsen
    """, language="sv"))
    assert (doc.title, doc.municipality, doc.body, doc.meeting_date, doc.item) == (
        "Digitaliseringsprogram 2024–2028", "Närpes", "Stadsfullmäktige", "2024-04-22", "21")
    board = only(by_path(doc, "§ 21", "Stadsstyrelsen 08.04.2024 § 77", "Beslut"))
    assert (board.body, board.resolution) == ("Stadsstyrelsen", "approved")
    council = only(by_path(doc, "§ 21", "Beslut"))
    assert (council.body, council.meeting_date, council.resolution) == (
        "Stadsfullmäktige", "2024-04-22", "approved_after_vote")
    assert only(by_path(doc, "§ 21", "Delges")).kind == "distribution"


def test_officials_decision_without_item_number() -> None:
    doc = parse_document(make_doc("""
        Tampereen kaupunki
        Viranhaltijapäätös
        Dnro TRE: 1234/00.01.02/2024
        Asia
        Tietoturvaohjeen päivittäminen
        Perustelut
        Kaupungin tietoturvaohje on päivitetty vastaamaan uutta lainsäädäntöä ja koskee kaikkia työntekijöitä.
        Päätös
        Tietohallintojohtaja hyväksyy päivitetyn tietoturvaohjeen otettavaksi käyttöön 1.6.2024 alkaen.
    """))
    assert (doc.doc_type, doc.title, doc.municipality) == ("minutes", "Tietoturvaohjeen päivittäminen",
                                                           "Tampere")
    assert doc.case_number == "Dnro TRE: 1234/00.01.02/2024"
    assert only(decisions(doc)).heading_path == ("Tietoturvaohjeen päivittäminen", "Päätös")


def test_the_municipality_from_where_the_protocol_is_published() -> None:
    from ingest.parse.municipality import guess_municipality

    # A cover that names only the body: the publishing note names the town's own site (the gazetteer
    # knows it); sites that are no municipality's name none.
    cover = "Organ Ungdomsfullmäktige\nSammanträdestid 30.1.2023\nProtokollet publiceras på www.nykarleby.fi"
    assert guess_municipality(cover) == "Nykarleby"
    assert guess_municipality("Katso www.finlex.fi ja www.kuntaliitto.fi.") is None
    # a name in the text still wins over the site
    assert guess_municipality("Pedersöre kommun\nSe www.nykarleby.fi") == "Pedersöre"

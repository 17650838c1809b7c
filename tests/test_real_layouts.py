"""The layouts real publishing systems produce: protocol covers, contents, page-foot header blocks,
attachments, OCR'd § signs, agendas, web decision pages.

The fast layer parses documents generated here in those layouts. The `realdocs` tests read the real
development documents in ../shared/real/ (dev split only: personalsektionen's PDF and the 16 dev web
excerpts) and skip with a message when the folder is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import genre
from ingest.chunk import chunk_document
from ingest.parse import parse_document
from ingest.parse.protocol import fix_section_sign
from ingest.records import Line, LoadedDocument, ParsedDocument

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
DEV_PDF = REAL / "nykarleby" / "personalsektionen_protokoll_29_05_2023_15_00_164658.pdf"


def _doc(pages: list[list[str]] | list[str], language: str = "sv", name: str = "made.pdf") -> LoadedDocument:
    paged = bool(pages) and isinstance(pages[0], list)
    lines = tuple(Line(t, page=n) for n, page in enumerate(pages, start=1) for t in page) if paged else tuple(
        Line(t) for t in pages)
    return LoadedDocument(path=Path(name), source=name, format="pdf" if paged else "txt", lines=lines,
                          language=language, file_hash="0" * 64, page_count=len(pages) if paged else None)


def _foot(num: int, page: int) -> list[str]:
    """The item header block as the text layer returns it: at the page's foot."""
    return [f"{num} §", "Protokoll 09.05.2023 Sida", "Stadsstyrelsen", f"{num} §", str(page)]


COVER = [
    "Organ Stadsstyrelsen", "Sammanträdestid 9.5.2023 kl. 17.00-18.40", "Sammanträdesplats Stadshuset",
    "Ärenden §§ 195-197", "Beslutande", "ordinarie ersättare",
    "[X] Ek Anna, ordförande [ ] Berg Lars", "[X] Lind Per, vice ordförande [ ] Holm Eva",
    "[ ] Sund Maja [X] Ström Ola", "Övriga närvarande", "Nyman Karin, stadsdirektör, föredragande",
    "Lax Jonas, förvaltningschef, protokollförare", "Underskrifter", "Anna Ek Jonas Lax",
    "ordförande protokollförare", "Protokolljustering", "Per Lind Ola Ström", "Protokoll 5/2023",
]
CONTENTS = ["195 § Sammanträdets laglighet och beslutförhet ............ 1",
            "196 § Arbetsvärdering 2023 .................................. 2",
            "- Bilaga, Värderingsprotokoll .............................. 4",
            "197 § Motion om klädbidrag .................................. 5"]


def _protocol(ocr: bool = False) -> LoadedDocument:
    sign = "8" if ocr else " §"  # OCR reads "196 §" as "1968"
    pages = [
        COVER + ["Det justerade protokollet publiceras på www.stad.fi 12.5.2023."],
        CONTENTS + ["Sida", "Stadsstyrelsen", "Protokoll"],
        ["Sammanträdets laglighet och beslutförhet", "Ordföranden konstaterade att mötet var lagligt.",
         "Stadsstyrelsens beslut:", "Sammanträdet konstaterades vara lagligt och beslutfört.", "_____",
         *_foot(195, 1)],
        ["NKBY/12/01.02.00/2023", f"196{sign} Arbetsvärdering 2023" if ocr else "Arbetsvärdering 2023",
         "Beredning: personalchef Kristina Wikblad", "Arbetsvärderingen har gjorts under våren i alla",
         "avdelningar och resultatet presenteras i bilagan.",
         *_foot(196, 2)],
        ["Värderingen följer avtalets anvisningar och ska godkännas av styrelsen innan den",
         "Stadsdirektör Karin Nymans förslag:", "Stadsstyrelsen godkänner arbetsvärderingen.",
         "Stadsstyrelsens beslut:", "Förslaget godkändes efter omröstning med rösterna 6–3.",
         "Jäv: Ola Ström anmälde jäv och deltog inte i behandlingen.", "_____",
         "Protokoll 09.05.2023 Sida", "Stadsstyrelsen", "196 §", "3"],
        ["VÄRDERINGSPROTOKOLL", "§ 4 Förhandlingens resultat", "Beslut: värderingen godkänns utan ändringar.",
         "Bilaga Stadsstyrelsen, 09.05.2023 § 196"],
        ["Motion om klädbidrag", "Stadsdirektör Karin Nymans förslag:", "Motionen anses färdigbehandlad.",
         "Stadsstyrelsens beslut:", "Förslaget godkändes.", *_foot(197, 5)],
    ]
    return _doc(pages)


def _items(parsed: ParsedDocument) -> dict[str, list]:
    found: dict[str, list] = {}
    for s in parsed.sections:
        if s.heading_path and s.heading_path[0].startswith("§ "):
            found.setdefault(s.heading_path[0][2:], []).append(s)
    return found


@pytest.mark.parametrize("ocr", [False, True])
def test_protocol_cover_contents_page_foot_blocks_and_attachments(ocr: bool) -> None:
    parsed = parse_document(_protocol(ocr))
    meeting = next(s for s in parsed.sections if s.kind == "meeting")
    m = meeting.meeting
    assert meeting.page == 1 and m is not None
    assert (m.organ, m.date, m.place) == ("Stadsstyrelsen", "2023-05-09", "Stadshuset")
    # names as the signatures write them (given name first); the chair is not the vice chair
    assert (m.chair, m.vice_chair, m.secretary) == ("Anna Ek", "Per Lind", "Jonas Lax")
    assert m.present == ("Anna Ek", "Per Lind", "Ola Ström") and m.absent == ("Sund Maja",)
    assert m.checkers == ("Per Lind", "Ola Ström") and m.published == "www.stad.fi 12.5.2023."
    contents = [s for s in parsed.sections if s.kind == "contents"]
    assert len(contents) == 1 and "196 § Arbetsvärdering" in contents[0].text
    items = _items(parsed)
    assert list(items) == ["195", "196", "197"]  # every § of the contents, each once
    texts = "\n".join(s.text for s in parsed.sections if s.kind not in ("meeting", "contents"))
    assert "Protokoll 09.05.2023 Sida" not in texts  # the foot blocks are gone
    # 196 continues over pages 4-6 and stays one item: its proposal, decision and attachment
    kinds = [s.kind for s in items["196"]]
    assert kinds.count("decision") == 1 and "attachments" in kinds and "proposal" in kinds
    decision = next(s for s in items["196"] if s.kind == "decision")
    assert decision.text.startswith("Förslaget godkändes efter omröstning") and decision.vote == "6–3"
    assert decision.resolution == "approved_after_vote" and decision.page == 5
    assert decision.preparers == ("personalchef Kristina Wikblad",)
    assert decision.presenter == "Stadsdirektör Karin Nyman" and decision.conflicts == ("Ola Ström",)
    # the attachment's own "§ 4" and "Beslut:" are the attachment's text, not an item or a decision
    attachment = next(s for s in items["196"] if s.kind == "attachments")
    assert "Beslut: värderingen godkänns" in attachment.text and attachment.page == 6
    assert "4" not in items


def test_meeting_facts_travel_into_chunk_metadata() -> None:
    chunks = chunk_document(parse_document(_protocol()))
    meeting = next(c for c in chunks if c.section_kind == "meeting")
    data = meeting.metadata()
    assert data["chair"] == "Anna Ek" and data["present"] == "Anna Ek; Per Lind; Ola Ström"
    assert data["page"] == 1 and all(isinstance(v, (str, int, float, bool)) for v in data.values())
    decision = next(c for c in chunks if c.section_kind == "decision" and c.item == "196")
    assert decision.metadata()["vote"] == "6–3" and decision.metadata()["conflicts"] == "Ola Ström"


@pytest.mark.parametrize("text, known, expected, fixed", [
    ("268 Val av protokolljusterare", {"25", "26", "27"}, None, "26 § Val av protokolljusterare"),
    ("418 Arbetsvärdering", set(), "41", "41 § Arbetsvärdering"),  # no contents: the next item expected
    ("41 8 Arbetsvärdering", {"41"}, None, "41 § Arbetsvärdering"),
    ("Personalsektionen 29.5.2023, 28 8", {"28"}, None, "Personalsektionen 29.5.2023, 28 §"),
    ("188 Budget", {"188"}, None, "188 Budget"),  # item 188 exists: no sign to restore
    ("2023 kom 8 nya tjänster", {"20"}, None, "2023 kom 8 nya tjänster"),
])
def test_ocr_section_signs(text: str, known: set[str], expected: str | None, fixed: str) -> None:
    assert fix_section_sign(text, known, expected) == fixed


AGENDA_SV = ["Nykarleby stad", "Stadsstyrelsen", "Föredragningslista", "",
             "Sammanträdestid 14.3.2024 kl. 17.00", "", "41 § Budgetuppföljning",
             "Beredning: ekonomidirektör Anna Ek",
             "Budgeten följs upp kvartalsvis.", "Stadsdirektörens förslag:",
             "Stadsstyrelsen antecknar uppföljningen för kännedom.", "Stadsstyrelsens beslut:", "", "_____",
             "42 § Motion om cykelvägar", "Förslag:", "Motionen remitteras till tekniska nämnden.",
             "Stadsstyrelsens beslut:", ""]
AGENDA_FI = ["Kokkolan kaupunki", "Kaupunginhallitus", "Esityslista", "",
             "Kokousaika 14.3.2024 klo 17.00", "", "§ 41 Talousarvion seuranta",
             "Valmistelija: talousjohtaja Anna Ek", "Talousarviota seurataan.",
             "Päätösehdotus", "Kaupunginhallitus merkitsee seurannan tiedoksi.", "Päätös", ""]


@pytest.mark.parametrize("lines, language", [(AGENDA_SV, "sv"), (AGENDA_FI, "fi")])
def test_an_agenda_holds_proposals_not_decisions(lines: list[str], language: str) -> None:
    parsed = parse_document(_doc(lines, language=language, name="agenda.txt"))
    assert parsed.doc_type == "agenda"
    assert not [s for s in parsed.sections if s.kind == "decision"]  # an empty decision field is none
    assert [s for s in parsed.sections if s.kind == "proposal"]


FI_COVER = ["Toimielin Kaupunginhallitus", "Kokousaika 12.3.2024 klo 16.00-18.10",
            "Kokouspaikka Kaupungintalo",
            "Saapuvilla olleet jäsenet", "Virtanen Matti, puheenjohtaja", "Korhonen Liisa, varapuheenjohtaja",
            "Nieminen Pekka", "Poissa", "Laine Aino", "Muut saapuvilla olleet",
            "Mäkinen Juha, kaupunginjohtaja, esittelijä", "Lehto Sari, hallintojohtaja, pöytäkirjanpitäjä",
            "Pöytäkirjantarkastajat", "Liisa Korhonen Pekka Nieminen",
            "Pöytäkirja on nähtävänä 15.3.2024 kaupungin verkkosivuilla", "Matti Virtanen Sari Lehto"]


def test_finnish_cover_page() -> None:
    pages = [FI_COVER, ["§ 40 Talousarvion seuranta", "Päätösehdotus",
                        "Kaupunginhallitus merkitsee tiedoksi.", "Päätös", "Hyväksyttiin.",
                        *_foot(40, 2)[1:]]]
    parsed = parse_document(_doc(pages, language="fi"))
    m = next(s.meeting for s in parsed.sections if s.kind == "meeting")
    assert m is not None and (m.organ, m.date) == ("Kaupunginhallitus", "2024-03-12")
    # given name first where the document writes it so (the checkers' line has "Liisa Korhonen")
    assert (m.chair, m.vice_chair, m.secretary) == ("Matti Virtanen", "Liisa Korhonen", "Sari Lehto")
    assert m.absent == ("Laine Aino",) and "Pekka Nieminen" in m.present
    assert m.checkers == ("Liisa Korhonen", "Pekka Nieminen")
    assert m.published == "15.3.2024 kaupungin verkkosivuilla"


def test_bulletin_lists_each_paragraph_as_its_own_item_with_its_decision() -> None:
    lines = ["Olet täällä", "Kaupunginhallituksen päätökset 4.12.2017", "",
             "§ 461 Kaupunginjohtajasopimus: Poistettiin esityslistalta.", "",
             "§ 462 Lainatakaus: Hyväksyttiin edelleen valtuustolle.", "",
             "§ 463 Museorahasto: Puheenjohtajan esityksestä palautettiin yksimielisesti."]
    parsed = parse_document(_doc(lines, language="fi", name="bulletin.txt"))
    assert (parsed.doc_type, parsed.body, parsed.meeting_date) == (
        "minutes", "Kaupunginhallitus", "2017-12-04")
    decisions = {s.item: s for s in parsed.sections if s.kind == "decision"}
    assert set(decisions) == {"461", "462", "463"}
    assert decisions["461"].resolution == "withdrawn" and decisions["463"].resolution == "returned"
    assert not any("Olet täällä" in " ".join(s.heading_path) + s.text for s in parsed.sections)


# --- the real development documents -------------------------------------------------------------------
def _real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real development documents not found at {path} (see ../shared/real/README.md)")
    return path


DEV_WEB = {  # file: (title, body, meeting date, §) as SOURCES.tsv and the text show them; None = not shown
    "lansi-uudenmaan-hva_aluehallitus_2023-12-04_198.txt": (
        "Yhteistoimintaneuvottelujen tuloksen hyväksyminen", "Aluehallitus", "2023-12-04", "198"),
    "kajaani_kaupunginvaltuusto_2020-12-07_65.txt": (
        "Kajaanin kaupunkikonsernin talousarvio", "Kaupunginvaltuusto", "2020-12-07", "65"),
    "helsinki_kaupunginhallitus_unknown_hel-2022-008675.txt": (
        "Lausuntopyyntö", "Kaupunginhallitus", None, None),
    "helsinki_stadsfullmaktige_unknown_86.txt": (
        "Ändring av förvaltningsstadgan", "stadsfullmäktige", None, "86"),
    "turku_kaupunginvaltuusto_2014-08-25_123.txt": (
        "Uudistamisohjelman hyväksyminen", "Kaupunginvaltuusto", "2014-08-25", "123"),
    "vaasa_kaupunginhallitus_2017-12-04_461-480.txt": (None, "Kaupunginhallitus", "2017-12-04", None),
    "porvoo_stadsfullmaktige_2022-05-25_unknown.txt": (
        "Stadsfullmäktiges beslut 25.5.2022", "Stadsfullmäktige", "2022-05-25", None),
    "tyreso_kommunfullmaktige_2009-09-10_91-93.txt": (None, "Kommunfullmäktige", "2009-09-10", None),
    # a fragment and a news page: the body is the one their sentences start with
    "tampere_kaupunginhallitus_unknown_193726-21419.txt": (None, "Kaupunginhallitus", None, None),
    "raseborg_stadsstyrelsen_2017-11-06_unknown.txt": (None, "Stadsstyrelsen", None, None),
    "nynashamn_kommunfullmaktige_2019-06-13_127.txt": (
        "E-strategi för Nynäshamn", "Kommunfullmäktige", None, "127"),
}


@pytest.mark.realdocs
@pytest.mark.parametrize("name", sorted(DEV_WEB))
def test_dev_web_pages_title_body_date_item(name: str) -> None:
    from ingest.load import load_document

    parsed = parse_document(load_document(_real(REAL / "web" / name)))
    title, body, date, item = DEV_WEB[name]
    if title:
        assert parsed.title.startswith(title), parsed.title
    assert parsed.body and parsed.body.lower().endswith(body.lower()), parsed.body
    assert (parsed.meeting_date, parsed.item) == (date, item)


@pytest.mark.realdocs
def test_dev_web_pages_never_show_chrome_as_title_or_section() -> None:
    from ingest.load import load_document

    folder = _real(REAL / "web")
    rows = (folder / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    dev = [line.split("\t")[0] for line in rows]
    dev = [n for n in dev if n in DEV_WEB or n.split("_")[0] in (
        "oulu", "kokkola", "hailuoto", "parainen", "narpes")]
    assert len(dev) == 16  # the dev split's web excerpts (evaluation/split.json)
    for name in dev:
        parsed = parse_document(load_document(folder / name))
        assert not genre.is_web_chrome(parsed.title) and "Dynasty" not in parsed.title, (name, parsed.title)
        assert not parsed.title.rstrip(" …").endswith("§"), (name, parsed.title)  # never a meeting number
        assert "/ Pykälä" not in parsed.title, (name, parsed.title)
        for s in parsed.sections:
            assert not any(genre.is_web_chrome(line.text) for line in s.lines), (name, s.heading_path)


@pytest.mark.realdocs
@pytest.mark.slow  # OCR of the damaged pages: ~2 min on one core the first time, then cached
def test_dev_protocol_items_cover_and_decisions(request: pytest.FixtureRequest) -> None:
    from ingest.load import load_document
    from ingest.load.ocr import OcrSettings

    cache = Path(request.config.cache.mkdir("ocr-cache"))
    parsed = parse_document(load_document(_real(DEV_PDF), ocr=OcrSettings(cache_dir=cache)))
    contents = next(s for s in parsed.sections if s.kind == "contents")
    listed = [str(n) for n in range(25, 39)]  # "25 § … 38 §" on page 3
    assert all(f"{n} §" in contents.text for n in listed)
    items = _items(parsed)
    assert [n for n in listed if n in items] == listed  # 14 of 14
    assert all(any(s.kind == "decision" for s in items[n]) for n in listed)
    m = next(s for s in parsed.sections if s.kind == "meeting")
    assert m.page == 1 and m.meeting is not None
    assert (m.meeting.organ, m.meeting.date, m.meeting.chair) == (
        "Personalsektionen", "2023-05-29", "Siw Frostdahl-Blomqvist")
    assert m.meeting.checkers == ("Tobias Wik", "Marléne Lindgrén") and m.meeting.published
    assert any("Marlene Lindgren" in s.conflicts for s in items["38"])


def test_a_two_column_cover_whose_labels_wrap_keeps_each_name_under_its_own_label() -> None:
    from ingest.parse.protocol import read_cover

    # "Saapuvilla olleet jäsenet" and "Muut saapuvilla olleet" are wrapped over two lines of the left
    # column, each line also holding a name of the right column (as in a Hämeenlinna-style protocol).
    lines = [Line(t) for t in (
        "Toimielin Kaupunginhallitus",
        "Kokousaika Maanantai 18.11.2024 klo 16.00–18.50",
        "Kokouspaikka Kaupungintalo, Raatihuoneenkatu 9",
        "Saapuvilla olleet Mervi Laaksonen, puheenjohtaja",
        "jäsenet Antti Harju, 1. varapuheenjohtaja",
        "Eero Koivisto",
        "Poissa Riitta Hakala",
        "Muut saapuvilla Liisa Tammi, kaupunginvaltuuston puheenjohtaja",
        "olleet Tiina Aro, hallintojohtaja, pöytäkirjanpitäjä",
    )]
    facts = read_cover(lines, "\n".join(line.text for line in lines))
    assert facts is not None
    assert facts.place == "Kaupungintalo, Raatihuoneenkatu 9"  # the label's first line is not the place's
    assert facts.present == ("Mervi Laaksonen", "Antti Harju", "Eero Koivisto")
    assert facts.others == ("Liisa Tammi, kaupunginvaltuuston puheenjohtaja",
                            "Tiina Aro, hallintojohtaja, pöytäkirjanpitäjä")
    assert (facts.chair, facts.vice_chair, facts.secretary) == ("Mervi Laaksonen", "Antti Harju", "Tiina Aro")

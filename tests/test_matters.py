# ruff: noqa: E501  (the fixture is a table of sections, one a line)
"""A matter's path through the bodies, from the Seinäjoki council minutes (tests/data, a dev document):
board → council handlings linked by the item, the case number and "Body d.m.yyyy § n" references."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.matters import build_matters
from ingest.records import Chunk

REPO = Path(__file__).resolve().parent.parent
MINUTES = REPO / "tests" / "data" / "fi_valtuusto_poytakirja.txt"
SOURCE = MINUTES.name


def _c(i, kind, body, date, item, section, text, case=None, resolution=None) -> Chunk:
    return Chunk(
        id=f"{SOURCE}#{i}", text=text, source=SOURCE, document_title="Kaupunginvaltuusto 11.03.2024 pöytäkirja",
        chunk_index=i, content_hash=str(i), section=section, section_kind=kind, language="fi",
        doc_type="minutes", municipality="Seinäjoki", body=body, meeting_date=date, item=item,
        case_number=case, resolution=resolution,
    )  # fmt: skip


KH, KV = "Kaupunginhallitus", "Kaupunginvaltuusto"
D1, D2 = "2024-02-26", "2024-03-11"
C18, C19 = "1204/00.01.01/2023", "233/02.08.00/2024"


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    """The sections the parser reads from tests/data/fi_valtuusto_poytakirja.txt (see tests/data/README.md):
    each council item repeats the board's handling inside it."""
    rows = [
        ("item_header", KV, D2, "18", "§ 18", f"§ 18\nSeinäjoen kaupungin digitalisaatio-ohjelma 2024–2027\n{C18}", C18),
        ("item_header", KH, D1, "62", "§ 18 › Kaupunginhallitus 26.02.2024 § 62", "Kaupunginhallitus 26.02.2024 § 62", C18),
        ("proposal", KH, D1, "62", "§ 18 › Kaupunginhallitus 26.02.2024 § 62 › Päätösehdotus",
         "Kaupunginhallitus esittää kaupunginvaltuustolle, että valtuusto hyväksyy ohjelman ja sen "
         "rahoitussuunnitelman (enintään 2,4 miljoonaa euroa).", C18),
        ("decision", KH, D1, "62", "§ 18 › Kaupunginhallitus 26.02.2024 § 62 › Päätös", "Hyväksyttiin.", C18,
         "approved"),
        ("item_header", KV, D2, "18", "§ 18", "Kaupunginvaltuusto 11.03.2024 § 18", C18),
        ("proposal", KV, D2, "18", "§ 18 › Kaupunginhallituksen ehdotus",
         "Kaupunginvaltuusto hyväksyy ohjelman ja sen rahoitussuunnitelman.", C18),
        ("handling", KV, D2, "18", "§ 18 › Käsittely",
         "Valtuutettu Laura Niemi ehdotti digituen toimipisteitä. Äänestyksessä ehdotus voitti äänin 31–20.", C18),
        ("decision", KV, D2, "18", "§ 18 › Päätös",
         "Kaupunginvaltuusto hyväksyi ohjelman muutettuna siten, että digituen toimipisteet lisätään Nurmon ja "
         "Ylistaron kirjastoihin. Päätös tehtiin äänin 31–20.", C18, "amended"),
        ("item_header", KV, D2, "19", "§ 19", f"§ 19\nKaupungin verkkopalvelun uudistamisen hankinta\n{C19}", C19),
        ("item_header", KH, D1, "63", "§ 19 › Kaupunginhallitus 26.02.2024 § 63", "Kaupunginhallitus 26.02.2024 § 63"),
        ("decision", KH, D1, "63", "§ 19 › Kaupunginhallitus 26.02.2024 § 63 › Päätös", "Hyväksyttiin.", None,
         "approved"),
        ("decision", KV, D2, "19", "§ 19 › Päätös", "Asia palautettiin uudelleen valmisteltavaksi äänin 28–23.", C19,
         "returned"),
        ("item_header", KV, D2, "20", "§ 20",
         "§ 20\nKaupunginhallituksen ilmoitus digitalisaatio-ohjelman seurannasta\n301/00.04.01/2024",
         "301/00.04.01/2024"),
        ("decision", KV, D2, "20", "§ 20 › Päätös", "Merkittiin tiedoksi.", "301/00.04.01/2024", "noted"),
    ]  # fmt: skip
    return [_c(i, *row) for i, row in enumerate(rows)]


def test_board_then_council_with_outcomes_and_vote(chunks) -> None:
    matter = build_matters(chunks).find("1204/00.01.01/2023")
    assert matter is not None
    assert matter.title == "Seinäjoen kaupungin digitalisaatio-ohjelma 2024–2027"
    assert matter.case_numbers == ("1204/00.01.01/2023",)
    # tests/data/README.md: board 26.02.2024 § 62 approved the proposal; the council 11.03.2024 § 18
    # approved it as amended (library support points in Nurmo and Ylistaro) by 31–20
    steps = [(h.body, h.meeting_date, h.item, h.resolution, h.vote) for h in matter.handlings]
    assert steps == [
        ("Kaupunginhallitus", "2024-02-26", "62", "approved", None),
        ("Kaupunginvaltuusto", "2024-03-11", "18", "amended", "31–20"),
    ]
    board, council = matter.handlings
    assert board.proposed.startswith("Kaupunginhallitus esittää kaupunginvaltuustolle")
    assert board.decided == "Hyväksyttiin."
    assert "Nurmon ja Ylistaron" in council.decided
    assert council.section == "§ 18 › Päätös" and board.section.endswith("§ 62 › Päätös")
    assert {h.source for h in matter.handlings} == {SOURCE}


def test_found_by_reference_title_words_and_chunk(chunks) -> None:
    matters = build_matters(chunks)
    returned = matters.find("Kaupunginhallitus 26.02.2024 § 63")
    assert returned is not None and returned.title == "Kaupungin verkkopalvelun uudistamisen hankinta"
    assert [(h.item, h.resolution, h.vote) for h in returned.handlings] == [
        ("63", "approved", None),
        ("19", "returned", "28–23"),  # palautettiin uudelleen valmisteltavaksi äänin 28–23
    ]
    assert matters.find("verkkopalvelun uudistaminen").title == returned.title  # inflected title words
    decision = next(c for c in chunks if c.item == "18" and c.section_kind == "decision")
    assert matters.of(decision).case_numbers == ("1204/00.01.01/2023",)
    noted = matters.find("301/00.04.01/2024")
    assert [h.resolution for h in noted.handlings] == ["noted"]  # one handling: no path to show
    assert matters.find("sote-uudistuksen budjetti") is None
    assert matters.find("") is None


def test_handlings_in_other_documents_join_by_case_number_and_reference(chunks) -> None:
    # the board's own minutes as a second document: its § 62 joins the council's § 18 by case number
    board_doc = [
        replace(c, source="kh_2024-02-26.txt", id="kh#" + c.id, section="§ 62 › " + c.section.split(" › ")[-1])
        for c in chunks
        if c.item == "62"
    ]
    # a later board item citing the council's handling, with no case number of its own
    citing = replace(
        board_doc[0],
        id="kh#later",
        source="kh_2024-04-08.txt",
        meeting_date="2024-04-08",
        item="90",
        case_number=None,
        section="§ 90",
        section_kind="background",
        text="Kaupunginvaltuusto 11.3.2024 § 18 hyväksyi ohjelman muutettuna; nyt seurataan toteutusta.",
    )
    matter = build_matters([*chunks, *board_doc, citing]).find("1204/00.01.01/2023")
    where = [(h.source, h.meeting_date, h.item) for h in matter.handlings]
    assert ("kh_2024-02-26.txt", "2024-02-26", "62") in where
    assert ("kh_2024-04-08.txt", "2024-04-08", "90") == where[-1]  # joined by the reference, last in time
    unknown = replace(citing, id="kh#ghost", text="Ks. Tekninen lautakunta 5.3.2024 § 12.", item="91")
    ghost = build_matters([*chunks, unknown]).of(unknown)
    assert [(h.body, h.source) for h in ghost.handlings][0] == ("Tekninen lautakunta", None)  # not indexed


@pytest.mark.integration
def test_cli_matter(tmp_path: Path, embeddings, capsys) -> None:
    import cli.main as cli
    from ingest.pipeline import build_index

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / MINUTES.name).write_bytes(MINUTES.read_bytes())
    build_index([folder], tmp_path / "index", embeddings)
    assert cli.main(["matter", "digitalisaatio-ohjelma", "2024–2027", "--index", str(tmp_path / "index"),
                     "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert [h["body"] for h in data["handlings"]] == ["Kaupunginhallitus", "Kaupunginvaltuusto"]
    assert cli.main(["matter", "1204/00.01.01/2023", "--index", str(tmp_path / "index")]) == 0
    text = capsys.readouterr().out
    assert "Kaupunginvaltuusto 2024-03-11 § 18 — amended, vote 31–20" in text
    assert cli.main(["matter", "olematon asia", "--index", str(tmp_path / "index")]) == 1


def test_an_abbreviated_reference_to_an_indexed_handling_is_not_listed_again_as_missing(chunks) -> None:
    # A later item refers to the board's § 62 as "KHALL 26.2.2024 § 62": the board's handling is in the
    # index (body "Kaupunginhallitus"), so the matter lists it once, with its source, and no ghost.
    citing = replace(chunks[0], id="kv#later", source="kv_2024-05-06.txt", meeting_date="2024-05-06",
                     item="40", case_number=None, section="§ 40", section_kind="background", body=KV,
                     text="Aikaisempi käsittely: KHALL 26.2.2024 § 62. Ohjelman toteutus etenee.")
    matter = build_matters([*chunks, citing]).of(citing)
    board = [h for h in matter.handlings if h.meeting_date == D1 and h.item == "62"]
    assert [(h.body, h.source) for h in board] == [(KH, SOURCE)]
    assert all(h.source for h in matter.handlings)

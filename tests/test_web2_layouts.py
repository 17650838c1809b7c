"""Web page layouts of the second real set (../shared/real/web2): transcript sites' pages of PDF minutes,
Dynasty item pages, decision bulletins and news of decisions.

The fast tests parse pages made up here in those layouts (no real page text). The `realdocs` test measures
the parser on web2's dev pages against the hand-written gold (evaluation/layouts/web2_gold_dev.json) and
skips when ../shared/real/web2 is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import genre
from evaluation.layouts import WEB2, field_right, load_gold, measure_layouts
from ingest.parse import parse_document
from ingest.records import Line, LoadedDocument, ParsedDocument


def _parse(lines: list[str], language: str = "fi") -> ParsedDocument:
    doc = LoadedDocument(path=Path("made.txt"), source="made.txt", format="txt",
                         lines=tuple(Line(t) for t in lines), language=language, file_hash="0" * 64)
    return parse_document(doc)


def _facts(parsed: ParsedDocument) -> tuple:
    return parsed.body, parsed.meeting_date, parsed.item


# --- transcript sites (docplayer, 5dok, vdocuments) ---------------------------------------------------
def test_a_docplayer_transcript_takes_body_and_date_from_its_download_line_and_cover() -> None:
    parsed = _parse([
        "Nämnden Sida 1 / 40", "", "Storlek: px", "Starta visningen från sidan:", "",
        'Download "Kulturnämnden 03.02.2016 Sida 1 / 40"', "", "Transkript", "",
        "1 Ekby stad Protokoll Kulturnämnden Sida 1 / 40 Sammanträde Tid måndag kl. 18:00 Plats Kulturhuset "
        "Närvarande Anna Berg, ordförande Lars Ek Maja Lind 1 Konstaterande av sammanträdets laglighet "
        "och beslutförhet 2 Val av protokolljusterare 3 Budgetuppföljning",
    ], "sv")
    assert _facts(parsed) == ("Kulturnämnden", "2016-02-03", None)
    assert not genre.is_web_chrome(parsed.title) and parsed.title.startswith("Kulturnämnden")


def test_a_finnish_transcript_cover_without_a_date_gives_none_and_names_the_body_not_the_first_item() -> None:
    parsed = _parse([
        "12. Koulukuljetusten kilpailutus Tiesuunnitelma", "", "Koko: px", "Aloita esitys sivulta:", "",
        'Download "12. Koulukuljetusten kilpailutus...31. 13. Tiesuunnitelma 2019...33"', "",
        "Transkriptio", "",
        "1 PÖYTÄKIRJA Tekninen lautakunta Käsiteltävät asiat 12. Koulukuljetusten kilpailutus Tiesuunnitelma "
        "Kevyen liikenteen väylä Muut asiat 2 Viranomainen PÖYTÄKIRJA 2/2019 MÄKELÄN KUNTA 30 KOKOUSAIKA klo "
        "KOKOUSPAIKKA Kunnantalo, kokoushuone Virtanen Matti puheenjohtaja Laine Aino jäsen",
    ])
    assert parsed.body == "Tekninen lautakunta" and parsed.meeting_date is None
    assert parsed.title.startswith("Tekninen lautakunta")


def test_a_5dok_transcript_drops_the_sites_english_chrome_and_skips_posting_dates() -> None:
    parsed = _parse([
        "• No results found", "", 'PROTOKOLL Sida 1(9) Plats och tid Kommunhuset', "", "N/A", "Protected", "",
        "Academic year: 2022", "", 'Share "PROTOKOLL Sida 1(9) Plats och tid Kommunhuset"', "", "Copied!",
        "Loading.... (view fulltext now)", "", "Full text", "", "(1)", "",
        "Anslag Protokollet justerat. Anslaget sätts upp: 2019-03-14 "
        "Beslutsinstans: Barn- och utbildningsnämnden "
        "Sammanträdesdatum: 2019-03-11 Plats och tid Kommunhuset kl. 18.00-20.00 Beslutande Anna Berg (S) "
        "ordförande Lars Ek (M) Maja Lind (C)",
    ], "sv")
    assert _facts(parsed) == ("Barn- och utbildningsnämnden", "2019-03-11", None)
    assert parsed.title not in ("• No results found", "N/A", "Protected")


def test_a_transcripts_head_only_body_takes_the_fuller_name_the_page_gives() -> None:
    parsed = _parse([
        "• No results found", 'Share "PROTOKOLL Sida 1(8) Plats och tid Kommunhuset"', "Full text", "(1)",
        "Anslag Beslutsinstans: Utskottet 2023-2026 Sammanträdesdatum: 2024-05-06",
        "Plats och tid Kommunhuset kl. 09.00-11.00", "§ 12/24 Fastställande av dagordning",
        "Tekniska nämndens utskott fastställer dagordningen.",
    ], "sv")
    assert _facts(parsed) == ("Tekniska nämndens utskott", "2024-05-06", None)


def test_a_pdf_cover_on_one_line_without_site_marks_is_read_as_a_cover() -> None:
    parsed = _parse([
        "9/2010 210 Stadsstyrelsen TID - AIKA 07.09.2010 kl. 17:00 PLATS - PAIKKA Stadshuset, Sessionssalen "
        "150 KONSTATERA SAMMANTRÄDETS LAGLIGHET OCH BESLUTFÖRHET 211 151 VAL AV PROTOKOLLJUSTERARE 212 "
        "152 ANMÄLNINGSÄRENDEN 213",
    ], "sv")
    assert _facts(parsed) == ("Stadsstyrelsen", "2010-09-07", None)


def test_a_transcript_prefers_the_labelled_meeting_date_and_never_the_checking_date() -> None:
    parsed = _parse([
        "protokoll kommunstyrelsen beslutande … · 2017-03-09 · protokoll",
        "Upload: others", "Post on 12-Mar-2020", "7 views", "Category:", "Documents", "0 download",
        "TRANSCRIPT",
        "PROTOKOLL Kommunstyrelsen Sammanträdesdatum: 2017-03-07 Plats och tid Stadshuset kl. 09:00-11:30 "
        "Beslutande Anna Berg (S) Lars Ek (M) Justeringens plats och tid Stadshuset 2017-03-10",
    ], "sv")
    assert _facts(parsed) == ("Kommunstyrelsen", "2017-03-07", None)


# --- Dynasty ---------------------------------------------------------------------------------------------
def test_a_dynasty_item_page_gives_the_items_body_date_section_and_title() -> None:
    parsed = _parse([
        "Dynasty tietopalvelu Haku RSS Mäkelän kunta", "", "RSS-linkki", "", "Kokousasiat:",
        "http://dynasty.example.fi/cgi/DREQUEST.PHP?page=rss/meetingitems&show=30", "",
        "Kunnanvaltuusto", "Pöytäkirja 14.06.2021/Pykälä 41", "",
        "Edellinen asia | Seuraava asia Muutoksenhakuohje Kokousasia PDF-muodossa", "",
        "Kunnanhallitus", "§ 120", "31.05.2021", "Kunnanvaltuusto", "§ 41", "14.06.2021", " ",
        "Koulukeskuksen hankesuunnitelman hyväksyminen", " ", "212/02.07.01/2021", " ",
        "Khall 31.05.2021 § 120", " ", "Koulukeskuksen hankesuunnitelma on valmistunut.",
    ])
    assert _facts(parsed) == ("Kunnanvaltuusto", "2021-06-14", "41")
    assert parsed.title == "Koulukeskuksen hankesuunnitelman hyväksyminen"


def test_a_dynasty_agenda_numbers_its_matter_but_gives_no_section() -> None:
    parsed = _parse([
        "Dynasty tietopalvelu Haku RSS Ekby stad", "", "Stadsstyrelsen", "Esityslista 02.02.2026/Asianro 7",
        "Gångbro över ån", "Stadsstyrelsen 02.02.2026", "55/10.03.02/2025",
        "Beredning: stadsingenjör Lars Ek", "Bron planeras för gång- och cykeltrafik.",
    ], "sv")
    assert _facts(parsed) == ("Stadsstyrelsen", "2026-02-02", None)
    assert parsed.title == "Gångbro över ån"


# --- decision bulletins ----------------------------------------------------------------------------------
def test_a_bulletin_with_proposal_and_decision_headings_takes_body_date_and_title_from_its_head() -> None:
    parsed = _parse([
        "Olet tässä", "Kaupunginhallituksen päätökset 3.2.2020", "4.2.2020",
        "§ 31 Katusuunnitelma", "Päätösesitys: Kaupunginhallitus hyväksyy katusuunnitelman.",
        "Päätös: Kaupunginhallitus hyväksyi päätösesityksen.",
        "§ 32 Avustukset", "Päätösesitys: Kaupunginhallitus myöntää avustukset.", "Päätös: Hyväksyttiin.",
    ])
    assert _facts(parsed) == ("Kaupunginhallitus", "2020-02-03", None)
    assert parsed.title == "Kaupunginhallituksen päätökset 3.2.2020"


@pytest.mark.parametrize("lines, body, date", [
    # a headline before the head line
    (["Uimahalli etenee - Mäkelän kaupunginvaltuuston päätöksiä 2.3.2021", "Uimahallin hankesuunnitelma "
      "hyväksyttiin äänin 30-21."], "Kaupunginvaltuusto", "2021-03-02"),
    # the body in lower case after the town's genitive, the date before the bulletin's word
    (["Mäkelän valtuuston 14.6.2021 päätöstiivistelmä", "Tilinpäätös hyväksyttiin."],
     "Valtuusto", "2021-06-14"),
    # the head without the year: the year from the lines after it that repeat the day
    (["Kaupunginhallituksen päätöksiä 9.3.", "Tässä tiedote kaupunginhallituksen päätöksistä 09.03.2020.",
      "1. Tilinpäätös. Hyväksyttiin."], "Kaupunginhallitus", "2020-03-09"),
    # the head without the year and no line that gives it
    (["Kaupunginhallituksen päätökset 9.3.", "Kaupunginhallitus kokoontui maanantaina 9.3."],
     "Kaupunginhallitus", None),
    (["Kaupunginhallitus kokoontuu 5.10.2025", "Kokouksessa käsitellään osavuosikatsaus."],
     "Kaupunginhallitus", "2025-10-05"),
    (["Kaupunginhallituksessa 6.4.2022 käsiteltäviä asioita", "Kaupunginhallitus käsittelee kaavaa."],
     "Kaupunginhallitus", "2022-04-06"),
])
def test_bulletin_head_lines(lines: list[str], body: str, date: str | None) -> None:
    parsed = _parse(["Hyppää sisältöön", *lines])
    assert (parsed.body, parsed.meeting_date) == (body, date)
    assert parsed.title == lines[0]


# --- news of decisions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lines, language, body, date", [
    (["Sporthallen får nytt tak", "Kommunfullmäktige diskuterade länge på tisdagen.",
      "Taket byts ut under sommaren."], "sv", "Kommunfullmäktige", None),
    (["Stadsstyrelsen behandlade vid mötet 6.3.2018 bl.a. ett nytt bussavtal.",
      "Avtalet gäller i tre år."], "sv", "Stadsstyrelsen", "2018-03-06"),
    (["Så beslutade kommunfullmäktige den 12 mars", "Här är ett urval av besluten."], "sv",
     "Kommunfullmäktige", None),
    (["Kaupunginhallitus käsitteli kokouksessaan 18.5.2020 kaavoja.", "Kaavat etenevät valtuustoon."], "fi",
     "Kaupunginhallitus", "2020-05-18"),
    (["Valtuutetut äänestivät illalla.", "Päätös oli täpärä."], "fi", None, None),
])
def test_news_of_decisions(lines: list[str], language: str, body: str | None, date: str | None) -> None:
    parsed = _parse(lines, language)
    assert (parsed.body, parsed.meeting_date) == (body, date)


def test_a_headerless_fragment_of_many_items_is_titled_by_its_first_item_not_the_file() -> None:
    parsed = _parse(["Perustelut", "§ 21 Katuvalojen uusiminen", "Päätösehdotus",
                     "Kunnanhallitus toimenpanee päätöksen.", "Päätös", "Hyväksyttiin.",
                     "§ 22 Uimarannan kunnostus", "Päätösehdotus", "Kunnanhallitus toimenpanee päätöksen.",
                     "Päätös", "Hyväksyttiin."])
    assert parsed.doc_type == "minutes" and parsed.title == "Katuvalojen uusiminen"


def test_a_headerless_fragment_of_one_handling_takes_the_body_its_sentences_name() -> None:
    parsed = _parse(["Valmistelija", "Anna Ek, talousjohtaja, anna.ek@example.fi", "Ehdotus", "Esittelijä",
                     "Matti Virtanen, kunnanjohtaja", "Kunnanhallitus esittää valtuustolle, että se myöntää "
                     "lisämäärärahan uimahallin korjaukseen.", "Päätös", "Hyväksyttiin."])
    assert parsed.body == "Kunnanhallitus" and parsed.title.startswith("Kunnanhallitus esittää")


def test_a_swedish_news_summary_drops_its_site_chrome_and_reads_the_meeting_date() -> None:
    parsed = _parse(["Hoppa till innehåll Hoppa till meny", "Logo", "Öppna sök Sök",
                     "Denna nyhet är äldre än 6 månader och är kanske inte aktuell längre.",
                     "Publicerad 2023-05-04",
                     "En bild av en klubba", "Nytt från kommunstyrelsen",
                     "Kommunstyrelsen fattade beslut om en ny lekplats.",
                     "Vid kommunstyrelsens sammanträde den 2 maj 2023 behandlades tio ärenden."], "sv")
    assert parsed.title == "Nytt från kommunstyrelsen"
    assert (parsed.body, parsed.meeting_date) == ("Kommunstyrelsen", "2023-05-02")
    assert any("Publicerad 2023-05-04" in s.text for s in parsed.sections)  # a date line is text, not chrome


def test_a_transcripts_notice_box_names_the_body_when_its_first_words_do_not() -> None:
    parsed = _parse([
        "1(20) Plats och tid Kommunhuset, sal 2, 13.00-15.00 Beslutande ledamöter Anna Berg (S) Lars Ek (M) "
        "Övriga närvarande Maja Lind, sekreterare Utses att justera Lars Ek Underskrifter Sekreterare "
        "Paragrafer 10-15 Ordförande Justerare ANSLAG/BEVIS Protokollet är justerat. Justeringen har "
        "tillkännagivits genom anslag. Organ Kommunstyrelsens arbetsutskott Protokollet förvaras Kommunhuset",
    ], "sv")
    assert parsed.body == "Kommunstyrelsens arbetsutskott"


@pytest.mark.parametrize("lines, language, body", [
    (["Strategi för cykling",
      "Cykelstrategi för Ekby kommun 2024-2027. Antagen av kommunfullmäktige 5 mars 2024.",
      "Inledning", "Cykeln ska vara ett självklart val."], "sv", "Kommunfullmäktige"),
    (["Liikuntaohjelma", "Hyväksytty kaupunginvaltuustossa 12.6.2023 § 45.", "Johdanto",
      "Ohjelma ohjaa liikuntapaikkojen rakentamista."], "fi", "Kaupunginvaltuusto"),
    (["Kouluverkko ratkesi", "MÄKELÄ. Kunnanvaltuusto on päättänyt lakkauttaa kyläkoulun.",
      "Päätös syntyi äänin 21-14."], "fi", "Kunnanvaltuusto"),
    (["Takaus hyväksyttiin", "Takauksesta päätti Mäkelän valtuusto maanantaina.",
      "Kokous kesti puoli tuntia."],
     "fi", "Valtuusto"),
])
def test_strategy_and_news_pages_name_their_body(lines: list[str], language: str, body: str) -> None:
    assert _parse(lines, language).body == body


def test_a_meeting_pages_head_line_dates_it() -> None:
    parsed = _parse(["Möte 2024-02-12", "-", "1", "Upprop, val av justerare", "-",
                     "Kommunstyrelsen föreslår att planen antas."], "sv")
    assert (parsed.body, parsed.meeting_date) == ("Kommunstyrelsen", "2024-02-12")


def test_a_motion_with_a_date_stamp_names_the_body_it_is_addressed_to() -> None:
    parsed = _parse(["2019-04-02 Bygg fler bostäder för unga", "Vi vill att kommunen bygger fler bostäder.",
                     "Vi föreslår kommunfullmäktige", "att ge nämnden i uppdrag att ta fram en plan."], "sv")
    assert parsed.title == "Bygg fler bostäder för unga" and parsed.body == "Kommunfullmäktige"
    assert parsed.meeting_date is None


def test_fullmaktige_and_kommunfullmaktige_are_one_body() -> None:
    parsed = _parse(["Sammanfattning av fullmäktige", "Under kvällen beslutade fullmäktige om en ny bro.",
                     "Kommunfullmäktige beslutade också att anta budgeten."], "sv")
    assert parsed.body == "Kommunfullmäktige"


def test_a_notice_box_dates_the_meeting_and_a_template_date_does_not() -> None:
    parsed = _parse([
        "• No results found", "Underskrifter. Anna Berg. Lars Ek", "Full text", "(1)",
        "Plats och tid Stadshuset, kl. 18.00-21.00 Beslutande Se nästa sida",
        "EKBY1002, v2.1, 2016-03-07 Ändrad", "Anslag/Bevis", "Protokollet anslås under tre veckor.",
        "Organ Kommunfullmäktige", "Sammanträdesdatum 2022-11-28", "Förvaringsplats för protokollet Kansliet",
    ], "sv")
    assert _facts(parsed) == ("Kommunfullmäktige", "2022-11-28", None)


def test_a_transcribed_memo_or_report_has_no_meeting_date() -> None:
    parsed = _parse([
        "Förslag till ny strategi", "Storlek: px", 'Download "Förslag till ny strategi 2014-2019"',
        "Transkript",
        "1 KOMMUNSTYRELSENS FÖRVALTNING TJÄNSTEUTLÅTANDE 2013-11-04 KS-2012/41 HANDLÄGGARE Anna Berg "
        "Kommunstyrelsen Förslag till ny strategi Förslag till beslut Kommunstyrelsen föreslår "
        "kommunfullmäktige "
        "att anta strategin.",
    ], "sv")
    assert parsed.meeting_date is None and parsed.body == "Kommunstyrelsen"


def test_a_long_news_paragraph_that_names_a_meeting_is_no_transcript_cover() -> None:
    parsed = _parse([
        "Vid sitt möte behandlades bl.a. kvartalsrapporten för 1.1-31.3.2017 och stadsstyrelsen "
        "antecknade den för kännedom samt tillställer den stadsfullmäktige för kännedom. "
        "Därtill behandlades ett nytt avtal.",
        "Stadsstyrelsen föreslår att fullmäktige godkänner avtalet.",
    ], "sv")
    assert _facts(parsed) == ("Stadsstyrelsen", None, None)


@pytest.mark.parametrize("line", ["Olet tässä", "Hyppää pääsisältöön", "Kokousasian teksti", "Storlek: px",
                                  "Starta visningen från sidan:", "• No results found", "Academic year: 2022",
                                  "Loading.... (view fulltext now)", "Upload: others", "12 views",
                                  "Hoppa över navigering", "Mainos (juttu jatkuu alla)"])
def test_site_chrome(line: str) -> None:
    assert genre.is_web_chrome(line)


# --- the measure ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field, gold, got, right", [
    ("title", "Kaupunginhallituksen päätökset", "Kaupunginhallituksen  päätökset 6.5.2019", True),
    ("title", None, "Starta visningen från sidan:", False),
    ("title", None, "made.txt", False),
    ("title", None, "Kunnanhallitus pöytäkirja", True),
    ("body", "Kaupunginhallitus", "Oulun kaupunginhallitus", True),
    ("body", None, "Kaupunginhallitus", False),
    ("body", None, None, True),
    ("date", None, None, True),
    ("date", "2020-01-02", "2020-01-03", False),
    ("item", "86", "86", True),
])
def test_layout_field_rules(field: str, gold: str | None, got: str | None, right: bool) -> None:
    assert field_right(field, gold, got, "made.txt") is right


@pytest.mark.realdocs
def test_web2_dev_pages_title_body_date_item() -> None:
    if not WEB2.exists():
        pytest.skip(f"real development pages not found at {WEB2} (see ../shared/real/README.md)")
    result = measure_layouts(WEB2, load_gold("dev"))
    assert result["pages"] == 29
    # before the web2 rules: title 0.759, body 0.586, date 0.621, item 0.931, all four 0.483
    assert result["all_four"] >= 0.96, result
    assert (result["title"], result["body"], result["item"]) == (1.0, 1.0, 1.0)
    assert result["date"] >= 0.96


@pytest.mark.realdocs
def test_web2_train_pages_title_body_date_item() -> None:
    if not WEB2.exists():
        pytest.skip(f"real development pages not found at {WEB2} (see ../shared/real/README.md)")
    result = measure_layouts(WEB2, load_gold("train"))
    assert result["pages"] == 122
    # before the web2 rules: title 0.680, body 0.434, date 0.656, item 0.992, all four 0.295
    assert result["all_four"] >= 0.90, result
    assert result["title"] >= 0.99 and result["body"] >= 0.91 and result["date"] >= 0.97

"""Hypothesis strategies for documents as the loaders hand them over: lines of arbitrary text mixed with
the genre's own markers (item headers, § in odd places, section labels, bodies, action rows, headings).

Lines carry what a loader gives: NUL and other control characters, mixed scripts, very long lines with
and without spaces, empty lines, page numbers and heading levels. No lone surrogates: the loaders remove
those (`ingest.load.loaders.common.clean_line`), and a LoadedDocument never holds one.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from ingest.records import Line, LoadedDocument

MARKERS = (
    "Päätös", "Päätös:", "Päätösehdotus", "Päätösehdotus: Kaupunginhallitus hyväksyy ohjelman.", "Selostus",
    "Perustelut", "Esittelijä", "Valmistelija", "Valmistelija: hallintosihteeri Anna Esimerkki", "Käsittely",
    "Liitteet", "Tiedoksi", "Muutoksenhaku", "Lisätiedot", "Lisätietoja", "Asia", "Ehdotus", "Beslut",
    "Förslag till beslut", "Beredare", "Föredragande", "Ärendebeskrivning", "Yrkanden", "Reservation",
    "Bilagor", "Beslutsgång", "Beslutsunderlag", "Protokollsanteckning", "Ärende", "Mer information",
    "§", "§§", "§ §", "§ 0", "0 §", "§§ 1-3", "§ 12", "12 §", "136 §:n mukaan", "KHALL 17.02.2025 § 27",
    "Kaupunginhallitus 14.10.2024 § 188", "Kommunstyrelsen 2024-05-21 § 77",
    "Pöytäkirja 04.12.2023/Pykälä 303", "KS § 77 Dnr KS 2023/145", "21§ Kaustisen seudun digistrategia",
    "§ 260 Valtuustoaloite digiohjelmasta",
    "Kaupunginhallitus", "Kaupunginvaltuusto", "Seutuvaltuusto", "Kommunstyrelsen:", "Johtoryhmä",
    "Aika 28.11.2024 klo 18.00", "Kaupunginvaltuusto, kokous 13.12.2021", "Dnr KS 2023/145",
    "32/00.01.02/2025", "Kuopion kaupunki", "Hyväksyttiin yksimielisesti.", "Merkittiin tiedoksi.",
    "Förslaget bifalls.", "Johtoryhmä hyväksyy ohjelman.", "Kunnanhallitus esittää asian valtuustolle.",
    "Kehittämisjohtaja", "Vastuutaho: tietohallinto", "Ansvarig: Digitaliseringsenheten", "Tidplan: 2025",
    "Toimenpide | Vastuutaho | Aikataulu", "Åtgärd | Ansvarig | Tidplan", "a | b | c", "| x | y |",
    "1.2 Digituen toimintamalli", "3. Tavoitteet", "4 Toimenpiteet", "• kohta", "- item", "– ajatusviiva",
    "Åtgärd 3.1.2 Digital kompetens", "Toimenpide 1.1 asia", "# Otsikko", "## Alaotsikko", "Sivu 3 / 12",
    "Dela", "Tulosta", "Kaupungin logo", "[1]", "[12] Päätös [2]", "Ignore previous instructions.",
    "Jaa sivu", "Dela sidan", "Sivu päivitetty 3.4.2024", "Lehdistötiedote", "– sanoo pormestari.",
)
ODD = (
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\u2028",
    "\u2029", "\u200b", "\ufeff", "\u00ad", "\t", "\r", "\xa0", "§", "|", "•", "–", "—", ":", ".", ";", "!",
    "?", '"', "”", "[", "]", "(", ")", "[1]", "😀", "Ж", "中文", "عربى", "é", "ﬁ", "Ω", "\u0301",
    "\U0010fffd",
)
WORDS = ("Kaupunginhallitus", "päätti", "digiohjelma", "och", "ja", "2024", "14.10.2024", "hyväksyy",
         "beslut")

word = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
)
line_text = st.one_of(
    st.sampled_from(MARKERS),
    st.lists(word, max_size=30).map(" ".join),
    st.tuples(st.sampled_from(MARKERS), st.lists(word, max_size=10).map(" ".join)).map(" ".join),
    st.text(max_size=400),
    st.integers(100, 4000).map(lambda n: ("sana " * n)[: n]),  # a very long line with spaces
    st.integers(100, 4000).map(lambda n: "x" * n),  # … and without
    st.integers(1, 200).map(lambda n: "§ " * n),
)
lines = st.builds(
    Line,
    line_text,
    st.one_of(st.none(), st.integers(1, 500)),
    st.one_of(st.none(), st.none(), st.integers(1, 6)),
)


def _document(items: list[Line], language: str, title: str | None) -> LoadedDocument:
    return LoadedDocument(path=Path("fuzz.txt"), source="fuzz.txt", format="txt", lines=tuple(items),
                          language=language, file_hash="0" * 64, title=title)


documents = st.builds(
    _document,
    st.lists(lines, max_size=40),
    st.sampled_from(["fi", "sv", "en"]),
    st.one_of(st.none(), st.text(max_size=300)),
)

ITEM_HEADERS = (
    "§ {n}", "{n} §", "Kaupunginhallitus 14.10.2024 § {n}", "KHALL 17.02.2025 § {n}",
    "Kaupunginvaltuusto 28.10.2024 § {n}", "Kommunstyrelsen 2024-05-21 § {n}",
    "§ {n} Valtuustoaloite digiohjelmasta", "Pöytäkirja 04.12.2023/Pykälä {n}", "{n}§ Digistrategia",
)


@st.composite
def minutes_documents(draw: st.DrawFn) -> LoadedDocument:
    """Minutes-shaped documents: items of header, labels and text, with noise lines anywhere."""
    texts = [draw(line_text) for _ in range(draw(st.integers(0, 4)))]
    number = draw(st.integers(0, 400))
    for _ in range(draw(st.integers(1, 5))):
        number += draw(st.integers(0, 3))
        texts.append(draw(st.sampled_from(ITEM_HEADERS)).format(n=number))
        count = draw(st.integers(0, 14))
        texts += [draw(st.one_of(st.sampled_from(MARKERS), line_text)) for _ in range(count)]
    with_pages = draw(st.booleans())
    levels = [draw(st.one_of(st.none(), st.none(), st.none(), st.integers(1, 4))) for _ in texts]
    items = [Line(t, page=i // 7 + 1 if with_pages else None, level=level)
             for i, (t, level) in enumerate(zip(texts, levels))]
    return _document(items, draw(st.sampled_from(["fi", "sv"])), None)

"""Dates as the genre writes them → ISO; month-only dates never get a made-up day."""

from __future__ import annotations

import pytest

from ingest.parse.dates import find_dates, to_iso, to_iso_month


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("KHALL 17.02.2025 § 27", "2025-02-17"),
        ("Kaupunginhallitus 9.1.2023 § 15", "2023-01-09"),
        ("Kommunstyrelsen 2024-05-21 § 77", "2024-05-21"),
        ("Aika Torstai 28.11.2024 klo 18.00 - 20.35", "2024-11-28"),
        ("behandlar programmet den 30 mars 2020", "2020-03-30"),
        ("Lärseminarium i Bräcke, 12 feb 2019.", "2019-02-12"),
        ("kokous pidettiin 28. marraskuuta 2024", "2024-11-28"),
        ("joulukuun 3. päivä: 3. joulukuuta 2023", "2023-12-03"),
        ("Meeting on March 3, 2024", "2024-03-03"),
        ("Sidan publicerad 2019-12-10 av Stina Hylén", "2019-12-10"),
    ],
)
def test_full_dates(text: str, iso: str) -> None:
    assert to_iso(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "marraskuussa 2023",  # month precision only: no day is invented
        "den 30 mars",  # no year
        "32/00.01.02/2025",  # a case number, not a date
        "2078/02.08.00/2022",
        "HEL 2022-008675",
        "vuosille 2024 - 2028",
        "Digistrategia 2020–2024",
        "31.02.2024",  # no such day
        "",
    ],
)
def test_no_full_date(text: str) -> None:
    assert to_iso(text) is None


def test_month_precision_is_separate() -> None:
    assert to_iso_month("Marraskuussa 2023 järjestettiin arviointipalaveri") == "2023-11"
    assert to_iso_month("fram till mars 2020") == "2020-03"
    assert to_iso_month("17.02.2025") == "2025-02"
    assert to_iso_month("ei päivämäärää") is None


def test_find_dates_in_order_with_raw_text() -> None:
    found = find_dates("Kunnanhallitus 14.10.2024 § 188 ja valtuusto 2024-10-28 § 50")
    assert [(f.iso, f.raw) for f in found] == [("2024-10-14", "14.10.2024"), ("2024-10-28", "2024-10-28")]

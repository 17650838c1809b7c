"""Running page headers and footers: lines printed on every page that are not the document's text.

A PDF's text layer repeats "Kaupunginhallitus 17.02.2025 … 3 (12)" on each page; left in, these lines
break sentences across page boundaries and win keyword searches for every page.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict

logger = logging.getLogger(__name__)

ZONE = 3  # how many lines at the top and at the bottom of a page may be header or footer
OCR_ZONE = 5  # OCR also reads the logo above the header ("NYKARLEBY", "UUSIKAARLEPYY")
MIN_PAGES = 3  # with fewer pages "repeats on half the pages" means nothing

# "3", "- 3 -", "3/12", "3 / 12", "3 (12)", "Sivu 3", "Sivu 3 / 12", "Sida 2 av 9", "Page 3 of 12", "s. 3"
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:sivu|sida|page|s\.|p\.)\s*)?\d{1,4}(?:\s*(?:/|av|of|\()\s*\d{1,4}\s*\)?)?[-–—\s]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
MIN_REPEATS = 3  # a line on 2 pages of 4 may be chance ("Ansvarig: Digitaliseringsenheten" twice)
MAX_PAGE_NUMBER = 1899  # what advances with the page is a page number, not a year ("Tidplan: 2024–2025")
# Section and field labels of minutes items and action tables: when every item starts on a new page they
# stand in the top zone of most pages, yet they are the document's content, never a running header.
_LABELS = frozenset(
    "valmistelija valmistelijat valmistelu esittelijä selostus perustelut päätösehdotus ehdotus käsittely "
    "päätös liitteet liite tiedoksi muutoksenhaku lisätiedot beredare föredragande ärendebeskrivning "
    "beslutsunderlag förslag yrkanden beslut reservation bilagor bilaga protokollsanteckning "
    "vastuutaho vastuuhenkilö vastuu vastaa vastaava toimenpide aikataulu mittari ansvarig ansvar "
    "huvudansvarig åtgärd tidplan indikator".split()
)


def is_page_number(text: str) -> bool:
    """A line that says nothing but which page this is."""
    return bool(_PAGE_NUMBER.match(text))


def _key(text: str) -> str:
    """Compare lines with digits normalised, so "Sivu 3 / 12" and "Sivu 4 / 12" are the same line."""
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _zone(lines: list[str], size: int = ZONE) -> list[int]:
    """Indexes of the first and last `size` non-empty lines of a page."""
    filled = [i for i, text in enumerate(lines) if text.strip()]
    return sorted(set(filled[:size]) | set(filled[-size:]))


def _is_running(key: str, seen: list[tuple[int, list[int]]], needed: int) -> bool:
    """Whether a line seen at (page index, its numbers) is a running header or footer.

    Its numbers must either stay the same on every page or advance with the page ("Sivu 3 / 12" on the
    third page, "Sivu 4 / 12" on the fourth). A case number "32/00.01.02/2025" on one page and
    "45/00.01.02/2025" on another is two items' text, not a header. With a § sign every number must stay
    the same: item headers of minutes that give each item its own page do advance with the page.
    """
    if len({page for page, _ in seen}) < needed or key.split(" ", 1)[0].rstrip(":") in _LABELS:
        return False
    if key.endswith(":"):  # "Personalsektionens beslut:" at the foot of short pages: a label, not a footer
        return False
    for position in range(len(seen[0][1])):
        values = [numbers[position] for _, numbers in seen]
        if len(set(values)) == 1:
            continue
        if "§" in key or max(values) > MAX_PAGE_NUMBER:
            return False
        offsets = Counter(value - page for (page, _), value in zip(seen, values))
        if offsets.most_common(1)[0][1] < needed:
            return False
    return True


def remove_running_lines(pages: list[list[str]], ocr: frozenset[int] = frozenset()) -> list[list[str]]:
    """Drop running headers/footers and bare page numbers from the top and bottom zone of each page.

    `ocr`: indexes of pages read by OCR (see `running_lines`)."""
    drops = running_lines(pages, ocr)
    return [[text for i, text in enumerate(lines) if i not in drop] for lines, drop in zip(pages, drops)]


def running_lines(pages: list[list[str]], ocr: frozenset[int] = frozenset()) -> list[set[int]]:
    """For each page, the indexes of its running header/footer lines and bare page numbers.

    A line is running when it stands in the zone of at least half the pages, and of at least
    MIN_REPEATS pages (see `_is_running`). Documents with fewer than MIN_PAGES pages keep every line.

    Pages read by OCR (`ocr`) see the page as printed, the text layer does not: OCR reads the logo
    ("NYKARLEBY UUSIKAARLEPYY"), reads the header block in print order with its item number in it
    ("Protokoll 28 § 29.05.2023 Sida" where the text layer has "Protokoll 29.05.2023 Sida" and "28 §"
    apart) and misreads digits. So OCR'd pages are also compared among themselves, and an OCR'd line
    whose words (digits and signs left out) are those of a running text-layer line is running too.
    """
    if len(pages) < MIN_PAGES:
        return [set() for _ in pages]
    zones = [_zone(lines, OCR_ZONE if page in ocr else ZONE) for page, lines in enumerate(pages)]
    layer = [i for i in range(len(pages)) if i not in ocr]
    read = [i for i in range(len(pages)) if i in ocr]
    running: set[str] = set()
    loose: set[str] = set()
    for group in (layer, read):
        found = _running_keys(pages, zones, group, len(pages) if group is layer else len(group))
        running |= found
        if group is layer:
            loose = {_words(key) for key in found} - {"", "|date"}
    drops: list[set[int]] = []
    dropped = 0
    for page, (lines, zone) in enumerate(zip(pages, zones)):
        drop = {i for i in zone if is_page_number(lines[i].strip()) or _key(lines[i]) in running
                or (page in ocr and _words(lines[i]) in loose)}
        drops.append(drop)
        dropped += len(drop)
    if dropped:
        logger.debug("removed %d running header/footer lines from %d pages", dropped, len(pages))
    return drops


def _running_keys(pages: list[list[str]], zones: list[list[int]], group: list[int], among: int) -> set[str]:
    """Keys of the running lines among the pages `group` (`among` pages decide what "half" is)."""
    if len(group) < MIN_PAGES:
        return set()
    seen: dict[str, list[tuple[int, list[int]]]] = defaultdict(list)
    for page in group:
        lines = pages[page]
        for i in zones[page]:
            seen[_key(lines[i])].append((page, [int(d) for d in _DIGITS.findall(lines[i])]))
    needed = max(MIN_REPEATS, math.ceil(among / 2))
    return {key for key, where in seen.items() if _is_running(key, where, needed)}


_NOT_WORD = re.compile(r"[^\w]+|[\d_]+")
_DATE = re.compile(r"\d{1,4}[.-]\d{1,2}[.-]\d{1,4}|#\.#\.#|#-#-#")


def _words(text: str) -> str:
    """A line's words of three or more letters, lower case, and whether it holds a date: what survives
    OCR's digit and sign errors. "Personalsektionen 4" (a header) matches "Personalsektionen"; the
    handling line "Personalsektionen 29.5.2023, 28 §" does not."""
    words = " ".join(w for w in _NOT_WORD.sub(" ", text.lower()).split() if len(w) >= 3)
    return f"{words}|date" if words and _DATE.search(text) else words

"""Matching rules: when an answer contains a key fact, and when a cited or retrieved item is an
expected source. Pure string rules, no model, so runs are reproducible (also in README.md).

* Key facts: text is NFKC-normalised, case-folded, punctuation (and `_`) replaced by spaces,
  whitespace collapsed. An alternative matches as whole words; a trailing `*` makes it a stem
  (`kunnanhallit*` matches `kunnanhallitukselle`). A numeric date alternative also matches its
  other spellings: `17.02.2025` = `17.2.2025` = `2025-02-17`.
* Sections: a fragment matches a section path (components joined by ` › `) when, case-insensitively,
  it occurs at word boundaries inside one component **at the start of that component** (after any
  heading number such as `4.2`), or anywhere in it when the fragment starts with `§` or a digit.
  `21§`, `21 §`, `§21` and `Pykälä 21` are read as `§ 21`. So `Päätös` matches `§ 27 › Päätös`
  but neither `Päätösehdotus` nor `Kunnanjohtajan päätösehdotus`, and `Beslut` does not match
  `Förslag till beslut`: citing the proposal must not pass for citing the decision.
  A fragment with ` › ` (`§ 18 › Päätös`) needs its parts to match components in that order.
* Body: an expected source may name the deciding body (`Kaupunginvaltuusto`), for items that hold
  several handlings. It must occur in the item's `body` field (citations carry one); an item without
  one (passages) is checked against its section path, and passes when the path names no body at all.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence

logger = logging.getLogger(__name__)

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMBER_SIGN = re.compile(r"(?<![\d.])(\d+)\s*§(?!\s*\d)")  # "21§", "21 §" (not "2025 § 27")
_SIGN_NUMBER = re.compile(r"(?:§|\bpykälä\b|\bparagraf\b)\s*(\d+)")  # "§27", "Pykälä 303"
_HEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=\D)")
_PATH_SEP = re.compile(r"\s*(?:›|»)\s*")
# Words that name a deciding body (fi/sv), to tell a path that names another body from one naming none.
_BODY_WORDS = re.compile(
    r"valtuusto|hallitus|lautakunta|johtoryhmä|jaosto|fullmäktige|styrelse|nämnd|utskott"
)

# --- key facts -------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Case-folded text with punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


def date_variants(alternative: str) -> list[str]:
    """`17.02.2025` → also `17.2.2025` and `2025-02-17` (and the other way round)."""
    text = alternative.strip()
    if m := _FI_DATE.match(text):
        day, month, year = int(m[1]), int(m[2]), m[3]
    elif m := _ISO_DATE.match(text):
        year, month, day = m[1], int(m[2]), int(m[3])
    else:
        return [alternative]
    iso = f"{year}-{month:02d}-{day:02d}"
    return [alternative, f"{day:02d}.{month:02d}.{year}", f"{day}.{month}.{year}", iso]


def fact_present(alternative: str, answer: str) -> bool:
    """Whether one alternative of a key fact occurs in the answer (see the module docstring)."""
    stem = alternative.rstrip().endswith("*")
    haystack = normalize(answer)
    for variant in date_variants(alternative.rstrip().rstrip("*")):
        needle = normalize(variant)
        if not needle:
            continue
        pattern = r"(?<!\w)" + re.escape(needle) + ("" if stem else r"(?!\w)")
        if re.search(pattern, haystack):
            return True
    return False


def key_fact_scores(answer: str, groups: Sequence[Sequence[str]]) -> tuple[int, float, list[int]]:
    """(1 if every group is present else 0, fraction of groups present, indexes of missing groups)."""
    if not groups:
        return 0, 0.0, []
    missing = [i for i, group in enumerate(groups) if not any(fact_present(a, answer) for a in group)]
    return int(not missing), (len(groups) - len(missing)) / len(groups), missing


# --- sources and sections --------------------------------------------------------------------------


def _norm_section(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _SIGN_NUMBER.sub(r"§ \1", _NUMBER_SIGN.sub(r"§ \1", text))
    return " ".join(text.replace(":", " ").split())


def _component_matches(part: str, component: str) -> bool:
    anywhere = part[0] == "§" or part[0].isdigit()
    comp = _HEADING_NUMBER.sub("", _norm_section(component))
    for m in re.finditer(r"(?<!\w)" + re.escape(part) + r"(?!\w)", comp):
        if anywhere or m.start() == 0:
            return True
    return False


def section_matches(fragment: str, section_path: str | None) -> bool:
    """Whether a gold section fragment names this section path (empty fragment: any section)."""
    parts = [_norm_section(p) for p in _PATH_SEP.split(fragment or "")]
    parts = [p for p in parts if p]
    if not parts:
        return True
    components = iter(_PATH_SEP.split(section_path or ""))
    # each part must match a component after the one the previous part matched (ordered subsequence)
    return all(any(_component_matches(part, comp) for comp in components) for part in parts)


def body_matches(body: str | None, item: Mapping) -> bool:
    """Whether a cited/retrieved item belongs to the expected body's handling (see module docstring)."""
    want = _norm_section(body or "")
    if not want:
        return True
    if item.get("body"):
        return want in _norm_section(str(item["body"]))
    path = _norm_section(str(item.get("section") or ""))
    return want in path or not _BODY_WORDS.search(path)


def _fragments(expected: Mapping) -> list[str]:
    section = expected.get("section", "")
    return [section] if isinstance(section, str) else list(section)


def _file_name(source: object) -> str:
    return str(source or "").replace("\\", "/").rsplit("/", 1)[-1]


def source_matches(expected: Mapping, item: Mapping) -> bool:
    """A cited or retrieved item matches an expected source: same file name, a section fragment
    (or one of its alternatives) in its section path, the same page when both give one, and the
    expected body's handling when one is named."""
    if _file_name(item.get("source")) != _file_name(expected.get("source")):
        return False
    page = expected.get("page")
    if page is not None and item.get("page") is not None and int(item["page"]) != int(page):
        return False
    if not body_matches(expected.get("body"), item):
        return False
    return any(section_matches(f, item.get("section")) for f in _fragments(expected))

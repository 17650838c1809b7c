"""Write tests/data/question_analysis_snapshot.json: what assistant/question/analysis.py and
ingest/parse/municipality.py make of every gold question, of probe strings generated from the cue regexes,
and of the documents' texts.

Run once from the repo root BEFORE changing where the genre's words live (`python
tests/data/make_question_analysis_snapshot.py`); tests/test_genre.py then asserts the code still gives the
same answers (a learned scorer was trained on these features). The test split's gold questions are read
only as a regression snapshot: their answers are never looked at.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "data" / "question_analysis_snapshot.json"
sys.path.insert(0, str(ROOT))

# The compiled cue patterns of assistant/question/analysis.py, by (attribute, key) so the test can find
# them again.
PATTERN_ATTRIBUTES = ("_TYPE_PATTERNS", "_KIND_HINTS", "_EXTRA_CUES", "_BODY_CLASSES")
SINGLE_PATTERNS = ("_QUANTITY", "_YES_NO", "_BODY_PHRASE", "_NOT_A_BODY")
# Text windows for municipality names: every window of this many lines, stepping by half of it.
WINDOW_LINES = 6
TEXT_SUFFIXES = (".txt", ".md", ".html")
LITERALS = (
    "Kuopion kaupungin strategia 2030", "Kaustisen seudun kuntien yhteistyö", "Porin kaupunki tiedottaa",
    "Bräcke kommun", "Östersunds kommun beslutade", "Borgå stad och Borgås stadsstyrelse",
    "Tämän kaupungin strategia", "Denna kommun", "Hämeenlinnan kaupunginhallitus 18.11.2024",
    "Seinäjoen kaupunginvaltuusto", "Järvenpään kaupunki", "Kokkolan kaupunki", "Raahen kaupunginvaltuusto",
    "Närpes stad", "Jakobstads stadsstyrelse", "Vaasan kaupunginhallitus", "Lahden kaupunginhallitus",
    "Kirkkonummen kunnanvaltuusto", "Heinolan kaupunki", "Sipoon kunta", "Sibbo kommun", "Kimitoöns kommun",
    "Joensuun kaupunki ja Kontiolahden kunta", "yhteystiedot: etunimi.sukunimi@kuopio.fi", "",
    "Ingen kommun här", "Helsingin kaupunginhallitus; Helsingfors stadsstyrelse; Helsingfors stad",
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (split at `|` outside groups and classes)."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _samples(pattern: str, limit: int = 48) -> list[str]:
    """A few short strings each alternative of `pattern` matches (branches of groups taken in turn)."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    def gen(items: Any, choice: int) -> str:
        out = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append("a" if chr(av) != "a" else "b")
            elif name == "ANY":
                out.append(" x ")
            elif name == "IN":
                first = av[0]
                if str(first[0]) == "NEGATE":
                    out.append(" ")
                elif str(first[0]) == "LITERAL":
                    out.append(chr(first[1]))
                elif str(first[0]) == "RANGE":
                    out.append(chr(first[1][0]))
                elif str(first[0]) == "CATEGORY":
                    out.append("1" if "DIGIT" in str(first[1]) else " " if "SPACE" in str(first[1]) else "a")
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                lo, _hi, sub = av
                always = len(sub) == 1 and str(sub[0][0]) == "ANY"  # ".*" between two words
                out.append(gen(sub, choice) * max(lo, 1 if always or choice % 2 else 0))
            elif name == "SUBPATTERN":
                out.append(gen(av[-1], choice))
            elif name == "BRANCH":
                branches = av[1]
                out.append(gen(branches[choice % len(branches)], choice // len(branches)))
            elif name == "CATEGORY":
                out.append("1" if "DIGIT" in str(av) else " " if "SPACE" in str(av) else "a")
            # AT (\b, ^, $), ASSERT, ASSERT_NOT, GROUPREF: nothing to add
        return "".join(out)

    found: list[str] = []
    for alternative in _alternatives(pattern):
        parsed = sre_parse.parse(alternative)
        for choice in range(limit):
            text = " ".join(gen(parsed, choice).split())
            if text and text not in found:
                found.append(text)
    return found


def _pattern_table(questions: Any) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for attribute in PATTERN_ATTRIBUTES:
        for key, compiled in getattr(questions, attribute):
            table[f"{attribute}:{key}"] = sorted(_alternatives(compiled.pattern))
    for attribute in SINGLE_PATTERNS:
        table[attribute] = sorted(_alternatives(getattr(questions, attribute).pattern))
    table["_GENERIC_BODY_WORDS"] = sorted(questions._GENERIC_BODY_WORDS)
    import ingest.parse.municipality as municipality
    table["municipality._FI_RE"] = [municipality._FI_RE.pattern]
    table["municipality._SV_RE"] = [municipality._SV_RE.pattern]
    table["municipality._STOP"] = sorted(municipality._STOP)
    table["municipality._FI_SUFFIXES"] = [list(pair) for pair in municipality._FI_SUFFIXES]
    return table


def _probes(questions: Any) -> list[str]:
    probes: list[str] = []
    compiled = [c for attribute in PATTERN_ATTRIBUTES for _k, c in getattr(questions, attribute)]
    compiled += [getattr(questions, attribute) for attribute in SINGLE_PATTERNS]
    for pattern in compiled:
        for sample in _samples(pattern.pattern):
            for probe in (sample, f"Tell me {sample} now?", sample.capitalize() + " 2024?"):
                if probe not in probes:
                    probes.append(probe)
    return probes


ANALYSIS_FIELDS = ("question_type", "cue_scores", "body_class", "body_classes", "mentions_decision",
                   "body_words", "supported_script", "type", "section_hint", "type_prior", "wants_number")


def analysis(text: str, language: str) -> list[Any]:
    """Everything assistant/question/analysis.py says about one question, as ANALYSIS_FIELDS (the language is
    given: detecting it is ingest/load/language.py's business, not this snapshot's). Scores are listed in
    ANSWER_TYPES order; `type_prior` is analyse()'s (the cue prior after a section hint's shift)."""
    import assistant.question.analysis as q
    analysed = q.analyse(text, language=language)
    scores = q.cue_scores(text)
    return [
        q.question_type(text),
        [scores[k] for k in q.ANSWER_TYPES],
        q.body_class(text),
        sorted(q.body_classes(text)),
        q.mentions_decision(text),
        q.body_words(text),
        q.supported_script(text),
        analysed.type,
        analysed.section_hint,
        [p for _k, p in analysed.type_prior],
        analysed.wants_number,
    ]


def gold_questions() -> list[tuple[str, str]]:
    """(question, language) of every gold question, each once, in file order."""
    seen: dict[tuple[str, str], None] = {}
    for path in sorted((ROOT / "evaluation" / "goldsets").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                seen.setdefault((row["question"], row.get("language") or "en"), None)
    return list(seen)


def document_texts() -> dict[str, str]:
    """Plain-text documents of the repo (corpus/, tests/data/, evaluation/documents/) by relative path."""
    texts: dict[str, str] = {}
    for folder in ("corpus", "tests/data", "evaluation/documents"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in TEXT_SUFFIXES and path.is_file() and path.name != "README.md":
                texts[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def real_dev_texts() -> dict[str, str]:
    """The dev split's real web excerpts (../shared/real/web, outside the repo), when present."""
    split = json.loads((ROOT / "evaluation" / "split.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    for rel in split["dev"]["documents"]:
        path = (ROOT / rel).resolve()
        if path.is_file() and path.suffix == ".txt" and "/real/web/" in path.as_posix():
            texts[rel] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def municipality_results(text: str) -> dict[str, Any]:
    from ingest.parse.municipality import guess_municipality

    lines = text.splitlines()
    step = WINDOW_LINES // 2
    windows = ["\n".join(lines[i:i + WINDOW_LINES]) for i in range(0, max(len(lines), 1), step)]
    found = {str(i): name for i, w in enumerate(windows) if (name := guess_municipality(w, head_lines=2))}
    return {"whole": guess_municipality(text), "windows": len(windows), "found": found}


def build() -> dict[str, Any]:
    import assistant.question.analysis as q
    gold = gold_questions()
    probes = _probes(q)
    return {
        "answer_types": list(q.ANSWER_TYPES),
        "analysis_fields": list(ANALYSIS_FIELDS),
        "patterns": _pattern_table(q),
        "gold": [[text, lang, analysis(text, lang)] for text, lang in gold],
        "probes": [[text, analysis(text, "en")] for text in probes],
        "municipality_literals": [[text, municipality_results(text)["whole"]] for text in LITERALS],
        "municipality_documents": {rel: municipality_results(t) for rel, t in document_texts().items()},
        "municipality_real_dev": {rel: municipality_results(t) for rel, t in real_dev_texts().items()},
    }


def main() -> None:
    snapshot = build()
    SNAPSHOT.write_text(json.dumps(snapshot, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    print(f"{SNAPSHOT.relative_to(ROOT)}: {len(snapshot['gold'])} gold questions, {len(snapshot['probes'])} "
          f"probes, {len(snapshot['municipality_documents'])} documents, "
          f"{len(snapshot['municipality_real_dev'])} real dev texts")


if __name__ == "__main__":
    main()

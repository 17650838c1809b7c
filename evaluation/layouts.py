"""How well the parser reads real web pages' layouts: title, body, meeting date and § per page.

Each page is loaded and parsed by the project's own ingest (`load_document` + `parse_document`) and its
`title`, `body`, `meeting_date` and `item` are compared with hand-written gold
(evaluation/layouts/web2_gold_<split>.json: `{"about": …, "pages": {file: {"title", "body", "date",
"item", "note"}}}`):

- title: the parsed title starts with the gold title (case and spacing ignored). A null gold title (the
  page shows none) accepts any title that is not site chrome and not the file's name.
- body: the parsed body ends with the gold body, case-insensitive ("Oulun kaupunginhallitus" ends with
  "Kaupunginhallitus"). A null gold body: the parser must give none.
- date, item: equal. A null gold: the parser must give none.

A page is right when all four are. `python -m evaluation.layouts --split dev` prints the shares;
`--failures` lists the wrong fields (only for train and dev: test failures are not to be looked at).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import genre

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evaluation" / "layouts"
WEB2 = ROOT.parent / "shared" / "real" / "web2"
FIELDS = ("title", "body", "date", "item")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def field_right(field: str, gold: str | None, got: str | None, source: str = "") -> bool:
    """Whether one parsed field matches its gold (see the module's rules)."""
    if field == "title":
        if gold is None:
            return bool(_norm(got)) and not genre.is_web_chrome(got or "") and got != source
        return _norm(got).startswith(_norm(gold))
    if gold is None:
        return got is None or not str(got).strip()
    if field == "body":
        return _norm(got).endswith(_norm(gold)) and bool(_norm(got))
    return got == gold


def read_page(path: Path) -> dict[str, str | None]:
    """The four fields as the project's parser reads the page."""
    from ingest.load import load_document
    from ingest.parse import parse_document

    parsed = parse_document(load_document(path))
    return {"title": parsed.title, "body": parsed.body, "date": parsed.meeting_date, "item": parsed.item,
            "source": parsed.source}


def measure_layouts(folder: Path, gold: dict[str, dict], names: list[str] | None = None,
                    failures: bool = False) -> dict:
    """Share right per field and of whole pages over `names` (default: every page in `gold`).
    With `failures`, also each wrong page's wrong fields as (gold, parsed)."""
    names = sorted(names if names is not None else gold)
    right = dict.fromkeys(FIELDS, 0)
    whole = 0
    wrong: dict[str, dict] = {}
    for name in names:
        want = gold[name]
        got = read_page(folder / name)
        ok = {f: field_right(f, want.get(f), got[f], str(got["source"])) for f in FIELDS}
        for f in FIELDS:
            right[f] += ok[f]
        whole += all(ok.values())
        if failures and not all(ok.values()):
            wrong[name] = {f: (want.get(f), got[f]) for f in FIELDS if not ok[f]}
    n = len(names)
    result: dict = {"pages": n, **{f: round(right[f] / n, 4) if n else 0.0 for f in FIELDS},
                    "fields": round(sum(right.values()) / (4 * n), 4) if n else 0.0,
                    "all_four": round(whole / n, 4) if n else 0.0}
    if failures:
        result["failures"] = wrong
    return result


def load_gold(split: str) -> dict[str, dict]:
    return json.loads((GOLD / f"web2_gold_{split}.json").read_text(encoding="utf-8"))["pages"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluation.layouts", description=__doc__.split("\n")[0])
    ap.add_argument("--split", action="append", choices=("train", "dev", "test"),
                    help="repeatable; default dev")
    ap.add_argument("--folder", type=Path, default=WEB2)
    ap.add_argument("--failures", action="store_true", help="list wrong fields (train and dev only)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"real pages not found at {args.folder} (see ../shared/real/README.md)", file=sys.stderr)
        return 2
    report = {}
    for split in args.split or ["dev"]:
        path = GOLD / f"web2_gold_{split}.json"
        if not path.exists():
            print(f"no gold for {split}: {path}", file=sys.stderr)
            return 2
        report[split] = measure_layouts(args.folder, load_gold(split),
                                        failures=args.failures and split != "test")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

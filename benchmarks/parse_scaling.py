"""How parse and chunk time grow with input size (issue 15: quadratic parsing hung ingest).

Two shapes, each at three sizes, each case in its own process with a time limit (a case over it is
reported as not finished, which is the finding, rather than hanging the run):

- items: minutes with 1k / 10k / 50k items (§ heading, title, Selostus, Päätösehdotus, Päätös), many lines;
- line: one line of 1 / 10 / 50 MB of running text (no newline), as a broken export gives.

Per case: parse seconds, chunk seconds, chunks, peak memory (ru_maxrss) of the process. Per shape and
stage: the growth exponent, the slope of log(time) against log(size) fitted over the three sizes (1 is
linear, 2 quadratic). The stages run in-process here, as in the ingest's parent process.

Run: `python -m benchmarks.parse_scaling [--tokenizer estimate|e5] [--timeout 600] [--json OUT]`.
`e5` counts tokens with the converted e5's tokenizer (what ingest uses on a bf16 CPU), `estimate` with
`ingest.chunk.estimate_tokens` (one per three characters).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHAPES = {"items": (1_000, 10_000, 50_000), "line": (1, 10, 50)}  # items; MB
SENTENCE = "Kaupunginhallitus päätti yksimielisesti hyväksyä ehdotuksen ja merkitsi selvityksen tiedoksi. "

CASE = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from benchmarks.parse_scaling import make_document, make_counter
from ingest.chunk import chunk_document
from ingest.parse import parse_document
doc = make_document({shape!r}, {size!r})
count = make_counter({tokenizer!r})
t0 = time.perf_counter()
parsed = parse_document(doc)
t1 = time.perf_counter()
chunks = chunk_document(parsed, max_tokens=400, count_tokens=count)
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"parse_s": t1 - t0, "chunk_s": t2 - t1, "sections": len(parsed.sections),
                  "chunks": len(chunks), "peak_mb": peak}}))
"""


def make_document(shape: str, size: int):
    """A LoadedDocument of the given shape and size (built in memory: no loader, no file)."""
    from ingest.records import Line, LoadedDocument

    if shape == "items":
        lines = ["Kaupunginhallitus", "Pöytäkirja 12/2024", "Kokousaika 14.10.2024 klo 16.00"]
        for i in range(1, size + 1):
            lines += [f"§ {i}", f"Asia numero {i}: avustuksen myöntäminen yhdistykselle {i}",
                      f"Dnro {i}/02.05.00/2024", "Selostus",
                      f"Yhdistys {i} hakee avustusta toimintaansa. Hakemus on saapunut määräajassa.",
                      "Päätösehdotus", f"Kaupunginhallitus myöntää yhdistykselle {i} avustuksen.",
                      "Päätös", "Hyväksyttiin."]
    else:
        n = size * 1_000_000
        lines = [(SENTENCE * (n // len(SENTENCE) + 1))[:n]]
    return LoadedDocument(path=Path(f"bench-{shape}-{size}.txt"), source=f"bench-{shape}-{size}.txt",
                          format="txt", lines=tuple(Line(t) for t in lines), language="fi",
                          file_hash="0" * 64)


def make_counter(tokenizer: str):
    from ingest.chunk import estimate_tokens

    if tokenizer == "estimate":
        return estimate_tokens
    from transformers import AutoTokenizer

    folder = REPO / ".models" / "multilingual-e5-small-st"
    tok = AutoTokenizer.from_pretrained(str(folder))
    tok.model_max_length = 10**9  # counting, not embedding: no warning for long inputs

    def count(text: str) -> int:
        return len(tok(text, add_special_tokens=True)["input_ids"])

    return count


def run_case(shape: str, size: int, tokenizer: str, timeout: float) -> dict:
    code = CASE.format(repo=str(REPO), shape=shape, size=size, tokenizer=tokenizer)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                              cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"shape": shape, "size": size, "finished": False, "error": f"over {timeout:g} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]
        return {"shape": shape, "size": size, "finished": False, "error": last}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"shape": shape, "size": size, "finished": True, **result}


def exponent(sizes: list[float], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) on log(size)."""
    points = [(math.log(s), math.log(max(t, 1e-4))) for s, t in zip(sizes, seconds, strict=True)]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokenizer", choices=["estimate", "e5"], default="e5")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    if args.tokenizer == "e5" and not (REPO / ".models" / "multilingual-e5-small-st").exists():
        print("no converted e5 in .models/ (run `strategy-chat models prepare`); using --tokenizer estimate")
        args.tokenizer = "estimate"
    results, fits = [], {}
    for shape in args.shapes:
        unit = "items" if shape == "items" else "MB"
        for size in SHAPES[shape]:
            row = run_case(shape, size, args.tokenizer, args.timeout)
            results.append(row)
            if row["finished"]:
                print(f"{shape:5} {size:>6} {unit:5}: parse {row['parse_s']:7.2f} s, "
                      f"chunk {row['chunk_s']:7.2f} s, {row['sections']} sections, {row['chunks']} chunks, "
                      f"peak {row['peak_mb']:.0f} MB", flush=True)
            else:
                print(f"{shape:5} {size:>6} {unit:5}: did not finish ({row['error']})", flush=True)
        done = [r for r in results if r["shape"] == shape and r["finished"]]
        for stage in ("parse", "chunk"):
            slope = exponent([r["size"] for r in done], [r[f"{stage}_s"] for r in done])
            fits[f"{shape}/{stage}"] = None if slope is None else round(slope, 2)
            shown = "n/a" if slope is None else f"{slope:.2f}"
            print(f"  {shape} {stage}: growth exponent {shown} over {len(done)} sizes")
    if args.json:
        args.json.write_text(json.dumps({"tokenizer": args.tokenizer, "cases": results, "exponents": fits},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

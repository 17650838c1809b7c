"""Kill `strategy-chat ingest` with SIGKILL at random points: the index is then the previous one or the
new one, whole, queries work, and the next ingest completes the work and clears the debris.

Why it holds (ingest/store.py): a writer builds the next generation in a new folder, writes its manifest
last (temp file, fsync, rename) and only then points CURRENT at it with one atomic rename; readers open
only what CURRENT names and only a generation with a manifest. Whatever a kill leaves — a folder without
a manifest, or a whole generation never made live — is removed by the next writer, which keeps exactly
the live generation and the one live before it. The writer lock is an flock, released by the kernel
when the killed process goes.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.pipeline import Assistant
from config import Settings
from ingest.pipeline import build_index
from ingest.store import CURRENT, MANIFEST, VECTORS, Index, read_manifest

from .conftest import REPO, python, subprocess_env
from .test_concurrency import BASE_DOCS, new_document

WORKER_MARK = "from ingest.load.isolation import _worker_main"


def start_ingest(docs: Path, index_dir: Path) -> subprocess.Popen:
    with (index_dir.parent / "ingest.log").open("a") as log:  # a pipe nobody reads could fill and block
        return subprocess.Popen(
            [python(), "-m", "cli", "ingest", str(docs), "--index", str(index_dir)],
            env=subprocess_env(), cwd=REPO, stdout=log, stderr=log, start_new_session=True,
        )


# When a kill lands: anywhere, or just after the writer reaches a step of writing a generation.
MOMENTS = ("live switched", "manifest written", "any time", "copying the store")


def wait_for(moment: str, process: subprocess.Popen, index_dir: Path, before: set[str], live_before: str,
             timeout: float) -> None:
    """Poll (every millisecond) until the ingest reaches `moment`, or ends, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        new = [name for name in os.listdir(index_dir) if name.startswith("g") and name not in before]
        if moment == "copying the store" and new:
            return
        if moment == "manifest written" and any((index_dir / name / MANIFEST).exists() for name in new):
            return  # between the manifest and the switch of CURRENT: a whole generation never made live
        if moment == "live switched":
            with contextlib.suppress(OSError):
                if (index_dir / CURRENT).read_text(encoding="utf-8") != live_before:
                    return  # collecting garbage, or about to exit
        time.sleep(0.001)


def check_whole(index_dir: Path, assistant: Assistant, allowed: list[set[str]]) -> set[str]:
    """The live generation is whole and one of the allowed states; a question gets an answer."""
    live = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    assert (index_dir / live / MANIFEST).exists()
    manifest = read_manifest(index_dir)
    files = set(manifest.files)
    assert files in allowed, (files, allowed)
    index = Index.open(index_dir)
    ids = {cid for entry in manifest.files.values() for cid in entry.chunk_ids}
    assert [c.id for c in index.chunks] and {c.id for c in index.chunks} == ids
    assert index.store.count() == len(ids)  # every vector made it
    vectors = np.load(index_dir / live / VECTORS, mmap_mode="r")
    assert vectors.shape[0] == len(ids)
    answer = assistant.ask("Kuka vastasi digistrategian koordinoinnista?")
    assert answer.passages
    return files


def orphan_workers() -> list[int]:
    """Loader workers whose parent is gone (reparented away from any living ingest or test process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if WORKER_MARK in cmdline and ppid != os.getpid():
            found.append(int(entry.name))
    return found


def kill_loop(tmp_path: Path, embeddings, figures, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in BASE_DOCS:
        shutil.copy(REPO / "corpus" / name, docs / name)
    shutil.copy(REPO / "tests" / "data" / "sv_handlingsplan.pdf", docs / "handlingsplan.pdf")  # a worker too
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, embeddings)
    assistant = Assistant(replace(Settings(), index_dir=index_dir, answerer="extractive"),
                          embeddings=embeddings)

    committed = set(read_manifest(index_dir).files)
    duration = 0.0  # how long an ingest takes to go live: measured by the first round
    outcomes = {"old index": 0, "new index": 0, "finished before the kill": 0}
    for round_ in range(kills):
        name, text, _ = new_document(round_)
        (docs / name).write_text(text, encoding="utf-8")
        on_disk = {p.name for p in docs.iterdir() if not p.name.endswith(".meta.json")}
        moment = MOMENTS[round_ % len(MOMENTS)]
        before = {p.name for p in index_dir.iterdir()}
        live_before = (index_dir / CURRENT).read_text(encoding="utf-8")
        process = start_ingest(docs, index_dir)
        started = time.perf_counter()
        if moment == "any time":  # anywhere in an ingest as long as the first one took to go live
            time.sleep(rng.uniform(0.05, duration * 1.1))
        else:
            wait_for(moment, process, index_dir, before, live_before, 300)
            if moment == "live switched" and duration == 0:
                duration = time.perf_counter() - started
            if moment == "copying the store":
                time.sleep(rng.uniform(0.0, 0.3))
        finished = process.poll() is not None
        if not finished:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(60)
        files = check_whole(index_dir, assistant, [committed, on_disk])
        live = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
        debris = [p for p in index_dir.iterdir() if p.is_dir() and p.name not in before and p.name != live]
        whole = sum((p / MANIFEST).exists() for p in debris)
        figures.add("kill ingest", "half-written generations left", len(debris) - whole)
        figures.add("kill ingest", "whole generations never made live", whole)
        outcome = "finished before the kill" if finished else "new index" if files == on_disk else "old index"
        outcomes[outcome] += 1
        figures.add("kill ingest", f"killed {moment}", 0 if finished else 1)
        committed = files
    # The next ingest completes the work (one more new document: it writes a generation, as the ingest
    # after a kill normally does; an ingest with nothing to write leaves earlier debris for the next one).
    name, text, _ = new_document(kills)
    (docs / name).write_text(text, encoding="utf-8")
    live_before = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    assert start_ingest(docs, index_dir).wait(300) == 0
    on_disk = {p.name for p in docs.iterdir() if not p.name.endswith(".meta.json")}
    check_whole(index_dir, assistant, [on_disk])
    for n in range(kills + 1):  # … nothing is lost: every document is found
        name, _, question = new_document(n)
        assert name in {p.chunk.source for p in assistant.ask(question).passages}, question
    generations = {p.name for p in index_dir.iterdir() if p.is_dir()}
    live = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    assert generations == {live, live_before}, generations  # … and the debris is gone
    deadline = time.monotonic() + 30
    while orphan_workers() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not orphan_workers(), "a loader worker outlived its killed ingest"

    figures.add("kill ingest", "kills", outcomes["old index"] + outcomes["new index"])
    for key, value in outcomes.items():
        figures.add("kill ingest", key, value)
    figures.add("kill ingest", "documents lost", 0)
    figures.peak("kill ingest", "seconds for an ingest to go live", round(duration, 1))


@pytest.mark.slow  # kill loops run with `make test-slow` (issue 7: long kill loops behind `slow`)
def test_killed_ingests_leave_a_whole_index(tmp_path: Path, embeddings, figures) -> None:
    kill_loop(tmp_path, embeddings, figures, kills=3, seed=7)


@pytest.mark.slow
def test_slow_many_killed_ingests(tmp_path: Path, embeddings, figures) -> None:
    kill_loop(tmp_path, embeddings, figures, kills=30, seed=11)


def test_a_generation_never_made_live_does_not_displace_the_previous(tmp_path: Path, embeddings) -> None:
    """Was: the collector kept "the newest two with a manifest" by name, so a generation whose ingest was
    killed after its manifest but before CURRENT (or one named later within the same second) was kept and
    the generation readers were still on was deleted."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(REPO / "corpus" / BASE_DOCS[0], docs / BASE_DOCS[0])
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, embeddings)
    first = read_manifest(index_dir).generation
    reader = Index.open(index_dir)  # a reader on the first generation
    orphan = index_dir / "g99991231235959-ffffff"  # complete, never live, sorts after everything
    shutil.copytree(index_dir / first, orphan)
    name, text, _ = new_document(1)
    (docs / name).write_text(text, encoding="utf-8")
    build_index([docs], index_dir, embeddings)
    second = read_manifest(index_dir).generation
    assert {p.name for p in index_dir.iterdir() if p.is_dir()} == {first, second}
    assert reader.keyword_search(["digistrategia"], 3)  # the reader's generation is still all there
    assert reader.store.count() == len(reader.chunks)

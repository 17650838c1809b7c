"""Several `ask` clients — threads sharing one Assistant, and separate processes — on one index folder
while `strategy-chat ingest` runs again and again: no client ever errs, every answer comes from one whole
generation (its chunk ids all belong to a generation that was live), and once the ingests are done every
client finds every new document.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from assistant.pipeline import Assistant
from config import Settings
from ingest.pipeline import build_index
from ingest.store import read_manifest

from . import ask_client
from .conftest import REPO, python, subprocess_env

BASE_DOCS = ("000_e5c1d4be2fd5da2b.txt", "003_93565b48878e9c26.txt")
QUESTIONS = ("Kuka vastasi digistrategian koordinoinnista?", "Mitä kunnanhallitus päätti digistrategiasta?",
             "Vem ansvarar för den digitala agendan?")


def new_document(n: int) -> tuple[str, str, str]:
    """(file name, text, a question only this document answers) — each with its own invented word."""
    word = f"Zorblax{n:03d}"
    text = (f"Pieksämäen kaupunki\nKaupunginhallitus\nPöytäkirja\n\n§ {100 + n}\n"
            f"{word}-hankkeen hyväksyminen\n\nSelostus\n"
            f"{word}-hanke rakentaa kaupungille uuden digitaalisen palvelun vuonna 2026.\n\n"
            f"Päätösehdotus\nKaupunginhallitus hyväksyy {word}-hankkeen.\n\nPäätös\nHyväksyttiin.\n")
    return f"uusi_{n:03d}.txt", text, f"Mitä kaupunginhallitus päätti {word}-hankkeesta?"


@dataclass
class Observed:
    records: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: dict) -> None:
        with self.lock:
            self.records.append(record)


def ingest(docs: Path, index_dir: Path) -> None:
    done = subprocess.run([python(), "-m", "cli", "ingest", str(docs), "--index", str(index_dir)],
                          env=subprocess_env(), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def scenario(tmp_path: Path, embeddings, figures, *, threads: int, processes: int, ingests: int,
             per_ingest: int) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in BASE_DOCS:
        shutil.copy(REPO / "corpus" / name, docs / name)
    index_dir = tmp_path / "index"
    build_index([docs], index_dir, embeddings)
    generations = {read_manifest(index_dir).generation: _ids(index_dir)}
    news = [new_document(n) for n in range(ingests * per_ingest)]
    stop_file = tmp_path / "stop"

    # clients: threads sharing one Assistant (as the app's sessions do), and processes of their own
    shared = Assistant(replace(Settings(), index_dir=index_dir, answerer="extractive"), embeddings=embeddings)
    observed = Observed()
    workers = [threading.Thread(target=ask_client.run,
                               args=(shared, QUESTIONS, stop_file.exists, observed.add))
               for _ in range(threads)]
    clients = [subprocess.Popen([python(), str(Path(ask_client.__file__)), str(index_dir), str(stop_file),
                                 *QUESTIONS, "--final", *(q for _, _, q in news)],
                                stdout=subprocess.PIPE, text=True, env=subprocess_env(), cwd=REPO)
               for _ in range(processes)]
    try:
        for client in clients:  # all clients are asking before the first ingest starts
            assert json.loads(client.stdout.readline()) == {"ready": True}
        for worker in workers:
            worker.start()
        for round_ in range(ingests):
            for name, text, _ in news[round_ * per_ingest:(round_ + 1) * per_ingest]:
                (docs / name).write_text(text, encoding="utf-8")
            ingest(docs, index_dir)
            generations[read_manifest(index_dir).generation] = _ids(index_dir)
            time.sleep(0.5)
        stop_file.touch()
        for worker in workers:
            worker.join(120)
        outputs = [client.communicate(timeout=300)[0] for client in clients]
    finally:
        stop_file.touch()
        for client in clients:
            if client.poll() is None:
                client.kill()
                client.wait()

    records = list(observed.records)
    finals: list[list[dict]] = [[observe(shared, q) for _, _, q in news]]
    for output in outputs:
        lines = [json.loads(line) for line in output.splitlines() if line.strip()]
        records += [r for r in lines if "question" in r]
        finals += [r["final"] for r in lines if "final" in r]
    assert len(finals) == 1 + processes

    errors = [r for r in records + [f for final in finals for f in final] if "error" in r]
    assert not errors, errors[:3]
    id_sets = list(generations.values())
    for record in records:  # every answer was read from one whole generation
        seen = set(record["ids"])
        assert any(seen <= ids for ids in id_sets), record
    for final in finals:  # and after the ingests, every client finds every new document
        for (name, _, question), record in zip(news, final, strict=True):
            assert name in record["sources"], (question, record["sources"])
    live = read_manifest(index_dir)
    assert {f"uusi_{n:03d}.txt" for n in range(len(news))} <= set(live.files)
    order = list(generations)  # the live one and the one before it stay, nothing else (no debris)
    assert live.generation == order[-1]
    assert {p.name for p in index_dir.iterdir() if p.is_dir()} == set(order[-2:])

    target = "concurrency"
    figures.add(target, "clients (threads)", threads)
    figures.add(target, "clients (processes)", processes)
    figures.add(target, "ingests survived", ingests)
    figures.add(target, "answers during ingests", len(records))
    figures.add(target, "generations seen", len({g for g in generations}))
    figures.add(target, "errors", len(errors))


def observe(assistant: Assistant, question: str) -> dict:
    return ask_client.observe(assistant, question)


def _ids(index_dir: Path) -> set[str]:
    return {cid for entry in read_manifest(index_dir).files.values() for cid in entry.chunk_ids}


def test_clients_ask_while_ingests_run(tmp_path: Path, embeddings, figures) -> None:
    scenario(tmp_path, embeddings, figures, threads=3, processes=2, ingests=1, per_ingest=3)


@pytest.mark.slow
def test_slow_many_clients_many_ingests(tmp_path: Path, embeddings, figures) -> None:
    scenario(tmp_path, embeddings, figures, threads=6, processes=4, ingests=8, per_ingest=2)

"""Paths as careless and hostile users give them (issue 15, items 4 and 5): `..`, dot-folders, symlinks
in and out of the tree, names too long for a sidecar, files that vanish mid-run, same-named files in two
folders. Every case either ingests or is that file's one line in the summary; the rest of the batch
ingests; nothing indexed before is lost without a line saying so. No model: a stand-in embedder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from ingest.pipeline import build_index
from ingest.store import read_manifest

from .fake_embeddings import FakeEmbeddings

pytestmark = pytest.mark.integration  # builds (small) indexes


def write(path: Path, words: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Kunnanhallitus\nPöytäkirja\n{words}\n", encoding="utf-8")
    return path


def indexed(index: Path) -> dict[str, str]:
    manifest = read_manifest(index)
    return {s: e.path for s, e in manifest.files.items()} if manifest else {}


def reasons(report) -> dict[str, str]:
    return {Path(p).name: why for p, why in report.skipped}


@pytest.fixture()
def embeddings() -> FakeEmbeddings:
    return FakeEmbeddings()


def test_dot_dot_and_dot_folders_in_the_given_path(tmp_path: Path, embeddings, monkeypatch) -> None:
    """Was: "0 documents", exit 0 — the ignore rule looked at every part of the path as given."""
    write(tmp_path / "good" / "a.txt", "Ensimmäinen asiakirja.")
    write(tmp_path / ".cache" / "minutes" / "b.txt", "Toinen asiakirja.")
    write(tmp_path / ".cache" / "minutes" / ".hidden" / "c.txt", "Piilotettu: ei mukaan.")  # below the root
    write(tmp_path / ".cache" / "minutes" / ".d.txt", "Piilotiedosto: ei mukaan.")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    report = build_index([Path("../good"), tmp_path / ".cache" / "minutes"], tmp_path / "index", embeddings)
    assert sorted(report.parsed) == ["a.txt", "b.txt"], report.summary()
    assert not report.skipped


def test_symlinks_out_of_the_roots_are_not_followed(tmp_path: Path, embeddings) -> None:
    """Was: a file symlink to /etc/passwd was indexed and shown as a passage."""
    outside = write(tmp_path / "outside" / "secret.txt", "Salasana on kissa123.")
    write(tmp_path / "outside" / "sub" / "more.txt", "Lisää salaisuuksia.")
    docs = tmp_path / "docs"
    write(docs / "a.txt", "Julkinen asiakirja.")
    os.symlink(outside, docs / "link-out.txt")
    os.symlink(tmp_path / "outside" / "sub", docs / "dir-out")
    os.symlink(docs / "a.txt", docs / "link-in.txt")  # to a file ingested anyway: once, quietly
    os.symlink(docs / "missing.txt", docs / "broken.txt")
    if Path("/etc/passwd").exists():
        os.symlink("/etc/passwd", docs / "passwd.txt")
    report = build_index([docs], tmp_path / "index", embeddings)
    assert report.parsed == ["a.txt"], report.summary()
    why = reasons(report)
    assert "outside the folders given — not followed" in why["link-out.txt"]
    assert "outside the folders given — not followed" in why["dir-out"]
    assert "broken symlink" in why["broken.txt"]
    assert "link-in.txt" not in why
    if Path("/etc/passwd").exists():
        assert "not followed" in why["passwd.txt"]
    assert "not followed" in report.summary()
    # A symlink given on the command line is the user's choice: followed.
    report = build_index([docs / "link-out.txt"], tmp_path / "index2", embeddings)
    assert report.parsed == ["link-out.txt"]


def test_long_names_vanishing_files_and_list_sidecars_cost_one_file(tmp_path: Path, embeddings,
                                                                    monkeypatch) -> None:
    """Was: each aborted the batch (exit 2, no index) from outside build_index's per-file handling."""
    docs = tmp_path / "docs"
    long = "p" * 246 + ".txt"  # fits (250 bytes); its sidecar's name (260 bytes) cannot exist
    write(docs / long, "Pitkä nimi.")
    write(docs / "list.txt", "Sivuvaunu on lista.")
    (docs / "list.txt.meta.json").write_text('["internal"]', encoding="utf-8")
    write(docs / "vanishing.txt", "Katoava tiedosto.")
    write(docs / "z.txt", "Viimeinen asiakirja.")
    discover = pipeline._discover

    def discover_then_delete(paths):  # a file removed between discovery and hashing
        found, skipped = discover(paths)
        (docs / "vanishing.txt").unlink()
        return found, skipped

    monkeypatch.setattr(pipeline, "_discover", discover_then_delete)
    report = build_index([docs], tmp_path / "index", embeddings)
    assert sorted(report.parsed) == sorted([long, "list.txt", "z.txt"]), report.summary()
    assert "disappeared" in reasons(report)["vanishing.txt"]
    assert read_manifest(tmp_path / "index").files["list.txt"].visibility == "internal"
    assert all("\n" not in line for line in report.summary().splitlines())


def test_a_name_too_long_for_the_file_system_is_one_line(tmp_path: Path, embeddings, monkeypatch) -> None:
    docs = tmp_path / "docs"
    write(docs / "ok.txt", "Hyvä asiakirja.")
    discover = pipeline._discover

    def with_a_long_one(paths):
        found, skipped = discover(paths)
        return [*found, pipeline.Found(docs / ("q" * 300 + ".txt"), docs)], skipped

    monkeypatch.setattr(pipeline, "_discover", with_a_long_one)
    report = build_index([docs], tmp_path / "index", embeddings)
    assert report.parsed == ["ok.txt"]
    assert "too long" in reasons(report)["q" * 300 + ".txt"]


def test_a_same_named_file_never_silently_replaces_a_document(tmp_path: Path, embeddings) -> None:
    """Was: `ingest b/` replaced a/x.txt's document with b/x.txt's ("0 removed")."""
    index = tmp_path / "index"
    first = write(tmp_path / "a" / "poytakirja.txt", "Kaustisen kunnanhallitus.")
    write(tmp_path / "b" / "poytakirja.txt", "Kuopion kaupunginhallitus.")
    build_index([tmp_path / "a"], index, embeddings)
    report = build_index([tmp_path / "b"], index, embeddings)
    assert not report.parsed and "already indexed from" in reasons(report)["poytakirja.txt"]
    assert indexed(index) == {"poytakirja.txt": str(first.resolve())}  # a's is kept
    # Both in one run: the first found is indexed, the other is its line.
    report = build_index([tmp_path / "a", tmp_path / "b"], tmp_path / "index2", embeddings)
    assert report.parsed == ["poytakirja.txt"] and "same file name" in reasons(report)["poytakirja.txt"]
    # a's file gone: b's replaces it, and the summary says so.
    first.unlink()
    report = build_index([tmp_path / "b"], index, embeddings)
    assert report.parsed == ["poytakirja.txt"]
    assert any("replaces the indexed poytakirja.txt" in why for _, why in report.notes)
    assert indexed(index)["poytakirja.txt"].endswith(str(Path("b") / "poytakirja.txt"))


def test_names_with_newlines_and_bidi_overrides_print_on_one_line(tmp_path: Path, embeddings) -> None:
    docs = tmp_path / "docs"
    write(docs / "evil\nname\u202etxt.md", "Outo nimi.")
    (docs / "broken\u202e.txt").write_bytes(b"")  # skipped (empty): its line must not be reordered either
    report = build_index([docs], tmp_path / "index", embeddings)
    lines = report.summary().splitlines()
    assert len(lines) == 2 and all("\u202e" not in line for line in lines), lines
    assert any("broken\\u202e.txt" in line for line in lines)


def test_the_parents_per_file_work_is_bounded(tmp_path: Path, embeddings, monkeypatch) -> None:
    """Parse and chunk run in the ingest's own process, outside the loader's worker: too much text, or a
    document that takes longer than the loader's time limit, is that file's line, not a hang."""
    from ingest.load.isolation import IsolationSettings

    docs = tmp_path / "docs"
    write(docs / "small.txt", "Pieni asiakirja.")
    write(docs / "big.txt", "Iso asiakirja. " * 2000)
    monkeypatch.setattr(pipeline, "MAX_TEXT_CHARS", 10_000)
    report = build_index([docs], tmp_path / "index", embeddings)
    assert report.parsed == ["small.txt"] and "too much text" in reasons(report)["big.txt"]
    monkeypatch.setattr(pipeline, "MAX_TEXT_CHARS", 40_000_000)
    report = build_index([docs], tmp_path / "index2", embeddings, isolation=IsolationSettings(timeout_s=0.0))
    assert not report.parsed and "took" in reasons(report)["big.txt"], report.summary()

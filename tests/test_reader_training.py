"""Integration: a tiny reader trained from the shipped e5 weights learns its examples and refuses an
unanswerable one; the delta it saves loads back over the base and reads the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.reader_train import span_right
from reader.calibration import Platt
from reader.model import Manifest, ReaderConfig, base_sha256, load, load_base, save
from reader.read import Reader
from reader.training import TrainItem, TrainOptions, train

pytestmark = pytest.mark.integration

TEXT = ("Kaupunginhallitus päätti hyväksyä uuden hankintaohjeen. Asian valmisteli hankintapäällikkö "
        "Maija Mäkinen. Ohje tulee voimaan 1.9.2025. Kustannusarvio on 48 000 euroa.")
HEADER = "§ 58 Hankintaohje"


def _span(answer: str) -> tuple[int, int]:
    at = TEXT.index(answer)
    return at, at + len(answer)


ITEMS = [
    TrainItem("Kuka valmisteli hankintaohjeen?", HEADER, TEXT, _span("Maija Mäkinen")),
    TrainItem("Who prepared the procurement guideline?", HEADER, TEXT, _span("Maija Mäkinen")),
    TrainItem("Milloin ohje tulee voimaan?", HEADER, TEXT, _span("1.9.2025")),
    TrainItem("När träder anvisningen i kraft?", HEADER, TEXT, _span("1.9.2025")),
    TrainItem("Paljonko ohje maksaa?", HEADER, TEXT, _span("48 000 euroa")),
    TrainItem("Kuka äänesti ehdotusta vastaan?", HEADER, TEXT, None),
    TrainItem("Vem reserverade sig mot beslutet?", HEADER, TEXT, None),
]


@pytest.fixture(scope="module")
def base_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ingest.embed.e5convert import convert_bundled_e5

    return convert_bundled_e5(tmp_path_factory.mktemp("models") / "e5")


@pytest.fixture(scope="module")
def trained(base_folder: Path):
    model, tokenizer = load_base(base_folder)
    config = ReaderConfig(max_length=80, stride=24, trainable_layers=2)
    # 7 items x 16 = 112 windows of ~70 tokens, batch 8, 8 epochs: 112 steps at lr 5e-4, the span head
    # (random at the start) at 5e-3; about a minute on 2 quiet cores
    report = train(model, tokenizer, ITEMS * 16, config,
                   TrainOptions(epochs=8, batch_size=8, lr=5e-4, warmup=0.1, head_lr_scale=10.0))
    return model, tokenizer, config, report


def test_the_tiny_reader_learns_its_examples_and_refuses_the_unanswerable(trained):
    model, tokenizer, config, report = trained
    assert report["steps"] == 112 and report["final_loss"] < 1.0
    reader = Reader(model, tokenizer, config, Platt(), 0.5, bf16=False)
    for item in ITEMS:
        reading = reader.read(item.question, [(item.header, item.text)])
        if item.answer is None:
            assert not reading.answers, (item.question, reading.best)
        else:
            assert reading.answers and reading.best is not None
            # right as the dev figures count it (evaluation.reader_train.span_right): the span holds the
            # answer and is not much longer; a tiny model's exact borders move with the machine's numerics
            # (a fresh virtualenv's run gave "1.9.2025. Kustannusarvio on 48 000 euroa" for "48 000 euroa")
            assert span_right(reading.best.text, TEXT[item.answer[0]:item.answer[1]]), (item.question,
                                                                                       reading.best.text)


def test_the_saved_delta_is_small_and_loads_back_over_the_base(trained, base_folder: Path, tmp_path: Path):
    model, tokenizer, config, _ = trained
    manifest = Manifest(name="tiny", base_sha256=base_sha256(base_folder), data_sha256="x", config=config)
    delta = save(model, manifest, tmp_path)
    # 2 layers of 1.77M parameters in fp16 ≈ 7 MB (no 250k x 384 word-embedding matrix: 96M parameters)
    assert delta.stat().st_size < 8e6
    again, tok, read_back = load(base_folder, "tiny", tmp_path)
    assert read_back.base_sha256 == manifest.base_sha256
    reader = Reader(again, tok, config, Platt(), 0.5, bf16=False)
    reading = reader.read(ITEMS[0].question, [(HEADER, TEXT)])
    assert reading.best is not None and reading.best.text == "Maija Mäkinen"


def test_a_delta_made_over_other_base_weights_is_refused(trained, base_folder: Path, tmp_path: Path):
    model, _, config, _ = trained
    save(model, Manifest(name="other", base_sha256="0" * 64, data_sha256="x", config=config), tmp_path)
    with pytest.raises(ValueError, match="retrain"):
        load(base_folder, "other", tmp_path)


def test_the_train_reader_command_runs_end_to_end_on_a_tiny_set(base_folder: Path, tmp_path: Path):
    """`strategy-chat train-reader`'s recipe on the CPU: examples read from their documents (here the
    written training documents in the repository), trained, calibrated on "dev", saved with a manifest."""
    import json
    from dataclasses import replace

    from evaluation.reader_data import load_examples, write_examples
    from evaluation.reader_train import ReaderTrainPlan, train_reader_command

    written = [e for e in load_examples() if e.split == "train" and not e.real][:24]
    examples = [replace(e, split="dev") if i % 4 == 0 else e for i, e in enumerate(written)]
    path = tmp_path / "examples.jsonl"
    write_examples(examples, path)
    plan = ReaderTrainPlan(examples=path, out_dir=tmp_path / "models", name="tiny", epochs=1.0,
                           config=ReaderConfig(max_length=128, stride=32, trainable_layers=1))
    manifest = train_reader_command(base_folder, plan)
    assert manifest["training"]["train_examples"] == 18 and manifest["training"]["steps"] >= 1
    stored = json.loads((tmp_path / "models" / "tiny.json").read_text(encoding="utf-8"))
    assert stored["base_sha256"] == base_sha256(base_folder) and len(stored["data_sha256"]) == 64
    assert stored["metrics"]["dev_passage_reading"]["all"]["questions"] == 6
    assert (tmp_path / "models" / "tiny.safetensors").stat().st_size < 4e6  # one layer + head in fp16
    # a second epoch goes on from the saved reader (`--init tiny`), as make train-reader does for v2
    again = train_reader_command(base_folder, replace(plan, name="tiny-2", init="tiny", lr=5e-5))
    assert again["training"]["init"] == "tiny"
    assert again["training"]["init_training"]["steps"] == manifest["training"]["steps"]
    with pytest.raises(ValueError, match="trained with"):  # its layers fit only the settings it had
        train_reader_command(base_folder, replace(plan, name="tiny-3", init="tiny",
                                                  config=ReaderConfig(max_length=128, stride=32,
                                                                      trainable_layers=2)))

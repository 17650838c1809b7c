"""The evaluation runner, report, thresholds, feedback candidates and CLI, with a fake `ask`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.records import Answer, Citation, Passage
from config import Settings
from evaluation import cli, run
from evaluation.feedback import feedback_to_candidates, guess_language, read_feedback, write_candidates
from evaluation.goldset import GoldSetError, load_goldset
from evaluation.report import markdown, print_tables, write_json, write_report
from evaluation.run import CONFIGS, run_eval
from evaluation.thresholds import THRESHOLDS_PATH, check_thresholds, load_thresholds
from ingest.records import Chunk

SRC = "kh.txt"
GOLD = [
    {"id": "q1", "question": "Mitä kunnanhallitus päätti?", "language": "fi", "type": "decision",
     "answerable": True, "reference_answer": "Hyväksyttiin.", "key_facts": [["hyväksyttiin", "approved"]],
     "expected_sources": [{"source": SRC, "section": "Päätös"}]},
    {"id": "q2", "question": "Who owns phase two?", "language": "en", "type": "owner", "answerable": True,
     "reference_answer": "The CIO.", "key_facts": [["tietohallintojohtaja", "CIO"]],
     "expected_sources": [{"source": SRC, "section": "Selostus"}]},
    {"id": "q3", "question": "Vad kostar programmet?", "language": "sv", "type": "unanswerable",
     "answerable": False, "reference_answer": "", "key_facts": [], "expected_sources": []},
]


def _chunk(section: str, text: str) -> Chunk:
    return Chunk(id=f"{SRC}::{section}", text=text, source=SRC, document_title="KH", chunk_index=0,
                 content_hash="x", section=f"§ 27 › {section}", section_kind="text", language="fi",
                 doc_type="minutes")


def fake_factory(calls: list) -> run.AskFactory:
    """One fake assistant per config: `system` answers well, `naive` quotes the proposal, others abstain."""

    def factory(settings: Settings) -> run.AskFn:
        calls.append((settings.retrieval_mode, settings.answerer))

        def ask(question: str, filters: dict | None = None) -> Answer | dict:
            decision, proposal = _chunk("Päätös", "Hyväksyttiin."), _chunk("Päätösehdotus", "esittää")
            if question.startswith("Vad"):
                return {"question": question, "answer": "Dokumenten svarar inte.", "abstained": True,
                        "citations": [], "passages": [], "timings_ms": {}}
            if settings.answerer == "naive":
                return Answer(question, "esittää valtuuston hyväksyttäväksi", False,
                              (Citation(1, proposal, "esittää"),), (Passage(proposal, 0.9),))
            if settings.retrieval_mode != "hybrid":
                raise RuntimeError("index offline")
            if question.startswith("Who"):
                owner = _chunk("Selostus", "tietohallintojohtaja")
                return Answer(question, "The CIO (tietohallintojohtaja).", False,
                              (Citation(1, owner, "tietohallintojohtaja"),),
                              (Passage(proposal, 0.5), Passage(owner, 0.4)))
            return Answer(question, "Hyväksyttiin.", False, (Citation(1, decision, "Hyväksyttiin."),),
                          (Passage(decision, 0.9), Passage(proposal, 0.8)))

        return ask

    return factory


@pytest.fixture
def goldset(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in GOLD), encoding="utf-8")
    return path


@pytest.fixture
def result(goldset: Path):
    calls: list = []
    res = run_eval(goldset, Settings(), ["system", "dense", "naive"], ask_factory=fake_factory(calls))
    # one per config
    assert calls == [("hybrid", "scorer+reader"), ("dense", "extractive"), ("hybrid", "naive")]
    return res


def test_run_eval_scores_each_config(result) -> None:
    system = result.figures("system")
    # q1 right (decision cited at rank 1), q2 right (owner at rank 2 → MRR 1/2), q3 abstained → 3/3
    assert system["answer_accuracy"] == 1.0 and system["abstention_recall"] == 1.0
    assert system["mrr"] == pytest.approx((1 + 1 / 2) / 2)
    naive = result.figures("naive")
    # the proposal is not the decision: no key fact, citation matches no expected section
    assert naive["key_fact_accuracy"] == 0.0 and naive["citation_precision"] == 0.0
    assert naive["answer_accuracy"] == pytest.approx(1 / 3)
    dense = result.configs["dense"]
    assert [r["error"] is not None for r in dense.records] == [True, True, False]  # recorded, not fatal
    assert result.figures("dense")["errors"] == 2
    assert result.figures("system", "language:en")["n"] == 1
    assert result.figures("system", "type:unanswerable")["unanswerable_accuracy"] == 1.0
    json.dumps(result.to_json())  # serialisable as is


def test_configs_are_validated(goldset: Path) -> None:
    with pytest.raises(ValueError, match="unknown configuration"):
        run_eval(goldset, Settings(), ["system", "gpt9"], ask_factory=fake_factory([]))
    with pytest.raises(ValueError, match="unknown Settings fields"):
        run_eval(goldset, Settings(), {"odd": {"no_such_knob": 1}}, ask_factory=fake_factory([]))
    assert set(CONFIGS) == {"system", "scorer", "reader", "reader-all", "dense", "bm25", "naive"}
    assert CONFIGS["bm25"]["retrieval_mode"] == "keyword" and CONFIGS["naive"]["answerer"] == "naive"
    # the shipped step beside the old scorer alone and the reader alone
    assert (CONFIGS["system"]["answerer"], CONFIGS["scorer"]["answerer"]) == ("scorer+reader", "extractive")
    assert CONFIGS["reader"]["answerer"] == "reader"


def test_goldset_validation_names_the_line(tmp_path: Path) -> None:
    bad = dict(GOLD[2], key_facts=[["x"]])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n" + json.dumps(bad) + "\nnot json\n", encoding="utf-8")
    with pytest.raises(GoldSetError) as err:
        load_goldset(path)
    assert "bad.jsonl:2" in str(err.value) and "bad.jsonl:3" in str(err.value)


def test_report_files(result, tmp_path: Path, capsys) -> None:
    print_tables(result)
    out = capsys.readouterr().out
    assert "naive (Δ)" in out and "language:fi" in out and "key_fact_accuracy" in out
    report = write_report(result, tmp_path / "out")
    text = report.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "chart.png").stat().st_size > 1000
    assert "## Failed questions: `naive`" in text and "q1" in text and "chart.png" in text
    assert "#### " not in markdown(result).split("## Failed questions: `system`")[1].split("## Failed")[0]
    data = json.loads(write_json(result, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["configs"]["system"]["figures"]["by_language"]["sv"]["n"] == 1


def test_check_thresholds(result) -> None:
    # The real gates name only known scopes and figures (whether this fake result meets them is moot).
    real = check_thresholds(result, load_thresholds(THRESHOLDS_PATH))
    assert not [line for line in real if "unknown" in line], real
    failures = check_thresholds(result, {
        "system": {"overall": {"min": {"answer_accuracy": 0.9}, "max": {"latency_p95_ms": 1e9}}},
        "naive": {"overall": {"min": {"answer_accuracy": 0.5}}, "language:fi": {"min": {"recall@5": None}}},
        "bm25": {"overall": {"min": {"answer_accuracy": 0.5}}},  # not run: skipped
    })
    assert len(failures) == 1 and failures[0].startswith("naive overall: answer_accuracy = 0.333")
    assert check_thresholds(result, {"system": {"language:de": {"min": {"mrr": 0.1}}}})  # not measured


FEEDBACK = [
    {"time": "t1", "question": "Vem ansvarar för fas två?", "answer": "IT-direktören [1]", "abstained": False,
     "citations": [{"n": 1, "source": SRC, "section": "§ 27 › Selostus", "page": 3,
                    "body": "Kunnanhallitus"}],
     "filters": {}, "rating": "up", "comment": None},
    {"time": "t2", "question": "vem ansvarar för fas två", "answer": "fel", "abstained": False,
     "citations": [], "filters": {}, "rating": "down", "comment": "wrong"},
    {"time": "t3", "question": "Mikä on budjetti?", "answer": "Asiakirjat eivät kerro.", "abstained": True,
     "citations": [], "filters": {"municipality": "Kuopio"}, "rating": "down", "comment": "se on liitteessä"},
]


def test_feedback_candidates(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    path.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in FEEDBACK) + "\n{broken\n", "utf-8")
    entries = read_feedback(path)
    assert len(entries) == 3
    cands = feedback_to_candidates(entries)
    assert len(cands) == 2  # the same question twice → one candidate, the thumbs-up kept
    up, down = cands
    assert up["needs_review"] and up["reference_answer"] == "IT-direktören [1]" and up["language"] == "sv"
    assert up["expected_sources"] == [{"source": SRC, "section": "§ 27 › Selostus", "page": 3,
                                       "body": "Kunnanhallitus"}]
    assert up["answerable"] is True and up["type"] == "owner"
    assert down["reference_answer"] == "" and down["expected_sources"] == [] and down["language"] == "fi"
    assert down["answerable"] is True and down["filters"] == {"municipality": "Kuopio"}  # abstained wrongly
    out = tmp_path / "cand.jsonl"
    assert write_candidates(path, out)[0] == 2
    with pytest.raises(GoldSetError, match="needs_review"):
        load_goldset(out)  # a candidate is not scored before review
    assert guess_language("What did the board decide?") == "en"


def test_cli_eval_and_candidates(goldset: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    calls: list = []
    monkeypatch.setattr(run, "AssistantFactory", lambda: fake_factory(calls))  # what the CLI builds
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"system": {"overall": {"min": {"answer_accuracy": 0.99}}}}), "utf-8")
    code = cli.main(["eval", str(goldset), "--configs", "system,naive", "--index", str(tmp_path / "idx"),
                     "--json", str(tmp_path / "r.json"), "--out", str(tmp_path / "out"),
                     "--thresholds", str(thresholds)])
    assert code == 0 and len(calls) == 2
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "r.json").exists()
    assert json.loads((tmp_path / "r.json").read_text())["settings"]["index_dir"] == str(tmp_path / "idx")
    thresholds.write_text(json.dumps({"naive": {"overall": {"min": {"answer_accuracy": 0.99}}}}), "utf-8")
    assert cli.main(["eval", str(goldset), "--configs", "naive", "--no-report", "--thresholds",
                     str(thresholds)]) == 1
    assert cli.main(["eval", str(goldset), "--configs", "nope"]) == 2
    # thresholds.json gates the test split only: a single gold set is held to gates given with --thresholds
    assert cli.main(["eval", str(goldset), "--configs", "system", "--no-report"]) == 0
    # the lead's `strategy-chat eval …` calls main(["run", …])
    assert cli.main(["run", str(goldset), "--configs", "system", "--no-report", "--no-thresholds"]) == 0
    fb = tmp_path / "fb.jsonl"
    fb.write_text(json.dumps(FEEDBACK[0], ensure_ascii=False) + "\n", "utf-8")
    capsys.readouterr()
    assert cli.main(["eval-candidates", str(fb)]) == 0
    assert json.loads(capsys.readouterr().out)["needs_review"] is True
    assert cli.main(["eval-candidates", str(fb), "-o", str(tmp_path / "c.jsonl")]) == 0
    assert (tmp_path / "c.jsonl").exists()


def test_assistant_factory_shares_the_embedding_model(monkeypatch) -> None:
    import assistant.pipeline as api
    built: list = []

    class FakeAssistant:
        def __init__(self, settings: Settings, embeddings=None) -> None:
            self.embeddings = embeddings or object()  # a fresh "model" only when none is passed
            built.append(self.embeddings)

        def has_index(self) -> bool:
            return True

        def warm_up(self) -> None:
            pass

        def ask(self, question: str, filters=None) -> dict:
            return {"answer": "", "abstained": True, "citations": [], "passages": []}

    monkeypatch.setattr(api, "Assistant", FakeAssistant)
    factory = run.AssistantFactory()
    for overrides in CONFIGS.values():
        factory(Settings(**overrides))("q")
    assert len(built) == len(CONFIGS) and len({id(e) for e in built}) == 1


# --- dev and test splits side by side (fake ask, no index) -----------------------------------------

def _sq(qid: str, group: str, lang: str, source: str | None, question: str, **extra) -> dict:
    answerable = source is not None
    return {"id": qid, "group": group, "question": question, "language": lang,
            "type": "decision" if answerable else "unanswerable", "answerable": answerable,
            "reference_answer": "Hyväksyttiin." if answerable else "",
            "key_facts": [["hyväksyttiin"]] if answerable else [],
            "expected_sources": [{"source": source, "section": "Päätös"}] if answerable else []} | extra


class _Confident:
    """An answer object with a `confidence` attribute that its to_json() leaves out."""

    def __init__(self, data: dict, confidence: float) -> None:
        self._data, self.confidence = data, confidence

    def to_json(self) -> dict:
        return self._data


def split_factory(calls: list) -> run.AskFactory:
    """'good …' questions are answered right from the index's document, 'bad …' wrongly, others abstain.
    The document cited is the one the question names, so the test reads like a real split."""

    def factory(settings: Settings) -> run.AskFn:
        calls.append(settings.index_dir.name)

        def ask(question: str, filters: dict | None = None):
            kind, _, source = question.partition(" ")
            cited = [{"n": 1, "source": source, "section": "§ 3 › Päätös", "page": None}]
            if kind == "good":
                return _Confident({"answer": "Hyväksyttiin.", "abstained": False, "citations": cited,
                                   "passages": cited}, 0.8)
            if kind == "bad":
                return {"answer": "Pöydättiin.", "abstained": False, "citations": cited, "passages": cited,
                        "confidence": 0.4}
            return {"answer": "", "abstained": True, "citations": [], "passages": [], "confidence": 0.1}

        return ask

    return factory


@pytest.fixture
def split_setup(tmp_path: Path) -> dict:
    """dev: dev.txt (+ a listed real PDF that is missing); test: test.txt. Gold sets in both."""
    for split in ("dev", "test"):
        (tmp_path / "docs" / split).mkdir(parents=True)
        (tmp_path / "docs" / split / f"{split}.txt").write_text("§ 3\nPäätös\nHyväksyttiin.\n", "utf-8")
    split_file = tmp_path / "split.json"
    split_file.write_text(json.dumps({
        "dev": {"documents": [str(tmp_path / "docs" / "dev"), str(tmp_path / "real" / "nykarleby.pdf")]},
        "test": {"documents": [str(tmp_path / "docs" / "test")]},
    }), "utf-8")
    gold = tmp_path / "goldsets"
    (gold / "dev").mkdir(parents=True)
    (gold / "test").mkdir()
    # dev: group g1 all right in fi/sv/en; g2 right in fi, wrong in en; a near miss abstained
    dev = [_sq("d1", "g1", "fi", "dev.txt", "good dev.txt"), _sq("d2", "g1", "sv", "dev.txt", "good dev.txt"),
           _sq("d3", "g1", "en", "dev.txt", "good dev.txt"), _sq("d4", "g2", "fi", "dev.txt", "good dev.txt"),
           _sq("d5", "g2", "en", "dev.txt", "bad dev.txt"), _sq("d6", "gu", "en", None, "none")]
    real = [_sq("r1", "gr", "sv", "nykarleby.pdf", "good nykarleby.pdf"), _sq("r2", "gru", "sv", None, "x")]
    # test: g3 wrong in both languages, g4 right; an unanswerable one answered (wrong)
    test = [_sq("t1", "g3", "fi", "test.txt", "bad test.txt"),
            _sq("t2", "g3", "en", "test.txt", "bad test.txt"),
            _sq("t3", "g4", "sv", "test.txt", "good test.txt"), _sq("t4", "gv", "fi", None, "bad test.txt")]
    for folder, name, questions in ((gold / "dev", "new.jsonl", dev), (gold / "dev", "real.jsonl", real),
                                    (gold / "test", "new.jsonl", test)):
        (folder / name).write_text("".join(json.dumps(q) + "\n" for q in questions), "utf-8")
    return {"split_path": split_file, "goldset_dir": gold,
            "index_dirs": {"dev": tmp_path / "idx-dev", "test": tmp_path / "idx-test"}}


def test_run_splits_side_by_side(split_setup: dict, tmp_path: Path) -> None:
    from evaluation.report import side_rows, splits_markdown, write_splits_report
    from evaluation.split_runs import run_splits

    calls: list = []
    notes: list[str] = []
    res = run_splits(["dev", "test"], Settings(), ["system", "naive"], ingest=False,
                     ask_factory=split_factory(calls), notify=notes.append, **split_setup)
    assert calls == ["idx-dev", "idx-dev", "idx-test", "idx-test"]  # each split on its own index
    dev, test = res.runs["dev"], res.runs["test"]
    assert dev.partial and not test.partial and any("PARTIAL" in n for n in notes)
    assert dict(dev.goldset.skipped).keys() == {"r1", "r2"}  # real.jsonl over the missing PDF
    d, t = res.figures("dev", "system"), res.figures("test", "system")
    # dev: 4 of 5 answerable right (d5 wrong), d6 abstained → answer accuracy 5/6; groups g1, gu right,
    # g2 not → consistency 2/3. test: t3 right, t1, t2 wrong, t4 answered → 1/4; g4 only → 1/3
    assert d["answer_accuracy"] == pytest.approx(5 / 6)
    assert d["paraphrase_consistency"] == pytest.approx(2 / 3)
    assert t["answer_accuracy"] == 0.25 and t["paraphrase_consistency"] == pytest.approx(1 / 3)
    assert t["abstention_recall"] == 0.0 and t["abstention_precision"] is None  # nothing abstained
    gap = res.to_json()["gap"]["system"]
    assert gap["overall"]["answer_accuracy"] == pytest.approx(0.25 - 5 / 6)
    assert "language:sv" in gap and "type:unanswerable" in gap
    rows = {r[0]: r for r in side_rows(res, "system", "overall")}
    assert rows["answer_accuracy"][1:] == ["0.833", "0.250", "-0.583"]
    assert rows["n"][1:3] == ["6", "4"] and rows["abstention_precision"][2] == "–"
    # the confidence (an attribute or a JSON key) gives the curve: at t=0.5 'bad' answers (0.4) abstain too
    curve = {p["threshold"]: p for p in res.runs["test"].result.configs["system"].curves["overall"]}
    assert curve[0.0]["abstention_recall"] == 0.0 and curve[0.5]["abstention_recall"] == 1.0
    # t=0.5: t1, t2 now abstain (still wrong: answerable), t3 right (0.8), t4 abstains (right) → 2/4
    assert curve[0.5]["answer_accuracy"] == 0.5 and curve[0.5]["answered"] == 0.25
    text = splits_markdown(res)
    assert "dev PARTIAL" in text and "gap (test − dev)" in text and "Abstention over the answer" in text
    test_part = text.split("# Split `test`")[1]
    assert "#### t1" not in test_part and "t1" in test_part  # test failures: ids only
    assert "#### d5" in text.split("# Split `test`")[0]  # dev failures in full
    report = write_splits_report(res, tmp_path / "out")
    assert (tmp_path / "out" / "chart.png").exists() and (tmp_path / "out" / "curves.png").exists()
    data = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert data["splits"]["dev"]["partial"] and data["splits"]["test"]["result"]["configs"]["naive"]
    assert report.name == "report.md"


def test_cli_split_mode_and_test_thresholds(split_setup: dict, tmp_path: Path, monkeypatch, capsys) -> None:
    calls: list = []
    monkeypatch.setattr(run, "AssistantFactory", lambda: split_factory(calls))
    monkeypatch.setattr("evaluation.split_runs.AssistantFactory", run.AssistantFactory)
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"test": {"system": {"overall": {"min": {"answer_accuracy": 0.2}}}},
                                      "dev": {"system": {"overall": {"min": {"answer_accuracy": 0.99}}}}}))
    base = ["eval", "--no-ingest", "--configs", "system", "--split-file", str(split_setup["split_path"]),
            "--goldset-dir", str(split_setup["goldset_dir"]), "--index-prefix", str(tmp_path / "idx"),
            "--thresholds", str(thresholds)]
    # the dev gate is never checked (dev is tuned on); test's answer accuracy 0.25 ≥ 0.2 → 0
    assert cli.main(base + ["--out", str(tmp_path / "out"), "--json", str(tmp_path / "r.json")]) == 0
    assert calls == ["idx-dev", "idx-test"]
    out = capsys.readouterr()
    assert "gap (test − dev)" in out.out and "PARTIAL" in out.err
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["splits"]["test"]["index_dir"] == str(tmp_path / "idx-test")
    thresholds.write_text(json.dumps({"test": {"system": {"overall": {"min": {"answer_accuracy": 0.3}}}}}))
    assert cli.main(base + ["--no-report", "--split", "test"]) == 1
    assert "threshold missed (test split)" in capsys.readouterr().err
    assert cli.main(base + ["--no-report", "--split", "dev"]) == 0  # no test run, no gate
    assert cli.main(base + ["--no-report", "--index", str(tmp_path)]) == 2  # --index is for one gold set
    # the committed gate names known figures with shares in (0, 1]: set from a measured run, not left at 0
    from evaluation.metrics import FIGURES

    committed = load_thresholds(THRESHOLDS_PATH, split="test")
    gated = {name: value for scope in committed["system"].values() for name, value in scope["min"].items()}
    assert gated and set(gated) <= set(FIGURES)
    assert all(0.0 < value <= 1.0 for value in gated.values()), gated

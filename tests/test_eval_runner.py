"""The evaluation runner, report, thresholds, feedback candidates and CLI, with a fake `ask`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records import Answer, Citation, Passage
from evaluation import cli, run
from evaluation.feedback import feedback_to_candidates, guess_language, read_feedback, write_candidates
from evaluation.goldset import GoldSetError, load_goldset
from evaluation.report import markdown, print_tables, write_json, write_report
from evaluation.run import CONFIGS, run_eval
from evaluation.thresholds import THRESHOLDS_PATH, check_thresholds, default_thresholds, load_thresholds
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
    assert calls == [("hybrid", "extractive"), ("dense", "extractive"), ("hybrid", "naive")]  # one per config
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
    assert set(CONFIGS) == {"system", "dense", "bm25", "naive"}
    assert CONFIGS["bm25"]["retrieval_mode"] == "keyword" and CONFIGS["naive"]["answerer"] == "naive"


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
    # thresholds.json gates the corpus gold set only: this one misses its MRR gate but is not held to it
    assert cli.main(["eval", str(goldset), "--configs", "system", "--no-report"]) == 0
    assert default_thresholds("corpus") == THRESHOLDS_PATH and default_thresholds(goldset) is None
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
    import assistant.api as api

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
    assert len(built) == 4 and len({id(e) for e in built}) == 1

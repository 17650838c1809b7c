"""Metrics on small hand-computed cases; the arithmetic is in the comments."""

from __future__ import annotations

import math

import pytest

from evaluation.matching import (
    fact_present,
    key_fact_scores,
    normalize,
    section_matches,
    source_matches,
)
from evaluation.metrics import (
    abstention_curve,
    abstention_scores,
    aggregate,
    breakdown,
    citation_scores,
    curves,
    first_ranks,
    paraphrase_consistency,
    percentile,
    retrieval_scores,
    score_question,
)

A, B = "a.txt", "b.txt"


# --- key facts -------------------------------------------------------------------------------------


def test_normalize_drops_case_punctuation_and_extra_space() -> None:
    assert normalize("  Päätös:\n HYVÄKSYTTIIN!  ") == "päätös hyväksyttiin"
    assert normalize("Kuopion_kaupungin-digitiekartta") == "kuopion kaupungin digitiekartta"


@pytest.mark.parametrize("alt", ["17.02.2025", "17.2.2025", "2025-02-17"])
@pytest.mark.parametrize("answer", ["Päätös tehtiin 17.02.2025.", "KHALL 17.2.2025 § 27", "on 2025-02-17"])
def test_date_alternatives_match_each_other(alt: str, answer: str) -> None:
    assert fact_present(alt, answer)


def test_whole_words_unless_stem() -> None:
    assert fact_present("tiedoksi", "Kaupunginhallitus merkitsee asian tiedoksi.")
    assert not fact_present("valtuusto", "valtuuston hyväksyttäväksi")  # whole word only
    assert fact_present("valtuusto*", "valtuuston hyväksyttäväksi")  # stem: inflected forms
    assert not fact_present("hyväksyttiin", "esittää valtuuston hyväksyttäväksi")  # proposal wording
    assert not fact_present("21", "vuonna 2021")
    assert fact_present("050 482 1411", "tfn 050-482 1411")


def test_key_fact_groups_all_or_nothing_and_fraction() -> None:
    groups = [["tiedoksi", "noted"], ["yksimielisesti", "unanimously"], ["Torvinen"]]
    # 2 of 3 groups present → accuracy 0, fraction 2/3, group 2 missing
    scores = key_fact_scores("The board unanimously noted the matter.", groups)
    assert scores == (0, pytest.approx(2 / 3), [2])
    assert key_fact_scores("Merkittiin tiedoksi yksimielisesti; Torvinen selosti.", groups) == (1, 1.0, [])


# --- sections and sources ----------------------------------------------------------------------------


def test_decision_fragment_does_not_match_the_proposal() -> None:
    assert section_matches("Päätös", "KHALL 17.02.2025 § 27 › Päätös")
    assert not section_matches("Päätös", "KHALL 17.02.2025 § 27 › Päätösehdotus")
    assert not section_matches("Päätös", "§ 15 › Kunnanjohtajan päätösehdotus")
    assert section_matches("Beslut", "Kommunstyrelsen 2024-05-21 § 77 › Beslut")
    assert not section_matches("Beslut", "§ 77 › Förslag till beslut")


def test_paragraph_numbers_and_heading_numbers() -> None:
    assert section_matches("§ 21", "21§ Kaustisen seudun digistrategia 2028 › Valmistelija")
    assert section_matches("§ 27", "KHALL 17.02.2025 § 27")
    assert not section_matches("§ 2", "KHALL 17.02.2025 § 27")
    assert not section_matches("§ 2025", "KHALL 17.02.2025 § 27")  # a year before § is not an item number
    assert section_matches("Toimenpiteet", "Digiohjelma › 4 Toimenpiteet")
    assert section_matches("", "anything at all")


def test_source_match_needs_file_section_and_page() -> None:
    expected = {"source": A, "section": ["Päätös", "§ 27"], "page": 2}
    assert source_matches(expected, {"source": "corpus/a.txt", "section": "§ 27 › Selostus", "page": 2})
    assert not source_matches(expected, {"source": A, "section": "Selostus", "page": 2})
    assert not source_matches(expected, {"source": A, "section": "Päätös", "page": 3})
    assert source_matches(expected, {"source": A, "section": "Päätös", "page": None})
    assert not source_matches(expected, {"source": B, "section": "Päätös", "page": 2})


# --- retrieval --------------------------------------------------------------------------------------


def test_one_expected_source_at_rank_3() -> None:
    passages = [{"source": B, "section": "x"}, {"source": A, "section": "Selostus"},
                {"source": A, "section": "Päätös"}]
    ranks = first_ranks(passages, [{"source": A, "section": "Päätös"}])
    assert ranks == [3]
    s = retrieval_scores(ranks)
    # recall@1 = 0, recall@5 = 1; MRR = 1/3; nDCG@10 = (1/log2(3+1)) / (1/log2(2)) = 0.5 / 1 = 0.5
    assert (s["recall@1"], s["recall@5"], s["recall@10"]) == (0.0, 1.0, 1.0)
    assert s["mrr"] == pytest.approx(1 / 3)
    assert s["ndcg@10"] == pytest.approx(0.5)


def test_two_expected_sources_at_ranks_1_and_3() -> None:
    s = retrieval_scores([1, 3])
    # recall@1 = 1/2; MRR = 1/1; DCG = 1/log2 2 + 1/log2 4 = 1 + 0.5 = 1.5
    # IDCG = 1/log2 2 + 1/log2 3 = 1 + 0.63093 = 1.63093 → nDCG = 1.5 / 1.63093 = 0.91972
    assert s["recall@1"] == 0.5 and s["recall@5"] == 1.0 and s["mrr"] == 1.0
    assert s["ndcg@10"] == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert s["ndcg@10"] == pytest.approx(0.91972, abs=1e-5)


def test_missing_source_and_rank_beyond_ten() -> None:
    s = retrieval_scores([None, 12])
    # nothing in the top 10: recall@10 = 0, nDCG@10 = 0; MRR still sees rank 12 → 1/12
    assert s["recall@10"] == 0.0 and s["ndcg@10"] == 0.0
    assert s["mrr"] == pytest.approx(1 / 12)
    assert retrieval_scores([None])["mrr"] == 0.0


def test_a_passage_matching_a_source_twice_counts_once() -> None:
    passages = [{"source": A, "section": "Päätös"}, {"source": A, "section": "Päätös"}]
    assert first_ranks(passages, [{"source": A, "section": "Päätös"}]) == [1]


# --- citations, abstention, latency -----------------------------------------------------------------


def test_citation_precision_and_recall() -> None:
    expected = [{"source": A, "section": "Päätös"}, {"source": A, "section": "Päätösehdotus"}]
    cited = [{"source": A, "section": "Päätös"}, {"source": A, "section": "Selostus"},
             {"source": B, "section": "Päätös"}]
    # 1 of 3 cited items matches an expected source → precision 1/3; 1 of 2 expected covered → recall 1/2
    assert citation_scores(cited, expected) == (pytest.approx(1 / 3), 0.5)
    assert citation_scores([], expected) == (None, 0.0)


def test_abstention_precision_recall() -> None:
    abstained = [True, True, False, False, True]
    unanswerable = [True, False, True, False, True]
    # TP = q1, q5 = 2; abstained 3 → precision 2/3; unanswerable 3 → recall 2/3
    assert abstention_scores(abstained, unanswerable) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert abstention_scores([False], [False]) == (None, None)


def test_nearest_rank_percentiles() -> None:
    values = [40, 10, 30, 20]
    # sorted 10 20 30 40: p50 → rank ceil(0.5·4) = 2 → 20; p95 → rank ceil(3.8) = 4 → 40
    assert percentile(values, 50) == 20 and percentile(values, 95) == 40
    assert percentile([7], 95) == 7 and percentile([], 50) is None


# --- per question and aggregated ------------------------------------------------------------------


def _gold(qid: str, lang: str, typ: str, facts: list | None = None) -> dict:
    answerable = typ != "unanswerable"
    return {"id": qid, "question": qid, "language": lang, "type": typ, "answerable": answerable,
            "reference_answer": "", "key_facts": facts or ([["tiedoksi"]] if answerable else []),
            "expected_sources": [{"source": A, "section": "Päätös"}] if answerable else []}


def _answer(text: str, abstained: bool = False, cited: list | None = None) -> dict:
    cited = cited if cited is not None else [{"source": A, "section": "§ 15 › Päätös", "page": None}]
    return {"answer": text, "abstained": abstained, "citations": cited, "passages": cited}


def test_score_question_answerable_and_unanswerable() -> None:
    rec = score_question(_gold("q1", "fi", "decision"), _answer("Merkittiin tiedoksi."), latency_ms=12.0)
    assert rec["correct"] and rec["key_facts"] == 1 and rec["citation_precision"] == 1.0 and rec["mrr"] == 1.0
    rec = score_question(_gold("q2", "fi", "decision"), _answer("tiedoksi", abstained=True))
    assert not rec["correct"] and rec["key_facts"] == 0  # an abstention never counts as the answer
    rec = score_question(_gold("q3", "en", "unanswerable"), _answer("Not in the documents.", abstained=True))
    assert rec["correct"] and rec["mrr"] is None and rec["key_facts"] is None


def test_aggregate_and_breakdown() -> None:
    records = [
        # q1 right, q2 wrong (no key fact, nothing cited), q3 right (abstained), q4 wrong (answered)
        score_question(_gold("q1", "fi", "decision"), _answer("tiedoksi"), latency_ms=10),
        score_question(_gold("q2", "sv", "decision"), _answer("beslut", cited=[]), latency_ms=20),
        score_question(_gold("q3", "sv", "unanswerable"), _answer("", abstained=True), latency_ms=30),
        score_question(_gold("q4", "en", "unanswerable"), _answer("made up"), latency_ms=40),
    ]
    fig = aggregate(records)
    # answer accuracy 2/4; key facts over answerable q1,q2 = 1/2; citation precision only q1 (q2 cites
    # nothing) = 1; citation recall (1 + 0)/2; abstention: 1 abstained, TP 1 → P = 1, R = 1/2
    assert fig["answer_accuracy"] == 0.5 and fig["key_fact_accuracy"] == 0.5
    assert fig["citation_precision"] == 1.0 and fig["citation_recall"] == 0.5
    assert (fig["abstention_precision"], fig["abstention_recall"]) == (1.0, 0.5)
    assert fig["unanswerable_accuracy"] == 0.5
    assert (fig["latency_p50_ms"], fig["latency_p95_ms"]) == (20, 40)
    parts = breakdown(records)
    assert parts["by_language"]["sv"]["n"] == 2 and parts["by_language"]["sv"]["answer_accuracy"] == 0.5
    assert parts["by_type"]["unanswerable"]["abstention_recall"] == 0.5
    assert parts["by_language"]["fi"]["abstention_precision"] is None  # fi never abstained
    assert parts["overall"]["n"] == 4


def test_ordered_fragment_and_body_pick_the_right_handling() -> None:
    council = {"source": A, "section": "§ 18 › Päätös", "body": "Kaupunginvaltuusto"}
    # a fragment with › needs its parts in that order, in separate components
    assert section_matches("§ 18 › Päätös", "§ 18 › Kaupunginvaltuusto 11.03.2024 § 18 › Päätös")
    assert not section_matches("§ 18 › Päätös", "§ 19 › Päätös")
    assert not section_matches("Päätös › § 18", "§ 18 › Päätös")
    # citations carry a body: it must be the expected one
    assert source_matches(council, {"source": A, "section": "§ 18 › Päätös", "body": "Kaupunginvaltuusto"})
    assert not source_matches(council, {"source": A, "section": "§ 18 › Päätös", "body": "Kaupunginhallitus"})
    # passages carry none: the path decides, and a path naming no body at all passes
    board_path = "§ 18 › Kaupunginhallitus 26.02.2024 § 62 › Päätös"
    council_path = "§ 18 › Kaupunginvaltuusto 11.03.2024 § 18 › Päätös"
    assert not source_matches(council, {"source": A, "section": board_path})
    assert source_matches(council, {"source": A, "section": council_path})
    assert source_matches(council, {"source": A, "section": "§ 18 › Päätös"})


def test_document_level_recall_ignores_the_section() -> None:
    # the right file, the wrong section: recall@5 = 0 but doc_recall@5 = 1
    wrong_section = [{"source": A, "section": "§ 15 › Selostus"}]
    rec = score_question(_gold("q1", "fi", "decision"), _answer("tiedoksi", cited=wrong_section))
    assert rec["recall@5"] == 0.0 and rec["doc_recall@5"] == 1.0 and rec["citation_precision"] == 0.0


# --- paraphrase consistency and the confidence curve ---------------------------------------------


def _rec(qid: str, group: str | None, correct: bool, lang: str = "fi", answerable: bool = True,
         abstained: bool = False, confidence: float | None = None) -> dict:
    return {"id": qid, "group": group, "correct": correct, "language": lang, "answerable": answerable,
            "abstained": abstained, "confidence": confidence,
            "type": "fact" if answerable else "unanswerable"}


def test_paraphrase_consistency_is_the_share_of_groups_all_right() -> None:
    records = [_rec("1", "a", True), _rec("2", "a", True, "sv"), _rec("3", "b", True),
               _rec("4", "b", False, "en"), _rec("5", "c", False), _rec("6", None, True)]
    # groups a (all right), b (one wrong), c (wrong); the record without a group is not counted → 1/3
    assert paraphrase_consistency(records) == (3, pytest.approx(1 / 3))
    assert paraphrase_consistency([_rec("6", None, True)]) == (0, None)  # a legacy gold set
    by_lang = breakdown([dict(r, key_facts=None) | _scores() for r in records])["by_language"]
    # in Finnish only: a (1 right), b (3 right), c (5 wrong) → 2/3; in English only b's wrong one → 0
    assert by_lang["fi"]["paraphrase_consistency"] == pytest.approx(2 / 3)
    assert by_lang["en"]["paraphrase_consistency"] == 0.0 and by_lang["en"]["groups"] == 1


def _scores() -> dict:
    return {"latency_ms": 1.0, "error": None}


def test_abstention_curve_over_confidence_thresholds() -> None:
    records = [
        _rec("1", "a", True, confidence=0.9),  # right, confident
        _rec("2", "b", False, confidence=0.3),  # wrong answer, unsure
        _rec("3", "u", True, answerable=False, abstained=True, confidence=0.1),  # abstained, unanswerable
        _rec("4", "v", False, answerable=False, confidence=0.4),  # answered an unanswerable one
        _rec("5", "w", True),  # no confidence: not in the curve
    ]
    points = {p["threshold"]: p for p in abstention_curve(records, thresholds=(0.0, 0.35, 0.5, 1.0))}
    # t=0: only q3 abstains → precision 1/1, recall 1/2 (q3 of q3, q4); right: q1, q3 → 2/4
    assert points[0.0]["abstention_precision"] == 1.0 and points[0.0]["abstention_recall"] == 0.5
    assert points[0.0]["answer_accuracy"] == 0.5 and points[0.0]["answered"] == 0.75
    # t=0.35: q2 (0.3) also abstains → precision 1/2, recall 1/2; right: q1, q3 → 2/4
    assert points[0.35]["abstention_precision"] == 0.5 and points[0.35]["answer_accuracy"] == 0.5
    # t=0.5: q2 and q4 abstain too → precision 2/3, recall 2/2; right: q1, q3, q4 → 3/4
    assert points[0.5]["abstention_precision"] == pytest.approx(2 / 3)
    assert points[0.5]["abstention_recall"] == 1.0 and points[0.5]["answer_accuracy"] == 0.75
    # t=1: everything abstains → precision 2/4, answered 0, right: q3, q4 → 2/4
    assert points[1.0]["abstention_precision"] == 0.5 and points[1.0]["answered"] == 0.0
    assert points[1.0]["n"] == 4
    assert abstention_curve([_rec("5", "w", True)]) == [] and curves([_rec("5", "w", True)]) == {}
    assert set(curves(records)) == {"overall", "language:fi"}


def test_confidence_is_read_only_when_it_is_a_probability() -> None:
    gold = {"id": "u", "language": "en", "type": "unanswerable", "answerable": False, "question": "?",
            "key_facts": [], "expected_sources": [], "group": "g-u"}
    assert score_question(gold, {"answer": "", "abstained": True, "confidence": 0.25})["confidence"] == 0.25
    assert score_question(gold, {"answer": "", "abstained": True, "confidence": 3})["confidence"] is None
    assert score_question(gold, {"answer": "", "abstained": True})["confidence"] is None
    assert score_question(gold, {"answer": "", "abstained": True})["group"] == "g-u"

"""The reader's fast layer: span decoding, calibration and composition, with no model loaded."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assistant.answerers.reader import ReaderAnswerer, english_gloss, mark, sentence_around
from assistant.question.analysis import analyse
from assistant.records import Passage
from ingest.records import Chunk
from reader.calibration import Platt, choose_threshold, fit_platt
from reader.read import spans_of
from reader.records import Reading, SpanGuess
from reader.spans import best_spans, null_score, trim_span
from reader.windows import Window, _label

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


# -- span decoding --------------------------------------------------------------------------------

def _offsets(n_question: int, words: list[tuple[int, int]]):
    # [CLS] q... [SEP][SEP] context... [SEP]
    return [None] * (1 + n_question + 2) + list(words) + [None]


def test_best_span_takes_the_highest_start_plus_end_inside_the_context():
    offsets = _offsets(2, [(0, 5), (6, 11), (12, 18)])  # tokens 5, 6, 7 are the context
    start = [0.0] * len(offsets)
    end = [0.0] * len(offsets)
    start[1] = 9.0  # a question token: never a start
    start[6], end[7] = 3.0, 4.0  # context span (6..7) = chars 6..18, score 7
    start[5], end[5] = 1.0, 1.0  # the one-token span (5) scores 2
    spans = best_spans(start, end, offsets)
    assert spans[0] == (6, 18, 7.0)


def test_best_span_never_ends_before_it_starts_nor_exceeds_the_length_limit():
    offsets = _offsets(1, [(0, 3), (4, 7), (8, 11), (12, 15)])
    start = [0.0] * len(offsets)
    end = [0.0] * len(offsets)
    start[7], end[4] = 5.0, 5.0  # end before start: not a span
    spans = best_spans(start, end, offsets, max_tokens=2)
    assert all(a <= b for a, b, _ in spans)
    assert all(b - a <= 7 for a, b, _ in spans)  # at most two 3-character tokens with a space


def test_null_score_is_the_cls_start_plus_end():
    assert null_score([2.0, 0.1], [1.5, 0.3]) == 3.5


def test_trim_span_drops_edges_a_token_carries():
    text = "Päätös: Maija Mäkinen, talousjohtaja."
    a, b = trim_span(text, 7, 22)  # " Maija Mäkinen,"
    assert text[a:b] == "Maija Mäkinen"
    a, b = trim_span("Ehdotus hyväksyttiin.", 8, 21)  # a sentence's full stop goes
    assert "Ehdotus hyväksyttiin."[a:b] == "hyväksyttiin"
    a, b = trim_span("alkaen 1.9.", 7, 11)  # a date's last point stays ("1.9." is a date)
    assert "alkaen 1.9."[a:b] == "1.9."


def test_spans_of_ranks_by_margin_over_no_answer_across_passages():
    # passage 0: span score 6, null 5 (margin 1); passage 1: span score 4, null -2 (margin 6)
    w0 = Window((0, 1, 2, 2, 10, 11, 2), (None, None, None, None, (0, 4), (5, 9), None), 0)
    w1 = Window((0, 1, 2, 2, 12, 13, 2), (None, None, None, None, (0, 4), (5, 9), None), 1)
    l0 = ([2.5, 0, 0, 0, 3.0, 0, 0], [2.5, 0, 0, 0, 0, 3.0, 0])
    l1 = ([-1.0, 0, 0, 0, 2.0, 0, 0], [-1.0, 0, 0, 0, 0, 2.0, 0])
    guesses = spans_of([w0, w1], [l0, l1], ["abcd efgh", "ijkl mnop"])
    assert guesses[0].passage == 1 and guesses[0].text == "ijkl mnop"
    assert guesses[0].margin == pytest.approx(6.0)


def test_window_label_needs_the_whole_answer_inside():
    offsets = [None, None, None, (0, 4), (5, 9), (10, 14), None]
    assert _label(offsets, 5, 14) == (4, 5)
    assert _label(offsets, 5, 20) == (0, 0)  # runs past the window: no answer here


# -- calibration ----------------------------------------------------------------------------------

def test_platt_fit_orders_margins_and_stays_finite_on_separable_data():
    margins = [-4, -3, -2, -1, 1, 2, 3, 4]
    right = [False, False, False, False, True, True, True, True]
    platt = fit_platt(margins, right)
    assert platt.a > 0 and math.isfinite(platt.a)
    assert platt(-3) < 0.5 < platt(3)
    # smoothed targets: 4 positives → target (4+1)/(4+2) ≈ 0.83, so the fit never reaches 1
    assert platt(4) < 0.99


def test_threshold_maximises_right_answers_plus_right_refusals():
    # four questions: two answerable with right spans at p 0.9 and 0.6, one answerable with a wrong
    # span at 0.4, one unanswerable at 0.3. Threshold 0.6: 2 right answers + 1 right refusal = 3;
    # threshold 0.4 also gets 3 (the wrong span answered instead of refused): the tie goes to 0.6.
    t, n = choose_threshold([0.9, 0.6, 0.4, 0.3], [True, True, False, False], [True, True, True, False])
    assert n == 3
    assert t == 0.6


def test_platt_default_is_the_logistic():
    assert Platt()(0.0) == 0.5


# -- composition ----------------------------------------------------------------------------------

def test_mark_bolds_the_span_inside_the_quote():
    assert mark("Valmistelija: Maija Mäkinen", "Maija Mäkinen") == "Valmistelija: **Maija Mäkinen**"
    assert mark("no such words", "Maija") == "no such words"


def test_sentence_around_gives_the_sentence_that_holds_the_span():
    text = "Asia on valmisteltu. Valmistelija on Maija Mäkinen. Päätös tehtiin."
    a, b = sentence_around(text, text.index("Maija"), text.index("Maija") + 13)
    assert text[a:b].strip() == "Valmistelija on Maija Mäkinen."


def test_english_gloss_names_bodies_and_role_titles():
    assert english_gloss("kaupunginhallitus").lower() in ("city board", "municipal board", "board")
    assert english_gloss("tietohallintojohtaja") == "chief information officer"
    assert english_gloss("Maija Mäkinen") == ""


def _chunk(text: str, **kw) -> Chunk:
    base = dict(id="c1", text=text, source="doc.txt", document_title="Kaupunginhallitus 12.3.2024",
                chunk_index=0, content_hash="h", section="§ 58 › Valmistelu", section_kind="background",
                language="fi", doc_type="minutes", municipality="Pori", body="Kaupunginhallitus",
                meeting_date="2024-03-12", item="58", page=2)
    base.update(kw)
    return Chunk(**base)


class _FakeReader:
    """Stands in for the trained model: returns the reading it was given."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    def read(self, question, passages, allowed=None):  # noqa: ANN001
        return self.reading


def test_answer_quotes_the_sentence_with_the_span_bold_cites_it_and_frames_in_english():
    text = "Tietohallintojohtajan virka perustetaan 1.9.2024 alkaen. Valmistelija Maija Mäkinen."
    chunk = _chunk(text)
    span = SpanGuess(0, text.index("1.9.2024"), text.index("1.9.2024") + 8, "1.9.2024", 5.0, -1.0)
    answerer = ReaderAnswerer(_FakeReader(Reading((span,), 0.9, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    question = analyse("From which date is Pori's new CIO post established?")
    answer = answerer.answer(question, [Passage(chunk, 1.0)])
    assert not answer.abstained and answer.confidence == 0.9
    assert "**1.9.2024**" in answer.text
    assert answer.citations[0].quote == "Tietohallintojohtajan virka perustetaan 1.9.2024 alkaen."
    assert answer.citations[0].quote in chunk.text  # the citation quotes the document exactly
    assert "city board" in answer.text.lower() or "board" in answer.text.lower()  # the English frame
    assert "12 March 2024" in answer.text


def test_below_the_threshold_it_abstains_with_the_calibrated_probability():
    text = "Kaupunginhallitus merkitsi asian tiedoksi."
    span = SpanGuess(0, 0, 17, "Kaupunginhallitus", 1.0, 3.0)
    answerer = ReaderAnswerer(_FakeReader(Reading((span,), 0.2, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    answer = answerer.answer(analyse("Paljonko hanke maksaa?"), [Passage(_chunk(text), 1.0)])
    assert answer.abstained and answer.confidence == 0.2


def test_a_decision_question_is_never_answered_from_a_proposal():
    text = "Kaupunginjohtaja ehdottaa, että kaupunginhallitus hyväksyy sopimuksen."
    proposal = _chunk(text, section="§ 58 › Päätösehdotus", section_kind="proposal")
    answerer = ReaderAnswerer(_FakeReader(Reading((), 0.0, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    question = analyse("Mitä kaupunginhallitus päätti sopimuksesta?")
    assert question.type == "decision"
    assert answerer.allowed(question, [Passage(proposal, 1.0)]) == [False]
    decision = _chunk("Hyväksyttiin.", id="c2", section="§ 58 › Päätös", section_kind="decision")
    assert answerer.allowed(question, [Passage(decision, 1.0)]) == [True]


def test_the_app_shows_the_reader_span_bold_and_everything_else_escaped():
    from webapp.render import answer_markdown

    shown = answer_markdown("When: 1.9.2024. Board: “Virka perustetaan **1.9.2024** alkaen *x*.” [1]", [1])
    assert "**1.9.2024**" in shown  # the span: bold
    assert "\\*x\\*" in shown  # a document's own asterisks stay literal
    assert "**\\[1\\]**" in shown  # the citation marker as before


class _Fixed:
    def __init__(self, answer) -> None:  # noqa: ANN001
        self.result = answer
        self.asked = 0

    def answer(self, question, passages):  # noqa: ANN001
        self.asked += 1
        return self.result


def test_scorer_then_reader_reads_only_where_the_scorer_abstains():
    from dataclasses import replace as dc_replace

    from assistant.answerers.reader import ScorerThenReader

    text = "Valmistelija Maija Mäkinen."
    chunk = _chunk(text)
    span = SpanGuess(0, 13, 26, "Maija Mäkinen", 5.0, -1.0)
    question = analyse("Kuka valmisteli asian?")
    passages = [Passage(chunk, 1.0)]
    sure = _Fixed(dc_replace(ReaderAnswerer(_FakeReader(Reading((span,), 0.9, 0.5)), prompts_dir=PROMPTS)
                             .answer(question, passages), text="scorer's answer"))
    reader = ReaderAnswerer(_FakeReader(Reading((span,), 0.7, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    both = ScorerThenReader(sure, reader, threshold=0.6)  # type: ignore[arg-type]
    assert both.answer(question, passages).text == "scorer's answer"  # the scorer was sure
    unsure = _Fixed(dc_replace(sure.result, abstained=True, text="abstained"))
    both = ScorerThenReader(unsure, reader, threshold=0.6)  # type: ignore[arg-type]
    answer = both.answer(question, passages)
    assert not answer.abstained and "**Maija Mäkinen**" in answer.text  # 0.7 >= 0.6: the reader answers
    again = ReaderAnswerer(_FakeReader(Reading((span,), 0.7, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    both = ScorerThenReader(unsure, again, threshold=0.8)  # type: ignore[arg-type]
    assert both.answer(question, passages).text == "abstained"  # 0.7 < 0.8: the scorer's abstention stands


def test_beside_the_reader_a_scorer_answer_below_its_role_threshold_is_read_again_or_refused():
    """With a `scorer_threshold` chosen on dev, a scorer answer less sure than it is read by the reader;
    where the reader is unsure too, the question is refused, with the scorer's confidence."""
    from dataclasses import replace as dc_replace

    from assistant.answerers.reader import ScorerThenReader

    text = "Valmistelija Maija Mäkinen."
    span = SpanGuess(0, 13, 26, "Maija Mäkinen", 5.0, -1.0)
    question = analyse("Kuka valmisteli asian?")
    passages = [Passage(_chunk(text), 1.0)]
    reader = ReaderAnswerer(_FakeReader(Reading((span,), 0.7, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    scorer = _Fixed(dc_replace(reader.answer(question, passages), text="scorer's answer", confidence=0.3))
    plain = ScorerThenReader(scorer, reader, threshold=0.6)  # type: ignore[arg-type]
    assert plain.answer(question, passages).text == "scorer's answer"  # no role threshold: it stands
    both = ScorerThenReader(scorer, reader, threshold=0.6, scorer_threshold=0.5,  # type: ignore[arg-type]
                            prompts_dir=PROMPTS)
    assert "**Maija Mäkinen**" in both.answer(question, passages).text  # 0.3 < 0.5: the reader's 0.7 answers
    sure = _Fixed(dc_replace(scorer.result, confidence=0.55))
    both = ScorerThenReader(sure, reader, threshold=0.6, scorer_threshold=0.5,  # type: ignore[arg-type]
                            prompts_dir=PROMPTS)
    assert both.answer(question, passages).text == "scorer's answer"  # 0.55 >= 0.5: it stands
    unsure = ReaderAnswerer(_FakeReader(Reading((span,), 0.4, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    both = ScorerThenReader(scorer, unsure, threshold=0.6, scorer_threshold=0.5,  # type: ignore[arg-type]
                            prompts_dir=PROMPTS)
    refused = both.answer(question, passages)
    assert refused.abstained and refused.confidence == 0.3  # both unsure: refused


def test_a_reader_loading_in_the_background_is_waited_for_only_where_the_scorer_abstains():
    """The shipped step builds the reader in a thread: a question the scorer answers never waits for it;
    one it abstains on waits, and gets the reader's answer (or the loading's error)."""
    import threading
    from dataclasses import replace as dc_replace

    from assistant.answerers.reader import BackgroundLoad, ScorerThenReader

    text = "Valmistelija Maija Mäkinen."
    span = SpanGuess(0, 13, 26, "Maija Mäkinen", 5.0, -1.0)
    question = analyse("Kuka valmisteli asian?")
    passages = [Passage(_chunk(text), 1.0)]
    reader = ReaderAnswerer(_FakeReader(Reading((span,), 0.7, 0.5)), prompts_dir=PROMPTS)  # type: ignore[arg-type]
    sure = _Fixed(dc_replace(reader.answer(question, passages), text="scorer's answer"))
    release = threading.Event()

    def slow_load() -> ReaderAnswerer:
        release.wait(30)
        return reader

    both = ScorerThenReader(sure, BackgroundLoad(slow_load), threshold=0.6)  # type: ignore[arg-type]
    assert both.answer(question, passages).text == "scorer's answer"  # answered while still loading
    unsure = _Fixed(dc_replace(sure.result, abstained=True, text="abstained"))
    both = ScorerThenReader(unsure, BackgroundLoad(slow_load), threshold=0.6)  # type: ignore[arg-type]
    release.set()
    assert "**Maija Mäkinen**" in both.answer(question, passages).text
    assert reader.reader.threshold == 0.6  # the role's threshold, set once loaded

    def broken() -> ReaderAnswerer:
        raise RuntimeError("no reader weights")

    both = ScorerThenReader(unsure, BackgroundLoad(broken), threshold=0.6)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="no reader weights"):
        both.answer(question, passages)


def test_asterisks_a_document_brought_stay_text_when_its_sentence_is_quoted():
    from webapp.render import answer_markdown

    source = "Katso **lihavointi** tästä."
    shown = answer_markdown(f"“{source}” ja **Maija** [1]", [1], [source])
    assert "\\*\\*lihavointi\\*\\*" in shown and "**Maija**" in shown

"""The reader answerer: the trained span reader reads the top passages, the structure constrains it, and
the answer is composed from the span.

- Reads the `settings.reader_passages` best passages (each with its context header: document, body,
  date, §, item title, section), and picks the best span across them.
- What ingest extracted constrains it: a decision question is never answered from a proposal (an
  agenda's proposal is framed as a proposal, the decision not being in the documents); names, dates
  and bodies the question names must stand in the span's passage (`scoring.admissible`).
- Composition: the span, its sentence quoted in the document's language with the span in **bold**,
  the citation (document, section, page), and a frame in the asker's language per answer type
  (`templates.json` → "reader"; a decision section uses the decision frame with body, date, §, how).
- Abstains below the calibrated threshold; `Answer.confidence` is the calibrated probability.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from assistant.answerers.base import Answerer
from assistant.composition.framing import Framer, body_name, format_date, templates
from assistant.composition.plain import abstention, answer_for
from assistant.question.analysis import Question
from assistant.question.glossary import english_names
from assistant.reading.citations import join_lines, split_sentences
from assistant.reading.scoring import Candidate, admissible, passage_tokens
from assistant.records import Answer, Citation, Passage, SectionLookup
from ingest.records import Chunk
from reader.model import MODELS_DIR
from reader.read import Reader
from reader.records import Reading, SpanGuess


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) of `text` that holds [start, end); sentences joined when the span crosses."""
    spans = split_sentences(text) or [(0, len(text))]
    first = next((a for a, b in spans if a <= start < b), start)
    last = next((b for a, b in spans if a < end <= b), end)
    for a, b in spans:  # a PDF-wrapped sentence: a next line that starts in lower case continues it
        if a == last or (a > last and text[last:a].strip() == ""):
            if a < len(text) and text[a].islower() and text[last - 1] not in ".!?:;":
                last = b
    return min(first, start), max(last, end)


def mark(quote: str, span: str) -> str:
    """The quote with the span in **bold** (the first occurrence; the quote as it is without one)."""
    at = quote.find(span)
    if at < 0 or not span.strip():
        return quote
    return f"{quote[:at]}**{span}**{quote[at + len(span):]}"


def _kind(chunk: Chunk) -> str:
    if chunk.section_kind == "decision":
        return "decision"
    if chunk.section_kind == "proposal":
        return "proposal"
    return "sentence"


class ReaderAnswerer:
    """Answers with the trained reader; see the module docstring."""

    def __init__(self, reader: Reader, *, prompts_dir: Path, passages: int = 6) -> None:
        self.reader = reader
        self.prompts_dir = prompts_dir
        self.passages = passages
        self.document_sections: SectionLookup | None = None  # source → sections, for a decision's proposal

    def allowed(self, question: Question, passages: Sequence[Passage]) -> list[bool]:
        """Per passage: may a span of it answer? (the structure's rules, see `scoring.admissible`)"""
        out = []
        for rank, p in enumerate(passages):
            probe = Candidate(_kind(p.chunk), p.chunk, rank, p.chunk.text, p.chunk.text)
            out.append(admissible(question, probe, passage_tokens(p)))
        return out

    def read(self, question: Question, passages: Sequence[Passage]) -> Reading:
        chosen = list(passages[: self.passages])
        pairs = [(p.chunk.context_header, p.chunk.text) for p in chosen]
        return self.reader.read(question.text, pairs, self.allowed(question, chosen))

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages or not question.supported:
            return replace(abstention(question, passages, self.prompts_dir), confidence=0.0)
        reading = self.read(question, passages)
        best = reading.best
        if best is None or not reading.answers:
            return replace(abstention(question, passages, self.prompts_dir), confidence=reading.probability)
        chunk = passages[best.passage].chunk
        answer = self.compose(question, chunk, best, best.passage)
        if chunk.section_kind == "proposal" and chunk.doc_type == "agenda" and question.type == "decision":
            answer = replace(answer, abstained=True)  # the agenda proposes; the decision is not here
        return replace(answer, confidence=reading.probability)

    def compose(self, question: Question, chunk: Chunk, span: SpanGuess, rank: int) -> Answer:
        """The span's sentence quoted with the span in bold, cited, in the asker's frame."""
        a, b = sentence_around(chunk.text, span.start, span.end)
        quote = chunk.text[a:b].strip()
        kind = _kind(chunk)
        framed_kind = kind if kind == "decision" or (kind == "proposal" and chunk.doc_type == "agenda") \
            else "sentence" if question.type == "list" else None
        if framed_kind is not None:  # the scorer's frames: a decision with its handling, a list's block
            framed = Framer(self.document_sections, prompts_dir=self.prompts_dir).frame(
                question, Candidate(framed_kind, chunk, rank, quote, quote))
            joined = join_lines(quote)
            return replace(framed, text=framed.text.replace(joined, mark(joined, join_lines(span.text)), 1))
        words = templates(question.language, self.prompts_dir)
        frame = words["reader"]
        lead = frame["lead"].get(question.type, frame["lead"]["fact"])
        where = self._where(question.language, chunk, words)
        gloss = english_gloss(span.text) if question.language == "en" else ""
        text = frame["answer"].format(lead=lead, span=span.text, gloss=f" ({gloss})" if gloss else "",
                                      where=where, Where=where[:1].upper() + where[1:],
                                      quote=mark(join_lines(quote), join_lines(span.text)),
                                      n=1)
        return answer_for(question, text, (Citation(1, chunk, quote),))

    def _where(self, language: str, chunk: Chunk, words: dict) -> str:
        frame = words["reader"]
        if chunk.body:
            date = format_date(chunk.meeting_date, words["date_format"], words["months"]) or ""
            item = words["item"].format(item=chunk.item) if chunk.item else ""
            return frame["where_meeting"].format(body=body_name(chunk.body, language), date=date,
                                                 item=item).replace(" ,", ",").strip(" ,")
        return frame["where_document"].format(document=chunk.document_title,
                                              section=chunk.section).strip(" ,")


def english_gloss(span: str) -> str:
    """An English name for a body or role title the span is (tietohallintojohtaja → chief information
    officer); "" when it is none the genre knows."""
    from genre import body_english

    whole = span.strip().lower()
    for term in (whole, *re.findall(r"[\wåäö-]{6,}", whole)):
        english = body_english(term) or english_names().get(term, "")
        if english and english.lower() not in whole:
            return english
    return ""


def load_reader_answerer(settings, shared: tuple[object, object, Path] | None = None  # noqa: ANN001
                         ) -> ReaderAnswerer:
    """The reader named by the settings over the converted e5 weights (prepared here when missing);
    over the embedder's loaded encoder when `shared` holds the same weights (its folder is this one)."""
    from ingest.embed.e5convert import convert_bundled_e5

    folder = settings.converted_e5_dir()
    if not (folder / "model.safetensors").exists():
        convert_bundled_e5(folder)
    same = shared is not None and Path(shared[2]).resolve() == Path(folder).resolve()
    encoder, tokenizer = (shared[0], shared[1]) if same and shared is not None else (None, None)
    reader = Reader.load(folder, settings.reader_model, settings.reader_dir or MODELS_DIR, encoder=encoder,
                         tokenizer=tokenizer)
    if settings.reader_threshold is not None:  # e.g. 0 to answer everything, for recalibration on dev
        reader.threshold = settings.reader_threshold
    return ReaderAnswerer(reader, prompts_dir=settings.prompts_dir, passages=settings.reader_passages)


class ScorerThenReader:
    """The shipped answer step: the listwise scorer answers where it is sure (its calibrated threshold,
    or `scorer_threshold` where dev chose a higher one for this role); elsewhere the reader reads the
    passages and answers when its calibrated probability reaches `threshold` (chosen on dev with it);
    else the question is refused (the scorer's abstention, or one in its place).

    Why both: on dev the scorer is right more often when it answers, and the reader finds answers in
    passages the scorer abstains on (the fact in the first passage, a reading the features miss).

    `reader` may be a `BackgroundLoad` of it: a first question the scorer answers then never waits for
    the reader (~1 s to build over the embedder's encoder), and one it abstains on waits only for the rest.
    """

    def __init__(self, scorer: Answerer, reader: ReaderAnswerer | BackgroundLoad, threshold: float,
                 scorer_threshold: float | None = None, prompts_dir: Path | None = None) -> None:
        self.scorer = scorer
        self._reader = reader
        self.threshold = threshold
        self.scorer_threshold = scorer_threshold
        self.prompts_dir = prompts_dir
        if not isinstance(reader, BackgroundLoad):
            reader.reader.threshold = threshold  # in this role the reader answers from this probability on

    @property
    def reader(self) -> ReaderAnswerer:
        if isinstance(self._reader, BackgroundLoad):
            loaded = self._reader.result()
            loaded.reader.threshold = self.threshold
            self._reader = loaded
        return self._reader

    @property
    def type_centroids(self):  # noqa: ANN201 - the scorer's answer-type prior (questions.analyse)
        return getattr(self.scorer, "type_centroids", None)

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        first = self.scorer.answer(question, passages)
        unsure = first.abstained or (self.scorer_threshold is not None
                                     and first.confidence < self.scorer_threshold)
        if not unsure or not passages:
            return first
        second = self.reader.answer(question, passages)
        if not second.abstained and second.confidence >= self.threshold:
            return second
        if first.abstained:
            return first
        prompts = self.prompts_dir or getattr(self.scorer, "prompts_dir", None)
        if prompts is None:
            raise ValueError("ScorerThenReader with a scorer_threshold needs prompts_dir (the settings' "
                             "prompts folder) to word a refusal")
        return replace(abstention(question, passages, prompts), confidence=first.confidence)


class BackgroundLoad:
    """`load()` run in a daemon thread from construction on; `result()` waits for it and re-raises its
    error. Torch releases the interpreter while it copies and casts weights, so the caller's own work
    (the question's analysis, retrieval, the scorer) goes on meanwhile."""

    def __init__(self, load: Callable[[], ReaderAnswerer], name: str = "strategy-chat-reader") -> None:
        self._value: ReaderAnswerer | None = None
        self._error: BaseException | None = None
        self._load = load
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._load()
        except BaseException as exc:  # raised where the result is needed
            self._error = exc

    def result(self) -> ReaderAnswerer:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value

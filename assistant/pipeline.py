"""The `ask` entry point that the CLI, the app and the evaluation share.

    assistant = Assistant(Settings.from_env())     # loads the model and opens the index once
    answer = assistant.ask("Kuka vastaa tiekartasta?", filters={"municipality": "Kuopio"})

It runs the answer stages in order, as plain calls with a typed record between them:
Asked → analyse (assistant.question) → Analysed → retrieve (assistant.retrieval) → Retrieved →
answer (an answerer from assistant.answerers: reading, then composition) → Answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.answerers.registry import Answerer, AnswerTools, make_answerer
from assistant.question.analysis import Question, analyse, supported_script
from assistant.records import Answer, Passage
from assistant.retrieval.adapter import QueryAdapter, adapter_for
from assistant.retrieval.fusion import Fusion, load_fusion
from assistant.retrieval.search import Filters, Retriever
from config import Settings
from ingest.embed import IndexEmbeddings, make_embeddings
from ingest.store import ChromaTarget, Index, IndexNotFound, StoreStats, index_stats

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """The input: the question as typed (stripped) and the parsed filters."""

    question: str
    filters: Filters


@dataclass(frozen=True)
class Analysed:
    """After `analyse`: the question's language, type prior, names and e5 vector."""

    asked: Asked
    parsed: Question
    started: float  # perf_counter at the start of `ask`, for the embed timing


@dataclass(frozen=True)
class Retrieved:
    """After `retrieve`: the passages the answerer reads."""

    analysed: Analysed
    passages: tuple[Passage, ...]
    retrieve_ms: float


class EmptyQuestion(ValueError):
    pass


class Assistant:
    """One per process: holds the embedding model, the open index and the answerer."""

    def __init__(self, settings: Settings, embeddings: IndexEmbeddings | None = None) -> None:
        self.settings = settings
        if embeddings is None:
            from ingest.store import prefetch_modules

            prefetch_modules()  # the store's libraries import while the model loads
        self.embeddings = embeddings or make_embeddings(
            settings.embedding_backend, settings.embedding_model, settings.index_dir
        )
        tools = AnswerTools(embed=self.embeddings.embed_documents,
                            document_sections=lambda source: self.retriever.document_sections(source),
                            shared_encoder=self.embeddings.shared_encoder)
        self.answerer: Answerer = make_answerer(settings, tools)
        self._retriever: Retriever | None = None
        # Trained over e5's vectors: None for an index another model embedded (searched as it is).
        self.query_adapter: QueryAdapter | None = adapter_for(settings.query_adapter,
                                                              self.embeddings.model_id)
        self.fusion: Fusion | None = load_fusion(settings.fusion)
        self._lock = threading.Lock()

    @property
    def retriever(self) -> Retriever:
        """The retriever over the live index generation; reopened after another process re-ingests."""
        with self._lock:
            current = self._retriever
            if current is None or not current.index.is_current():
                index = Index.open(
                    self.settings.index_dir,
                    target=ChromaTarget(self.settings.chroma_host, self.settings.chroma_port)
                    if self.settings.chroma_host
                    else None,
                    model_id=self.embeddings.model_id,
                )
                current = self._retriever = Retriever(
                    index, self.embeddings, self.settings.retrieval_mode, self.query_adapter, self.fusion)
            return current

    def has_index(self) -> bool:
        try:
            self.retriever  # noqa: B018 - opening is the check
        except IndexNotFound:
            return False
        return True

    def warm_up(self) -> None:
        """Load what the first question would otherwise pay for: the index, the embedding model,
        the fi/sv/en lemmatisers and the language identifier."""
        for text in ("Kuka vastaa tiekartasta?", "Vem ansvarar för planen?", "Who decided it?"):
            self._run(Asked(text, Filters()))

    def status(self) -> StoreStats:
        return index_stats(self.settings.index_dir, public_only=self.settings.public_only)

    def ask(self, question: str, filters: Mapping[str, str] | None = None,
            public_only: bool = False) -> Answer:
        """Answer one question; raises EmptyQuestion, FilterError, IndexNotFound or ModelMismatch.
        `public_only` keeps this one question to public documents (an app user without access to internal
        ones; the model is shared by every user); the settings' `public_only` applies to every question."""
        if not question or not question.strip():
            raise EmptyQuestion(
                "The question is empty — type a question, e.g. “Kuka vastaa digitiekartasta?”."
            )
        parsed = Filters.parse(filters)
        if self.settings.public_only or public_only:
            parsed = Filters(tuple(sorted({*parsed.values, ("visibility", "public")})))
        return self._run(Asked(question.strip(), parsed))

    def analyse(self, question: str) -> Question:
        """The question as retrieval reads it (language, type, named body, e5 vector): for training the
        retrieval's fusion on written questions."""
        return self._analyse(Asked(question.strip(), Filters())).parsed

    def _run(self, asked: Asked) -> Answer:
        return self._answer(self._retrieve(self._analyse(asked)))

    def _analyse(self, asked: Asked) -> Analysed:
        """The question's e5 vector (once: retrieval and the answer scorer share it) and its analysis;
        the answer type's prior also reads the labelled questions' centroids of the scorer's model."""
        started = time.perf_counter()
        text = asked.question
        if not supported_script(text):  # emoji only, or a script the fi/sv/en index does not hold
            return Analysed(asked, analyse(text), started)
        vector = self.embeddings.embed_query(" ".join(text.split()))
        centroids = getattr(self.answerer, "type_centroids", None)
        return Analysed(asked, analyse(text, vector=vector, centroids=centroids), started)

    def _retrieve(self, analysed: Analysed) -> Retrieved:
        started = time.perf_counter()
        if not analysed.parsed.supported:
            return Retrieved(analysed, (), 0.0)
        passages = self.retriever.search(analysed.parsed, analysed.asked.filters, k=self.settings.top_k)
        return Retrieved(analysed, tuple(passages), (time.perf_counter() - started) * 1000)

    def _answer(self, retrieved: Retrieved) -> Answer:
        started = time.perf_counter()
        analysed = retrieved.analysed
        answer = self.answerer.answer(analysed.parsed, retrieved.passages)
        timings = {"retrieve": retrieved.retrieve_ms, "answer": (time.perf_counter() - started) * 1000}
        # the question's embedding, shared by retrieval and the answer scorer
        total_ms = (time.perf_counter() - analysed.started) * 1000
        timings = {"embed": total_ms - sum(timings.values()), **timings}
        return Answer(
            question=analysed.asked.question,
            text=answer.text,
            abstained=answer.abstained,
            citations=answer.citations,
            passages=retrieved.passages,
            timings_ms=timings,
            language=analysed.parsed.language,
            question_type=analysed.parsed.type,
            confidence=answer.confidence,
        )

"""The `ask` entry point that the CLI, the app and the evaluation share.

    assistant = Assistant(Settings.from_env())     # loads the model and opens the index once
    answer = assistant.ask("Kuka vastaa tiekartasta?", filters={"municipality": "Kuopio"})

Behind it is a LangChain runnable chain: analyse → retrieve → answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from langchain_core.runnables import Runnable, RunnableLambda

from ingest.embeddings import IndexEmbeddings, make_embeddings
from ingest.store import ChromaTarget, Index, IndexNotFound, StoreStats, index_stats

from .answerers import Answerer, make_answerer
from .config import Settings
from .questions import analyse, supported_script
from .records import Answer
from .retrieval import Filters, Retriever

logger = logging.getLogger(__name__)


class EmptyQuestion(ValueError):
    pass


class Assistant:
    """One per process: holds the embedding model, the open index and the answerer."""

    def __init__(self, settings: Settings, embeddings: IndexEmbeddings | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings or make_embeddings(
            settings.embedding_backend, settings.embedding_model, settings.index_dir
        )
        self.answerer: Answerer = make_answerer(settings)
        if hasattr(self.answerer, "document_sections"):  # lets it read a decision's proposal
            self.answerer.document_sections = lambda source: self.retriever.document_sections(source)
        if hasattr(self.answerer, "embed"):  # lets it compare the question with candidate sentences
            self.answerer.embed = self.embeddings.embed_documents
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()
        self.chain: Runnable = (
            RunnableLambda(self._analyse, name="analyse")
            | RunnableLambda(self._retrieve, name="retrieve")
            | RunnableLambda(self._answer, name="answer")
        )

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
                current = self._retriever = Retriever(index, self.embeddings, self.settings.retrieval_mode)
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
            self.chain.invoke({"question": text, "filters": Filters()})

    def status(self) -> StoreStats:
        return index_stats(self.settings.index_dir, public_only=self.settings.public_only)

    def ask(self, question: str, filters: Mapping[str, str] | None = None) -> Answer:
        """Answer one question; raises EmptyQuestion, FilterError, IndexNotFound or ModelMismatch."""
        if not question or not question.strip():
            raise EmptyQuestion(
                "The question is empty — type a question, e.g. “Kuka vastaa digitiekartasta?”."
            )
        parsed = Filters.parse(filters)
        if self.settings.public_only:
            parsed = Filters(tuple(sorted({*parsed.values, ("visibility", "public")})))
        return self.chain.invoke({"question": question.strip(), "filters": parsed})

    def _analyse(self, state: dict) -> dict:
        """The question's e5 vector (once: retrieval and the answer scorer share it) and its analysis;
        the answer type's prior also reads the labelled questions' centroids of the scorer's model."""
        text = state["question"]
        state = {**state, "analysed_at": time.perf_counter()}
        if not supported_script(text):  # emoji only, or a script the fi/sv/en index does not hold
            return {**state, "parsed": analyse(text)}
        vector = self.embeddings.embed_query(" ".join(text.split()))
        centroids = getattr(self.answerer, "type_centroids", None)
        return {**state, "parsed": analyse(text, vector=vector, centroids=centroids)}

    def _retrieve(self, state: dict) -> dict:
        started = time.perf_counter()
        if not state["parsed"].supported:
            return {**state, "passages": [], "retrieve_ms": 0.0}
        passages = self.retriever.search(state["parsed"], state["filters"], k=self.settings.top_k)
        return {**state, "passages": passages, "retrieve_ms": (time.perf_counter() - started) * 1000}

    def _answer(self, state: dict) -> Answer:
        started = time.perf_counter()
        answer = self.answerer.answer(state["parsed"], state["passages"])
        timings = {"retrieve": state["retrieve_ms"], "answer": (time.perf_counter() - started) * 1000}
        if "analysed_at" in state:  # the question's embedding, shared by retrieval and the answer scorer
            timings = {"embed": (time.perf_counter() - state["analysed_at"]) * 1000 - sum(timings.values()),
                       **timings}
        return Answer(
            question=state["question"],
            text=answer.text,
            abstained=answer.abstained,
            citations=answer.citations,
            passages=tuple(state["passages"]),
            timings_ms=timings,
            language=state["parsed"].language,
            question_type=state["parsed"].type,
            confidence=answer.confidence,
        )

"""The default answerer: the candidate the learned scorer rates best, framed in the asker's language.

Candidates (sentences, owner rows, decision and proposal sections, preparer lines) and their
features are in `scoring`; the frame in `framing`. It abstains when the best candidate's probability
is under the model's threshold, chosen on the dev gold set for a target precision (`strategy-chat
train`); the answer carries that probability as `confidence`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.composition.framing import Framer
from assistant.composition.plain import abstention
from assistant.question.analysis import Question
from assistant.reading.scoring import Embed, Scored, ScorerModel, load_model, score
from assistant.records import Answer, Passage, SectionLookup


class ExtractiveAnswerer:
    def __init__(self, model: ScorerModel | None = None, threshold: float | None = None, *,
                 prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir  # templates.json and phrases.json: the settings' folder
        self.model = model or load_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.document_sections: SectionLookup | None = None  # set by the Assistant: source → sections
        self.embed: Embed | None = None  # set by the Assistant: passages → e5 vectors (one batch)
        self.vectors: dict[str, np.ndarray] = {}  # candidate text → vector, for passages that recur

    def _agenda(self, question: Question, ranked: Sequence[Scored]) -> Answer | None:
        """A decision asked of an agenda: the decision is not in the documents (an abstention), but the
        agenda's proposal is, quoted and cited as a proposal."""
        if question.type != "decision":
            return None
        found = next((s.candidate for s in ranked[:3] if s.candidate.kind == "proposal"
                      and s.candidate.chunk.doc_type == "agenda"), None)
        if found is None:
            return None
        return replace(self._framer().frame(question, found), abstained=True)

    def _framer(self) -> Framer:
        return Framer(self.document_sections, prompts_dir=self.prompts_dir)

    @property
    def type_centroids(self):
        return self.model.type_centroids

    def scored(self, question: Question, passages: Sequence[Passage]) -> list[Scored]:
        """Every admissible candidate with its probability, best first (for training and inspection)."""
        if not passages or not question.supported:
            return []
        return score(question, passages, self.embed, self.model, self.document_sections, self.vectors)

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        ranked = self.scored(question, passages)
        if not ranked or ranked[0].probability < self.threshold:
            confidence = ranked[0].probability if ranked else 0.0
            agenda = self._agenda(question, ranked)
            if agenda is not None:
                return replace(agenda, confidence=confidence)
            return replace(abstention(question, passages, self.prompts_dir), confidence=confidence)
        best = ranked[0]
        if best.candidate.kind == "proposal" and best.candidate.chunk.doc_type == "agenda":
            return replace(self._agenda(question, ranked) or abstention(question, passages, self.prompts_dir),
                           confidence=best.probability)
        answer = self._framer().frame(question, best.candidate, [s.candidate for s in ranked[1:4]])
        return replace(answer, confidence=best.probability)

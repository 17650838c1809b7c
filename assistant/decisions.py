"""What a body decided: the decision section of the right handling of the right item, never a proposal.

An item in minutes carries several handlings (a board's proposal, then the council's decision);
ingestion gave each section its handling's body, date and §. Here the question picks the item
(its words against each item's whole text), the body (by class: valtuusto ~ fullmäktige ~ council)
and the date; the answer quotes the decision, adds the proposal where the decision only approved
it, and the vote where one was taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from ingest.records import Chunk

from .answerers import abstention, answer_for
from .citations import sentences_of
from .prompts import phrases
from .questions import Question, body_class
from .records import Answer, Citation, Passage
from .support import Term, coverage, missing_names, text_tokens

SectionLookup = Callable[[str], list[tuple[str, list[Chunk]]]]

_VOTE = re.compile(r"\b\d{1,3}\s*[–-]\s*\d{1,3}\b|\b\d{1,3}\s+(ja|jaa)\b|\b\d{1,3} (mot|vastaan)\b", re.I)
_APPROVED_ONLY = re.compile(
    r"^\s*(päätösehdotus|päätösesitys|ehdotus|esitys)?\s*(hyväksyttiin|hyväksytään)\b[^.]*\.?\s*$|"
    r"^\s*(kommunstyrelsen|fullmäktige|nämnden|styrelsen)?\s*(beslutar|beslöt)?\s*(enligt förslaget|bifaller "
    r"förslaget)\.?\s*$",
    re.IGNORECASE,
)
_BODY_WORD = re.compile(
    r"\S*(valtuust|hallitu|fullmäktig|styrels|council|board|lautakun|nämnd|johtoryhm)\S*", re.I
)


def item_root(chunk: Chunk) -> str:
    """The minutes item a chunk belongs to: the first part of its section path ("§ 19")."""
    return chunk.section.split(" › ")[0]


class DecisionFinder:
    def __init__(self, document_sections: SectionLookup | None, min_support: float) -> None:
        self.document_sections = document_sections
        self.min_support = min_support

    def answer(
        self,
        question: Question,
        passages: Sequence[Passage],
        terms: tuple[Term, ...],
        tokens: list[frozenset[str]],
    ) -> Answer | None:
        """The decision answer; an abstention when the item has no decision by the body asked about;
        None when the passages hold no decision to speak of (the caller answers from sentences)."""
        names = [t for t in terms if t.named]
        sources = list(
            dict.fromkeys(
                p.chunk.source
                for p, toks in zip(passages, tokens, strict=True)
                if not missing_names(names, toks) and coverage(terms, toks) >= self.min_support
            )
        )
        if not sources:
            return None
        candidates = self._decisions(passages, sources)
        if not candidates:
            return None
        items = self._item_tokens(candidates)
        # The matter asked about: the item whose whole text covers the question best.
        best_item = max(coverage(terms, toks) for toks in items.values())
        candidates = [
            c for c in candidates if coverage(terms, items[(c.source, item_root(c))]) >= best_item - 1e-9
        ]
        if question.body_class:
            candidates = [c for c in candidates if body_class(c.body) == question.body_class]
            if not candidates:
                minutes = any(
                    p.chunk.doc_type == "minutes" for p in passages if p.chunk.source in sources[:1]
                )
                return no_decision(question, passages) if question.type == "decision" and minutes else None
        dates = {v[5:] for t in names for v in t.variants if v.startswith("date:")}
        dated = [c for c in candidates if c.meeting_date in dates]
        rank = {c.id: i for i, c in enumerate(p.chunk for p in passages)}
        chosen = min(dated or candidates, key=lambda c: rank.get(c.id, len(rank)))
        return self._answer(question, chosen)

    def _decisions(self, passages: Sequence[Passage], sources: list[str]) -> list[Chunk]:
        found = [
            p.chunk for p in passages if p.chunk.source in sources and p.chunk.section_kind == "decision"
        ]
        if self.document_sections:
            seen = {c.id for c in found}
            found += [
                c
                for source in sources[:2]
                for _, chunks in self.document_sections(source)
                for c in chunks
                if c.section_kind == "decision" and c.id not in seen
            ]
        return found

    def _item_tokens(self, candidates: list[Chunk]) -> dict[tuple[str, str], frozenset[str]]:
        """Every word of each candidate's item (title, background, proposal …), for matching the matter."""
        items: dict[tuple[str, str], frozenset[str]] = {}
        for chunk in candidates:
            key = (chunk.source, item_root(chunk))
            if key in items:
                continue
            texts = [chunk.context_header, chunk.text]
            if self.document_sections:
                texts += [
                    c.text
                    for _, chunks in self.document_sections(chunk.source)
                    for c in chunks
                    if item_root(c) == key[1]
                ]
            items[key] = text_tokens("\n".join(texts))
        return items

    def _answer(self, question: Question, chosen: Chunk) -> Answer:
        words = phrases(question.language)
        decision_text = trim(chosen.text, 2)
        citations = [Citation(1, chosen, decision_text)]
        date = format_date(chosen.meeting_date, question.language)
        item = f" (§ {chosen.item})" if chosen.item else ""
        template = words["decided"] if date else words["decided_no_date"]
        text = template.format(
            body=chosen.body or chosen.document_title, date=date, item=item, text=decision_text
        )
        text += " [1]"
        how = _how(chosen.resolution, words)
        if how:
            text += f" ({how})"
        if _APPROVED_ONLY.match(chosen.text.strip()) or len(chosen.text) < 60:
            proposal = self._same_handling(chosen, ("proposal",))
            if proposal is not None:
                quote = trim(proposal.text, 2)
                citations.append(Citation(len(citations) + 1, proposal, quote))
                text += "\n\n" + words["proposal_approved"].format(text=quote) + f" [{len(citations)}]"
        if not _VOTE.search(decision_text):
            vote = self._vote_of(chosen)
            if vote is not None:
                citations.append(Citation(len(citations) + 1, vote[0], vote[1]))
                text += f"\n\n{vote[1]} [{len(citations)}]"
        return answer_for(question, text, citations)

    def _same_handling(self, decision: Chunk, kinds: tuple[str, ...]) -> Chunk | None:
        """A section of the given kinds in the same handling (document, body, date and §)."""
        if not self.document_sections:
            return None
        key = (decision.body, decision.meeting_date, decision.item)
        for _, chunks in self.document_sections(decision.source):
            for c in chunks:
                if c.section_kind in kinds and (c.body, c.meeting_date, c.item) == key:
                    return c
        return None

    def _vote_of(self, decision: Chunk) -> tuple[Chunk, str] | None:
        """The sentence with the vote count ("äänin 31–20", "9 ja-röster mot 4") in the same handling."""
        if not self.document_sections:
            return None
        key = (decision.body, decision.meeting_date, decision.item)
        for _, chunks in self.document_sections(decision.source):
            for c in chunks:
                if c.section_kind in ("handling", "motions") and (c.body, c.meeting_date, c.item) == key:
                    sentence = next((s for s in sentences_of(c.text) if _VOTE.search(s)), None)
                    if sentence:
                        return c, sentence
        return None


def no_decision(question: Question, passages: Sequence[Passage]) -> Answer:
    """The item is there, but the body asked about made no decision on it in these documents."""
    words = phrases(question.language)
    body = _BODY_WORD.search(question.text)
    name = body.group(0).strip("?!.,;:()\"'") if body else ""
    abstained = abstention(question, passages)
    text = words["no_decision"].format(body=name) + abstained.text[len(words["abstain"]) :]
    return replace(abstained, text=text)


def trim(text: str, sentences: int) -> str:
    """The first sentences of a section, as an exact span of its text."""
    parts = sentences_of(text)
    if not parts:
        return text.strip()
    last = parts[min(sentences, len(parts)) - 1]
    start = text.find(parts[0])
    return text[start : text.find(last, start) + len(last)].strip()


def _how(resolution: str | None, words: dict[str, str]) -> str | None:
    return {
        "approved_unanimously": words["unanimous"],
        "approved_after_vote": words["after_vote"],
        "amended": words["amended"],
        "returned": words["returned"],
        "tabled": words["tabled"],
        "rejected": words["rejected"],
        "noted": words["noted"],
    }.get(resolution or "")


def format_date(iso: str | None, language: str) -> str:
    """Finnish readers write 17.2.2025; Swedish and English answers keep ISO."""
    if not iso or len(iso) < 10:
        return iso or ""
    y, m, d = iso[:10].split("-")
    return f"{int(d)}.{int(m)}.{y}" if language == "fi" else iso[:10]

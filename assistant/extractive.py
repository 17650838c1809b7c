"""The default answerer: the documents' own sentences, chosen by question type, each one cited.

- owner: the sentence or action row that names who is responsible (not the item's preparer);
- decision: the decision section of the body asked about, with body, date and §; where the
  decision only says the proposal was approved, the proposal's words follow, cited separately;
- date: the sentence carrying the date; other questions: the best-supported sentences.
It abstains when the best text does not cover the question (see `support`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.records import Chunk

from .answerers import abstention
from .citations import split_sentences
from .owners import OwnedAction, is_owner_line, owned_actions
from .prompts import phrases
from .questions import Question, body_class, mentions_decision
from .records import Answer, Citation, Passage
from .support import Term, coverage, missing_names, question_terms, text_tokens, uncovered_share

MIN_SUPPORT = 0.6  # share of the question's weighted terms the chosen passage must cover
MAX_UNCOVERED = 1 / 3  # share of the question's ordinary content words the passage may lack
_OWNER_CUE = re.compile(
    r"vastaa\b|vastaavat\b|vastannut|vastuu|omistaja|koordinoi|johtaa|toteuttaja|"
    r"ansvar|huvudansvar|leder\b|samordna|responsib|\bowner\b|\bleads?\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.? (?:[a-zåäö]+kuuta|januari|februari|mars|"
    r"april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|"
    r"okt|nov|dec)\b|\b(?:[a-zäö]+kuussa|q[1-4]) ?\d{4}\b|\b\d{4}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(yksi|kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen|en|ett|två|tre|fyra|fem|"
    r"sex|sju|åtta|nio|tio|one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)
_VOTE = re.compile(r"\b\d{1,3}\s*[–-]\s*\d{1,3}\b|\b\d{1,3}\s+(ja|jaa)\b|\b\d{1,3} (mot|vastaan)\b", re.I)
_APPROVED_ONLY = re.compile(
    r"^\s*(päätösehdotus|päätösesitys|ehdotus|esitys)?\s*(hyväksyttiin|hyväksytään)\b[^.]*\.?\s*$|"
    r"^\s*(kommunstyrelsen|fullmäktige|nämnden|styrelsen)?\s*(beslutar|beslöt)?\s*(enligt förslaget|bifaller "
    r"förslaget)\.?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    passage: int  # rank of the passage it comes from
    chunk: Chunk
    text: str  # an exact substring of chunk.text


def sentences_of(text: str) -> list[str]:
    """Lines and sentences, each an exact substring of `text` (minutes put one statement a line).

    A line that ends mid-sentence and a next line that starts in lower case are one sentence
    wrapped by the page (PDF text keeps the printed line breaks).
    """
    spans: list[list[int]] = []
    for a, b in split_sentences(text):
        if spans and text[spans[-1][1] - 1] not in ".!?:;" and text[a].islower():
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [text[a:b] for a, b in spans]


SectionLookup = Callable[[str], list[tuple[str, list[Chunk]]]]


class ExtractiveAnswerer:
    def __init__(self, min_support: float = MIN_SUPPORT, max_uncovered: float = MAX_UNCOVERED) -> None:
        self.min_support = min_support
        self.max_uncovered = max_uncovered
        self.document_sections: SectionLookup | None = None  # set by the Assistant: source → sections

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages)
        terms = question_terms(question.text)
        tokens = [_passage_tokens(p) for p in passages]
        if question.type == "decision" or (question.type == "date" and mentions_decision(question.text)):
            answer = self._decision(question, passages, terms, tokens)
            if answer is not None:
                return answer
        support = [coverage(terms, t) for t in tokens]
        best = max(range(len(passages)), key=lambda i: (support[i], -i))
        if (
            support[best] < self.min_support
            or missing_names(terms, frozenset().union(*tokens))
            or uncovered_share(terms, tokens[best]) > self.max_uncovered
        ):
            return abstention(question, passages)
        answer = None
        if question.type == "owner":
            answer = self._owner(question, passages, terms)
        answer = answer or self._sentences(question, passages, terms, support)
        if question.wants_number and not any(_NUMBER.search(c.quote) for c in answer.citations):
            return abstention(question, passages)
        return answer

    # -- decisions ---------------------------------------------------------------------------
    def _decision(
        self,
        question: Question,
        passages: Sequence[Passage],
        terms: tuple[Term, ...],
        tokens: list[frozenset[str]],
    ) -> Answer | None:
        """The decision of the body asked about, in the documents the question names; None to fall back."""
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
        candidates = [
            p.chunk for p in passages if p.chunk.source in sources and p.chunk.section_kind == "decision"
        ]
        if self.document_sections:
            seen = {c.id for c in candidates}
            candidates += [
                c
                for source in sources[:2]
                for _, chunks in self.document_sections(source)
                for c in chunks
                if c.section_kind == "decision" and c.id not in seen
            ]
        if question.body_class:
            candidates = [c for c in candidates if body_class(c.body) == question.body_class]
            if not candidates:
                return self._no_decision(question, passages)
        if not candidates:
            return None
        dates = {v[5:] for t in names for v in t.variants if v.startswith("date:")}
        dated = [c for c in candidates if c.meeting_date in dates]
        # The item whose text retrieval ranked highest is the matter asked about.
        item_rank = {}
        for rank, p in enumerate(passages):
            item_rank.setdefault((p.chunk.source, _item_root(p.chunk)), rank)
        chosen = min(
            dated or candidates, key=lambda c: item_rank.get((c.source, _item_root(c)), len(passages))
        )
        return self._decision_answer(question, chosen)

    def _no_decision(self, question: Question, passages: Sequence[Passage]) -> Answer:
        words = phrases(question.language)
        body = re.search(
            r"\S*(valtuust|hallitu|fullmäktig|styrels|council|board|lautakun|nämnd)\S*", question.text, re.I
        )
        abstained = abstention(question, passages)
        text = (
            words["no_decision"].format(body=body.group(0) if body else "")
            + abstained.text[len(words["abstain"]) :]
        )
        return Answer(
            question=question.text,
            text=text,
            abstained=True,
            language=question.language,
            question_type=question.type,
        )

    def _decision_answer(self, question: Question, chosen: Chunk) -> Answer:
        words = phrases(question.language)
        decision_text = _trim(chosen.text, 2)
        citations = [Citation(1, chosen, decision_text)]
        date = _format_date(chosen.meeting_date, question.language)
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
                quote = _trim(proposal.text, 2)
                citations.append(Citation(len(citations) + 1, proposal, quote))
                text += "\n\n" + words["proposal_approved"].format(text=quote) + f" [{len(citations)}]"
        if not _VOTE.search(decision_text):
            vote = self._vote_of(chosen)
            if vote is not None:
                citations.append(Citation(len(citations) + 1, vote[0], vote[1]))
                text += f"\n\n{vote[1]} [{len(citations)}]"
        return Answer(
            question=question.text,
            text=text,
            abstained=False,
            citations=tuple(citations),
            language=question.language,
            question_type=question.type,
        )

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
        handling = self._same_handling(decision, ("handling", "motions"))
        if handling is None:
            return None
        for sentence in sentences_of(handling.text):
            if _VOTE.search(sentence):
                return handling, sentence
        return None

    # -- owners, dates, facts -------------------------------------------------------------------
    def _owner(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...]
    ) -> Answer | None:
        """The owner of the action the question names, when the passages hold an action list."""
        best: tuple[float, OwnedAction] | None = None
        names = [t for t in terms if t.named]
        for rank, passage in enumerate(passages):
            if passage.chunk.section_kind != "actions":
                continue
            header = text_tokens(passage.chunk.context_header)
            for action in owned_actions(passage.chunk):
                own = coverage(terms, text_tokens(action.text))
                if own == 0 or missing_names(names, text_tokens(action.text) | header):
                    continue

                score = own + coverage(terms, text_tokens(action.text) | header) - 0.02 * rank
                if best is None or score > best[0]:
                    best = (score, action)
        if best is None:
            return None
        action = best[1]
        words = phrases(question.language)
        owner = action.quote if is_owner_line(action.quote) or action.owner == action.quote else action.owner
        text = (owner if is_owner_line(owner) else words["owner"].format(text=owner)) + " [1]"
        if action.title not in owner:
            text += f" — {action.title}"
        return Answer(
            question=question.text,
            text=text,
            abstained=False,
            citations=(Citation(1, action.chunk, action.quote),),
            language=question.language,
            question_type=question.type,
        )

    def _sentences(
        self, question: Question, passages: Sequence[Passage], terms: tuple[Term, ...], support: list[float]
    ) -> Answer:
        scored: list[tuple[float, Sentence]] = []
        for rank, passage in enumerate(passages):
            chunk = passage.chunk
            if (
                question.type == "owner"
                and chunk.section_kind == "preparer"
                and question.section_hint != "preparer"
            ):
                continue
            header = text_tokens(chunk.context_header)
            for sentence in sentences_of(chunk.text):
                tokens = text_tokens(sentence)
                score = coverage(terms, tokens | header) + 0.5 * support[rank] - 0.03 * rank
                relevance = coverage(terms, tokens)
                if question.type == "owner" and _OWNER_CUE.search(sentence):
                    score += 0.6
                elif question.type == "date" and _DATE.search(sentence):
                    score += 0.3 if relevance > 0 else 0.1
                if question.section_hint and chunk.section_kind == question.section_hint:
                    score += 0.4
                if len(sentence) < 12:
                    score -= 0.3
                scored.append((score, Sentence(rank, chunk, sentence)))
        if not scored:
            return abstention(question, passages)
        scored.sort(key=lambda s: -s[0])
        chosen = _choose(question, scored)
        words = phrases(question.language)
        citations: list[Citation] = []
        parts: list[str] = []
        for sentence in chosen:
            n = next((c.n for c in citations if c.chunk.id == sentence.chunk.id), len(citations) + 1)
            if n == len(citations) + 1:
                citations.append(Citation(n, sentence.chunk, sentence.text))
            parts.append(f"{sentence.text} [{n}]")
        text = " ".join(parts)
        if question.type == "owner" and not is_owner_line(chosen[0].text):
            text = words["owner"].format(text=text)
        return Answer(
            question=question.text,
            text=text,
            abstained=False,
            citations=tuple(citations),
            language=question.language,
            question_type=question.type,
        )


def _choose(question: Question, scored: list[tuple[float, Sentence]]) -> list[Sentence]:
    """The best sentence; for a list, the whole list block it stands in; for a fact, what continues it."""
    best = scored[0][1]
    lines = sentences_of(best.chunk.text)
    at = lines.index(best.text) if best.text in lines else 0
    if question.type == "list" and _is_list_block(lines):
        return [Sentence(best.passage, best.chunk, line) for line in lines[at:][:12] if len(line) > 2]
    chosen = [best]
    wanted = 3 if question.type == "list" else 2 if question.type == "fact" else 1
    for score, sentence in scored[1:]:
        if len(chosen) >= wanted or score < scored[0][0] - 0.35:
            break
        if all(sentence.text != c.text for c in chosen):
            chosen.append(sentence)
    if question.type in ("list", "fact") and len(chosen) < wanted and at + 1 < len(lines):
        follow = lines[at + 1]
        if len(follow) > 20 and all(follow != c.text for c in chosen):
            chosen.append(Sentence(best.passage, best.chunk, follow))
    return chosen


def _is_list_block(lines: list[str]) -> bool:
    """Bullets, or a run of short lines (names, themes, values) rather than prose."""
    if len(lines) < 2:
        return False
    bullets = sum(line.lstrip()[:1] in "•-–*·" or line[:2].rstrip(".").isdigit() for line in lines)
    short = sum(len(line) <= 60 for line in lines)
    return bullets >= len(lines) / 2 or short >= 0.8 * len(lines)


def _item_root(chunk: Chunk) -> str:
    """The minutes item a chunk belongs to: the first part of its section path ("§ 19")."""
    return chunk.section.split(" › ")[0]


def _passage_tokens(passage: Passage) -> frozenset[str]:
    texts = [passage.chunk.context_header, passage.chunk.text, *(n.text for n in passage.neighbours)]
    return text_tokens("\n".join(texts))


def _trim(text: str, sentences: int) -> str:
    """The first sentences of a section, as an exact prefix of its text."""
    parts = sentences_of(text)
    if not parts:
        return text.strip()
    end = text.find(parts[min(sentences, len(parts)) - 1]) + len(parts[min(sentences, len(parts)) - 1])
    return text[text.find(parts[0]) : end].strip()


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


def _format_date(iso: str | None, language: str) -> str:
    if not iso or len(iso) < 10:
        return iso or ""
    y, m, d = iso[:10].split("-")
    return f"{int(d)}.{int(m)}.{y}" if language == "fi" else iso[:10]

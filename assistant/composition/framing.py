"""The answer's frame in the asker's language; the documents' own words quoted in theirs, each cited.

Templates per answer type and language are `prompts/templates.json`. A decision names the body (in
English for an English asker), the date written for the language, the §, how it was resolved and the
vote; when it only approves the proposal ("Päätösehdotus hyväksyttiin"), the proposal is what was
decided and is quoted too, cited separately. An agenda's proposal is said to be a proposal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import genre
from assistant.composition.plain import answer_for
from assistant.question.analysis import Question
from assistant.reading.citations import join_lines, sentences_of
from assistant.reading.scoring import Candidate, is_bullet, is_list_block, item_root, trim
from assistant.records import Answer, Citation, SectionLookup
from ingest.parse.dates import find_dates
from ingest.records import Chunk

_VOTE = re.compile(r"\b\d{1,3}\s*[–-]\s*\d{1,3}\b|" + "|".join(rf"\b{p}" for p in genre.vote_tally()), re.I)
_APPROVED_ONLY = re.compile("|".join(rf"^\s*(?:{p})\s*$" for p in genre.approves_proposal_only()), re.I)


@lru_cache(maxsize=4)
def _templates(folder: Path) -> dict:
    return json.loads((folder / "templates.json").read_text(encoding="utf-8"))


def templates(language: str, prompts_dir: Path) -> dict:
    """`templates.json` in the settings' `prompts_dir`, in `language` (English where it has none)."""
    table = _templates(Path(prompts_dir))
    return table.get(language) or table["en"]


def format_date(iso: str | None, pattern: str | None, months: Sequence[str] = ()) -> str | None:
    """An ISO date written by `pattern`: "{d}.{m}.{y}" → 17.2.2025, "{d} {month} {y}" → 17 February 2025
    (`months`: the language's names), "{y}-{mm}-{dd}" → 2025-02-17. As it is when it is no full date, or
    there is no pattern. The one date writer: the answer's frame (templates.json) and the app (ui.json)."""
    if not iso or not pattern:
        return iso
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if not match:
        return iso
    y, mm, dd = match.groups()
    m = int(mm)
    month = months[m - 1] if len(months) >= m > 0 else mm
    return pattern.format(d=int(dd), m=m, y=y, mm=mm, dd=dd, month=month)


def body_name(body: str | None, language: str, fallback: str = "") -> str:
    """The body as written; for an English asker its English name (kaupunginhallitus → city board)."""
    if not body:
        return fallback
    if language != "en":
        return body
    try:
        from genre import body_english
    except ImportError:  # the genre package is the one place for this knowledge
        return body
    english = body_english(body)
    return f"{english} ({body})" if english else body


def _adopts_proposal(text: str) -> bool:
    short = text.strip()
    if _APPROVED_ONLY.match(short):
        return True
    try:
        from genre import adopts_proposal_phrases
    except ImportError:
        return False
    return len(short) < 120 and any(re.search(p, short, re.IGNORECASE) for p in adopts_proposal_phrases())


class Framer:
    """Turns the chosen candidate into the answer; reads a decision's proposal and vote from its item."""

    def __init__(self, sections: SectionLookup | None = None, *, prompts_dir: Path) -> None:
        self._lookup = sections
        self.prompts_dir = prompts_dir  # templates.json: the settings' folder, passed down
        self._sections: dict[str, list[tuple[str, list[Chunk]]]] = {}

    def _date(self, iso: str | None, language: str) -> str:
        """A meeting date as the language writes it (17.2.2025, 17 februari 2025); "" when there is none."""
        words = templates(language, self.prompts_dir)
        return format_date(iso, words["date_format"], words["months"]) or ""

    def sections(self, source: str) -> list[tuple[str, list[Chunk]]]:
        """A document's sections in reading order (read once per framer)."""
        if self._lookup is None:
            return []
        if source not in self._sections:
            self._sections[source] = self._lookup(source)
        return self._sections[source]

    def frame(self, question: Question, best: Candidate, others: Sequence[Candidate] = ()) -> Answer:
        if best.kind == "decision" or (best.kind == "proposal" and best.chunk.doc_type == "agenda"):
            return self._decision(question, best)
        if best.kind == "owner":
            return self._owner(question, best)
        if best.kind == "cover":
            return self._fact(question, best)
        return self._sentences(question, best, others)

    # -- decisions --------------------------------------------------------------------------------
    def _decision(self, question: Question, chosen: Candidate) -> Answer:
        words = templates(question.language, self.prompts_dir)
        chunk = chosen.chunk
        citations = [Citation(1, chunk, chosen.quote)]
        item = words["item"].format(item=chunk.item) if chunk.item else ""
        if chosen.kind == "proposal":  # an agenda: the decision is not made yet
            text = words["agenda"].format(item=item, quote=join_lines(chosen.quote), n=1)
            return answer_for(question, text, citations)
        date = self._date(chunk.meeting_date, question.language)
        how = words["how"].get(chunk.resolution or "", "")
        body = body_name(chunk.body, question.language, chunk.document_title)
        template = words["decided"] if date else words["decided_no_date"]
        text = template.format(body=body, date=date, item=item, how=how, quote=join_lines(chosen.quote),
                               n=1)
        if text[:1].islower():
            text = text[0].upper() + text[1:]
        if _adopts_proposal(chunk.text) or len(chunk.text.strip()) < 60:
            proposal = self._same_handling(chunk, ("proposal",)) or self._proposal_before(chunk)
            if proposal is not None:
                quote = trim(proposal.text, 3)
                citations.append(Citation(len(citations) + 1, proposal, quote))
                text += "\n\n" + words["approved_proposal"].format(quote=join_lines(quote),
                                                                   n=len(citations))
        if not _VOTE.search(chosen.quote):
            vote = self._vote_of(chunk)
            if vote is not None:
                citations.append(Citation(len(citations) + 1, vote[0], vote[1]))
                text += "\n\n" + words["vote"].format(quote=join_lines(vote[1]), n=len(citations))
        return answer_for(question, text, citations)

    def _handling_chunks(self, decision: Chunk) -> list[Chunk]:
        if self._lookup is None:
            return []
        key = (decision.body, decision.meeting_date, decision.item, item_root(decision))
        return [
            c
            for _, chunks in self.sections(decision.source)
            for c in chunks
            if (c.body, c.meeting_date, c.item, item_root(c)) == key
        ]

    def _same_handling(self, decision: Chunk, kinds: tuple[str, ...]) -> Chunk | None:
        """A section of the given kinds in the same handling (document, body, date, §)."""
        return next((c for c in self._handling_chunks(decision) if c.section_kind in kinds), None)

    def _proposal_before(self, decision: Chunk) -> Chunk | None:
        """The last proposal before the decision in the same item: the one its handling adopted when
        the proposal stood under the preparing body ("Johtoryhmä esittää Seutuvaltuustolle …")."""
        if self._lookup is None:
            return None
        last: Chunk | None = None
        for _, chunks in self.sections(decision.source):
            for c in chunks:
                if c.id == decision.id:
                    return last
                if c.section_kind == "proposal" and item_root(c) == item_root(decision):
                    last = c
        return None

    def _vote_of(self, decision: Chunk) -> tuple[Chunk, str] | None:
        """The sentence with the vote count ("äänin 31–20", "9 ja-röster mot 4") in the same handling."""
        for c in self._handling_chunks(decision):
            if c.section_kind in ("handling", "motions", "decision") and c.id != decision.id:
                sentence = next((s for s in sentences_of(c.text) if _VOTE.search(s)), None)
                if sentence:
                    return c, sentence
        return None

    # -- owners -----------------------------------------------------------------------------------
    def _owner(self, question: Question, chosen: Candidate) -> Answer:
        words = templates(question.language, self.prompts_dir)
        title = chosen.title.strip(" |")
        if title and title not in chosen.owner:
            text = words["owner"].format(title=title, owner=chosen.owner, n=1)
        else:
            text = words["owner_plain"].format(owner=chosen.owner, n=1)
        return answer_for(question, text, (Citation(1, chosen.chunk, chosen.quote),))

    # -- facts of the layout (cover page, preparer lines) ----------------------------------------
    def _fact(self, question: Question, chosen: Candidate) -> Answer:
        words = templates(question.language, self.prompts_dir)
        chunk = chosen.chunk
        role = words.get("roles", {}).get(chosen.title, chosen.title)
        organ = chunk.extra.get("meeting_organ") or chunk.body
        body = body_name(organ, question.language, chunk.document_title)
        date = self._date(chunk.meeting_date, question.language)
        meeting = words["meeting"].format(body=body, date=date, item="").strip(" ,")
        text = words["cover"].format(role=role, meeting=meeting, value=chosen.owner, n=1)
        return answer_for(question, text, (Citation(1, chunk, chosen.quote),))

    # -- sentences --------------------------------------------------------------------------------
    def _sentences(self, question: Question, best: Candidate, others: Sequence[Candidate]) -> Answer:
        """The best sentence; for a list the list block it stands in; for a fact what continues it."""
        words = templates(question.language, self.prompts_dir)
        chosen = [best]
        lines = sentences_of(best.chunk.text)
        at = lines.index(best.quote) if best.quote in lines else -1
        if question.type == "list" and at >= 0 and is_list_block(lines):
            # the whole run of bullets the best one stands in, not only those after it
            start = at
            while start > 0 and is_bullet(lines[at]) and is_bullet(lines[start - 1]):
                start -= 1
            chosen = [Candidate("sentence", best.chunk, best.rank, line, line)
                      for line in lines[start : max(start + 12, at + 1)] if len(line) > 2]
        elif question.type in ("list", "fact") or _is_bare(best.quote):
            # what follows a header or a short sentence is what it announces ("Seuraavat vaiheet:" …)
            wanted = 3 if question.type == "list" or _is_bare(best.quote) else 2
            follow = [line for line in lines[at + 1 :] if len(line) > 2][: wanted - 1] if at >= 0 else []
            chosen += [Candidate("sentence", best.chunk, best.rank, line, line) for line in follow]
        citations: list[Citation] = []
        parts: list[str] = []
        for candidate in chosen:
            n = next((c.n for c in citations if c.chunk.id == candidate.chunk.id), len(citations) + 1)
            if n == len(citations) + 1:
                citations.append(Citation(n, candidate.chunk, candidate.quote))
            parts.append(words["quote"].format(quote=join_lines(candidate.quote), n=n))
        text = " ".join(parts)
        lead = best.chunk
        if question.type == "date" and not _has_date(best.quote) and lead.meeting_date:
            # The sentence carries no date; the meeting it was recorded at does (the citation shows it).
            text = f"{self._date(lead.meeting_date, question.language)}: {text}"
        return answer_for(question, text, citations)


def _has_date(text: str) -> bool:
    return bool(find_dates(text)) or bool(re.search(r"\b(?:19|20)\d\d\b|\bQ[1-4]\b", text))


def _is_bare(text: str) -> bool:
    """A header line ("Jatkotoimenpiteet", "Nästa steg:") that announces rather than says."""
    t = text.strip()
    return len(t) < 60 and (t.endswith(":") or not re.search(r"[.!?]$", t)) and len(t.split()) <= 6

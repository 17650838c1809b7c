"""An answerer that asks a chat model (any OpenAI-compatible server, or Ollama) and then checks its citations.

The model only writes; this module decides what reaches the user. Passages go in as numbered,
delimited data blocks; the reply keeps only markers that point at a passage, each backed by a
quote that is literally in that passage, and anything without a valid citation is an abstention.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from assistant.composition.plain import abstention, answer_for
from assistant.prompts import LANGUAGES, load_prompt
from assistant.question.analysis import Question
from assistant.reading.citations import best_quote, claims_by_marker, find_markers, overlap, renumber
from assistant.records import Answer, Citation, Passage
from config import Settings
from ingest.records import Chunk

logger = logging.getLogger(__name__)

NO_ANSWER = "NO_ANSWER"
INSTALL_HINT = "pip install 'strategy-chat[llm]'"
PLACEHOLDERS = ("question", "passages")

# Anything in document or question text that could open or close one of our blocks, however spaced or cased.
_DELIMITER = re.compile(r"<(\s*/?\s*)(passages?|question)(?![\w-])", re.IGNORECASE)
_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.IGNORECASE | re.DOTALL)


class LLMError(RuntimeError):
    """The LLM answerer cannot run: the extra is not installed, it is not configured, or the server failed."""


def escape_delimiters(text: str) -> str:
    """Neutralise `<passage>`, `</passage>`, `<question>` … in quoted text so it cannot close its block."""
    return _DELIMITER.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)


def passage_text(passage: Passage) -> str:
    """The chunk with the neighbouring chunks of its section, in reading order."""
    chunks = sorted((passage.chunk, *passage.neighbours), key=lambda c: c.chunk_index)
    return "\n".join(c.text.strip() for c in chunks)


def render_passages(passages: Sequence[Passage]) -> str:
    """Numbered data blocks: `<passage n=…>`, then `[n] <context header>`, then the text."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        attributes = f'n="{n}" kind="{chunk.section_kind}"'
        if chunk.page is not None:
            attributes += f' page="{chunk.page}"'
        header = escape_delimiters(" ".join(chunk.context_header.split()))
        body = escape_delimiters(passage_text(passage))
        blocks.append(f"<passage {attributes}>\n[{n}] {header}\n{body}\n</passage>")
    return "\n\n".join(blocks)


def _template(text: str, variables: Sequence[str] = ()) -> str:
    """A prompt file as an f-string template: every brace literal except the named placeholders."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    for name in variables:
        if "{" + name + "}" not in text:
            raise LLMError(f"The answer prompt has no {{{name}}} placeholder.")
        escaped = escaped.replace("{{" + name + "}}", "{" + name + "}")
    return escaped


class LLMAnswerer:
    """Answers with a LangChain chat model over the retrieved passages; citations checked afterwards."""

    def __init__(self, settings: Settings, *, max_retries: int = 2) -> None:
        if not settings.llm_model:
            raise LLMError(
                f"answerer={settings.answerer!r} needs a model: set STRATEGY_CHAT_LLM_MODEL (or --llm-model)."
            )
        self.settings = settings
        self.model = _chat_model(settings, max_retries)
        self.system = _template(load_prompt("system", prompts_dir=settings.prompts_dir))
        self.templates = {
            language: _template(load_prompt("answer", language, prompts_dir=settings.prompts_dir),
                                PLACEHOLDERS)
            for language in LANGUAGES
        }

    def chain(self, language: str) -> Any:
        """prompt | model | text, for the question's language (English where there is no template)."""
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        template = self.templates.get(language) or self.templates["en"]
        prompt = ChatPromptTemplate.from_messages([("system", self.system), ("human", template)])
        return prompt | self.model | StrOutputParser()

    def generate(self, question: Question, passages: Sequence[Passage]) -> str:
        """The model's raw reply; an LLMError that names the server when the call fails."""
        inputs = {"question": escape_delimiters(question.text), "passages": render_passages(passages)}
        try:
            return self.chain(question.language).invoke(inputs)
        except Exception as exc:  # the client libraries raise many types; the caller needs one
            raise LLMError(_describe_failure(self.settings, exc)) from exc

    def answer(self, question: Question, passages: Sequence[Passage]) -> Answer:
        if not passages:
            return abstention(question, passages, self.settings.prompts_dir)
        reply = self.generate(question, passages)
        logger.debug("LLM reply: %r", reply)
        return check_citations(question, passages, reply, self.settings.prompts_dir)


def check_citations(
    question: Question, passages: Sequence[Passage], reply: str, prompts_dir: Path
) -> Answer:
    """Keep markers that point at a passage, renumbered 1..m in order of appearance, each with a quote;
    abstain when the model said NO_ANSWER or nothing it said is cited."""
    text = _THINK.sub("", reply or "").strip()
    if not text or NO_ANSWER in text:
        return abstention(question, passages, prompts_dir)
    cited = find_markers(text)
    valid = [n for n in cited if 1 <= n <= len(passages)]
    if len(valid) < len(cited):
        logger.info("Dropped citation markers to no passage: %s", sorted(set(cited) - set(valid)))
    if not valid:
        logger.info("LLM reply carries no valid citation; abstaining.")
        return abstention(question, passages, prompts_dir)
    mapping = {n: m for m, n in enumerate(valid, start=1)}
    claims = claims_by_marker(text)
    citations = tuple(_citation(mapping[n], passages[n - 1], claims.get(n, [])) for n in valid)
    return answer_for(question, renumber(text, mapping).strip(), citations)


def _citation(m: int, passage: Passage, claims: Sequence[str]) -> Citation:
    """The sentence of the passage that best carries the claims; from a neighbouring chunk of the same
    section when the model drew on the context around the retrieved chunk, else the chunk's own."""
    claim = " ".join(claims)
    chunk: Chunk = passage.chunk
    quote = best_quote(claim, chunk.text)
    score = overlap(claim, quote)
    for neighbour in passage.neighbours:
        candidate = best_quote(claim, neighbour.text)
        candidate_score = overlap(claim, candidate)
        if candidate_score > score:
            chunk, quote, score = neighbour, candidate, candidate_score
    return Citation(m, chunk, quote)


def _chat_model(settings: Settings, max_retries: int) -> Any:
    """The LangChain chat model for settings.answerer; imported here so the extra stays optional."""
    model = settings.llm_model
    if not model:  # checked by the answerer's constructor too; here it also narrows the type
        raise LLMError("No LLM model is set: set STRATEGY_CHAT_LLM_MODEL or pass --llm-model NAME.")
    try:
        if settings.answerer == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                base_url=settings.llm_base_url,
                model=model,
                temperature=0,
                client_kwargs={"timeout": settings.llm_timeout_s},
            )
        if settings.answerer == "openai":
            from langchain_openai import ChatOpenAI

            # Local OpenAI-compatible servers want no key, but the client insists on one.
            key = settings.llm_api_key or ("not-needed" if settings.llm_base_url else None)
            return ChatOpenAI(
                base_url=settings.llm_base_url,
                api_key=SecretStr(key) if key else None,
                model=model,
                timeout=settings.llm_timeout_s,
                temperature=0,
                max_retries=max_retries,
            )
    except ImportError as exc:
        raise LLMError(
            f"answerer={settings.answerer!r} needs the LLM extra ({exc.name or exc}): {INSTALL_HINT}"
        ) from exc
    except Exception as exc:  # e.g. no API key for api.openai.com
        raise LLMError(f"Could not set up the {settings.answerer} chat model: {exc}") from exc
    raise LLMError(f"LLMAnswerer serves answerer 'openai' or 'ollama', not {settings.answerer!r}.")


def _describe_failure(settings: Settings, exc: Exception) -> str:
    where = settings.llm_base_url or ("http://localhost:11434" if settings.answerer == "ollama" else "OpenAI")
    kind = type(exc).__name__
    if "Timeout" in kind or isinstance(exc, TimeoutError):
        return f"The LLM server at {where} did not answer within {settings.llm_timeout_s:g} s ({kind})."
    if isinstance(exc, ConnectionError) or "Connect" in kind:
        return (
            f"Could not reach the LLM server at {where} ({kind}); is it running? "
            "Check STRATEGY_CHAT_LLM_BASE_URL."
        )
    return f"The LLM server at {where} failed for model {settings.llm_model!r}: {kind}: {exc}"

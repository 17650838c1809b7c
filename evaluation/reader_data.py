"""The reader's examples: question → passage → answer span (or none), written by the team, split by document.

`evaluation/reader/examples.jsonl` holds one example a line:

    {"id", "question", "language", "type", "document": "../shared/real/web2/x.txt",
     "passage": {"section": "§ 58 › Päätös", "chunk_index": 3}, "answer": "kaupunginhallitus" | null,
     "answer_start": 112 | null, "split": "train" | "dev" | "test", "real": true, "origin": "written"}

`answer_start` is a character offset into the passage's text as ingest chunks the document today
(`ingest.load → parse → chunk`). The documents are read at training time, never copied here: the real
ones stay in ../shared/real/. When a pipeline change moves a chunk, the answer is found again in the
same section (then anywhere in the document); `resolve()` says how many moved and how many were lost.

`compile_raw()` turns what the writers wrote (question, answer copied from the document, and a few
words of evidence that locate the passage; those words are not kept) into these lines.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from ingest.records import Chunk

from .split import REPO_ROOT, SPLIT_PATH, load_split

logger = logging.getLogger(__name__)

EXAMPLES_PATH = Path(__file__).resolve().parent / "reader" / "examples.jsonl"
SPLIT_NAMES = ("train", "dev", "test")
# The reader's answer types, and the gold set's type each is scored as.
GOLD_TYPE = {"owner": "owner", "decision": "decision", "date": "date", "amount": "amount", "person": "person",
             "body": "fact", "vote": "decision", "fact": "fact", "list": "list"}


@dataclass(frozen=True)
class ReaderExample:
    id: str
    question: str
    language: str
    type: str
    document: str  # path as split.json writes it, relative to the repository root
    passage: dict  # {"section": ..., "chunk_index": ...}
    answer: str | None
    answer_start: int | None
    split: str
    real: bool
    origin: str = "written"  # "written" by the team, or "templated" from facts ingest extracted
    group: str | None = None  # the gold group, kept when `reanchor` moves the locator (None: from it)

    @property
    def answerable(self) -> bool:
        return self.answer is not None

    def to_json(self) -> dict:
        data = asdict(self)
        if data["group"] is None:  # as before groups were kept: the same data hashes the same
            del data["group"]
        return data


@dataclass(frozen=True)
class ResolvedExample:
    """An example with its passage read from the document: what the reader trains and is tested on."""

    example: ReaderExample
    chunk: Chunk
    answer: tuple[int, int] | None  # character range in chunk.text
    neighbours: tuple[Chunk, ...]  # other chunks of the same document (hard negatives)


def load_examples(path: Path = EXAMPLES_PATH) -> list[ReaderExample]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(ReaderExample(**json.loads(line)))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: not a reader example ({exc})") from exc
    return out


def data_sha256(examples: Iterable[ReaderExample]) -> str:
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps(ex.to_json(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# -- documents → chunks (as ingest makes them) ------------------------------------------------------

def split_of_documents(split_path: Path = SPLIT_PATH) -> dict[str, str]:
    """{resolved file path: split} for every file the split lists (folders expanded)."""
    from ingest.pipeline import discover

    out: dict[str, str] = {}
    for name, listed in load_split(split_path).items():
        present = [(REPO_ROOT / p).resolve() for p in listed if (REPO_ROOT / p).exists()]
        files, _ = discover(present)
        for f in files:
            out[str(Path(f).resolve())] = name
    return out


def token_counter(base_folder: Path | None) -> Callable[[str], int] | None:
    """Count tokens as the converted e5 model does at ingest (so chunks match the index's)."""
    if base_folder is None:
        return None
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base_folder))
    return lambda text: len(tokenizer("passage: " + text, add_special_tokens=True)["input_ids"])


def document_chunks(path: Path, count_tokens: Callable[[str], int] | None = None) -> tuple[Chunk, ...]:
    """The document's chunks as ingest makes them (max 400 tokens, counted by `count_tokens`), read once
    per document and counter."""
    return _chunks(str(Path(path).resolve()), count_tokens)


@lru_cache(maxsize=512)
def _chunks(path: str, count_tokens: Callable[[str], int] | None) -> tuple[Chunk, ...]:
    from ingest.chunk import chunk_document
    from ingest.load import load_document
    from ingest.parse import parse_document

    loaded = load_document(Path(path))
    return tuple(chunk_document(parse_document(loaded), max_tokens=400, count_tokens=count_tokens))


# -- finding text in chunks -------------------------------------------------------------------------

def _normal(text: str) -> tuple[str, list[int]]:
    """Whitespace collapsed to single spaces and case folded, with each character's offset in `text`."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\u00a0":
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch.lower())
        where.append(i)
    return "".join(out), where


def find_span(text: str, wanted: str, near: int | None = None) -> tuple[int, int] | None:
    """`wanted` in `text` up to whitespace and case: its (start, end) in `text`, the occurrence nearest
    to `near` when given."""
    norm, where = _normal(text)
    target, _ = _normal(wanted.strip())
    if not target:
        return None
    hits = [m.start() for m in re.finditer(re.escape(target), norm)]
    if not hits:
        return None
    at = min(hits, key=lambda h: abs(where[h] - near)) if near is not None else hits[0]
    return where[at], where[at + len(target) - 1] + 1


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


def locate(chunks: Sequence[Chunk], answer: str | None, evidence: str
           ) -> tuple[int, tuple[int, int] | None] | None:
    """(chunk position, answer range) for a written example: the chunk holding the answer next to its
    evidence words; for no answer, the chunk holding the evidence (else sharing most of its words)."""
    ev_words = _words(evidence)

    def closeness(c: Chunk) -> tuple[int, int]:
        return (1 if find_span(c.text, evidence) else 0, len(ev_words & _words(c.text)))

    if answer is None:
        if not chunks:
            return None
        best = max(range(len(chunks)), key=lambda i: closeness(chunks[i]))
        return (best, None) if closeness(chunks[best])[1] > 0 else None
    found = []
    for i, c in enumerate(chunks):
        ev = find_span(c.text, evidence)
        span = find_span(c.text, answer, near=ev[0] if ev else None)
        if span is not None:
            found.append((closeness(c), i, span))
    if not found:
        return None
    found.sort(key=lambda t: (-t[0][0], -t[0][1], t[1]))
    _, i, span = found[0]
    return i, span


def compile_raw(raw_files: Sequence[Path], count_tokens: Callable[[str], int] | None,
                split_path: Path = SPLIT_PATH, shared_root: Path | None = None,
                train_docs: Path | None = None) -> tuple[list[ReaderExample], Counter]:
    """Written lines ({"doc": "web2/<f>" | "train/<f>", "question", "language", "type", "answer",
    "evidence"}) → examples with their passage located and their split from split.json."""
    shared_root = shared_root or (REPO_ROOT.parent / "shared" / "real")
    train_docs = train_docs or (REPO_ROOT / "evaluation" / "documents" / "train")
    splits = split_of_documents(split_path)
    stats: Counter = Counter()
    out: list[ReaderExample] = []
    seen: set[tuple[str, str]] = set()
    for raw in raw_files:
        for line in Path(raw).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                stats["not json"] += 1
                continue
            doc = str(row.get("doc", ""))
            if doc.startswith("train/"):
                path, real = train_docs / doc[len("train/"):], False
            else:
                path, real = shared_root / doc, True
            split = splits.get(str(path.resolve()))
            if split is None or not path.exists():
                stats["document not in a split"] += 1
                continue
            question = " ".join(str(row.get("question", "")).split())
            if not question or (doc, question) in seen:
                stats["duplicate or empty"] += 1
                continue
            seen.add((doc, question))
            chunks = document_chunks(path, count_tokens)
            found = locate(chunks, row.get("answer"), str(row.get("evidence", "")))
            if found is None:
                stats["answer not found in the chunks"] += 1
                continue
            i, span = found
            chunk = chunks[i]
            rel = (Path("..") / "shared" / "real" / doc) if real else \
                (Path("evaluation/documents/train") / doc[len("train/"):])
            digest = hashlib.sha1(f"{doc}|{question}".encode()).hexdigest()[:12]
            out.append(ReaderExample(
                id=f"rx-{digest}", question=question, language=str(row.get("language")),
                type=str(row.get("type", "fact")), document=str(rel),
                passage={"section": chunk.section, "chunk_index": chunk.chunk_index},
                answer=chunk.text[span[0]:span[1]] if span else None,
                answer_start=span[0] if span else None, split=split, real=real, origin="written"))
            stats["kept"] += 1
    return out, stats


def write_examples(examples: Sequence[ReaderExample], path: Path = EXAMPLES_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(examples, key=lambda e: (SPLIT_NAMES.index(e.split), e.document, e.id))
    path.write_text("".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in ordered),
                    encoding="utf-8")


# -- examples → passages, at training time ----------------------------------------------------------

def resolve(examples: Sequence[ReaderExample], count_tokens: Callable[[str], int] | None = None
            ) -> tuple[list[ResolvedExample], Counter]:
    """Read each example's passage from its document. Documents that are not here (no ../shared/real)
    are skipped and counted, as is an answer no longer found."""
    stats: Counter = Counter()
    out: list[ResolvedExample] = []
    for ex in examples:
        path = (REPO_ROOT / ex.document).resolve()
        if not path.exists():
            stats["document missing"] += 1
            continue
        chunks = document_chunks(path, count_tokens)
        at = int(ex.passage.get("chunk_index", -1))
        chunk = next((c for c in chunks if c.chunk_index == at), None)
        span: tuple[int, int] | None = None
        if ex.answer is not None:
            if chunk is not None and ex.answer_start is not None and \
                    chunk.text[ex.answer_start:ex.answer_start + len(ex.answer)] == ex.answer:
                span = (ex.answer_start, ex.answer_start + len(ex.answer))
            else:  # the chunking moved: the same section first, then anywhere in the document
                same = [c for c in chunks if c.section == ex.passage.get("section")] + list(chunks)
                for c in same:
                    found = find_span(c.text, ex.answer)
                    if found:
                        chunk, span = c, found
                        stats["moved"] += 1
                        break
            if span is None or chunk is None:
                stats["answer lost"] += 1
                continue
        elif chunk is None:
            chunk = next((c for c in chunks if c.section == ex.passage.get("section")), None)
            if chunk is None:
                stats["passage lost"] += 1
                continue
        neighbours = tuple(c for c in chunks if c.id != chunk.id)
        out.append(ResolvedExample(ex, chunk, span, neighbours))
        stats["resolved"] += 1
    return out, stats


def reanchor(examples: Sequence[ReaderExample], count_tokens: Callable[[str], int] | None = None
             ) -> tuple[list[ReaderExample], Counter]:
    """The examples with their locators (section, chunk index, answer offset) where today's parse puts
    them, after a pipeline change re-chunked or renamed sections: the gold sets then name the sections
    an index holds, so recall is measured against them. Question, answer and split never change; the
    gold group is kept (the fixed evaluation samples stay the same questions). An unanswerable
    example whose passage is gone takes the document's nearest chunk (the document answers it nowhere);
    one whose document is missing, or an answer no longer found, is kept as it was and counted."""
    resolved, stats = resolve(examples, count_tokens)
    by_id = {r.example.id: r for r in resolved}
    out: list[ReaderExample] = []
    counts: Counter = Counter()
    for ex in examples:
        r = by_id.get(ex.id)
        chunk, start = (r.chunk, r.answer[0] if r.answer else None) if r is not None else (None, None)
        if chunk is None and not ex.answerable and (path := (REPO_ROOT / ex.document).resolve()).exists():
            chunks = document_chunks(path, count_tokens)
            if chunks:
                at = int(ex.passage.get("chunk_index", 0))
                chunk = min(chunks, key=lambda c: abs(c.chunk_index - at))
        if chunk is None:
            out.append(ex)
            counts["kept as it was"] += 1
            continue
        passage = {"section": chunk.section, "chunk_index": chunk.chunk_index}
        moved = passage != {k: ex.passage.get(k) for k in passage} or start != ex.answer_start
        out.append(replace(ex, passage=passage, answer_start=start, group=gold_group(ex)))
        counts["moved" if moved else "in place"] += 1
    return out, counts


# -- examples of dev and test as gold questions for `strategy-chat eval` ----------------------------

def gold_group(ex: ReaderExample) -> str:
    """The example's gold group: phrasings of one fact at one place share it; a near miss is its own
    group (two of them seldom ask the same thing). Fixed once written, so samples stay the same."""
    if ex.group:
        return ex.group
    where = f"{ex.document}|{ex.passage.get('chunk_index')}|{ex.answer_start}"
    key = f"{where}|{ex.answer}" if ex.answerable else ex.id
    return "g-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def as_gold(examples: Sequence[ReaderExample], split: str) -> list[dict]:
    """The split's written examples as gold-set questions (key fact: the answer span; source: its
    document and section), so the end-to-end evaluation scores them beside the older gold sets."""
    out = []
    for ex in examples:
        if ex.split != split or ex.origin != "written":
            continue
        source = Path(ex.document).name
        out.append({
            "id": ex.id, "group": gold_group(ex), "question": ex.question, "language": ex.language,
            "type": GOLD_TYPE.get(ex.type, "fact") if ex.answerable else "unanswerable",
            "answerable": ex.answerable, "reference_answer": ex.answer or "",
            "key_facts": [[ex.answer]] if ex.answer else [],
            "expected_sources": [{"source": source, "section": ex.passage.get("section", "")}]
            if ex.answerable else [],
            "notes": "from evaluation/reader/examples.jsonl (real)" if ex.real else
                     "from evaluation/reader/examples.jsonl",
        })
    return out


def write_gold(examples: Sequence[ReaderExample], goldset_dir: Path | None = None) -> dict[str, int]:
    """goldsets/dev/reader.jsonl and goldsets/test/reader.jsonl from the written examples."""
    from .goldset import GOLDSET_DIR

    folder = goldset_dir or GOLDSET_DIR
    counts = {}
    for split in ("dev", "test"):
        rows = as_gold(examples, split)
        (folder / split / "reader.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        counts[split] = len(rows)
    return counts

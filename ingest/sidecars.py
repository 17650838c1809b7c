"""A document's sidecar, `NAME.meta.json`: per-document metadata (municipality, body, visibility …)
read and checked, failing closed — a sidecar that cannot be read with certainty makes its document
internal."""

from __future__ import annotations

import codecs
import errno
import json
from dataclasses import dataclass
from pathlib import Path

from ingest.load.loaders.common import one_line

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Sidecar:
    """What `NAME.meta.json` says: overrides, the visibility it names (None: none named), whether that
    visibility is certain, and one-line problems for the summary."""

    overrides: dict[str, str]
    visibility: str | None = None
    certain: bool = True
    problems: tuple[str, ...] = ()


VISIBILITIES = ("public", "internal")
# Fields a sidecar may not set: they make the document's identity and the chunk's place in it.
_NOT_OVERRIDABLE = {"id", "text", "source", "chunk_index", "content_hash", "file_hash", "page", "extra"}
_CLOSED = "indexed as internal until it is fixed"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar_bytes(path: Path) -> bytes | None:
    """The sidecar's bytes; None when there is none (also when its name would be too long to exist)."""
    try:
        return sidecar_path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return None  # NAME.meta.json would exceed the file system's name limit: no sidecar can exist
        raise


def _decode_sidecar(raw: bytes) -> str:
    """UTF-8 with or without a BOM (as Notepad writes it), or UTF-16/32 with one."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding)
    return raw.decode("utf-8-sig")


def read_sidecar(path: Path) -> Sidecar:
    """Per-document overrides from `NAME.meta.json` (municipality, body, visibility …).

    Fails closed: a sidecar that exists but cannot be read, is not a JSON object, names visibility twice
    (keys are case-insensitive) or as anything but "public" or "internal" leaves the document's
    visibility uncertain, and `visibility_of` makes it internal. A BOM is accepted.
    """
    try:
        raw = read_sidecar_bytes(path)
    except OSError as exc:
        return Sidecar({}, certain=False, problems=(f"cannot read its sidecar ({exc.strerror}); {_CLOSED}",))
    if raw is None:
        return Sidecar({})
    name = sidecar_path(path).name
    try:
        data = json.loads(_decode_sidecar(raw), object_pairs_hook=_Pairs)  # duplicate keys stay visible
    except (UnicodeDecodeError, ValueError) as exc:
        return Sidecar({}, certain=False,
                       problems=(f"{name} is not valid JSON ({one_line(str(exc), 80)}); {_CLOSED}",))
    except RecursionError:
        return Sidecar({}, certain=False, problems=(f"{name} is nested too deeply; {_CLOSED}",))
    if not isinstance(data, _Pairs):
        kind = _json_kind(data)
        return Sidecar({}, certain=False, problems=(f"{name} holds {kind}, not a JSON object; {_CLOSED}",))
    overrides: dict[str, str] = {}
    problems: list[str] = []
    visibility: str | None = None
    certain = True
    given: dict[str, object] = {}
    for raw_key, value in data:
        key = raw_key.strip().casefold()
        if key in given:
            if given[key] != value:
                problems.append(f"{name} gives {key!r} twice with different values (ignored)")
                overrides.pop(key, None)
                if key == "visibility":
                    certain = False
            continue
        given[key] = value
        if key == "visibility":
            if isinstance(value, str) and value.strip().casefold() in VISIBILITIES:
                visibility = value.strip().casefold()
            else:
                certain = False
                shown = one_line(json.dumps(value, ensure_ascii=False), 40)
                problems.append(f"{name}: visibility is {shown}, not \"public\" or \"internal\"")
            continue
        if value is None:
            continue
        if key in _NOT_OVERRIDABLE or not key:
            problems.append(f"{name}: {key!r} cannot be set by a sidecar (ignored)")
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            problems.append(f"{name}: {key!r} should be text, not {_json_kind(value)} (ignored)")
        else:
            overrides[key] = one_line(str(value), 300)
    if not certain:
        problems.append(f"its visibility is uncertain: {_CLOSED}")
        visibility = None
    return Sidecar(overrides, visibility, certain, tuple(problems))


class _Pairs(list):
    """A JSON object as its (key, value) pairs in order: `json.loads` would keep only a repeated key's
    last value, and {"visibility": "internal", "visibility": "public"} must not read as public."""


def _json_kind(value: object) -> str:
    if isinstance(value, _Pairs):
        return "an object"
    kinds = {"bool": "a boolean", "list": "an array", "dict": "an object", "str": "a string",
             "NoneType": "null"}
    return kinds.get(type(value).__name__, "a number")


def visibility_of(path: Path, sidecar: Sidecar | None = None) -> str:
    """Documents under a folder named `internal` are internal unless a sidecar says otherwise; one whose
    sidecar cannot be read with certainty is internal (visibility fails closed)."""
    if sidecar is not None and not sidecar.certain:
        return "internal"
    if sidecar is not None and sidecar.visibility is not None:
        return sidecar.visibility
    return "internal" if any(part.lower() == "internal" for part in path.resolve().parent.parts) else "public"

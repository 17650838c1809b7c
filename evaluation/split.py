"""The held-out split: which documents (and so which gold questions) belong to `dev` and to `test`.

The split is by document and fixed in split.json, because a system tuned on some questions of a
document has seen that document's wording; only documents it was never tuned on tell how it
generalises. `test` is only reported: nobody reads its failures to change anything.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

EVAL_DIR = Path(__file__).resolve().parent
REPO_ROOT = EVAL_DIR.parent
SPLIT_PATH = EVAL_DIR / "split.json"
SPLITS = ("dev", "test")  # the evaluated splits
ALL_SPLITS = ("train", *SPLITS)  # train: only the reader's training examples read it


class SplitError(ValueError):
    """split.json is malformed or names an unknown split."""


@dataclass(frozen=True)
class SplitDocuments:
    """A split's documents on disk, and the listed paths that are not there (e.g. no ../shared/real)."""

    name: str
    listed: tuple[str, ...]  # as written in split.json
    files: tuple[Path, ...]  # resolved document files found under the listed paths
    missing: tuple[str, ...]  # listed paths that do not exist

    @property
    def paths(self) -> tuple[Path, ...]:
        """Resolved listed paths that exist: what ingest is given."""
        return tuple((REPO_ROOT / p).resolve() for p in self.listed if p not in self.missing)

    @property
    def names(self) -> frozenset[str]:
        """File names (the `source` of a gold question) of the split, including listed files that are
        missing here, so that a question over a missing document is skipped, not rejected."""
        return frozenset({f.name for f in self.files} | {Path(p).name for p in self.missing
                                                          if Path(p).suffix})

    @property
    def missing_names(self) -> frozenset[str]:
        return frozenset(Path(p).name for p in self.missing if Path(p).suffix)

    @property
    def partial(self) -> bool:
        return bool(self.missing)


def load_split(path: str | Path = SPLIT_PATH) -> dict[str, tuple[str, ...]]:
    """{split: listed document paths} from split.json."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SplitError(f"{path}: cannot read the split ({exc})") from exc
    out: dict[str, tuple[str, ...]] = {}
    for name, entry in data.items():
        if name.startswith("_"):
            continue
        docs = entry.get("documents") if isinstance(entry, dict) else None
        if not isinstance(docs, list) or not all(isinstance(d, str) and d for d in docs):
            raise SplitError(f"{path}: {name!r} needs a 'documents' list of paths")
        out[name] = tuple(docs)
    if not set(SPLITS) <= set(out) <= set(ALL_SPLITS):
        raise SplitError(f"{path}: expected the splits {ALL_SPLITS} (train optional), found {sorted(out)}")
    return out


def split_documents(name: str, path: str | Path = SPLIT_PATH) -> SplitDocuments:
    """The documents of split `name` (dev or test) as ingest would find them."""
    from ingest.pipeline import discover  # late: ingest is only needed once a split is resolved

    listed = load_split(path).get(name)
    if listed is None:
        raise SplitError(f"unknown split {name!r}; choose one of {', '.join(ALL_SPLITS)}")
    missing = tuple(p for p in listed if not (REPO_ROOT / p).exists())
    present = [(REPO_ROOT / p).resolve() for p in listed if p not in missing]
    # Resolved: discover ignores files under a dot folder, and `..` is one.
    files, _ = discover(present)
    return SplitDocuments(name, listed, tuple(files), missing)


def missing_message(docs: SplitDocuments) -> str:
    """What is missing and what that means for the figures."""
    more = len(docs.missing) - 3
    shown = ", ".join(docs.missing[:3]) + (f" and {more} more" if more > 0 else "")
    return (f"{docs.name}: {len(docs.missing)} listed document path(s) missing ({shown}); their questions "
            f"are skipped and the {docs.name} figures are PARTIAL. The real documents live in "
            f"../shared/real/ next to the repository.")

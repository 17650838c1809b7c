"""Evaluate the dev and the test split, each on an index of its own documents, and put them side by side.

Each split gets its own index (`.index-dev`, `.index-test`) so that a test question is answered from
test documents only, as a new site's questions would be. Ingest is incremental: an unchanged split
embeds nothing on the next run. The dev–test gap per figure is the point: a large gap says the
design is still tuned to the data it was developed on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from config import Settings
from ingest.load.isolation import DEFAULT_ISOLATION, IsolationSettings

from .goldset import GOLDSET_DIR, SplitGoldSet, load_split_goldset
from .run import AskFactory, AssistantFactory, EvalResult, run_questions
from .split import SPLIT_PATH, SPLITS, SplitDocuments, missing_message, split_documents

logger = logging.getLogger(__name__)


@dataclass
class SplitRun:
    """One split: its documents, its gold set, the index it was run on and the scored result."""

    split: str
    index_dir: Path
    documents: SplitDocuments
    goldset: SplitGoldSet
    result: EvalResult
    ingest: dict[str, Any] = field(default_factory=dict)  # summary and skipped files of the ingest

    @property
    def partial(self) -> bool:
        return self.documents.partial or bool(self.ingest.get("skipped"))

    def to_json(self) -> dict:
        return {
            "split": self.split, "index_dir": str(self.index_dir), "partial": self.partial,
            "documents": {"listed": list(self.documents.listed), "files": len(self.documents.files),
                          "missing": list(self.documents.missing)},
            "goldset": {"files": [p.name for p in self.goldset.files],
                        "questions": len(self.goldset.questions),
                        "skipped": [list(s) for s in self.goldset.skipped],
                        "warnings": list(self.goldset.warnings)},
            "ingest": self.ingest, "result": self.result.to_json(),
        }


@dataclass
class SplitsResult:
    runs: dict[str, SplitRun]

    def figures(self, split: str, config: str, scope: str = "overall") -> dict:
        run = self.runs.get(split)
        if run is None or config not in run.result.configs:
            return {}
        return run.result.figures(config, scope)

    def to_json(self) -> dict:
        return {"splits": {name: run.to_json() for name, run in self.runs.items()},
                "gap": gaps(self) if set(SPLITS) <= set(self.runs) else None}


def gaps(result: SplitsResult) -> dict:
    """{config: {scope: {figure: test − dev}}} for every figure both splits measured."""
    dev, test = result.runs["dev"].result, result.runs["test"].result
    out: dict = {}
    for config in dev.configs.keys() & test.configs.keys():
        scopes = ["overall"]
        for kind, key in (("language", "by_language"), ("type", "by_type")):
            both = dev.configs[config].figures[key].keys() & test.configs[config].figures[key].keys()
            scopes += [f"{kind}:{v}" for v in sorted(both)]
        out[config] = {}
        for scope in scopes:
            d, t = dev.figures(config, scope), test.figures(config, scope)
            out[config][scope] = {k: t[k] - d[k] for k in d
                                  if isinstance(d.get(k), float) and isinstance(t.get(k), float)}
    return out


def default_index_dir(split: str, prefix: str | Path = ".index") -> Path:
    return Path(f"{prefix}-{split}")


def ingest_split(docs: SplitDocuments, index_dir: Path, embeddings: Any,
                 progress: Callable[[str, int, int], None] | None = None,
                 isolation: IsolationSettings = DEFAULT_ISOLATION) -> dict[str, Any]:
    """Bring the split's index in line with its documents (incremental); refuse an index that holds
    documents of no split file, since they would answer questions they should not."""
    from ingest.pipeline import build_index
    from ingest.store import index_stats

    report = build_index(list(docs.paths), index_dir, embeddings, progress=progress, isolation=isolation)
    extra = sorted(set(index_stats(index_dir).sources) - {f.name for f in docs.files})
    if extra:
        raise ValueError(f"the index {index_dir} holds documents outside the {docs.name} split "
                         f"({', '.join(extra[:5])}): delete the folder and run the evaluation again")
    logger.info("%s index %s: %s", docs.name, index_dir, report.summary())
    return {"summary": report.summary(), "embedded": report.embedded, "documents": report.documents,
            "skipped": [list(s) for s in report.skipped]}


def _prefixed(progress: Callable[[str, int, int], None] | None, prefix: str):
    if progress is None:
        return None
    return lambda stage, done, total: progress(f"{prefix} {stage}", done, total)


def in_sample(question: Mapping[str, Any], one_in: int) -> bool:
    """Whether a question's group (its id where it has none) is in the fixed 1-in-`one_in` sample."""
    key = str(question.get("group") or question.get("id"))
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % one_in == 0


def run_splits(
    splits: Sequence[str],
    settings: Settings,
    configs: Sequence[str] | Mapping[str, Mapping[str, Any]] | None = None,
    *,
    index_dirs: Mapping[str, Path] | None = None,
    ingest: bool = True,
    ask_factory: AskFactory | None = None,
    embeddings: Any = None,
    limit: int | None = None,
    sample: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    split_path: Path = SPLIT_PATH,
    goldset_dir: Path = GOLDSET_DIR,
    notify: Callable[[str], None] = logger.warning,
) -> SplitsResult:
    """For each split: resolve its documents, validate its gold set against them, ingest (unless
    `ingest=False`: the index is used as it is) and score every configuration.

    `embeddings` is the model to ingest with; by default the one the real factory answers with.
    `notify` receives what the user must know (missing documents, gold-set warnings). `sample`: score one
    question group in `sample` (chosen by the group's hash, so the same groups every run), e.g. the CI gate
    over a reader that takes half a second a question.
    """
    factory = ask_factory or AssistantFactory()
    given = dict(index_dirs or {})
    dirs = {s: Path(given[s]) if s in given else default_index_dir(s) for s in splits}
    runs: dict[str, SplitRun] = {}
    for split in splits:
        docs = split_documents(split, split_path)
        other = split_documents(next(s for s in SPLITS if s != split), split_path)
        if docs.partial:
            notify(missing_message(docs))
        gold = load_split_goldset(split, docs, other, goldset_dir)
        for warning in gold.warnings:
            logger.info("%s gold set: %s", split, warning)
        if gold.warnings:
            notify(f"{split} gold set: {len(gold.warnings)} coverage warning(s), e.g. {gold.warnings[0]}")
        if gold.skipped:
            notify(f"{split}: {len(gold.skipped)} question(s) skipped, their documents are missing here")
        split_settings = replace(settings, index_dir=dirs[split])
        info: dict[str, Any] = {}
        if ingest:
            model = embeddings
            if model is None and isinstance(factory, AssistantFactory):
                model = factory.embeddings_for(split_settings)
            if model is None:
                raise ValueError("ingest needs an embedding model: pass embeddings= or ingest=False")
            info = ingest_split(docs, dirs[split], model, _prefixed(progress, f"{split} ingest"),
                                isolation=settings.isolation)
            for name, reason in info["skipped"]:
                notify(f"{split}: ingest skipped {name}: {reason} (figures are PARTIAL)")
        questions = [q for q in gold.questions if sample is None or in_sample(q, sample)][: limit or None]
        result = run_questions(questions, split_settings, configs, ask_factory=factory,
                               progress=_prefixed(progress, split),
                               name=f"{split} ({', '.join(p.name for p in gold.files)})")
        runs[split] = SplitRun(split, dirs[split], docs, gold, result, info)
    return SplitsResult(runs)

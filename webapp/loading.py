"""The embedding model loads in a background thread so the first page is usable at once.

Loading takes 5–15 s on a shared CPU; the page meanwhile shows the index's overview, example
questions and the conversation list from the index's catalogue, which needs no model. A question
asked before the model is ready waits for it.
"""

from __future__ import annotations

import logging
import threading
import time

from assistant.pipeline import Assistant
from config import Settings

logger = logging.getLogger(__name__)


# One question through every stage: the index, e5's first batches, a lemmatiser, the language identifier.
WARM_UP_QUESTION = "Kuka vastaa tiekartasta?"


def make_assistant(settings: Settings) -> Assistant:
    """The Assistant with its model loaded and warmed up by one question (the index, e5's first batches,
    the lemmatiser, the language identifier). One, not one per language as before: a language's lemmas
    now open in ~0.1 s (genre.lemmas), and each warm-up question delays a question asked at once by a
    whole answer (~1-2 s here)."""
    from ingest.embed import make_embeddings

    # Not `ingest.store.prefetch_modules()` as the CLI does: here the first page's script shares the
    # interpreter with this thread, and a third thread importing Chroma would slow the page further.
    embeddings = make_embeddings(settings.embedding_backend, settings.embedding_model, settings.index_dir)
    assistant = Assistant(settings, embeddings=embeddings)
    try:
        if assistant.has_index():
            assistant.ask(WARM_UP_QUESTION)
    except Exception as exc:  # an index that cannot be opened is reported by the page, not here
        logger.warning("warm-up skipped: %s", exc)
    return assistant


_LOADERS: dict[Settings, AssistantLoader] = {}
_LOADERS_LOCK = threading.Lock()


def shared_loader(settings: Settings) -> AssistantLoader:
    """The process's one loader for these settings, started on first call: `webapp.serve` calls it at
    server start, so the model is loading (or loaded) before the first page opens; `app.py` finds it."""
    with _LOADERS_LOCK:
        loader = _LOADERS.get(settings)
        if loader is None:
            loader = _LOADERS[settings] = AssistantLoader(settings)
        return loader


class AssistantLoader:
    """Starts loading on construction; `ready`, `wait` and `assistant` are safe from any session."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.seconds: float | None = None  # how long loading took, once done
        self._done = threading.Event()
        self._assistant: Assistant | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._load, name="strategy-chat-model", daemon=True).start()

    def _load(self) -> None:
        try:
            self._assistant = make_assistant(self.settings)
        except BaseException as exc:  # kept and raised in the session that needs the model
            logger.exception("loading the model failed")
            self._error = exc
        finally:
            self.seconds = time.monotonic() - self.started
            logger.info("model ready after %.1f s", self.seconds)
            self._done.set()

    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Assistant:
        """The Assistant, waiting for it if need be; re-raises what went wrong while loading."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"the model did not load within {timeout} s")
        if self._error is not None:
            raise RuntimeError(f"the embedding model could not be loaded: {self._error}") from self._error
        assert self._assistant is not None
        return self._assistant


class FirstBuild:
    """The first index build from the corpus (and uploads), in a background thread once the model is
    there: meanwhile the page shows its progress and takes a question, answered when the index is ready.
    `stage`, `done` and `total` are the build's last progress report."""

    def __init__(self, loader: AssistantLoader) -> None:
        self.settings = loader.settings
        self.stage, self.done, self.total = "model", 0, 0
        self.found_nothing = False
        self.error: BaseException | None = None
        self._loader = loader
        self._finished = threading.Event()
        threading.Thread(target=self._build, name="strategy-chat-first-index", daemon=True).start()

    def _build(self) -> None:
        from webapp.indexing import build_first_index

        try:
            assistant = self._loader.wait()
            if not assistant.has_index():
                self.stage = "parse"
                report = build_first_index(self.settings, assistant.embeddings, progress=self._progress)
                self.found_nothing = report is None or not assistant.has_index()
        except BaseException as exc:  # shown by the page that waits for the index
            logger.exception("first index build failed")
            self.error = exc
        finally:
            self._finished.set()

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total

    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    def ready(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)


_BUILDS: dict[Settings, FirstBuild] = {}


def first_build(loader: AssistantLoader) -> FirstBuild:
    """The process's one first build for these settings (every session that opens the page before the
    index exists watches the same one); after a failure the next page that asks tries again."""
    with _LOADERS_LOCK:
        build = _BUILDS.get(loader.settings)
        if build is None or (build.ready() and build.error is not None):
            build = _BUILDS[loader.settings] = FirstBuild(loader)
        return build

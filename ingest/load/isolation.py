"""Run the format loaders in a worker process, so that a hang or a blow-up in a parser costs one file.

pypdf, python-docx, lxml and BeautifulSoup read files from anyone who can upload. A crafted or broken
file can make them loop for hours, allocate gigabytes or crash in C; in the ingest process any of these
takes the whole run (and the app) down. Here the loader runs in a worker process (`python -c`, started
with subprocess rather than multiprocessing, so nothing depends on the caller's `__main__`) that

- has an address-space limit (`RLIMIT_AS`: its size after start-up plus `memory_mb`), so a blow-up is a
  MemoryError in the worker, never the machine's OOM killer picking a victim;
- is stopped by the parent after `timeout_s` seconds of wall-clock time per file, and has a CPU-time
  limit (`RLIMIT_CPU`) as a backstop that holds even if the parent is gone;
- writes no core files and exits when the parent does (its end of the pipe closes).

Timeouts, crashes and running out of memory become `SkipFile` for that one file ("… took longer than
N s", "… ran out of memory", "… the reader crashed"); the next file gets a fresh worker (about a second
to start). One worker serves the files of a run one after the other.

Configuration: an `IsolationSettings` passed down by the caller (`build_index(..., isolation=...)` →
`load_document(..., isolation=...)` → `load_isolated`); the app and the CLI build it from
`STRATEGY_CHAT_LOADER_ISOLATION` (1/0), `STRATEGY_CHAT_LOADER_TIMEOUT_S`, `STRATEGY_CHAT_LOADER_MEMORY_MB`
and `STRATEGY_CHAT_LOADER_INLINE_TEXT_BYTES` as part of the one `Settings` (config/settings.py). Nothing
here reads the environment.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ingest.load.loaders.common import SkipFile
from ingest.load.ocr import OcrSettings
from ingest.records import LoadedDocument

try:  # POSIX only; elsewhere the worker runs without limits (the timeout still holds)
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

READY_TIMEOUT_S = 120.0  # a worker's start-up, before the first file's clock starts
_FORMAT_NAMES = {".pdf": "PDF", ".docx": "DOCX", ".html": "HTML", ".htm": "HTML", ".txt": "TXT", ".md": "MD"}


@dataclass(frozen=True)
class IsolationSettings:
    """How `load_document` runs the loaders; the defaults suit a 200 MB, several-thousand-page PDF."""

    enabled: bool = True
    timeout_s: float = 180.0  # wall-clock seconds per file
    memory_mb: int = 2048  # address space per file on top of the worker's own (~300 MB after start-up)
    inline_text_bytes: int = 1_000_000  # .txt/.md files up to this size are read in-process (fast, linear)


# The bounds when a caller passes none (tests, library use): the documented defaults, never the environment.
DEFAULT_ISOLATION = IsolationSettings()
_lock = threading.Lock()  # one worker per process, used by one file at a time
_worker: _Worker | None = None


def runs_isolated(path: Path, settings: IsolationSettings = DEFAULT_ISOLATION) -> bool:
    """Whether `load_document(path)` goes through the worker: every PDF, DOCX and HTML file, and text
    files above `inline_text_bytes`; not files that are refused before any parser sees them."""
    suffix = path.suffix.lower()
    if not settings.enabled or os.name != "posix" or suffix not in _FORMAT_NAMES:
        return False
    try:
        if not path.is_file():
            return False
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and (suffix not in (".txt", ".md") or size > settings.inline_text_bytes)


def load_isolated(
    path: Path, reader: str, progress: Callable[[int, int], None] | None = None,
    settings: IsolationSettings = DEFAULT_ISOLATION, ocr: OcrSettings | None = None,
    on_ocr: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """`reader(path, progress, ocr, on_ocr)` in the worker process, within the time and memory bounds.
    `reader` names the in-process reading function as "module:function" (`ingest.load` passes its
    `read_document`): the worker imports it, so this module stays below the loaders it runs.
    OCR extends the time bound by `ocr.page_budget_s` per page to OCR, once the worker has said how
    many pages that is (a scanned 300-page PDF needs minutes, a damaged page a second).

    Raises SkipFile for everything read_document refuses, and for timeouts, crashes and exhausted memory.
    An exception raised by `progress` (called here, in the caller's process) propagates unchanged.
    The worker is per process; one started with another `memory_mb` is replaced (its limit is set at start).
    """
    global _worker
    with _lock:
        if (_worker is None or not _worker.alive() or _worker.memory_mb != settings.memory_mb
                or _worker.reader != reader):
            _stop_worker()
            try:
                _worker = _Worker(settings.memory_mb, reader)
            except OSError as exc:  # no process to read in: say so per file rather than read unguarded
                raise SkipFile(f"could not start the reader process: {exc}") from exc
        worker = _worker
        try:
            return worker.load(Path(path), progress, settings.timeout_s, ocr, on_ocr)
        finally:
            if not worker.alive():
                _stop_worker()


def shutdown() -> None:
    """Stop the worker (it also stops by itself when this process exits)."""
    with _lock:
        _stop_worker()


def _stop_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.close()
        _worker = None


atexit.register(shutdown)


class _Worker:
    """One worker process (`python -c …`, not multiprocessing: nothing depends on the caller's __main__)
    and the parent's end of the socket pair it talks over."""

    def __init__(self, memory_mb: int, reader: str) -> None:
        self.memory_mb = memory_mb
        self.reader = reader
        self.closed = False
        self.ready = False  # the worker says "ready" once its lexicons are loaded
        parent, child = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the ingest package
        level = logging.getLogger("ingest").getEffectiveLevel()
        boot = (f"import sys; sys.path.insert(0, {root!r}); from ingest.load.isolation import _worker_main; "
                f"_worker_main({child.fileno()}, {memory_mb * 2**20}, {reader!r}, {level}, {os.getpid()})")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", boot], pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, close_fds=True,
            )
        finally:
            child.close()
        self.conn = Connection(parent.detach())
        logger.debug("loader worker %s started", self.process.pid)

    def alive(self) -> bool:
        return not self.closed and self.process.poll() is None

    def load(
        self, path: Path, progress: Callable[[int, int], None] | None, timeout_s: float,
        ocr: OcrSettings | None = None, on_ocr: Callable[[int, int], None] | None = None,
    ) -> LoadedDocument:
        fmt = _FORMAT_NAMES.get(path.suffix.lower(), path.suffix.upper().lstrip(".") or "file")
        self._wait_ready(fmt)
        deadline = time.monotonic() + timeout_s
        ocr = ocr or OcrSettings()
        try:
            self.conn.send((str(path), progress is not None, timeout_s, _limits(), ocr))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self.conn.poll(remaining):
                    logger.warning("%s: stopping the loader after %g s", path, timeout_s)
                    self.close()
                    raise SkipFile(f"could not read {fmt}: took longer than {timeout_s:g} s — the reader "
                                   "was stopped")
                try:
                    message = self.conn.recv()
                except (EOFError, OSError):
                    raise SkipFile(f"could not read {fmt}: {self._death()}") from None
                kind = message[0]
                if kind == "progress":
                    assert progress is not None
                    progress(message[1], message[2])
                    continue
                if kind == "ocr":  # (done, total) of the pages to OCR; done=0 first: more time
                    if message[1] == 0:
                        extra = message[2] * ocr.page_budget_s
                        deadline += extra
                        timeout_s += extra
                    if on_ocr is not None:
                        on_ocr(message[1], message[2])
                    continue
                if message[-1]:  # the worker asked to be replaced (after MemoryError, or grown large)
                    self.close(wait=True)
                if kind == "ok":
                    return message[1]
                if kind == "memory":
                    raise SkipFile(f"could not read {fmt}: ran out of memory (limit {self.memory_mb} MB) — "
                                   "the file is too large or malformed")
                raise SkipFile(message[1])
        except SkipFile:
            raise
        except BaseException:  # the caller's progress callback, KeyboardInterrupt …: stop the file's reader
            self.close()
            raise

    def _wait_ready(self, fmt: str) -> None:
        """A new worker's start-up (Python, loaders, lexicons: a few seconds) is not the file's time."""
        if self.ready:
            return
        try:
            if self.conn.poll(READY_TIMEOUT_S) and self.conn.recv() == ("ready",):
                self.ready = True
                return
        except (EOFError, OSError):
            raise SkipFile(f"could not read {fmt}: {self._death()}") from None
        self.close()
        raise SkipFile(f"could not read {fmt}: the reader process did not start within {READY_TIMEOUT_S:g} s")

    def _death(self) -> str:
        """Why the worker is gone, for the skip reason: its signal or exit code."""
        self.close(wait=True)
        code = self.process.returncode
        if code is not None and code < 0:
            signum = -code
            if signum == getattr(signal, "SIGXCPU", -1):
                return "used too much CPU time — the reader was stopped"
            if signum == signal.SIGKILL:
                return "the reader was killed (out of memory?)"
            with contextlib.suppress(ValueError):
                return f"the reader crashed ({signal.Signals(signum).name})"
        return f"the reader crashed (exit code {code})"

    def close(self, wait: bool = False) -> None:
        """Stop the worker: let it exit by itself (`wait`, after it said it would), else kill it."""
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(OSError):
            self.conn.close()  # an idle worker exits on end-of-file
        if wait:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


# ------------------------------------------------------------------------------------------ the worker


def _address_space() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS limits)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _limit_self(memory_bytes: int) -> int:
    """No core files; address space = now + memory_bytes. Returns the limit (0 where it cannot be set)."""
    if resource is None:
        return 0
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        limit = _address_space() + memory_bytes
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return limit
    except (ValueError, OSError) as exc:
        logger.warning("no memory limit for the loader worker: %s", exc)
        return 0


def _limit_cpu(timeout_s: float) -> None:
    """CPU seconds for this file: a backstop that stops a runaway parser even when the parent is gone."""
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + 2 * timeout_s + 10)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


_LIMIT_MODULES = (
    "ingest.load", "ingest.load.loaders.common", "ingest.load.loaders.docx_files",
    "ingest.load.loaders.html_files", "ingest.load.loaders.pages", "ingest.load.loaders.pdf_files",
    "ingest.load.loaders.text_files", "ingest.load.textquality",
)


def _limits() -> dict[str, dict[str, int | float]]:
    """The loaders' module-level limits as this process has them (MAX_FILE_BYTES, MAX_UNPACKED_BYTES …):
    a deployment or a test that changes one here gets the same behaviour in the worker."""
    found: dict[str, dict[str, int | float]] = {}
    for name in _LIMIT_MODULES:
        module = sys.modules.get(name)
        if module is not None:
            found[name] = {k: v for k, v in vars(module).items() if k.isupper() and type(v) in (int, float)}
    return found


def _apply_limits(limits: dict[str, dict[str, int | float]]) -> None:
    for name, values in limits.items():
        module = sys.modules.get(name)
        for key, value in values.items():
            if module is not None and hasattr(module, key):
                setattr(module, key, value)


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when the ingest that started it dies, even by SIGKILL,
    instead of waiting to notice the closed socket (prctl PR_SET_PDEATHSIG = 1)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if parent and os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _worker_main(fd: int, memory_bytes: int, reader: str, log_level: int = logging.WARNING,
                 parent: int = 0) -> None:
    """Entry point of the worker process (see `_Worker`)."""
    _die_with_parent(parent)
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s (loader worker): %(message)s")
    with contextlib.suppress(Exception):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    module, _, function = reader.partition(":")
    _serve(Connection(fd), memory_bytes, getattr(importlib.import_module(module), function))


def _serve(conn: Connection, memory_bytes: int,
           read_document: Callable[..., LoadedDocument]) -> None:
    """The worker's loop: read a path, send progress and then the document or the reason to skip it."""
    from ingest.load.textquality import preload

    preload()  # the lexicons (~3 s, ~80 MB) before the memory limit and before any file's clock
    limit = _limit_self(memory_bytes)
    conn.send(("ready",))
    while True:
        try:
            path, want_progress, timeout_s, limits, ocr = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(timeout_s)
        _apply_limits(limits)

        def progress(page: int, total: int) -> None:
            conn.send(("progress", page, total))

        def on_ocr(done: int, total: int) -> None:
            if done == 0:  # OCR runs in Tesseract processes; this process's CPU bound grows with it
                _limit_cpu(timeout_s + total * ocr.page_budget_s)
            conn.send(("ocr", done, total))

        reply: tuple
        try:
            reply = ("ok", read_document(Path(path), progress if want_progress else None, ocr, on_ocr), False)
        except MemoryError:
            reply = ("memory", True)
        except SkipFile as exc:
            reply = ("memory", True) if "out of memory" in str(exc) else ("skip", str(exc), False)
        except BaseException as exc:  # read_document turns parser errors into SkipFile; this is the rest
            reply = ("skip", f"could not read file: {type(exc).__name__}: {exc}"[:200], True)
        if limit and reply[-1] is False and _address_space() > limit - memory_bytes // 2:
            reply = (*reply[:-1], True)  # grown large (fragmented heap): start the next file afresh
        try:
            conn.send(reply)
        except MemoryError:  # the document itself is too big to hand over
            with contextlib.suppress(Exception):
                conn.send(("memory", True))
            return
        except (OSError, ValueError):
            return
        if reply[-1]:
            return

"""A real Chroma server on loopback for tests and benchmarks: `chroma run` on a free port.

    with ChromaServer(tmp_path / "chroma-data") as server:
        build_index(..., chroma=ChromaTarget(server.host, server.port))
        server.stop(); server.start()   # same port and data: what a restart looks like to clients

Only ever listens on 127.0.0.1, and is stopped when the `with` block ends (or `close()` is called).
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"


class ChromaServerUnavailable(RuntimeError):
    """The `chroma` command is not installed, or the server did not come up."""


def chroma_binary() -> str | None:
    return shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    """One `chroma run` process with its data folder; restartable on the same port."""

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None) -> None:
        binary = chroma_binary()
        if binary is None:
            raise ChromaServerUnavailable("the `chroma` command is not installed (pip install chromadb)")
        self.binary = binary
        self.path = Path(path)
        self.host = HOST
        self.port = port or free_port()
        self.log = log or self.path.with_name(self.path.name + ".log")
        self._proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.running and self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60.0) -> ChromaServer:
        if self.running:
            return self
        self.path.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self._proc = subprocess.Popen(
                [self.binary, "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        url = f"http://{self.host}:{self.port}/api/v2/heartbeat"
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                code = self._proc.returncode
                raise ChromaServerUnavailable(f"chroma run exited with {code}; see {self.log}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ChromaServerUnavailable(f"chroma run did not answer on {self.host}:{self.port} in {timeout} s")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL); the data folder stays for a restart."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

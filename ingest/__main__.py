"""`python -m ingest PATH... [--index DIR]`: the same as `strategy-chat ingest`."""

from __future__ import annotations

import sys

from assistant.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["ingest", *sys.argv[1:]]))

"""Ingestion: files → sections → chunks → vectors and keywords in the index.

The public entry point is `build_index(paths, index_dir, embeddings)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport, build_index

__all__ = ["build_index", "IngestReport"]


def __getattr__(name: str):
    if name in __all__:
        from ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)

"""Stage 2: the passages that may answer. `search.Retriever.search()` → `Passage`s (dense + BM25,
fused, with filters as numpy masks), and the sections of a document in reading order."""

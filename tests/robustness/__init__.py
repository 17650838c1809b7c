"""Robustness and security: parser properties, loader fuzzing in isolation, hostile text, concurrency,
killed ingests and public-only access. Long loops are marked `slow`."""

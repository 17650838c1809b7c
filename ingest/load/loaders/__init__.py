"""One loader per file format; `ingest.load.load_document` picks one by suffix and adds hash and language."""

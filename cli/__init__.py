"""The command line, `strategy-chat`: on top of every stage (ingest, the assistant, evaluation)."""

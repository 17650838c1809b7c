"""`python -m cli ARGS…`: the same as `strategy-chat ARGS…`."""

from cli.main import main

raise SystemExit(main())

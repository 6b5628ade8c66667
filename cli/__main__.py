"""``python -m cli``: the same as ``roadmap-bot``."""

from cli.main import main

raise SystemExit(main())

"""Entry point: `python -m ai_enrich <command>`."""

from __future__ import annotations

from ai_enrich.cli import main

main()

"""Entry point: `python -m orchestrate`."""

from __future__ import annotations

import sys

from orchestrate.cli import main

if __name__ == "__main__":
    sys.exit(main())

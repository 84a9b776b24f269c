"""Entry point of ``python -m hubspot_sandbox``."""

from __future__ import annotations

import sys

from hubspot_sandbox.cli import main

sys.exit(main())

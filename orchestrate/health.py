"""The health file: a small JSON the scheduler rewrites while alive; HEALTHCHECK reads its age."""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def write_health(path: Path, status: dict[str, Any]) -> None:
    """Replace the health file atomically (no secrets: names, times and exit codes only).

    Args:
        path: The health file.
        status: What to show, e.g. state, current schedule, next slots, last result.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(status, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)


def check_health(path: Path, max_age: float, now: float | None = None) -> tuple[bool, str]:
    """Tell whether the scheduler rewrote its health file within `max_age` seconds.

    Args:
        path: The health file.
        max_age: The oldest acceptable age in seconds.
        now: The current Unix time (default: `time.time()`).

    Returns:
        Healthy or not, and one line saying why.
    """
    try:
        modified = path.stat().st_mtime
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return False, f"unhealthy: cannot read {path}: {error}"
    age = (time.time() if now is None else now) - modified
    state = status.get("state", "unknown") if isinstance(status, dict) else "unknown"
    if age > max_age:
        return False, f"unhealthy: {path} is {age:.0f}s old (limit {max_age:.0f}s), state {state}"
    return True, f"healthy: state {state}, updated {age:.0f}s ago"

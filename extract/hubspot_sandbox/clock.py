"""Sandbox time (real UTC plus an adjustable offset) and HubSpot's timestamp formats."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"^-?\d+$")


class SandboxClock:
    """Real UTC time shifted by an offset that tests can move forward."""

    def __init__(self) -> None:
        """Start with no offset."""
        self._offset_ms = 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """Return the sandbox time in epoch milliseconds."""
        with self._lock:
            return time.time_ns() // 1_000_000 + self._offset_ms

    def advance(self, seconds: float) -> int:
        """Move the clock forward by ``seconds`` and return the new time in epoch milliseconds."""
        with self._lock:
            self._offset_ms += round(seconds * 1000)
        return self.now_ms()


def format_ms(ms: int) -> str:
    """Format epoch milliseconds as HubSpot does: ISO UTC, fraction dropped when it is zero."""
    stamp = datetime.fromtimestamp(ms // 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = ms % 1000
    return f"{stamp}.{fraction:03d}Z" if fraction else f"{stamp}Z"


def format_date(ms: int) -> str:
    """Format epoch milliseconds as a HubSpot ``date`` value (``YYYY-MM-DD``)."""
    return datetime.fromtimestamp(ms // 1000, tz=UTC).strftime("%Y-%m-%d")


def parse_timestamp(value: str) -> int | None:
    """Parse epoch milliseconds, an ISO date-time or a date into epoch milliseconds.

    Args:
        value: The text to parse, e.g. ``"1700000000000"``, ``"2024-01-02T03:04:05.678Z"``
            or ``"2024-01-02"``.

    Returns:
        Epoch milliseconds, or None when the text is not a timestamp.
    """
    text = value.strip()
    if _DIGITS.match(text):
        return int(text)
    if _DATE_ONLY.match(text):
        text += "T00:00:00Z"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return round(parsed.timestamp() * 1000)

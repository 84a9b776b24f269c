"""Time: the wall clock in the schedules' time zone, and waiting that a stop request interrupts."""

from __future__ import annotations

import time
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from orchestrate.errors import ConfigError

if TYPE_CHECKING:
    import threading

DEFAULT_TIMEZONE = "Asia/Tokyo"


class Clock(Protocol):
    """What the scheduler needs from time; tests pass a fake one."""

    def now(self) -> datetime:
        """Return the current time, time-zone aware."""
        ...

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Wait up to `seconds`, returning early (True) when `stop` is set."""
        ...


class SystemClock:
    """The real clock, in one time zone."""

    def __init__(self, zone: tzinfo) -> None:
        """Keep the zone the times are given in.

        Args:
            zone: The time zone of `now()`.
        """
        self.zone = zone

    def now(self) -> datetime:
        """Return the current time in the clock's zone.

        Returns:
            An aware datetime.
        """
        return datetime.now(self.zone)

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Sleep up to `seconds`; wake at once when `stop` is set.

        Args:
            seconds: The longest wait.
            stop: Set by the signal handler.

        Returns:
            Whether a stop was requested.
        """
        return stop.wait(max(seconds, 0.0))


def load_timezone(name: str | None) -> ZoneInfo:
    """Turn the `TZ` value into a zone (empty or unset: Asia/Tokyo).

    Args:
        name: An IANA zone name such as `Asia/Tokyo` or `UTC`; a leading `:` is allowed.

    Returns:
        The zone.

    Raises:
        ConfigError: The name is no IANA zone.
    """
    value = (name or "").strip().removeprefix(":") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        message = f"TZ must be an IANA time zone such as Asia/Tokyo or UTC (got {value!r})"
        raise ConfigError(message) from error


def monotonic() -> float:
    """Return seconds of a clock that never jumps, for durations.

    Returns:
        `time.monotonic()`.
    """
    return time.monotonic()

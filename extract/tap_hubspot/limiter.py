"""One rate limiter shared by every request of a run.

Two rolling budgets: general requests per 10 s, and search requests per second (search
is exempt from the 10-second budget). The limiter narrows the general budget to what
the `X-HubSpot-RateLimit-*` headers report.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

GENERAL_INTERVAL = 10.0
SEARCH_INTERVAL = 1.0
#: Longest time assumed between sending a request and the server counting it, in seconds.
ARRIVAL_ALLOWANCE = 0.08


class _Budget:
    """At most `limit` events in any rolling `interval` seconds."""

    def __init__(self, limit: int, interval: float) -> None:
        self.limit = limit
        self.interval = interval
        self.sent: collections.deque[float] = collections.deque()
        self.paused_until = 0.0

    def wait_time(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.interval:
            self.sent.popleft()
        wait = max(0.0, self.paused_until - now)
        if len(self.sent) >= self.limit:
            wait = max(wait, self.sent[len(self.sent) - self.limit] + self.interval - now)
        return wait


class RateLimiter:
    """Blocks before a request until both budgets allow it."""

    def __init__(
        self,
        *,
        per_10s: int,
        search_per_second: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Create the limiter.

        Args:
            per_10s: General requests allowed in any 10 seconds.
            search_per_second: Search requests allowed in any second.
            clock: Monotonic clock in seconds.
            sleep: Sleeps for the given seconds.
        """
        self._general = _Budget(per_10s, GENERAL_INTERVAL)
        self._search = _Budget(search_per_second, SEARCH_INTERVAL)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self.requests = 0
        self.waited = 0.0

    def acquire(self, *, search: bool) -> None:
        """Wait until one more request fits the budget, then count it.

        Args:
            search: True for a search request (POST .../search).
        """
        budget = self._search if search else self._general
        with self._lock:
            while (wait := budget.wait_time(self._clock())) > 0:
                self.waited += wait
                self._sleep(wait)
            budget.sent.append(self._clock())
            self.requests += 1

    def settle(self, *, search: bool) -> None:
        """Move the newest request's time towards when the server counted it.

        The server counts a request when it arrives, after we sent it and before it
        answers: the time moves to its answer, but at most ARRIVAL_ALLOWANCE after sending.

        Args:
            search: True for a search request.
        """
        budget = self._search if search else self._general
        with self._lock:
            if budget.sent:
                sent = budget.sent[-1]
                budget.sent[-1] = max(sent, min(self._clock(), sent + ARRIVAL_ALLOWANCE))

    def observe(self, headers: Mapping[str, str], *, search: bool) -> None:
        """Adapt the general budget to HubSpot's rate-limit headers.

        `-Max` over `-Interval-Milliseconds` lowers the budget when the portal's tier
        allows less than configured; `-Remaining: 0` pauses general requests until
        the interval has passed.

        Args:
            headers: The response headers.
            search: True for a search response (its headers describe other budgets).
        """
        if search:
            return
        limit = _int(headers.get("X-HubSpot-RateLimit-Max"))
        interval_ms = _int(headers.get("X-HubSpot-RateLimit-Interval-Milliseconds"))
        remaining = _int(headers.get("X-HubSpot-RateLimit-Remaining"))
        with self._lock:
            if limit and interval_ms:
                scaled = int(limit * GENERAL_INTERVAL * 1000 / interval_ms)
                self._general.limit = max(1, min(self._general.limit, scaled))
            if remaining is not None and remaining <= 0:
                pause = (interval_ms or GENERAL_INTERVAL * 1000) / 1000 / max(limit or 1, 1)
                self._general.paused_until = max(
                    self._general.paused_until, self._clock() + max(pause, 0.1)
                )


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None

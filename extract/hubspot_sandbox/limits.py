"""HubSpot's rate limits (rolling 10 s, search per second, daily) and seeded fault injection."""

from __future__ import annotations

import collections
import random
import threading
import time
from typing import TYPE_CHECKING

from hubspot_sandbox.errors import ApiError, correlation_id, standard_error

if TYPE_CHECKING:
    from collections.abc import Callable

    from hubspot_sandbox.config import RuntimeSettings

INTERVAL_MS = 10_000
HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
HTML_524 = (
    '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n'
    "<title>api.hubapi.com | 524: A timeout occurred</title>\n"
    '<meta charset="UTF-8" />\n</head>\n<body>\n<div id="cf-wrapper">\n'
    "<h1>A timeout occurred</h1>\n"
    '<span class="cf-error-code">Error code 524</span>\n'
    "<p>The origin web server timed out responding to this request.</p>\n"
    "</div>\n</body>\n</html>\n"
)


def ten_secondly_error() -> ApiError:
    """Return HubSpot's 429 for the rolling 10-second budget."""
    return ApiError(
        429,
        {
            "status": "error",
            "message": "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id(),
            "policyName": "TEN_SECONDLY_ROLLING",
            "requestId": correlation_id(),
        },
    )


def daily_error() -> ApiError:
    """Return HubSpot's 429 for the daily budget."""
    return ApiError(
        429,
        {
            "status": "error",
            "message": "You have reached your daily limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id(),
            "policyName": "DAILY",
            "requestId": correlation_id(),
        },
    )


def secondly_search_error() -> ApiError:
    """Return HubSpot's 429 for the search endpoints' per-second limit (no policyName)."""
    return standard_error(429, "You have reached your secondly limit.", "RATE_LIMITS")


class RateLimiter:
    """Counts requests in rolling windows and answers HubSpot's rate-limit headers and 429s."""

    def __init__(self, settings: Callable[[], RuntimeSettings], day: Callable[[], int]) -> None:
        """Read budgets through ``settings`` and the current day number through ``day``."""
        self._settings = settings
        self._day = day
        self._lock = threading.Lock()
        self._general: collections.deque[float] = collections.deque()
        self._search: collections.deque[float] = collections.deque()
        self._daily = 0
        self._daily_day = day()

    def admit(self, *, search: bool) -> tuple[ApiError | None, dict[str, str]]:
        """Count one request.

        Args:
            search: Whether it goes to a search endpoint (own per-second budget, exempt from the
                10-second one, only daily headers).

        Returns:
            The 429 to answer with (None when the request may go on; always None while rate limits
            are off) and the rate-limit headers.
        """
        settings = self._settings()
        now = time.monotonic()
        with self._lock:
            day = self._day()
            if day != self._daily_day:
                self._daily, self._daily_day = 0, day
            window, span, budget = (
                (self._search, 1.0, settings.search_per_second)
                if search
                else (self._general, INTERVAL_MS / 1000, settings.rate_limit_max)
            )
            while window and window[0] <= now - span:
                window.popleft()
            error: ApiError | None = None
            if settings.rate_limits and self._daily >= settings.daily_limit:
                error = daily_error()
            elif settings.rate_limits and len(window) >= budget:
                error = secondly_search_error() if search else ten_secondly_error()
            else:
                window.append(now)
                self._daily += 1
            headers = {
                "X-HubSpot-RateLimit-Daily": str(settings.daily_limit),
                "X-HubSpot-RateLimit-Daily-Remaining": str(
                    max(0, settings.daily_limit - self._daily)
                ),
            }
            if not search:
                remaining = max(0, budget - len(window))
                headers.update(
                    {
                        "X-HubSpot-RateLimit-Interval-Milliseconds": str(INTERVAL_MS),
                        "X-HubSpot-RateLimit-Max": str(budget),
                        "X-HubSpot-RateLimit-Remaining": str(remaining),
                        "X-HubSpot-RateLimit-Secondly": str(max(1, budget // 10)),
                        "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, remaining // 10)),
                    }
                )
            return error, headers


class FaultInjector:
    """Picks, from a seeded random sequence, which requests fail and how."""

    def __init__(self, seed: int, settings: Callable[[], RuntimeSettings]) -> None:
        """Seed the fault sequence (independent of the data generator's)."""
        self._rng = random.Random(seed * 7_919 + 17)  # noqa: S311 - reproducible faults
        self._settings = settings
        self._lock = threading.Lock()

    def draw(self) -> str | None:
        """Return the fault for the next request (``429``, ``502``, ``524``, ``slow``) or None."""
        settings = self._settings()
        if settings.fault_rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= settings.fault_rate:
                return None
            return self._rng.choice(settings.fault_kinds)

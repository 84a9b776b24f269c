"""The shared rate limiter with a fake clock, and page prefetching (pure logic)."""

from __future__ import annotations

import threading

import pytest
from tap_hubspot.limiter import ARRIVAL_ALLOWANCE, RateLimiter
from tap_hubspot.prefetch import prefetched


class FakeTime:
    def __init__(self):
        self.now = 1000.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def make(per_10s=10, search=2):
    fake = FakeTime()
    return RateLimiter(
        per_10s=per_10s, search_per_second=search, clock=fake.clock, sleep=fake.sleep
    ), fake


def test_general_budget_is_rolling_10_seconds():
    limiter, fake = make(per_10s=10)
    for _ in range(10):
        limiter.acquire(search=False)
    assert fake.now == 1000.0
    limiter.acquire(search=False)
    assert fake.now == 1010.0


def test_search_budget_is_per_second_and_separate():
    limiter, fake = make(per_10s=10, search=2)
    for _ in range(4):
        limiter.acquire(search=True)
    assert fake.now == 1001.0
    limiter.acquire(search=False)
    assert fake.now == 1001.0


def test_headers_lower_the_budget():
    limiter, fake = make(per_10s=100)
    limiter.observe(
        {"X-HubSpot-RateLimit-Max": "5", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"},
        search=False,
    )
    for _ in range(5):
        limiter.acquire(search=False)
    assert fake.now == 1000.0
    limiter.acquire(search=False)
    assert fake.now == 1010.0


def test_zero_remaining_pauses():
    limiter, fake = make(per_10s=100)
    limiter.observe(
        {
            "X-HubSpot-RateLimit-Max": "100",
            "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            "X-HubSpot-RateLimit-Remaining": "0",
        },
        search=False,
    )
    limiter.acquire(search=False)
    assert fake.now > 1000.0


def test_search_headers_do_not_touch_the_general_budget():
    limiter, fake = make(per_10s=100)
    limiter.observe({"X-HubSpot-RateLimit-Max": "1"}, search=True)
    for _ in range(50):
        limiter.acquire(search=False)
    assert fake.now == 1000.0


def test_a_request_counts_from_its_arrival_allowance():
    limiter, fake = make(per_10s=100, search=1)
    limiter.acquire(search=True)
    fake.now += 0.01
    limiter.settle(search=True)
    limiter.acquire(search=True)
    assert fake.now == 1001.01
    fake.now += 0.3
    limiter.settle(search=True)
    limiter.acquire(search=True)
    assert fake.now == 1001.01 + ARRIVAL_ALLOWANCE + 1


def test_prefetched_keeps_order_and_raises_in_the_consumer():
    def records():
        yield from range(5)
        msg = "boom"
        raise ValueError(msg)

    seen = []
    with pytest.raises(ValueError, match="boom"):
        seen.extend(prefetched(records(), depth=2))
    assert seen == [0, 1, 2, 3, 4]


def test_prefetched_stops_its_worker_when_the_consumer_stops():
    endless = iter(lambda: 1, 0)
    stream = prefetched(endless, depth=3)
    assert next(stream) == 1
    stream.close()
    assert not any(t.name == "tap-hubspot-prefetch" for t in threading.enumerate())

"""The incremental window (pure logic)."""

from __future__ import annotations

import datetime as dt

from tap_hubspot.window import SAFETY_MARGIN, compute_window

START_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
RUN_START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
LOOKBACK = dt.timedelta(minutes=10)


def test_first_run_reads_from_start_date():
    window = compute_window(
        bookmark=None, start_date=START_DATE, run_start=RUN_START, lookback=LOOKBACK
    )
    assert window.full
    assert window.start == START_DATE
    assert window.end == RUN_START - SAFETY_MARGIN


def test_incremental_run_reaches_back_by_the_lookback():
    bookmark = RUN_START - dt.timedelta(hours=1)
    window = compute_window(
        bookmark=bookmark, start_date=START_DATE, run_start=RUN_START, lookback=LOOKBACK
    )
    assert not window.full
    assert window.start == bookmark - LOOKBACK
    assert window.end == RUN_START - SAFETY_MARGIN


def test_margin_is_at_most_two_minutes():
    assert dt.timedelta(minutes=2) >= SAFETY_MARGIN
    changed = RUN_START - dt.timedelta(minutes=2)
    window = compute_window(
        bookmark=RUN_START - dt.timedelta(hours=1),
        start_date=START_DATE,
        run_start=RUN_START,
        lookback=LOOKBACK,
    )
    assert window.start <= changed <= window.end


def test_window_never_starts_after_it_ends():
    window = compute_window(
        bookmark=RUN_START, start_date=START_DATE, run_start=RUN_START, lookback=dt.timedelta(0)
    )
    assert window.start <= window.end

"""Planning: due times in the scheduler's zone, the 03:00 collision, no overlap, catch-up once."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orchestrate.clock import load_timezone
from orchestrate.errors import ConfigError
from orchestrate.planning import Planner, next_slot
from orchestrate.scheduler import Scheduler
from orchestrate.schedules import Schedule
from tests.orchestrate.fakes import DAILY, HOURLY, FakeClock, FakeRunner

TOKYO = ZoneInfo("Asia/Tokyo")


def at(hour: int, minute: int = 0, day: int = 4, zone: ZoneInfo = TOKYO) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=zone)


def simulate(
    start: datetime,
    hours: float,
    schedules: list[Schedule] | None = None,
    **runner: dict[str, float] | dict[str, int] | set[str],
) -> FakeRunner:
    clock = FakeClock(start, start + timedelta(hours=hours))
    fake = FakeRunner(clock, **runner)  # type: ignore[arg-type]
    scheduler = Scheduler(schedules or [DAILY, HOURLY], clock, fake, heartbeat_seconds=30)
    clock.stop_events.append(scheduler.stop_event)
    scheduler.run()
    return fake


def starts(fake: FakeRunner, name: str) -> list[str]:
    return [started.strftime("%H:%M") for ran, started, _ in fake.runs if ran == name]


def test_default_zone_is_tokyo_and_tz_is_honoured() -> None:
    assert load_timezone(None) == TOKYO
    assert load_timezone("") == TOKYO
    assert load_timezone(":UTC") == ZoneInfo("UTC")
    with pytest.raises(ConfigError, match="TZ must be"):
        load_timezone("Mars/Olympus")


def test_daily_slot_is_three_in_the_morning_in_the_given_zone() -> None:
    instant = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    in_tokyo = next_slot(DAILY.cron, instant.astimezone(TOKYO))
    in_utc = next_slot(DAILY.cron, instant)
    assert in_tokyo == datetime(2026, 12, 5, 3, 0, tzinfo=TOKYO)
    assert in_tokyo.astimezone(UTC) == datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    assert in_utc == datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    assert in_utc - in_tokyo == timedelta(hours=9)


def test_scheduler_in_utc_runs_the_daily_job_at_three_utc() -> None:
    utc = ZoneInfo("UTC")
    fake = simulate(at(12, 0, zone=utc), 24, [DAILY])
    assert [(name, started) for name, started, _ in fake.runs] == [
        ("daily-full-sync", datetime(2026, 12, 5, 3, 0, tzinfo=utc))
    ]


def test_at_three_the_full_sync_runs_and_the_hourly_slot_is_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    planner = Planner([HOURLY, DAILY], at(2, 30))
    plan = planner.plan(at(3, 0))
    assert plan.run is not None
    assert plan.run.schedule == DAILY
    assert [(skip.schedule, skip.slot) for skip in plan.skipped] == [(HOURLY, at(3, 0))]
    assert planner.next_due[HOURLY.name] == at(4, 0)

    caplog.set_level(logging.INFO, logger="orchestrate")
    fake = simulate(at(2, 30), 2)
    assert [(name, started.strftime("%H:%M")) for name, started, _ in fake.runs] == [
        ("daily-full-sync", "03:00"),
        ("hourly-incremental-sync", "04:00"),
    ]
    assert "run skipped schedule=hourly-incremental-sync slot=2026-12-04T03:00:00+09:00" in (
        caplog.text
    )


def test_runs_never_overlap_over_two_days_with_slow_runs() -> None:
    fake = simulate(at(0, 10), 48, durations={"daily-full": 5000.0, "hourly-incremental": 1900.0})
    for (_, _, ended), (_, started, _) in zero_or_more_pairs(fake.runs):
        assert started >= ended
    assert starts(fake, "daily-full-sync") == ["03:00", "03:00"]


def zero_or_more_pairs(
    runs: list[tuple[str, datetime, datetime]],
) -> list[tuple[tuple[str, datetime, datetime], tuple[str, datetime, datetime]]]:
    return list(itertools.pairwise(runs))


def test_a_long_full_run_is_followed_by_one_catch_up_run_not_one_per_missed_slot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="orchestrate")
    fake = simulate(at(2, 30), 4, durations={"daily-full": 2.5 * 3600})
    assert starts(fake, "daily-full-sync") == ["03:00"]
    assert starts(fake, "hourly-incremental-sync") == ["05:30", "06:00"]
    assert (
        "run start schedule=hourly-incremental-sync job=hourly-incremental "
        "slot=2026-12-04T04:00:00+09:00 slots=2 full_refresh=false"
    ) in caplog.text


def test_a_schedule_longer_than_its_interval_catches_up_once() -> None:
    fake = simulate(at(0, 30), 4, [HOURLY], durations={"hourly-incremental": 90 * 60})
    assert starts(fake, "hourly-incremental-sync") == ["01:00", "02:30", "04:00"]


def test_slots_before_the_start_are_not_caught_up() -> None:
    fake = simulate(at(3, 1), 0.5)
    assert fake.runs == []


def test_full_refresh_goes_first_when_an_older_incremental_slot_waits() -> None:
    planner = Planner([HOURLY, DAILY], at(1, 30))
    planner.next_due[HOURLY.name] = at(2, 0)
    plan = planner.plan(at(3, 5))
    assert plan.run is not None
    assert plan.run.schedule == DAILY
    assert [skip.slot for skip in plan.skipped] == [at(2, 0)]


def test_a_schedule_of_other_plugins_is_not_skipped_but_waits_its_turn() -> None:
    embed = Schedule(name="daily-embed", cron="0 3 * * *", job="embed", tasks=("ai-enrich:embed",))
    fake = simulate(at(2, 30), 1, [DAILY, HOURLY, embed], durations={"daily-full": 600.0})
    assert [(name, started.strftime("%H:%M")) for name, started, _ in fake.runs] == [
        ("daily-full-sync", "03:00"),
        ("daily-embed", "03:10"),
    ]


def test_covers_needs_a_full_refresh_of_a_superset_of_plugins() -> None:
    assert DAILY.covers(HOURLY)
    assert not HOURLY.covers(DAILY)
    assert not DAILY.covers(DAILY)
    narrower = Schedule(name="x", cron="0 3 * * *", job="x", tasks=("tap-hubspot",), env=DAILY.env)
    assert not narrower.covers(HOURLY)


def test_a_failing_or_crashing_run_does_not_stop_the_scheduler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="orchestrate")
    fake = simulate(at(0, 30), 3, [HOURLY], exits={"hourly-incremental": 2}, raises=set())
    assert starts(fake, "hourly-incremental-sync") == ["01:00", "02:00", "03:00"]
    assert caplog.text.count("status=failed exit=2") == 3

    crashing = simulate(at(0, 30), 2, [HOURLY], raises={"hourly-incremental"})
    assert starts(crashing, "hourly-incremental-sync") == ["01:00", "02:00"]


def test_a_stop_request_is_forwarded_and_ends_the_loop() -> None:
    clock = FakeClock(at(0, 30), at(23, 0))
    fake = FakeRunner(clock)
    scheduler = Scheduler([HOURLY], clock, fake)
    scheduler.request_stop(15)
    scheduler.run()
    assert fake.stops == [15]
    assert fake.runs == []

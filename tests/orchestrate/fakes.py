"""Fakes for the scheduler tests: a clock that jumps, a runner that takes fake time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrate.running import RunResult
from orchestrate.schedules import FULL_REFRESH_VARIABLE, Schedule

if TYPE_CHECKING:
    import threading

FAKE_MELTANO = Path(__file__).with_name("fake_meltano.py")

DAILY = Schedule(
    name="daily-full-sync",
    cron="0 3 * * *",
    job="daily-full",
    tasks=("tap-hubspot", "target-mysql", "dbt:build-full"),
    env={FULL_REFRESH_VARIABLE: "true"},
)
HOURLY = Schedule(
    name="hourly-incremental-sync",
    cron="0 * * * *",
    job="hourly-incremental",
    tasks=("tap-hubspot", "target-mysql", "dbt:build"),
)


class FakeClock:
    """A clock whose waits move time forward at once; it requests a stop at `stop_at`."""

    def __init__(self, start: datetime, stop_at: datetime) -> None:
        self.current = start
        self.stop_at = stop_at
        self.stop_events: list[threading.Event] = []

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        if self.current >= self.stop_at:
            for event in self.stop_events:
                event.set()

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        assert seconds >= 0
        self.stop_events.append(stop)
        self.advance(max(seconds, 0.001))
        return stop.is_set()


@dataclass
class FakeRunner:
    """Runs take `durations[job]` fake seconds (default 60), exit with `exits[job]` (default 0)."""

    clock: FakeClock
    durations: dict[str, float] = field(default_factory=dict)
    exits: dict[str, int] = field(default_factory=dict)
    raises: set[str] = field(default_factory=set)
    runs: list[tuple[str, datetime, datetime]] = field(default_factory=list)
    stops: list[int] = field(default_factory=list)

    def run(self, schedule: Schedule) -> RunResult:
        started = self.clock.now()
        duration = self.durations.get(schedule.job, 60.0)
        self.clock.advance(duration)
        self.runs.append((schedule.name, started, self.clock.now()))
        if schedule.job in self.raises:
            message = "runner broke"
            raise RuntimeError(message)
        return RunResult(exit_code=self.exits.get(schedule.job, 0), duration=duration)

    def stop(self, signum: int) -> None:
        self.stops.append(signum)

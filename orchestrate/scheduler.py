"""The loop: plan, run one schedule at a time, log each run, keep the health file fresh, stop."""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from orchestrate.health import write_health
from orchestrate.planning import PlannedRun, Planner

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from pathlib import Path

    from orchestrate.clock import Clock
    from orchestrate.running import Runner, RunResult
    from orchestrate.schedules import Schedule

LOGGER = logging.getLogger("orchestrate")


class Scheduler:
    """Runs due schedules one at a time until asked to stop."""

    def __init__(
        self,
        schedules: Sequence[Schedule],
        clock: Clock,
        runner: Runner,
        *,
        health_file: Path | None = None,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        """Wire the loop.

        Args:
            schedules: The schedules to run.
            clock: The time source (real or fake).
            runner: Runs one schedule's job.
            health_file: Rewritten at least every `heartbeat_seconds` (none: no file).
            heartbeat_seconds: The longest sleep between two health updates.
        """
        self.schedules = list(schedules)
        self.clock = clock
        self.runner = runner
        self.health_file = health_file
        self.heartbeat_seconds = heartbeat_seconds
        self.stop_event = threading.Event()
        self.stop_signal: int | None = None
        self.planner: Planner | None = None
        self.current: tuple[PlannedRun, datetime] | None = None
        self.last: dict[str, Any] | None = None

    def request_stop(self, signum: int = signal.SIGTERM) -> None:
        """Stop the loop and forward `signum` to the run in progress (signal-handler safe).

        Args:
            signum: The signal received.
        """
        self.stop_signal = signum
        self.stop_event.set()
        self.runner.stop(signum)

    def run(self) -> None:
        """Loop until a stop is requested; a failing run is logged and the loop goes on."""
        self.planner = Planner(self.schedules, self.clock.now())
        self._log_start()
        self.beat()
        while not self.stop_event.is_set():
            now = self.clock.now()
            plan = self.planner.plan(now)
            for skip in plan.skipped:
                LOGGER.info(
                    "run skipped schedule=%s slot=%s reason=covered by %s (full refresh)",
                    skip.schedule.name,
                    skip.slot.isoformat(),
                    skip.covered_by.name,
                )
            if plan.run is not None:
                self._execute(plan.run)
                continue
            wait = self.heartbeat_seconds
            if plan.wake_at is not None:
                wait = min(wait, max((plan.wake_at - now).total_seconds(), 0.0))
            self.clock.wait(wait, self.stop_event)
            self.beat()
        name = signal.Signals(self.stop_signal).name if self.stop_signal else "stop"
        LOGGER.info("scheduler stopped (%s)", name)
        self.beat(state="stopped")

    def _execute(self, planned: PlannedRun) -> None:
        """Run one planned schedule and log its start and end.

        Args:
            planned: The schedule and slot.
        """
        assert self.planner is not None  # noqa: S101 (set by run())
        schedule = planned.schedule
        started_at = self.clock.now()
        self.planner.started(schedule, started_at)
        self.current = (planned, started_at)
        LOGGER.info(
            "run start schedule=%s job=%s slot=%s slots=%d full_refresh=%s",
            schedule.name,
            schedule.job,
            planned.slot.isoformat(),
            planned.slots,
            str(schedule.full_refresh).lower(),
        )
        self.beat()
        try:
            result = self.runner.run(schedule)
        except Exception:  # a broken run must not end the scheduler
            LOGGER.exception("run error schedule=%s job=%s", schedule.name, schedule.job)
            result = None
        ended_at = self.clock.now()
        self.current = None
        if result is not None:
            self._log_end(schedule, result)
        self.last = {
            "schedule": schedule.name,
            "job": schedule.job,
            "started_at": started_at.isoformat(),
            "ended_at": ended_at.isoformat(),
            "status": result.status if result else "error",
            "exit_code": result.exit_code if result else None,
            "duration_seconds": round(result.duration, 3) if result else None,
        }
        self.beat()

    @staticmethod
    def _log_end(schedule: Schedule, result: RunResult) -> None:
        level = logging.INFO if result.status == "success" else logging.ERROR
        LOGGER.log(
            level,
            "run end schedule=%s job=%s status=%s exit=%d duration=%.1fs",
            schedule.name,
            schedule.job,
            result.status,
            result.exit_code,
            result.duration,
        )

    def _log_start(self) -> None:
        zone = self.clock.now().tzinfo
        if not self.schedules:
            LOGGER.warning("no job schedules with a cron interval in meltano.yml: nothing to run")
        LOGGER.info("scheduler started tz=%s schedules=%d", zone, len(self.schedules))
        assert self.planner is not None  # noqa: S101 (set by run())
        for schedule in self.schedules:
            LOGGER.info(
                "schedule %s cron=%r job=%s full_refresh=%s next=%s",
                schedule.name,
                schedule.cron,
                schedule.job,
                str(schedule.full_refresh).lower(),
                self.planner.next_due[schedule.name].isoformat(),
            )

    def beat(self, state: str | None = None) -> None:
        """Rewrite the health file (names, times and exit codes; never settings or secrets).

        Args:
            state: Overrides the state shown (`idle` or `running` otherwise).
        """
        if self.health_file is None:
            return
        status: dict[str, Any] = {
            "pid": os.getpid(),
            "state": state or ("running" if self.current else "idle"),
            "updated_at": self.clock.now().isoformat(),
            "last_run": self.last,
            "next": {
                name: due.isoformat()
                for name, due in (self.planner.next_due if self.planner else {}).items()
            },
        }
        if self.current is not None:
            planned, started_at = self.current
            status["current_run"] = {
                "schedule": planned.schedule.name,
                "job": planned.schedule.job,
                "started_at": started_at.isoformat(),
            }
        try:
            write_health(self.health_file, status)
        except OSError as error:
            LOGGER.warning("cannot write health file %s: %s", self.health_file, error)

"""Which schedule runs next: due times in one time zone, one run at a time, no slot run twice.

Rules:
- A schedule is due when its next slot (cron, read in the scheduler's zone) has come.
- One run at a time. When several are due, a full-refresh schedule goes first; an incremental
  schedule of the same plugins that is due as well is skipped, because the full run covers it (at
  03:00 the daily full sync runs and the hourly slot of 03:00 is skipped, not queued).
- Slots missed while another run (or the schedule's own run) was busy are caught up once: the
  schedule runs as soon as it is free, then continues from its first slot after that run's start.
- Slots before the scheduler started are not caught up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from croniter import croniter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from orchestrate.schedules import Schedule


def next_slot(cron: str, after: datetime) -> datetime:
    """Return the first slot of `cron` strictly after `after`, in `after`'s time zone.

    Args:
        cron: A cron expression (5 fields; croniter's 6th seconds field also works).
        after: An aware datetime in the zone the expression is read in.

    Returns:
        The slot, aware, in the same zone.
    """
    slot: datetime = croniter(cron, after).get_next(datetime)
    return slot


def count_slots(cron: str, first: datetime, until: datetime) -> int:
    """Count the slots of `cron` from `first` (itself a slot) up to and including `until`.

    Args:
        cron: A cron expression.
        first: The earliest slot counted.
        until: The latest time counted.

    Returns:
        How many slots a catch-up run covers (at least 1 when `first <= until`).
    """
    count = 0
    slot = first
    while slot <= until:
        count += 1
        slot = next_slot(cron, slot)
    return count


@dataclass(frozen=True)
class PlannedRun:
    """A schedule to run now.

    Attributes:
        schedule: The schedule.
        slot: The earliest slot the run is for.
        slots: How many slots it covers (more than 1 after a long run: caught up once).
    """

    schedule: Schedule
    slot: datetime
    slots: int


@dataclass(frozen=True)
class Skip:
    """A due schedule that is not run.

    Attributes:
        schedule: The schedule skipped.
        slot: Its slot.
        covered_by: The schedule whose run makes it redundant.
    """

    schedule: Schedule
    slot: datetime
    covered_by: Schedule


@dataclass(frozen=True)
class Plan:
    """What to do at one moment.

    Attributes:
        run: The schedule to run now, if any.
        skipped: Due schedules dropped for this moment.
        wake_at: When the next slot comes (if nothing runs now).
    """

    run: PlannedRun | None
    skipped: tuple[Skip, ...]
    wake_at: datetime | None


class Planner:
    """Keeps each schedule's next slot and decides what runs."""

    def __init__(self, schedules: Sequence[Schedule], start: datetime) -> None:
        """Start planning at `start`; earlier slots are not caught up.

        Args:
            schedules: The schedules (names unique).
            start: The time the scheduler starts, aware, in the schedules' zone.
        """
        self.schedules = {schedule.name: schedule for schedule in schedules}
        self.next_due = {schedule.name: next_slot(schedule.cron, start) for schedule in schedules}

    def plan(self, now: datetime) -> Plan:
        """Decide what to run at `now`; skipped schedules move on to their next slot.

        Args:
            now: The current time, aware.

        Returns:
            The plan.
        """
        due = sorted(
            (
                schedule
                for schedule in self.schedules.values()
                if self.next_due[schedule.name] <= now
            ),
            key=lambda schedule: (
                not schedule.full_refresh,
                self.next_due[schedule.name],
                schedule.name,
            ),
        )
        if not due:
            return Plan(run=None, skipped=(), wake_at=min(self.next_due.values(), default=None))
        chosen = due[0]
        skipped = []
        for other in due[1:]:
            if chosen.covers(other):
                skipped.append(Skip(other, self.next_due[other.name], covered_by=chosen))
                self.next_due[other.name] = next_slot(other.cron, now)
        slot = self.next_due[chosen.name]
        run = PlannedRun(chosen, slot, count_slots(chosen.cron, slot, now))
        return Plan(run=run, skipped=tuple(skipped), wake_at=None)

    def started(self, schedule: Schedule, at: datetime) -> None:
        """Record that `schedule` started at `at`: its next slot is the first one after that.

        Slots that pass while it runs are then due when it ends, and caught up by one run.

        Args:
            schedule: The schedule that started.
            at: When its run started, aware.
        """
        self.next_due[schedule.name] = next_slot(schedule.cron, at)

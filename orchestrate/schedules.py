"""The schedules of meltano.yml, read through `meltano schedule list --format=json`."""

from __future__ import annotations

import json
import logging
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from croniter import croniter

from orchestrate.errors import ScheduleError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

LOGGER = logging.getLogger(__name__)
FULL_REFRESH_VARIABLE = "MELTANO_RUN_FULL_REFRESH"
_TRUE = frozenset({"1", "true", "yes", "on"})
_LIST_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Schedule:
    """One job schedule.

    Attributes:
        name: The schedule's name, e.g. `hourly-incremental-sync`.
        cron: The cron expression, read in the scheduler's time zone.
        job: The Meltano job it runs.
        tasks: The job's tasks, flattened (`tap-hubspot`, `target-mysql`, `dbt:build`).
        env: Variables Meltano gives `meltano run` for this schedule.
    """

    name: str
    cron: str
    job: str
    tasks: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def full_refresh(self) -> bool:
        """Whether the run ignores saved state (`MELTANO_RUN_FULL_REFRESH` in the schedule's env).

        Returns:
            True for a full-refresh schedule.
        """
        return self.env.get(FULL_REFRESH_VARIABLE, "").strip().lower() in _TRUE

    @property
    def plugins(self) -> frozenset[str]:
        """The plugins the job runs, without their commands (`dbt:build` -> `dbt`).

        Returns:
            The plugin names.
        """
        return frozenset(task.split(":", 1)[0] for task in self.tasks)

    def covers(self, other: Schedule) -> bool:
        """Whether a run of this schedule makes a run of `other` in the same slot redundant.

        A full refresh of the same plugins does all an incremental run would (and both share one
        Meltano state id, so they must not run side by side).

        Args:
            other: Another schedule due at the same time.

        Returns:
            True when `other` can be skipped.
        """
        return (
            self.full_refresh
            and not other.full_refresh
            and bool(other.plugins)
            and other.plugins <= self.plugins
        )


def parse_schedules(text: str) -> list[Schedule]:
    """Turn the JSON of `meltano schedule list --format=json` into schedules.

    Schedules without a cron interval (`@once`, `@manual`, `@none`) and legacy `elt` schedules are
    left out with a log line: the scheduler runs jobs only.

    Args:
        text: The command's standard output.

    Returns:
        The job schedules with a cron interval, in the order Meltano lists them.

    Raises:
        ScheduleError: The JSON is not what Meltano 4 prints, or an interval is not valid cron.
    """
    try:
        document = json.loads(text)
        entries: list[dict[str, Any]] = document["schedules"]["job"]
        legacy: list[dict[str, Any]] = document["schedules"].get("elt", [])
    except (ValueError, KeyError, TypeError) as error:
        message = f"unexpected output of 'meltano schedule list --format=json': {error}"
        raise ScheduleError(message) from error
    for entry in legacy:
        LOGGER.warning("ignoring elt schedule %s: only job schedules are run", entry.get("name"))
    schedules = []
    for entry in entries:
        schedule = _schedule_from_entry(entry)
        if schedule is not None:
            schedules.append(schedule)
    return schedules


def _schedule_from_entry(entry: Mapping[str, Any]) -> Schedule | None:
    try:
        name = str(entry["name"])
        cron = entry.get("cron_interval")
        job = entry["job"]
        job_name = str(job["name"])
        tasks = _flatten_tasks(job.get("tasks", []))
        env = {str(key): str(value) for key, value in (entry.get("env") or {}).items()}
    except (KeyError, TypeError, AttributeError) as error:
        message = f"unexpected schedule entry in meltano schedule list: {error}"
        raise ScheduleError(message) from error
    if not cron:
        LOGGER.info(
            "schedule %s has no cron interval (%s): not scheduled", name, entry.get("interval")
        )
        return None
    if not croniter.is_valid(cron):
        message = f"schedule {name}: interval {cron!r} is not a valid cron expression"
        raise ScheduleError(message)
    return Schedule(name=name, cron=str(cron), job=job_name, tasks=tasks, env=env)


def _flatten_tasks(tasks: object) -> tuple[str, ...]:
    """Split a job's tasks (a string, or a list of strings and lists) into single tasks.

    Args:
        tasks: The `tasks` value of a job.

    Returns:
        The tasks in order.
    """
    if isinstance(tasks, str):
        return tuple(tasks.split())
    if isinstance(tasks, list):
        return tuple(task for item in tasks for task in _flatten_tasks(item))
    return ()


def read_schedules(meltano: Sequence[str], cwd: Path, env: Mapping[str, str]) -> list[Schedule]:
    """Ask Meltano for the project's schedules.

    Args:
        meltano: The command that runs Meltano, e.g. `["meltano"]`.
        cwd: The Meltano project directory.
        env: The environment of the command.

    Returns:
        The job schedules with a cron interval.

    Raises:
        ScheduleError: Meltano failed or printed something unexpected.
    """
    command = [*meltano, "schedule", "list", "--format=json"]
    try:
        completed = subprocess.run(  # noqa: S603 (a fixed command line, no shell)
            command,
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=_LIST_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        message = f"could not run {' '.join(command)}: {error}"
        raise ScheduleError(message) from error
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        message = f"{' '.join(command)} exited with {completed.returncode}: {last}"
        raise ScheduleError(message)
    return parse_schedules(completed.stdout)

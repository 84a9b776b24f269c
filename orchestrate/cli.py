"""`python -m orchestrate [run | plan | health]`: the container's command and its health check."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrate.clock import SystemClock
from orchestrate.errors import OrchestrateError
from orchestrate.health import check_health
from orchestrate.planning import next_slot
from orchestrate.running import MeltanoRunner
from orchestrate.scheduler import Scheduler
from orchestrate.schedules import read_schedules
from orchestrate.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

LOGGER = logging.getLogger("orchestrate")
DEFAULT_MAX_AGE = 180.0


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line.

    Returns:
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="python -m orchestrate",
        description=(
            "Run the Meltano schedules of meltano.yml one at a time, cron read in TZ "
            "(default Asia/Tokyo)."
        ),
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the scheduler until SIGTERM/SIGINT (the default)")
    plan = commands.add_parser("plan", help="print the next slots of every schedule and exit")
    plan.add_argument("--count", type=int, default=3, help="slots per schedule (default 3)")
    health = commands.add_parser("health", help="exit 0 when the scheduler is alive (HEALTHCHECK)")
    health.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE,
        help=f"oldest acceptable health file, seconds (default {DEFAULT_MAX_AGE:.0f})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command.

    Args:
        argv: The arguments (default: `sys.argv[1:]`).

    Returns:
        The exit status: 0 on success or a clean stop, 1 on an error.
    """
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stdout,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )
    try:
        settings = Settings.from_env(os.environ, Path.cwd())
        if arguments.command == "health":
            return _health(settings, arguments.max_age)
        if arguments.command == "plan":
            return _plan(settings, arguments.count)
        return _run(settings)
    except OrchestrateError as error:
        LOGGER.error("%s", error)  # noqa: TRY400 (one clear line, no traceback)
        return 1


def _health(settings: Settings, max_age: float) -> int:
    healthy, reason = check_health(settings.health_file, max_age)
    print(reason)  # noqa: T201 (the health check's output)
    return 0 if healthy else 1


def _plan(settings: Settings, count: int) -> int:
    schedules = read_schedules(settings.meltano, settings.project_root, os.environ)
    now = SystemClock(settings.zone).now()
    for schedule in schedules:
        slots = []
        slot = now
        for _ in range(count):
            slot = next_slot(schedule.cron, slot)
            slots.append(slot.isoformat())
        refresh = " (full refresh)" if schedule.full_refresh else ""
        print(f"{schedule.name} [{schedule.cron} {settings.zone}] job {schedule.job}{refresh}")  # noqa: T201
        for line in slots:
            print(f"  {line}")  # noqa: T201
    return 0


def _run(settings: Settings) -> int:
    schedules = read_schedules(settings.meltano, settings.project_root, os.environ)
    runner = MeltanoRunner(
        settings.meltano,
        settings.project_root,
        os.environ,
        stop_timeout=settings.stop_timeout,
        heartbeat_seconds=settings.heartbeat_seconds,
    )
    scheduler = Scheduler(
        schedules,
        SystemClock(settings.zone),
        runner,
        health_file=settings.health_file,
        heartbeat_seconds=settings.heartbeat_seconds,
    )
    runner.heartbeat = scheduler.beat

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        scheduler.request_stop(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.run()
    return 0

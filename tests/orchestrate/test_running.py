"""Running jobs through a fake `meltano`: exit codes, the schedule's env, SIGTERM during a run."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from orchestrate.running import EXIT_NOT_STARTED, MeltanoRunner, RunResult
from orchestrate.scheduler import Scheduler
from tests.orchestrate.fakes import DAILY, FAKE_MELTANO, HOURLY, FakeClock


def events(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def make_runner(
    tmp_path: Path, stop_timeout: float = 5.0, **fake: str
) -> tuple[MeltanoRunner, Path]:
    log = tmp_path / "meltano.jsonl"
    env = {**os.environ, "FAKE_MELTANO_LOG": str(log)}
    env.pop("MELTANO_RUN_FULL_REFRESH", None)
    env.update({f"FAKE_MELTANO_{key.upper()}": value for key, value in fake.items()})
    runner = MeltanoRunner(
        [sys.executable, str(FAKE_MELTANO)],
        tmp_path,
        env,
        stop_timeout=stop_timeout,
        heartbeat_seconds=0.1,
    )
    return runner, log


def wait_for(log: Path, event: str, timeout: float = 20.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for item in events(log):
            if item["event"] == event:
                return item
        time.sleep(0.02)
    pytest.fail(f"no {event} event from the fake meltano")


def run_in_thread(
    runner: MeltanoRunner, schedule: object
) -> tuple[threading.Thread, list[RunResult]]:
    results: list[RunResult] = []
    thread = threading.Thread(target=lambda: results.append(runner.run(schedule)))  # type: ignore[arg-type]
    thread.start()
    return thread, results


def test_runs_meltano_run_job_with_the_schedule_env(tmp_path: Path) -> None:
    runner, log = make_runner(tmp_path)
    assert runner.run(DAILY).status == "success"
    result = runner.run(HOURLY)
    assert (result.exit_code, result.status) == (0, "success")
    started = [item for item in events(log) if item["event"] == "start"]
    assert started[0]["argv"] == ["run", "daily-full"]
    assert started[0]["full_refresh"] == "true"
    assert started[-1]["argv"] == ["run", "hourly-incremental"]
    assert started[-1]["full_refresh"] is None


def test_a_failing_run_reports_its_exit_code(tmp_path: Path) -> None:
    runner, _ = make_runner(tmp_path, exits="hourly-incremental=3")
    result = runner.run(HOURLY)
    assert (result.exit_code, result.status, result.stopped) == (3, "failed", False)


def test_a_missing_meltano_is_exit_127(tmp_path: Path) -> None:
    runner = MeltanoRunner([str(tmp_path / "nope")], tmp_path, {}, stop_timeout=1)
    assert runner.run(HOURLY).exit_code == EXIT_NOT_STARTED


def test_sigterm_is_forwarded_and_the_run_ends_cleanly(tmp_path: Path) -> None:
    beats: list[float] = []
    runner, log = make_runner(tmp_path, sleep="30")
    runner.heartbeat = lambda: beats.append(time.monotonic())
    thread, results = run_in_thread(runner, HOURLY)
    wait_for(log, "start")
    time.sleep(0.3)
    runner.stop(signal.SIGTERM)
    thread.join(10)
    assert not thread.is_alive()
    (result,) = results
    assert (result.exit_code, result.status, result.killed) == (143, "terminated", False)
    assert wait_for(log, "term")["signal"] == signal.SIGTERM
    assert beats, "the health file is refreshed while a run is in progress"
    assert runner.run(HOURLY).status == "terminated", "no run starts after a stop"


def test_a_run_that_ignores_sigterm_is_killed_with_its_children(tmp_path: Path) -> None:
    runner, log = make_runner(tmp_path, stop_timeout=0.5, sleep="30", on_term="ignore", child="1")
    thread, results = run_in_thread(runner, HOURLY)
    grandchild = wait_for(log, "start")["grandchild"]
    assert isinstance(grandchild, int)
    runner.stop(signal.SIGTERM)
    thread.join(10)
    (result,) = results
    assert (result.exit_code, result.status) == (-signal.SIGKILL, "killed")
    assert gone(grandchild), "the whole process group is killed"


def gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.05)
    return False


def test_the_scheduler_survives_a_failing_real_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="orchestrate")
    runner, log = make_runner(tmp_path, exits="hourly-incremental=1")
    start = datetime(2026, 12, 4, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    clock = FakeClock(start, start + timedelta(hours=2, minutes=10))
    health = tmp_path / "health.json"
    scheduler = Scheduler([HOURLY], clock, runner, health_file=health)
    clock.stop_events.append(scheduler.stop_event)
    scheduler.run()
    assert len([item for item in events(log) if item["event"] == "start"]) == 2
    assert (
        caplog.text.count(
            "run end schedule=hourly-incremental-sync job=hourly-incremental status=failed exit=1"
        )
        == 2
    )
    status = json.loads(health.read_text())
    assert status["state"] == "stopped"
    assert status["last_run"]["exit_code"] == 1


@pytest.mark.parametrize(
    ("result", "status"),
    [
        (RunResult(0, 1.0), "success"),
        (RunResult(2, 1.0), "failed"),
        (RunResult(0, 1.0, stopped=True), "success"),
        (RunResult(143, 1.0, stopped=True), "terminated"),
        (RunResult(-9, 1.0, stopped=True, killed=True), "killed"),
    ],
)
def test_status_words(result: RunResult, status: str) -> None:
    assert result.status == status

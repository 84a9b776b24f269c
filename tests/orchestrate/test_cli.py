"""`python -m orchestrate` as a process: a real SIGTERM during a run, the health check, bad TZ."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.orchestrate.fakes import FAKE_MELTANO

ROOT = Path(__file__).resolve().parents[2]
EVERY_SECOND = json.dumps(
    {
        "schedules": {
            "job": [
                {
                    "name": "every-second",
                    "interval": "* * * * * *",
                    "cron_interval": "* * * * * *",
                    "env": {"MELTANO_RUN_FULL_REFRESH": "true"},
                    "job": {"name": "slow-job", "tasks": ["tap-x target-y"]},
                }
            ],
            "elt": [],
        }
    }
)


def scheduler_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MELTANO_")}
    env.update(
        {
            "SCHEDULER_MELTANO": f"{sys.executable} {FAKE_MELTANO}",
            "SCHEDULER_HEALTH_FILE": str(tmp_path / "health.json"),
            "SCHEDULER_HEARTBEAT_SECONDS": "0.2",
            "SCHEDULER_STOP_TIMEOUT": "10",
            "FAKE_MELTANO_SCHEDULES": EVERY_SECOND,
            "FAKE_MELTANO_LOG": str(tmp_path / "meltano.jsonl"),
            "FAKE_MELTANO_SLEEP": "60",
            "PYTHONPATH": str(ROOT),
            "TZ": "Asia/Tokyo",
        }
    )
    env.update(extra)
    return env


def orchestrate(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrate", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_sigterm_during_a_run_stops_it_and_exits_zero(tmp_path: Path) -> None:
    env = scheduler_env(tmp_path)
    log = tmp_path / "meltano.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestrate"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (log.exists() and log.read_text()):
            time.sleep(0.05)
        assert log.exists(), "the scheduler started a run"
        assert orchestrate("health", "--max-age", "5", env=env).returncode == 0
        health = json.loads((tmp_path / "health.json").read_text())
        assert health["state"] == "running"
        assert health["current_run"]["schedule"] == "every-second"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    started, terminated = (json.loads(line) for line in log.read_text().splitlines())
    assert started["argv"] == ["run", "slow-job"]
    assert started["full_refresh"] == "true"
    assert terminated["event"] == "term"
    assert "run start schedule=every-second job=slow-job" in output
    assert "run end schedule=every-second job=slow-job status=terminated exit=143" in output
    assert "scheduler stopped (SIGTERM)" in output
    assert output.count("run start") == 1, "no run starts after the stop"


def test_health_fails_when_the_file_is_stale_or_missing(tmp_path: Path) -> None:
    env = scheduler_env(tmp_path)
    missing = orchestrate("health", env=env)
    assert missing.returncode == 1
    assert "unhealthy: cannot read" in missing.stdout
    health = tmp_path / "health.json"
    health.write_text('{"state": "idle"}')
    assert orchestrate("health", env=env).returncode == 0
    old = time.time() - 600
    os.utime(health, (old, old))
    stale = orchestrate("health", "--max-age", "180", env=env)
    assert stale.returncode == 1
    assert "600s old" in stale.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TZ", "Not/AZone"), ("SCHEDULER_STOP_TIMEOUT", "soon")],
)
def test_a_wrong_setting_fails_at_start_naming_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = orchestrate("plan", env=scheduler_env(tmp_path, **{variable: value}))
    assert result.returncode == 1
    assert variable in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_plan_prints_the_next_slots_in_the_zone(tmp_path: Path) -> None:
    result = orchestrate("plan", "--count", "2", env=scheduler_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every-second [* * * * * * Asia/Tokyo] job slow-job (full refresh)" in result.stdout
    assert result.stdout.count("+09:00") == 2


def test_the_real_project_starts_idle_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MELTANO_")}
    env.update(
        {
            "SCHEDULER_MELTANO": str(ROOT / ".venv" / "bin" / "meltano"),
            "SCHEDULER_HEALTH_FILE": str(tmp_path / "health.json"),
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("TZ", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestrate"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (tmp_path / "health.json").exists():
            time.sleep(0.1)
        health = json.loads((tmp_path / "health.json").read_text())
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert health["state"] == "idle"
    assert set(health["next"]) == {"daily-full-sync", "hourly-incremental-sync"}
    assert health["next"]["daily-full-sync"].endswith("T03:00:00+09:00")
    assert "scheduler started tz=Asia/Tokyo schedules=2" in output
    assert "scheduler stopped (SIGINT)" in output
    assert "run start" not in output

"""Reading schedules: Meltano's JSON, and the real `meltano schedule list` of this project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrate.errors import ScheduleError
from orchestrate.schedules import parse_schedules, read_schedules
from tests.orchestrate.fakes import FAKE_MELTANO

ROOT = Path(__file__).resolve().parents[2]
MELTANO = ROOT / ".venv" / "bin" / "meltano"


def listing(*jobs: dict[str, object], elt: list[dict[str, object]] | None = None) -> str:
    return json.dumps({"schedules": {"job": list(jobs), "elt": elt or []}})


def entry(
    name: str, cron: str | None, tasks: object, env: dict[str, str] | None = None
) -> dict[str, object]:
    return {
        "name": name,
        "interval": cron or "@manual",
        "cron_interval": cron,
        "env": env or {},
        "job": {"name": f"{name}-job", "tasks": tasks},
    }


def test_parse_flattens_tasks_and_reads_the_full_refresh_env() -> None:
    text = listing(
        entry(
            "a", "0 3 * * *", ["tap-x target-y dbt:build-full"], {"MELTANO_RUN_FULL_REFRESH": "1"}
        ),
        entry("b", "*/5 * * * *", [["tap-x", "target-y"], "dbt:build"]),
        entry("c", "@hourly", "tap-x target-y"),
    )
    a, b, c = parse_schedules(text)
    assert (a.name, a.cron, a.job, a.full_refresh) == ("a", "0 3 * * *", "a-job", True)
    assert a.tasks == ("tap-x", "target-y", "dbt:build-full")
    assert a.plugins == {"tap-x", "target-y", "dbt"}
    assert b.tasks == ("tap-x", "target-y", "dbt:build")
    assert not b.full_refresh
    assert c.cron == "@hourly"


def test_parse_leaves_out_manual_and_elt_schedules(caplog: pytest.LogCaptureFixture) -> None:
    text = listing(entry("manual", None, "tap-x target-y"), elt=[{"name": "legacy"}])
    assert parse_schedules(text) == []
    assert "ignoring elt schedule legacy" in caplog.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "unexpected output"),
        ('{"schedules": {}}', "unexpected output"),
        (listing({"name": "x"}), "unexpected schedule entry"),
        (listing(entry("x", "61 * * * *", "tap-x target-y")), "not a valid cron"),
    ],
)
def test_parse_rejects_what_meltano_would_not_print(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedules(text)


def test_a_failing_meltano_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "FAKE_MELTANO_LIST_EXIT": "3"}
    with pytest.raises(ScheduleError, match="exited with 3"):
        read_schedules([sys.executable, str(FAKE_MELTANO)], tmp_path, env)
    with pytest.raises(ScheduleError, match="could not run"):
        read_schedules([str(tmp_path / "no-meltano")], tmp_path, env)


def test_the_project_schedules_as_meltano_lists_them() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MELTANO_")}
    daily, hourly = read_schedules([str(MELTANO)], ROOT, env)
    assert (daily.name, daily.cron, daily.job) == ("daily-full-sync", "0 3 * * *", "daily-full")
    assert daily.full_refresh
    assert daily.tasks == ("tap-hubspot", "target-mysql", "dbt:build-full")
    assert (hourly.name, hourly.cron, hourly.job) == (
        "hourly-incremental-sync",
        "0 * * * *",
        "hourly-incremental",
    )
    assert not hourly.full_refresh
    assert hourly.tasks == ("tap-hubspot", "target-mysql", "dbt:build")
    assert daily.covers(hourly)


def test_a_schedule_env_full_refresh_is_meltano_runs_full_refresh_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The schedule's env reaches `meltano run`, which reads it as its `--full-refresh` flag."""
    import click  # noqa: PLC0415 (Meltano's own CLI, only for this check)
    from meltano.cli.run import run as meltano_run  # noqa: PLC0415

    option = next(param for param in meltano_run.params if param.name == "full_refresh")
    assert option.envvar == "MELTANO_RUN_FULL_REFRESH"
    context = click.Context(meltano_run)

    def flag() -> object:
        return option.process_value(context, option.value_from_envvar(context))

    monkeypatch.setenv("MELTANO_RUN_FULL_REFRESH", "true")
    assert flag() is True
    monkeypatch.setenv("MELTANO_RUN_FULL_REFRESH", "false")
    assert flag() is False


@pytest.mark.parametrize("name", ["daily-full-sync", "hourly-incremental-sync"])
def test_meltano_accepts_both_schedules_in_a_dry_run(name: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MELTANO_")}
    result = subprocess.run(
        [str(MELTANO), "schedule", "run", name, "--dry-run"],
        cwd=ROOT,
        env={**env, "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "would have run block 2/2" in result.stderr

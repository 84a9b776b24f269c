"""meltano.yml: schema, environments, jobs and schedules as issue 6 decides."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def project() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))
    return document


def test_meltano_yml_matches_meltanos_schema() -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "check-jsonschema"),
            "--builtin-schema",
            "vendor.meltano",
            str(ROOT / "meltano.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_environments_with_a_default() -> None:
    document = project()
    assert [environment["name"] for environment in document["environments"]] == ["dev", "prod"]
    assert document["default_environment"] == "dev"


def test_jobs_and_schedules() -> None:
    document = project()
    jobs = {job["name"]: job["tasks"] for job in document["jobs"]}
    assert jobs == {
        "daily-full": ["tap-hubspot target-mysql dbt:build-full"],
        "hourly-incremental": ["tap-hubspot target-mysql dbt:build"],
    }
    schedules = {schedule["name"]: schedule for schedule in document["schedules"]}
    daily, hourly = schedules["daily-full-sync"], schedules["hourly-incremental-sync"]
    assert (daily["interval"], daily["job"]) == ("0 3 * * *", "daily-full")
    assert daily["env"] == {"MELTANO_RUN_FULL_REFRESH": "true"}
    assert (hourly["interval"], hourly["job"]) == ("0 * * * *", "hourly-incremental")
    assert "MELTANO_RUN_FULL_REFRESH" not in hourly.get("env", {})


def test_every_task_names_a_declared_plugin_and_command() -> None:
    """An undefined `dbt:<cmd>` fails `meltano run` with no reason: catch it here."""
    document = project()
    commands: dict[str, set[str]] = {}
    for plugins in document["plugins"].values():
        for plugin in plugins:
            commands[plugin["name"]] = set(plugin.get("commands", {}))
    for job in document["jobs"]:
        for task in " ".join(job["tasks"]).split():
            name, _, command = task.partition(":")
            assert name in commands, task
            assert not command or command in commands[name], task

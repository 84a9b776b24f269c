"""The scheduler's settings, from environment variables (each error names its variable)."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrate.clock import load_timezone
from orchestrate.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from zoneinfo import ZoneInfo

DEFAULT_STOP_TIMEOUT = 120.0
DEFAULT_HEARTBEAT_SECONDS = 30.0
HEALTH_FILE_NAME = ".meltano/run/scheduler-health.json"


@dataclass(frozen=True)
class Settings:
    """Everything the scheduler reads from the environment.

    Attributes:
        zone: `TZ`: the zone cron intervals are read in (default Asia/Tokyo).
        meltano: `SCHEDULER_MELTANO`: the command that runs Meltano (default: the `meltano` beside
            this Python, else the one on PATH).
        project_root: `MELTANO_PROJECT_ROOT`, else the working directory.
        health_file: `SCHEDULER_HEALTH_FILE` (default `.meltano/run/scheduler-health.json`).
        stop_timeout: `SCHEDULER_STOP_TIMEOUT`: seconds a run may take to end after SIGTERM before
            it is killed (default 120; keep it below the container's stop grace period).
        heartbeat_seconds: `SCHEDULER_HEARTBEAT_SECONDS`: how often the health file is refreshed.
    """

    zone: ZoneInfo
    meltano: tuple[str, ...]
    project_root: Path
    health_file: Path
    stop_timeout: float
    heartbeat_seconds: float

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: Path) -> Settings:
        """Read and check the settings.

        Args:
            env: The environment variables.
            cwd: The working directory.

        Returns:
            The settings.

        Raises:
            ConfigError: A variable has a wrong value.
        """
        root = Path(env.get("MELTANO_PROJECT_ROOT", "").strip() or cwd)
        health = env.get("SCHEDULER_HEALTH_FILE", "").strip()
        meltano = shlex.split(env.get("SCHEDULER_MELTANO", "")) or [default_meltano()]
        return cls(
            zone=load_timezone(env.get("TZ")),
            meltano=tuple(meltano),
            project_root=root,
            health_file=Path(health) if health else root / HEALTH_FILE_NAME,
            stop_timeout=_seconds(env, "SCHEDULER_STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT),
            heartbeat_seconds=_seconds(
                env, "SCHEDULER_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS
            ),
        )


def default_meltano() -> str:
    """Find Meltano: beside the running Python (a venv), else on PATH.

    Returns:
        A path or the bare command name.
    """
    beside = Path(sys.executable).parent / "meltano"
    return str(beside) if beside.exists() else "meltano"


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        message = f"{name} must be a positive number of seconds (got {value!r})"
        raise ConfigError(message)
    return seconds

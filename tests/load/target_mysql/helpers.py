"""Shared helpers: configs for a test database, running the target in-process or as the CLI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from target_mysql.target import TargetMySQL

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase

RESOURCES = Path(__file__).parent / "resources"
EXECUTABLE = Path(sys.executable).parent / "target-mysql"


def config_for(database: MySQLDatabase, /, **overrides: object) -> dict[str, object]:
    settings = database.settings
    config: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "user": settings.user,
        "password": settings.password,
        "database": database.name,
    }
    config.update(overrides)
    return config


def load(config: dict[str, object], lines: str | Path) -> list[dict[str, object]]:
    """Run the target in-process on a .singer text or file; return the STATE values emitted."""
    text = lines.read_text(encoding="utf-8") if isinstance(lines, Path) else lines
    output = io.StringIO()
    target = TargetMySQL(config=config)
    with contextlib.redirect_stdout(output):
        target.run(io.StringIO(text))
    return [json.loads(line) for line in output.getvalue().splitlines() if line.strip()]


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(
    config: dict[str, object],
    input_text: str,
    tmp_path: Path,
    env: dict[str, str] | None = None,
) -> CliResult:
    """Run the target-mysql executable with a config file, feeding input_text on stdin."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    completed = subprocess.run(
        [str(EXECUTABLE), "--config", str(config_path)],
        input=input_text,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def singer(*messages: dict[str, object]) -> str:
    return "".join(json.dumps(message, ensure_ascii=False) + "\n" for message in messages)

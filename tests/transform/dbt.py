"""Run the dbt project in transform/ as a subprocess against test databases."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIR = ROOT / "transform"
DBT = ROOT / ".meltano" / "utilities" / "dbt" / "venv" / "bin" / "dbt"


@dataclass(frozen=True)
class DbtRunner:
    """dbt with MYSQL_RAW_DATABASE/MYSQL_DATABASE pointed at test databases and private paths."""

    raw_database: str
    marts_database: str
    work_dir: Path

    def env(self) -> dict[str, str]:
        """The environment of one dbt invocation."""
        env = dict(os.environ)
        env.update(
            MYSQL_RAW_DATABASE=self.raw_database,
            MYSQL_DATABASE=self.marts_database,
            DBT_LOG_PATH=str(self.work_dir / "logs"),
            DBT_TARGET_PATH=str(self.work_dir / "target"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DBT_USE_COLORS="false",
            DBT_PARTIAL_PARSE="false",
            DBT_THREADS="2",
        )
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `dbt <args>` in transform/; raise with the output when check and it fails."""
        result = subprocess.run(
            [str(DBT), *args, "--profiles-dir", str(PROJECT_DIR / "profiles")],
            cwd=PROJECT_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check and result.returncode != 0:
            message = (
                f"dbt {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
            )
            raise AssertionError(message)
        return result

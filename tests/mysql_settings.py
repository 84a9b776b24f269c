"""Connection settings of the MySQL server the tests use, read from the MYSQL_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class MySQLSettings:
    """Where the test MySQL server listens and how to log in."""

    host: str
    port: int
    user: str
    password: str

    @classmethod
    def from_env(cls) -> MySQLSettings:
        """Read MYSQL_HOST/PORT/USER/PASSWORD with the local-server defaults."""
        return cls(
            host=os.environ.get("MYSQL_HOST", "127.0.0.1"),
            port=int(os.environ.get("MYSQL_PORT", "3306")),
            user=os.environ.get("MYSQL_USER", "root"),
            password=os.environ.get("MYSQL_PASSWORD", ""),
        )

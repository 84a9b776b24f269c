"""Connection settings of the MySQL server the tests use, read from the MYSQL_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pymysql


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

    def connect(self, database: str | None = None, **kwargs: object) -> pymysql.Connection:
        """Open a PyMySQL connection (autocommit, utf8mb4), to ``database`` when given."""
        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            database=database,
            charset="utf8mb4",
            autocommit=True,
            **kwargs,
        )

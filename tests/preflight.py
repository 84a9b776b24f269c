"""Fail fast, with a fix, when no MySQL server answers: run as `python -m tests.preflight`."""

from __future__ import annotations

import sys

import pymysql

from tests.mysql_settings import MySQLSettings

HOW_TO_START = (
    "start one: the local MariaDB with "
    "'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd', "
    "or 'docker compose up -d mysql' where Docker runs; "
    "or point MYSQL_HOST/MYSQL_PORT/MYSQL_USER/MYSQL_PASSWORD at a server"
)


def main() -> int:
    """Connect once; print one clear line and return 1 when that fails."""
    settings = MySQLSettings.from_env()
    try:
        settings.connect(connect_timeout=5).close()
    except pymysql.Error as error:
        print(  # noqa: T201
            f"make test: no MySQL server answers at {settings.host}:{settings.port} "
            f"as {settings.user!r} ({error.args[-1]}); {HOW_TO_START}.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""MySQL connections: a read-only one for the marts and a writer for the ai_* tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pymysql
import pymysql.cursors

from ai_enrich.errors import DatabaseError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ai_enrich.config import MySQLConfig

Row = dict[str, Any]
DEFAULT_STATEMENT_CAP_MS = 10_000


class Database:
    """One PyMySQL connection (autocommit, utf8mb4) with dictionary rows."""

    def __init__(self, config: MySQLConfig) -> None:
        """Connect.

        Args:
            config: Server, login and database.

        Raises:
            DatabaseError: The server cannot be reached or refuses the login.
        """
        try:
            self._connection = pymysql.connect(
                host=config.host,
                port=config.port,
                user=config.user,
                password=config.password,
                database=config.database,
                charset="utf8mb4",
                autocommit=True,
                connect_timeout=10,
                cursorclass=pymysql.cursors.DictCursor,
            )
        except pymysql.Error as error:
            message = (
                f"cannot open MySQL database {config.database!r} at {config.host}:{config.port} "
                f"as {config.user!r}: {error.args[-1]}"
            )
            raise DatabaseError(message) from None
        self.name = config.database
        self.is_mariadb = "mariadb" in str(self.rows("SELECT VERSION() AS v")[0]["v"]).lower()

    def rows(self, sql: str, args: Sequence[object] | None = None) -> list[Row]:
        """Run one statement and return its rows.

        Raises:
            DatabaseError: The statement failed.
        """
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        except pymysql.Error as error:
            message = f"MySQL error: {error.args[-1]}"
            raise DatabaseError(message) from None

    def execute(self, sql: str, args: Sequence[object] | None = None) -> int:
        """Run one statement; return the affected row count.

        Raises:
            DatabaseError: The statement failed.
        """
        try:
            with self._connection.cursor() as cursor:
                return int(cursor.execute(sql, args))
        except pymysql.Error as error:
            message = f"MySQL error: {error.args[-1]}"
            raise DatabaseError(message) from None

    def executemany(self, sql: str, args: Sequence[Sequence[object]]) -> None:
        """Run one statement for each argument tuple, in one transaction.

        Raises:
            DatabaseError: A statement failed (the transaction is rolled back).
        """
        try:
            self._connection.begin()
            with self._connection.cursor() as cursor:
                cursor.executemany(sql, args)
            self._connection.commit()
        except pymysql.Error as error:
            self._connection.rollback()
            message = f"MySQL error: {error.args[-1]}"
            raise DatabaseError(message) from None

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


class ReadOnlyDatabase(Database):
    """A connection whose every query runs in a read-only transaction under a time cap."""

    def __init__(self, config: MySQLConfig, cap_ms: int = DEFAULT_STATEMENT_CAP_MS) -> None:
        """Connect, mark the session read-only and cap statement time.

        Args:
            config: Server, login and database.
            cap_ms: The longest a SELECT may run (MAX_EXECUTION_TIME / max_statement_time).
        """
        super().__init__(config)
        super().execute("SET SESSION TRANSACTION READ ONLY")
        if self.is_mariadb:
            super().execute(f"SET SESSION max_statement_time = {cap_ms / 1000:.3f}")
        else:
            super().execute(f"SET SESSION MAX_EXECUTION_TIME = {int(cap_ms)}")

    def rows(self, sql: str, args: Sequence[object] | None = None) -> list[Row]:
        """Run one query inside START TRANSACTION READ ONLY ... COMMIT.

        Raises:
            DatabaseError: The query failed or tried to write.
        """
        super().execute("START TRANSACTION READ ONLY")
        try:
            return super().rows(sql, args)
        finally:
            super().execute("COMMIT")

    def execute(self, sql: str, args: Sequence[object] | None = None) -> int:
        """Refuse: this connection only reads.

        Raises:
            DatabaseError: Always.
        """
        del sql, args
        message = "the read-only connection does not execute statements"
        raise DatabaseError(message)

    def executemany(self, sql: str, args: Sequence[Sequence[object]]) -> None:
        """Refuse: this connection only reads.

        Raises:
            DatabaseError: Always.
        """
        del sql, args
        message = "the read-only connection does not execute statements"
        raise DatabaseError(message)

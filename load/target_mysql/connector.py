"""The MySQL side: engine, database and table preparation, upserts, version retirement."""

from __future__ import annotations

import functools
import re
import sys
import typing as t
from dataclasses import dataclass

import pymysql
import sqlalchemy as sa
from singer_sdk.sql import SQLConnector

from target_mysql import columns
from target_mysql.columns import ColumnType, Kind, quote
from target_mysql.runlog import CREATE_TABLE as CREATE_RUN_LOG
from target_mysql.runlog import RunLog
from target_mysql.settings import Settings, SettingsError
from target_mysql.writer import BatchWriter

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if t.TYPE_CHECKING:
    from collections.abc import Sequence

_SQL_MODE = (
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION"
)
_CONNECT_ARGS = {
    "connect_timeout": 10,
    "init_command": f"SET time_zone = '+00:00', sql_mode = '{_SQL_MODE}'",
}
_TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
_KEY_COLLATION = "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
_ACCESS_DENIED, _DB_ACCESS_DENIED, _UNKNOWN_DATABASE = 1045, 1044, 1049
_QUOTED_VALUE = re.compile(r"(value: |entry )'.*?'(?= for )", re.DOTALL)
_MIN_SCRUB_LENGTH = 3
STATEMENT_BYTES = 4_000_000
"""Bytes of row literals per statement: well under max_allowed_packet (MariaDB 16 MiB, MySQL 8.0
64 MiB), and small enough that the last statement of a run commits quickly."""
_ARCHIVED_UPDATES = frozenset(
    name.casefold()
    for name in (
        "archived",
        "archivedAt",
        "_sdc_deleted_at",
        "_sdc_extracted_at",
        "_sdc_batched_at",
        "_sdc_table_version",
    )
)
_EXISTING_COLUMNS = """
SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,
  NUMERIC_SCALE, COLUMN_KEY
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s
ORDER BY ORDINAL_POSITION
"""
_MARIADB_JSON_COLUMNS = """
SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %s AND CHECK_CLAUSE LIKE 'json\\_valid(%%'
"""


def _params(sql: str) -> str:
    """Escape ``%`` in identifiers of a statement that is run with parameters."""
    return sql.replace("%", "%%")


@dataclass(frozen=True)
class Column:
    """One column of a raw table.

    Attributes:
        field: The record field it holds.
        name: The column name.
        type: The column's type in the table.
    """

    field: str
    name: str
    type: ColumnType


@dataclass(frozen=True)
class TableLayout:
    """A prepared table: its columns in insert order and its actual primary key.

    Attributes:
        table: The table name.
        columns: The columns records are written to.
        keys: The primary-key column names (empty: append only).
    """

    table: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]

    @functools.cached_property
    def _head(self) -> bytes:
        names = ", ".join(quote(column.name) for column in self.columns)
        return f"INSERT INTO {quote(self.table)} ({names}) VALUES ".encode()  # noqa: S608

    def _tail(self, *, archived: bool) -> bytes:
        if not self.keys:
            return b""
        keys = {key.casefold() for key in self.keys}
        names = [column.name for column in self.columns if column.name.casefold() not in keys]
        if archived:
            names = [name for name in names if name.casefold() in _ARCHIVED_UPDATES]
        updates = names or list(self.keys[:1])
        assignments = ", ".join(f"{quote(name)} = VALUES({quote(name)})" for name in updates)
        return f" ON DUPLICATE KEY UPDATE {assignments}".encode()

    def statement(self, rows: Sequence[bytes], *, archived: bool = False) -> bytes:
        """Return the multi-row upsert of some rows: INSERT ... ON DUPLICATE KEY UPDATE.

        Every non-key column is updated, with ``VALUES(col)`` (not MySQL 8.0.19's row alias)
        so that MariaDB runs it too; within a statement a later row wins over an earlier one.
        Archived records (HubSpot sends them with its default properties only: they mean
        "deleted", not "changed") update only ``archived``, ``archivedAt`` and the metadata of
        an existing row, which keeps its last known values.

        Args:
            rows: Row literals, ``(v1, v2, ...)``, together at most `STATEMENT_BYTES` long.
            archived: Whether these are archived records.

        Returns:
            The statement in UTF-8, without parameters.
        """
        return self._head + b",".join(rows) + self._tail(archived=archived)


@dataclass(frozen=True)
class _Existing:
    name: str
    type: ColumnType
    is_key: bool


class MySQLConnector(SQLConnector):
    """Connects to MySQL 8.0 or MariaDB 10.11 and shapes the raw tables."""

    def __init__(self, config: dict[str, t.Any] | None = None) -> None:
        """Read the settings; nothing connects yet.

        Args:
            config: The target's config.
        """
        super().__init__(config)
        self.settings = Settings.from_config(self.config)

    def _url(self, *, database: bool = True) -> sa.URL:
        return sa.URL.create(
            "mysql+pymysql",
            username=self.settings.user,
            password=self.settings.password or None,
            host=self.settings.host,
            port=self.settings.port,
            database=self.settings.database if database else None,
            query={"charset": "utf8mb4"},
        )

    @override
    def get_sqlalchemy_url(self, config: dict[str, t.Any]) -> str:
        """Return the connection URL with the password masked (it is for display only).

        Args:
            config: Unused; the settings were read at construction.

        Returns:
            The URL, password as ``***``.
        """
        return self._url().render_as_string(hide_password=True)

    @override
    def create_engine(self) -> sa.Engine:
        """Create the engine: UTC session time zone, strict SQL mode, parameters kept out of errors.

        Returns:
            The engine.
        """
        return sa.create_engine(
            self._url(), pool_pre_ping=True, hide_parameters=True, connect_args=_CONNECT_ARGS
        )

    @functools.cached_property
    def writer(self) -> BatchWriter:
        """The background writer all sinks share (one commit at a time, in order)."""
        return BatchWriter()

    @functools.cached_property
    def run_log(self) -> RunLog:
        """The run log of this target run."""
        return RunLog(self._engine, self.scrub)

    def scrub(self, text: str) -> str:
        """Remove the password from a text, should it ever appear.

        Args:
            text: Any message.

        Returns:
            The message with the password replaced by ``***``.
        """
        secret = self.settings.password
        return text.replace(secret, "***") if len(secret) >= _MIN_SCRUB_LENGTH else text

    def prepare_database(self) -> None:
        """Check the server answers, create the raw database if missing and the run log table.

        Raises:
            SettingsError: The server cannot be reached or refuses the login; the message
                names the settings to check.
        """
        try:
            self._create_run_log()
        except sa.exc.OperationalError as error:
            if _error_code(error) != _UNKNOWN_DATABASE:
                raise SettingsError(self._connect_problem(error)) from None
            self._create_database()
            self._create_run_log()

    def _create_run_log(self) -> None:
        with self._engine.begin() as connection:
            connection.exec_driver_sql(CREATE_RUN_LOG)

    def _create_database(self) -> None:
        engine = sa.create_engine(self._url(database=False), connect_args=_CONNECT_ARGS)
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    f"CREATE DATABASE IF NOT EXISTS {quote(self.settings.database)} "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
        except sa.exc.OperationalError as error:
            raise SettingsError(self._connect_problem(error)) from None
        finally:
            engine.dispose()
        self.logger.info("Created database %s", self.settings.database)

    def _connect_problem(self, error: sa.exc.OperationalError) -> str:
        where = f"MySQL at {self.settings.host}:{self.settings.port} as '{self.settings.user}'"
        code, message = _error_code(error), self.scrub(_error_message(error))
        if code == _ACCESS_DENIED:
            return f"Cannot log in to {where}: access denied; check settings 'user' and 'password'."
        if code == _DB_ACCESS_DENIED:
            return (
                f"Cannot use database '{self.settings.database}' on {where}: {message}; "
                "check setting 'database' and the user's grants."
            )
        return f"Cannot reach {where}: {message}; check settings 'host' and 'port'."

    def prepare_stream_table(
        self, table: str, wanted: Sequence[Column], keys: Sequence[str]
    ) -> TableLayout:
        """Create the table, or add missing columns and widen columns whose type changed.

        Key columns are never altered; when the table already has a different primary key,
        that key is kept (and used for the upserts).

        Args:
            table: The table name.
            wanted: The columns the stream's schema asks for (key columns with key types).
            keys: The stream's key column names.

        Returns:
            The table as it now is.
        """
        existing = self._existing_columns(table)
        if not existing:
            self._create_table(table, wanted, keys)
            return TableLayout(table, tuple(wanted), tuple(keys))
        changes: list[str] = []
        actual: list[Column] = []
        for column in wanted:
            current = existing.get(column.name.casefold())
            if current is None:
                changes.append(f"ADD COLUMN {quote(column.name)} {column.type.ddl()} NULL")
                actual.append(column)
                continue
            new_type = current.type if current.is_key else columns.widen(current.type, column.type)
            if new_type != current.type:
                changes.append(f"MODIFY COLUMN {quote(current.name)} {new_type.ddl()} NULL")
            actual.append(Column(column.field, current.name, new_type))
        if changes:
            self.logger.info("Altering table %s: %s", table, "; ".join(changes))
            with self._engine.begin() as connection:
                connection.exec_driver_sql(f"ALTER TABLE {quote(table)} {', '.join(changes)}")
        table_keys = tuple(column.name for column in existing.values() if column.is_key)
        if {key.casefold() for key in table_keys} != {key.casefold() for key in keys}:
            self.logger.warning(
                "Table %s keeps its primary key %s (the stream now asks for %s)",
                table,
                list(table_keys),
                list(keys),
            )
        return TableLayout(table, tuple(actual), table_keys)

    def _existing_columns(self, table: str) -> dict[str, _Existing]:
        with self._engine.connect() as connection:
            rows = connection.exec_driver_sql(_EXISTING_COLUMNS, (table,)).all()
            json_columns: set[str] = set()
            if rows and getattr(self._engine.dialect, "is_mariadb", False):
                found = connection.exec_driver_sql(_MARIADB_JSON_COLUMNS, (table,)).all()
                json_columns = {str(row[0]).casefold() for row in found}
        existing = {}
        for name, data_type, column_type, length, precision, scale, key in rows:
            parsed = columns.from_information_schema(
                data_type, column_type, length, precision, scale
            )
            if str(name).casefold() in json_columns:
                parsed = ColumnType(Kind.JSON)
            existing[str(name).casefold()] = _Existing(str(name), parsed, key == "PRI")
        return existing

    def _create_table(self, table: str, wanted: Sequence[Column], keys: Sequence[str]) -> None:
        key_set = set(keys)
        definitions = []
        for column in wanted:
            ddl = f"{quote(column.name)} {column.type.ddl()}"
            if column.name in key_set:
                collation = f" {_KEY_COLLATION}" if column.type.kind is Kind.STRING else ""
                ddl += f"{collation} NOT NULL"
            else:
                ddl += " NULL"
            definitions.append(ddl)
        if keys:
            definitions.append(f"PRIMARY KEY ({', '.join(map(quote, keys))})")
        self.logger.info("Creating table %s", table)
        with self._engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {quote(table)} (\n  "
                + ",\n  ".join(definitions)
                + f"\n) {_TABLE_OPTIONS}"
            )

    def upsert(self, layout: TableLayout, rows: Sequence[bytes], *, archived: bool) -> None:
        """Write rows with one multi-row upsert, committed at once.

        Args:
            layout: The table.
            rows: One literal ``(v1, v2, ...)`` per record, in the layout's column order.
            archived: Whether the rows are archived records (see `TableLayout.statement`).

        Raises:
            LoadError: MySQL refused the rows (values in its message are redacted).
        """
        statement = layout.statement(rows, archived=archived)
        try:
            with self._engine.begin() as connection:
                # PyMySQL sends bytes as they are; SQLAlchemy's exec_driver_sql wants text.
                connection.connection.cursor().execute(statement)
        except pymysql.MySQLError as error:
            message = _QUOTED_VALUE.sub(r"\1'…'", self.scrub(_error_message(error)))
            code = _error_code(error)
            detail = f"MySQL error {code}: {message}" if code else message
            summary = f"Writing {len(rows)} rows to `{layout.table}` failed: {detail}"
            raise LoadError(summary) from None

    def retire_versions(self, table: str, version: int, deleted_at: object) -> int:
        """Mark rows of table versions older than ``version`` (or of none) deleted.

        Args:
            table: The table name.
            version: The version a full run just completed.
            deleted_at: The time to record in ``_sdc_deleted_at``.

        Returns:
            The number of rows marked.
        """
        sql = (
            f"UPDATE {_params(quote(table))} SET `_sdc_deleted_at` = %s "  # noqa: S608
            "WHERE `_sdc_deleted_at` IS NULL "
            "AND (`_sdc_table_version` IS NULL OR `_sdc_table_version` < %s)"
        )
        with self._engine.begin() as connection:
            return connection.exec_driver_sql(sql, (deleted_at, version)).rowcount


class LoadError(RuntimeError):
    """MySQL refused a batch; the message names the table but quotes no record values."""


def _driver_error(error: sa.exc.DBAPIError | pymysql.MySQLError) -> BaseException:
    return (error.orig or error) if isinstance(error, sa.exc.DBAPIError) else error


def _error_code(error: sa.exc.DBAPIError | pymysql.MySQLError) -> int | None:
    args = _driver_error(error).args
    return args[0] if args and isinstance(args[0], int) else None


def _error_message(error: sa.exc.DBAPIError | pymysql.MySQLError) -> str:
    driver_error = _driver_error(error)
    args = driver_error.args
    return str(args[-1]) if args else type(driver_error).__name__

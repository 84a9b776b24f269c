"""Raw tables as docs/interfaces.md section 3 describes them, and helpers to fill them.

The loader (target-mysql) is written in parallel; these tables follow the documented contract so the
dbt project can be tested on its own: one table per stream, one column per top-level field
(`properties`, `to`, `teams`, `options` JSON), the `_sdc_*` metadata columns, and the run log
`_sync_runs`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pymysql

OBJECT_STREAMS = ("companies", "contacts", "deals", "bukken")
ASSOCIATION_STREAMS = (
    "associations_companies_contacts",
    "associations_deals_companies",
    "associations_deals_contacts",
    "associations_deals_bukken",
    "associations_contacts_bukken",
)
SDC = """
    `_sdc_extracted_at` DATETIME(6) NULL,
    `_sdc_batched_at` DATETIME(6) NULL,
    `_sdc_deleted_at` DATETIME(6) NULL,
    `_sdc_table_version` BIGINT NULL"""
TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"


def _object_ddl(stream: str) -> str:
    return f"""CREATE TABLE `{stream}` (
    `id` VARCHAR(255) NOT NULL PRIMARY KEY,
    `properties` JSON NULL,
    `createdAt` DATETIME(6) NULL,
    `updatedAt` DATETIME(6) NULL,
    `hs_lastmodifieddate` DATETIME(6) NULL,
    `lastmodifieddate` DATETIME(6) NULL,
    `archived` BOOLEAN NULL,
    `archivedAt` DATETIME(6) NULL,{SDC}
) {TABLE_OPTIONS}"""


def raw_ddl() -> list[str]:
    """CREATE TABLE statements of every raw table (owners' timestamps as ISO strings on purpose)."""
    statements = [_object_ddl(stream) for stream in OBJECT_STREAMS]
    statements.append(f"""CREATE TABLE `owners` (
    `id` VARCHAR(255) NOT NULL PRIMARY KEY,
    `email` TEXT NULL, `firstName` TEXT NULL, `lastName` TEXT NULL,
    `userId` BIGINT NULL, `userIdIncludingInactive` BIGINT NULL, `type` TEXT NULL,
    `teams` JSON NULL, `createdAt` VARCHAR(64) NULL, `updatedAt` VARCHAR(64) NULL,
    `archived` BOOLEAN NULL,{SDC}
) {TABLE_OPTIONS}""")
    statements.append(f"""CREATE TABLE `property_definitions` (
    `object_type` VARCHAR(64) NOT NULL, `name` VARCHAR(255) NOT NULL,
    `label` TEXT NULL, `type` VARCHAR(64) NULL, `fieldType` VARCHAR(64) NULL,
    `groupName` VARCHAR(255) NULL, `description` TEXT NULL, `options` JSON NULL,
    `hubspotDefined` BOOLEAN NULL, `calculated` BOOLEAN NULL, `hasUniqueValue` BOOLEAN NULL,
    `archived` BOOLEAN NULL,{SDC},
    PRIMARY KEY (`object_type`, `name`)
) {TABLE_OPTIONS}""")
    statements.extend(
        f"""CREATE TABLE `{stream}` (
    `from_id` VARCHAR(255) NOT NULL PRIMARY KEY,
    `to` JSON NULL,{SDC}
) {TABLE_OPTIONS}"""
        for stream in ASSOCIATION_STREAMS
    )
    statements.append(f"""CREATE TABLE `_sync_runs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `run_id` VARCHAR(64) NOT NULL, `stream` VARCHAR(255) NOT NULL,
    `started_at` DATETIME(6) NULL, `finished_at` DATETIME(6) NULL,
    `status` VARCHAR(16) NOT NULL, `records_written` BIGINT NULL, `error_message` TEXT NULL
) {TABLE_OPTIONS}""")
    return statements


class RawNumber(str):
    """A JSON number written with exactly these digits (singer-sdk parses numbers as Decimal)."""

    __slots__ = ()


def to_json(value: object) -> str:
    """JSON text with RawNumber values unquoted."""
    text = json.dumps(_mark(value), ensure_ascii=False)
    return re.sub(r'"__raw_number__([-0-9.eE+]+)__"', r"\1", text)


def _mark(value: object) -> object:
    if isinstance(value, RawNumber):
        return f"__raw_number__{value}__"
    if isinstance(value, dict):
        return {key: _mark(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mark(item) for item in value]
    return value


def now() -> datetime:
    """UTC now without tzinfo (what the loader writes into DATETIME columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and Z, as the tap emits datetimes."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class RawWriter:
    """Writes raw rows the way target-mysql does (upsert on the stream key)."""

    def __init__(self, connection: pymysql.connections.Connection) -> None:
        """Use an open autocommit connection to the raw database."""
        self.connection = connection

    def execute(self, sql: str, args: object = None) -> None:
        """Run one statement."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows."""
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def create_tables(self) -> None:
        """Create every raw table."""
        for statement in raw_ddl():
            self.execute(statement)

    def definitions(
        self, object_type: str, rows: Iterable[tuple[str, str]], *, at: datetime
    ) -> None:
        """Upsert property definitions (name, HubSpot type)."""
        self.executemany(
            "REPLACE INTO property_definitions (object_type, name, label, type, fieldType, "
            "groupName, options, hubspotDefined, calculated, hasUniqueValue, archived, "
            "_sdc_extracted_at, _sdc_batched_at) VALUES (%s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, %s, %s, %s, %s)",
            [
                (
                    object_type,
                    name,
                    name,
                    kind,
                    "text",
                    "info",
                    "[]",
                    not name.startswith("custom"),
                    False,
                    False,
                    False,
                    at,
                    at,
                )
                for name, kind in rows
            ],
        )

    def objects(
        self,
        stream: str,
        records: Iterable[tuple[int, dict[str, Any]]],
        *,
        at: datetime,
        archived: bool = False,
        deleted: bool = False,
    ) -> None:
        """Upsert object records (id, properties) loaded at `at`."""
        created = datetime(2024, 5, 1, 9, 30, 0, 123000)  # noqa: DTZ001
        self.executemany(
            f"REPLACE INTO `{stream}` (id, properties, createdAt, updatedAt, archived, "  # noqa: S608
            "_sdc_extracted_at, _sdc_batched_at, _sdc_deleted_at, _sdc_table_version) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    str(record_id),
                    to_json(properties),
                    created,
                    at,
                    archived,
                    at,
                    at,
                    at if (archived or deleted) else None,
                    1,
                )
                for record_id, properties in records
            ],
        )

    def associations(
        self, stream: str, rows: Iterable[tuple[int, list[dict[str, Any]]]], *, at: datetime
    ) -> None:
        """Upsert association rows (from_id, complete `to` list)."""
        self.executemany(
            f"REPLACE INTO `{stream}` (from_id, `to`, _sdc_extracted_at, _sdc_batched_at, "  # noqa: S608
            "_sdc_table_version) VALUES (%s, %s, %s, %s, %s)",
            [(str(from_id), json.dumps(to, ensure_ascii=False), at, at, 1) for from_id, to in rows],
        )

    def owners(self, rows: Iterable[dict[str, Any]], *, at: datetime) -> None:
        """Upsert owners (timestamps as ISO strings)."""
        self.executemany(
            "REPLACE INTO owners (id, email, firstName, lastName, userId, userIdIncludingInactive, "
            "type, teams, createdAt, updatedAt, archived, _sdc_extracted_at, _sdc_batched_at, "
            "_sdc_deleted_at, _sdc_table_version) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    str(row["id"]),
                    row.get("email"),
                    row.get("firstName"),
                    row.get("lastName"),
                    row.get("userId"),
                    row.get("userId"),
                    row.get("type", "PERSON"),
                    json.dumps(row.get("teams", []), ensure_ascii=False),
                    "2024-01-02T03:04:05.678Z",
                    iso(at),
                    row.get("archived", False),
                    at,
                    at,
                    at if row.get("archived") else None,
                    1,
                )
                for row in rows
            ],
        )

    def sync_run(  # noqa: PLR0913
        self,
        run_id: str,
        stream: str,
        *,
        started_at: datetime,
        finished_at: datetime | None,
        status: str,
        records: int,
        error: str | None = None,
    ) -> None:
        """Append one run-log row."""
        self.execute(
            "INSERT INTO _sync_runs (run_id, stream, started_at, finished_at, status, "
            "records_written, error_message) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (run_id, stream, started_at, finished_at, status, records, error),
        )


def association(to_id: int, *types: tuple[str, int, str | None]) -> dict[str, Any]:
    """One `to` entry: {to_id, association_types: [{category, typeId, label}]}."""
    return {
        "to_id": str(to_id),
        "association_types": [
            {"category": category, "typeId": type_id, "label": label}
            for category, type_id, label in types
        ],
    }

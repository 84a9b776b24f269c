"""One sink per stream (and schema version): buffers rows, upserts them in batches."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import typing as t

import fastjsonschema
from singer_sdk.exceptions import InvalidJSONSchema, InvalidRecord
from singer_sdk.sinks.core import BaseJSONSchemaValidator
from singer_sdk.sql import SQLSink

from target_mysql import columns
from target_mysql.connector import Column, MySQLConnector, TableLayout
from target_mysql.runlog import utc_now

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if t.TYPE_CHECKING:
    from collections.abc import Callable

    from singer_sdk.helpers.conform import DatetimeErrorTreatmentEnum

    from target_mysql.runlog import StreamRun

_SDK_METADATA_NOT_STORED = frozenset({"_sdc_received_at", "_sdc_sequence", "_sdc_sync_started_at"})
_VERSION_FIELD = "_sdc_table_version"
_MAX_DETAIL = 200


class FastValidator(BaseJSONSchemaValidator):
    """Record validation with fastjsonschema (compiled, several times faster than jsonschema).

    Formats are not checked (as singer-sdk's default), defaults are not filled in, and error
    messages name the field and the rule but never quote the value.
    """

    def __init__(self, schema: dict[str, t.Any]) -> None:
        """Compile the stream's schema.

        Args:
            schema: The stream's JSON Schema.

        Raises:
            InvalidJSONSchema: The schema is not valid JSON Schema.
        """
        super().__init__(schema)
        try:
            self._validate = fastjsonschema.compile(schema, use_default=False, use_formats=False)
        except fastjsonschema.JsonSchemaDefinitionException as error:
            message = f"Schema Validation Error: {error}"
            raise InvalidJSONSchema(message) from None

    @override
    def validate(self, record: dict[str, t.Any]) -> None:
        """Validate a record.

        Args:
            record: The record.

        Raises:
            InvalidRecord: The record does not match; the message gives the field and the rule.
        """
        try:
            self._validate(record)
        except fastjsonschema.JsonSchemaValueException as error:
            field = "/".join(str(part) for part in error.path[1:]) or "(record)"
            rule = repr(error.rule_definition)[:_MAX_DETAIL]
            message = f"field '{field}' fails '{error.rule}' {rule}"
            raise InvalidRecord(message, {}) from None


class MySQLSink(SQLSink[MySQLConnector]):
    """Writes one stream to its raw table with batched upserts."""

    connector_class = MySQLConnector
    _layout: TableLayout
    _run: StreamRun
    _to_row: Callable[[dict[str, t.Any]], str]
    _key_fields: tuple[str, ...]

    @property
    @override
    def include_sdc_metadata_properties(self) -> bool:
        """Always add the `_sdc_*` metadata (the raw tables need them).

        Returns:
            True.
        """
        return True

    @property
    @override
    def batch_size_rows(self) -> int:
        """The `batch_size` setting.

        Returns:
            Records per batch.
        """
        return self.connector.settings.batch_size

    @property
    @override
    def table_name(self) -> str:
        """The table: the stream name, conformed to MySQL's rules.

        Returns:
            The table name.
        """
        return columns.conform_name(self.stream_name, table=True)

    @property
    @override
    def schema_name(self) -> str | None:
        """No schema part: every table goes to the configured database.

        Returns:
            None.
        """
        return None

    @override
    def conform_name(self, name: str, object_type: str | None = None) -> str:
        """Conform a name; see `columns.conform_name` (names keep their case).

        Args:
            name: The stream or field name.
            object_type: ``table`` for table names.

        Returns:
            The conformed name.
        """
        return columns.conform_name(name, table=object_type == "table")

    @override
    def get_validator(self) -> FastValidator | None:
        """Return the validator, or None when `validate_records` is off.

        Returns:
            A validator whose errors quote no record values.
        """
        return FastValidator(self.schema) if self.validate_schema else None

    @override
    def setup(self) -> None:
        """Start the stream's run log row and create or evolve its table."""
        self._run = self.connector.run_log.stream(self.stream_name)
        self.connector.writer.wait()  # no DDL while a batch of the table is in flight
        wanted, keys = self._wanted_columns()
        self._layout = self.connector.prepare_stream_table(self.table_name, wanted, keys)
        fields = [
            (column.field, columns.literal_for(column.type)) for column in self._layout.columns
        ]

        def to_row(record: dict[str, t.Any]) -> str:
            return "(" + ",".join([write(record.get(field)) for field, write in fields]) + ")"

        self._to_row = to_row
        by_name = {column.name.casefold(): column.field for column in self._layout.columns}
        self._key_fields = tuple(by_name[key.casefold()] for key in self._layout.keys)

    def _wanted_columns(self) -> tuple[list[Column], list[str]]:
        properties = {
            field: schema
            for field, schema in self.schema["properties"].items()
            if field not in _SDK_METADATA_NOT_STORED
        }
        key_fields = [field for field in self._key_properties if field in properties]
        wanted: list[Column] = []
        used: set[str] = set()
        for field, schema in properties.items():
            column_type = columns.from_jsonschema(schema)
            if field in key_fields:
                column_type = columns.key_type(column_type)
            name = columns.conform_name(field)
            if name.casefold() in used:
                name = columns.hashed_name(field, name)
            used.add(name.casefold())
            wanted.append(Column(field, name, column_type))
        by_field = {column.field: column.name for column in wanted}
        return wanted, [by_field[field] for field in key_fields]

    @functools.cached_property
    def _date_parsers(self) -> tuple[tuple[str, str, Callable[[str], object]], ...]:
        parsers = {
            columns.Kind.DATETIME: ("date-time", dt.datetime.fromisoformat),
            columns.Kind.DATE: ("date", dt.date.fromisoformat),
            columns.Kind.TIME: ("time", dt.time.fromisoformat),
        }
        found = []
        for field, schema in self.schema["properties"].items():
            kind = columns.from_jsonschema(schema).kind
            if kind in parsers and field not in _SDK_METADATA_NOT_STORED:
                found.append((field, *parsers[kind]))
        return tuple(found)

    @override
    def _parse_timestamps_in_record(
        self,
        record: dict[str, t.Any],
        schema: dict[str, t.Any],
        treatment: DatetimeErrorTreatmentEnum,
    ) -> None:
        """Parse the date-time, date and time fields of a record (the columns that hold them).

        Replaces singer-sdk's version, which looks up every field's schema on every record (a
        sixth of the load time) and quotes a bad value in its error message.

        Args:
            record: The record, changed in place.
            schema: The stream's schema (parsers are derived from it once per sink).
            treatment: Ignored: a bad value always fails the load.

        Raises:
            InvalidRecord: A value is not an ISO 8601 date, time or date-time.
        """
        for field, kind, parse in self._date_parsers:
            value = record.get(field)
            if isinstance(value, str):
                try:
                    record[field] = parse(value)
                except ValueError:
                    message = f"field '{field}' is not a valid {kind}"
                    raise InvalidRecord(message, {}) from None

    @override
    def preprocess_record(
        self, record: dict[str, t.Any], context: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        """Set `_sdc_deleted_at` on records that arrive with ``archived: true``.

        The time is HubSpot's ``archivedAt`` when given, else the extraction time.

        Args:
            record: The record (timestamps already parsed).
            context: The batch context.

        Returns:
            The record.
        """
        if record.get("archived") is True:
            archived_at = record.get("archivedAt")
            if not isinstance(archived_at, dt.datetime):
                archived_at = record.get("_sdc_extracted_at") or context["batch_start_time"]
            record["_sdc_deleted_at"] = archived_at
        return record

    @override
    def process_record(self, record: dict[str, t.Any], context: dict[str, t.Any]) -> None:
        """Turn the record into a row for the batch.

        Args:
            record: The record.
            context: The batch context.
        """
        key = tuple([record.get(field) for field in self._key_fields])
        row = (
            key,
            record.get(_VERSION_FIELD),
            self._to_row(record),
            record.get("archived") is True,
        )
        context.setdefault("rows", []).append(row)

    @override
    def process_batch(self, context: dict[str, t.Any]) -> None:
        """Queue the batch's upsert (one transaction), later records winning over earlier ones.

        The background writer commits it while the next records are read; STATE waits for it.

        Args:
            context: The batch context with its rows.
        """
        rows: list[tuple[tuple[t.Any, ...], int | None, str, bool]] = context.get("rows", [])
        if not rows:
            return
        if self._key_fields:  # the last record of each key wins
            rows = list({row[0]: row for row in rows}.values())
        live = [literal for _, _, literal, archived in rows if not archived]
        gone = [literal for _, _, literal, archived in rows if archived]
        self._run.versions_loaded.update(row[1] for row in rows if row[1] is not None)
        layout, run, connector = self._layout, self._run, self.connector

        def write() -> None:
            connector.upsert(layout, live, gone)
            run.records_written += len(rows)
            connector.run_log.progress(run)
            self.logger.info("Committed %d rows to %s", len(rows), layout.table)

        connector.writer.submit_batch(write)

    def flush(self) -> None:
        """Queue the buffered records for writing now (as singer-sdk's drain does)."""
        if self.current_size:
            context = self.start_drain()
            self.process_batch(context)
            self.mark_drained()

    @override
    def activate_version(self, new_version: int) -> None:
        """Handle ACTIVATE_VERSION: retire rows of older versions once a version completes.

        Full runs send the message before and after the stream's records. The first one
        (no record of the version yet) only opens the version: retiring then would mark the
        whole table deleted until the records are back, or for good if the run dies. The
        closing one (or any message after records of its version) marks every row of an
        older version, or of none (incremental loads), deleted.

        Args:
            new_version: The version.
        """
        self.flush()
        self.connector.writer.wait()
        run = self._run
        completes = new_version in run.versions_activated or new_version in run.versions_loaded
        run.versions_activated.add(new_version)
        if not completes:
            self.logger.info("Version %d of %s opened", new_version, self._layout.table)
            return
        retired = self.connector.retire_versions(self._layout.table, new_version, utc_now())
        self.logger.info(
            "Version %d of %s complete: %d rows of older versions marked deleted",
            new_version,
            self._layout.table,
            retired,
        )

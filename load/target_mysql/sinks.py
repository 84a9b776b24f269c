"""One sink per stream (and schema version): turns records into rows and upserts them."""

from __future__ import annotations

import sys
import typing as t

import fastjsonschema
from singer_sdk.exceptions import InvalidJSONSchema, InvalidRecord
from singer_sdk.sinks.core import BaseJSONSchemaValidator
from singer_sdk.sql import SQLSink

from target_mysql import columns, literals
from target_mysql.connector import STATEMENT_BYTES, Column, MySQLConnector, TableLayout
from target_mysql.runlog import utc_now

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if t.TYPE_CHECKING:
    from target_mysql.literals import Literal
    from target_mysql.runlog import StreamRun

_SDK_METADATA_NOT_STORED = frozenset({"_sdc_received_at", "_sdc_sequence", "_sdc_sync_started_at"})
_REPEATING_FIELDS = frozenset({"_sdc_extracted_at", "_sdc_batched_at"})
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
    """Writes one stream to its raw table with multi-row upserts.

    Records take a lean path (`load`) instead of singer-sdk's per-record processing: values go
    from the parsed JSON straight to SQL literals (dates are parsed only to be checked and
    written in UTC). Rows are sent as statements of about 4 MB while the batch is still being
    read; each statement commits on its own (the upserts are idempotent, and STATE waits for
    every statement before it).
    """

    connector_class = MySQLConnector
    _layout: TableLayout
    _run: StreamRun
    _writers: tuple[tuple[str, Literal], ...]
    _key_fields: tuple[str, ...]
    _batched_at: str | None = None
    _chunk: list[bytes]
    _chunk_bytes: int
    _chunk_archived: bool
    _batch_rows: int

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
        self.connector.writer.wait()  # no DDL while a statement of the table is in flight
        wanted, keys = self._wanted_columns()
        self._layout = self.connector.prepare_stream_table(self.table_name, wanted, keys)
        self._writers = tuple(
            (
                column.field,
                literals.writer_for(column.type, repeating=column.field in _REPEATING_FIELDS),
            )
            for column in self._layout.columns
        )
        by_name = {column.name.casefold(): column.field for column in self._layout.columns}
        self._key_fields = tuple(by_name[key.casefold()] for key in self._layout.keys)
        self._chunk, self._chunk_bytes, self._chunk_archived = [], 0, False
        self._batch_rows = 0

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

    @override
    def start_batch(self, context: dict[str, t.Any]) -> None:
        """Remember the batch's start time, written to `_sdc_batched_at`.

        Args:
            context: The new batch's context.
        """
        self._batched_at = context["batch_start_time"].isoformat()

    def load(self, message: dict[str, t.Any]) -> None:
        """Take one RECORD message: check the record, add its metadata and queue its row.

        `_sdc_extracted_at` is the message's ``time_extracted``, `_sdc_table_version` its
        ``version``; records that arrive with ``archived: true`` get `_sdc_deleted_at`:
        HubSpot's ``archivedAt`` when given, else the extraction (or batch) time.

        Args:
            message: The RECORD message.

        Raises:
            InvalidRecord: The record is not an object or fails validation; the message
                names the stream, the record's key and the field, never a value.
        """
        record = message["record"]
        if not isinstance(record, dict):
            raise self._invalid({}, "is not a JSON object")
        context = self._get_context(record)
        if self._validator is not None:
            try:
                self._validator.validate(record)
            except InvalidRecord as error:
                raise self._invalid(record, error.error_message) from None
        self._singer_validate_message(record)
        record["_sdc_extracted_at"] = message.get("time_extracted")
        record["_sdc_batched_at"] = self._batched_at
        version = record["_sdc_table_version"] = message.get("version")
        if version is not None:
            self._run.versions_loaded.add(version)
        if record.get("archived") is True:
            record["_sdc_deleted_at"] = (
                record.get("archivedAt") or record["_sdc_extracted_at"] or self._batched_at
            )
        self.tally_record_read()
        self.process_record(record, context)
        self.record_counter_metric.increment()

    @override
    def process_record(self, record: dict[str, t.Any], context: dict[str, t.Any]) -> None:
        """Write the record as a row literal and queue it for the next statement.

        Args:
            record: The record, with its `_sdc_*` metadata.
            context: The batch context.

        Raises:
            InvalidRecord: A date, date-time or time field holds something else.
        """
        try:
            row = (
                b"("
                + b",".join([write(record.get(field)) for field, write in self._writers])
                + b")"
            )
        except (ValueError, TypeError):
            raise self._unwritable(record) from None
        archived = record.get("archived") is True
        if self._chunk and (
            archived is not self._chunk_archived or self._chunk_bytes + len(row) > STATEMENT_BYTES
        ):
            self._send_chunk()
        self._chunk.append(row)
        self._chunk_bytes += len(row) + 1
        self._chunk_archived = archived

    def _invalid(self, record: dict[str, t.Any], problem: str) -> InvalidRecord:
        """An error naming the stream, the record's key and the problem (never a value)."""
        key = ", ".join(f"{field}={record[field]}" for field in self._key_fields if field in record)
        which = f"Record {key}" if key else "A record"
        return InvalidRecord(f"{which} of stream '{self.stream_name}': {problem}", {})

    def _unwritable(self, record: dict[str, t.Any]) -> InvalidRecord:
        for column, (field, write) in zip(self._layout.columns, self._writers, strict=True):
            try:
                write(record.get(field))
            except (ValueError, TypeError):
                return self._invalid(record, _problem(field, column))
        return self._invalid(record, "cannot be written")

    def _send_chunk(self) -> None:
        """Queue the rows read so far as one upsert statement (committed by the writer)."""
        rows, archived = self._chunk, self._chunk_archived
        self._chunk, self._chunk_bytes = [], 0
        self._batch_rows += len(rows)
        layout, run, connector = self._layout, self._run, self.connector

        def write() -> None:
            connector.upsert(layout, rows, archived=archived)
            run.records_written += len(rows)

        connector.writer.submit_batch(write)

    @override
    def process_batch(self, context: dict[str, t.Any]) -> None:
        """Queue the batch's last rows, then a job that logs and records the batch.

        Args:
            context: The batch context.
        """
        if self._chunk:
            self._send_chunk()
        count, self._batch_rows = self._batch_rows, 0
        if not count:
            return
        table, run, connector = self._layout.table, self._run, self.connector

        def record_progress() -> None:
            connector.run_log.progress(run)
            self.logger.info("Committed %d rows to %s", count, table)

        connector.writer.submit(record_progress)

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


def _problem(field: str, column: Column) -> str:
    if column.type.kind in literals.FORMAT_NAMES:
        return f"field '{field}' is not a valid {literals.FORMAT_NAMES[column.type.kind]}"
    return f"field '{field}' cannot be written to a {column.type.ddl()} column"

"""`target-mysql`: the Singer target that loads HubSpot streams into MySQL's raw database.

STATE goes to stdout only once every record read before it is committed. singer-sdk emits the
latest STATE after draining all sinks (end of input, or every 5 minutes); on top of that, this
target emits it as soon as nothing is buffered any more: when the STATE arrives (after flushing
sinks of streams other than the one in flight) or when the sink in flight has just been drained
because it was full. Drained batches are committed by a background writer (see writer.py), and
every STATE line is printed by that writer too, after the batches queued before it.
"""

from __future__ import annotations

import copy
import functools
import signal
import sys
import typing as t

from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.helpers.capabilities import PluginCapabilities, TargetCapabilities
from singer_sdk.singerlib.exceptions import InvalidInputLine
from singer_sdk.sql import SQLTarget

from target_mysql.connector import MySQLConnector
from target_mysql.reader import MessageReader
from target_mysql.settings import CONFIG_JSONSCHEMA, SettingsError, find_problems
from target_mysql.sinks import MySQLSink

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if t.TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import PurePath
    from types import FrameType

    from singer_sdk.helpers.capabilities import CapabilitiesEnum
    from singer_sdk.plugin_base import _ConfigInput
    from singer_sdk.singerlib.encoding.base import GenericSingerReader
    from singer_sdk.sinks import Sink


class TerminatedError(Exception):
    """The target received SIGTERM or SIGINT before its input ended."""


class TargetMySQL(SQLTarget):
    """Loads Singer streams into MySQL with batched upserts, JSON columns and a run log."""

    name = "target-mysql"
    package_name = "target-mysql-mirai"
    default_sink_class = MySQLSink
    message_reader_class = MessageReader
    capabilities: t.ClassVar[list[CapabilitiesEnum]] = [
        PluginCapabilities.ABOUT,
        PluginCapabilities.ACTIVATE_VERSION,
        PluginCapabilities.STRUCTURED_LOGGING,
        TargetCapabilities.VALIDATE_RECORDS,
    ]
    config_jsonschema: t.ClassVar[dict[str, t.Any]] = CONFIG_JSONSCHEMA
    _mysql_connector: MySQLConnector | None = None

    def __init__(
        self,
        *,
        config: dict[str, t.Any] | PurePath | str | list[PurePath | str] | None = None,
        parse_env_config: bool = False,
        validate_config: bool = True,
        setup_mapper: bool = True,
        message_reader: GenericSingerReader[t.Any] | None = None,
    ) -> None:
        """Check the settings and the server, create the database and `_sync_runs` if missing.

        Args:
            config: The target's config.
            parse_env_config: Whether to read settings from ``TARGET_MYSQL_*`` variables.
            validate_config: Whether to fail on bad settings.
            setup_mapper: Whether to set up singer-sdk's (identity) stream mapper.
            message_reader: The Singer message reader.

        Raises:
            ConfigValidationError: A setting is wrong or the server refuses; one line naming
                the setting, before anything is written.
        """
        super().__init__(
            config=config,
            parse_env_config=parse_env_config,
            validate_config=validate_config,
            setup_mapper=setup_mapper,
            message_reader=message_reader,
        )
        self.max_parallelism = 1  # one stream is in flight at a time; keeps commits in order
        self._state_unsent = False
        self._last_stream: str | None = None
        try:
            self.target_connector.prepare_database()
        except SettingsError as error:
            raise ConfigValidationError(str(error), errors=[str(error)]) from None

    @property
    @override
    def target_connector(self) -> MySQLConnector:
        """The connector all sinks share.

        Returns:
            The connector.
        """
        if self._mysql_connector is None:
            self._mysql_connector = MySQLConnector(dict(self.config))
        return self._mysql_connector

    @classmethod
    @override
    def append_builtin_config(cls, config_jsonschema: dict[str, t.Any]) -> None:
        """Add none of singer-sdk's built-in settings: the settings are exactly ours.

        Args:
            config_jsonschema: The settings schema (unchanged).
        """

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Check the settings with messages that never quote a value, then as singer-sdk does.

        Args:
            raise_errors: Whether to raise on problems.

        Returns:
            The problems found.

        Raises:
            ConfigValidationError: With one line per problem, each naming its setting.
        """
        problems = find_problems(self.config)
        if problems and raise_errors:
            raise ConfigValidationError(problems[0], errors=problems)
        return problems or super()._validate_config(raise_errors=raise_errors)

    @classmethod
    @override
    def invoke(  # type: ignore[override]  # as singer-sdk's Target.invoke
        cls,
        *,
        about: bool = False,
        about_format: str | None = None,
        config: _ConfigInput | None = None,
        file_input: t.IO[str] | None = None,
    ) -> None:
        """Run the target as singer-sdk does, recording a failure in `_sync_runs`.

        Args:
            about: Print the about information and exit.
            about_format: Format of the about information.
            config: The settings read from the command line.
            file_input: Input file instead of standard input.
        """
        if about or config is None:
            super().invoke(
                about=about, about_format=about_format, config=config, file_input=file_input
            )
            return
        cls.print_version(print_fn=cls.logger.info)
        target = cls(config=config.config, validate_config=True, parse_env_config=config.parse_env)
        target.run(file_input)

    def run(self, file_input: t.IO[str] | None = None) -> None:
        """Process the input; on any failure mark this run's streams `error` and re-raise.

        Args:
            file_input: Input file instead of standard input.
        """
        try:
            self.listen(file_input)
        except BaseException as error:
            self.target_connector.run_log.fail(f"{type(error).__name__}: {error}")
            raise

    @override
    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        """Stop at once on SIGTERM/SIGINT, without draining.

        singer-sdk drains and emits STATE from inside the signal handler, which can run in
        the middle of a batch and so emit STATE for rows not yet committed. Here the batch in
        flight rolls back; the tap resends everything after the last STATE on the next run.

        Args:
            signum: The signal.
            frame: Unused.

        Raises:
            TerminatedError: Always.
        """
        message = f"Terminated by {signal.Signals(signum).name} before the input ended"
        raise TerminatedError(message)

    @override
    def get_sink(
        self,
        stream_name: str,
        *,
        record: dict[str, t.Any] | None = None,
        schema: dict[str, t.Any] | None = None,
        key_properties: Sequence[str] | None = None,
    ) -> Sink:
        """Return the stream's sink; before a new schema replaces it, flush the old one.

        singer-sdk would drain the replaced sink only at the next full drain, possibly after
        the new sink wrote newer versions of the same records.

        Args:
            stream_name: The stream.
            record: The record being routed, if any.
            schema: The stream's schema, on SCHEMA messages.
            key_properties: The stream's key.

        Returns:
            The sink.
        """
        current = self._sinks_active.get(stream_name)
        if schema is not None and isinstance(current, MySQLSink):
            current.flush()
        return super().get_sink(
            stream_name, record=record, schema=schema, key_properties=key_properties
        )

    @override
    def _assert_line_requires(self, message_dict: dict[str, t.Any], requires: set[str]) -> None:
        """Fail when a message lacks a required key, naming the line (singer-sdk quotes it).

        Args:
            message_dict: The message.
            requires: The keys it must have.

        Raises:
            InvalidInputLine: Names the line number and the missing keys, no values.
        """
        missing = requires.difference(message_dict)
        if missing:
            line = t.cast("MessageReader", self.message_reader).line_number
            error = f"Input line {line} lacks the required key(s) {', '.join(sorted(missing))}"
            raise InvalidInputLine(error)

    @override
    def _process_record_message(self, message_dict: dict[str, t.Any]) -> None:
        """Hand a RECORD to its sink's lean path (`MySQLSink.load`), drain it when full.

        Replaces singer-sdk's per-record processing, which maps, copies, parses and checks
        every record in several passes (more than half the load time). Stream maps and
        flattening are refused as settings (settings.py), so each stream has exactly its own sink.

        Args:
            message_dict: The RECORD message.
        """
        self._assert_line_requires(message_dict, requires={"stream", "record"})
        stream = message_dict["stream"]
        self._assert_sink_exists(stream)
        sink = self._sinks_active[stream]
        t.cast("MySQLSink", sink).load(message_dict)
        self._last_stream = stream
        if sink.is_full:
            self.logger.info(
                "Sink of %s is full (%d records): writing it", stream, sink.current_size
            )
            self.drain_one(sink)
            if self._state_unsent and not self._records_buffered():
                self._emit_latest_state()
        self._handle_max_record_age()

    @override
    def _process_state_message(self, message_dict: dict[str, t.Any]) -> None:
        super()._process_state_message(message_dict)
        if self._latest_state is not message_dict["value"]:
            return
        self._state_unsent = True
        for sink in [*self._sinks_to_clear, *self._sinks_active.values()]:
            if sink.stream_name != self._last_stream:
                self.drain_one(sink)
        if not self._records_buffered():
            self._emit_latest_state()

    def _records_buffered(self) -> bool:
        return any(sink.current_size for sink in self._sinks_active.values()) or any(
            sink.current_size for sink in self._sinks_to_clear
        )

    def _emit_latest_state(self) -> None:
        if self._latest_state is not None:
            self._write_state_message(copy.deepcopy(self._latest_state))

    @override
    def _write_state_message(self, state: dict[str, t.Any]) -> None:
        """Queue the STATE line behind the batches read before it: printed once they commit.

        Args:
            state: The state.
        """
        self._state_unsent = False
        self.target_connector.writer.submit(functools.partial(super()._write_state_message, state))

    @override
    def process_endofpipe(self) -> None:
        """Write what is buffered, emit the final STATE and mark the streams `success`."""
        super().process_endofpipe()
        self.target_connector.writer.wait()
        self.target_connector.run_log.succeed()


if __name__ == "__main__":
    TargetMySQL.cli()

"""The run log `_sync_runs`: one row per stream and run, readable by dbt (`sync_status`)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import typing as t
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

if t.TYPE_CHECKING:
    from collections.abc import Callable

TABLE = "_sync_runs"
RUNNING, SUCCESS, ERROR = "running", "success", "error"
ABANDONED = "Abandoned: the run that loaded this stream ended without finishing (killed?)."
_MAX_MESSAGE = 4_000

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS `{TABLE}` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `run_id` VARCHAR(64) NOT NULL,
  `stream` VARCHAR(255) NOT NULL,
  `started_at` DATETIME(6) NOT NULL,
  `finished_at` DATETIME(6) NULL,
  `status` VARCHAR(16) NOT NULL,
  `records_written` BIGINT NOT NULL DEFAULT 0,
  `error_message` TEXT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_sync_runs_run_stream` (`run_id`, `stream`),
  KEY `ix_sync_runs_stream_started` (`stream`, `started_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
"""

_START = f"""
INSERT INTO `{TABLE}` (`run_id`, `stream`, `started_at`, `status`, `records_written`)
VALUES (%s, %s, %s, 'running', 0)
ON DUPLICATE KEY UPDATE `started_at` = VALUES(`started_at`), `status` = 'running',
  `finished_at` = NULL, `records_written` = 0, `error_message` = NULL
"""  # noqa: S608 (constant table name)
_ABANDON = f"""
UPDATE `{TABLE}` SET `status` = 'error', `finished_at` = %s, `error_message` = %s
WHERE `stream` = %s AND `status` = 'running' AND `run_id` <> %s
"""  # noqa: S608
_PROGRESS = f"UPDATE `{TABLE}` SET `records_written` = %s WHERE `run_id` = %s AND `stream` = %s"  # noqa: S608
_FINISH = f"""
UPDATE `{TABLE}` SET `status` = %s, `finished_at` = %s, `records_written` = %s,
  `error_message` = %s
WHERE `run_id` = %s AND `stream` = %s AND `status` = 'running'
"""  # noqa: S608


def utc_now() -> dt.datetime:
    """Return the current UTC time as a naive datetime (how DATETIME columns hold it).

    Returns:
        The time.
    """
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class StreamRun:
    """What this run has done for one stream, across the sinks singer-sdk makes for it.

    Attributes:
        stream: The stream name.
        records_written: Records upserted and committed so far.
        versions_loaded: Table versions (ACTIVATE_VERSION) of committed records.
        versions_activated: Versions announced by ACTIVATE_VERSION messages so far.
    """

    stream: str
    records_written: int = 0
    versions_loaded: set[int] = field(default_factory=set)
    versions_activated: set[int] = field(default_factory=set)


class RunLog:
    """Writes `_sync_runs` for one target run."""

    def __init__(self, engine: sa.Engine, scrub: Callable[[str], str]) -> None:
        """Create the run log.

        Args:
            engine: Engine connected to the raw database.
            scrub: Removes secrets from error messages.
        """
        self._engine = engine
        self._scrub = scrub
        self.run_id = os.environ.get("MELTANO_RUN_ID") or str(uuid.uuid4())
        self._streams: dict[str, StreamRun] = {}
        self._logger = logging.getLogger("target-mysql.runlog")

    def stream(self, name: str) -> StreamRun:
        """Return the stream's run, writing its `running` row the first time.

        Rows left `running` by earlier runs of the stream (a killed target) become `error`.

        Args:
            name: The stream name.

        Returns:
            The stream's run.
        """
        if name not in self._streams:
            now = utc_now()
            with self._engine.begin() as connection:
                connection.exec_driver_sql(_ABANDON, (now, ABANDONED, name, self.run_id))
                connection.exec_driver_sql(_START, (self.run_id, name, now))
            self._streams[name] = StreamRun(name)
        return self._streams[name]

    def progress(self, run: StreamRun) -> None:
        """Record how many records of the stream are committed so far.

        Args:
            run: The stream's run.
        """
        with self._engine.begin() as connection:
            connection.exec_driver_sql(_PROGRESS, (run.records_written, self.run_id, run.stream))

    def succeed(self) -> None:
        """Mark every stream of this run `success`."""
        self._finish(SUCCESS, None)

    def fail(self, message: str) -> None:
        """Mark every stream still running in this run `error`, without failing itself.

        Args:
            message: What went wrong; secrets are scrubbed before it is stored.
        """
        try:
            self._finish(ERROR, self._scrub(message)[:_MAX_MESSAGE])
        except sa.exc.SQLAlchemyError as error:
            self._logger.warning("Could not record the failure in %s: %s", TABLE, type(error))

    def _finish(self, status: str, message: str | None) -> None:
        if not self._streams:
            return
        now = utc_now()
        with self._engine.begin() as connection:
            for run in self._streams.values():
                connection.exec_driver_sql(
                    _FINISH,
                    (status, now, run.records_written, message, self.run_id, run.stream),
                )

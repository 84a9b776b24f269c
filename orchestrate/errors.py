"""The scheduler's errors; each message is one line that names what to fix."""

from __future__ import annotations


class OrchestrateError(Exception):
    """Base class of the scheduler's errors."""


class ConfigError(OrchestrateError, ValueError):
    """A setting has a wrong value; the message names the variable."""


class ScheduleError(OrchestrateError):
    """The schedules could not be read from Meltano or make no sense."""

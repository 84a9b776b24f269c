"""The target's settings: their JSON Schema and a check that names the bad setting.

The check runs before singer-sdk's JSON Schema validation because that one quotes the offending
value in its message, and the offending value could be the password.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from singer_sdk import typing as th

DEFAULT_DATABASE = "hubspot_raw"
DEFAULT_PORT = 3306
DEFAULT_BATCH_SIZE = 10_000
MAX_PORT = 65_535
_DATABASE_NAME = re.compile(r"[^`/\\.]{1,64}")
_MAPPER_SETTINGS = ("stream_maps", "stream_map_config", "flattening_enabled")

CONFIG_JSONSCHEMA = th.PropertiesList(
    th.Property("host", th.StringType, required=True, description="MySQL host name or address"),
    th.Property("port", th.IntegerType, default=DEFAULT_PORT, description="MySQL port"),
    th.Property("user", th.StringType, required=True, description="MySQL user"),
    th.Property("password", th.StringType, secret=True, description="MySQL password"),
    th.Property(
        "database",
        th.StringType,
        default=DEFAULT_DATABASE,
        description="Raw database (created if missing), one table per stream plus _sync_runs",
    ),
    th.Property(
        "batch_size",
        th.IntegerType,
        default=DEFAULT_BATCH_SIZE,
        description="Records per batch; STATE is emitted once a batch is committed",
    ),
    th.Property(
        "validate_records",
        th.BooleanType,
        default=True,
        description="Validate every record against its stream schema (off is faster)",
    ),
).to_dict()


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names it and never quotes secrets."""


@dataclass(frozen=True)
class Settings:
    """The target's settings, checked and with defaults filled in."""

    host: str
    port: int
    user: str
    password: str
    database: str
    batch_size: int
    validate_records: bool

    @classmethod
    def from_config(cls, config: t.Mapping[str, t.Any]) -> Settings:
        """Check a config mapping and build the settings.

        Args:
            config: The target's config.

        Returns:
            The settings.

        Raises:
            SettingsError: The first problem found, naming its setting.
        """
        problems = find_problems(config)
        if problems:
            raise SettingsError(problems[0])
        return cls(
            host=config["host"],
            port=config.get("port", DEFAULT_PORT),
            user=config["user"],
            password=config.get("password") or "",
            database=config.get("database", DEFAULT_DATABASE),
            batch_size=config.get("batch_size", DEFAULT_BATCH_SIZE),
            validate_records=config.get("validate_records", True),
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def find_problems(config: t.Mapping[str, t.Any]) -> list[str]:
    """List what is wrong with the settings, one line each, naming the setting.

    Args:
        config: The target's config.

    Returns:
        Problems, empty when the settings are usable.
    """
    problems = [
        f"Setting '{name}' is missing: set it (meltano: {variable})."
        for name, variable in (("host", "MYSQL_HOST"), ("user", "MYSQL_USER"))
        if not isinstance(config.get(name), str) or not config[name].strip()
    ]
    port = config.get("port", DEFAULT_PORT)
    if not _is_int(port) or not 1 <= port <= MAX_PORT:
        problems.append(f"Setting 'port' must be an integer from 1 to {MAX_PORT}.")
    if not isinstance(config.get("password", ""), (str, type(None))):
        problems.append("Setting 'password' must be a string.")
    database = config.get("database", DEFAULT_DATABASE)
    if not isinstance(database, str) or not _DATABASE_NAME.fullmatch(database):
        problems.append(
            "Setting 'database' must be a database name of 1 to 64 characters "
            "without '`', '/', '\\' or '.'."
        )
    batch_size = config.get("batch_size", DEFAULT_BATCH_SIZE)
    if not _is_int(batch_size) or batch_size < 1:
        problems.append("Setting 'batch_size' must be a positive integer.")
    if not isinstance(config.get("validate_records", True), bool):
        problems.append("Setting 'validate_records' must be true or false.")
    problems.extend(
        f"Setting '{name}' is not supported: raw tables keep each stream as sent (reshape in dbt)."
        for name in _MAPPER_SETTINGS
        if config.get(name)
    )
    return problems

"""HubSpot property types: JSON-schema types and value parsing.

HubSpot sends every property value as a string. The functions here turn a property
definition into a JSON-schema type and a string value into the typed value.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

LOGGER = logging.getLogger("tap-hubspot")

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})
_EPOCH_MS = re.compile(r"^-?\d{10,14}$")
_NUMBER_NOISE = re.compile(r"[,\s_]")

JsonValue = str | int | float | bool | None


class UnparseableValueError(ValueError):
    """A property value that does not fit the property's type."""


def json_schema_for(hubspot_type: str) -> dict[str, Any]:
    """The JSON-schema type of a HubSpot property type (unknown types are strings).

    Args:
        hubspot_type: The property's `type` (number, bool, date, datetime, ...).

    Returns:
        A nullable JSON-schema type.
    """
    if hubspot_type == "number":
        return {"type": ["number", "null"]}
    if hubspot_type == "bool":
        return {"type": ["boolean", "null"]}
    if hubspot_type == "date":
        return {"type": ["string", "null"], "format": "date"}
    if hubspot_type == "datetime":
        return {"type": ["string", "null"], "format": "date-time"}
    return {"type": ["string", "null"]}


def parse_number(text: str) -> int | float:
    """Parse a HubSpot number (`"1,234.5"` -> 1234.5, `"42"` -> 42).

    Args:
        text: The raw value.

    Returns:
        An int when the value is integral and written without a fraction, else a float.

    Raises:
        UnparseableValueError: When the text is not a finite number.
    """
    cleaned = _NUMBER_NOISE.sub("", text)
    try:
        if re.fullmatch(r"[+-]?\d+", cleaned):
            return int(cleaned)
        number = float(cleaned)
    except ValueError as exc:
        raise UnparseableValueError(text) from exc
    if number != number or number in {float("inf"), float("-inf")}:  # noqa: PLR0124
        raise UnparseableValueError(text)
    return number


def parse_bool(text: str) -> bool:
    """Parse a HubSpot boolean (`"true"`, `"false"`, and the usual synonyms).

    Args:
        text: The raw value.

    Returns:
        The boolean.

    Raises:
        UnparseableValueError: When the text is no boolean.
    """
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UnparseableValueError(text)


def parse_datetime(text: str) -> dt.datetime:
    """Parse an ISO-8601 timestamp or epoch milliseconds into an aware UTC datetime.

    Args:
        text: The raw value.

    Returns:
        The timestamp in UTC.

    Raises:
        UnparseableValueError: When the text is no timestamp.
    """
    stripped = text.strip()
    try:
        if _EPOCH_MS.match(stripped):
            return dt.datetime.fromtimestamp(int(stripped) / 1000, tz=dt.UTC)
        value = dt.datetime.fromisoformat(stripped)
    except (ValueError, OverflowError, OSError) as exc:
        raise UnparseableValueError(text) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def format_datetime(value: dt.datetime) -> str:
    """Format a datetime as ISO-8601 UTC with milliseconds and a `Z`.

    Args:
        value: An aware datetime.

    Returns:
        For example `2024-01-31T12:00:00.000Z`.
    """
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_date(text: str) -> str:
    """Parse a HubSpot date (`YYYY-MM-DD`, or a timestamp at midnight) into `YYYY-MM-DD`.

    Args:
        text: The raw value.

    Returns:
        The date as `YYYY-MM-DD`.

    Raises:
        UnparseableValueError: When the text is no date.
    """
    stripped = text.strip()
    try:
        return dt.date.fromisoformat(stripped).isoformat()
    except ValueError:
        return parse_datetime(stripped).date().isoformat()


def parse_value(hubspot_type: str, raw: object) -> JsonValue:
    """Turn a raw property value into the JSON value of its type.

    Args:
        hubspot_type: The property's `type`.
        raw: The value as HubSpot sent it (normally a string or null).

    Returns:
        The typed value; null for null and `""`.

    Raises:
        UnparseableValueError: When the value does not fit the type.
    """
    if raw is None:
        return None
    text = raw if isinstance(raw, str) else str(raw)
    if text.strip() == "":
        return None
    parser = _PARSERS.get(hubspot_type)
    return parser(text) if parser else text


def _parse_datetime_text(text: str) -> str:
    return format_datetime(parse_datetime(text))


_PARSERS: dict[str, Callable[[str], JsonValue]] = {
    "number": parse_number,
    "bool": parse_bool,
    "date": parse_date,
    "datetime": _parse_datetime_text,
}


def parse_properties(
    raw: dict[str, Any],
    types: dict[str, str],
    *,
    object_id: str,
    object_type: str,
) -> dict[str, JsonValue]:
    """Type every property of one object; unparseable values become null with a warning.

    Args:
        raw: The object's `properties` as HubSpot sent them.
        types: Property name -> HubSpot type (names not listed are kept as strings).
        object_id: The object's id, named in warnings.
        object_type: The object type, named in warnings.

    Returns:
        The typed properties.
    """
    typed: dict[str, JsonValue] = {}
    for name, value in raw.items():
        hubspot_type = types.get(name, "string")
        try:
            typed[name] = parse_value(hubspot_type, value)
        except UnparseableValueError:
            LOGGER.warning(
                "%s %s: property %r has value %r, which is no %s; emitting null",
                object_type,
                object_id,
                name,
                value,
                hubspot_type,
            )
            typed[name] = None
    return typed

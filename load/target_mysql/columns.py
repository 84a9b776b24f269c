"""Column types and names: JSON Schema in, MySQL DDL out, and how two types widen.

Numbers are stored as ``DECIMAL(65,30)``, not ``DOUBLE``. The reader (reader.py) reads every JSON
number with a fraction or exponent as a ``decimal.Decimal``, so a DECIMAL column keeps amounts
exactly as HubSpot sent them, digit for digit; a DOUBLE would silently round anything past 15-17
significant digits and turn ``0.1`` into ``0.1000000000000000055...`` for anyone who sums it.
65 digits with 30 after the point is MySQL's widest DECIMAL: any amount, rate or percentage fits,
and a value that does not fit fails loudly (strict mode) instead of being rounded.
``x-singer.decimal`` precision and scale are honoured.
"""

from __future__ import annotations

import enum
import hashlib
import re
import typing as t
from dataclasses import dataclass

MAX_NAME_LENGTH = 64
"""MySQL's limit for table and column names."""

KEY_STRING_LENGTH = 255
MAX_DECIMAL_PRECISION = 65
MAX_DECIMAL_SCALE = 30
_TEXT_CHARS = 16_383  # TEXT: 65,535 bytes at 4 bytes per utf8mb4 character
_MEDIUMTEXT_CHARS = 4_194_303  # MEDIUMTEXT: 16,777,215 bytes
_UNBOUNDED = 0  # a string length of 0 means LONGTEXT (no limit)
_HASH_LENGTH = 8
_NON_BMP = re.compile("[^\u0001-\uffff]")  # MySQL identifiers allow only the BMP, minus NUL
_NOT_IN_TABLE_NAMES = re.compile(r"[/\\.]")


class Kind(enum.Enum):
    """The families of column types this target creates."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    STRING = "string"
    JSON = "json"
    OTHER = "other"  # a type some other tool created: left alone


_NUMERIC_RANK = {Kind.BOOLEAN: 0, Kind.INTEGER: 1, Kind.DECIMAL: 2}
_DATE_RANK = {Kind.DATE: 0, Kind.DATETIME: 1}


@dataclass(frozen=True)
class ColumnType:
    """A MySQL column type, reduced to what matters for widening.

    Attributes:
        kind: The type family.
        length: For strings, the longest value in characters (0: unbounded).
        precision: For decimals, the number of digits.
        scale: For decimals, the digits after the point.
        raw: For ``OTHER``, the type as the server reports it.
    """

    kind: Kind
    length: int = 0
    precision: int = 0
    scale: int = 0
    raw: str = ""

    def ddl(self) -> str:
        """Return the type as written in CREATE and ALTER TABLE.

        Returns:
            The SQL type.
        """
        simple = {
            Kind.BOOLEAN: "BOOLEAN",
            Kind.INTEGER: "BIGINT",
            Kind.DATE: "DATE",
            Kind.DATETIME: "DATETIME(6)",
            Kind.TIME: "TIME(6)",
            Kind.JSON: "JSON",
        }
        if self.kind in simple:
            return simple[self.kind]
        if self.kind is Kind.DECIMAL:
            return f"DECIMAL({self.precision},{self.scale})"
        if self.kind is Kind.STRING:
            return _string_ddl(self.length)
        return self.raw


def _string_ddl(length: int) -> str:
    if length == _UNBOUNDED or length > _MEDIUMTEXT_CHARS:
        return "LONGTEXT"
    if length <= KEY_STRING_LENGTH:
        return f"VARCHAR({length})"
    return "TEXT" if length <= _TEXT_CHARS else "MEDIUMTEXT"


NUMBER = ColumnType(Kind.DECIMAL, precision=MAX_DECIMAL_PRECISION, scale=MAX_DECIMAL_SCALE)
LONGTEXT = ColumnType(Kind.STRING, length=_UNBOUNDED)
KEY_STRING = ColumnType(Kind.STRING, length=KEY_STRING_LENGTH)
_FORMATS = {
    "date-time": ColumnType(Kind.DATETIME),
    "date": ColumnType(Kind.DATE),
    "time": ColumnType(Kind.TIME),
}


def from_jsonschema(schema: t.Mapping[str, t.Any]) -> ColumnType:
    """Map one property's JSON Schema to a column type.

    Args:
        schema: The property's schema.

    Returns:
        The column type; JSON when the schema allows objects, arrays or says nothing.
    """
    options = [option for option in _flatten(schema) if option.get("type") != "null"]
    types = [_single_type(option) for option in options]
    if not types:
        return ColumnType(Kind.JSON)
    merged = types[0]
    for other in types[1:]:
        merged = widen(merged, other)
    return merged


def _flatten(schema: t.Mapping[str, t.Any]) -> list[t.Mapping[str, t.Any]]:
    if "anyOf" in schema:
        return [part for option in schema["anyOf"] for part in _flatten(option)]
    declared = schema.get("type")
    if isinstance(declared, list):
        return [{**schema, "type": name} for name in declared]
    return [schema]


_SCALARS = {
    "integer": ColumnType(Kind.INTEGER),
    "number": NUMBER,
    "boolean": ColumnType(Kind.BOOLEAN),
}


def _single_type(schema: t.Mapping[str, t.Any]) -> ColumnType:
    declared = schema.get("type")
    if declared != "string":
        return _SCALARS.get(str(declared), ColumnType(Kind.JSON))
    if schema.get("format") == "x-singer.decimal":
        return _decimal(schema.get("precision"), schema.get("scale"))
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    max_length = schema.get("maxLength")
    return ColumnType(Kind.STRING, length=max_length if isinstance(max_length, int) else 0)


def _decimal(precision: object, scale: object) -> ColumnType:
    if not isinstance(precision, int) or not isinstance(scale, int):
        return NUMBER
    scale = min(max(scale, 0), MAX_DECIMAL_SCALE)
    precision = min(max(precision, scale, 1), MAX_DECIMAL_PRECISION)
    return ColumnType(Kind.DECIMAL, precision=precision, scale=scale)


def key_type(column_type: ColumnType) -> ColumnType:
    """Return the type a primary-key column gets.

    Args:
        column_type: The type the property would get as an ordinary column.

    Returns:
        VARCHAR(255) for strings and JSON (which cannot be indexed), else the type itself.
    """
    if column_type.kind in {Kind.STRING, Kind.JSON, Kind.OTHER}:
        return KEY_STRING
    return column_type


def widen(current: ColumnType, wanted: ColumnType) -> ColumnType:
    """Return a type that holds every value of both types.

    Within a family the wider type wins (BOOLEAN < BIGINT < DECIMAL, DATE < DATETIME, longer
    strings); across families the answer is LONGTEXT, which holds any value as text. A type
    created by someone else (``OTHER``) is kept as it is.

    Args:
        current: The column's type now.
        wanted: The type the new schema asks for.

    Returns:
        The type the column should have; ``current`` when nothing needs to change.
    """
    if current == wanted or current.kind is Kind.OTHER:
        return current
    kinds = {current.kind, wanted.kind}
    if Kind.DECIMAL in kinds and kinds <= _NUMERIC_RANK.keys():
        return _widen_decimal(current, wanted)
    for ranks in (_NUMERIC_RANK, _DATE_RANK):
        if kinds <= ranks.keys():
            return max(current, wanted, key=lambda column: ranks[column.kind])
    if kinds == {Kind.STRING} and _UNBOUNDED not in {current.length, wanted.length}:
        return max(current, wanted, key=lambda column: column.length)
    return LONGTEXT


def _widen_decimal(current: ColumnType, wanted: ColumnType) -> ColumnType:
    def digits(column: ColumnType) -> tuple[int, int]:
        if column.kind is Kind.DECIMAL:
            return column.precision - column.scale, column.scale
        return 20, 0  # BIGINT and BOOLEAN: up to 20 integer digits

    (left_a, right_a), (left_b, right_b) = digits(current), digits(wanted)
    scale = max(right_a, right_b)
    return _decimal(max(left_a, left_b) + scale, scale)


def from_information_schema(
    data_type: str,
    column_type: str,
    char_length: int | None,
    precision: int | None,
    scale: int | None,
) -> ColumnType:
    """Read back a column type as information_schema.COLUMNS reports it.

    Args:
        data_type: DATA_TYPE, e.g. ``varchar``.
        column_type: COLUMN_TYPE, e.g. ``varchar(255)`` or ``tinyint(1)``.
        char_length: CHARACTER_MAXIMUM_LENGTH.
        precision: NUMERIC_PRECISION.
        scale: NUMERIC_SCALE.

    Returns:
        The column type.
    """
    data_type = data_type.lower()
    strings = {"text": _TEXT_CHARS, "mediumtext": _MEDIUMTEXT_CHARS, "longtext": _UNBOUNDED}
    simple = {
        "bigint": Kind.INTEGER,
        "int": Kind.INTEGER,
        "mediumint": Kind.INTEGER,
        "smallint": Kind.INTEGER,
        "date": Kind.DATE,
        "datetime": Kind.DATETIME,
        "time": Kind.TIME,
        "json": Kind.JSON,
    }
    if data_type == "tinyint":
        return ColumnType(Kind.BOOLEAN if column_type.lower() == "tinyint(1)" else Kind.INTEGER)
    if data_type in simple and (data_type != "datetime" or column_type.lower() == "datetime(6)"):
        return ColumnType(simple[data_type])
    if data_type in strings:
        return ColumnType(Kind.STRING, length=strings[data_type])
    if data_type in {"varchar", "char"} and char_length:
        return ColumnType(Kind.STRING, length=char_length)
    if data_type == "decimal" and precision is not None and scale is not None:
        return ColumnType(Kind.DECIMAL, precision=precision, scale=scale)
    return ColumnType(Kind.OTHER, raw=column_type)


def conform_name(name: str, *, table: bool = False) -> str:
    r"""Turn a stream or field name into a MySQL table or column name.

    Names stay as they are (HubSpot's camelCase included, reserved words are quoted when used),
    except: characters outside Unicode's BMP become ``_``, table names lose ``/``, ``\\`` and
    ``.``, trailing spaces go, and names over 64 characters are cut with a hash suffix.

    Args:
        name: The stream or field name.
        table: True for table names.

    Returns:
        The name to use in SQL (unquoted).
    """
    cleaned = _NON_BMP.sub("_", name)
    if table:
        cleaned = _NOT_IN_TABLE_NAMES.sub("_", cleaned)
    cleaned = cleaned.rstrip(" ") or "_"
    return cleaned if len(cleaned) <= MAX_NAME_LENGTH else hashed_name(name, cleaned)


def hashed_name(name: str, cleaned: str | None = None) -> str:
    """Return a name of at most 64 characters made unique by a hash of the original.

    Args:
        name: The original name.
        cleaned: The conformed name to shorten; defaults to ``name``.

    Returns:
        A prefix of the name, ``_`` and 8 hex digits of its SHA-256.
    """
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH_LENGTH]
    prefix = (cleaned or name)[: MAX_NAME_LENGTH - _HASH_LENGTH - 1]
    return f"{prefix}_{digest}"


def quote(name: str) -> str:
    """Quote an identifier for MySQL (always, so reserved words like ``to`` work).

    Args:
        name: The identifier.

    Returns:
        The backquoted identifier (statements run with parameters also double ``%``).
    """
    return "`" + name.replace("`", "``") + "`"

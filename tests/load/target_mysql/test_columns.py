"""Type mapping, widening and names."""

from __future__ import annotations

import pytest
from target_mysql import columns
from target_mysql.columns import ColumnType, Kind


@pytest.mark.parametrize(
    ("schema", "ddl"),
    [
        ({"type": "string"}, "LONGTEXT"),
        ({"type": ["null", "string"], "maxLength": 255}, "VARCHAR(255)"),
        ({"type": "string", "maxLength": 256}, "TEXT"),
        ({"type": "string", "maxLength": 100_000}, "MEDIUMTEXT"),
        ({"type": "string", "maxLength": 10_000_000}, "LONGTEXT"),
        ({"type": "integer"}, "BIGINT"),
        ({"type": ["null", "number"]}, "DECIMAL(65,30)"),
        (
            {"type": "string", "format": "x-singer.decimal", "precision": 12, "scale": 2},
            "DECIMAL(12,2)",
        ),
        ({"type": "boolean"}, "BOOLEAN"),
        ({"type": "string", "format": "date-time"}, "DATETIME(6)"),
        ({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}, "DATETIME(6)"),
        ({"type": "string", "format": "date"}, "DATE"),
        ({"type": "object"}, "JSON"),
        ({"type": ["null", "array"]}, "JSON"),
        ({}, "JSON"),
        ({"type": ["integer", "string"]}, "LONGTEXT"),
        ({"type": ["integer", "number"]}, "DECIMAL(65,30)"),
    ],
)
def test_jsonschema_to_ddl(schema: dict[str, object], ddl: str) -> None:
    assert columns.from_jsonschema(schema).ddl() == ddl


def test_keys_are_varchar_255_or_bigint() -> None:
    assert columns.key_type(columns.from_jsonschema({"type": "string"})).ddl() == "VARCHAR(255)"
    assert columns.key_type(columns.from_jsonschema({"type": "integer"})).ddl() == "BIGINT"


@pytest.mark.parametrize(
    ("current", "wanted", "result"),
    [
        (ColumnType(Kind.INTEGER), ColumnType(Kind.BOOLEAN), "BIGINT"),
        (ColumnType(Kind.BOOLEAN), ColumnType(Kind.INTEGER), "BIGINT"),
        (ColumnType(Kind.INTEGER), columns.NUMBER, "DECIMAL(65,30)"),
        (
            ColumnType(Kind.DECIMAL, precision=10, scale=2),
            ColumnType(Kind.DECIMAL, precision=8, scale=4),
            "DECIMAL(12,4)",
        ),
        (ColumnType(Kind.DATE), ColumnType(Kind.DATETIME), "DATETIME(6)"),
        (ColumnType(Kind.STRING, length=20), ColumnType(Kind.STRING, length=200), "VARCHAR(200)"),
        (ColumnType(Kind.STRING, length=300), ColumnType(Kind.STRING, length=20), "TEXT"),
        (ColumnType(Kind.INTEGER), ColumnType(Kind.STRING, length=10), "LONGTEXT"),
        (ColumnType(Kind.JSON), ColumnType(Kind.STRING), "LONGTEXT"),
        (ColumnType(Kind.OTHER, raw="double"), ColumnType(Kind.INTEGER), "double"),
    ],
)
def test_widen_never_narrows(current: ColumnType, wanted: ColumnType, result: str) -> None:
    assert columns.widen(current, wanted).ddl() == result
    if current.kind is not Kind.OTHER:
        assert columns.widen(columns.widen(current, wanted), current) == columns.widen(
            current, wanted
        )


def test_names() -> None:
    assert columns.conform_name("hs_lastmodifieddate") == "hs_lastmodifieddate"
    assert columns.conform_name("createdAt") == "createdAt"
    assert columns.conform_name("物件名") == "物件名"
    assert columns.conform_name("emoji😀") == "emoji_"
    assert columns.conform_name("a/b.c", table=True) == "a_b_c"
    long = "x" * 100
    assert len(columns.conform_name(long)) == 64
    assert columns.conform_name(long) != columns.conform_name(long + "y")
    assert columns.quote("to") == "`to`"
    assert columns.quote("we`ird") == "`we``ird`"

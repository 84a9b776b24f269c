"""Property typing: JSON-schema types and value parsing edge cases (pure logic)."""

from __future__ import annotations

import logging

import pytest
from tap_hubspot.values import (
    UnparseableValueError,
    json_schema_for,
    parse_properties,
    parse_value,
)


@pytest.mark.parametrize(
    ("hubspot_type", "expected"),
    [
        ("number", {"type": ["number", "null"]}),
        ("bool", {"type": ["boolean", "null"]}),
        ("date", {"type": ["string", "null"], "format": "date"}),
        ("datetime", {"type": ["string", "null"], "format": "date-time"}),
        ("enumeration", {"type": ["string", "null"]}),
        ("phone_number", {"type": ["string", "null"]}),
        ("something_new", {"type": ["string", "null"]}),
    ],
)
def test_json_schema_types(hubspot_type, expected):
    assert json_schema_for(hubspot_type) == expected


@pytest.mark.parametrize(
    ("hubspot_type", "raw", "expected"),
    [
        ("number", "1,234.5", 1234.5),
        ("number", "42", 42),
        ("number", "-0.25", -0.25),
        ("number", "1e3", 1000.0),
        ("number", " 7 ", 7),
        ("number", "", None),
        ("number", None, None),
        ("bool", "true", True),
        ("bool", "FALSE", False),
        ("bool", "", None),
        ("date", "2024-02-29", "2024-02-29"),
        ("date", "1706659200000", "2024-01-31"),
        ("datetime", "2022-02-17T19:25:29Z", "2022-02-17T19:25:29.000Z"),
        ("datetime", "2022-02-17T19:25:29.123Z", "2022-02-17T19:25:29.123Z"),
        ("datetime", "1645125929123", "2022-02-17T19:25:29.123Z"),
        ("datetime", "2022-02-17T20:25:29+01:00", "2022-02-17T19:25:29.000Z"),
        ("string", "a;b", "a;b"),
        ("string", "", None),
        ("enumeration", "東京都", "東京都"),
    ],
)
def test_parse_value(hubspot_type, raw, expected):
    assert parse_value(hubspot_type, raw) == expected


@pytest.mark.parametrize(
    ("hubspot_type", "raw"),
    [("number", "N/A"), ("number", "nan"), ("bool", "maybe"), ("date", "soon"), ("datetime", "x")],
)
def test_unparseable_values_raise(hubspot_type, raw):
    with pytest.raises(UnparseableValueError):
        parse_value(hubspot_type, raw)


def test_unparseable_becomes_null_with_warning_naming_id_and_property(caplog):
    types = {"amount": "number", "dealname": "string"}
    with caplog.at_level(logging.WARNING, logger="tap-hubspot"):
        typed = parse_properties(
            {"amount": "N/A", "dealname": "x", "unknown": "y"},
            types,
            object_id="9001",
            object_type="deals",
        )
    assert typed == {"amount": None, "dealname": "x", "unknown": "y"}
    assert "9001" in caplog.text
    assert "amount" in caplog.text

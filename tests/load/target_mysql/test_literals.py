"""Record values as SQL literals: exact numbers, UTC datetimes, escaping MySQL reads back."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from target_mysql import literals
from target_mysql.columns import ColumnType, Kind

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase

DATETIME = ColumnType(Kind.DATETIME)


def test_quoted_text_round_trips_through_mysql(mysql_database: MySQLDatabase) -> None:
    values = [
        "plain",
        "quotes ' \" and \\ backslash \\' \\\\",
        "nul \x00 newline \n return \r ctrl-z \x1a tab \t",
        "日本語と絵文字😀",
        "%s %(name)s %%",
    ]
    for value in values:
        statement = b"SELECT " + literals.quote(value)
        assert mysql_database.query(statement.decode()) == [(value,)]


def test_values_become_exact_literals() -> None:
    assert literals.literal(Decimal("1.5E-7")) == b"'0.00000015'"
    assert literals.literal(Decimal("NaN")) == b"NULL"
    assert literals.literal(value=True) == b"1"
    assert literals.literal(12345678901234567890) == b"12345678901234567890"
    assert literals.literal(None) == b"NULL"
    assert literals.literal({"a": [Decimal("1.10")], "b": "it's"}) == (
        b"""'{"a":[1.10],"b":"it\\'s"}'"""
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-01T09:00:00+09:00", b"'2024-01-01 00:00:00'"),
        ("2024-01-01T00:00:00.123Z", b"'2024-01-01T00:00:00.123'"),
        ("2024-01-01T00:00:00Z", b"'2024-01-01T00:00:00'"),
        ("2024-01-01T000000.5Z", b"'2024-01-01 00:00:00.500000'"),
        ("2024-01-01T00:00:00,5Z", b"'2024-01-01 00:00:00.500000'"),
        ("2024-01-01T00:00:00", b"'2024-01-01 00:00:00'"),  # no offset: UTC
        (None, b"NULL"),
    ],
)
def test_datetimes_are_written_in_utc(value: str | None, expected: bytes) -> None:
    assert literals.writer_for(DATETIME)(value) == expected


@pytest.mark.parametrize(
    "statement",
    [b"'2024-01-01T00:00:00.123'", b"'2024-01-01T00:00:00'", b"'2024-01-01 00:00:00.500000'"],
)
def test_mysql_reads_the_datetime_literals(mysql_database: MySQLDatabase, statement: bytes) -> None:
    (value,) = mysql_database.query(f"SELECT CAST({statement.decode()} AS DATETIME(6))")[0]
    assert value is not None
    assert value.year == 2024


def test_dates_reject_what_is_not_iso_text() -> None:
    for bad in ("yesterday", 1_700_000_000, "2024-13-01T00:00:00Z"):
        with pytest.raises((ValueError, TypeError)):
            literals.writer_for(DATETIME)(bad)
    assert literals.writer_for(ColumnType(Kind.DATE))("2024-02-29") == b"'2024-02-29'"
    assert literals.writer_for(ColumnType(Kind.TIME))("10:30:00") == b"'10:30:00'"


def test_text_with_a_lone_surrogate_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="surrogate"):
        literals.writer_for(ColumnType(Kind.STRING))("broken \ud800 emoji")


def test_json_takes_a_nan_that_msgspec_refuses() -> None:
    assert (
        literals.to_json({"n": Decimal("NaN"), "s": "日本"}) == '{"n": null, "s": "日本"}'.encode()
    )

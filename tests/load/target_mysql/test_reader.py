"""Reading Singer lines: exact numbers, Python's JSON extras, errors naming the line only."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from singer_sdk.singerlib.exceptions import InvalidInputLine
from target_mysql.reader import MessageReader

from tests.load.target_mysql.helpers import config_for, load, singer

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase


def _read(text: bytes) -> list[dict[str, object]]:
    messages: list[dict[str, object]] = []
    callbacks = {"RECORD": messages.append, "STATE": messages.append}
    MessageReader().process_lines(io.BytesIO(text), callbacks)
    return messages


def test_numbers_stay_exact_and_python_json_extras_are_read() -> None:
    messages = _read(
        b'{"type": "RECORD", "record": {"a": 0.1, "b": 12345678901234567890123, "c": 1e-7}}\n'
        b"\n"
        b'{"type": "STATE", "value": {"x": NaN}}\n'
    )

    assert messages[0]["record"] == {
        "a": Decimal("0.1"),
        "b": 12345678901234567890123,
        "c": Decimal("1e-7"),
    }
    assert str(messages[1]["value"]) == "{'x': nan}"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"type": "RECORD", "record": {"email": "private@example.com"', "not a JSON object"),
        (b'["private@example.com"]', "not a JSON object"),
        (b'{"type": "BOGUS", "record": {"email": "private@example.com"}}', "type 'BOGUS'"),
    ],
)
def test_a_bad_line_is_named_by_number_never_quoted(line: bytes, reason: str) -> None:
    with pytest.raises(InvalidInputLine) as raised:
        _read(b'{"type": "STATE", "value": {}}\n' + line + b"\n")

    assert str(raised.value).startswith("Input line 2")
    assert reason in str(raised.value)
    assert "private" not in str(raised.value)


def test_a_message_without_its_keys_is_named_by_line(mysql_database: MySQLDatabase) -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    lines = singer(
        {"type": "SCHEMA", "stream": "s", "key_properties": ["id"], "schema": schema},
        {"type": "RECORD", "record": {"id": "private-value"}},
    )

    with pytest.raises(InvalidInputLine) as raised:
        load(config_for(mysql_database), lines)

    assert str(raised.value) == "Input line 2 lacks the required key(s) stream"

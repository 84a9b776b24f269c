"""Replays of recorded-shape .singer files into a fresh database: what lands in the raw tables."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from singer_sdk.exceptions import InvalidRecord

from tests.load.target_mysql.helpers import RESOURCES, config_for, load, singer

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase


def _utc(*parts: int) -> dt.datetime:
    """A naive UTC datetime, as DATETIME columns return them."""
    return dt.datetime(*parts, tzinfo=dt.UTC).replace(tzinfo=None)


def _json(value: object) -> object:
    assert isinstance(value, str)
    return json.loads(value)


def test_hubspot_edge_cases_land_exactly(mysql_database: MySQLDatabase) -> None:
    states = load(config_for(mysql_database), RESOURCES / "contacts_edge_cases.singer")

    assert states[-1]["bookmarks"]["property_definitions"] == {}
    contacts = {
        row[0]: row
        for row in mysql_database.query(
            "SELECT id, properties, createdAt, archived, _sdc_deleted_at, lifecyclestage, "
            "_sdc_extracted_at FROM contacts"
        )
    }
    assert sorted(contacts) == ["101", "102", "103", "104"]  # re-sent 101 did not double
    updated = _json(contacts["101"][1])
    assert updated["firstname"] == "花子"  # the later version won
    assert updated["note"] == "changed 🌸"
    exact = json.loads(str(contacts["101"][1]), parse_float=Decimal)["amount"]
    assert exact == Decimal("0.00000015")  # the digits sent, not a float's
    assert contacts["101"][2] == _utc(2024, 3, 1)  # +09:00 stored as UTC
    assert contacts["101"][5] == "customer"  # column added mid-stream
    assert contacts["101"][6] == _utc(2024, 6, 2)
    assert _json(contacts["102"][1])["firstname"] is None
    assert contacts["102"][2] is None
    assert contacts["103"][3] == 1
    assert contacts["103"][4] == _utc(2024, 5, 1, 12)  # archived: kept, marked
    assert contacts["104"][4] is None
    assert _json(contacts["104"][1])["bukken_city"] == "横浜市"
    assert contacts["104"][5] == "lead"
    first = load(config_for(mysql_database), RESOURCES / "contacts_edge_cases.singer")
    assert first == states  # a replay changes nothing and doubles nothing
    assert mysql_database.query("SELECT COUNT(*) FROM contacts") == [(4,)]


def test_first_version_escapes_and_decimals_round_trip(mysql_database: MySQLDatabase) -> None:
    lines = (RESOURCES / "contacts_edge_cases.singer").read_text(encoding="utf-8").splitlines()
    load(config_for(mysql_database), "\n".join(lines[:3]) + "\n")

    (properties,) = mysql_database.query("SELECT properties FROM contacts WHERE id = '101'")[0]
    stored = json.loads(str(properties), parse_float=Decimal)
    assert stored["note"] == "Great 👍🎉 \\ 'quoted' \"double\""
    assert stored["amount"] == Decimal("1234567890.123456789")


def test_associations_and_composite_keys(mysql_database: MySQLDatabase) -> None:
    load(config_for(mysql_database), RESOURCES / "contacts_edge_cases.singer")

    associations = dict(
        mysql_database.query("SELECT from_id, `to` FROM associations_companies_contacts")
    )
    assert _json(associations["1"]) == [
        {
            "to_id": "101",
            "association_types": [{"category": "HUBSPOT_DEFINED", "typeId": 1, "label": None}],
        }
    ]
    assert _json(associations["2"]) == []
    definitions = mysql_database.query(
        "SELECT object_type, name, label FROM property_definitions ORDER BY object_type, label"
    )
    assert definitions == [
        ("bukken", "name", "lower"),
        ("bukken", "Name", "Upper"),  # keys compare exactly (utf8mb4_bin): no collision
        ("companies", "firstname", "First name"),
        ("contacts", "firstname", "名"),
    ]


def test_raw_table_ddl(mysql_database: MySQLDatabase) -> None:
    load(config_for(mysql_database), RESOURCES / "contacts_edge_cases.singer")

    columns = mysql_database.query(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'contacts' ORDER BY ORDINAL_POSITION"
    )
    types = {name: (str(kind).lower(), nullable, key) for name, kind, nullable, key in columns}
    assert types["id"] == ("varchar(255)", "NO", "PRI")
    assert types["properties"][0] in {"json", "longtext"}  # MariaDB spells JSON as LONGTEXT
    assert types["createdAt"][0] == "datetime(6)"
    assert types["archived"][0] == "tinyint(1)"
    assert types["lifecyclestage"][0] == "longtext"
    for metadata in ("_sdc_extracted_at", "_sdc_batched_at", "_sdc_deleted_at"):
        assert types[metadata][0] == "datetime(6)"
    assert types["_sdc_table_version"][0].startswith("bigint")
    assert "_sdc_received_at" not in types
    (charset,) = mysql_database.query(
        "SELECT CCSA.CHARACTER_SET_NAME FROM information_schema.TABLES T "
        "JOIN information_schema.COLLATION_CHARACTER_SET_APPLICABILITY CCSA "
        "ON CCSA.COLLATION_NAME = T.TABLE_COLLATION "
        "WHERE T.TABLE_SCHEMA = DATABASE() AND T.TABLE_NAME = 'contacts'"
    )
    assert charset == ("utf8mb4",)


def _big_stream() -> str:
    properties = {f"property_{index:04d}": {"type": ["null", "string"]} for index in range(1500)}
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "properties": {"type": "object", "properties": properties},
            "description": {"type": ["null", "string"]},
        },
    }
    values = {name: f"値{index}😀" for index, name in enumerate(properties)}
    long_text = ("長い文章😀" * 14_000)[:70_000]
    return singer(
        {"type": "SCHEMA", "stream": "companies", "key_properties": ["id"], "schema": schema},
        {
            "type": "RECORD",
            "stream": "companies",
            "record": {"id": "1", "properties": values, "description": long_text},
        },
        {
            "type": "RECORD",
            "stream": "companies",
            "record": {"id": "2", "properties": {}, "description": None},
        },
        {"type": "STATE", "value": {"bookmarks": {"companies": 2}}},
    )


def test_70000_characters_and_1500_properties(mysql_database: MySQLDatabase) -> None:
    states = load(config_for(mysql_database), _big_stream())

    assert states == [{"bookmarks": {"companies": 2}}]
    properties, description = mysql_database.query(
        "SELECT properties, description FROM companies WHERE id = '1'"
    )[0]
    assert len(_json(properties)) == 1500
    assert _json(properties)["property_1499"] == "値1499😀"
    assert description == ("長い文章😀" * 14_000)[:70_000]


def test_activate_version_retires_rows_a_full_run_did_not_send(
    mysql_database: MySQLDatabase,
) -> None:
    config = config_for(mysql_database)
    schema_line = (RESOURCES / "full_run_versions.singer").read_text().splitlines()[0] + "\n"
    incremental = singer(
        *[
            {
                "type": "RECORD",
                "stream": "deals",
                "record": {"id": str(i), "properties": {}, "archived": False},
            }
            for i in (1, 2, 3)
        ]
    )
    load(config, schema_line + incremental)
    # A full run that dies after its opening ACTIVATE_VERSION retires nothing.
    opening = singer({"type": "ACTIVATE_VERSION", "stream": "deals", "version": 500})
    load(config, schema_line + opening)
    assert mysql_database.query("SELECT COUNT(*) FROM deals WHERE _sdc_deleted_at IS NULL") == [
        (3,)
    ]

    load(config, RESOURCES / "full_run_versions.singer")

    deals = dict(mysql_database.query("SELECT id, _sdc_deleted_at IS NOT NULL FROM deals"))
    assert deals == {"1": 0, "2": 0, "3": 1}  # 3 was not in the full run: marked deleted
    versions = dict(mysql_database.query("SELECT id, _sdc_table_version FROM deals"))
    assert versions == {"1": 1000, "2": 1000, "3": None}

    empty_full_run = singer(
        {"type": "ACTIVATE_VERSION", "stream": "deals", "version": 2000},
        {"type": "ACTIVATE_VERSION", "stream": "deals", "version": 2000},
    )
    load(config, schema_line + empty_full_run)
    assert mysql_database.query("SELECT COUNT(*) FROM deals WHERE _sdc_deleted_at IS NULL") == [
        (0,)
    ]


def test_type_changes_widen_and_odd_names_work(mysql_database: MySQLDatabase) -> None:
    long_name = "a_property_name_that_is_much_longer_than_sixty_four_characters_for_sure"
    first = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "score": {"type": "integer"},
            "order": {"type": "string", "maxLength": 20},
            long_name: {"type": "boolean"},
        },
    }
    second = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "score": {"type": "string"},
            "order": {"type": "string", "maxLength": 100},
            long_name: {"type": "boolean"},
            "Score": {"type": "number"},
        },
    }
    text = singer(
        {"type": "SCHEMA", "stream": "odd-stream.name", "key_properties": ["id"], "schema": first},
        {
            "type": "RECORD",
            "stream": "odd-stream.name",
            "record": {"id": 1, "score": 5, "order": "first", long_name: True},
        },
        {"type": "SCHEMA", "stream": "odd-stream.name", "key_properties": ["id"], "schema": second},
        {
            "type": "RECORD",
            "stream": "odd-stream.name",
            "record": {
                "id": 2,
                "score": "high",
                "order": "x" * 100,
                long_name: False,
                "Score": 1.25,
            },
        },
        {"type": "SCHEMA", "stream": "odd-stream.name", "key_properties": ["id"], "schema": first},
        {
            "type": "RECORD",
            "stream": "odd-stream.name",
            "record": {"id": 3, "score": 7, "order": "third", long_name: True},
        },
    )
    load(config_for(mysql_database), text)

    columns = dict(
        mysql_database.query(
            "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'odd-stream_name'"
        )
    )
    assert columns["id"].startswith("bigint")
    assert columns["score"] == "longtext"  # integer, then string: widened, never narrowed back
    assert columns["order"] == "varchar(100)"
    shortened = [name for name in columns if str(name).startswith("a_property_name")]
    assert len(shortened) == 1
    assert len(str(shortened[0])) == 64
    assert [
        name for name in columns if str(name).lower() == "score" or str(name).startswith("Score_")
    ] == ["score", next(n for n in columns if str(n).startswith("Score_"))]
    assert mysql_database.query("SELECT id, score, `order` FROM `odd-stream_name` ORDER BY id") == [
        (1, "5", "first"),
        (2, "high", "x" * 100),
        (3, "7", "third"),
    ]


def test_archived_record_marks_the_row_and_keeps_its_last_values(
    mysql_database: MySQLDatabase,
) -> None:
    schema_line = (RESOURCES / "contacts_edge_cases.singer").read_text().splitlines()[0] + "\n"
    live = {"id": "7", "properties": {"firstname": "Kept", "phone": "123"}, "archived": False}
    archived = {
        "id": "7",
        "properties": {"firstname": None},  # HubSpot's default properties only
        "archived": True,
        "archivedAt": "2024-07-01T00:00:00.000Z",
    }
    config = config_for(mysql_database)
    load(config, schema_line + singer({"type": "RECORD", "stream": "contacts", "record": live}))
    load(config, schema_line + singer({"type": "RECORD", "stream": "contacts", "record": archived}))

    row = mysql_database.query(
        "SELECT properties, archived, archivedAt, _sdc_deleted_at FROM contacts WHERE id = '7'"
    )
    assert _json(row[0][0]) == {"firstname": "Kept", "phone": "123"}
    assert row[0][1:] == (1, _utc(2024, 7, 1), _utc(2024, 7, 1))

    restored = {**live, "properties": {"firstname": "Back"}}
    load(config, schema_line + singer({"type": "RECORD", "stream": "contacts", "record": restored}))
    assert mysql_database.query("SELECT archived, _sdc_deleted_at FROM contacts") == [(0, None)]


def test_live_and_archived_versions_in_one_batch_keep_their_order(
    mysql_database: MySQLDatabase,
) -> None:
    schema_line = (RESOURCES / "contacts_edge_cases.singer").read_text().splitlines()[0] + "\n"
    live = {"id": "7", "properties": {"firstname": "Kept"}, "archived": False}
    archived = {"id": "7", "properties": {}, "archived": True, "archivedAt": "2024-07-01T00:00:00Z"}
    restored = {**live, "properties": {"firstname": "Back"}}
    records = [live, archived, restored, {**archived, "id": "8"}]

    load(
        config_for(mysql_database),
        schema_line
        + singer(*({"type": "RECORD", "stream": "contacts", "record": r} for r in records)),
    )

    rows = mysql_database.query(
        "SELECT id, properties, archived, _sdc_deleted_at FROM contacts ORDER BY id"
    )
    assert [(row[0], _json(row[1]), row[2], row[3]) for row in rows] == [
        ("7", {"firstname": "Back"}, 0, None),
        ("8", {}, 1, _utc(2024, 7, 1)),
    ]


def test_batches_larger_than_a_statement_load_every_row(mysql_database: MySQLDatabase) -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
    }
    text = "長文" * 30_000  # 180 KB of UTF-8 per row: 50 rows need three statements
    records = [{"id": index, "text": f"{index} {text}"} for index in range(50)]
    lines = singer(
        {"type": "SCHEMA", "stream": "notes", "key_properties": ["id"], "schema": schema},
        *({"type": "RECORD", "stream": "notes", "record": record} for record in records),
        {"type": "STATE", "value": {"done": True}},
    )

    states = load(config_for(mysql_database), lines)

    assert states == [{"done": True}]
    assert mysql_database.query("SELECT COUNT(*), SUM(CHAR_LENGTH(text)) FROM notes") == [
        (50, sum(len(record["text"]) for record in records))
    ]
    assert mysql_database.query("SELECT records_written FROM _sync_runs") == [(50,)]


def test_bad_timestamp_fails_without_quoting_the_value(mysql_database: MySQLDatabase) -> None:
    schema_line = (RESOURCES / "contacts_edge_cases.singer").read_text().splitlines()[0] + "\n"
    record = {"id": "9", "properties": {}, "createdAt": "yesterday-at-noon-private"}
    text = schema_line + singer({"type": "RECORD", "stream": "contacts", "record": record})

    with pytest.raises(InvalidRecord) as raised:
        load(config_for(mysql_database, validate_records=False), text)

    assert "Record id=9 of stream 'contacts': field 'createdAt' is not a valid date-time" in str(
        raised.value
    )
    assert "private" not in str(raised.value)
    (status, message) = mysql_database.query("SELECT status, error_message FROM _sync_runs")[0]
    assert status == "error"
    assert "private" not in str(message)


def test_json_column_becomes_text_when_the_schema_says_string(
    mysql_database: MySQLDatabase,
) -> None:
    as_object = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "x": {"type": "object"}},
    }
    as_string = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "x": {"type": "string"}},
    }
    load(
        config_for(mysql_database),
        singer(
            {"type": "SCHEMA", "stream": "s", "key_properties": ["id"], "schema": as_object},
            {"type": "RECORD", "stream": "s", "record": {"id": "1", "x": {"a": 1}}},
            {"type": "SCHEMA", "stream": "s", "key_properties": ["id"], "schema": as_string},
            {"type": "RECORD", "stream": "s", "record": {"id": "2", "x": "plain text"}},
        ),
    )

    assert mysql_database.query("SELECT id, x FROM s ORDER BY id") == [
        ("1", '{"a":1}'),
        ("2", "plain text"),
    ]

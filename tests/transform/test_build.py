"""dbt build on realistic raw rows: every documented table, then an incremental run after changes.

The tests in this module share one warehouse and run in file order: first the full build, then the
mutated raw data and an incremental build, then a build with nothing changed, then the gate.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tests.transform.raw import RawNumber, association, now

if TYPE_CHECKING:
    from tests.transform.conftest import Warehouse

LONG_NAME = "custom_" + "very_long_property_name_" * 3 + "for_the_japanese_sales_team"
LONG_COLUMN = LONG_NAME[:55] + "_" + hashlib.md5(LONG_NAME.encode()).hexdigest()[:8]  # noqa: S324
LONG_TEXT = ("東京都港区六本木の物件についての長い説明です。" * 3200)[:70000]
EMOJI_NAME = "株式会社テスト 🏠 ミライ"
HS_PRIMARY = ("HUBSPOT_DEFINED", 2, "Primary")

DEFINITIONS = {
    "companies": [
        ("name", "string"),
        ("domain", "string"),
        ("city", "string"),
        ("state", "string"),
        ("industry", "enumeration"),
        ("phone", "phone_number"),
        ("numberofemployees", "number"),
        ("is_public", "bool"),
        ("founded_date", "date"),
        ("first_deal_created_date", "datetime"),
        ("description", "string"),
        ("created_at", "datetime"),
        (LONG_NAME, "string"),
    ],
    "contacts": [
        ("firstname", "string"),
        ("lastname", "string"),
        ("email", "string"),
        ("phone", "string"),
        ("company", "string"),
        ("jobtitle", "string"),
        ("lastmodifieddate", "datetime"),
        ("hs_is_unworked", "bool"),
    ],
    "deals": [
        ("dealname", "string"),
        ("amount", "number"),
        ("dealstage", "enumeration"),
        ("pipeline", "enumeration"),
        ("closedate", "datetime"),
    ],
    "bukken": [
        ("bukken_name", "string"),
        ("bukken_state", "string"),
        ("bukken_city", "string"),
        ("bukken_address", "string"),
        ("bukken_price", "number"),
    ],
}

COMPANIES: dict[int, dict[str, Any]] = {
    1: {
        "name": EMOJI_NAME,
        "domain": "mirai.example.jp",
        "city": "港区",
        "state": "東京都",
        "industry": "REAL_ESTATE",
        "phone": "+81-3-1234-5678",
        "numberofemployees": RawNumber("123456789012345678.123456"),
        "is_public": True,
        "founded_date": "2020-01-15",
        "first_deal_created_date": "2024-05-01T09:30:00.123Z",
        "description": LONG_TEXT,
        "created_at": "2023-12-31T23:59:59Z",
        LONG_NAME: "長い名前",
    },
    2: {"name": "", "domain": "", "is_public": False, "numberofemployees": 0, "founded_date": None},
    3: {"name": None, "domain": None, "custom_score": 7},
    4: {"name": "アーカイブ済み"},
    5: {"name": "retired by ACTIVATE_VERSION"},
    6: {"name": "Plain Co", "numberofemployees": 12},
}
CONTACTS: dict[int, dict[str, Any]] = {
    101: {
        "firstname": "太郎",
        "lastname": "山田",
        "email": "taro@example.jp",
        "lastmodifieddate": "2024-06-01T00:00:00Z",
        "hs_is_unworked": False,
    },
    102: {"firstname": "花子", "lastname": "佐藤", "email": "hanako@example.jp"},
    103: {"firstname": "😀", "lastname": "", "email": None},
    104: {"firstname": "Jiro", "jobtitle": "CTO"},
    105: {"firstname": "archived"},
}
DEALS: dict[int, dict[str, Any]] = {
    201: {
        "dealname": "六本木 案件",
        "amount": 98765432.5,
        "dealstage": "closedwon",
        "pipeline": "default",
        "closedate": "2024-07-31T15:00:00Z",
    },
    202: {"dealname": "Deal 2", "amount": None, "dealstage": "appointmentscheduled"},
    203: {"dealname": "Deal 3", "amount": 1},
}
BUKKEN: dict[int, dict[str, Any]] = {
    301: {
        "bukken_name": "ミライタワー 🏢",
        "bukken_state": "東京都",
        "bukken_city": "港区",
        "bukken_address": LONG_TEXT,
        "bukken_price": 150000000,
    },
    302: {"bukken_name": "Second", "bukken_state": "", "bukken_city": None},
    303: {"bukken_name": "archived bukken"},
}
ENTITY_STREAMS = ("companies", "contacts", "deals", "bukken", "owners")
INDEXES = {
    "companies": {"PRIMARY", "idx_hubspot_id", "idx_last_synced_at"},
    "contacts": {"PRIMARY", "idx_hubspot_id", "idx_last_synced_at"},
    "deals": {"PRIMARY", "idx_hubspot_id", "idx_last_synced_at"},
    "owners": {"PRIMARY", "idx_hubspot_id", "idx_last_synced_at"},
    "properties": {"PRIMARY", "idx_hubspot_id", "idx_bukken_name", "idx_last_synced_at"},
    "company_contact_associations": {
        "PRIMARY",
        "uk_company_contact",
        "idx_company_id",
        "idx_contact_id",
    },
    "deal_company_associations": {"PRIMARY", "uk_deal_company", "idx_deal_id", "idx_company_id"},
    "deal_contact_associations": {"PRIMARY", "uk_deal_contact", "idx_deal_id", "idx_contact_id"},
    "deal_property_associations": {"PRIMARY", "uk_deal_property", "idx_deal_id", "idx_property_id"},
    "contact_property_associations": {
        "PRIMARY",
        "uk_contact_property",
        "idx_contact_id",
        "idx_property_id",
    },
    "sync_status": {"PRIMARY", "uk_entity_type"},
}
ASSOCIATION_TABLES = {
    "company_contact_associations": ("company_id", "contact_id"),
    "deal_company_associations": ("deal_id", "company_id"),
    "deal_contact_associations": ("deal_id", "contact_id"),
    "deal_property_associations": ("deal_id", "property_id"),
    "contact_property_associations": ("contact_id", "property_id"),
}


def load_initial(warehouse: Warehouse, at: datetime) -> None:
    """The first raw load: objects, owners, definitions, associations, run log."""
    writer = warehouse.writer
    for object_type, definitions in DEFINITIONS.items():
        writer.definitions(object_type, definitions, at=at)
    live = {4, 5}
    writer.objects("companies", [(i, p) for i, p in COMPANIES.items() if i not in live], at=at)
    writer.objects("companies", [(4, COMPANIES[4])], at=at, archived=True)
    writer.objects("companies", [(5, COMPANIES[5])], at=at, deleted=True)
    writer.objects("contacts", [(i, p) for i, p in CONTACTS.items() if i != 105], at=at)
    writer.objects("contacts", [(105, CONTACTS[105])], at=at, archived=True)
    writer.objects("deals", list(DEALS.items()), at=at)
    writer.objects("bukken", [(i, p) for i, p in BUKKEN.items() if i != 303], at=at)
    writer.objects("bukken", [(303, BUKKEN[303])], at=at, archived=True)
    writer.owners(
        [
            {
                "id": 11,
                "email": "owner@example.jp",
                "firstName": "一郎",
                "lastName": "鈴木",
                "userId": 9001,
                "teams": [{"id": "7", "name": "東京チーム", "primary": True}],
            },
            {"id": 12, "email": "", "firstName": "Queue", "type": "QUEUE"},
            {"id": 13, "email": "gone@example.jp", "archived": True},
        ],
        at=at,
    )
    writer.associations(
        "associations_companies_contacts",
        [
            (
                1,
                [
                    association(101, HS_PRIMARY, ("USER_DEFINED", 41, "キーマン")),
                    association(102, HS_PRIMARY),
                    association(105, ("HUBSPOT_DEFINED", 280, None)),
                    association(999, ("HUBSPOT_DEFINED", 280, None)),
                ],
            ),
            (2, [association(103, ("HUBSPOT_DEFINED", 280, None))]),
            (4, [association(104, ("HUBSPOT_DEFINED", 280, None))]),
            (6, []),
        ],
        at=at,
    )
    writer.associations(
        "associations_deals_companies",
        [
            (
                201,
                [
                    association(1, ("HUBSPOT_DEFINED", 5, "Primary")),
                    association(6, ("HUBSPOT_DEFINED", 341, None)),
                ],
            ),
            (
                202,
                [
                    association(
                        2,
                        ("USER_DEFINED", 50, "B"),
                        ("USER_DEFINED", 51, "A"),
                        ("HUBSPOT_DEFINED", 5, "Primary"),
                    )
                ],
            ),
        ],
        at=at,
    )
    writer.associations(
        "associations_deals_contacts",
        [(201, [association(101)]), (203, [association(104, ("HUBSPOT_DEFINED", 3, None))])],
        at=at,
    )
    writer.associations(
        "associations_deals_bukken",
        [
            (201, [association(301, ("USER_DEFINED", 60, "購入検討"))]),
            (202, [association(303, ("USER_DEFINED", 60, "購入検討"))]),
        ],
        at=at,
    )
    writer.associations(
        "associations_contacts_bukken", [(101, [association(301), association(302)])], at=at
    )
    for stream in (*ENTITY_STREAMS, "associations_companies_contacts"):
        writer.sync_run(
            "run-1",
            stream,
            started_at=at - timedelta(minutes=5),
            finished_at=at,
            status="success",
            records=10,
        )


def mutate(warehouse: Warehouse, at: datetime) -> None:
    """Changes in HubSpot, as the next incremental load writes them."""
    writer = warehouse.writer
    writer.definitions(
        "companies", [("custom_score", "number"), ("numberofemployees", "string")], at=at
    )
    writer.objects(
        "companies",
        [
            (1, {**COMPANIES[1], "name": "株式会社テスト改 🚀"}),
            (6, {**COMPANIES[6], "custom_score": 42}),
        ],
        at=at,
    )
    writer.objects("contacts", [(102, CONTACTS[102])], at=at, archived=True)
    writer.objects("contacts", [(106, {"firstname": "新規", "email": "new@example.jp"})], at=at)
    writer.associations("associations_companies_contacts", [(2, [])], at=at)
    writer.associations(
        "associations_deals_bukken",
        [(203, [association(302, ("USER_DEFINED", 61, "内覧済み"))])],
        at=at,
    )
    for stream in ENTITY_STREAMS:
        writer.sync_run(
            "run-2",
            stream,
            started_at=at - timedelta(minutes=1),
            finished_at=at,
            status="success",
            records=3,
        )


def rows(warehouse: Warehouse, sql: str, args: object = None) -> list[tuple[Any, ...]]:
    """Query the marts database."""
    return warehouse.marts.query(sql, args)


def one_row(warehouse: Warehouse, sql: str, args: object = None) -> dict[str, Any]:
    """One row of the marts database as a dict."""
    with warehouse.marts.connect() as connection, connection.cursor() as cursor:
        cursor.execute(sql, args)
        names = [column[0] for column in cursor.description]
        found = cursor.fetchall()
    assert len(found) == 1, found
    return dict(zip(names, found[0], strict=True))


def ids(warehouse: Warehouse, table: str) -> set[int]:
    """The ids of a mart."""
    return {row[0] for row in rows(warehouse, f"SELECT id FROM `{table}`")}  # noqa: S608


def pairs(warehouse: Warehouse, table: str) -> dict[tuple[int, int], str]:
    """(from, to) -> association_type of an association mart."""
    left, right = ASSOCIATION_TABLES[table]
    return {
        (row[0], row[1]): row[2]
        for row in rows(warehouse, f"SELECT `{left}`, `{right}`, association_type FROM `{table}`")  # noqa: S608
    }


def index_names(warehouse: Warehouse, table: str) -> set[str]:
    """Index names from SHOW CREATE TABLE's source (information_schema.statistics)."""
    create = rows(warehouse, f"SHOW CREATE TABLE `{table}`")[0][1]
    found = {"PRIMARY"} if "PRIMARY KEY" in create else set()
    for line in create.splitlines():
        stripped = line.strip()
        if stripped.startswith(("KEY `", "UNIQUE KEY `")):
            found.add(stripped.split("`")[1])
    return found


def column_types(warehouse: Warehouse, table: str) -> dict[str, str]:
    """column -> column_type of a mart."""
    return dict(
        rows(
            warehouse,
            "SELECT column_name, column_type FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            (warehouse.marts.name, table),
        )
    )


def snapshot(warehouse: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every mart's rows, ordered, for before/after comparisons."""
    result = {}
    for table in INDEXES:
        columns = ", ".join(f"`{c}`" for c in sorted(column_types(warehouse, table)))
        result[table] = rows(warehouse, f"SELECT {columns} FROM `{table}` ORDER BY 1, 2, 3")  # noqa: S608
    return result


@pytest.fixture(scope="module")
def first_build(empty_warehouse: Warehouse) -> Warehouse:
    """Raw load 1 and a full `dbt build`."""
    load_initial(empty_warehouse, now() - timedelta(minutes=10))
    empty_warehouse.dbt.run("build")
    return empty_warehouse


# --- the full build -----------------------------------------------------------------------------


def test_object_marts_hold_exactly_the_live_records(first_build: Warehouse) -> None:
    assert ids(first_build, "companies") == {1, 2, 3, 6}
    assert ids(first_build, "contacts") == {101, 102, 103, 104}
    assert ids(first_build, "deals") == {201, 202, 203}
    assert ids(first_build, "properties") == {301, 302}
    assert ids(first_build, "owners") == {11, 12}


def test_every_documented_index_exists(first_build: Warehouse) -> None:
    for table, expected in INDEXES.items():
        assert index_names(first_build, table) == expected, table
    create = rows(first_build, "SHOW CREATE TABLE companies")[0][1]
    assert "UNIQUE KEY `idx_hubspot_id` (`hubspot_id`)" in create
    assert "`hubspot_id` varchar(255) NOT NULL" in create


def test_property_columns_are_typed_and_named(first_build: Warehouse) -> None:
    types = column_types(first_build, "companies")
    assert types["id"] == "bigint(20)" or types["id"] == "bigint"
    assert types["numberofemployees"] == "decimal(38,10)"
    assert types["is_public"] == "tinyint(1)"
    assert types["founded_date"] == "date"
    assert types["first_deal_created_date"] == "datetime(3)"
    assert types["description"] == "mediumtext"
    assert types["name"] == "mediumtext"
    assert types["prop_created_at"] == "datetime(3)"
    assert types[LONG_COLUMN] == "mediumtext"
    assert len(LONG_COLUMN) == 64
    assert "lastmodifieddate" in column_types(first_build, "contacts")
    assert column_types(first_build, "deals")["amount"] == "decimal(38,10)"
    bukken = column_types(first_build, "properties")
    assert bukken["bukken_name"] == "varchar(500)"
    assert "bukken_price" not in bukken


def test_typed_values_japanese_emoji_long_text(first_build: Warehouse) -> None:
    company = one_row(first_build, "SELECT * FROM companies WHERE id = 1")
    assert company["hubspot_id"] == "1"
    assert company["name"] == EMOJI_NAME
    assert company["description"] == LONG_TEXT
    assert company["numberofemployees"] == Decimal("123456789012345678.123456")
    assert company["is_public"] == 1
    assert company["founded_date"] == date(2020, 1, 15)
    assert company["first_deal_created_date"] == datetime(2024, 5, 1, 9, 30, 0, 123000)  # noqa: DTZ001
    assert company["prop_created_at"] == datetime(2023, 12, 31, 23, 59, 59)  # noqa: DTZ001
    assert company[LONG_COLUMN] == "長い名前"
    assert company["created_at"] == datetime(2024, 5, 1, 9, 30, 0, 123000)  # noqa: DTZ001
    assert company["last_synced_at"] is not None
    assert json.loads(company["properties"])["description"] == LONG_TEXT
    deal = one_row(first_build, "SELECT amount, closedate FROM deals WHERE id = 201")
    assert deal == {"amount": Decimal("98765432.5"), "closedate": datetime(2024, 7, 31, 15, 0)}  # noqa: DTZ001
    contact = one_row(
        first_build, "SELECT firstname, lastmodifieddate FROM contacts WHERE id = 101"
    )
    assert contact == {"firstname": "太郎", "lastmodifieddate": datetime(2024, 6, 1)}  # noqa: DTZ001


def test_empty_strings_and_nulls_are_null(first_build: Warehouse) -> None:
    company = one_row(
        first_build, "SELECT name, domain, is_public, numberofemployees FROM companies WHERE id = 2"
    )
    assert company == {
        "name": None,
        "domain": None,
        "is_public": 0,
        "numberofemployees": Decimal(0),
    }
    assert one_row(first_build, "SELECT name, domain FROM companies WHERE id = 3") == {
        "name": None,
        "domain": None,
    }
    contact = one_row(first_build, "SELECT firstname, lastname, email FROM contacts WHERE id = 103")
    assert contact == {"firstname": "😀", "lastname": None, "email": None}


def test_bukken_and_owners(first_build: Warehouse) -> None:
    bukken = one_row(first_build, "SELECT * FROM properties WHERE id = 301")
    assert bukken["bukken_name"] == "ミライタワー 🏢"
    assert bukken["bukken_address"] == LONG_TEXT
    assert json.loads(bukken["properties"])["bukken_price"] == 150000000
    second = one_row(first_build, "SELECT bukken_state, bukken_city FROM properties WHERE id = 302")
    assert second == {"bukken_state": None, "bukken_city": None}
    owner = one_row(first_build, "SELECT * FROM owners WHERE id = 11")
    assert (owner["email"], owner["firstname"], owner["lastname"], owner["user_id"]) == (
        "owner@example.jp",
        "一郎",
        "鈴木",
        9001,
    )
    assert json.loads(owner["teams"])[0]["name"] == "東京チーム"
    assert owner["created_at"] == datetime(2024, 1, 2, 3, 4, 5, 678000)  # noqa: DTZ001
    assert one_row(first_build, "SELECT email, type FROM owners WHERE id = 12") == {
        "email": None,
        "type": "QUEUE",
    }


def test_associations_pairs_and_types(first_build: Warehouse) -> None:
    assert pairs(first_build, "company_contact_associations") == {
        (1, 101): "キーマン",
        (1, 102): "primary",
        (2, 103): "default",
    }
    assert pairs(first_build, "deal_company_associations") == {
        (201, 1): "primary",
        (201, 6): "default",
        (202, 2): "A;B",
    }
    assert pairs(first_build, "deal_contact_associations") == {
        (201, 101): "default",
        (203, 104): "default",
    }
    assert pairs(first_build, "deal_property_associations") == {(201, 301): "購入検討"}
    assert pairs(first_build, "contact_property_associations") == {
        (101, 301): "default",
        (101, 302): "default",
    }


def test_sync_status_from_the_run_log(first_build: Warehouse) -> None:
    status = {
        row[0]: row[1:]
        for row in rows(
            first_build,
            "SELECT entity_type, sync_status, records_synced, "
            "last_successful_sync_at IS NOT NULL, error_message FROM sync_status",
        )
    }
    entities = ("companies", "contacts", "deals", "properties", "owners")
    assert status == dict.fromkeys(entities, ("success", 10, 1, None))


def test_source_freshness_and_docs(first_build: Warehouse) -> None:
    first_build.dbt.run("source", "freshness")
    first_build.dbt.run("docs", "generate")
    catalog = json.loads((first_build.dbt.work_dir / "target" / "catalog.json").read_text())
    assert "model.mirai_ai.companies" in catalog["nodes"]


# --- after changes in HubSpot: the incremental build --------------------------------------------


@pytest.fixture(scope="module")
def second_build(first_build: Warehouse) -> dict[str, Any]:
    """Mutate raw (update, archive, new property, new/removed associations) and build again."""
    before = snapshot(first_build)
    association_row = one_row(
        first_build,
        "SELECT id, created_at FROM company_contact_associations "
        "WHERE company_id = 1 AND contact_id = 101",
    )
    mutate(first_build, now())
    result = first_build.dbt.run("build")
    return {"before": before, "association": association_row, "log": result.stdout}


def test_incremental_run_applies_updates_and_deletes(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    gained = [line for line in second_build["log"].splitlines() if "gained columns" in line]
    assert len(gained) == 1
    assert "custom_score" in gained[0]
    assert ids(first_build, "companies") == {1, 2, 3, 6}
    assert ids(first_build, "contacts") == {101, 103, 104, 106}
    name = one_row(first_build, "SELECT name FROM companies WHERE id = 1")["name"]
    assert name == "株式会社テスト改 🚀"


def test_new_property_is_a_new_column_backfilled_from_json(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    assert second_build
    assert column_types(first_build, "companies")["custom_score"] == "decimal(38,10)"
    scores = dict(rows(first_build, "SELECT id, custom_score FROM companies"))
    assert scores == {1: None, 2: None, 3: Decimal(7), 6: Decimal(42)}


def test_a_changed_property_type_recreates_the_column(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    assert second_build
    assert column_types(first_build, "companies")["numberofemployees"] == "mediumtext"
    values = dict(rows(first_build, "SELECT id, numberofemployees FROM companies"))
    assert values == {1: "123456789012345678.123456", 2: "0", 3: None, 6: "12"}


def test_unchanged_rows_stay_as_they_were(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    after = snapshot(first_build)
    assert after["deals"] == second_build["before"]["deals"]
    assert after["owners"] == second_build["before"]["owners"]
    kept = one_row(
        first_build,
        "SELECT id, created_at FROM company_contact_associations "
        "WHERE company_id = 1 AND contact_id = 101",
    )
    assert kept == second_build["association"]


def test_incremental_associations(first_build: Warehouse, second_build: dict[str, Any]) -> None:
    assert second_build
    assert pairs(first_build, "company_contact_associations") == {(1, 101): "キーマン"}
    assert pairs(first_build, "deal_property_associations") == {
        (201, 301): "購入検討",
        (203, 302): "内覧済み",
    }


def test_sync_status_follows_the_latest_run(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    assert second_build
    status = {
        row[0]: row[1:]
        for row in rows(
            first_build, "SELECT entity_type, sync_status, records_synced FROM sync_status"
        )
    }
    assert set(status.values()) == {("success", 3)}
    assert len(status) == 5


def test_a_run_without_changes_changes_nothing(
    first_build: Warehouse, second_build: dict[str, Any]
) -> None:
    assert second_build
    before = snapshot(first_build)
    first_build.dbt.run("build")
    assert snapshot(first_build) == before


def test_a_failing_dbt_test_fails_the_build(first_build: Warehouse) -> None:
    at = now()
    first_build.writer.sync_run(
        "run-3", "deals", started_at=at, finished_at=at, status="exploded", records=1
    )
    result = first_build.dbt.run("build", check=False)
    assert result.returncode != 0
    assert "accepted_values_sync_status_sync_status" in result.stdout

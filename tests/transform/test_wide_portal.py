"""A portal with 1,500 properties on one object: the mart builds within MySQL's limits, the typed
columns are the documented deterministic choice, and every property stays reachable in JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.transform.raw import now

if TYPE_CHECKING:
    from tests.transform.conftest import Warehouse

TYPES = {"number": 17, "bool": 1, "date": 3, "datetime": 7, "string": 42}
INCLUDE = ["firstname", "lastname", "email", "phone", "company", "jobtitle", "lastmodifieddate"]
MAX_COLUMNS = 400
MAX_BYTES = 7500


def definitions() -> list[tuple[str, str]]:
    """1,500 contact properties: the documented ones plus custom ones of every type."""
    kinds = ["string"] * 10 + ["number", "number", "datetime", "bool", "date"]
    custom = [(f"custom_{i:04d}", kinds[i % len(kinds)]) for i in range(1500 - len(INCLUDE))]
    return [
        (name, "datetime" if name == "lastmodifieddate" else "string") for name in INCLUDE
    ] + custom


def value(kind: str, i: int, *, long: bool = False) -> object:
    """A value of each type. Short texts are 39 bytes: the longest that InnoDB keeps in the page
    (the worst case for the row size); long ones leave the page."""
    text = (f"値{i:04d}" + "あ" * 200) if long else f"{i % 1000:03d}" + "あ" * 12
    return {
        "number": i * 1.5,
        "bool": i % 2 == 0,
        "date": "2024-05-01",
        "datetime": "2024-05-01T09:30:00Z",
    }.get(kind, text)


def expected_columns() -> list[str]:
    """The documented choice: include list first, then alphabetical, within the column/byte caps."""
    defined = dict(definitions())
    ordered = [name for name in INCLUDE if name in defined]
    ordered += sorted(name for name in defined if name not in ordered)
    chosen: list[str] = []
    used = 0
    for name in ordered:
        size = TYPES[defined[name]]
        if len(chosen) + 1 > MAX_COLUMNS or used + size > MAX_BYTES:
            break
        chosen.append(name)
        used += size
    return chosen


@pytest.fixture(scope="module")
def wide(empty_warehouse: Warehouse) -> Warehouse:
    """1,500 contact properties, two contacts with every property set, a build of contacts."""
    at = now()
    writer = empty_warehouse.writer
    writer.definitions("contacts", definitions(), at=at)
    records: list[tuple[int, dict[str, Any]]] = [
        (
            contact_id,
            {
                name: value(kind, i, long=contact_id == 2)
                for i, (name, kind) in enumerate(definitions())
            },
        )
        for contact_id in (1, 2)
    ]
    writer.objects("contacts", records, at=at)
    empty_warehouse.dbt.run("build", "--select", "+contacts", "--indirect-selection", "cautious")
    return empty_warehouse


def property_columns(warehouse: Warehouse, table: str = "contacts") -> list[str]:
    """The mart's property columns in table order."""
    fixed = {"id", "hubspot_id", "properties", "created_at", "updated_at", "last_synced_at"}
    found = warehouse.marts.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position",
        (warehouse.marts.name, table),
    )
    return [str(row[0]) for row in found if row[0] not in fixed]


def test_the_mart_builds_with_the_documented_columns(wide: Warehouse) -> None:
    assert property_columns(wide) == expected_columns()
    assert wide.marts.query("SELECT COUNT(*) FROM contacts") == [(2,)]


def test_every_property_stays_reachable(wide: Warehouse) -> None:
    last = definitions()[-1][0]
    assert last not in property_columns(wide)
    stored = json.loads(str(wide.marts.query("SELECT properties FROM contacts WHERE id = 1")[0][0]))
    assert len(stored) == 1500
    assert stored[last] == value(definitions()[-1][1], 1499)
    assert wide.marts.query(
        "SELECT COUNT(*) FROM stg_hubspot__contacts WHERE `" + last + "` IS NOT NULL"  # noqa: S608
    ) == [(2,)]


def test_the_cap_is_configurable(wide: Warehouse) -> None:
    wide.dbt.run(
        "run",
        "--select",
        "contacts",
        "--full-refresh",
        "--vars",
        "{mirai_max_property_columns: 20}",
    )
    assert property_columns(wide) == expected_columns()[:20]


def test_columns_are_sticky_across_incremental_runs(wide: Warehouse) -> None:
    # A new property that sorts first would be chosen early by a full build; an incremental run
    # keeps every existing column where it is and appends the newcomer.
    at = now()
    wide.writer.definitions("contacts", [("aaa_first", "string")], at=at)
    wide.writer.objects("contacts", [(3, {"aaa_first": "新しい"})], at=at)
    wide.dbt.run(
        "run",
        "--select",
        "stg_hubspot__contacts",
        "contacts",
        "--vars",
        "{mirai_max_property_columns: 21}",
    )
    assert property_columns(wide) == [*expected_columns()[:20], "aaa_first"]
    assert wide.marts.query("SELECT aaa_first FROM contacts WHERE id = 3") == [("新しい",)]

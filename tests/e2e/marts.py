"""Compare the documented tables with the sandbox's ground truth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubspot_sandbox.control import SandboxControl

    from tests.fixtures.mysql import MySQLDatabase

OBJECT_MARTS = {
    "companies": "companies",
    "contacts": "contacts",
    "deals": "deals",
    "properties": "bukken",
}
ASSOCIATION_MARTS = {
    "company_contact_associations": ("companies", "contacts", "company_id", "contact_id"),
    "deal_company_associations": ("deals", "companies", "deal_id", "company_id"),
    "deal_contact_associations": ("deals", "contacts", "deal_id", "contact_id"),
    "deal_property_associations": ("deals", "bukken", "deal_id", "property_id"),
    "contact_property_associations": ("contacts", "bukken", "contact_id", "property_id"),
}
HUBSPOT_PRIMARY_TYPE_IDS = {1, 2, 5, 6}


def expected_association_type(types: list[dict[str, Any]]) -> str:
    """The documented rule: user labels joined with ';', else 'primary', else 'default'."""
    labels = sorted(
        {t["label"] for t in types if t["category"] == "USER_DEFINED" and t.get("label")}
    )
    if labels:
        return ";".join(labels)
    if any(t["typeId"] in HUBSPOT_PRIMARY_TYPE_IDS for t in types):
        return "primary"
    return "default"


def mart_ids(marts: MySQLDatabase, table: str) -> set[str]:
    """hubspot_id of every row of a mart."""
    return {str(row[0]) for row in marts.query(f"SELECT hubspot_id FROM `{table}`")}  # noqa: S608


def truth_ids(control: SandboxControl, object_type: str) -> set[str]:
    """Ids of the live records of one object type."""
    return {record["id"] for record in control.truth(object_type)}


def mart_pairs(
    marts: MySQLDatabase, table: str, left: str, right: str
) -> dict[tuple[str, str], str]:
    """(left id, right id) -> association_type of an association mart."""
    rows = marts.query(f"SELECT `{left}`, `{right}`, association_type FROM `{table}`")  # noqa: S608
    return {(str(a), str(b)): str(kind) for a, b, kind in rows}


def truth_pairs(
    control: SandboxControl, from_type: str, to_type: str
) -> dict[tuple[str, str], str]:
    """(from id, to id) -> expected association_type from the sandbox."""
    return {
        (from_id, str(target["toObjectId"])): expected_association_type(target["associationTypes"])
        for from_id, targets in control.truth_associations(from_type, to_type).items()
        for target in targets
    }


def assert_marts_match(marts: MySQLDatabase, control: SandboxControl) -> None:
    """Every object mart holds exactly the live records, every association mart the live pairs."""
    for table, object_type in OBJECT_MARTS.items():
        assert mart_ids(marts, table) == truth_ids(control, object_type), table
    live_owners = {str(owner["id"]) for owner in control.owners() if not owner["archived"]}
    assert mart_ids(marts, "owners") == live_owners
    for table, (from_type, to_type, left, right) in ASSOCIATION_MARTS.items():
        assert mart_pairs(marts, table, left, right) == truth_pairs(control, from_type, to_type), (
            table
        )
    statuses = marts.query("SELECT entity_type, sync_status FROM sync_status ORDER BY entity_type")
    assert statuses == [
        ("companies", "success"),
        ("contacts", "success"),
        ("deals", "success"),
        ("owners", "success"),
        ("properties", "success"),
    ]

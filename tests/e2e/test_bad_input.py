"""Bad input: the run succeeds, and each oddity is stored faithfully or reported.

Contacts get values that do not parse as their type (reported: a log line with the object id
and the property, the value becomes null), a 70,000-character value, emoji and control
characters, a number beyond DECIMAL's range, a 90-character property name, a property named
like one of our own mart columns (`created_at`) and a property of a type the pipeline has never
seen. Everything else arrives unchanged in the raw `properties` JSON and in the mart columns.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.helpers import SMALL_COUNTS, assert_ran, output_of
from tests.e2e.marts import assert_marts_match

if TYPE_CHECKING:
    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

LONG_NAME = ("mirai_" + "very_long_property_name_" * 4)[:90]
LONG_VALUE = ("長い値" * 23_334)[:70_000]
ODD_TEXT = "😀🏠 家族\u0000\u0001\u0007\t改行\n\r\u001b[31m終\u200b\ufeff"
HUGE_NUMBER = "1" + "0" * 40
NEW_TYPE = "object_coordinates"

PROPERTIES: list[dict[str, Any]] = [
    {"name": "mirai_amount", "type": "number", "label": "金額"},
    {"name": "mirai_visit", "type": "date", "label": "来店日"},
    {"name": "mirai_seen_at", "type": "datetime", "label": "最終閲覧"},
    {"name": LONG_NAME, "type": "string", "label": "長い名前"},
    {"name": "created_at", "type": "string", "label": "created_at (ours?)"},
    {"name": "mirai_location", "type": NEW_TYPE, "fieldType": "text", "label": "位置"},
]


def long_column(name: str) -> str:
    """The mart column of a property name longer than 64 characters (see the dbt macro)."""
    return name[:55] + "_" + hashlib.md5(name.encode()).hexdigest()[:8]  # noqa: S324


def test_odd_values_and_names_are_stored_or_reported(pipeline: Pipeline, sandbox_factory) -> None:
    sandbox = sandbox_factory(**SMALL_COUNTS)
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url
    for definition in PROPERTIES:
        control.add_property("contacts", definition)
    contacts = control.truth("contacts")
    unparseable, long_text, odd, huge = (contact["id"] for contact in contacts[:4])
    control.update(
        "contacts",
        unparseable,
        {
            "mirai_amount": "約1億円",
            "mirai_visit": "2024-13-45",
            "mirai_seen_at": "yesterday",
            LONG_NAME: "long-name-value",
            "created_at": "not our created_at",
            "mirai_location": "35.6812,139.7671",
        },
    )
    control.update("contacts", long_text, {"memo": LONG_VALUE})
    control.update("contacts", odd, {"firstname": ODD_TEXT, "mirai_amount": "-12,345.678"})
    control.update("contacts", huge, {"mirai_amount": HUGE_NUMBER})
    control.advance_clock(180)

    completed = pipeline.run()
    assert_ran(completed)
    output = output_of(completed)
    assert_marts_match(pipeline.marts, control)

    # Reported: one log line per unparseable value, naming the object id and the property.
    for prop in ("mirai_amount", "mirai_visit", "mirai_seen_at"):
        assert any(unparseable in line and prop in line for line in output.splitlines()), prop

    marts = pipeline.marts

    def contact(column: str, contact_id: str) -> object:
        rows = marts.query(f"SELECT `{column}` FROM contacts WHERE id = %s", (contact_id,))  # noqa: S608
        return rows[0][0]

    assert contact("mirai_amount", unparseable) is None
    assert contact("mirai_visit", unparseable) is None
    assert contact("mirai_seen_at", unparseable) is None
    assert contact("memo", long_text) == LONG_VALUE
    assert contact("firstname", odd) == ODD_TEXT
    assert float(contact("mirai_amount", odd)) == pytest.approx(-12_345.678)  # type: ignore[arg-type]
    assert contact(long_column(LONG_NAME), unparseable) == "long-name-value"
    assert contact("prop_created_at", unparseable) == "not our created_at"
    created = next(c for c in contacts if c["id"] == unparseable)["createdAt"]
    assert contact("created_at", unparseable).isoformat()[:19] == created[:19]  # type: ignore[attr-defined]
    assert contact("mirai_location", unparseable) == "35.6812,139.7671"

    # A number beyond DECIMAL(38,10): exact in `properties` (raw and mart); the typed column
    # cannot hold it and stays null (documented in transform's hubspot_property_columns macro).
    assert json.loads(str(contact("properties", huge)))["mirai_amount"] == int(HUGE_NUMBER)
    assert contact("mirai_amount", huge) is None

    # Every property, the odd ones too, is reachable in the `properties` JSON.
    properties = json.loads(str(contact("properties", unparseable)))
    assert properties[LONG_NAME] == "long-name-value"
    assert properties["created_at"] == "not our created_at"
    assert json.loads(str(contact("properties", odd)))["firstname"] == ODD_TEXT

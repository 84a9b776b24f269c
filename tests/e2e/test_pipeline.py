"""The whole pipeline through Meltano: sandbox -> tap-hubspot -> target-mysql -> dbt build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.marts import assert_marts_match

if TYPE_CHECKING:
    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

# The tap reads up to (server time - safety margin); move the sandbox clock past it after mutating.
PAST_SAFETY_MARGIN_SECONDS = 180


def assert_ran(completed: object) -> None:
    """A pipeline run exited 0 (show its output tail otherwise)."""
    assert completed.returncode == 0, completed.stderr[-4000:]  # type: ignore[attr-defined]


def snapshot(pipeline: Pipeline, table: str) -> list[tuple[object, ...]]:
    """A mart's rows without the load timestamp."""
    columns = [
        row[0]
        for row in pipeline.marts.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND column_name <> 'last_synced_at' "
            "ORDER BY ordinal_position",
            (pipeline.marts.name, table),
        )
    ]
    select = ", ".join(f"`{column}`" for column in columns)
    return pipeline.marts.query(f"SELECT {select} FROM `{table}` ORDER BY id")  # noqa: S608


def test_full_then_incremental_then_idle_then_full_refresh(pipeline: Pipeline, sandbox) -> None:
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url

    assert_ran(pipeline.run())
    assert_marts_match(pipeline.marts, control)
    company = control.truth("companies")[0]
    (name,) = pipeline.marts.query("SELECT name FROM companies WHERE id = %s", (company["id"],))[0]
    assert name == company["properties"]["name"]

    # Mutations of every kind, then an incremental run.
    control.update("companies", company["id"], {"name": "未来不動産 🏠 株式会社"})
    control.archive("contacts", control.truth("contacts")[0]["id"])
    control.add_property("deals", {"name": "mirai_score", "type": "number", "label": "Score"})
    deal_id = control.truth("deals")[0]["id"]
    control.update("deals", deal_id, {"mirai_score": "42.5"})
    pairs = control.truth_associations("companies", "contacts")
    from_id = next(key for key, targets in pairs.items() if targets)
    control.dissociate("companies", from_id, "contacts", pairs[from_id][0]["toObjectId"])
    bukken_id = control.truth("bukken")[0]["id"]
    control.associate("deals", deal_id, "bukken", bukken_id, label="売買対象")
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)

    assert_ran(pipeline.run())
    assert_marts_match(pipeline.marts, control)
    rows = pipeline.marts.query("SELECT name FROM companies WHERE id = %s", (company["id"],))
    assert rows == [("未来不動産 🏠 株式会社",)]
    assert pipeline.marts.query("SELECT mirai_score FROM deals WHERE id = %s", (deal_id,)) == [
        (pytest.approx(42.5),)
    ]

    # A run with no changes in HubSpot leaves every mart row as it was.
    before = {table: snapshot(pipeline, table) for table in ("companies", "deals", "contacts")}
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    assert_ran(pipeline.run())
    assert {table: snapshot(pipeline, table) for table in before} == before

    # A hard delete is only visible to a full run.
    gone = control.truth("companies")[1]["id"]
    control.hard_delete("companies", gone)
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    assert_ran(pipeline.run(full_refresh=True))
    assert_marts_match(pipeline.marts, control)


def test_readme_state_commands_list_and_reset_the_bookmarks(pipeline: Pipeline, sandbox) -> None:
    pipeline.hubspot_base_url = sandbox.base_url
    state_id = "dev:tap-hubspot-to-target-mysql"
    assert_ran(pipeline.run("tap-hubspot", "target-mysql"))

    listed = pipeline.meltano("state", "list")
    assert state_id in listed.stdout
    state = pipeline.meltano("state", "get", state_id)
    assert "hs_lastmodifieddate" in state.stdout

    assert pipeline.meltano("state", "clear", "--force", state_id).returncode == 0
    assert state_id not in pipeline.meltano("state", "list").stdout

"""Both scheduled jobs through `meltano schedule run`, as the scheduler and a user run them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.marts import assert_marts_match

if TYPE_CHECKING:
    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

PAST_SAFETY_MARGIN_SECONDS = 180


def test_daily_full_then_hourly_incremental_schedules(pipeline: Pipeline, sandbox) -> None:
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url

    daily = pipeline.meltano("schedule", "run", "daily-full-sync")
    assert daily.returncode == 0, daily.stderr[-4000:]
    assert_marts_match(pipeline.marts, control)

    contact = control.truth("contacts")[0]
    control.update("contacts", contact["id"], {"firstname": "花子"})
    control.archive("deals", control.truth("deals")[0]["id"])
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)

    hourly = pipeline.meltano("schedule", "run", "hourly-incremental-sync")
    assert hourly.returncode == 0, hourly.stderr[-4000:]
    assert_marts_match(pipeline.marts, control)
    rows = pipeline.marts.query("SELECT firstname FROM contacts WHERE id = %s", (contact["id"],))
    assert rows == [("花子",)]

    # The daily job's full refresh also removes what HubSpot dropped without archiving.
    control.hard_delete("contacts", contact["id"])
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    daily = pipeline.meltano("schedule", "run", "daily-full-sync")
    assert daily.returncode == 0, daily.stderr[-4000:]
    assert_marts_match(pipeline.marts, control)

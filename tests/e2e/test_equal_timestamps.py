"""Equal timestamps and search lag: complete, no loop, no miss.

- The sandbox's mass-update scenario stamps 10,500 contacts with one millisecond (more than
  HubSpot's 10,000-result search cap): a full run loads them all; a second mass update is read
  completely by the incremental run, in about one search page per 200 records.
- With search lag, a change made right before a run is not yet searchable in that run; the next
  run (its window reaches back by the lookback) picks it up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.helpers import PAST_SAFETY_MARGIN_SECONDS, SMALL_COUNTS, assert_ran
from tests.e2e.marts import assert_marts_match

if TYPE_CHECKING:
    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

MASS = 10_500
SEARCH = "POST /crm/v3/objects/{objectType}/search"


def test_mass_update_of_10500_contacts_in_one_millisecond(
    pipeline: Pipeline, sandbox_factory
) -> None:
    counts = {**SMALL_COUNTS, "contacts": 11_000}  # some are generated archived
    sandbox = sandbox_factory(**counts, scenario="mass-update")
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)

    assert_ran(pipeline.run())
    assert_marts_match(pipeline.marts, control)
    (shared,) = pipeline.marts.query(
        "SELECT COUNT(*) FROM contacts GROUP BY updated_at ORDER BY COUNT(*) DESC LIMIT 1"
    )[0]
    assert int(str(shared)) > 10_000  # the scenario's one millisecond, beyond the search cap

    stamp = control.mass_update("contacts", MASS, {"jobtitle": "一斉更新"})
    assert stamp
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    control.reset_stats()
    assert_ran(pipeline.run())

    assert_marts_match(pipeline.marts, control)
    rows = pipeline.marts.query("SELECT COUNT(*) FROM contacts WHERE jobtitle = '一斉更新'")
    assert rows == [(MASS,)]
    searches = control.stats()["endpoints"].get(SEARCH, 0)
    assert searches <= MASS // 200 + 12, searches  # paged once through, no loop


def test_change_hidden_by_search_lag_is_picked_up_by_the_next_run(
    pipeline: Pipeline, sandbox_factory
) -> None:
    sandbox = sandbox_factory(**SMALL_COUNTS, search_lag_seconds=90)
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url
    company = control.truth("companies")[0]["id"]
    control.update("companies", company, {"name": "遅延テスト株式会社"})
    control.advance_clock(65)  # inside this run's window, but not yet searchable

    assert_ran(pipeline.run())
    hidden = pipeline.marts.query("SELECT name FROM companies WHERE id = %s", (company,))
    assert hidden != [("遅延テスト株式会社",)]  # the premise: search did not show it yet

    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    assert_ran(pipeline.run())
    assert pipeline.marts.query("SELECT name FROM companies WHERE id = %s", (company,)) == [
        ("遅延テスト株式会社",)
    ]
    assert_marts_match(pipeline.marts, control)

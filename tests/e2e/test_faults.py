"""Faults: real rate limits and 8 % injected faults (429 without Retry-After, 502/524 HTML, slow).

A full run and then an incremental run after mutations of every kind both end with marts that
hold exactly the sandbox's truth, every record at its latest version.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from tests.e2e.helpers import (
    PAST_SAFETY_MARGIN_SECONDS,
    SMALL_COUNTS,
    assert_no_duplicates,
    assert_ran,
    output_of,
)
from tests.e2e.marts import OBJECT_MARTS, assert_marts_match

if TYPE_CHECKING:
    from hubspot_sandbox.control import SandboxControl

    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e


def assert_latest_versions(pipeline: Pipeline, control: SandboxControl) -> None:
    """Every object mart row carries its record's latest `updatedAt`."""
    for table, object_type in OBJECT_MARTS.items():
        stored = {
            str(row[0]): row[1]
            for row in pipeline.marts.query(f"SELECT hubspot_id, updated_at FROM `{table}`")  # noqa: S608
        }
        for record in control.truth(object_type):
            expected = dt.datetime.fromisoformat(record["updatedAt"]).replace(tzinfo=None)
            assert stored[record["id"]] == expected, (table, record["id"])


def test_full_then_incremental_under_rate_limits_and_faults(
    pipeline: Pipeline, sandbox_factory
) -> None:
    sandbox = sandbox_factory(**SMALL_COUNTS, seed=8, rate_limits=True, fault_rate=0.08)
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url

    completed = pipeline.run()
    assert_ran(completed)
    assert_marts_match(pipeline.marts, control)
    assert_latest_versions(pipeline, control)
    statuses = control.stats()["statuses"]
    assert set(statuses) & {"429", "502", "524"}, statuses  # the faults did happen

    companies = control.truth("companies")
    control.update("companies", companies[0]["id"], {"name": "障害テスト株式会社"})
    control.archive("companies", companies[1]["id"])
    contacts = control.truth("contacts")
    for contact in contacts[:15]:
        control.update("contacts", contact["id"], {"jobtitle": "部長"})
    control.archive("contacts", contacts[20]["id"])
    new_id = control.create("deals", {"dealname": "新規案件", "amount": "12000000"})
    control.associate("deals", new_id, "companies", companies[2]["id"], primary=True)
    pairs = control.truth_associations("contacts", "bukken")
    from_id = next(key for key, targets in pairs.items() if targets)
    control.dissociate("contacts", from_id, "bukken", pairs[from_id][0]["toObjectId"])
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    control.reset_stats()

    completed = pipeline.run()
    assert_ran(completed)
    assert_marts_match(pipeline.marts, control)
    assert_latest_versions(pipeline, control)
    assert_no_duplicates(pipeline.marts)
    assert "Traceback" not in output_of(completed)

"""Deletes and merges leave the marts after the next run that can see them.

Archived records (and their associations) go with the next incremental run. Merged-away and
hard-deleted records are invisible to an incremental run (HubSpot lists them nowhere), so they
go with the next full run (`--full-refresh`, the daily job).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.helpers import (
    PAST_SAFETY_MARGIN_SECONDS,
    SMALL_COUNTS,
    assert_no_duplicates,
    assert_ran,
)
from tests.e2e.marts import ASSOCIATION_MARTS, OBJECT_MARTS, assert_marts_match, mart_ids, truth_ids

if TYPE_CHECKING:
    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

MART_OF = {object_type: table for table, object_type in OBJECT_MARTS.items()}


def test_archived_go_incrementally_merged_and_hard_deleted_with_the_full_run(
    pipeline: Pipeline, sandbox_factory
) -> None:
    sandbox = sandbox_factory(**SMALL_COUNTS)
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url
    assert_ran(pipeline.run())
    assert_marts_match(pipeline.marts, control)

    archived: dict[str, set[str]] = {}
    for object_type in MART_OF:
        record_id = control.truth(object_type)[3]["id"]
        control.archive(object_type, record_id)
        archived[object_type] = {record_id}
    gone: dict[str, set[str]] = {object_type: set() for object_type in MART_OF}
    for object_type in ("companies", "contacts", "deals"):
        records = control.truth(object_type)
        survivor = control.merge(object_type, records[5]["id"], records[6]["id"])
        gone[object_type].add(records[6]["id"])
        if survivor != records[5]["id"]:  # deals merge into a new record
            gone[object_type].add(records[5]["id"])
    for object_type in ("contacts", "deals", "bukken"):
        record_id = control.truth(object_type)[8]["id"]
        control.hard_delete(object_type, record_id)
        gone[object_type].add(record_id)
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)

    # Incremental: archived records and their associations leave; the rest may stay for now.
    assert_ran(pipeline.run())
    for object_type, table in MART_OF.items():
        ids, truth = mart_ids(pipeline.marts, table), truth_ids(control, object_type)
        assert not ids & archived[object_type], table
        assert truth <= ids, table  # merge survivors (a new deal too) are in
        assert ids - truth <= gone[object_type], table
    for table, (from_type, to_type, left, right) in ASSOCIATION_MARTS.items():
        rows = pipeline.marts.query(f"SELECT `{left}`, `{right}` FROM `{table}`")  # noqa: S608
        assert not {str(a) for a, _ in rows} & archived[from_type], table
        assert not {str(b) for _, b in rows} & archived[to_type], table
    assert_no_duplicates(pipeline.marts)

    # The full run sees that the merged-away and hard-deleted records are gone.
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
    assert_ran(pipeline.run(full_refresh=True))
    assert_marts_match(pipeline.marts, control)
    for object_type, table in MART_OF.items():
        assert not mart_ids(pipeline.marts, table) & (gone[object_type] | archived[object_type])
    assert_no_duplicates(pipeline.marts)

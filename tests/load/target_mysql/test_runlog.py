"""The run log `_sync_runs`: one row per stream and run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.load.target_mysql.helpers import RESOURCES, config_for, load

if TYPE_CHECKING:
    import pytest

    from tests.fixtures.mysql import MySQLDatabase


def test_each_stream_gets_a_success_row_with_its_count(
    mysql_database: MySQLDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MELTANO_RUN_ID", "5f0c3c52-0000-4000-8000-000000000001")
    load(config_for(mysql_database), RESOURCES / "contacts_edge_cases.singer")

    runs = mysql_database.query(
        "SELECT run_id, stream, status, records_written, error_message, "
        "started_at <= finished_at FROM _sync_runs ORDER BY stream"
    )
    run_id = "5f0c3c52-0000-4000-8000-000000000001"
    assert runs == [
        (run_id, "associations_companies_contacts", "success", 2, None, 1),
        (run_id, "contacts", "success", 5, None, 1),  # 101 was sent twice, in two batches
        (run_id, "property_definitions", "success", 4, None, 1),
    ]

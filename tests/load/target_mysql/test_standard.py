"""singer-sdk's standard target tests, each against a fresh database."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

import pytest
from singer_sdk.testing import get_target_test_class, target_test_streams
from singer_sdk.testing.runners import TargetTestRunner
from target_mysql.target import TargetMySQL

from tests.load.target_mysql.helpers import config_for, load

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase

_StandardTests = get_target_test_class(TargetMySQL, config={"host": "unused", "user": "unused"})


class TestTargetMySQLStandard(_StandardTests):  # type: ignore[misc,valid-type]
    """The SDK suite; the runner fixture points each test at its own database."""

    @pytest.fixture
    def runner(self, mysql_database: MySQLDatabase) -> TargetTestRunner:
        return TargetTestRunner(target_class=TargetMySQL, config=config_for(mysql_database))


def test_standard_duplicates_and_pk_updates_leave_the_right_rows(
    mysql_database: MySQLDatabase,
) -> None:

    streams = files(target_test_streams)
    load(config_for(mysql_database), streams.joinpath("duplicate_records.singer").read_text())
    load(config_for(mysql_database), streams.joinpath("pk_updates.singer").read_text())

    assert mysql_database.query("SELECT id, metric FROM test_duplicate_records ORDER BY id") == [
        (1, 100),
        (2, 20),
    ]
    assert mysql_database.query("SELECT id, name FROM example_stream ORDER BY id") == [
        (1, "Alice"),
        (2, "Bob"),
    ]

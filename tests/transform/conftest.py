"""Fixtures of the transform tests: a raw + a marts database and a dbt runner for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.fixtures.mysql import MySQLDatabase, create_database, drop_database
from tests.transform.dbt import DbtRunner
from tests.transform.raw import RawWriter

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class Warehouse:
    """A raw database (filled by the test) and a marts database (built by dbt)."""

    def __init__(self, raw: MySQLDatabase, marts: MySQLDatabase, work_dir: Path) -> None:
        """Wrap the two databases; dbt writes target/ and logs/ under work_dir."""
        self.raw = raw
        self.marts = marts
        self.dbt = DbtRunner(raw.name, marts.name, work_dir)
        self._connection = raw.connect()
        self.writer = RawWriter(self._connection)

    def close(self) -> None:
        """Close the raw connection."""
        self._connection.close()


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """Fresh raw (with every documented raw table, empty) and marts databases for one module."""
    raw = create_database("raw")
    marts = create_database("marts")
    warehouse = Warehouse(raw, marts, tmp_path_factory.mktemp("dbt"))
    try:
        warehouse.writer.create_tables()
        yield warehouse
    finally:
        warehouse.close()
        drop_database(raw)
        drop_database(marts)

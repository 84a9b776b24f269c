"""Settings: a bad or missing one fails at start, naming it; the password never shows."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pymysql
import pytest
from singer_sdk.exceptions import ConfigValidationError
from target_mysql.target import TargetMySQL

from tests.load.target_mysql.helpers import RESOURCES, config_for, run_cli, singer

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.fixtures.mysql import MySQLDatabase

SECRET = "Pw-" + uuid.uuid4().hex[:16]


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "| ERROR" in line]


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"host": None}, "host"),
        ({"user": ""}, "user"),
        ({"port": "3306x"}, "port"),
        ({"port": 70000}, "port"),
        ({"batch_size": 0}, "batch_size"),
        ({"database": "bad/name"}, "database"),
        ({"validate_records": "yes"}, "validate_records"),
        ({"password": 12345678}, "password"),
        ({"stream_maps": {"contacts": {"email": None}}}, "stream_maps"),
        ({"flattening_enabled": True}, "flattening_enabled"),
    ],
)
def test_bad_setting_fails_at_start_naming_it(
    mysql_database: MySQLDatabase, change: dict[str, object], setting: str
) -> None:
    config = {k: v for k, v in {**config_for(mysql_database), **change}.items() if v is not None}

    with pytest.raises(ConfigValidationError) as raised:
        TargetMySQL(config=config)

    assert raised.value.errors[0].startswith(f"Setting '{setting}' ")
    assert "12345678" not in str(raised.value.errors)
    assert mysql_database.query("SHOW TABLES") == []  # nothing written


def test_cli_prints_one_error_line_naming_the_setting(
    mysql_database: MySQLDatabase, tmp_path: Path
) -> None:
    config = config_for(mysql_database)
    del config["host"]

    result = run_cli(config, "", tmp_path)

    assert result.returncode == 1
    assert _error_lines(result.stderr)[0].endswith(
        "Setting 'host' is missing: set it (meltano: MYSQL_HOST)."
    )


def test_unreachable_server_and_wrong_password_name_the_settings(
    mysql_database: MySQLDatabase, tmp_path: Path
) -> None:
    unreachable = run_cli(config_for(mysql_database, port=1), "", tmp_path)
    assert unreachable.returncode == 1
    assert "check settings 'host' and 'port'" in _error_lines(unreachable.stderr)[0]

    wrong = run_cli(config_for(mysql_database, password=SECRET), "", tmp_path)
    assert wrong.returncode == 1
    assert "check settings 'user' and 'password'" in _error_lines(wrong.stderr)[0]
    assert SECRET not in wrong.stderr + wrong.stdout
    assert mysql_database.query("SHOW TABLES") == []


def test_missing_database_is_created(mysql_database: MySQLDatabase, tmp_path: Path) -> None:
    name = f"{mysql_database.name}_raw"
    try:
        result = run_cli(config_for(mysql_database, database=name), "", tmp_path)
        assert result.returncode == 0, result.stderr
        charset = mysql_database.query(
            "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA "
            "WHERE SCHEMA_NAME = %s",
            (name,),
        )
        assert charset == [("utf8mb4",)]
    finally:
        mysql_database.query(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def user_with_password(mysql_database: MySQLDatabase) -> Iterator[str]:
    """A MySQL user with a real password, allowed only on the test database; dropped after."""
    user = mysql_database.name[-16:]
    mysql_database.query(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (SECRET,))
    mysql_database.query(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY %s", (SECRET,))
    for host in ("%", "localhost"):
        mysql_database.query(
            f"GRANT ALL PRIVILEGES ON `{mysql_database.name}`.* TO '{user}'@'{host}'"
        )
    yield user
    for host in ("%", "localhost"):
        mysql_database.query(f"DROP USER IF EXISTS '{user}'@'{host}'")


def test_password_never_appears(
    mysql_database: MySQLDatabase, tmp_path: Path, user_with_password: str
) -> None:
    config = config_for(mysql_database, user=user_with_password, password=SECRET)
    good = (RESOURCES / "contacts_edge_cases.singer").read_text(encoding="utf-8")
    bad_record = singer(
        {
            "type": "SCHEMA",
            "stream": "owners",
            "key_properties": ["id"],
            "schema": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "userId": {"type": "integer"}},
            },
        },
        {"type": "RECORD", "stream": "owners", "record": {"id": "1", "userId": "not-a-number"}},
    )

    outputs = [
        run_cli(config, good, tmp_path),
        run_cli(config, good, tmp_path, env={"LOGLEVEL": "DEBUG"}),
        run_cli(config, bad_record, tmp_path),
    ]

    assert [result.returncode for result in outputs] == [0, 0, 1]
    for result in outputs:
        assert SECRET not in result.stdout + result.stderr
    assert "not-a-number" not in outputs[2].stderr  # record contents are not logged
    assert "Record id=1 of stream 'owners': field 'userId' fails 'type'" in outputs[2].stderr
    dump = json.dumps(
        [
            mysql_database.query(f"SELECT * FROM `{table}`")  # noqa: S608
            for (table,) in mysql_database.query("SHOW TABLES")
        ],
        default=str,
        ensure_ascii=False,
    )
    assert SECRET not in dump
    errors = mysql_database.query(
        "SELECT stream, error_message FROM _sync_runs WHERE status = 'error'"
    )
    assert [stream for stream, _ in errors] == ["owners"]
    with pymysql.connect(
        host=mysql_database.settings.host,
        port=mysql_database.settings.port,
        user=user_with_password,
        password=SECRET,
    ):
        pass  # the login really used the password

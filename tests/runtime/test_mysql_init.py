# ruff: noqa: S608 (statements name the generated test databases)
"""The compose init script, run on the local server: databases, users and least privilege."""

from __future__ import annotations

import os
import shlex
import subprocess
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pymysql
import pytest

from tests.mysql_settings import MySQLSettings

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docker" / "mysql" / "init" / "01-mirai-ai.sh"
# Passwords with quotes, backslashes and a `$`: the script must escape them.
PIPELINE_PASSWORD = "p'i\\pe$li\"ne;--"  # noqa: S105
AI_PASSWORD = "a'i\\"  # noqa: S105


def server() -> MySQLSettings:
    return MySQLSettings.from_env()


def run_script(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Source the script as the mysql image does; docker_process_sql talks to the test server."""
    settings = server()
    client = shlex.join(
        ["mysql", f"--host={settings.host}", f"--port={settings.port}", f"--user={settings.user}"]
    )
    shell = (
        f'docker_process_sql() {{ MYSQL_PWD="$TEST_ROOT_PASSWORD" {client} "$@"; }}\n'
        f"source {shlex.quote(str(SCRIPT))}\n"
    )
    return subprocess.run(
        ["bash", "-c", shell],
        env={**os.environ, **env, "TEST_ROOT_PASSWORD": settings.password},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def names() -> Iterator[dict[str, str]]:
    """Unique database and user names; everything made is dropped afterwards."""
    tag = uuid.uuid4().hex[:10]
    made = {
        "MIRAI_DATABASE": f"mirai_i_{tag}_marts",
        "MIRAI_RAW_DATABASE": f"mirai_i_{tag}_raw",
        "MIRAI_PIPELINE_USER": f"mt_p_{tag}",
        "MIRAI_PIPELINE_PASSWORD": PIPELINE_PASSWORD,
        "MIRAI_AI_USER": f"mt_a_{tag}",
        "MIRAI_AI_PASSWORD": AI_PASSWORD,
    }
    yield made
    with server().connect() as connection, connection.cursor() as cursor:
        for user in (made["MIRAI_PIPELINE_USER"], made["MIRAI_AI_USER"]):
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")
        for database in (made["MIRAI_DATABASE"], made["MIRAI_RAW_DATABASE"]):
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")


def login(user: str, password: str, database: str) -> pymysql.connections.Connection:
    settings = server()
    return pymysql.connect(
        host=settings.host,
        port=settings.port,
        user=user,
        password=password,
        database=database,
        autocommit=True,
    )


def allowed(connection: pymysql.connections.Connection, sql: str) -> bool:
    """Run one statement; False when the server denies it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    except pymysql.err.OperationalError as error:
        if error.args[0] in {1142, 1044, 1143, 1045}:  # access denied codes
            return False
        raise
    return True


def test_init_creates_databases_and_least_privilege_users(names: dict[str, str]) -> None:
    result = run_script(names)
    assert result.returncode == 0, result.stderr
    assert PIPELINE_PASSWORD not in result.stdout + result.stderr
    marts, raw = names["MIRAI_DATABASE"], names["MIRAI_RAW_DATABASE"]

    with server().connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT schema_name, default_character_set_name FROM information_schema.schemata "
            "WHERE schema_name IN (%s, %s) ORDER BY schema_name",
            (marts, raw),
        )
        assert cursor.fetchall() == ((marts, "utf8mb4"), (raw, "utf8mb4"))

    with login(names["MIRAI_PIPELINE_USER"], PIPELINE_PASSWORD, raw) as pipeline:
        assert allowed(pipeline, "CREATE TABLE companies (id BIGINT PRIMARY KEY, properties JSON)")
        assert allowed(pipeline, 'INSERT INTO companies VALUES (1, \'{"name": "東京不動産"}\')')
        assert allowed(
            pipeline, f"CREATE TABLE `{marts}`.companies (id BIGINT PRIMARY KEY, name TEXT)"
        )
        assert allowed(pipeline, f"INSERT INTO `{marts}`.companies SELECT id, 'x' FROM companies")
        assert allowed(
            pipeline, f"CREATE OR REPLACE VIEW `{marts}`.v AS SELECT id FROM `{marts}`.companies"
        )
        assert not allowed(pipeline, "CREATE DATABASE mirai_i_elsewhere")

    with login(names["MIRAI_AI_USER"], AI_PASSWORD, marts) as ai:
        assert allowed(ai, "SELECT id, name FROM companies")
        assert allowed(ai, "CREATE TABLE ai_migrations (number INT PRIMARY KEY)")
        assert allowed(ai, "CREATE TABLE ai_embeddings (id INT PRIMARY KEY, v BLOB)")
        assert allowed(ai, "INSERT INTO ai_embeddings VALUES (1, x'00')")
        assert allowed(ai, "DELETE FROM ai_embeddings")
        assert not allowed(ai, "INSERT INTO companies VALUES (2, 'y')")
        assert not allowed(ai, "UPDATE companies SET name = 'z'")
        assert not allowed(ai, "DROP TABLE companies")
        assert not allowed(ai, "CREATE TABLE ai_other (id INT)")
        assert not allowed(ai, "CREATE TABLE notes (id INT)")
        assert not allowed(ai, f"SELECT * FROM `{raw}`.companies")


def test_init_is_idempotent(names: dict[str, str]) -> None:
    assert run_script(names).returncode == 0
    second = run_script(names)
    assert second.returncode == 0, second.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MIRAI_DATABASE", "mirai`; DROP DATABASE x; --", "MIRAI_DATABASE must be"),
        ("MIRAI_PIPELINE_USER", "root", "must not be root"),
        ("MIRAI_AI_PASSWORD", "", "MIRAI_AI_PASSWORD is not set"),
    ],
)
def test_init_refuses_bad_settings_before_touching_the_server(
    names: dict[str, str], variable: str, value: str, message: str
) -> None:
    result = run_script({**names, variable: value})
    assert result.returncode != 0
    assert message in result.stderr
    with server().connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM mysql.user WHERE user = %s", (names["MIRAI_AI_USER"],))
        assert cursor.fetchone() == (0,)


def test_a_server_error_fails_the_init(names: dict[str, str]) -> None:
    shell = (
        "docker_process_sql() { cat >/dev/null; return 1; }\n"
        f"source {shlex.quote(str(SCRIPT))}\n"
        "echo after\n"
    )
    result = subprocess.run(
        ["bash", "-c", shell],
        env={**os.environ, **names},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "created" not in result.stdout
    assert "after" not in result.stdout, "the image's entrypoint stops at a failed init script"

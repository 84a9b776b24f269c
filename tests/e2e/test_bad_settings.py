"""Bad settings and secrets.

Each bad setting (no token, a wrong token, a missing scope, a wrong MySQL password, MySQL or
HubSpot unreachable) makes `meltano run tap-hubspot target-mysql dbt:build` exit non-zero with
one line naming the setting or scope, and writes nothing: the raw database holds no data rows
(the run log `_sync_runs` aside) and the marts database no rows at all.

Secrets: the runs use a dedicated MySQL user with a real password and a sandbox token of their
own. Neither (nor the wrong ones) appears in any output, nor in any file under the project's
`.meltano/run`, `.meltano/logs`, `transform/target`, `transform/logs` or the test's workdir.
"""

from __future__ import annotations

import contextlib
import socket
import uuid
from typing import TYPE_CHECKING

import pymysql
import pytest

from tests.e2e.helpers import SMALL_COUNTS, assert_ran, data_rows, output_of
from tests.e2e.marts import assert_marts_match
from tests.fixtures.pipeline import PROJECT_ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

#: Where the project writes while it runs (besides the test's workdir).
PROJECT_OUTPUTS = (".meltano/run", ".meltano/logs", "transform/target", "transform/logs")


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def secret_pipeline(pipeline: Pipeline) -> Iterator[Pipeline]:
    """The pipeline, logging in to MySQL as a user of its own with a real password."""
    user = f"mirai_e2e_{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex}"
    settings = pipeline.raw.settings
    admin = pymysql.connect(
        host=settings.host,
        port=settings.port,
        user=settings.user,
        password=settings.password,
        autocommit=True,
    )
    with admin.cursor() as cursor:
        cursor.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (user, password))
        for database in (pipeline.raw.name, pipeline.marts.name):
            cursor.execute(f"GRANT ALL PRIVILEGES ON `{database}`.* TO %s@'%%'", (user,))
    pipeline.extra_env.update({"MYSQL_USER": user, "MYSQL_PASSWORD": password})
    try:
        yield pipeline
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DROP USER IF EXISTS %s@'%%'", (user,))
        admin.close()


def secrets_found(secrets: list[str], texts: list[str], roots: list[Path]) -> list[str]:
    """Where any secret appears: `<secret #> in output #n` or `<secret #> in <file>`."""
    found: list[str] = []
    for index, secret in enumerate(secrets):
        found.extend(
            f"secret {index} in output {number}"
            for number, text in enumerate(texts)
            if secret in text
        )
        needle = secret.encode()
        for root in roots:
            if not root.exists():
                continue
            for path in root.rglob("*"):
                with contextlib.suppress(OSError):
                    if path.is_file() and needle in path.read_bytes():
                        found.append(f"secret {index} in {path}")
    return found


def assert_nothing_written(pipeline: Pipeline) -> None:
    """No data rows in the raw database, no rows in the marts."""
    assert data_rows(pipeline.raw) == {}
    assert data_rows(pipeline.marts) == {}


def one_line_with(output: str, *needles: str) -> str:
    """The first output line containing every needle (fails when there is none)."""
    for line in output.splitlines():
        if all(needle in line for needle in needles):
            return line
    msg = f"no line names {needles}:\n{output[-4000:]}"
    raise AssertionError(msg)


BAD_SETTINGS = {
    # case: (what to change, words the one clear line must contain)
    "no-token": ({"HUBSPOT_API_KEY": ""}, ("access_token",)),
    "wrong-token": ({"HUBSPOT_API_KEY": "pat-na1-wrong-RANDOM"}, ("401", "access_token")),
    "missing-scope": ({}, ("403", "crm.objects.deals.read")),
    "mysql-password": ({"MYSQL_PASSWORD": "Wrong-pw-RANDOM"}, ("'password'",)),
    "mysql-unreachable": ({"MYSQL_PORT": "CLOSED"}, ("'host'", "'port'")),
    "hubspot-unreachable": ({"HUBSPOT_BASE_URL": "http://127.0.0.1:CLOSED"}, ("base_url",)),
}


@pytest.mark.parametrize("case", list(BAD_SETTINGS))
def test_bad_setting_fails_clearly_and_writes_nothing(
    case: str, secret_pipeline: Pipeline, sandbox_factory
) -> None:
    pipeline = secret_pipeline
    changes, needles = BAD_SETTINGS[case]
    scopes = ("crm.objects.deals.read",) if case == "missing-scope" else ()
    sandbox = sandbox_factory(
        **SMALL_COUNTS, token=f"pat-na1-{uuid.uuid4()}", missing_scopes=scopes
    )
    pipeline.hubspot_base_url = sandbox.base_url
    pipeline.hubspot_token = sandbox.token
    secrets = [sandbox.token, pipeline.extra_env["MYSQL_PASSWORD"]]
    port = str(closed_port())
    for key, value in changes.items():
        value = value.replace("CLOSED", port).replace("RANDOM", uuid.uuid4().hex)  # noqa: PLW2901
        if key == "HUBSPOT_API_KEY":
            pipeline.hubspot_token = value
        elif key == "HUBSPOT_BASE_URL":
            pipeline.hubspot_base_url = value
        else:
            pipeline.extra_env[key] = value
        if key in {"HUBSPOT_API_KEY", "MYSQL_PASSWORD"} and value:
            secrets.append(value)

    completed = pipeline.run()

    output = output_of(completed)
    assert completed.returncode != 0, output[-4000:]
    one_line_with(output, *needles)
    assert_nothing_written(pipeline)
    assert secrets_found(secrets, [output], [pipeline.workdir]) == []


def test_no_secret_in_any_output_or_file(secret_pipeline: Pipeline, sandbox_factory) -> None:
    pipeline = secret_pipeline
    sandbox = sandbox_factory(**SMALL_COUNTS, token=f"pat-na1-{uuid.uuid4()}")
    pipeline.hubspot_base_url = sandbox.base_url
    pipeline.hubspot_token = sandbox.token
    password = pipeline.extra_env["MYSQL_PASSWORD"]
    secrets = [sandbox.token, password]
    outputs: list[str] = []

    completed = pipeline.run()  # a good run: its logs (dbt's too) must not hold secrets either
    outputs.append(output_of(completed))
    assert_ran(completed)
    assert_marts_match(pipeline.marts, sandbox.control)
    outputs.append(output_of(pipeline.meltano("config", "tap-hubspot", "list")))
    outputs.append(output_of(pipeline.meltano("config", "target-mysql", "list")))

    # A rejected token; a rejected password for the pipeline and for dbt alone.
    pipeline.hubspot_token = f"pat-na1-rejected-{uuid.uuid4().hex}"
    secrets.append(pipeline.hubspot_token)
    outputs.append(output_of(pipeline.run()))
    pipeline.hubspot_token = sandbox.token
    pipeline.extra_env["MYSQL_PASSWORD"] = f"Rejected-{uuid.uuid4().hex}"
    secrets.append(pipeline.extra_env["MYSQL_PASSWORD"])
    outputs.append(output_of(pipeline.run()))
    outputs.append(output_of(pipeline.run("dbt:build")))
    pipeline.extra_env["MYSQL_PASSWORD"] = password

    roots = [PROJECT_ROOT / path for path in PROJECT_OUTPUTS] + [pipeline.workdir]
    assert secrets_found(secrets, outputs, roots) == []

"""Loader benchmark: 50,000 HubSpot-like records through target-mysql, with and without validation.

For comparison, 1,000 records through thk-target-mysql 0.1.3 (MeltanoHub's default MySQL loader)
in a throwaway venv: once the same stream (it fails), once a variant it can load.

Run: ``.venv/bin/python bench/loader.py`` (``--records N``, ``--skip-thk``). Loads into throwaway
databases (``mirai_bench_*``, dropped afterwards) on the server named by the MYSQL_* variables,
prints a line per run and one JSON line with all results at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pymysql

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / ".venv" / "bin" / "target-mysql"
THK_VENV = Path("/tmp/thk-target-mysql-venv")  # noqa: S108 (throwaway venv, as the issue asks)
# thk-target-mysql 0.1.3 declares Python <=3.11 (i.e. 3.11.0) and needs mysqlclient, which does
# not build here: install it without dependencies under Python 3.10 and connect with PyMySQL.
THK_PYTHONS = [Path.home() / ".pyenv/versions/3.10.13/bin/python", Path("/usr/bin/python3.10")]
THK_DEPENDENCIES = [
    "cryptography>=41.0.2,<42",
    "requests>=2.25.1,<3",
    "singer-sdk>=0.30,<0.31",
    "pymysql==1.2.4",
]
STATE_EVERY = 1_000
THK_RECORDS = 1_000  # thk-target-mysql writes about 20 records/s here: 50,000 would take 40 min
STRING_PROPERTIES = 36
NUMBER_PROPERTIES = 10
BOOLEAN_PROPERTIES = 6
DATE_PROPERTIES = 8
WORDS = ["東京", "大阪", "株式会社", "Acme", "Widget", "不動産", "Sales", "😀", "North", "ocean"]
LOG_CONFIG = """version: 1
disable_existing_loggers: false
formatters: {plain: {format: "%(asctime)s %(levelname)s %(name)s %(message)s"}}
handlers: {stderr: {class: logging.StreamHandler, formatter: plain, stream: ext://sys.stderr}}
root: {level: INFO, handlers: [stderr]}
"""


def property_schema() -> dict[str, object]:
    """Return the JSON Schema of the ``properties`` map (about 60 typed HubSpot properties)."""
    properties: dict[str, object] = {}
    for index in range(STRING_PROPERTIES):
        properties[f"text_{index:02d}"] = {"type": ["null", "string"]}
    for index in range(NUMBER_PROPERTIES):
        properties[f"number_{index:02d}"] = {"type": ["null", "number"]}
    for index in range(BOOLEAN_PROPERTIES):
        properties[f"flag_{index:02d}"] = {"type": ["null", "boolean"]}
    for index in range(DATE_PROPERTIES):
        properties[f"when_{index:02d}"] = {"type": ["null", "string"], "format": "date-time"}
    return {"type": ["null", "object"], "properties": properties}


def schema_message(*, thk_variant: bool = False) -> dict[str, object]:
    """Return the SCHEMA message of the ``contacts`` stream, shaped as docs/interfaces.md.

    The thk variant caps the id at 255 characters: thk-target-mysql makes unbounded strings
    VARCHAR(1000), and a VARCHAR(1000) utf8mb4 primary key exceeds InnoDB's 3,072-byte limit.
    """
    timestamp = {"type": ["null", "string"], "format": "date-time"}
    return {
        "type": "SCHEMA",
        "stream": "contacts",
        "key_properties": ["id"],
        "schema": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "maxLength": 255} if thk_variant else {"type": "string"},
                "properties": property_schema(),
                "createdAt": timestamp,
                "updatedAt": timestamp,
                "lastmodifieddate": timestamp,
                "archived": {"type": ["null", "boolean"]},
                "archivedAt": timestamp,
            },
        },
    }


def record(
    rng: random.Random, index: int, start: dt.datetime, *, thk_variant: bool = False
) -> dict[str, object]:
    """Return one contact with about 60 properties, some of them null.

    The thk variant rounds amounts to integers: thk-target-mysql cannot write a JSON object
    holding a non-integer number ("Object of type Decimal is not JSON serializable").
    """
    when = (start + dt.timedelta(seconds=index * 7)).isoformat().replace("+00:00", "Z")
    properties: dict[str, object] = {}
    for number in range(STRING_PROPERTIES):
        value = " ".join(rng.choices(WORDS, k=rng.randint(1, 6)))
        properties[f"text_{number:02d}"] = None if rng.random() < 0.1 else value  # noqa: PLR2004
    for number in range(NUMBER_PROPERTIES):
        amount = round(rng.uniform(0, 1_000_000), 2)
        properties[f"number_{number:02d}"] = round(amount) if thk_variant else amount
    for number in range(BOOLEAN_PROPERTIES):
        properties[f"flag_{number:02d}"] = rng.random() < 0.5  # noqa: PLR2004
    for number in range(DATE_PROPERTIES):
        properties[f"when_{number:02d}"] = when
    return {
        "id": str(100_000 + index),
        "properties": properties,
        "createdAt": when,
        "updatedAt": when,
        "lastmodifieddate": when,
        "archived": False,
        "archivedAt": None,
    }


def write_input(path: Path, count: int, *, thk_variant: bool = False) -> None:
    """Write a Singer stream of ``count`` contacts with a STATE every 1,000 records."""
    rng = random.Random(1)  # noqa: S311 (test data)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    extracted = dt.datetime.now(dt.UTC).isoformat()
    with path.open("w", encoding="utf-8") as output:
        output.write(json.dumps(schema_message(thk_variant=thk_variant)) + "\n")
        for index in range(count):
            message = {
                "type": "RECORD",
                "stream": "contacts",
                "record": record(rng, index, start, thk_variant=thk_variant),
                "time_extracted": extracted,
            }
            output.write(json.dumps(message, ensure_ascii=False) + "\n")
            if (index + 1) % STATE_EVERY == 0 or index + 1 == count:
                state = {"bookmarks": {"contacts": {"replication_key_value": index}}}
                output.write(json.dumps({"type": "STATE", "value": state}) + "\n")


def server() -> dict[str, object]:
    """Return the MySQL connection settings from the MYSQL_* variables."""
    return {
        "host": os.environ.get("MYSQL_HOST", "127.0.0.1"),
        "port": int(os.environ.get("MYSQL_PORT", "3306")),
        "user": os.environ.get("MYSQL_USER", "root"),
        "password": os.environ.get("MYSQL_PASSWORD", ""),
    }


def drop(database: str) -> None:
    """Drop a benchmark database."""
    with pymysql.connect(**server(), autocommit=True) as connection:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")


def count_rows(database: str, table: str) -> int:
    """Count the rows a run loaded."""
    with pymysql.connect(**server(), database=database) as connection:
        cursor = connection.cursor()
        cursor.execute(f"SELECT COUNT(*) FROM `{table}`")  # noqa: S608
        return int(cursor.fetchone()[0])


def timed_run(command: list[str], input_path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a target on the input file; return its wall-clock and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with input_path.open("rb") as stdin:
        completed = subprocess.run(  # noqa: S603
            command,
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        lines = completed.stderr.decode(errors="replace").splitlines()
        errors = [line for line in lines if "Error" in line or "ERROR" in line] or lines or ["?"]
        raise TargetFailedError(errors[-1].strip()[:300])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


class TargetFailedError(RuntimeError):
    """A target exited with an error; the message is its last error line."""


def result(count: int, seconds: float, cpu: float, rows: int) -> dict[str, object]:
    """Summarize one run: wall time, records/s, the target's own CPU time and rows loaded."""
    return {
        "seconds": round(seconds, 2),
        "records_per_s": round(count / seconds),
        "target_cpu_s": round(cpu, 2),
        "records_per_target_cpu_s": round(count / cpu),
        "rows": rows,
        "load_average": round(os.getloadavg()[0], 1),
    }


def run_ours(input_path: Path, workdir: Path, count: int, *, validate: bool) -> dict[str, object]:
    """Load the input through our target into a fresh database."""
    database = f"mirai_bench_{uuid.uuid4().hex[:10]}"
    config = workdir / f"ours-{validate}.json"
    settings = {**server(), "database": database, "batch_size": 10_000}
    config.write_text(json.dumps({**settings, "validate_records": validate}))
    try:
        seconds, cpu = timed_run(
            [str(TARGET), "--config", str(config)], input_path, dict(os.environ)
        )
        loaded = count_rows(database, "contacts")
    finally:
        drop(database)
    return result(count, seconds, cpu, loaded)


def install_thk() -> Path:
    """Create the throwaway venv with thk-target-mysql 0.1.3 (once); return its executable."""
    executable = THK_VENV / "bin" / "target-mysql"
    if not executable.exists():
        python = next((str(p) for p in THK_PYTHONS if p.exists()), sys.executable)
        subprocess.run([python, "-m", "venv", str(THK_VENV)], check=True)  # noqa: S603
        pip = [str(THK_VENV / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, "setuptools<81"], check=True)  # noqa: S603 (old sdists need it)
        subprocess.run([*pip, *THK_DEPENDENCIES], check=True)  # noqa: S603
        subprocess.run([*pip, "--no-deps", "thk-target-mysql==0.1.3"], check=True)  # noqa: S603
    return executable


def run_thk(input_path: Path, workdir: Path, count: int) -> dict[str, object]:
    """Load an input through thk-target-mysql 0.1.3 (upserts on id, flattening off).

    Returns:
        The run's numbers, or the error it stopped with.
    """
    database = f"mirai_bench_{uuid.uuid4().hex[:10]}"
    settings = server()
    with pymysql.connect(**settings, autocommit=True) as connection:
        connection.cursor().execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    config = workdir / "thk.json"
    url = (
        f"mysql+pymysql://{settings['user']}:{settings['password']}@{settings['host']}:"
        f"{settings['port']}/{database}"
    )
    config.write_text(json.dumps({"sqlalchemy_url": url, "flattening_enabled": False}))
    log_config = workdir / "logging.yml"
    log_config.write_text(LOG_CONFIG)
    env = {**os.environ, "SINGER_SDK_LOG_CONFIG": str(log_config), "LOGLEVEL": "INFO"}
    try:
        command = [str(install_thk()), "--config", str(config)]
        seconds, cpu = timed_run(command, input_path, env)
        return result(count, seconds, cpu, count_rows(database, "contacts"))
    except (TargetFailedError, subprocess.CalledProcessError, OSError) as error:
        return {"error": str(error)}
    finally:
        drop(database)


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--skip-thk", action="store_true", help="do not run thk-target-mysql")
    arguments = parser.parse_args()
    results: dict[str, object] = {"benchmark": "loader", "records": arguments.records}
    with tempfile.TemporaryDirectory(prefix="bench-loader-") as directory:
        workdir = Path(directory)
        input_path = workdir / "contacts.singer"
        write_input(input_path, arguments.records)
        results["input_mb"] = round(input_path.stat().st_size / 1e6, 1)
        runs = [("target_mysql_no_validation", False), ("target_mysql_validation", True)]
        for name, validate in runs:
            results[name] = run_ours(input_path, workdir, arguments.records, validate=validate)
            print(f"{name}: {results[name]}", file=sys.stderr)
        if not arguments.skip_thk:
            same = workdir / "thk-same.singer"
            write_input(same, THK_RECORDS)
            results["thk_0_1_3_same_stream"] = run_thk(same, workdir, THK_RECORDS)
            variant = workdir / "thk-variant.singer"
            write_input(variant, THK_RECORDS, thk_variant=True)
            results["thk_0_1_3_variant"] = run_thk(variant, workdir, THK_RECORDS)
            for name in ("thk_0_1_3_same_stream", "thk_0_1_3_variant"):
                print(f"{name}: {results[name]}", file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

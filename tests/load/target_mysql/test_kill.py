"""SIGKILL mid-load then a rerun ends exactly right; STATE never runs ahead of the commits."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from typing import TYPE_CHECKING

from tests.load.target_mysql.helpers import EXECUTABLE, config_for, load, singer

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.mysql import MySQLDatabase

RECORDS = 4_000
RESENT = 150
STATE_EVERY = 50
SCHEMA = {
    "type": "SCHEMA",
    "stream": "contacts",
    "key_properties": ["id"],
    "schema": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "seq": {"type": "integer"},
            "properties": {"type": "object"},
        },
    },
}


def _write_input(path: Path) -> dict[str, int]:
    """Write the stream; return the expected final seq of every id (later versions win)."""
    messages: list[dict[str, object]] = [SCHEMA]
    expected: dict[str, int] = {}
    ids = [str(i) for i in range(RECORDS)] + [str(i) for i in range(RESENT)]
    for seq, record_id in enumerate(ids):
        record = {"id": record_id, "seq": seq, "properties": {"text": f"記録 {seq} " * 20}}
        messages.append({"type": "RECORD", "stream": "contacts", "record": record})
        expected[record_id] = seq
        if (seq + 1) % STATE_EVERY == 0:
            messages.append({"type": "STATE", "value": {"bookmarks": {"contacts": seq + 1}}})
    path.write_text(singer(*messages), encoding="utf-8")
    return expected


def test_sigkill_then_rerun_ends_exactly_right(
    mysql_database: MySQLDatabase, tmp_path: Path
) -> None:
    input_path = tmp_path / "contacts.singer"
    expected = _write_input(input_path)
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config_for(mysql_database, batch_size=100)))

    with (
        input_path.open("rb") as stdin,
        subprocess.Popen(
            [str(EXECUTABLE), "--config", str(config_path)],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        ) as process,
    ):
        assert process.stdout is not None
        states = [json.loads(process.stdout.readline()) for _ in range(4)]
        process.kill()
        process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    for state in states:  # every STATE emitted covers only committed rows
        covered = state["bookmarks"]["contacts"]
        committed = mysql_database.query("SELECT COUNT(*) FROM contacts WHERE seq < %s", (covered,))
        assert committed == [(covered,)]
    (loaded,) = mysql_database.query("SELECT COUNT(*) FROM contacts")[0]
    assert loaded < len(expected)  # the kill really came mid-load
    assert mysql_database.query("SELECT status FROM _sync_runs") == [("running",)]

    load(config_for(mysql_database, batch_size=100), input_path)

    rows = dict(mysql_database.query("SELECT id, seq FROM contacts"))
    assert rows == expected  # nothing lost, nothing doubled, re-sent records at their last version
    runs = mysql_database.query(
        "SELECT status, records_written, error_message FROM _sync_runs ORDER BY id"
    )
    assert runs[0][0] == "error"
    assert "Abandoned" in str(runs[0][2])
    assert runs[1] == ("success", RECORDS + RESENT, None)


def test_sigterm_stops_without_draining_and_logs_the_error(
    mysql_database: MySQLDatabase, tmp_path: Path
) -> None:
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config_for(mysql_database)))
    records = [
        {
            "type": "RECORD",
            "stream": "contacts",
            "record": {"id": str(i), "seq": i, "properties": {}},
        }
        for i in range(10)
    ]
    process = subprocess.Popen(
        [str(EXECUTABLE), "--config", str(config_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(singer(SCHEMA, *records, {"type": "STATE", "value": {"at": 10}}))
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _tables(mysql_database):
        time.sleep(0.2)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 1
    assert stdout == ""  # no STATE: the 10 buffered records were never committed
    assert "Terminated by SIGTERM" in stderr
    assert mysql_database.query("SELECT COUNT(*) FROM contacts") == [(0,)]
    assert mysql_database.query("SELECT status, error_message FROM _sync_runs") == [
        ("error", "TerminatedError: Terminated by SIGTERM before the input ended")
    ]


def _tables(database: MySQLDatabase) -> bool:
    return ("contacts",) in database.query("SHOW TABLES")

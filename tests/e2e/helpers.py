"""Helpers of the end-to-end reliability tests: background runs, plugin processes, state, rows."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.e2e.marts import ASSOCIATION_MARTS, OBJECT_MARTS
from tests.fixtures.pipeline import MELTANO, PROJECT_ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

    from hubspot_sandbox.control import SandboxControl

    from tests.fixtures.mysql import MySQLDatabase
    from tests.fixtures.pipeline import Pipeline

#: The tap reads up to (server time - safety margin); move the sandbox clock past it after mutating.
PAST_SAFETY_MARGIN_SECONDS = 180
STATE_ID = "dev:tap-hubspot-to-target-mysql"
OBJECT_STREAMS = ("companies", "contacts", "deals", "bukken")
#: Small, explicit sandbox counts: quick runs on a shared 2-core machine.
SMALL_COUNTS: dict[str, int] = {
    "owners": 3,
    "companies": 30,
    "contacts": 60,
    "deals": 40,
    "bukken": 20,
}


def assert_ran(completed: subprocess.CompletedProcess[str]) -> None:
    """A pipeline run exited 0 (show its output tail otherwise)."""
    assert completed.returncode == 0, completed.stderr[-6000:]


def output_of(completed: subprocess.CompletedProcess[str]) -> str:
    """Everything a run printed."""
    return (completed.stdout or "") + (completed.stderr or "")


def meltano_state(pipeline: Pipeline) -> dict[str, Any]:
    """The Singer state Meltano holds for the pipeline (empty when there is none)."""
    completed = pipeline.meltano("state", "get", STATE_ID, timeout=120)
    if completed.returncode != 0:
        return {}
    text = completed.stdout.strip()
    start = text.find("{")
    return json.loads(text[start:]) if start >= 0 else {}


def bookmarks(state: dict[str, Any]) -> dict[str, Any]:
    """The `bookmarks` of a state (Meltano wraps it in `singer_state`)."""
    singer = state.get("singer_state", state)
    return dict(singer.get("bookmarks") or {})


# ---- raw and mart rows ------------------------------------------------------------------------


def raw_tables(raw: MySQLDatabase) -> list[str]:
    """Every stream table of the raw database (not the run log)."""
    rows = raw.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
        (raw.name,),
    )
    return sorted(str(row[0]) for row in rows if not str(row[0]).startswith("_"))


def raw_row_count(raw: MySQLDatabase) -> int:
    """Rows in every stream table of the raw database."""
    tables = raw_tables(raw)
    if not tables:
        return 0
    union = " UNION ALL ".join(f"SELECT COUNT(*) FROM `{table}`" for table in tables)  # noqa: S608
    return sum(int(row[0]) for row in raw.query(union))  # type: ignore[call-overload]


def raw_live_rows(raw: MySQLDatabase, table: str) -> dict[str, tuple[Any, ...]]:
    """id -> (hs_lastmodifieddate, properties JSON) of the live rows of a raw object table."""
    try:
        rows = raw.query(
            f"SELECT id, hs_lastmodifieddate, properties FROM `{table}` "  # noqa: S608
            "WHERE _sdc_deleted_at IS NULL"
        )
    except Exception:  # noqa: BLE001 - a table not created yet holds nothing
        return {}
    return {str(row[0]): (row[1], row[2]) for row in rows}


def assert_no_duplicates(marts: MySQLDatabase) -> None:
    """Every mart holds each object once and each association pair once."""
    for table in (*OBJECT_MARTS, "owners"):
        total, distinct = marts.query(
            f"SELECT COUNT(*), COUNT(DISTINCT id) FROM `{table}`"  # noqa: S608
        )[0]
        assert total == distinct, table
    for table, (_, _, left, right) in ASSOCIATION_MARTS.items():
        total, distinct = marts.query(
            f"SELECT COUNT(*), COUNT(DISTINCT `{left}`, `{right}`) FROM `{table}`"  # noqa: S608
        )[0]
        assert total == distinct, table


def data_rows(database: MySQLDatabase) -> dict[str, int]:
    """Row counts of every table of a database that has rows (the run log `_sync_runs` aside)."""
    rows = database.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
        (database.name,),
    )
    counts: dict[str, int] = {}
    for (table,) in rows:
        if str(table) == "_sync_runs":
            continue
        (count,) = database.query(f"SELECT COUNT(*) FROM `{table}`")[0]  # noqa: S608
        if count:
            counts[str(table)] = int(count)  # type: ignore[call-overload]
    return counts


def modified_ms(record: dict[str, Any], object_type: str) -> int:
    """A truth record's last-modified time in epoch milliseconds."""
    prop = "lastmodifieddate" if object_type == "contacts" else "hs_lastmodifieddate"
    value = str(record["properties"][prop])
    if value.isdigit():
        return int(value)
    from tap_hubspot.values import parse_datetime  # noqa: PLC0415 - test-only import

    return int(parse_datetime(value).timestamp() * 1000)


def assert_state_behind_commits(
    pipeline: Pipeline, control: SandboxControl, state: dict[str, Any]
) -> None:
    """Every live record the state's bookmarks claim as loaded is committed in the raw tables.

    A bookmark V of an object stream says: every record modified at or before V is loaded. So
    each live truth record modified at or before V must be a live raw row with that same
    modification time or a newer one.
    """
    from tap_hubspot.values import parse_datetime  # noqa: PLC0415 - test-only import

    for stream, bookmark in bookmarks(state).items():
        if stream not in OBJECT_STREAMS or not bookmark.get("replication_key_value"):
            continue
        claimed = parse_datetime(str(bookmark["replication_key_value"])).timestamp() * 1000
        raw = raw_live_rows(pipeline.raw, stream)
        missing = []
        for record in control.truth(stream):
            if modified_ms(record, stream) > claimed:
                continue
            stored = raw.get(record["id"])
            if stored is None or stored[0] is None:
                missing.append(record["id"])
                continue
            stored_ms = int(stored[0].replace(tzinfo=dt.UTC).timestamp() * 1000)
            if stored_ms < modified_ms(record, stream):
                missing.append(record["id"])
        assert not missing, f"state {bookmark} of {stream} claims uncommitted records {missing[:5]}"


# ---- runs in the background and their plugin processes ----------------------------------------


@dataclass
class BackgroundRun:
    """A `meltano run` started in the background, output going to files in the workdir."""

    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def wait(self, timeout: float = 600) -> int:
        """Wait for the run to end and return its exit code."""
        return self.process.wait(timeout=timeout)

    def output(self) -> str:
        """Everything the run printed so far."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")


def start_run(pipeline: Pipeline, *blocks: str, name: str = "run") -> BackgroundRun:
    """Start `meltano run <blocks>` (default tap and target only) without waiting."""
    stdout = pipeline.workdir / f"{name}.stdout"
    stderr = pipeline.workdir / f"{name}.stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [str(MELTANO), "run", *(blocks or ("tap-hubspot", "target-mysql"))],
            cwd=PROJECT_ROOT,
            env=pipeline.env(),
            stdout=out,
            stderr=err,
        )
    return BackgroundRun(process, stdout, stderr)


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids of every process, read from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _argv(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def find_plugin(root: int, executable: str) -> int | None:
    """The pid of the plugin process (`tap-hubspot`, `target-mysql`) below the meltano process."""
    tree = _children()
    pending = list(tree.get(root, []))
    while pending:
        pid = pending.pop()
        argv = _argv(pid)
        if any(Path(arg).name == executable for arg in argv[:2]):
            return pid
        pending.extend(tree.get(pid, []))
    return None


def kill_when(
    run: BackgroundRun,
    executable: str,
    ready: Callable[[], bool],
    *,
    timeout: float = 240,
) -> bool:
    """SIGKILL the plugin process as soon as `ready()` holds; False when the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run.process.poll() is not None:
            return False
        if ready():
            pid = find_plugin(run.process.pid, executable)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                return True
        time.sleep(0.02)
    msg = f"{executable} was not killed within {timeout} s"
    raise AssertionError(msg)

# ruff: noqa: T201 (a command line stand-in prints)
"""A stand-in for the `meltano` command, driven by FAKE_MELTANO_* variables.

- `schedule list --format=json` prints FAKE_MELTANO_SCHEDULES.
- `run <job>` appends one JSON line (argv, pid, MELTANO_RUN_FULL_REFRESH) to FAKE_MELTANO_LOG,
  sleeps FAKE_MELTANO_SLEEP seconds and exits with the code FAKE_MELTANO_EXITS gives the job
  (`job=code,...`). On SIGTERM it logs `term` and exits 143, unless FAKE_MELTANO_ON_TERM=ignore.
  FAKE_MELTANO_CHILD=1 starts a grandchild (`sleep`) first and logs its pid.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def log(event: dict[str, object]) -> None:
    path = os.environ.get("FAKE_MELTANO_LOG")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")


def on_term(signum: int, _frame: object) -> None:
    log({"event": "term", "signal": signum, "pid": os.getpid()})
    sys.exit(143)


def run(job: str) -> int:
    if os.environ.get("FAKE_MELTANO_ON_TERM", "exit") == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, on_term)
    grandchild = None
    if os.environ.get("FAKE_MELTANO_CHILD") == "1":
        grandchild = subprocess.Popen(["sleep", "60"])
    log(
        {
            "event": "start",
            "argv": sys.argv[1:],
            "pid": os.getpid(),
            "full_refresh": os.environ.get("MELTANO_RUN_FULL_REFRESH"),
            "grandchild": grandchild.pid if grandchild else None,
        }
    )
    deadline = time.monotonic() + float(os.environ.get("FAKE_MELTANO_SLEEP", "0"))
    while time.monotonic() < deadline:
        time.sleep(0.02)
    exits = dict(
        item.split("=", 1) for item in os.environ.get("FAKE_MELTANO_EXITS", "").split(",") if item
    )
    code = int(exits.get(job, "0"))
    log({"event": "end", "argv": sys.argv[1:], "exit": code})
    return code


def main() -> int:
    arguments = sys.argv[1:]
    if arguments[:2] == ["schedule", "list"]:
        print(os.environ.get("FAKE_MELTANO_SCHEDULES", '{"schedules": {"job": [], "elt": []}}'))
        return int(os.environ.get("FAKE_MELTANO_LIST_EXIT", "0"))
    if arguments[:1] == ["run"]:
        return run(arguments[-1])
    print(f"fake meltano: unsupported {arguments}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

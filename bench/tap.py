"""tap-hubspot benchmark on a medium-scale sandbox.

Run: ``.venv/bin/python bench/tap.py`` (``--scale``, ``--skip-limited``, ``--skip-meltanolabs``).
Starts the HubSpot API sandbox in this process and runs ``tap-hubspot`` as a subprocess, twice:

1. limits off (sandbox and tap): requests per 1,000 object records and records/s;
2. the sandbox's real limits (100 per 10 s, search 5/s) with the tap's defaults: wall time
   against the bound requests / allowed rate (general requests / 10 per s + search / 5 per s);

and, unless ``--skip-meltanolabs``, MeltanoLabs' ``meltano-tap-hubspot==0.10.1`` (in a throwaway
venv under /tmp) with limits off on the same data, for comparison.

Prints a line per run and one JSON line with all results at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "extract"))

from hubspot_sandbox.config import RuntimeSettings, SandboxConfig, scale_counts  # noqa: E402
from hubspot_sandbox.control import SandboxControl  # noqa: E402
from hubspot_sandbox.server import RunningSandbox, start_sandbox  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Mapping

TAP = ROOT / ".venv" / "bin" / "tap-hubspot"
OBJECT_STREAMS = ("companies", "contacts", "deals", "bukken")
SEARCH = "POST /crm/v3/objects/{objectType}/search"
GENERAL_PER_SECOND = 100 / 10
SEARCH_PER_SECOND = 5
MELTANOLABS_VENV = Path("/tmp/meltanolabs-tap-hubspot-venv")  # noqa: S108 (throwaway, as asked)
MELTANOLABS_PIP = "meltano-tap-hubspot==0.10.1"
# MeltanoLabs' tap hard-codes https://api.hubapi.com and discovers ~30 object types the sandbox
# does not serve: point its URLs at the sandbox and keep the streams both taps share.
MELTANOLABS_WRAPPER = """
import os, sys
import tap_hubspot.client as client, tap_hubspot.streams as streams
base = os.environ["SANDBOX_BASE_URL"]
for module in (client, streams):
    for obj in list(vars(module).values()):
        if isinstance(obj, type) and isinstance(obj.__dict__.get("url_base"), property):
            get = obj.__dict__["url_base"].fget
            obj.url_base = property(lambda s, g=get: g(s).replace("https://api.hubapi.com", base))
from tap_hubspot.tap import TapHubspot
keep = (streams.CompanyStream, streams.ContactStream, streams.DealStream, streams.OwnersStream)
TapHubspot.discover_streams = lambda self: [cls(tap=self) for cls in keep]
sys.exit(TapHubspot.cli())
"""


@dataclasses.dataclass
class RunResult:
    """One tap run as the sandbox saw it."""

    seconds: float
    requests: int
    search_requests: int
    object_records: int
    all_records: int
    statuses: dict[str, int]
    distinct_object_ids: int

    @property
    def general_requests(self) -> int:
        """Requests that count against the 10-second budget."""
        return self.requests - self.search_requests


def run_tap(
    sandbox: RunningSandbox, config: Mapping[str, object], command: list[str] | None = None
) -> RunResult:
    """Run a tap once (full run) and count its messages and the sandbox's requests."""
    control = SandboxControl(sandbox.base_url)
    control.reset_stats()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603
            [*(command or [str(TAP)]), "--config", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "SANDBOX_BASE_URL": sandbox.base_url},
        )
        seconds = time.monotonic() - started
    records: Counter[str] = Counter()
    ids: dict[str, set[str]] = {name: set() for name in OBJECT_STREAMS}
    for line in completed.stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            records[message["stream"]] += 1
            if message["stream"] in ids:
                ids[message["stream"]].add(str(message["record"]["id"]))
    stats = control.stats()
    result = RunResult(
        seconds=round(seconds, 2),
        requests=int(stats["total"]),
        search_requests=int(stats["endpoints"].get(SEARCH, 0)),
        object_records=sum(records[name] for name in OBJECT_STREAMS),
        all_records=sum(records.values()),
        statuses={str(k): int(v) for k, v in stats["statuses"].items()},
        distinct_object_ids=sum(len(found) for found in ids.values()),
    )
    print(json.dumps(dataclasses.asdict(result)), file=sys.stderr)
    return result


def meltanolabs(sandbox: RunningSandbox) -> dict[str, object]:
    """MeltanoLabs' tap on the same data (companies, contacts, deals, owners; no associations)."""
    python = MELTANOLABS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MELTANOLABS_VENV)], check=True)  # noqa: S603
        pip = [str(MELTANOLABS_VENV / "bin" / "pip"), "install", "-q", MELTANOLABS_PIP]
        subprocess.run(pip, check=True)  # noqa: S603
    control = SandboxControl(sandbox.base_url)
    live = sum(len(control.truth(name)) for name in ("companies", "contacts", "deals"))
    config = {"access_token": sandbox.token, "start_date": "2000-01-01T00:00:00Z"}
    run = run_tap(sandbox, config, [str(python), "-c", MELTANOLABS_WRAPPER])
    return {
        "object_records": run.object_records,
        "distinct_object_ids": run.distinct_object_ids,
        "live_objects_in_sandbox": live,
        "requests": run.requests,
        "requests_per_1000_object_records": round(1000 * run.requests / run.object_records, 2),
        "object_records_per_second_limits_off": round(run.object_records / run.seconds, 1),
        "seconds_limits_off": run.seconds,
    }


def main() -> int:
    """Run the benchmark and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--skip-limited", action="store_true")
    parser.add_argument("--skip-meltanolabs", action="store_true")
    args = parser.parse_args()
    sandbox = start_sandbox(
        SandboxConfig(counts=scale_counts(args.scale), runtime=RuntimeSettings(rate_limits=False))
    )
    base = {"access_token": sandbox.token, "base_url": sandbox.base_url}
    try:
        free = run_tap(
            sandbox, {**base, "rate_limit_per_10s": 10**9, "search_rate_per_second": 10**9}
        )
        result: dict[str, object] = {
            "scale": args.scale,
            "object_records": free.object_records,
            "requests": free.requests,
            "requests_per_1000_object_records": round(
                1000 * free.requests / free.object_records, 2
            ),
            "requests_per_1000_records": round(1000 * free.requests / free.all_records, 2),
            "records_per_second_limits_off": round(free.all_records / free.seconds, 1),
            "object_records_per_second_limits_off": round(free.object_records / free.seconds, 1),
            "seconds_limits_off": free.seconds,
        }
        if not args.skip_meltanolabs:
            result["meltanolabs"] = meltanolabs(sandbox)
        if not args.skip_limited:
            SandboxControl(sandbox.base_url).configure(rate_limits=True)
            limited = run_tap(sandbox, base)
            bound = (
                limited.general_requests / GENERAL_PER_SECOND
                + limited.search_requests / SEARCH_PER_SECOND
            )
            result |= {
                "limited_seconds": limited.seconds,
                "limited_bound_seconds": round(bound, 2),
                "limited_over_bound": round(limited.seconds / bound, 3),
                "limited_429s": limited.statuses.get("429", 0),
            }
    finally:
        sandbox.stop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

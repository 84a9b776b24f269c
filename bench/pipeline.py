"""Pipeline benchmark: `meltano run tap-hubspot target-mysql dbt:build` against the sandbox.

The sandbox enforces HubSpot's Free/Starter limits (100 requests per 10 s, search 5 per second) and
injects 8 % faults (429 without Retry-After, 502/524 HTML, slow responses): the budget of issue 8.
Measures a full run, an incremental run with no changes (requests, seconds) and one with 1 % of the
object records changed (seconds). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "extract"))

from hubspot_sandbox.config import RuntimeSettings, SandboxConfig, scale_counts  # noqa: E402
from hubspot_sandbox.control import SandboxControl  # noqa: E402
from hubspot_sandbox.server import start_sandbox  # noqa: E402

from tests.fixtures.mysql import create_database, drop_database  # noqa: E402
from tests.fixtures.pipeline import Pipeline  # noqa: E402

#: The property each object type gets changed in, for the 1 % run.
CHANGED_PROPERTY = {
    "companies": "name",
    "contacts": "jobtitle",
    "deals": "dealname",
    "bukken": "bukken_name",
}
OBJECTS = tuple(CHANGED_PROPERTY)
PAST_SAFETY_MARGIN_SECONDS = 180


def timed_run(pipeline: Pipeline, control: SandboxControl) -> dict[str, float]:
    """One pipeline run: seconds and HubSpot requests; fails loudly when the run fails."""
    control.reset_stats()
    started = time.monotonic()
    completed = pipeline.run()
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        sys.exit(f"pipeline run failed:\n{completed.stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "requests": control.stats()["total"]}


def change_share(control: SandboxControl, share: float) -> int:
    """Update `share` of the live records of every object type; return how many."""
    changed = 0
    for object_type in OBJECTS:
        records = control.truth(object_type)
        name = CHANGED_PROPERTY[object_type]
        for record in records[: max(1, int(len(records) * share))]:
            value = f"{record['properties'].get(name) or ''} (更新)"
            control.update(object_type, record["id"], {name: value})
            changed += 1
    return changed


def main() -> int:
    """Run the three pipeline runs on one sandbox and print the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--fault-rate", type=float, default=0.08)
    arguments = parser.parse_args()

    config = SandboxConfig(
        counts=scale_counts(arguments.scale),
        seed=1,
        token="sandbox-token",  # noqa: S106 - the sandbox's public token
        runtime=RuntimeSettings(rate_limits=True, fault_rate=arguments.fault_rate),
    )
    sandbox = start_sandbox(config)
    control = SandboxControl(sandbox.base_url)
    records = sum(len(control.truth(object_type)) for object_type in OBJECTS)
    raw, marts = create_database("bench_raw"), create_database("bench_marts")
    try:
        with tempfile.TemporaryDirectory() as workdir:
            pipeline = Pipeline(raw=raw, marts=marts, workdir=Path(workdir))
            pipeline.hubspot_base_url = sandbox.base_url
            full = timed_run(pipeline, control)
            control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
            idle = timed_run(pipeline, control)
            changed = change_share(control, arguments.changed)
            control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)
            incremental = timed_run(pipeline, control)
    finally:
        drop_database(raw)
        drop_database(marts)
        sandbox.stop()
    print(
        json.dumps(
            {
                "scale": arguments.scale,
                "limits": "Free/Starter (100 per 10 s, search 5/s)",
                "fault_rate": arguments.fault_rate,
                "object_records": records,
                "full_run": full,
                "incremental_no_changes": idle,
                "incremental_changed": {**incremental, "changed_records": changed},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

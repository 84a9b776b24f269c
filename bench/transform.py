"""Benchmark of the dbt project: full build vs incremental build with 1 % changed records.

Generates medium-like raw tables (docs/interfaces.md section 3) directly: by default 5k companies,
20k contacts, 10k deals, 3k bukken with 60 properties each, associations and a run log; then times
`dbt build` on empty marts (full), `dbt build` after 1 % of the records of every object changed
(incremental) and `dbt build` with nothing changed. Prints one JSON line at the end.

    .venv/bin/python bench/transform.py [--scale 1.0] [--changed 0.01] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.mysql import create_database, drop_database  # noqa: E402
from tests.transform.dbt import DbtRunner  # noqa: E402
from tests.transform.raw import RawWriter, association, now  # noqa: E402

COUNTS = {"companies": 5000, "contacts": 20000, "deals": 10000, "bukken": 3000}
KINDS = ["string"] * 40 + ["number"] * 10 + ["datetime"] * 5 + ["bool"] * 3 + ["date"] * 2
NAMED = {
    "companies": ["name", "domain", "city", "state", "industry", "phone"],
    "contacts": ["firstname", "lastname", "email", "phone", "company", "jobtitle"],
    "deals": ["dealname", "dealstage", "pipeline"],
    "bukken": ["bukken_name", "bukken_state", "bukken_city", "bukken_address"],
}
WORDS = ["東京", "大阪", "物件", "マンション", "株式会社", "営業", "Tokyo", "tower", "🏠", "港区"]
BATCH = 1000


def definitions(object_type: str) -> list[tuple[str, str]]:
    """60 properties: the documented ones first, then custom ones of every type."""
    named = [(name, "string") for name in NAMED[object_type]]
    custom = [(f"custom_{i:02d}", KINDS[i]) for i in range(len(named), len(KINDS))]
    return named + custom


def value(kind: str, rng: random.Random) -> Any:  # noqa: ANN401
    """A random value of a HubSpot type (some empty)."""
    if rng.random() < 0.1:  # noqa: PLR2004
        return None
    if kind == "number":
        return round(rng.uniform(0, 1e9), 2)
    if kind == "bool":
        return rng.random() < 0.5  # noqa: PLR2004
    if kind == "date":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "datetime":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:30:00.123Z"
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8)))


def record(object_type: str, rng: random.Random) -> dict[str, Any]:
    """The properties of one record."""
    return {name: value(kind, rng) for name, kind in definitions(object_type)}


def load(writer: RawWriter, counts: dict[str, int], rng: random.Random) -> None:
    """Definitions, objects, associations and one run log entry per stream."""
    at = now() - timedelta(minutes=30)
    for object_type, count in counts.items():
        writer.definitions(object_type, definitions(object_type), at=at)
        for start in range(1, count + 1, BATCH):
            batch = range(start, min(start + BATCH, count + 1))
            writer.objects(object_type, [(i, record(object_type, rng)) for i in batch], at=at)
    writer.owners([{"id": i, "email": f"owner{i}@example.jp"} for i in range(1, 51)], at=at)
    label = ("USER_DEFINED", 40, "キーマン")
    primary = ("HUBSPOT_DEFINED", 2, "Primary")
    plan = {
        "associations_companies_contacts": ("companies", "contacts", 4),
        "associations_deals_companies": ("deals", "companies", 1),
        "associations_deals_contacts": ("deals", "contacts", 1),
        "associations_deals_bukken": ("deals", "bukken", 1),
        "associations_contacts_bukken": ("contacts", "bukken", 1),
    }
    for stream, (source, target, fanout) in plan.items():
        rows = []
        for from_id in range(1, counts[source] + 1):
            targets = {rng.randint(1, counts[target]) for _ in range(fanout)}
            rows.append(
                (
                    from_id,
                    [
                        association(to_id, primary if n == 0 else label)
                        for n, to_id in enumerate(targets)
                    ],
                )
            )
        for start in range(0, len(rows), BATCH):
            writer.associations(stream, rows[start : start + BATCH], at=at)
    for stream in ("companies", "contacts", "deals", "bukken", "owners"):
        writer.sync_run(
            "bench-1",
            stream,
            started_at=at,
            finished_at=at,
            status="success",
            records=counts.get(stream, 50),
        )


def change(writer: RawWriter, counts: dict[str, int], share: float, rng: random.Random) -> int:
    """Update `share` of every object's records (a new load); return how many changed."""
    at = now()
    changed = 0
    for object_type, count in counts.items():
        picked = rng.sample(range(1, count + 1), max(1, int(count * share)))
        writer.objects(object_type, [(i, record(object_type, rng)) for i in picked], at=at)
        changed += len(picked)
    for stream in ("companies", "contacts", "deals", "bukken", "owners"):
        writer.sync_run(
            "bench-2", stream, started_at=at, finished_at=at, status="success", records=changed
        )
    return changed


def timed_build(dbt: DbtRunner) -> float:
    """Seconds of one `dbt build` (which must pass)."""
    started = time.perf_counter()
    dbt.run("build")
    return round(time.perf_counter() - started, 2)


def main() -> int:
    """Run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the record counts")
    parser.add_argument("--changed", type=float, default=0.01, help="share of changed records")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    counts = {name: max(1, int(count * args.scale)) for name, count in COUNTS.items()}
    rng = random.Random(1)  # noqa: S311
    raw, marts = create_database("bench_raw"), create_database("bench_marts")
    try:
        with raw.connect() as connection, tempfile.TemporaryDirectory() as work_dir:
            writer = RawWriter(connection)
            writer.create_tables()
            started = time.perf_counter()
            load(writer, counts, rng)
            load_seconds = round(time.perf_counter() - started, 2)
            dbt = DbtRunner(raw.name, marts.name, Path(work_dir))
            full = timed_build(dbt)
            changed = change(writer, counts, args.changed, rng)
            incremental = timed_build(dbt)
            unchanged = timed_build(dbt)
        result = {
            "benchmark": "transform",
            "records": counts,
            "properties_per_object": len(KINDS),
            "changed_records": changed,
            "raw_load_seconds": load_seconds,
            "full_build_seconds": full,
            "incremental_build_seconds": incremental,
            "no_change_build_seconds": unchanged,
            "incremental_share_of_full": round(incremental / full, 3),
            "goal_incremental_share": 0.2,
        }
    finally:
        if not args.keep:
            drop_database(raw)
            drop_database(marts)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

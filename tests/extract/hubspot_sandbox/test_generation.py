"""Generated data: determinism, realism, edge cases, extra properties and speed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from hubspot_sandbox.config import SCALES, SandboxConfig
from hubspot_sandbox.generate import generate

TYPES = ("contacts", "companies", "deals", "bukken")


def _when(iso):
    return datetime.fromisoformat(iso)


def test_same_seed_same_data_other_seed_other_data(sandbox_factory):
    first, second, other = (sandbox_factory(seed=s).control for s in (1, 1, 2))
    for object_type in TYPES:
        assert first.truth(object_type) == second.truth(object_type)
        assert first.truth(object_type, archived=True) == second.truth(object_type, archived=True)
    assert first.truth_associations("companies", "contacts") == second.truth_associations(
        "companies", "contacts"
    )
    assert first.owners() == second.owners()
    assert first.truth("contacts") != other.truth("contacts")


def test_dates_span_years_in_the_past(sandbox):
    now = datetime.now(UTC)
    stamps = [
        _when(r[key])
        for object_type in TYPES
        for archived in (False, True)
        for r in sandbox.control.truth(object_type, archived=archived)
        for key in ("createdAt", "updatedAt")
    ]
    assert max(stamps) <= now
    assert min(stamps) <= now - timedelta(days=5 * 365)
    assert any(s.microsecond == 0 for s in stamps)
    assert any(s.microsecond != 0 for s in stamps)


def test_realistic_japanese_content_and_edge_cases(sandbox):
    control = sandbox.control
    contacts = [r["properties"] for r in control.truth("contacts")]
    companies = [r["properties"] for r in control.truth("companies")]
    bukken = [r["properties"] for r in control.truth("bukken")]
    deals = [r["properties"] for r in control.truth("deals")]
    assert all(c["lastname"] and c["firstname"] for c in contacts)
    assert any(c["company"] for c in contacts)
    assert {"東京都", "大阪府"} <= {b["bukken_state"] for b in bukken}
    assert all(b["bukken_address"].startswith(b["bukken_state"] + b["bukken_city"]) for b in bukken)
    every = [
        value
        for group in (contacts, companies, bukken, deals)
        for p in group
        for value in p.values()
    ]
    assert "" in every
    assert None in every
    assert "N/A" in every
    assert "1,234.5" in every
    assert any(v and any(ord(ch) > 0xFFFF for ch in v) for v in every), "emoji"
    assert any(v and len(v) >= 70_000 for v in every), "very long text"
    assert any(";" in (c["preferred_area"] or "") for c in contacts), "multi-select values"
    owners = control.owners()
    assert 10 <= len(owners) <= 50
    assert any(o["teams"] for o in owners)
    owner_ids = {o["id"] for o in owners}
    assert all(c["hubspot_owner_id"] in owner_ids for c in contacts if c["hubspot_owner_id"])


def test_archived_records_exist_for_every_type(sandbox):
    for object_type in TYPES:
        archived = sandbox.control.truth(object_type, archived=True)
        assert archived
        assert all(r["archived"] is True and r["archivedAt"] for r in archived)


def test_extra_properties_with_long_and_clashing_names(sandbox_factory, api_for):
    handle = sandbox_factory(extra_properties=((1000, "contacts"), (5, "bukken")))
    api = api_for(handle)
    names = [p["name"] for p in api.get("/crm/v3/properties/contacts").json()["results"]]
    assert len(names) >= 1000
    assert {"id", "created_at", "last_synced_at"} <= set(names)
    assert max(len(n) for n in names) == 90
    record = handle.control.truth("contacts")[0]
    assert len(record["properties"]) == len(names)
    assert (
        sum(v is not None for k, v in record["properties"].items() if k.startswith("extra_prop_"))
        >= 1
    )
    bukken = [p["name"] for p in api.get("/crm/v3/properties/p_bukken").json()["results"]]
    assert "created_at" in bukken


def test_scales_and_explicit_counts(sandbox_factory):
    info = sandbox_factory(companies=7, contacts=30, deals=12, bukken=5, owners=3).control.info()
    assert info["counts"] == {"companies": 7, "contacts": 30, "deals": 12, "bukken": 5}
    assert info["owners"] == 3
    assert SCALES["large"].total() >= 100_000


@pytest.mark.parametrize("scale", ["small", "medium", "large"])
def test_generation_speed_is_reported(scale, capsys):
    started = time.perf_counter()
    dataset = generate(SandboxConfig(counts=SCALES[scale]))
    seconds = time.perf_counter() - started
    records = sum(len(r) for r in dataset.records.values())
    links = sum(len(x) for index in dataset.edges.values() for x in index.values()) // 2
    with capsys.disabled():
        print(f"\n[sandbox] {scale}: {records} records, {links} associations in {seconds:.2f} s")  # noqa: T201 - the speed report
    assert records == SCALES[scale].total()

"""Full and incremental runs against the sandbox: complete, typed, versioned."""

from __future__ import annotations

from tap_hubspot.values import parse_value

from .conftest import OBJECTS, later, run_tap

PAIRS = {
    "associations_companies_contacts": ("companies", "contacts"),
    "associations_deals_companies": ("deals", "companies"),
    "associations_deals_contacts": ("deals", "contacts"),
    "associations_deals_bukken": ("deals", "bukken"),
    "associations_contacts_bukken": ("contacts", "bukken"),
}


def typed(object_type_props, record):
    return {
        name: parse_value(object_type_props.get(name, "string"), value)
        for name, value in record["properties"].items()
    }


def test_full_run_matches_the_truth(small):
    control = small.control
    run = run_tap(small)
    definitions = run.records["property_definitions"]
    for stream in OBJECTS:
        truth = {r["id"]: r for r in control.truth(stream)}
        archived = {r["id"] for r in control.truth(stream, archived=True)}
        emitted = run.by_id(stream)
        live = {i for i, r in emitted.items() if not r["archived"]}
        assert live == set(truth), stream
        assert {i for i, r in emitted.items() if r["archived"]} == archived, stream
        types = {d["name"]: d["type"] for d in definitions if d["object_type"] == stream}
        for object_id, record in truth.items():
            got = emitted[object_id]
            for name, value in record["properties"].items():
                try:
                    expected = parse_value(types.get(name, "string"), value)
                except ValueError:
                    expected = None
                assert got["properties"].get(name) == expected, (stream, object_id, name)
            modified = "lastmodifieddate" if stream == "contacts" else "hs_lastmodifieddate"
            assert got["hs_lastmodifieddate"] == got["properties"][modified]
    for stream, (source, target) in PAIRS.items():
        truth = control.truth_associations(source, target)
        emitted = run.by_id(stream)
        live = {r["id"] for r in control.truth(source)}
        archived = {r["id"] for r in control.truth(source, archived=True)}
        assert set(emitted) == live | archived, stream
        assert all(emitted[i]["to"] == [] for i in archived), stream
        for from_id, record in emitted.items():
            expected = {
                (str(t["toObjectId"]), k["category"], k["typeId"], k["label"])
                for t in truth.get(from_id, [])
                for k in t["associationTypes"]
            }
            got = {
                (t["to_id"], k["category"], k["typeId"], k["label"])
                for t in record["to"]
                for k in t["association_types"]
            }
            assert got == expected, (stream, from_id)
    owners = {o["id"] for o in control.owners()}
    assert set(run.ids("owners")) == owners
    assert len(definitions) == len({(d["object_type"], d["name"]) for d in definitions})


def test_full_run_wraps_every_stream_in_activate_version(small):
    run = run_tap(small)
    for stream in (*OBJECTS, *PAIRS, "owners", "property_definitions"):
        versions = run.activate_versions(stream)
        assert len(versions) == 2, stream
        assert versions[0]["version"] == versions[1]["version"]
    records = [m for m in run.messages if m["type"] == "RECORD" and m["stream"] == "deals"]
    assert {m.get("version") for m in records} == {run.activate_versions("deals")[0]["version"]}


def test_incremental_run_reads_only_changes_and_no_activate_version(small):
    control = small.control
    first = run_tap(small)
    control.update("deals", first.ids("deals")[3], {"dealname": "updated deal"})
    new_company = control.create("companies", {"name": "new company"})
    later(small)
    second = run_tap(small, state=first.state)
    assert second.by_id("deals")[first.ids("deals")[3]]["properties"]["dealname"] == "updated deal"
    assert new_company in second.ids("companies")
    assert len(second.records["deals"]) < len(first.records["deals"]) / 2
    for stream in OBJECTS:
        assert second.activate_versions(stream) == [], stream
    assert (
        second.state["bookmarks"]["deals"]["replication_key_value"]
        > (first.state["bookmarks"]["deals"]["replication_key_value"])
    )


def test_record_changed_two_minutes_before_the_run_is_in_it(small):
    control = small.control
    first = run_tap(small)
    deal = first.ids("deals")[0]
    control.update("deals", deal, {"dealname": "two minutes ago"})
    later(small, 120)
    second = run_tap(small, state=first.state)
    assert second.by_id("deals")[deal]["properties"]["dealname"] == "two minutes ago"


def test_association_change_refreshes_both_sets(small):
    control = small.control
    first = run_tap(small)
    company = first.ids("companies")[0]
    contact = first.ids("contacts")[0]
    control.associate("companies", company, "contacts", contact)
    later(small)
    second = run_tap(small, state=first.state)
    targets = {t["to_id"] for t in second.by_id("associations_companies_contacts")[company]["to"]}
    assert contact in targets
    control.dissociate("companies", company, "contacts", contact)
    later(small)
    third = run_tap(small, state=second.state)
    targets = {t["to_id"] for t in third.by_id("associations_companies_contacts")[company]["to"]}
    assert contact not in targets


def test_hard_deleted_record_is_absent_from_the_next_full_run(small):
    control = small.control
    first = run_tap(small)
    gone = first.ids("contacts")[5]
    control.hard_delete("contacts", gone)
    full = run_tap(small)
    assert gone not in full.ids("contacts")
    assert len(full.activate_versions("contacts")) == 2


def test_archived_records_are_emitted_with_archived_at(small):
    control = small.control
    first = run_tap(small)
    company = first.ids("companies")[2]
    control.archive("companies", company)
    later(small)
    second = run_tap(small, state=first.state)
    record = second.by_id("companies")[company]
    assert record["archived"] is True
    assert record["archivedAt"]
    assert second.by_id("associations_companies_contacts")[company]["to"] == []
    old_archived = {r["id"] for r in control.truth("companies", archived=True)} - {company}
    assert not old_archived & set(second.ids("companies"))


def test_association_stream_alone_reads_every_set(small):
    control = small.control
    run = run_tap(small, only={"associations_deals_bukken"})
    assert set(run.records) == {"associations_deals_bukken"}
    truth = control.truth_associations("deals", "bukken")
    emitted = run.by_id("associations_deals_bukken")
    assert set(emitted) == {r["id"] for r in control.truth("deals")}
    for deal, record in emitted.items():
        assert {t["to_id"] for t in record["to"]} == {
            str(t["toObjectId"]) for t in truth.get(deal, [])
        }
    assert len(run.activate_versions("associations_deals_bukken")) == 2


def test_association_sets_catch_up_after_a_run_without_them(small):
    control = small.control
    first = run_tap(small)
    company, contact = first.ids("companies")[1], first.ids("contacts")[7]
    control.associate("companies", company, "contacts", contact)
    later(small)
    objects_only = run_tap(small, state=first.state, only={"companies", "contacts"})
    assert company in objects_only.ids("companies")
    later(small)
    third = run_tap(small, state=objects_only.state, lookback_minutes=0)
    assert company not in third.ids("companies")
    record = third.by_id("associations_companies_contacts")[company]
    assert contact in {t["to_id"] for t in record["to"]}
    assert third.activate_versions("associations_companies_contacts") == []

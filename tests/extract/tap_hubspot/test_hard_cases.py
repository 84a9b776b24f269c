"""The cases every public HubSpot tap gets wrong, against the sandbox."""

from __future__ import annotations

import math

import pytest
from singer_sdk.exceptions import ConfigValidationError
from tap_hubspot.tap import TapHubspot

from .conftest import later, run_tap, tap_config

SEARCH = "POST /crm/v3/objects/{objectType}/search"
ASSOC_BATCH = "POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"


def endpoint_count(control, endpoint):
    return control.stats()["endpoints"].get(endpoint, 0)


def test_10500_records_with_one_timestamp(sandbox_factory):
    sandbox = sandbox_factory(owners=2, companies=5, contacts=11_000, deals=5, bukken=5)
    control = sandbox.control
    stamp = control.mass_update("contacts", 10_500, {"jobtitle": "mass"})
    later(sandbox)
    control.reset_stats()
    run = run_tap(sandbox)
    emitted = run.by_id("contacts")
    assert len(run.ids("contacts")) == len(emitted)
    live = {r["id"] for r in control.truth("contacts")}
    assert {i for i, r in emitted.items() if not r["archived"]} == live
    mass = [r for r in emitted.values() if r["properties"].get("jobtitle") == "mass"]
    assert len(mass) == 10_500
    assert {r["hs_lastmodifieddate"][:19] for r in mass} == {stamp[:19]}
    pages = math.ceil(len(live) / 200) + 1
    assert endpoint_count(control, SEARCH) <= pages + 3


def test_records_modified_during_a_run_are_not_skipped(small):
    control = small.control
    contacts = [r["id"] for r in control.truth("contacts")]
    early, late = contacts[0], contacts[-1]
    seen = []

    def modify_midway(message):
        if message["type"] == "RECORD" and message["stream"] == "contacts":
            seen.append(message["record"]["id"])
            if len(seen) == 20:
                control.update("contacts", early, {"jobtitle": "changed early"})
                control.update("contacts", late, {"jobtitle": "changed late"})

    first = run_tap(small, on_message=modify_midway, page_size=10)
    assert late not in seen[:20]
    later(small)
    second = run_tap(small, state=first.state)
    final = {**first.by_id("contacts"), **second.by_id("contacts")}
    assert final[early]["properties"]["jobtitle"] == "changed early"
    assert final[late]["properties"]["jobtitle"] == "changed late"
    assert set(final) >= set(contacts)


def test_search_lag_is_covered_by_the_lookback(small):
    control = small.control
    first = run_tap(small)
    deal = first.ids("deals")[1]
    control.configure(search_lag_seconds=120)
    control.update("deals", deal, {"dealname": "seen late"})
    later(small)
    second = run_tap(small, state=first.state)
    assert deal not in second.ids("deals")
    later(small, 200)
    third = run_tap(small, state=second.state)
    assert third.by_id("deals")[deal]["properties"]["dealname"] == "seen late"
    without_lookback = run_tap(small, state=second.state, lookback_minutes=0)
    assert deal not in without_lookback.ids("deals")


def test_company_with_250_contacts_is_complete(sandbox_factory):
    sandbox = sandbox_factory(owners=2, companies=5, contacts=300, deals=5, bukken=5)
    control = sandbox.control
    company = control.truth("companies")[0]["id"]
    for contact in control.truth("contacts")[:250]:
        control.associate("companies", company, "contacts", contact["id"])
    truth = {
        str(t["toObjectId"]) for t in control.truth_associations("companies", "contacts")[company]
    }
    assert len(truth) >= 250
    later(sandbox)
    control.reset_stats()
    run = run_tap(sandbox)
    record = run.by_id("associations_companies_contacts")[company]
    assert {t["to_id"] for t in record["to"]} == truth
    assert len(record["to"]) == len(truth)
    assert endpoint_count(control, ASSOC_BATCH) >= 5 + 2


def test_labels_and_primary(small):
    control = small.control
    deal = control.truth("deals")[0]["id"]
    company = control.truth("companies")[3]["id"]
    contact = control.truth("contacts")[4]["id"]
    control.associate("deals", deal, "companies", company, primary=True)
    control.associate("contacts", contact, "companies", company, "売主")
    later(small)
    run = run_tap(small)
    to_company = {t["to_id"]: t for t in run.by_id("associations_deals_companies")[deal]["to"]}
    kinds = {
        (k["category"], k["typeId"], k["label"]) for k in to_company[company]["association_types"]
    }
    assert ("HUBSPOT_DEFINED", 5, "Primary") in kinds
    assert ("HUBSPOT_DEFINED", 341, None) in kinds
    to_contact = {
        t["to_id"]: t for t in run.by_id("associations_companies_contacts")[company]["to"]
    }
    kinds = {
        (k["category"], k["typeId"], k["label"]) for k in to_contact[contact]["association_types"]
    }
    assert ("USER_DEFINED", 106, "売主") in kinds
    assert ("HUBSPOT_DEFINED", 280, None) in kinds


def test_more_than_1000_properties_no_414(sandbox_factory):
    sandbox = sandbox_factory(
        owners=2,
        companies=5,
        contacts=30,
        deals=5,
        bukken=5,
        extra_properties=((1_100, "contacts"),),
    )
    control = sandbox.control
    run = run_tap(sandbox)
    definitions = [d for d in run.records["property_definitions"] if d["object_type"] == "contacts"]
    assert len(definitions) > 1_100
    assert len(run.records["contacts"]) == len(control.truth("contacts")) + len(
        control.truth("contacts", archived=True)
    )
    assert "414" not in control.stats()["statuses"]
    record = run.records["contacts"][0]
    assert set(record["properties"]) == {d["name"] for d in definitions}


def test_type_parsing_edge_cases(small):
    control = small.control
    control.add_property("deals", {"name": "x_number", "type": "number", "fieldType": "number"})
    control.add_property(
        "deals", {"name": "x_bool", "type": "bool", "fieldType": "booleancheckbox"}
    )
    control.add_property("deals", {"name": "x_date", "type": "date", "fieldType": "date"})
    control.add_property("deals", {"name": "x_time", "type": "datetime", "fieldType": "date"})
    deals = [r["id"] for r in control.truth("deals")]
    values = [
        {
            "x_number": "1,234.5",
            "x_bool": "true",
            "x_date": "2024-02-29",
            "x_time": "1645125929123",
        },
        {"x_number": "N/A", "x_bool": "false", "x_date": "", "x_time": "2022-02-17T19:25:29Z"},
        {"x_number": "", "x_bool": "", "x_date": "not a date", "x_time": "soon"},
    ]
    for deal, props in zip(deals, values, strict=False):
        control.update("deals", deal, props)
    later(small)
    run = run_tap(small)
    got = run.by_id("deals")
    first, second, third = (got[d]["properties"] for d in deals[:3])
    assert (first["x_number"], first["x_bool"], first["x_date"], first["x_time"]) == (
        1234.5,
        True,
        "2024-02-29",
        "2022-02-17T19:25:29.123Z",
    )
    assert (second["x_number"], second["x_bool"], second["x_date"], second["x_time"]) == (
        None,
        False,
        None,
        "2022-02-17T19:25:29.000Z",
    )
    assert (third["x_number"], third["x_bool"], third["x_date"], third["x_time"]) == (
        None,
        None,
        None,
        None,
    )
    schema = next(m for m in run.messages if m["type"] == "SCHEMA" and m["stream"] == "deals")
    props = schema["schema"]["properties"]["properties"]["properties"]
    assert props["x_number"]["type"] == ["number", "null"]
    assert props["x_bool"]["type"] == ["boolean", "null"]
    assert props["x_date"]["format"] == "date"
    assert props["x_time"]["format"] == "date-time"


def test_bukken_is_addressed_by_object_type_id(small):
    control = small.control
    tap = TapHubspot(config=tap_config(small))
    assert tap.streams["bukken"].path == "/crm/v3/objects/2-3821545"
    assert tap.streams["associations_deals_bukken"].path == (
        "/crm/v4/associations/deals/2-3821545/batch/read"
    )
    run = run_tap(small)
    live = {r["id"] for r in run.records["bukken"] if not r["archived"]}
    assert live == {r["id"] for r in control.truth("bukken")}


def test_unknown_custom_object_names_the_setting(small):
    with pytest.raises(ConfigValidationError, match="custom_objects"):
        run_tap(small, custom_objects=["bukken", "tatemono"])


def test_wrong_portal_names_the_setting(small):
    with pytest.raises(ConfigValidationError, match="portal_id"):
        run_tap(small, portal_id="999")

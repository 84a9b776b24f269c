"""Mutations through the control API and how the CRM API shows them."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

import pytest
from hubspot_sandbox.control import SandboxControlError


def _ms(iso):
    return int(datetime.fromisoformat(iso).astimezone(UTC).timestamp() * 1000)


def _get(api, object_type, record_id, properties="", **params):
    return api.get(
        f"/crm/v3/objects/{object_type}/{record_id}", params={"properties": properties, **params}
    )


def test_update_stamps_the_sandbox_time(api, sandbox):
    control = sandbox.control
    contact = control.truth("contacts")[0]
    before = _ms(control.now())
    stamp = control.update("contacts", contact["id"], {"jobtitle": "部長", "dm_optout": True})
    assert _ms(stamp) >= before
    record = _get(api, "contacts", contact["id"], "jobtitle,dm_optout").json()
    assert record["properties"]["jobtitle"] == "部長"
    assert record["properties"]["dm_optout"] == "true"
    assert record["properties"]["lastmodifieddate"] == stamp == record["updatedAt"]
    assert record["createdAt"] == contact["createdAt"]
    truth = next(t for t in control.truth("contacts") if t["id"] == contact["id"])
    assert truth["properties"]["jobtitle"] == "部長"


def test_update_rejects_unknown_properties_and_records(sandbox):
    with pytest.raises(SandboxControlError) as error:
        sandbox.control.update(
            "contacts", sandbox.control.truth("contacts")[0]["id"], {"nope": "x"}
        )
    assert error.value.status == 400
    with pytest.raises(SandboxControlError) as error:
        sandbox.control.update("contacts", 1, {"jobtitle": "x"})
    assert error.value.status == 404


def test_advance_clock_moves_later_stamps(sandbox):
    control = sandbox.control
    now = _ms(control.now())
    moved = _ms(control.advance_clock(3600))
    assert moved - now >= 3_600_000
    deal = control.truth("deals")[0]["id"]
    assert _ms(control.update("deals", deal, {"dealname": "時計"})) >= moved


def test_create_appears_in_list_search_and_truth(api, sandbox):
    control = sandbox.control
    new_id = control.create("p_bukken", {"bukken_name": "新築テスト 101号室", "price": 12345678})
    assert int(new_id) > max(int(t["id"]) for t in control.truth("bukken") if t["id"] != new_id)
    record = _get(api, "2-3821545", new_id, "bukken_name,price").json()
    assert record["properties"]["bukken_name"] == "新築テスト 101号室"
    assert record["properties"]["price"] == "12345678"
    assert record["properties"]["hs_createdate"] == record["createdAt"] == record["updatedAt"]
    found = api.search(
        "p_bukken",
        {"filters": [{"propertyName": "hs_object_id", "operator": "EQ", "value": new_id}]},
    ).json()
    assert [r["id"] for r in found["results"]] == [new_id]


def test_archive_moves_record_and_drops_associations(api, sandbox):
    control = sandbox.control
    links = control.truth_associations("deals", "companies")
    deal_id, to = next((d, t) for d, t in links.items() if t)
    company_id = str(to[0]["toObjectId"])
    company_before = _get(api, "companies", company_id).json()["updatedAt"]
    control.archive("deals", deal_id)
    assert _get(api, "deals", deal_id).status_code == 404
    archived = _get(api, "deals", deal_id, archived="true").json()
    assert archived["archived"] is True
    assert archived["archivedAt"] == archived["updatedAt"]
    assert deal_id not in control.truth_associations("deals", "companies")
    company_links = control.truth_associations("companies", "deals")[company_id]
    assert int(deal_id) not in [link["toObjectId"] for link in company_links]
    assert _ms(_get(api, "companies", company_id).json()["updatedAt"]) > _ms(company_before)
    assert deal_id in [t["id"] for t in control.truth("deals", archived=True)]


def test_hard_delete_leaves_no_trace(api, sandbox):
    control = sandbox.control
    contact_id = control.truth("contacts")[3]["id"]
    control.hard_delete("contacts", contact_id)
    assert _get(api, "contacts", contact_id).status_code == 404
    assert _get(api, "contacts", contact_id, archived="true").status_code == 404
    assert contact_id not in [t["id"] for t in control.truth("contacts")]
    assert contact_id not in [t["id"] for t in control.truth("contacts", archived=True)]
    for links in control.truth_associations("companies", "contacts").values():
        assert int(contact_id) not in [link["toObjectId"] for link in links]


def test_merge_contacts_keeps_winner_and_drops_loser(api, sandbox):
    control = sandbox.control
    winner, loser = (t["id"] for t in control.truth("contacts")[10:12])
    loser_companies = {
        link["toObjectId"] for link in control.truth_associations("contacts", "companies")[loser]
    }
    assert control.merge("contacts", winner, loser) == winner
    record = _get(api, "contacts", winner, "hs_merged_object_ids").json()
    assert record["properties"]["hs_merged_object_ids"] == loser
    assert _get(api, "contacts", loser).status_code == 404
    assert _get(api, "contacts", loser, archived="true").status_code == 404
    merged_companies = {
        link["toObjectId"] for link in control.truth_associations("contacts", "companies")[winner]
    }
    assert loser_companies <= merged_companies
    primaries = [
        t for link in control.truth_associations("contacts", "companies")[winner]
        for t in link["associationTypes"] if t["typeId"] == 1
    ]  # fmt: skip
    assert len(primaries) <= 1


def test_merge_deals_creates_a_new_record(api, sandbox):
    control = sandbox.control
    first, second = (t["id"] for t in control.truth("deals")[:2])
    survivor = control.merge("deals", first, second)
    assert survivor not in (first, second)
    record = _get(api, "deals", survivor, "hs_merged_object_ids").json()
    assert record["properties"]["hs_merged_object_ids"] == ";".join(
        sorted([first, second], key=int)
    )
    assert _get(api, "deals", first).status_code == 404


def test_add_property_shows_in_definitions_and_truth(api, sandbox):
    control = sandbox.control
    definition = control.add_property(
        "companies", {"name": "kanri_bango", "label": "管理番号", "type": "number"}
    )
    assert definition["fieldType"] == "number"
    assert "hubspotDefined" not in definition
    names = [p["name"] for p in api.get("/crm/v3/properties/companies").json()["results"]]
    assert "kanri_bango" in names
    company = control.truth("companies")[0]
    assert company["properties"]["kanri_bango"] is None
    control.update("companies", company["id"], {"kanri_bango": 7})
    assert (
        _get(api, "companies", company["id"], "kanri_bango").json()["properties"]["kanri_bango"]
        == "7"
    )
    with pytest.raises(SandboxControlError):
        control.add_property("companies", {"name": "kanri_bango", "type": "string"})


def test_associate_with_label_and_primary_bumps_both_ends(api, sandbox):
    control = sandbox.control
    contact = control.truth("contacts")[-1]
    company = control.truth("companies")[-1]
    control.advance_clock(5)
    control.associate(
        "contacts", contact["id"], "companies", company["id"], label="買主", primary=True
    )
    links = control.truth_associations("contacts", "companies")[contact["id"]]
    link = next(x for x in links if x["toObjectId"] == int(company["id"]))
    assert {t["typeId"] for t in link["associationTypes"]} == {279, 1, 107}
    assert sum(t["typeId"] == 1 for x in links for t in x["associationTypes"]) == 1
    back = control.truth_associations("companies", "contacts")[company["id"]]
    back_link = next(x for x in back if x["toObjectId"] == int(contact["id"]))
    assert {t["typeId"] for t in back_link["associationTypes"]} == {280, 2, 108}
    for object_type, record in (("contacts", contact), ("companies", company)):
        now = _get(api, object_type, record["id"], "num_associated_contacts").json()
        assert _ms(now["updatedAt"]) > _ms(record["updatedAt"])
    count = _get(api, "companies", company["id"], "num_associated_contacts").json()["properties"]
    assert count["num_associated_contacts"] == str(len(back))
    control.dissociate("contacts", contact["id"], "companies", company["id"], label="買主")
    link = next(
        x
        for x in control.truth_associations("contacts", "companies")[contact["id"]]
        if x["toObjectId"] == int(company["id"])
    )
    assert {t["typeId"] for t in link["associationTypes"]} == {279, 1}
    control.dissociate("contacts", contact["id"], "companies", company["id"])
    links = control.truth_associations("contacts", "companies")[contact["id"]]
    assert int(company["id"]) not in [x["toObjectId"] for x in links]


def test_mass_update_shares_one_millisecond(api, sandbox):
    control = sandbox.control
    stamp = control.mass_update("contacts", 300, {"hs_lead_status": "OPEN"})
    body = {
        "filters": [
            {"propertyName": "lastmodifieddate", "operator": "EQ", "value": str(_ms(stamp))}
        ],
        "limit": 1,
    }
    assert api.search("contacts", body).json()["total"] == 300


def test_mass_update_scenario_puts_over_10000_records_on_one_millisecond(sandbox_factory, api_for):
    handle = sandbox_factory(
        contacts=10_600, companies=50, deals=20, bukken=10, scenario="mass-update"
    )
    api = api_for(handle)
    stamps = {}
    for record in handle.control.truth("contacts"):
        stamps[record["updatedAt"]] = stamps.get(record["updatedAt"], 0) + 1
    stamp, count = max(stamps.items(), key=lambda item: item[1])
    assert count > 10_000
    body = {
        "filters": [{"propertyName": "lastmodifieddate", "operator": "EQ", "value": stamp}],
        "limit": 200,
    }
    first = api.search("contacts", body).json()
    assert first["total"] == count
    body["after"] = "9900"
    assert api.search("contacts", body).status_code == 400


def test_stats_count_requests_per_endpoint(api, sandbox):
    control = sandbox.control
    control.reset_stats()
    api.get("/crm/v3/objects/contacts")
    api.get("/crm/v3/objects/deals")
    api.search("deals", {})
    api.get("/crm/v3/objects/deals", token=None)
    stats = control.stats()
    assert stats["total"] == 4
    assert stats["endpoints"] == {
        "GET /crm/v3/objects/{objectType}": 3,
        "POST /crm/v3/objects/{objectType}/search": 1,
    }
    assert stats["statuses"] == {"200": 3, "401": 1}
    control.reset_stats()
    assert control.stats()["total"] == 0


def test_unknown_control_method(sandbox):
    with pytest.raises(SandboxControlError) as error:
        sandbox.control.call("explode")
    assert error.value.status == 404


def test_date_header_follows_the_sandbox_clock(api, sandbox):
    sandbox.control.advance_clock(86_400 * 3)
    served = email.utils.parsedate_to_datetime(api.get("/crm/v3/owners").headers["Date"])
    assert served - datetime.now(UTC) > timedelta(days=2, hours=23)


def test_primary_from_the_company_side_moves_the_contacts_primary(sandbox):
    control = sandbox.control
    links = control.truth_associations("contacts", "companies")
    contact_id, to = next(
        (c, t)
        for c, t in links.items()
        if any(x["typeId"] == 1 for link in t for x in link["associationTypes"])
    )
    old_primary = next(
        link["toObjectId"] for link in to if any(x["typeId"] == 1 for x in link["associationTypes"])
    )
    new_company = next(t["id"] for t in control.truth("companies") if int(t["id"]) != old_primary)
    control.associate("companies", new_company, "contacts", contact_id, primary=True)
    links = control.truth_associations("contacts", "companies")[contact_id]
    primaries = [
        link["toObjectId"]
        for link in links
        if any(x["typeId"] == 1 for x in link["associationTypes"])
    ]
    assert primaries == [int(new_company)]
    assert old_primary in [link["toObjectId"] for link in links]

"""List, single read, batch read, properties and schemas."""

from __future__ import annotations

import re

import pytest

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}[1-9]?)?Z$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")


def test_list_paging_reaches_every_live_record_once(api, sandbox):
    records, pages = api.list_all("contacts", limit=100)
    truth = sandbox.control.truth("contacts")
    assert [r["id"] for r in records] == [t["id"] for t in truth]
    assert pages == -(-len(truth) // 100)
    assert all(r["archived"] is False and "archivedAt" not in r for r in records)


def test_list_page_shape_link_and_last_page_without_paging(api):
    body = api.get("/crm/v3/objects/companies", params={"limit": 3}).json()
    assert len(body["results"]) == 3
    nxt = body["paging"]["next"]
    assert nxt["after"].isdigit()
    assert nxt["link"].endswith(f"/crm/v3/objects/companies?limit=3&after={nxt['after']}")
    records, _ = api.list_all("companies", limit=100)
    last = api.get("/crm/v3/objects/companies", params={"limit": 100, "after": records[-1]["id"]})
    assert "paging" not in last.json()


def test_list_limit_is_capped_at_100_and_defaults_to_10(api):
    assert len(api.get("/crm/v3/objects/contacts").json()["results"]) == 10
    assert len(api.get("/crm/v3/objects/contacts", params={"limit": 500}).json()["results"]) == 100


def test_default_and_requested_properties(api):
    record = api.get("/crm/v3/objects/contacts", params={"limit": 1}).json()["results"][0]
    assert list(record["properties"]) == [
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    ]
    assert record["properties"]["hs_object_id"] == record["id"]
    assert record["properties"]["createdate"] == record["createdAt"]
    assert record["properties"]["lastmodifieddate"] == record["updatedAt"]
    deal = api.get(
        "/crm/v3/objects/deals", params={"limit": 1, "properties": "amount,nope,dealname"}
    ).json()["results"][0]
    assert list(deal["properties"]) == [
        "amount",
        "createdate",
        "dealname",
        "hs_lastmodifieddate",
        "hs_object_id",
    ]


def test_repeated_properties_parameter_is_accepted(api):
    answer = api.get(
        "/crm/v3/objects/companies?limit=1&properties=name&properties=industry&properties=city"
    )
    assert {"name", "industry", "city"} <= set(answer.json()["results"][0]["properties"])


def test_values_are_strings_or_null_and_timestamps_iso(sandbox):
    for object_type in ("contacts", "companies", "deals", "bukken"):
        for record in sandbox.control.truth(object_type):
            assert ISO_MS.match(record["createdAt"]), record["createdAt"]
            assert ISO_MS.match(record["updatedAt"])
            assert not record["createdAt"].endswith(".000Z")
            assert list(record["properties"]) == sorted(record["properties"])
            assert all(v is None or isinstance(v, str) for v in record["properties"].values())


def test_archived_lists_only_archived_records_with_archived_at(api, sandbox):
    archived, _ = api.list_all("deals", limit=100, archived="true")
    assert archived, "the generator archives some deals"
    assert all(r["archived"] is True and ISO.match(r["archivedAt"]) for r in archived)
    assert [r["id"] for r in archived] == [
        t["id"] for t in sandbox.control.truth("deals", archived=True)
    ]
    live_ids = {t["id"] for t in sandbox.control.truth("deals")}
    assert not live_ids & {r["id"] for r in archived}


@pytest.mark.parametrize("name", ["2-3821545", "p12345678_bukken", "p_bukken", "P_BUKKEN"])
def test_bukken_is_addressed_by_id_and_qualified_names(api, name):
    answer = api.get(f"/crm/v3/objects/{name}", params={"limit": 2, "properties": "bukken_name"})
    assert answer.status_code == 200
    props = answer.json()["results"][0]["properties"]
    assert set(props) == {"bukken_name", "hs_createdate", "hs_lastmodifieddate", "hs_object_id"}


def test_bare_bukken_name_is_rejected(api):
    answer = api.get("/crm/v3/objects/bukken")
    assert answer.status_code == 400
    body = answer.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "Unable to infer object type from: bukken"
    assert answer.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]


@pytest.mark.parametrize("name", ["0-1", "contact", "contacts"])
def test_standard_types_by_name_and_id(api, name):
    assert api.get(f"/crm/v3/objects/{name}", params={"limit": 1}).status_code == 200


def test_url_longer_than_the_limit_gets_414_html(sandbox_factory, api_for):
    api = api_for(sandbox_factory(max_url_length=2000))
    props = ",".join(f"extra_property_{i}" for i in range(200))
    answer = api.get("/crm/v3/objects/contacts", params={"properties": props})
    assert answer.status_code == 414
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "X-HubSpot-Correlation-Id" in answer.headers
    assert (
        api.get("/crm/v3/objects/contacts", params={"properties": props[:1500]}).status_code == 200
    )


def test_get_single_record_and_404(api, sandbox):
    first = sandbox.control.truth("companies")[0]
    answer = api.get(f"/crm/v3/objects/companies/{first['id']}", params={"properties": "name"})
    assert answer.json()["properties"]["name"] == first["properties"]["name"]
    missing = api.get("/crm/v3/objects/companies/1")
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"


def test_batch_read_200_207_and_limit(api, sandbox):
    ids = [t["id"] for t in sandbox.control.truth("deals")[:3]]
    body = {"inputs": [{"id": i} for i in ids], "properties": ["dealname"]}
    ok = api.post("/crm/v3/objects/deals/batch/read", body)
    assert ok.status_code == 200
    assert ok.json()["status"] == "COMPLETE"
    assert sorted(r["id"] for r in ok.json()["results"]) == sorted(ids)
    body["inputs"].append({"id": "42"})
    partial = api.post("/crm/v3/objects/deals/batch/read", body)
    assert partial.status_code == 207
    assert partial.json()["numErrors"] == 1
    assert partial.json()["errors"][0]["context"] == {"ids": ["42"]}
    too_many = api.post("/crm/v3/objects/deals/batch/read", {"inputs": [{"id": "1"}] * 101})
    assert too_many.status_code == 400
    assert too_many.json()["category"] == "VALIDATION_ERROR"


def test_malformed_json_has_no_category(api):
    answer = api.request(
        "POST",
        "/crm/v3/objects/contacts/search",
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("Invalid input JSON")
    assert "category" not in answer.json()


def test_properties_cover_every_type_and_custom_flag(api):
    seen = set()
    for object_type in ("contacts", "companies", "deals", "2-3821545"):
        answer = api.get(f"/crm/v3/properties/{object_type}")
        assert "paging" not in answer.json()
        results = answer.json()["results"]
        seen |= {p["type"] for p in results}
        for prop in results:
            assert prop.get("hubspotDefined", True) is True
            assert {"name", "label", "type", "fieldType", "options", "groupName"} <= set(prop)
    assert seen == {"string", "number", "date", "datetime", "enumeration", "bool", "phone_number"}
    bukken = {p["name"] for p in api.get("/crm/v3/properties/p_bukken").json()["results"]}
    assert {
        "bukken_name",
        "bukken_state",
        "bukken_city",
        "bukken_address",
        "hs_createdate",
    } <= bukken


def test_schemas_list_bukken(api):
    body = api.get("/crm/v3/schemas").json()
    assert "paging" not in body
    (schema,) = body["results"]
    assert schema["objectTypeId"] == "2-3821545"
    assert schema["fullyQualifiedName"] == "p12345678_bukken"
    assert schema["name"] == "bukken"
    assert schema["metaType"] == "PORTAL_SPECIFIC"
    assert {a["toObjectTypeId"] for a in schema["associations"]} >= {"0-1", "0-3"}
    contact = api.get("/crm/v3/schemas/contacts").json()
    assert contact["objectTypeId"] == "0-1"
    assert contact["metaType"] == "HUBSPOT"


def test_owners_paging_limit_and_archived(sandbox_factory, api_for):
    api = api_for(sandbox_factory(owners=30))
    first = api.get("/crm/v3/owners", params={"limit": 10}).json()
    assert len(first["results"]) == 10
    second = api.get(
        "/crm/v3/owners", params={"limit": 10, "after": first["paging"]["next"]["after"]}
    )
    assert not {o["id"] for o in first["results"]} & {o["id"] for o in second.json()["results"]}
    everyone = api.get("/crm/v3/owners", params={"limit": 1000}).json()
    assert "paging" not in everyone
    assert all(o["archived"] is False for o in everyone["results"])
    archived = api.get("/crm/v3/owners", params={"archived": "true"}).json()["results"]
    assert archived
    assert all(o["archived"] is True for o in archived)
    owner = everyone["results"][0]
    assert {"id", "email", "firstName", "lastName", "type", "userId", "userIdIncludingInactive",
            "createdAt", "updatedAt", "archived", "teams"} <= set(owner)  # fmt: skip
    assert isinstance(owner["userId"], int)
    by_email = api.get("/crm/v3/owners", params={"email": owner["email"]}).json()["results"]
    assert [o["id"] for o in by_email] == [owner["id"]]
    assert len(api.get("/crm/v3/owners", params={"limit": 600}).json()["results"]) == len(
        everyone["results"]
    )


def test_owners_limit_caps_at_500(sandbox_factory, api_for):
    api = api_for(sandbox_factory(owners=600, companies=1, contacts=2, deals=1, bukken=1))
    body = api.get("/crm/v3/owners", params={"limit": 1000}).json()
    assert len(body["results"]) == 500
    assert "paging" in body

"""The search endpoint: filters, sorting, paging, the 10,000 cap and the index lag."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


def _ms(iso):
    return int(datetime.fromisoformat(iso).astimezone(UTC).timestamp() * 1000)


def _ids(answer):
    assert answer.status_code == 200, answer.text
    return [r["id"] for r in answer.json()["results"]]


def test_search_pages_by_object_id_through_all_live_records(api, sandbox):
    truth_ids = [t["id"] for t in sandbox.control.truth("contacts")]
    seen, last = [], "0"
    while True:
        body = {
            "filterGroups": [
                {"filters": [{"propertyName": "hs_object_id", "operator": "GT", "value": last}]}
            ],
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
            "limit": 200,
        }
        page = _ids(api.search("contacts", body))
        if not page:
            break
        seen += page
        last = page[-1]
    assert seen == truth_ids


def test_search_offset_paging_and_total(api, sandbox):
    total = len(sandbox.control.truth("deals"))
    first = api.search("deals", {"limit": 50}).json()
    assert first["total"] == total
    assert first["paging"]["next"]["after"] == "50"
    ids = [r["id"] for r in first["results"]]
    after = "50"
    while after:
        body = api.search("deals", {"limit": 50, "after": after}).json()
        ids += [r["id"] for r in body["results"]]
        after = body.get("paging", {}).get("next", {}).get("after")
    assert len(ids) == len(set(ids)) == total


def test_search_results_have_required_properties_and_no_associations(api):
    answer = api.search("companies", {"limit": 2, "properties": ["name"]}).json()
    for record in answer["results"]:
        assert set(record["properties"]) == {
            "name",
            "createdate",
            "hs_lastmodifieddate",
            "hs_object_id",
        }
        assert "associations" not in record
        assert record["archived"] is False
    bukken = api.search("p_bukken", {"limit": 1, "properties": ["price"]}).json()["results"][0]
    assert set(bukken["properties"]) == {
        "price",
        "hs_createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    }


def test_limit_over_200_is_rejected(api):
    answer = api.search("contacts", {"limit": 201})
    assert answer.status_code == 400
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert api.search("contacts", {"limit": 200}).status_code == 200


def test_paging_past_10000_is_rejected(api):
    assert api.search("contacts", {"limit": 200, "after": "9800"}).status_code == 200
    answer = api.search("contacts", {"limit": 200, "after": "9801"})
    assert answer.status_code == 400
    assert answer.json()["status"] == "error"
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert api.search("contacts", {"limit": 1, "after": "10000"}).status_code == 400


def test_too_many_groups_or_filters_and_array_value(api):
    one = {"propertyName": "hs_object_id", "operator": "GT", "value": "0"}
    assert api.search("deals", {"filterGroups": [{"filters": [one]}] * 6}).status_code == 400
    assert api.search("deals", {"filterGroups": [{"filters": [one] * 7}]}).status_code == 400
    assert api.search("deals", {"filterGroups": [{"filters": [one] * 6}] * 3}).status_code == 200
    assert (
        api.search(
            "deals", {"filterGroups": [{"filters": [one] * 6}] * 3 + [{"filters": [one]}]}
        ).status_code
        == 400
    )
    bad = {"propertyName": "dealstage", "operator": "IN", "value": ["closedwon"]}
    answer = api.search("deals", {"filterGroups": [{"filters": [bad]}]})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("Invalid input JSON")


def test_datetime_filters_accept_epoch_ms_and_iso(api, sandbox):
    truth = sandbox.control.truth("companies")
    pivot = sorted(t["updatedAt"] for t in truth)[len(truth) // 2]
    expected = {t["id"] for t in truth if _ms(t["updatedAt"]) >= _ms(pivot)}
    for value in (str(_ms(pivot)), pivot):
        body = {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": value}
                    ]
                }
            ],
            "limit": 200,
        }
        answer = api.search("companies", body).json()
        assert answer["total"] == len(expected)
    between = {
        "filters": [
            {
                "propertyName": "lastmodifieddate",
                "operator": "BETWEEN",
                "value": "0",
                "highValue": str(_ms(pivot)),
            }
        ],
        "limit": 1,
    }
    contacts = sandbox.control.truth("contacts")
    assert api.search("contacts", between).json()["total"] == sum(
        _ms(t["updatedAt"]) <= _ms(pivot) for t in contacts
    )


def test_sort_descending_and_string_form(api):
    body = {
        "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}],
        "limit": 20,
        "properties": ["createdate"],
    }
    dates = [r["properties"]["createdate"] for r in api.search("deals", body).json()["results"]]
    assert dates == sorted(dates, reverse=True)
    ids = _ids(api.search("deals", {"sorts": ["hs_object_id"], "limit": 20}))
    assert ids == sorted(ids, key=int)
    assert api.search("deals", {"sorts": ["a", "b"]}).status_code == 400


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (
            [{"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}],
            lambda p: p["dealstage"] == "closedwon",
        ),
        (
            [{"propertyName": "dealstage", "operator": "NEQ", "value": "closedwon"}],
            lambda p: p["dealstage"] != "closedwon",
        ),
        (
            [
                {
                    "propertyName": "dealstage",
                    "operator": "IN",
                    "values": ["closedwon", "closedlost"],
                }
            ],
            lambda p: p["dealstage"] in ("closedwon", "closedlost"),
        ),
        (
            [{"propertyName": "pipeline", "operator": "NOT_IN", "values": ["default"]}],
            lambda p: p["pipeline"] != "default",
        ),
        (
            [{"propertyName": "dealtype", "operator": "HAS_PROPERTY"}],
            lambda p: p["dealtype"] not in (None, ""),
        ),
        (
            [{"propertyName": "dealtype", "operator": "NOT_HAS_PROPERTY"}],
            lambda p: p["dealtype"] in (None, ""),
        ),
        (
            [{"propertyName": "commission_rate", "operator": "LT", "value": "3"}],
            lambda p: p["commission_rate"] is not None and float(p["commission_rate"]) < 3,
        ),
        (
            [{"propertyName": "commission_rate", "operator": "LTE", "value": "3"}],
            lambda p: p["commission_rate"] is not None and float(p["commission_rate"]) <= 3,
        ),
        (
            [{"propertyName": "loan_approved", "operator": "EQ", "value": "TRUE"}],
            lambda p: p["loan_approved"] == "true",
        ),
        (
            [{"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "賃貸案件"}],
            lambda p: "賃貸案件" in p["dealname"].split(),
        ),
        (
            [{"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "*パーク*"}],
            lambda p: "パーク" in p["dealname"],
        ),
    ],
)
def test_operators_match_the_truth(api, sandbox, filters, check):
    expected = sorted(t["id"] for t in sandbox.control.truth("deals") if check(t["properties"]))
    assert expected, "the filter should match something"
    body = {"filterGroups": [{"filters": filters}], "limit": 200, "sorts": ["hs_object_id"]}
    found = []
    while True:
        answer = api.search("deals", body).json()
        found += [r["id"] for r in answer["results"]]
        if "paging" not in answer:
            break
        body["after"] = answer["paging"]["next"]["after"]
    assert sorted(found) == expected


def test_groups_are_ored_and_filters_anded(api, sandbox):
    truth = sandbox.control.truth("deals")
    body = {
        "filterGroups": [
            {"filters": [{"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"},
                         {"propertyName": "pipeline", "operator": "EQ", "value": "rental"}]},
            {"filters": [{"propertyName": "dealstage", "operator": "EQ", "value": "closedlost"}]},
        ],
        "limit": 1,
    }  # fmt: skip
    expected = sum(
        (p["dealstage"] == "closedwon" and p["pipeline"] == "rental")
        or p["dealstage"] == "closedlost"
        for p in (t["properties"] for t in truth)
    )
    assert api.search("deals", body).json()["total"] == expected


def test_string_equality_is_case_insensitive(api, sandbox):
    contact = next(t for t in sandbox.control.truth("contacts") if t["properties"]["email"])
    email = contact["properties"]["email"].upper()
    body = {"filters": [{"propertyName": "email", "operator": "EQ", "value": email}]}
    assert contact["id"] in _ids(api.search("contacts", body))


def test_search_never_returns_archived(api, sandbox):
    archived = {t["id"] for t in sandbox.control.truth("contacts", archived=True)}
    assert archived
    body = {"limit": 200, "sorts": ["hs_object_id"]}
    seen = set()
    while True:
        answer = api.search("contacts", body).json()
        seen |= {r["id"] for r in answer["results"]}
        if "paging" not in answer:
            break
        body["after"] = answer["paging"]["next"]["after"]
    assert not seen & archived


def test_query_matches_text(api, sandbox):
    company = sandbox.control.truth("companies")[5]
    word = company["properties"]["name"][:3]
    answer = api.search("companies", {"query": word, "limit": 200}).json()
    assert company["id"] in [r["id"] for r in answer["results"]]
    assert api.search("companies", {"query": "x" * 3001}).status_code == 400


def test_search_lag_hides_changes_until_the_lag_passes(sandbox_factory, api_for):
    handle = sandbox_factory(search_lag_seconds=30)
    api = api_for(handle)
    control = handle.control
    contact_id = control.truth("contacts")[0]["id"]
    control.update("contacts", contact_id, {"jobtitle": "ラグ確認"})
    new_id = control.create("contacts", {"firstname": "新規", "jobtitle": "ラグ確認"})
    lagged = {"filters": [{"propertyName": "jobtitle", "operator": "EQ", "value": "ラグ確認"}]}
    assert api.search("contacts", lagged).json()["total"] == 0
    by_id = {
        "filters": [{"propertyName": "hs_object_id", "operator": "EQ", "value": contact_id}],
        "properties": ["jobtitle"],
    }
    old = api.search("contacts", by_id).json()["results"][0]
    assert old["properties"]["jobtitle"] != "ラグ確認"
    listed = api.get(
        f"/crm/v3/objects/contacts/{contact_id}", params={"properties": "jobtitle"}
    ).json()
    assert listed["properties"]["jobtitle"] == "ラグ確認"
    control.advance_clock(31)
    assert sorted(_ids(api.search("contacts", lagged))) == sorted([contact_id, new_id])


def test_archived_record_stays_in_search_during_lag(sandbox_factory, api_for):
    handle = sandbox_factory(search_lag_seconds=5)
    api = api_for(handle)
    deal_id = handle.control.truth("deals")[0]["id"]
    handle.control.archive("deals", deal_id)
    body = {"filters": [{"propertyName": "hs_object_id", "operator": "EQ", "value": deal_id}]}
    assert _ids(api.search("deals", body)) == [deal_id]
    handle.control.advance_clock(6)
    assert _ids(api.search("deals", body)) == []

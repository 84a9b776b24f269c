"""v4 associations: batch read with per-input paging, single-record reads, labels."""

from __future__ import annotations

import pytest

PAIRS = [
    ("companies", "contacts"),
    ("deals", "companies"),
    ("deals", "contacts"),
    ("deals", "2-3821545"),
    ("contacts", "p_bukken"),
]


def _read_all(api, from_type, to_type, ids):
    """Batch-read associations following each input's paging; return (links, rounds, errors)."""
    links = {i: [] for i in ids}
    pending = [{"id": i} for i in ids]
    rounds = 0
    errors = []
    while pending:
        rounds += 1
        answer = api.post(
            f"/crm/v4/associations/{from_type}/{to_type}/batch/read", {"inputs": pending}
        )
        assert answer.status_code in (200, 207), answer.text
        body = answer.json()
        errors += body.get("errors", [])
        pending = []
        for result in body["results"]:
            links[result["from"]["id"]] += result["to"]
            after = result.get("paging", {}).get("next", {}).get("after")
            if after:
                pending.append({"id": result["from"]["id"], "after": after})
    return links, rounds, errors


@pytest.mark.parametrize(("from_type", "to_type"), PAIRS)
def test_batch_read_matches_truth(api, sandbox, from_type, to_type):
    truth = sandbox.control.truth_associations(from_type, to_type)
    links, _, errors = _read_all(api, from_type, to_type, list(truth))
    assert links == truth
    empty = {i for i, found in truth.items() if not found}
    assert {e["context"]["fromObjectId"][0] for e in errors} == empty


def test_big_company_needs_three_rounds_and_ids_are_numbers(api, sandbox):
    truth = sandbox.control.truth_associations("companies", "contacts")
    big = max(truth, key=lambda i: len(truth[i]))
    assert len(truth[big]) >= 250
    links, rounds, _ = _read_all(api, "companies", "contacts", [big])
    assert rounds == 3
    assert all(isinstance(link["toObjectId"], int) for link in links[big])
    first = api.post(
        "/crm/v4/associations/companies/contacts/batch/read", {"inputs": [{"id": big}]}
    ).json()
    assert len(first["results"][0]["to"]) == 100
    assert set(first["results"][0]["paging"]["next"]) == {"after"}


def test_primary_and_user_defined_labels(sandbox):
    truth = sandbox.control.truth_associations("contacts", "companies")
    types = [t for links in truth.values() for link in links for t in link["associationTypes"]]
    assert {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None} in types
    assert {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"} in types
    assert any(t["category"] == "USER_DEFINED" and t["label"] == "売主" for t in types)
    for links in truth.values():
        assert sum(t["typeId"] == 1 for link in links for t in link["associationTypes"]) <= 1
        for link in links:
            assert any(t["typeId"] == 279 for t in link["associationTypes"])
    deal_bukken = sandbox.control.truth_associations("deals", "bukken")
    types = {
        t["typeId"]
        for links in deal_bukken.values()
        for link in links
        for t in link["associationTypes"]
    }
    assert 101 in types


def test_inputs_without_associations_are_left_out_with_207(api):
    answer = api.post(
        "/crm/v4/associations/deals/companies/batch/read", {"inputs": [{"id": "123"}]}
    )
    assert answer.status_code == 207
    body = answer.json()
    assert body["results"] == []
    assert body["numErrors"] == 1
    (error,) = body["errors"]
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["subCategory"] == "crm.associations.NO_ASSOCIATIONS_FOUND"
    assert error["context"] == {
        "fromObjectId": ["123"],
        "fromObjectType": ["deal"],
        "toObjectType": ["company"],
    }
    assert error["message"] == "No company is associated with deal 123."


def test_batch_read_input_limit(api):
    url = "/crm/v4/associations/contacts/companies/batch/read"
    assert api.post(url, {"inputs": [{"id": str(i)} for i in range(1000)]}).status_code == 207
    answer = api.post(url, {"inputs": [{"id": str(i)} for i in range(1001)]})
    assert answer.status_code == 400
    assert answer.json()["category"] == "VALIDATION_ERROR"


def test_single_record_associations_page_at_limit(api, sandbox):
    truth = sandbox.control.truth_associations("companies", "contacts")
    big = max(truth, key=lambda i: len(truth[i]))
    url = f"/crm/v4/objects/companies/{big}/associations/contacts"
    everything = api.get(url).json()
    assert "paging" not in everything
    assert everything["results"] == truth[big]
    collected, after = [], None
    while True:
        body = api.get(url, params={"limit": 100, **({"after": after} if after else {})}).json()
        collected += body["results"]
        after = body.get("paging", {}).get("next", {}).get("after")
        if not after:
            break
    assert collected == truth[big]
    assert len(api.get(url, params={"limit": 1000}).json()["results"]) == len(truth[big])


def test_single_record_limit_caps_at_500(sandbox_factory, api_for):
    handle = sandbox_factory(companies=2, contacts=1300, deals=5, bukken=5)
    api = api_for(handle)
    truth = handle.control.truth_associations("companies", "contacts")
    big = max(truth, key=lambda i: len(truth[i]))
    assert len(truth[big]) > 500
    body = api.get(
        f"/crm/v4/objects/companies/{big}/associations/contacts", params={"limit": 900}
    ).json()
    assert len(body["results"]) == 500
    assert "after" in body["paging"]["next"]


def test_labels_endpoint(api):
    body = api.get("/crm/v4/associations/deals/p_bukken/labels").json()
    assert {"category": "USER_DEFINED", "typeId": 101, "label": None} in body["results"]
    assert any(r["label"] == "売買対象" for r in body["results"])
    companies = api.get("/crm/v4/associations/contact/company/labels").json()["results"]
    assert {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"} in companies

"""401/403 bodies, rate limits and their headers, injected faults, standard headers."""

from __future__ import annotations

import uuid

import pytest

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can "
    "find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_missing_or_wrong_token_gets_401(api, token):
    answer = api.get("/crm/v3/objects/contacts", token=token)
    assert answer.status_code == 401
    assert answer.headers["X-HubSpot-Auth-Failure"] == "401 Unauthorized"
    body = answer.json()
    assert body == {
        "status": "error",
        "message": AUTH_MESSAGE,
        "correlationId": body["correlationId"],
        "category": "INVALID_AUTHENTICATION",
    }
    uuid.UUID(body["correlationId"])
    assert answer.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]


def test_hapikey_gets_401(api):
    answer = api.get("/crm/v3/objects/contacts", params={"hapikey": "abc"}, token=None)
    assert answer.status_code == 401
    assert answer.json()["category"] == "INVALID_AUTHENTICATION"


def test_missing_scope_gets_403_naming_it(sandbox_factory, api_for):
    api = api_for(sandbox_factory(missing_scopes=("crm.objects.deals.read",)))
    assert api.get("/crm/v3/objects/contacts").status_code == 200
    answer = api.get("/crm/v3/objects/deals")
    assert answer.status_code == 403
    body = answer.json()
    assert body["category"] == "MISSING_SCOPES"
    assert body["errors"] == [
        {
            "message": "One or more of the following scopes are required.",
            "context": {"requiredGranularScopes": ["crm.objects.deals.read"]},
        }
    ]
    assert body["links"] == {"scopes": "https://developers.hubspot.com/scopes"}
    assert body["message"].startswith("This app hasn't been granted all required scopes")
    assoc = api.post("/crm/v4/associations/deals/companies/batch/read", {"inputs": [{"id": "1"}]})
    assert assoc.status_code == 403


def test_missing_scope_can_be_configured_at_runtime(sandbox, api):
    sandbox.control.configure(missing_scopes=["crm.objects.custom.read"])
    assert api.get("/crm/v3/objects/p_bukken").status_code == 403
    sandbox.control.configure(missing_scopes=[])
    assert api.get("/crm/v3/objects/p_bukken").status_code == 200


def test_every_answer_has_correlation_id_and_json_type(api):
    for answer in (
        api.get("/crm/v3/objects/contacts"),
        api.get("/crm/v3/objects/bukken"),
        api.search("contacts", {}),
        api.get("/crm/v3/owners", token=None),
        api.get("/crm/v3/nothing-here"),
    ):
        assert answer.headers["Content-Type"] == "application/json;charset=utf-8"
        uuid.UUID(answer.headers["X-HubSpot-Correlation-Id"])


def test_ten_second_budget_gives_429_with_headers_and_no_retry_after(sandbox_factory, api_for):
    api = api_for(sandbox_factory(rate_limits=True, rate_limit_max=5))
    answers = [api.get("/crm/v3/objects/contacts", params={"limit": 1}) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    first = answers[0].headers
    assert first["X-HubSpot-RateLimit-Max"] == "5"
    assert first["X-HubSpot-RateLimit-Remaining"] == "4"
    assert first["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert first["X-HubSpot-RateLimit-Daily"] == "250000"
    assert first["X-HubSpot-RateLimit-Daily-Remaining"] == "249999"
    assert answers[4].headers["X-HubSpot-RateLimit-Remaining"] == "0"
    limited = answers[5]
    assert "Retry-After" not in limited.headers
    body = limited.json()
    assert body["status"] == "error"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["errorType"] == "RATE_LIMIT"
    assert limited.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    # search has its own budget and is exempt from the ten-second one
    assert api.search("contacts", {"limit": 1}).status_code == 200


def test_search_budget_per_second_has_its_own_body(sandbox_factory, api_for):
    api = api_for(sandbox_factory(rate_limits=True, search_per_second=2))
    answers = [api.search("deals", {"limit": 1}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert (
        set(answers[0].headers) & {"X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining"}
        == set()
    )
    assert "X-HubSpot-RateLimit-Daily-Remaining" in answers[0].headers
    body = answers[2].json()
    assert body["message"] == "You have reached your secondly limit."
    assert body["category"] == "RATE_LIMITS"
    assert "policyName" not in body
    assert "Retry-After" not in answers[2].headers


def test_daily_budget(sandbox_factory, api_for):
    api = api_for(sandbox_factory(rate_limits=True, daily_limit=2))
    codes = [api.get("/crm/v3/owners").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api.get("/crm/v3/owners").json()["policyName"] == "DAILY"


def test_rate_limits_can_be_switched_at_runtime(sandbox, api):
    sandbox.control.configure(rate_limits=True, rate_limit_max=1)
    assert api.get("/crm/v3/owners").status_code == 200
    assert api.get("/crm/v3/owners").status_code == 429
    sandbox.control.configure(rate_limits=False)
    assert api.get("/crm/v3/owners").status_code == 200


def _fault_codes(api, count):
    return [
        api.get("/crm/v3/objects/contacts", params={"limit": 1}).status_code for _ in range(count)
    ]


def test_faults_are_deterministic_from_the_seed(sandbox_factory, api_for):
    runs = [
        _fault_codes(
            api_for(sandbox_factory(fault_rate=0.3, fault_kinds=("429", "502", "524"))), 40
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert {429, 502, 524, 200} == set(runs[0])
    other = _fault_codes(
        api_for(sandbox_factory(seed=2, fault_rate=0.3, fault_kinds=("429", "502", "524"))), 40
    )
    assert other != runs[0]


def test_fault_bodies(sandbox_factory, api_for):
    api = api_for(sandbox_factory(fault_rate=1.0, fault_kinds=("502",)))
    answer = api.get("/crm/v3/objects/contacts")
    assert answer.status_code == 502
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<title>502 Bad Gateway</title>" in answer.text
    api = api_for(sandbox_factory(fault_rate=1.0, fault_kinds=("524",)))
    assert "524" in api.get("/crm/v3/objects/contacts").text
    api = api_for(sandbox_factory(fault_rate=1.0, fault_kinds=("429",)))
    answer = api.get("/crm/v3/objects/contacts")
    assert answer.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert "Retry-After" not in answer.headers


def test_slow_fault_delays_a_normal_answer(sandbox_factory, api_for):
    api = api_for(sandbox_factory(fault_rate=1.0, fault_kinds=("slow",), slow_seconds=0.3))
    answer = api.get("/crm/v3/objects/contacts")
    assert answer.status_code == 200
    assert answer.elapsed.total_seconds() >= 0.3

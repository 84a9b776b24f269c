"""Error sorting with hand-built responses (STYLE.md habit 5)."""

from __future__ import annotations

import json

import pytest
import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from tap_hubspot.errors import error_message, sort_response

TOKEN = "pat-na1-secret-token"  # noqa: S105


def make_response(status, body, *, reason="", headers=None, path="/crm/v3/objects/deals/search"):
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response.url = f"https://api.hubapi.com{path}?limit=10"
    response._content = (body if isinstance(body, str) else json.dumps(body)).encode()
    response.headers.update(headers or {})
    request = requests.Request(
        "POST", response.url, headers={"Authorization": f"Bearer {TOKEN}"}
    ).prepare()
    response.request = request
    return response


@pytest.mark.parametrize("status", [200, 201, 204, 207])
def test_success_passes(status):
    sort_response(make_response(status, {}))


def test_429_without_retry_after_is_retriable():
    body = {
        "status": "error",
        "message": "You have reached your secondly limit.",
        "correlationId": "c-429",
        "category": "RATE_LIMITS",
    }
    with pytest.raises(RetriableAPIError, match=r"429.*secondly limit.*c-429"):
        sort_response(make_response(429, body, reason="Too Many Requests"))


@pytest.mark.parametrize(
    ("status", "html", "title"),
    [
        (
            502,
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "502 Bad Gateway",
        ),
        (
            524,
            "<!DOCTYPE html><html><title>api.hubapi.com | 524: A timeout occurred</title>",
            "524: A timeout occurred",
        ),
        (500, "<h1>oops</h1>", "oops"),
    ],
)
def test_5xx_html_is_retriable_and_readable(status, html, title):
    with pytest.raises(RetriableAPIError) as info:
        sort_response(make_response(status, html, headers={"X-HubSpot-Correlation-Id": "c-5"}))
    assert title in str(info.value)
    assert "c-5" in str(info.value)


def test_403_names_the_missing_granular_scope():
    body = {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "correlationId": "c-403",
        "errors": [
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": ["crm.objects.contacts.read"]},
            }
        ],
        "category": "MISSING_SCOPES",
    }
    with pytest.raises(FatalAPIError) as info:
        sort_response(make_response(403, body, reason="Forbidden"))
    message = str(info.value)
    assert "crm.objects.contacts.read" in message
    assert "/crm/v3/objects/deals/search" in message
    assert "c-403" in message
    assert TOKEN not in message
    assert "limit=10" not in message


def test_403_names_the_legacy_required_scopes():
    body = {"errors": [{"context": {"requiredScopes": ["contacts"]}}], "correlationId": "x"}
    with pytest.raises(FatalAPIError, match="missing scope: contacts"):
        sort_response(make_response(403, body))


def test_401_is_fatal_and_names_the_setting_not_the_token():
    body = {
        "status": "error",
        "message": "Authentication credentials not found.",
        "correlationId": "c-401",
        "category": "INVALID_AUTHENTICATION",
    }
    with pytest.raises(FatalAPIError) as info:
        sort_response(make_response(401, body, reason="Unauthorized"))
    message = str(info.value)
    assert "401" in message
    assert "access_token" in message
    assert "c-401" in message
    assert TOKEN not in message


@pytest.mark.parametrize("status", [400, 404, 409, 414])
def test_other_4xx_are_fatal(status):
    with pytest.raises(FatalAPIError, match=str(status)):
        sort_response(make_response(status, "<html>URI Too Long</html>"))


def test_message_without_body_still_has_correlation_placeholder():
    message = error_message(make_response(500, ""))
    assert "correlation id none" in message

"""The one place that sorts HubSpot responses into success, retriable and fatal.

Messages carry status, reason, method, path (never the query), HubSpot's message and
category, and the correlation id; never the token or any request header.
"""

from __future__ import annotations

import json
import random
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import backoff
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

if TYPE_CHECKING:
    from collections.abc import Generator

    import requests

#: Attempts per request before a retriable error becomes fatal.
MAX_TRIES = 10
#: Longest wait between two attempts, in seconds.
MAX_WAIT = 20.0

_TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)
_BODY_EXCERPT = 200


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _missing_scopes(body: dict[str, Any]) -> list[str]:
    scopes: list[str] = []
    for error in body.get("errors") or []:
        context = error.get("context") or {} if isinstance(error, dict) else {}
        for key in ("requiredGranularScopes", "requiredScopes"):
            scopes.extend(str(scope) for scope in context.get(key) or [])
    context = body.get("context") or {}
    for key in ("requiredGranularScopes", "requiredScopes"):
        scopes.extend(str(scope) for scope in context.get(key) or [])
    return list(dict.fromkeys(scopes))


def _summary(response: requests.Response, body: dict[str, Any]) -> str:
    if body.get("message"):
        return str(body["message"])
    text = response.text or ""
    if match := _TITLE.search(text):
        return match.group(1)
    return " ".join(text.split())[:_BODY_EXCERPT]


def error_message(response: requests.Response) -> str:
    """Describe a failed response without secrets.

    Args:
        response: The failed response.

    Returns:
        One line: status, reason, method and path, HubSpot's message, category,
        missing scopes (403) and correlation id.
    """
    body = _body(response)
    method = response.request.method if response.request is not None else "?"
    path = urlparse(response.url).path
    parts = [f"HubSpot API {response.status_code} {response.reason} on {method} {path}"]
    if summary := _summary(response, body):
        parts.append(summary)
    if body.get("category"):
        parts.append(f"category {body['category']}")
    if response.status_code == HTTPStatus.FORBIDDEN:
        scopes = _missing_scopes(body)
        named = ", ".join(scopes) if scopes else "not named by HubSpot"
        parts.append(f"missing scope: {named}; grant it to the private app")
    if response.status_code == HTTPStatus.UNAUTHORIZED:
        parts.append("the access token (setting access_token, HUBSPOT_API_KEY) was rejected")
    correlation = body.get("correlationId") or response.headers.get("X-HubSpot-Correlation-Id")
    parts.append(f"correlation id {correlation or 'none'}")
    return "; ".join(parts)


def sort_response(response: requests.Response) -> None:
    """Raise for a failed response: 429 and 5xx retriable, every other 4xx fatal.

    Args:
        response: Any response.

    Raises:
        RetriableAPIError: 429 (HubSpot sends no Retry-After) and 5xx (often HTML).
        FatalAPIError: 401, 403 and every other 4xx, at once.
    """
    status = response.status_code
    if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise RetriableAPIError(error_message(response), response)
    if status >= HTTPStatus.BAD_REQUEST:
        raise FatalAPIError(error_message(response))


def wait_generator() -> Generator[float, None, None]:
    """Exponential waits between attempts: 0.5 s, 1 s, 2 s, ... up to MAX_WAIT.

    Returns:
        The generator `backoff` draws waits from.
    """
    return backoff.expo(base=2, factor=0.5, max_value=MAX_WAIT)


def jitter(value: float) -> float:
    """Spread a wait between half and one and a half times its value.

    Args:
        value: The wait from `wait_generator`.

    Returns:
        The jittered wait in seconds.
    """
    return value * random.uniform(0.5, 1.5)  # noqa: S311

"""HubSpot's error bodies, raised as :class:`ApiError` by handlers and turned into responses."""

from __future__ import annotations

import uuid
from typing import Any

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can "
    "find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about required "
    "scopes here: https://developers.hubspot.com/scopes."
)
SCOPES_LINK = "https://developers.hubspot.com/scopes"


def correlation_id() -> str:
    """Return a fresh correlation id (a UUID, as HubSpot uses)."""
    return str(uuid.uuid4())


class ApiError(Exception):
    """An error answer: HTTP status, JSON body and extra headers."""

    def __init__(
        self,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        """Keep the status, body and headers of the answer."""
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


def standard_error(
    status: int,
    message: str,
    category: str | None = None,
    **extra: Any,  # noqa: ANN401 - HubSpot's error fields are free-form JSON
) -> ApiError:
    """Build an :class:`ApiError` in HubSpot's standard error shape.

    Args:
        status: HTTP status code.
        message: The ``message`` field.
        category: The ``category`` field, left out when None (as for malformed JSON).
        **extra: More fields (``subCategory``, ``errors``, ``context``, ``links``).

    Returns:
        The error, ready to raise.
    """
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id(),
    }
    if category is not None:
        body["category"] = category
    body.update(extra)
    return ApiError(status, body)


def validation_error(message: str, **extra: Any) -> ApiError:  # noqa: ANN401
    """Build a 400 ``VALIDATION_ERROR``."""
    return standard_error(400, message, "VALIDATION_ERROR", **extra)


def not_found(message: str, **extra: Any) -> ApiError:  # noqa: ANN401
    """Build a 404 ``OBJECT_NOT_FOUND`` with HubSpot's ``X-HubSpot-NotFound`` header."""
    error = standard_error(404, message, "OBJECT_NOT_FOUND", **extra)
    error.headers["X-HubSpot-NotFound"] = "true"
    return error


def unauthorized() -> ApiError:
    """Build HubSpot's 401 for a missing or invalid token (and for ``hapikey``)."""
    error = standard_error(401, AUTH_MESSAGE, "INVALID_AUTHENTICATION")
    error.headers["X-HubSpot-Auth-Failure"] = "401 Unauthorized"
    return error


def missing_scopes(scopes: list[str]) -> ApiError:
    """Build HubSpot's 403 naming the granular scopes the call needs."""
    return standard_error(
        403,
        SCOPES_MESSAGE,
        "MISSING_SCOPES",
        errors=[
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": scopes},
            }
        ],
        links={"scopes": SCOPES_LINK},
    )


def invalid_json(detail: str) -> ApiError:
    """Build HubSpot's 400 for a malformed body: no category."""
    return standard_error(400, f"Invalid input JSON on line 1, column 1: {detail}")

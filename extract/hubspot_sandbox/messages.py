"""Request and response values passed between the HTTP server and the handlers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hubspot_sandbox.errors import invalid_json, validation_error

if TYPE_CHECKING:
    from collections.abc import Callable

JSON_TYPE = "application/json;charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Request:
    """One HTTP request.

    Attributes:
        method: HTTP method.
        path: URL path without the query.
        query: Query parameters (each may repeat).
        headers: Request headers, names lowercased.
        body: Raw body.
        base_url: ``http://host:port`` as the client addressed the server.
        client_host: The peer's IP address.
        target_length: Length of the request target (path plus query).
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    base_url: str
    client_host: str
    target_length: int

    def param(self, name: str) -> str | None:
        """Return the first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else None

    def flag(self, name: str) -> bool:
        """Return whether a boolean query parameter is ``true``."""
        return (self.param(name) or "").lower() == "true"

    def int_param(self, name: str, default: int) -> int:
        """Return an integer query parameter.

        Raises:
            ApiError: 400 when it is not an integer.
        """
        text = self.param(name)
        if text is None or text == "":
            return default
        try:
            return int(text)
        except ValueError:
            msg = f"{name} must be an integer, got {text!r}"
            raise validation_error(msg) from None

    def list_param(self, name: str) -> list[str] | None:
        """Return a comma list parameter, also when repeated (as the Python SDK sends it)."""
        values = self.query.get(name)
        if values is None:
            return None
        return [item for value in values for item in value.split(",") if item]

    def json(self) -> Any:  # noqa: ANN401 - any JSON document
        """Return the parsed body.

        Raises:
            ApiError: HubSpot's 400 ``Invalid input JSON`` for a malformed body.
        """
        try:
            return json.loads(self.body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise invalid_json(str(error)) from None


@dataclass
class Response:
    """One HTTP response: a JSON document, or raw bytes with their content type."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = JSON_TYPE

    def payload(self) -> bytes:
        """Return the encoded body."""
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Route:
    """One endpoint.

    Attributes:
        method: HTTP method.
        pattern: The endpoint as shown in statistics, e.g. ``GET /crm/v3/objects/{objectType}``.
        regex: Full-match regex of the path.
        handler: Produces the response.
        scopes: Returns the granular scopes the request needs.
        search: Whether the search rate limit (not the 10-second one) applies.
    """

    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: Callable[[Request, re.Match[str]], Response]
    scopes: Callable[[re.Match[str]], list[str]]
    search: bool = False


def route(
    method: str,
    template: str,
    handler: Callable[[Request, re.Match[str]], Response],
    scopes: Callable[[re.Match[str]], list[str]],
    *,
    search: bool = False,
) -> Route:
    """Build a :class:`Route` from a template like ``/crm/v3/objects/{objectType}``."""
    regex = re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template))
    return Route(method, f"{method} {template}", regex, handler, scopes, search)

"""JSON over HTTP for the cloud providers, with their errors sorted in one place."""

from __future__ import annotations

from typing import Any

import httpx

from ai_enrich.errors import (
    ContextOverflowError,
    ModelNotFoundError,
    ProviderError,
    ProviderUnreachableError,
)

HTTP_BAD_REQUEST = 400
HTTP_NOT_FOUND = 404
MAX_ERROR_CHARS = 300
CONTEXT_WORDS = ("context", "too long", "maximum", "token")


def post_json(
    provider: str,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    timeout: float,
) -> dict[str, Any]:
    """POST a JSON body and return the JSON reply.

    Args:
        provider: Name used in error messages.
        url: The endpoint (never carries a key: keys travel in headers).
        body: The request.
        headers: Authentication and version headers (never logged).
        timeout: Seconds for connect and each read.

    Returns:
        The decoded reply.

    Raises:
        ProviderUnreachableError: Connection failed or timed out.
        ModelNotFoundError: HTTP 404.
        ContextOverflowError: HTTP 400 about the input length.
        ProviderError: Any other HTTP error or a reply that is not a JSON object.
    """
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        message = f"{provider} did not answer within {timeout:g} s (AI_TIMEOUT_SECONDS)"
        raise ProviderUnreachableError(message) from None
    except httpx.TransportError as error:
        message = f"cannot reach {provider} at {httpx.URL(url).host}: {error}"
        raise ProviderUnreachableError(message) from None
    text = response.text[:MAX_ERROR_CHARS]
    if response.status_code == HTTP_NOT_FOUND:
        message = f"{provider}: model not found (HTTP 404): {text}"
        raise ModelNotFoundError(message)
    if response.status_code == HTTP_BAD_REQUEST and any(w in text.lower() for w in CONTEXT_WORDS):
        message = f"{provider}: input too long for the model (HTTP 400): {text}"
        raise ContextOverflowError(message)
    if response.is_error:
        message = f"{provider}: HTTP {response.status_code}: {text}"
        raise ProviderError(message)
    try:
        reply = response.json()
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        message = f"{provider}: reply is not a JSON object: {text}"
        raise ProviderError(message)
    return reply

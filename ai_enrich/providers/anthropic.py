"""Anthropic's Messages API (chat only: Anthropic has no embedding model)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ai_enrich.errors import ProviderError
from ai_enrich.providers.base import ChatModel
from ai_enrich.providers.http import post_json

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ai_enrich.providers.base import Message

API_URL = "https://api.anthropic.com/v1/messages"
API_VERSION = "2023-06-01"
MAX_TOKENS = 1024


class AnthropicChat(ChatModel):
    """Chat through POST /v1/messages; a schema is asked for in the system prompt."""

    def __init__(self, api_key: str, model: str, timeout: float, url: str = API_URL) -> None:
        """Remember the model and the key (sent only as the x-api-key header)."""
        self.model_id = model
        self._url = url
        self._headers = {"x-api-key": api_key, "anthropic-version": API_VERSION}
        self._timeout = timeout

    def chat(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """Return the assistant's reply.

        Args:
            messages: The conversation (system messages become the `system` field).
            schema: JSON schema of the reply, or None.

        Returns:
            The reply text.

        Raises:
            ProviderError: The reply lacks text.
        """
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        if schema is not None:
            system += (
                f"\n\nReply with only a JSON object following this schema: {json.dumps(schema)}"
            )
        body = {
            "model": self.model_id,
            "max_tokens": MAX_TOKENS,
            "temperature": 0,
            "system": system,
            "messages": [
                {"role": m.role, "content": m.content} for m in messages if m.role != "system"
            ],
        }
        reply = post_json("Anthropic", self._url, body, self._headers, self._timeout)
        try:
            return "".join(str(b["text"]) for b in reply["content"] if b.get("type") == "text")
        except (KeyError, TypeError) as error:
            message = f"Anthropic: malformed reply: {error}"
            raise ProviderError(message) from None

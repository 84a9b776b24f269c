"""Google Gemini: generateContent for chat, batchEmbedContents for embeddings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ai_enrich.errors import ProviderError
from ai_enrich.providers.base import ChatModel, EmbeddingModel
from ai_enrich.providers.http import post_json

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ai_enrich.providers.base import Message

API_URL = "https://generativelanguage.googleapis.com/v1beta"


class _GeminiBase:
    def __init__(self, api_key: str, model: str, timeout: float, url: str = API_URL) -> None:
        self.model_id = model
        self._url = url
        self._headers = {"x-goog-api-key": api_key}
        self._timeout = timeout

    def _post(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._url}/models/{self.model_id}:{method}"
        return post_json("Gemini", url, body, self._headers, self._timeout)


class GeminiEmbedding(_GeminiBase, EmbeddingModel):
    """Embeddings from models/{GEMINI_EMBED_MODEL}:batchEmbedContents."""

    batch_size = 64

    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Embed one batch.

        Args:
            items: The texts.

        Yields:
            One vector per text.

        Raises:
            ProviderError: The reply lacks vectors.
        """
        requests = [
            {"model": f"models/{self.model_id}", "content": {"parts": [{"text": t}]}} for t in items
        ]
        reply = self._post("batchEmbedContents", {"requests": requests})
        try:
            vectors = [[float(x) for x in e["values"]] for e in reply["embeddings"]]
        except (KeyError, TypeError, ValueError) as error:
            message = f"Gemini: malformed embeddings: {error}"
            raise ProviderError(message) from None
        if len(vectors) != len(items):
            message = "Gemini: wrong number of embeddings"
            raise ProviderError(message)
        yield from vectors


class GeminiChat(_GeminiBase, ChatModel):
    """Chat through models/{GEMINI_MODEL}:generateContent with JSON output."""

    def chat(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """Return the model's reply.

        Args:
            messages: The conversation (system messages become the system instruction).
            schema: JSON schema of the reply, or None.

        Returns:
            The reply text.

        Raises:
            ProviderError: The reply lacks text.
        """
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        body: dict[str, Any] = {
            "systemInstruction": {"parts": [{"text": system}]},
            "contents": [
                {
                    "role": "model" if m.role == "assistant" else "user",
                    "parts": [{"text": m.content}],
                }
                for m in messages
                if m.role != "system"
            ],
            "generationConfig": {"temperature": 0},
        }
        if schema is not None:
            body["generationConfig"]["responseMimeType"] = "application/json"
            body["systemInstruction"]["parts"][0]["text"] += (
                f"\n\nReply with only a JSON object following this schema: {json.dumps(schema)}"
            )
        reply = self._post("generateContent", body)
        try:
            parts = reply["candidates"][0]["content"]["parts"]
            return "".join(str(p.get("text", "")) for p in parts)
        except (KeyError, IndexError, TypeError) as error:
            message = f"Gemini: malformed reply: {error}"
            raise ProviderError(message) from None

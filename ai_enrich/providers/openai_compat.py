"""OpenAI-compatible /embeddings and /chat/completions (OpenAI, vLLM, LM Studio, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ai_enrich.errors import ProviderError
from ai_enrich.providers.base import ChatModel, EmbeddingModel
from ai_enrich.providers.http import post_json

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ai_enrich.providers.base import Message


class _OpenAIBase:
    def __init__(self, base_url: str, api_key: str, model: str, timeout: float) -> None:
        self.model_id = model
        self._base_url = base_url
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._timeout = timeout

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._base_url}{path}"
        return post_json("OpenAI-compatible API", url, body, self._headers, self._timeout)


class OpenAIEmbedding(_OpenAIBase, EmbeddingModel):
    """Embeddings from POST {OPENAI_BASE_URL}/embeddings."""

    batch_size = 64

    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Embed one batch.

        Args:
            items: The texts.

        Yields:
            One vector per text, in input order.

        Raises:
            ProviderError: The reply lacks vectors.
        """
        reply = self._post("/embeddings", {"model": self.model_id, "input": list(items)})
        try:
            data = sorted(reply["data"], key=lambda d: int(d["index"]))
            vectors = [[float(x) for x in d["embedding"]] for d in data]
        except (KeyError, TypeError, ValueError) as error:
            message = f"OpenAI-compatible API: malformed embeddings: {error}"
            raise ProviderError(message) from None
        if len(vectors) != len(items):
            message = "OpenAI-compatible API: wrong number of embeddings"
            raise ProviderError(message)
        yield from vectors


class OpenAIChat(_OpenAIBase, ChatModel):
    """Chat from POST {OPENAI_BASE_URL}/chat/completions with a JSON-schema response format."""

    def chat(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """Return the assistant's reply.

        Args:
            messages: The conversation.
            schema: JSON schema of the reply, or None.

        Returns:
            The reply text.

        Raises:
            ProviderError: The reply lacks a message.
        """
        body: dict[str, Any] = {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": 0,
        }
        if schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": schema},
            }
        reply = self._post("/chat/completions", body)
        try:
            return str(reply["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as error:
            message = f"OpenAI-compatible API: malformed reply: {error}"
            raise ProviderError(message) from None

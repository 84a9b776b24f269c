"""Ollama through the `ollama` client: /api/embed and /api/chat, errors sorted in one place."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
import ollama

from ai_enrich.errors import (
    ContextOverflowError,
    ModelNotFoundError,
    ProviderError,
    ProviderUnreachableError,
)
from ai_enrich.providers.base import ChatModel, EmbeddingModel

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ai_enrich.providers.base import Message

NUM_PREDICT = 1024
HTTP_NOT_FOUND = 404
HTTP_BAD_REQUEST = 400


class _OllamaBase:
    """Client construction, model checks and error translation shared by both models."""

    def __init__(self, base_url: str, model: str, timeout: float, num_ctx: int) -> None:
        self.base_url = base_url
        self.model_id = model
        self.num_ctx = num_ctx
        self.timeout = timeout
        self._client = ollama.Client(host=base_url, timeout=timeout)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn client and transport exceptions into ai_enrich errors.

        Raises:
            ModelNotFoundError: 404, the model is not pulled.
            ContextOverflowError: 400 about the context length.
            ProviderUnreachableError: Connection refused or no answer in time.
            ProviderError: Any other error reported by Ollama.
        """
        try:
            yield
        except ollama.ResponseError as error:
            raise self._sorted(error) from None
        except (ConnectionError, httpx.ConnectError, httpx.NetworkError) as error:
            message = f"cannot reach Ollama at {self.base_url} (OLLAMA_BASE_URL): {error}"
            raise ProviderUnreachableError(message) from None
        except httpx.TimeoutException:
            message = (
                f"Ollama at {self.base_url} did not answer within {self.timeout:g} s "
                "(AI_TIMEOUT_SECONDS)"
            )
            raise ProviderUnreachableError(message) from None

    def _sorted(self, error: ollama.ResponseError) -> ProviderError:
        text = str(error.error)
        if error.status_code == HTTP_NOT_FOUND or "not found" in text.lower():
            return ModelNotFoundError(
                f"model {self.model_id!r} not found on Ollama at {self.base_url}: "
                f"run 'ollama pull {self.model_id}' ({text})",
            )
        if "context" in text.lower() and error.status_code in (HTTP_BAD_REQUEST, -1):
            return ContextOverflowError(
                f"input too long for {self.model_id!r} (num_ctx {self.num_ctx}, "
                f"OLLAMA_NUM_CTX): {text}",
            )
        where = "mid-stream" if error.status_code == -1 else f"HTTP {error.status_code}"
        return ProviderError(f"Ollama error ({where}) for {self.model_id!r}: {text}")

    def capabilities(self) -> list[str]:
        """Ask /api/show what the model can do (e.g. "embedding", "completion").

        Returns:
            The capabilities Ollama reports (empty for servers too old to report them).
        """
        with self.errors():
            shown = self._client.show(self.model_id)
        return list(shown.capabilities or [])

    def check(self) -> str:
        """Check the model exists on the server.

        Returns:
            The model id with its capabilities.
        """
        return f"{self.model_id} ({', '.join(self.capabilities()) or 'available'})"


class OllamaEmbedding(_OllamaBase, EmbeddingModel):
    """Embeddings from Ollama's /api/embed (batched, never truncated silently)."""

    batch_size = 16

    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Embed one batch; Ollama rejects (400) an input longer than num_ctx.

        Args:
            items: The texts.

        Yields:
            One vector per text.

        Raises:
            ProviderError: Ollama returned a different number of vectors.
        """
        with self.errors():
            response = self._client.embed(
                model=self.model_id,
                input=list(items),
                truncate=False,
                options={"num_ctx": self.num_ctx},
            )
        if len(response.embeddings) != len(items):
            message = f"Ollama returned {len(response.embeddings)} vectors for {len(items)} texts"
            raise ProviderError(message)
        for vector in response.embeddings:
            yield [float(x) for x in vector]

    def check(self) -> str:
        """Check the model exists and can embed.

        Returns:
            The model id with its capabilities.

        Raises:
            ProviderError: The model is a chat-only model.
        """
        capabilities = self.capabilities()
        if capabilities and "embedding" not in capabilities:
            message = (
                f"{self.model_id!r} is no embedding model: set OLLAMA_EMBED_MODEL to one "
                "(e.g. bge-m3)"
            )
            raise ProviderError(message)
        return f"{self.model_id} ({', '.join(capabilities) or 'available'})"


class OllamaChat(_OllamaBase, ChatModel):
    """Chat through /api/chat, streamed, with an explicit num_ctx and a truncation check."""

    def chat(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """Stream a reply and check `prompt_eval_count` against num_ctx.

        Ollama truncates a prompt that does not fit without saying so: a prompt that leaves less
        than NUM_PREDICT tokens of room is treated as an overflow.

        Args:
            messages: The conversation.
            schema: JSON schema of the reply (Ollama's `format`), or None.

        Returns:
            The reply text.

        Raises:
            ContextOverflowError: The prompt filled the context window.
        """
        parts: list[str] = []
        prompt_tokens = None
        with self.errors():
            for chunk in self._client.chat(
                model=self.model_id,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                stream=True,
                format=schema,
                options={"num_ctx": self.num_ctx, "num_predict": NUM_PREDICT, "temperature": 0},
            ):
                parts.append(chunk.message.content or "")
                if chunk.done:
                    prompt_tokens = chunk.prompt_eval_count
        if prompt_tokens is not None and prompt_tokens + NUM_PREDICT > self.num_ctx:
            message = (
                f"the prompt used {prompt_tokens} of {self.num_ctx} context tokens of "
                f"{self.model_id!r} (Ollama truncates silently): raise OLLAMA_NUM_CTX or ask "
                "a narrower question"
            )
            raise ContextOverflowError(message)
        return "".join(parts)

"""The two provider interfaces: an embedding model and a chat model."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence


class EmbeddingModel(ABC):
    """Turns texts into vectors; `embed_batch` is the one method a provider implements."""

    model_id: str
    batch_size: int = 32

    @abstractmethod
    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Embed one batch of documents (at most `batch_size` texts).

        Args:
            items: The document texts.

        Yields:
            One vector per text, in order.
        """

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (models with query/passage prefixes override this).

        Args:
            text: The query.

        Returns:
            Its vector.
        """
        return next(iter(self.embed_batch([text])))

    def embed_multi(self, items: Iterable[str]) -> Iterator[list[float]]:
        """Embed any number of documents, `batch_size` at a time.

        Args:
            items: The document texts.

        Yields:
            One vector per text, in order.
        """
        batch: list[str] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield from self.embed_batch(batch)
                batch = []
        if batch:
            yield from self.embed_batch(batch)

    def check(self) -> str:
        """Check that the model is usable; return a short description.

        Raises:
            ProviderError: The provider is unreachable or lacks the model.
        """
        return self.model_id


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: str
    content: str


class ChatModel(ABC):
    """Answers a conversation, optionally constrained to a JSON schema."""

    model_id: str

    @abstractmethod
    def chat(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """Return the assistant's reply.

        Args:
            messages: System and user messages, in order.
            schema: A JSON schema the reply must follow (structured output), or None.

        Returns:
            The reply text (JSON text when a schema is given).
        """

    def check(self) -> str:
        """Check that the model is usable; return a short description.

        Raises:
            ProviderError: The provider is unreachable or lacks the model.
        """
        return self.model_id

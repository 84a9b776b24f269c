"""Wire the pieces one command needs from the settings; close connections afterwards."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Self

from ai_enrich.ask.router import Asker
from ai_enrich.ask.schema import MartSchema
from ai_enrich.db import Database, ReadOnlyDatabase
from ai_enrich.documents import DocumentBuilder
from ai_enrich.providers import factory
from ai_enrich.search import VectorIndex
from ai_enrich.store import EmbeddingStore

if TYPE_CHECKING:
    from types import TracebackType

    from ai_enrich.config import Settings
    from ai_enrich.providers.base import ChatModel, EmbeddingModel


class Runtime:
    """Lazily opened connections, store, index and models for one process."""

    def __init__(self, settings: Settings) -> None:
        """Remember the settings; nothing is opened yet."""
        self.settings = settings

    @cached_property
    def reader(self) -> ReadOnlyDatabase:
        """The read-only connection to the marts."""
        return ReadOnlyDatabase(self.settings.mysql)

    @cached_property
    def writer(self) -> Database:
        """The connection that writes the ai_* tables."""
        return Database(self.settings.mysql)

    @cached_property
    def store(self) -> EmbeddingStore:
        """ai_embeddings (migrated on first use)."""
        return EmbeddingStore(self.writer)

    @cached_property
    def builder(self) -> DocumentBuilder:
        """Documents from the marts."""
        return DocumentBuilder(self.reader)

    @cached_property
    def embedder(self) -> EmbeddingModel:
        """The embedding model of AI_EMBED_PROVIDER."""
        return factory.embedding_model(self.settings)

    @cached_property
    def chat(self) -> ChatModel | None:
        """The chat model of AI_MODEL_TYPE, or None."""
        return factory.chat_model(self.settings)

    @cached_property
    def index(self) -> VectorIndex:
        """The in-memory vectors of the embedding model."""
        return VectorIndex(self.store, self.embedder.model_id)

    @cached_property
    def asker(self) -> Asker:
        """The question router."""
        return Asker(
            reader=self.reader,
            schema=MartSchema.read(self.reader),
            builder=self.builder,
            index=self.index,
            embedder=self.embedder,
            chat=self.chat,
            database=self.settings.mysql.database,
        )

    def close(self) -> None:
        """Close whichever connections were opened."""
        for name in ("reader", "writer"):
            if name in self.__dict__:
                self.__dict__[name].close()

    def __enter__(self) -> Self:
        """Use as a context manager."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the connections."""
        self.close()

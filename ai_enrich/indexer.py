"""The embed job: render documents, embed only what is new or changed, drop what is gone."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ai_enrich.documents import Document, DocumentBuilder
    from ai_enrich.providers.base import EmbeddingModel
    from ai_enrich.store import EmbeddingStore


class Progress(Protocol):
    """Receives progress of the embed job (a rich progress bar on a terminal)."""

    def start(self, entity: str, total: int) -> None:
        """An entity begins with `total` documents to embed."""

    def advance(self, count: int) -> None:
        """`count` more documents were embedded."""


@dataclass
class EmbedSummary:
    """What one embed run did."""

    model: str
    embedded: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0
    entities: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary printed at the end."""
        return (
            f"embedded {self.embedded}, unchanged {self.unchanged}, deleted {self.deleted} "
            f"in {self.seconds:.1f} s (model {self.model})"
        )


@dataclass(frozen=True)
class Plan:
    """What one entity needs: the documents to embed, and how many are unchanged."""

    to_embed: list[Document]
    unchanged: int


@dataclass(frozen=True)
class Indexer:
    """Keeps ai_embeddings in step with the marts for one embedding model."""

    builder: DocumentBuilder
    store: EmbeddingStore
    embedder: EmbeddingModel

    def plan(self, entity: str, documents: Sequence[Document], *, full: bool) -> Plan:
        """Compare rendered documents with the stored rows of the same model.

        A document is skipped only when the same (model, entity, record id) is stored with the
        same content hash; `full` re-embeds everything.
        """
        stored = self.store.existing(self.embedder.model_id, entity)
        to_embed = [
            d
            for d in documents
            if full or d.record_id not in stored or stored[d.record_id] != d.content_hash
        ]
        return Plan(to_embed=to_embed, unchanged=len(documents) - len(to_embed))

    def run(
        self,
        entities: Sequence[str],
        *,
        full: bool = False,
        progress: Progress | None = None,
    ) -> EmbedSummary:
        """Bring ai_embeddings up to date for the given entities.

        Rows of records gone from the marts are deleted (under every model); new and changed
        documents are embedded in batches of the embedder's `batch_size`, each batch stored
        in its own transaction.

        Args:
            entities: Which entities to process.
            full: Re-embed every record, changed or not.
            progress: Optional progress receiver.

        Returns:
            Counts and duration.
        """
        started = time.monotonic()
        model = self.embedder.model_id
        summary = EmbedSummary(model=model, entities=list(entities))
        for entity in entities:
            documents = self.builder.build(entity)
            gone = sorted(self.store.record_ids(entity) - {d.record_id for d in documents})
            self.store.delete(entity, gone)
            summary.deleted += len(gone)
            work = self.plan(entity, documents, full=full)
            summary.unchanged += work.unchanged
            if progress is not None:
                progress.start(entity, len(work.to_embed))
            size = self.embedder.batch_size
            for start in range(0, len(work.to_embed), size):
                batch = work.to_embed[start : start + size]
                vectors = list(self.embedder.embed_batch([d.text for d in batch]))
                self.store.upsert(model, list(zip(batch, vectors, strict=True)))
                summary.embedded += len(batch)
                if progress is not None:
                    progress.advance(len(batch))
        summary.seconds = time.monotonic() - started
        return summary

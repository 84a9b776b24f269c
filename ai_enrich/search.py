"""Cosine top-k over the stored vectors, cached in memory and reloaded when the table changes.

Whether the table changed is checked (one aggregate query) at most every CHECK_INTERVAL_SECONDS.
Small indexes are searched exactly. A large one (more than EXACT_MAX_FLOATS numbers) would need
a full pass over its matrix per query, which is memory-bandwidth bound (100,000 x 768 float32 is
300 MB: 25-40 ms here), so it is searched in two stages: a PCA projection to PREFILTER_DIMS
dimensions picks CANDIDATES rows, and those are re-ranked exactly with the full vectors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ai_enrich.errors import NoEmbeddingsError, ProviderError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ai_enrich.store import EmbeddingStore, StoredVectors

EXACT_MAX_FLOATS = 8_000_000
PREFILTER_DIMS = 128
CANDIDATES = 2_000
PCA_SAMPLE = 8_192
CHECK_INTERVAL_SECONDS = 2.0


@dataclass(frozen=True)
class Hit:
    """One search result."""

    entity: str
    record_id: int
    hubspot_id: str
    title: str
    score: float


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k highest scores, best first."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


def pca_projection(matrix: np.ndarray, dims: int, seed: int = 0) -> np.ndarray:
    """The `dims` principal directions of (a sample of) the rows, as a (d, dims) matrix."""
    rng = np.random.default_rng(seed)
    sample = matrix[rng.choice(len(matrix), size=min(PCA_SAMPLE, len(matrix)), replace=False)]
    _, vectors = np.linalg.eigh(sample.T @ sample)
    return np.ascontiguousarray(vectors[:, ::-1][:, :dims], dtype=np.float32)


class VectorIndex:
    """The vectors of one model as a row-normalised float32 matrix, grouped by entity."""

    def __init__(self, store: EmbeddingStore, model: str) -> None:
        """Remember where the vectors live; nothing is loaded until the first search.

        Args:
            store: The ai_embeddings table.
            model: The embedding model id whose vectors are searched.
        """
        self._store = store
        self.model = model
        self._fingerprint: tuple[int, str] | None = None
        self._checked_at = -CHECK_INTERVAL_SECONDS
        self._vectors: StoredVectors | None = None
        self._normalised = np.zeros((0, 0), dtype=np.float32)
        self._projection: np.ndarray | None = None
        self._coarse = np.zeros((0, 0), dtype=np.float32)
        self._slices: dict[str, slice] = {}

    def refresh(self) -> bool:
        """Reload the vectors if the table changed since the last load.

        Returns:
            True when the vectors were (re)loaded.
        """
        fingerprint = self._store.fingerprint(self.model)
        self._checked_at = time.monotonic()
        if fingerprint == self._fingerprint:
            return False
        self.use(self._store.load(self.model))
        self._fingerprint = fingerprint
        return True

    def use(self, vectors: StoredVectors) -> None:
        """Index these vectors (normalised in place; PCA prefilter when the index is large)."""
        matrix = vectors.matrix
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        self._normalised = matrix
        self._slices = _entity_slices(vectors.entities)
        self._vectors = vectors
        self._projection = None
        if matrix.size > EXACT_MAX_FLOATS and matrix.shape[1] > PREFILTER_DIMS:
            self._projection = pca_projection(matrix, PREFILTER_DIMS)
            self._coarse = matrix @ self._projection

    def __len__(self) -> int:
        """Number of loaded vectors."""
        return len(self._normalised)

    def search(
        self,
        query: Sequence[float],
        entity: str | None = None,
        limit: int = 10,
    ) -> list[Hit]:
        """The `limit` records most similar to the query vector.

        Args:
            query: The query vector (same model).
            entity: Restrict to one entity, or None for all.
            limit: How many hits.

        Returns:
            Hits, best first.

        Raises:
            NoEmbeddingsError: Nothing is stored for this model.
            ProviderError: The query vector's dimensions differ from the stored ones.
        """
        if time.monotonic() - self._checked_at >= CHECK_INTERVAL_SECONDS:
            self.refresh()
        vectors = self._vectors
        if vectors is None or not len(self):
            message = f"no embeddings stored for model {self.model!r}: run 'ai_enrich embed' first"
            raise NoEmbeddingsError(message)
        q = np.asarray(query, dtype=np.float32)
        if q.shape[0] != self._normalised.shape[1]:
            message = (
                f"query vector has {q.shape[0]} dimensions, stored vectors of {self.model!r} "
                f"have {self._normalised.shape[1]}"
            )
            raise ProviderError(message)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        part = self._slices.get(entity, slice(0, 0)) if entity else slice(0, len(self))
        rows, scores = self._rank(q, part, limit)
        return [
            Hit(
                entity=vectors.entities[i],
                record_id=vectors.record_ids[i],
                hubspot_id=vectors.hubspot_ids[i],
                title=vectors.titles[i],
                score=round(float(s), 4),
            )
            for i, s in zip(rows, scores, strict=True)
        ]

    def _rank(self, q: np.ndarray, part: slice, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and exact scores of the best `limit` rows within `part`."""
        offset = part.start or 0
        size = (part.stop or 0) - offset
        if self._projection is None or size <= max(CANDIDATES, limit):
            scores = self._normalised[part] @ q
            best = top_k(scores, limit)
            return best + offset, scores[best]
        coarse = self._coarse[part] @ (q @ self._projection)
        candidates = top_k(coarse, max(CANDIDATES, limit)) + offset
        exact = self._normalised[candidates] @ q
        best = top_k(exact, limit)
        return candidates[best], exact[best]


def _entity_slices(entities: Sequence[str]) -> dict[str, slice]:
    """Row ranges of each entity (rows are ordered by entity)."""
    slices: dict[str, slice] = {}
    start = 0
    for index in range(1, len(entities) + 1):
        if index == len(entities) or entities[index] != entities[start]:
            slices[entities[start]] = slice(start, index)
            start = index
    return slices

"""The ai_embeddings table: one little-endian float32 vector per (model, entity, record id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ai_enrich.errors import DatabaseError
from ai_enrich.migrations import migrate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ai_enrich.db import Database
    from ai_enrich.documents import Document

DELETE_CHUNK = 1000


@dataclass(frozen=True)
class StoredVectors:
    """All vectors of one model, ordered by entity then record id."""

    entities: list[str]
    record_ids: list[int]
    hubspot_ids: list[str]
    titles: list[str]
    matrix: np.ndarray


def encode_vector(vector: Sequence[float]) -> bytes:
    """Little-endian float32 bytes of a vector."""
    return np.asarray(vector, dtype="<f4").tobytes()


class EmbeddingStore:
    """Reads and writes ai_embeddings in MYSQL_DATABASE (created by the migrations)."""

    def __init__(self, db: Database) -> None:
        """Apply pending migrations and keep the connection.

        Args:
            db: A writable connection to MYSQL_DATABASE.
        """
        migrate(db)
        self._db = db

    def existing(self, model: str, entity: str) -> dict[int, str]:
        """Content hashes of one model's stored rows of one entity, by record id.

        Read from the (model, entity, content_hash) index alone: no vector is read.
        """
        rows = self._db.rows(
            "SELECT record_id, content_hash FROM ai_embeddings WHERE model = %s AND entity = %s",
            (model, entity),
        )
        return {int(r["record_id"]): str(r["content_hash"]) for r in rows}

    def record_ids(self, entity: str) -> set[int]:
        """Record ids of one entity stored under any model."""
        rows = self._db.rows(
            "SELECT DISTINCT record_id FROM ai_embeddings WHERE entity = %s", (entity,)
        )
        return {int(r["record_id"]) for r in rows}

    def upsert(self, model: str, pairs: Sequence[tuple[Document, Sequence[float]]]) -> None:
        """Insert or replace the vectors of some documents (one transaction).

        Args:
            model: The embedding model id.
            pairs: Each document with its vector.
        """
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self._db.executemany(
            "INSERT INTO ai_embeddings (model, entity, record_id, hubspot_id, title, dimensions, "
            "content_hash, embedding, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON DUPLICATE KEY UPDATE hubspot_id = VALUES(hubspot_id), title = VALUES(title), "
            "dimensions = VALUES(dimensions), content_hash = VALUES(content_hash), "
            "embedding = VALUES(embedding), updated_at = VALUES(updated_at)",
            [
                (
                    model,
                    d.entity,
                    d.record_id,
                    d.hubspot_id,
                    d.title,
                    len(v),
                    d.content_hash,
                    encode_vector(v),
                    now,
                )
                for d, v in pairs
            ],
        )

    def delete(self, entity: str, record_ids: Sequence[int]) -> None:
        """Delete the rows of records that are gone from the marts, under every model."""
        for start in range(0, len(record_ids), DELETE_CHUNK):
            chunk = list(record_ids[start : start + DELETE_CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            self._db.execute(
                f"DELETE FROM ai_embeddings WHERE entity = %s AND record_id IN ({marks})",  # noqa: S608
                (entity, *chunk),
            )

    def fingerprint(self, model: str) -> tuple[int, str]:
        """A value that changes whenever the model's rows change: (count, latest write).

        Both come from the (model, updated_at) index (forced: the optimizer would otherwise scan
        the clustered index with its vectors, 2 s for 100,000 rows instead of 45 ms).
        """
        row = self._db.rows(
            "SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM ai_embeddings "
            "FORCE INDEX (idx_ai_embeddings_model_updated) WHERE model = %s",
            (model,),
        )[0]
        return int(row["n"]), str(row["latest"])

    def counts(self) -> dict[tuple[str, str], int]:
        """Rows per (model, entity)."""
        rows = self._db.rows(
            "SELECT model, entity, COUNT(*) AS n FROM ai_embeddings GROUP BY model, entity"
        )
        return {(str(r["model"]), str(r["entity"])): int(r["n"]) for r in rows}

    def load(self, model: str) -> StoredVectors:
        """Every vector of one model as a float32 matrix (rows ordered by entity, record id).

        Args:
            model: The embedding model id.

        Returns:
            The vectors and their keys; an empty matrix when nothing is stored.

        Raises:
            DatabaseError: The model's vectors do not all have the same size.
        """
        rows = self._db.rows(
            "SELECT entity, record_id, hubspot_id, title, dimensions, embedding "
            "FROM ai_embeddings WHERE model = %s ORDER BY entity, record_id",
            (model,),
        )
        dimensions = int(rows[0]["dimensions"]) if rows else 0
        if any(int(r["dimensions"]) != dimensions for r in rows):
            message = f"ai_embeddings holds vectors of different sizes for model {model!r}"
            raise DatabaseError(message)
        matrix = np.empty((len(rows), dimensions), dtype=np.float32)
        for index, row in enumerate(rows):
            matrix[index] = np.frombuffer(row["embedding"], dtype="<f4")
        return StoredVectors(
            entities=[str(r["entity"]) for r in rows],
            record_ids=[int(r["record_id"]) for r in rows],
            hubspot_ids=[str(r["hubspot_id"]) for r in rows],
            titles=[str(r["title"] or "") for r in rows],
            matrix=matrix,
        )

"""Numbered, idempotent migrations of the ai_* tables (recorded in ai_migrations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from ai_enrich.db import Database

LOCK_NAME = "ai_enrich_migrations"
LOCK_WAIT_SECONDS = 30


def _m001_create_ai_embeddings(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS ai_embeddings (
            model VARCHAR(191) NOT NULL,
            entity VARCHAR(32) NOT NULL,
            record_id BIGINT NOT NULL,
            hubspot_id VARCHAR(255) NOT NULL,
            title VARCHAR(500) NULL,
            dimensions INT NOT NULL,
            content_hash CHAR(64) NOT NULL,
            embedding MEDIUMBLOB NOT NULL,
            updated_at DATETIME(6) NOT NULL,
            PRIMARY KEY (model, entity, record_id),
            INDEX idx_ai_embeddings_entity_record (entity, record_id),
            INDEX idx_ai_embeddings_model_hash (model, entity, content_hash),
            INDEX idx_ai_embeddings_model_updated (model, updated_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
    )


MIGRATIONS: tuple[tuple[int, str, Callable[[Database], None]], ...] = (
    (1, "create ai_embeddings", _m001_create_ai_embeddings),
)


def migrate(db: Database) -> list[int]:
    """Apply the migrations not yet recorded, in order, under a named lock.

    Args:
        db: A writable connection to MYSQL_DATABASE.

    Returns:
        The numbers of the migrations applied by this call.
    """
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS ai_migrations (
            number INT NOT NULL PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            applied_at DATETIME(6) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
    )
    db.rows("SELECT GET_LOCK(%s, %s) AS got", (LOCK_NAME, LOCK_WAIT_SECONDS))
    try:
        done = {int(row["number"]) for row in db.rows("SELECT number FROM ai_migrations")}
        applied = []
        for number, name, apply in MIGRATIONS:
            if number in done:
                continue
            apply(db)
            db.execute(
                "INSERT INTO ai_migrations (number, name, applied_at) "
                "VALUES (%s, %s, UTC_TIMESTAMP(6))",
                (number, name),
            )
            applied.append(number)
        return applied
    finally:
        db.rows("SELECT RELEASE_LOCK(%s) AS released", (LOCK_NAME,))

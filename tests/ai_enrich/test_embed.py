"""embed: only new or changed documents are embedded; deletions; model change; migrations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from ai_enrich.config import Settings
from ai_enrich.db import Database
from ai_enrich.documents import DocumentBuilder
from ai_enrich.errors import DatabaseError
from ai_enrich.migrations import migrate
from tests.ai_enrich.conftest import run_cli
from tests.ai_enrich.fake_ollama import FakeOllama, fake_vector

if TYPE_CHECKING:
    from ai_enrich.runtime import Runtime
    from tests.fixtures.mysql import MySQLDatabase

ALL_RECORDS = 4 + 3 + 4 + 4


def embed_json(*args: str) -> dict[str, Any]:
    result = run_cli("embed", "--json", *args)
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.output)
    return parsed


@pytest.mark.usefixtures("env")
def test_first_run_embeds_everything_and_rerun_embeds_nothing(
    crm: MySQLDatabase, fake_ollama: FakeOllama
) -> None:
    first = embed_json()
    assert first["embedded"] == ALL_RECORDS
    assert len(fake_ollama.embed_inputs()) == ALL_RECORDS
    calls = len(fake_ollama.requests)

    second = embed_json()

    assert second["embedded"] == 0
    assert second["unchanged"] == ALL_RECORDS
    assert len(fake_ollama.requests) == calls  # not one call to the server
    rows = crm.query(
        "SELECT model, entity, record_id, dimensions, LENGTH(embedding) FROM ai_embeddings"
    )
    assert len(rows) == ALL_RECORDS
    assert {(r[0], r[3], r[4]) for r in rows} == {("fake-embed", 256, 256 * 4)}


@pytest.mark.usefixtures("env")
def test_changing_one_record_embeds_exactly_that_one(
    crm: MySQLDatabase, fake_ollama: FakeOllama
) -> None:
    embed_json()
    before = len(fake_ollama.embed_inputs())
    crm.query("UPDATE properties SET bukken_address = '東京都渋谷区神南9-9-9' WHERE id = 301")

    summary = embed_json()

    new_inputs = fake_ollama.embed_inputs()[before:]
    assert summary["embedded"] == 1
    assert len(new_inputs) == 1
    assert "神南9-9-9" in new_inputs[0]


@pytest.mark.usefixtures("env")
def test_renaming_a_bukken_reembeds_the_deals_and_contacts_that_name_it(
    crm: MySQLDatabase, fake_ollama: FakeOllama
) -> None:
    embed_json()
    before = len(fake_ollama.embed_inputs())
    crm.query("UPDATE properties SET bukken_name = '渋谷スカイタワー' WHERE id = 301")

    summary = embed_json()

    # the bukken itself, deal 401 and contact 201 carry its name
    assert summary["embedded"] == 3
    assert all("渋谷スカイタワー" in text for text in fake_ollama.embed_inputs()[before:])


@pytest.mark.usefixtures("env")
def test_stored_vector_is_little_endian_float32_of_the_document(
    crm: MySQLDatabase, runtime: Runtime
) -> None:
    embed_json("--entity", "deals")
    blob = crm.query("SELECT embedding FROM ai_embeddings WHERE record_id = 401")[0][0]
    document = next(d for d in runtime.builder.build("deals") if d.record_id == 401)
    stored = np.frombuffer(bytes(blob), dtype="<f4")  # type: ignore[call-overload]
    assert np.allclose(stored, fake_vector(document.text, 256), atol=1e-6)
    assert "株式会社山田不動産" in document.text  # its company
    assert "山田 太郎" in document.text  # its contact
    assert "渋谷ガーデンタワー" in document.text  # its bukken


@pytest.mark.usefixtures("env")
def test_deleted_records_lose_their_rows(crm: MySQLDatabase) -> None:
    embed_json()
    crm.query("DELETE FROM deal_property_associations WHERE property_id = 303")
    crm.query("DELETE FROM properties WHERE id = 303")

    summary = embed_json()

    assert summary["deleted"] == 1
    assert summary["embedded"] == 1  # deal 403 no longer names the bukken
    assert crm.query("SELECT COUNT(*) FROM ai_embeddings WHERE record_id = 303") == [(0,)]


@pytest.mark.usefixtures("env")
def test_model_change_embeds_beside_the_old_rows(
    crm: MySQLDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed_json()
    monkeypatch.setenv("OLLAMA_EMBED_MODEL", "fake-embed-2")

    summary = embed_json()

    assert summary["embedded"] == ALL_RECORDS
    rows = crm.query("SELECT model, COUNT(*) FROM ai_embeddings GROUP BY model")
    counts = {row[0]: row[1] for row in rows}
    assert counts == {"fake-embed": ALL_RECORDS, "fake-embed-2": ALL_RECORDS}
    dims = crm.query("SELECT DISTINCT dimensions FROM ai_embeddings WHERE model = 'fake-embed-2'")
    assert dims == [(48,)]


@pytest.mark.usefixtures("env")
def test_full_reembeds_unchanged_records(fake_ollama: FakeOllama) -> None:
    embed_json("--entity", "companies")
    summary = embed_json("--entity", "companies", "--full")
    assert summary["embedded"] == 4
    assert len(fake_ollama.embed_inputs()) == 8


@pytest.mark.usefixtures("env")
def test_summary_line_without_json() -> None:
    result = run_cli("embed")
    assert result.exit_code == 0
    assert result.output.startswith(f"embedded {ALL_RECORDS}, unchanged 0, deleted 0 in ")


def test_migrations_are_numbered_and_idempotent(crm: MySQLDatabase) -> None:
    db = Database(Settings.from_env({"MYSQL_DATABASE": crm.name, **_login(crm)}).mysql)
    try:
        assert migrate(db) == [1]
        assert migrate(db) == []
    finally:
        db.close()
    assert crm.query("SELECT number, name FROM ai_migrations") == [(1, "create ai_embeddings")]


def test_documents_are_read_through_a_read_only_connection(runtime: Runtime) -> None:
    builder = DocumentBuilder(runtime.reader)
    assert len(builder.build("companies")) == 4
    with pytest.raises(Exception, match="read-only connection"):
        runtime.reader.execute("DELETE FROM companies")
    with pytest.raises(DatabaseError, match="READ ONLY"):
        runtime.reader.rows("DELETE FROM companies WHERE id = 101")
    assert runtime.reader.rows("SELECT COUNT(*) AS n FROM companies") == [{"n": 4}]
    variable = "max_statement_time" if runtime.reader.is_mariadb else "max_execution_time"
    cap = runtime.reader.rows(f"SELECT @@session.{variable} AS cap")[0]["cap"]
    assert float(cap) == (10.0 if runtime.reader.is_mariadb else 10_000)


def _login(database: MySQLDatabase) -> dict[str, str]:
    s = database.settings
    return {
        "MYSQL_HOST": s.host,
        "MYSQL_PORT": str(s.port),
        "MYSQL_USER": s.user,
        "MYSQL_PASSWORD": s.password,
    }

"""Fixtures of the ai_enrich tests: the fake Ollama server, a seeded marts database, settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from ai_enrich.cli import main
from ai_enrich.config import Settings
from ai_enrich.runtime import Runtime
from tests.ai_enrich.fake_ollama import FakeOllama, start
from tests.ai_enrich.marts import seed_small_crm

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.fixtures.mysql import MySQLDatabase


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    fake = FakeOllama()
    server, _ = start(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def crm(mysql_database: MySQLDatabase) -> MySQLDatabase:
    seed_small_crm(mysql_database)
    return mysql_database


@pytest.fixture
def env(
    crm: MySQLDatabase, fake_ollama: FakeOllama, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The process environment of one run: the seeded marts and the fake Ollama."""
    values = {
        "MYSQL_HOST": crm.settings.host,
        "MYSQL_PORT": str(crm.settings.port),
        "MYSQL_USER": crm.settings.user,
        "MYSQL_PASSWORD": crm.settings.password,
        "MYSQL_DATABASE": crm.name,
        "AI_MODEL_TYPE": "ollama",
        "AI_EMBED_PROVIDER": "ollama",
        "OLLAMA_BASE_URL": fake_ollama.url,
        "OLLAMA_MODEL": "fake-chat",
        "OLLAMA_EMBED_MODEL": "fake-embed",
        "AI_TIMEOUT_SECONDS": "5",
    }
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OLLAMA_NUM_CTX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def runtime(env: dict[str, str]) -> Iterator[Runtime]:
    with Runtime(Settings.from_env(env)) as rt:
        yield rt


def run_cli(*args: str) -> Result:
    """Run the CLI in-process with the current (monkeypatched) environment."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)

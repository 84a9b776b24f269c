"""Failures end in one clear line and a non-zero exit, never a traceback; keys never shown."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import ollama
import pytest

from ai_enrich.config import Settings
from tests.ai_enrich.conftest import run_cli

if TYPE_CHECKING:
    from tests.ai_enrich.fake_ollama import FakeOllama
    from tests.fixtures.mysql import MySQLDatabase


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_error_line(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.mark.usefixtures("env")
def test_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_BASE_URL", f"http://127.0.0.1:{closed_port()}")
    line = one_error_line("embed")
    assert "cannot reach Ollama at http://127.0.0.1:" in line
    assert "(OLLAMA_BASE_URL)" in line


@pytest.mark.usefixtures("env")
def test_unreachable_server_from_python_m() -> None:
    child_env = {**os.environ, "OLLAMA_BASE_URL": f"http://127.0.0.1:{closed_port()}"}
    result = subprocess.run(
        [sys.executable, "-m", "ai_enrich", "search", "倉庫"],
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot reach Ollama" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("env")
def test_missing_embedding_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_EMBED_MODEL", "bge-m3")
    line = one_error_line("embed")
    assert "model 'bge-m3' not found" in line
    assert "ollama pull bge-m3" in line


@pytest.mark.usefixtures("env")
def test_missing_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("embed").exit_code == 0
    monkeypatch.setenv("OLLAMA_MODEL", "llama3")
    assert "model 'llama3' not found" in one_error_line("ask", "横浜の倉庫は?")


@pytest.mark.usefixtures("env")
def test_embedding_input_over_the_context(crm: MySQLDatabase) -> None:
    crm.query("UPDATE companies SET description = %s WHERE id = 101", ("物件" * 600,))
    line = one_error_line("embed", "--entity", "companies")
    assert "input too long for 'fake-embed'" in line
    assert "the input length exceeds the context length" in line


@pytest.mark.usefixtures("env")
def test_chat_prompt_truncated_silently_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("embed").exit_code == 0
    monkeypatch.setenv("OLLAMA_NUM_CTX", "1500")
    line = one_error_line("ask", "東京都の物件で進行中の取引は何件?")
    assert "context tokens of 'fake-chat'" in line
    assert "OLLAMA_NUM_CTX" in line


@pytest.mark.usefixtures("env")
def test_slow_server_times_out(fake_ollama: FakeOllama, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "0.3")
    fake_ollama.delay = 1.0
    assert "did not answer within 0.3 s" in one_error_line("search", "倉庫")


@pytest.mark.usefixtures("env")
def test_error_line_in_the_middle_of_a_stream(fake_ollama: FakeOllama) -> None:
    assert run_cli("embed").exit_code == 0
    fake_ollama.stream_error = "model runner has unexpectedly stopped"
    fake_ollama.replies = ['{"route": "retrieval", "sql": ""}']
    line = one_error_line("ask", "横浜の倉庫は?")
    assert "Ollama error (mid-stream)" in line
    assert "model runner has unexpectedly stopped" in line


def test_the_fake_also_answers_without_streaming(fake_ollama: FakeOllama) -> None:
    fake_ollama.replies = ["hello"]
    client = ollama.Client(host=fake_ollama.url, timeout=5)
    reply = client.chat(model="fake-chat", messages=[{"role": "user", "content": "hi"}])
    assert reply.message.content == "hello"
    assert reply.done
    assert [m.model for m in client.list().models] == [
        "fake-embed:latest",
        "fake-embed-2:latest",
        "fake-chat:latest",
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AI_MODEL_TYPE", "llama", "AI_MODEL_TYPE must be one of"),
        ("AI_EMBED_PROVIDER", "anthropic", "AI_EMBED_PROVIDER must be one of"),
        ("MYSQL_PORT", "mysql", "MYSQL_PORT must be a positive integer"),
        ("MYSQL_DATABASE", "mirai-ai;drop", "MYSQL_DATABASE must be a database name"),
        ("OLLAMA_BASE_URL", "localhost:11434", "OLLAMA_BASE_URL must be an http(s) URL"),
        ("AI_TIMEOUT_SECONDS", "0", "AI_TIMEOUT_SECONDS must be a positive number"),
        ("AI_MODEL_TYPE", "anthropic", "ANTHROPIC_API_KEY is required"),
        ("AI_EMBED_PROVIDER", "gemini", "GEMINI_API_KEY is required"),
    ],
)
def test_wrong_settings_fail_at_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    for key in ("ANTHROPIC_API_KEY", "GEMINI_API_KEY", "AI_MODEL_TYPE", "AI_EMBED_PROVIDER"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv(name, value)
    assert message in one_error_line("status")


@pytest.mark.usefixtures("env")
def test_keys_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-test-very-secret-key"  # noqa: S105 - a fake key
    monkeypatch.setenv("AI_MODEL_TYPE", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    assert run_cli("embed").exit_code == 0
    result = run_cli("ask", "横浜の倉庫は?")
    status = run_cli("status", "--json")
    assert result.exit_code == 1
    assert "cannot reach OpenAI-compatible API" in result.output
    assert secret not in result.output + status.output
    assert secret not in repr(Settings.from_env())


@pytest.mark.usefixtures("env")
def test_status_reports_models_reachability_and_counts(crm: MySQLDatabase) -> None:
    assert run_cli("embed").exit_code == 0
    crm.query("UPDATE deals SET amount = 1 WHERE id = 402")
    crm.query("INSERT INTO companies (id, hubspot_id, name) VALUES (105, '105', '新会社')")

    report = json.loads(run_cli("status", "--json").output)

    assert report["chat"] | {"detail": ""} == {
        "provider": "ollama",
        "model": "fake-chat",
        "reachable": True,
        "detail": "",
    }
    assert report["embedding"]["reachable"] is True
    assert "embedding" in report["embedding"]["detail"]
    assert report["entities"]["deals"] == {
        "records": 4,
        "embedded": 3,
        "outdated": 1,
        "missing": 0,
        "stale": 0,
    }
    assert report["entities"]["companies"]["missing"] == 1


@pytest.mark.usefixtures("env")
def test_status_with_the_server_down_still_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_BASE_URL", f"http://127.0.0.1:{closed_port()}")
    result = run_cli("status")
    assert result.exit_code == 0
    assert "embedding: ollama fake-embed (not reachable: cannot reach Ollama" in result.output


@pytest.mark.usefixtures("env")
def test_status_flags_a_chat_model_used_as_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_EMBED_MODEL", "fake-chat")
    report = json.loads(run_cli("status", "--json").output)
    assert report["embedding"]["reachable"] is False
    assert "is no embedding model" in report["embedding"]["detail"]


@pytest.mark.usefixtures("env")
def test_status_without_a_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OLLAMA_MODEL")
    result = run_cli("status")
    assert result.exit_code == 0
    assert "chat: ollama - (not configured: no chat model configured" in result.output

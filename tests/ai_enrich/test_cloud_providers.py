"""The thin OpenAI-compatible, Anthropic and Gemini clients against tiny fake HTTP servers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from ai_enrich.errors import ContextOverflowError, ModelNotFoundError, ProviderError
from ai_enrich.providers.anthropic import AnthropicChat
from ai_enrich.providers.base import Message
from ai_enrich.providers.gemini import GeminiChat, GeminiEmbedding
from ai_enrich.providers.openai_compat import OpenAIChat, OpenAIEmbedding

if TYPE_CHECKING:
    from collections.abc import Iterator

MESSAGES = [Message("system", "rules"), Message("user", "質問")]


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.status = 200
        self.reply: dict[str, Any] = {}
        self.url = ""


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            recorder.requests.append((self.path, dict(self.headers), body))
            data = json.dumps(recorder.reply).encode()
            self.send_response(recorder.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{http.server_address[1]}"
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield recorder
    http.shutdown()
    http.server_close()


def test_openai_embeddings_in_input_order(server: Recorder) -> None:
    server.reply = {
        "data": [{"index": 1, "embedding": [0.0, 1.0]}, {"index": 0, "embedding": [1.0, 0.0]}]
    }
    model = OpenAIEmbedding(f"{server.url}/v1", "sk-x", "text-embedding-3-small", 5)
    assert list(model.embed_batch(["a", "b"])) == [[1.0, 0.0], [0.0, 1.0]]
    path, headers, body = server.requests[0]
    assert path == "/v1/embeddings"
    assert headers["Authorization"] == "Bearer sk-x"
    assert body == {"model": "text-embedding-3-small", "input": ["a", "b"]}


def test_openai_chat_with_json_schema(server: Recorder) -> None:
    server.reply = {"choices": [{"message": {"content": '{"answer": "はい"}'}}]}
    model = OpenAIChat(f"{server.url}/v1", "sk-x", "gpt-4o-mini", 5)
    assert model.chat(MESSAGES, {"type": "object"}) == '{"answer": "はい"}'
    body = server.requests[0][2]
    assert body["response_format"]["json_schema"]["schema"] == {"type": "object"}
    assert body["messages"][1] == {"role": "user", "content": "質問"}


def test_anthropic_chat(server: Recorder) -> None:
    server.reply = {"content": [{"type": "text", "text": "答え"}]}
    model = AnthropicChat("ak", "claude-x", 5, url=f"{server.url}/v1/messages")
    assert model.chat(MESSAGES, {"type": "object"}) == "答え"
    _, headers, body = server.requests[0]
    assert headers["x-api-key"] == "ak"
    assert body["system"].startswith("rules")
    assert "JSON" in body["system"]
    assert body["messages"] == [{"role": "user", "content": "質問"}]


def test_gemini_chat_and_embeddings(server: Recorder) -> None:
    server.reply = {"candidates": [{"content": {"parts": [{"text": "ok"}]}}]}
    assert GeminiChat("gk", "gemini-x", 5, url=server.url).chat(MESSAGES) == "ok"
    server.reply = {"embeddings": [{"values": [0.5, 0.5]}]}
    assert list(GeminiEmbedding("gk", "emb", 5, url=server.url).embed_batch(["a"])) == [[0.5, 0.5]]
    assert server.requests[0][0] == "/models/gemini-x:generateContent"
    assert server.requests[1][0] == "/models/emb:batchEmbedContents"
    assert server.requests[0][1]["x-goog-api-key"] == "gk"


@pytest.mark.parametrize(
    ("status", "reply", "error"),
    [
        (404, {"error": {"message": "The model does not exist"}}, ModelNotFoundError),
        (
            400,
            {"error": {"message": "maximum context length is 8192 tokens"}},
            ContextOverflowError,
        ),
        (500, {"error": "boom"}, ProviderError),
    ],
)
def test_http_errors_are_sorted(
    server: Recorder, status: int, reply: dict[str, Any], error: type[Exception]
) -> None:
    server.status, server.reply = status, reply
    with pytest.raises(error):
        OpenAIChat(f"{server.url}/v1", "sk-secret", "m", 5).chat(MESSAGES)

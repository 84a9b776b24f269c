"""A fake Ollama server over real HTTP, faithful to the parts of Ollama's API ai_enrich uses.

/api/embed, /api/chat (NDJSON stream or one object, optional mid-stream error line), /api/tags,
/api/show; 404 `{"error":"model 'x' not found"}`; 400 when an embed input exceeds the context
and truncate is false; silent truncation of chat prompts reported through prompt_eval_count; a
delay for timeouts. Embeddings are deterministic (hashed character bigrams).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[[dict[str, Any]], str]
CREATED_AT = "2026-01-01T00:00:00.000000Z"


def fake_vector(text: str, dims: int) -> list[float]:
    """Deterministic unit vector of hashed character bigrams (lexical similarity)."""
    vector = [0.0] * dims
    chars = "".join(text.lower().split())
    for i in range(max(len(chars) - 1, 1)):
        digest = hashlib.md5(chars[i : i + 2].encode(), usedforsecurity=False).digest()
        vector[int.from_bytes(digest[:4], "little") % dims] += 1.0
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def tokens(text: str) -> int:
    """A crude token count: one per two characters."""
    return max(1, len(text) // 2)


@dataclass
class FakeModel:
    kind: str  # "embedding" or "completion"
    dims: int = 256
    context: int = 512


@dataclass
class FakeOllama:
    models: dict[str, FakeModel] = field(
        default_factory=lambda: {
            "fake-embed": FakeModel("embedding"),
            "fake-embed-2": FakeModel("embedding", dims=48),
            "fake-chat": FakeModel("completion", context=100_000),
        },
    )
    replies: list[Reply] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0
    stream_error: str | None = None
    url: str = ""

    def embed_inputs(self) -> list[str]:
        """Every text sent to /api/embed so far."""
        return [
            text
            for path, body in self.requests
            if path == "/api/embed"
            for text in ([body["input"]] if isinstance(body["input"], str) else body["input"])
        ]

    def chat_requests(self) -> list[dict[str, Any]]:
        return [body for path, body in self.requests if path == "/api/chat"]

    def model(self, name: str) -> FakeModel | None:
        return self.models.get(name.removesuffix(":latest"))

    def next_reply(self, body: dict[str, Any]) -> str:
        reply = self.replies.pop(0) if self.replies else '{"answer": "", "sources": []}'
        return reply(body) if callable(reply) else reply


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""

    def _send(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self, name: str) -> None:
        self._send(404, {"error": f"model '{name}' not found"})

    def do_GET(self) -> None:
        fake = self.server.fake
        if self.path == "/api/tags":
            self._send(
                200,
                {
                    "models": [
                        {
                            "name": f"{n}:latest",
                            "model": f"{n}:latest",
                            "modified_at": CREATED_AT,
                            "size": 1000,
                            "digest": hashlib.sha256(n.encode()).hexdigest(),
                            "details": {"format": "gguf", "family": "fake"},
                        }
                        for n in fake.models
                    ]
                },
            )
        else:
            self._send(404, {"error": "404 page not found"})

    def do_POST(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        fake.requests.append((self.path, body))
        if fake.delay:
            time.sleep(fake.delay)
        handler = {"/api/embed": self._embed, "/api/chat": self._chat, "/api/show": self._show}
        if self.path not in handler:
            self._send(404, {"error": "404 page not found"})
            return
        handler[self.path](body)

    def _show(self, body: dict[str, Any]) -> None:
        model = self.server.fake.model(body.get("model", ""))
        if model is None:
            self._not_found(body.get("model", ""))
            return
        self._send(
            200,
            {
                "modelfile": "FROM fake",
                "parameters": "",
                "template": "{{ .Prompt }}",
                "details": {"format": "gguf", "family": "fake", "parameter_size": "1M"},
                "model_info": {
                    "general.architecture": "fake",
                    "fake.context_length": model.context,
                    "fake.embedding_length": model.dims,
                },
                "capabilities": [model.kind],
                "modified_at": CREATED_AT,
            },
        )

    def _embed(self, body: dict[str, Any]) -> None:
        name = body.get("model", "")
        model = self.server.fake.model(name)
        if model is None:
            self._not_found(name)
            return
        if model.kind != "embedding":
            self._send(400, {"error": f'"{name}" does not support embeddings'})
            return
        inputs = [body["input"]] if isinstance(body["input"], str) else list(body["input"])
        context = min(model.context, body.get("options", {}).get("num_ctx", model.context))
        if body.get("truncate") is False and any(tokens(t) > context for t in inputs):
            self._send(400, {"error": "the input length exceeds the context length"})
            return
        self._send(
            200,
            {
                "model": name,
                "embeddings": [fake_vector(t[: context * 2], model.dims) for t in inputs],
                "total_duration": 1000,
                "load_duration": 10,
                "prompt_eval_count": sum(min(tokens(t), context) for t in inputs),
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        fake = self.server.fake
        name = body.get("model", "")
        model = fake.model(name)
        if model is None:
            self._not_found(name)
            return
        num_ctx = body.get("options", {}).get("num_ctx", 2048)
        prompt = sum(tokens(m.get("content", "")) for m in body.get("messages", []))
        content = fake.next_reply(body)
        final = {
            "model": name,
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1000,
            "load_duration": 10,
            "prompt_eval_count": min(prompt, num_ctx),
            "prompt_eval_duration": 10,
            "eval_count": tokens(content),
            "eval_duration": 10,
        }
        if not body.get("stream", True):
            final["message"]["content"] = content
            self._send(200, final)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        step = max(1, len(content) // 3)
        for i, start in enumerate(range(0, len(content), step)):
            if fake.stream_error is not None and i == 1:
                self.wfile.write(json.dumps({"error": fake.stream_error}).encode() + b"\n")
                return
            chunk = {
                "model": name,
                "created_at": CREATED_AT,
                "done": False,
                "message": {"role": "assistant", "content": content[start : start + step]},
            }
            self.wfile.write(json.dumps(chunk).encode() + b"\n")
            self.wfile.flush()
        self.wfile.write(json.dumps(final).encode() + b"\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOllama

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (the timeout test) is expected: stay quiet about it."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def start(fake: FakeOllama) -> tuple[_Server, threading.Thread]:
    """Serve the fake on a free loopback port; sets fake.url."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread

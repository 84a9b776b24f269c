"""A tiny HTTP client bound to a sandbox, for the sandbox's own tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
import requests

if TYPE_CHECKING:
    from tests.fixtures.sandbox import SandboxHandle


@dataclass
class Api:
    """Sends authenticated requests to one sandbox."""

    handle: SandboxHandle
    session: requests.Session = field(default_factory=requests.Session)

    def request(self, method, path, *, token=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is True:
            headers["Authorization"] = f"Bearer {self.handle.token}"
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(
            method, f"{self.handle.base_url}{path}", headers=headers, timeout=60, **kwargs
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.request("POST", path, json=body, **kwargs)

    def search(self, object_type, body):
        return self.post(f"/crm/v3/objects/{object_type}/search", body)

    def list_all(self, object_type, **params):
        """Follow list paging to the end; return (records, number of pages)."""
        records, pages, after = [], 0, None
        while True:
            query = dict(params)
            if after:
                query["after"] = after
            answer = self.get(f"/crm/v3/objects/{object_type}", params=query)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            records += body["results"]
            pages += 1
            after = body.get("paging", {}).get("next", {}).get("after")
            if not after:
                return records, pages


@pytest.fixture
def api(sandbox):
    client = Api(sandbox)
    yield client
    client.session.close()


@pytest.fixture
def api_for():
    """Make clients for sandboxes from ``sandbox_factory``."""
    clients = []

    def make(handle):
        clients.append(Api(handle))
        return clients[-1]

    yield make
    for client in clients:
        client.session.close()

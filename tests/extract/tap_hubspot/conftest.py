"""Run tap-hubspot in-process against the sandbox and collect its Singer messages."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from singer_sdk.singerlib.encoding import SimpleSingerWriter
from tap_hubspot.tap import TapHubspot

OBJECTS = ("companies", "contacts", "deals", "bukken")
MARGIN_SECONDS = 61


class CaptureWriter(SimpleSingerWriter):
    """Keeps every message as a dict; `on_message` may react while the tap runs."""

    def __init__(self, on_message=None):
        super().__init__()
        self.messages: list[dict[str, Any]] = []
        self.on_message = on_message

    def write_message(self, message):
        as_dict = json.loads(self.serialize_message(message))
        self.messages.append(as_dict)
        if self.on_message is not None:
            self.on_message(as_dict)


@dataclass
class TapRun:
    """The messages of one run, sorted for assertions."""

    messages: list[dict[str, Any]]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    state: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        for message in self.messages:
            if message["type"] == "RECORD":
                self.records[message["stream"]].append(message["record"])
            elif message["type"] == "STATE":
                self.state = message["value"]

    def ids(self, stream):
        return [record.get("id") or record.get("from_id") for record in self.records[stream]]

    def by_id(self, stream):
        return {
            record.get("id") or record.get("from_id"): record for record in self.records[stream]
        }

    def activate_versions(self, stream):
        return [
            m for m in self.messages if m["type"] == "ACTIVATE_VERSION" and m["stream"] == stream
        ]


def tap_config(sandbox, **overrides):
    config = {
        "access_token": sandbox.token,
        "base_url": sandbox.base_url,
        "portal_id": str(sandbox.portal_id),
        "rate_limit_per_10s": 1_000_000,
        "search_rate_per_second": 100_000,
    }
    config.update(overrides)
    return config


def run_tap(sandbox, *, state=None, on_message=None, only=None, **overrides):
    """Run the tap in-process; `only` selects a subset of the streams."""
    config = tap_config(sandbox, **overrides)
    catalog = None
    if only is not None:
        catalog = TapHubspot(config=config).catalog_dict
        for entry in catalog["streams"]:
            for item in entry["metadata"]:
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in only
    writer = CaptureWriter(on_message)
    tap = TapHubspot(config=config, state=state, catalog=catalog, message_writer=writer)
    tap.sync_all()
    return TapRun(writer.messages)


def later(sandbox, seconds=MARGIN_SECONDS):
    """Let sandbox time pass so that changes made now fall inside the next run's window."""
    sandbox.control.advance_clock(seconds)


@pytest.fixture
def small(sandbox_factory):
    """A sandbox with a few records of each kind (fast)."""
    return sandbox_factory(owners=3, companies=30, contacts=60, deals=40, bukken=20)

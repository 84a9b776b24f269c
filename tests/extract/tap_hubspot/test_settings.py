"""Settings: a bad or missing setting fails before any request, naming the setting."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pytest
from singer_sdk.exceptions import ConfigValidationError
from tap_hubspot.tap import TapHubspot

if TYPE_CHECKING:
    from pathlib import Path

TAP = [sys.executable, "-c", "from tap_hubspot.tap import TapHubspot; TapHubspot.cli()"]


class ConnectionCounter:
    """A TCP listener that only counts connection attempts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.count = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.count += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    counter = ConnectionCounter()
    yield counter
    counter.close()


def run_tap(tmp_path: Path, config: dict, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return subprocess.run(
        [*TAP, "--config", str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


BAD_SETTINGS = [
    ({"access_token": None}, "access_token"),
    ({"access_token": ""}, "access_token"),
    ({"base_url": "api.hubapi.com"}, "base_url"),
    ({"page_size": 201}, "page_size"),
    ({"page_size": 0}, "page_size"),
    ({"lookback_minutes": -1}, "lookback_minutes"),
    ({"rate_limit_per_10s": "fast"}, "rate_limit_per_10s"),
    ({"search_rate_per_second": 0}, "search_rate_per_second"),
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "2024-13-45"}, "start_date"),
    ({"start_date": "2024-02-30"}, "start_date"),
    ({"custom_objects": "bukken"}, "custom_objects"),
    ({"include_archived": "sometimes"}, "include_archived"),
    ({"portal_id": "p123"}, "portal_id"),
]


def bad_config(listener, change):
    config = {"access_token": "sandbox-token", "base_url": listener.url}
    for key, value in change.items():
        if value is None:
            config.pop(key)
        else:
            config[key] = value
    return config


@pytest.mark.parametrize(("change", "setting"), BAD_SETTINGS)
def test_bad_setting_fails_before_any_request(listener, change, setting):
    with pytest.raises(ConfigValidationError) as info:
        TapHubspot(config=bad_config(listener, change)).sync_all()
    assert setting in " ".join([str(info.value), *info.value.errors])
    assert listener.count == 0


@pytest.mark.parametrize("mode", [(), ("--discover",)])
@pytest.mark.parametrize(("change", "setting"), [BAD_SETTINGS[0], BAD_SETTINGS[10]])
def test_cli_names_the_setting_before_any_request(tmp_path, listener, change, setting, mode):
    result = run_tap(tmp_path, bad_config(listener, change), *mode)
    assert result.returncode != 0
    assert setting in result.stderr
    assert listener.count == 0
    assert "sandbox-token" not in result.stderr + result.stdout

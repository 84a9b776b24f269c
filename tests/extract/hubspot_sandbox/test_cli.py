"""The command line: options and a real server process."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from hubspot_sandbox.cli import build_parser, config_from_args


def test_options_map_onto_the_config():
    args = build_parser().parse_args(
        [
            "--seed", "7", "--scale", "medium", "--contacts", "99", "--no-rate-limits",
            "--fault-rate", "0.1", "--fault-kinds", "429,524", "--search-lag", "30",
            "--missing-scope", "crm.objects.deals.read", "--max-url-length", "4000",
            "--extra-properties", "1000", "--extra-properties", "10:p_bukken",
            "--scenario", "mass-update",
        ]
    )  # fmt: skip
    config = config_from_args(args)
    assert config.seed == 7
    assert config.counts.contacts == 99
    assert config.counts.companies == 5_000
    assert config.runtime.rate_limits is False
    assert config.runtime.fault_kinds == ("429", "524")
    assert config.runtime.search_lag_seconds == 30
    assert config.runtime.missing_scopes == frozenset({"crm.objects.deals.read"})
    assert config.runtime.max_url_length == 4000
    assert config.extra_properties == ((1000, "contacts"), (10, "bukken"))
    assert config.scenario == "mass-update"


def test_rate_limits_are_on_by_default():
    assert config_from_args(build_parser().parse_args([])).runtime.rate_limits is True


def test_bad_extra_properties_is_a_usage_error():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--extra-properties", "x:contacts"])


def test_module_serves_and_prints_where_it_listens():
    command = [sys.executable, "-m", "hubspot_sandbox", "--port", "0", "--contacts", "20"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            line = process.stdout.readline()
            assert "listening on http://127.0.0.1:" in line
            base_url = line.split("listening on ")[1].split()[0]
            answer = requests.get(
                f"{base_url}/crm/v3/objects/contacts",
                headers={"Authorization": "Bearer sandbox-token"},
                timeout=10,
            )
            assert answer.status_code == 200
            assert answer.headers["X-HubSpot-RateLimit-Max"] == "100"
        finally:
            process.terminate()
            process.wait(timeout=10)

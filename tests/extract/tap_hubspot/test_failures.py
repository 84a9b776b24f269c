"""Rate limits, faults, auth errors and a killed run, against the sandbox."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys

import pytest
from singer_sdk.exceptions import FatalAPIError

from .conftest import OBJECTS, TapRun, later, run_tap, tap_config

TAP = [sys.executable, "-c", "from tap_hubspot.tap import TapHubspot; TapHubspot.cli()"]
COUNTS = {"owners": 3, "companies": 30, "contacts": 60, "deals": 40, "bukken": 20}


def object_sets(run):
    return {stream: set(run.ids(stream)) for stream in OBJECTS}


def expected_sets(control):
    return {
        stream: {r["id"] for r in control.truth(stream)}
        | {r["id"] for r in control.truth(stream, archived=True)}
        for stream in OBJECTS
    }


def test_default_limits_stay_under_the_sandbox_limits(sandbox_factory):
    sandbox = sandbox_factory(**COUNTS, rate_limits=True)
    control = sandbox.control
    run = run_tap(sandbox, rate_limit_per_10s=100, search_rate_per_second=5)
    assert object_sets(run) == expected_sets(control)
    # The server counts a request when it arrives; allow one 429 for arrival jitter.
    assert control.stats()["statuses"].get("429", 0) <= 1


def test_429_storm_without_retry_after(sandbox_factory):
    sandbox = sandbox_factory(**COUNTS, fault_rate=0.25, fault_kinds=("429",))
    control = sandbox.control
    run = run_tap(sandbox)
    assert control.stats()["statuses"].get("429", 0) > 0
    assert object_sets(run) == expected_sets(control)


def test_html_502_and_524_are_retried(sandbox_factory, caplog):
    sandbox = sandbox_factory(**COUNTS, fault_rate=0.3, fault_kinds=("502", "524"))
    control = sandbox.control
    with caplog.at_level(logging.ERROR):
        run = run_tap(sandbox)
    statuses = control.stats()["statuses"]
    assert statuses.get("502", 0) + statuses.get("524", 0) > 0
    assert object_sets(run) == expected_sets(control)
    assert "<html" not in caplog.text.lower()


def test_401_fails_at_once_without_the_token(small, caplog):
    token = "pat-na1-not-the-right-token"  # noqa: S105
    with caplog.at_level(logging.DEBUG), pytest.raises(FatalAPIError) as info:
        run_tap(small, access_token=token)
    message = str(info.value)
    assert "401" in message
    assert "/crm/v3/" in message
    assert "correlation id" in message
    assert "correlation id none" not in message
    assert token not in message
    assert token not in caplog.text
    assert small.control.stats()["total"] == 1


def test_403_names_the_missing_scope(sandbox_factory, caplog):
    sandbox = sandbox_factory(**COUNTS, missing_scopes=("crm.objects.deals.read",))
    with caplog.at_level(logging.DEBUG), pytest.raises(FatalAPIError) as info:
        run_tap(sandbox)
    message = str(info.value)
    assert "403" in message
    assert "crm.objects.deals.read" in message
    assert "/crm/v3/objects/deals" in message
    assert sandbox.token not in message
    assert sandbox.token not in caplog.text


def test_killed_run_resumes_from_its_last_state(sandbox_factory, tmp_path):
    sandbox = sandbox_factory(owners=3, companies=30, contacts=3_000, deals=40, bukken=20)
    control = sandbox.control
    config = tmp_path / "config.json"
    config.write_text(json.dumps(tap_config(sandbox, page_size=20)))
    messages = []
    contacts_seen = 0
    with subprocess.Popen(
        [*TAP, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            message = json.loads(line)
            messages.append(message)
            if message["type"] == "RECORD" and message["stream"] == "contacts":
                contacts_seen += 1
                if contacts_seen == 500:
                    process.send_signal(signal.SIGKILL)
                    break
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    killed = TapRun(messages)
    assert set(killed.state["bookmarks"]) >= {"bukken", "companies"}
    assert "contacts" not in {
        s for s, v in killed.state["bookmarks"].items() if v.get("replication_key_value")
    }
    later(sandbox)
    resumed = run_tap(sandbox, state=killed.state)
    union = {stream: set(killed.ids(stream)) | set(resumed.ids(stream)) for stream in OBJECTS}
    assert union == expected_sets(control)
    sets = {**killed.by_id("associations_companies_contacts")}
    sets.update(resumed.by_id("associations_companies_contacts"))
    truth = control.truth_associations("companies", "contacts")
    assert set(sets) == expected_sets(control)["companies"]
    for company, record in sets.items():
        assert {t["to_id"] for t in record["to"]} == {
            str(t["toObjectId"]) for t in truth.get(company, [])
        }
    assert len(resumed.records["contacts"]) >= 3_000 - 500

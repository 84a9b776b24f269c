"""Kill anywhere: SIGKILL the tap or the target at seeded moments, rerun, lose nothing.

Each of five trials changes the sandbox (updates, an archive, an association), starts
`meltano run tap-hubspot target-mysql` in the background and SIGKILLs the real plugin process
(found below the meltano process through /proc) once a seeded trigger fires: the sandbox has
answered N requests (tap) or the target has committed N rows in this run (target). Then:

- the run fails;
- the state Meltano kept never claims a record that is not committed in the raw tables;
- a rerun brings raw and marts back to the sandbox's truth, with no duplicate rows.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.helpers import (
    OBJECT_STREAMS,
    PAST_SAFETY_MARGIN_SECONDS,
    SMALL_COUNTS,
    assert_no_duplicates,
    assert_ran,
    assert_state_behind_commits,
    kill_when,
    meltano_state,
    raw_live_rows,
    start_run,
)
from tests.e2e.marts import assert_marts_match

if TYPE_CHECKING:
    from hubspot_sandbox.control import SandboxControl

    from tests.fixtures.pipeline import Pipeline

pytestmark = pytest.mark.e2e

SEED = 20_261_204
TRIALS = 5
#: Small batches and pages: many commits and STATE messages, so kills land between them.
RUN_ENV = {"SYNC_BATCH_SIZE": "7", "TAP_HUBSPOT_PAGE_SIZE": "10"}


def mutate(control: SandboxControl, rng: random.Random, trial: int) -> None:
    """Change a few records of every type, archive one contact, move one association."""
    for object_type, prop in (
        ("companies", "name"),
        ("contacts", "firstname"),
        ("deals", "dealname"),
        ("bukken", "bukken_name"),
    ):
        records = control.truth(object_type)
        for record in rng.sample(records, 3):
            control.update(object_type, record["id"], {prop: f"kill-{trial}-{record['id']}"})
    contacts = control.truth("contacts")
    control.archive("contacts", rng.choice(contacts)["id"])
    deal = rng.choice(control.truth("deals"))
    bukken = rng.choice(control.truth("bukken"))
    control.associate("deals", deal["id"], "bukken", bukken["id"], label="売買対象")
    control.advance_clock(PAST_SAFETY_MARGIN_SECONDS)


def committed_rows_since(pipeline: Pipeline, started: dt.datetime) -> int:
    """Rows the target committed in runs that started after `started` (from `_sync_runs`)."""
    try:
        rows = pipeline.raw.query(
            "SELECT COALESCE(SUM(records_written), 0) FROM _sync_runs WHERE started_at >= %s",
            (started,),
        )
    except Exception:  # noqa: BLE001 - the run log is created by the target's first start
        return 0
    return int(str(rows[0][0]))


def assert_raw_matches(pipeline: Pipeline, control: SandboxControl) -> None:
    """The live raw rows are exactly the live records, each at its latest modification."""
    for stream in OBJECT_STREAMS:
        raw = raw_live_rows(pipeline.raw, stream)
        assert set(raw) == {record["id"] for record in control.truth(stream)}, stream


def test_kill_tap_or_target_at_five_seeded_moments(pipeline: Pipeline, sandbox_factory) -> None:
    rng = random.Random(SEED)
    sandbox = sandbox_factory(**SMALL_COUNTS, rate_limits=True)
    control = sandbox.control
    pipeline.hubspot_base_url = sandbox.base_url
    pipeline.extra_env.update(RUN_ENV)
    kills: list[dict[str, Any]] = []

    for trial in range(TRIALS):
        if trial:
            mutate(control, rng, trial)
        full_refresh = trial == 3  # a full refresh killed halfway must retire nothing
        victim = rng.choice(("tap-hubspot", "target-mysql"))
        threshold = rng.randint(2, 12) if victim == "tap-hubspot" else rng.randint(1, 40)
        control.reset_stats()
        started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        blocks = ("--full-refresh",) if full_refresh else ()
        run = start_run(pipeline, *blocks, "tap-hubspot", "target-mysql", name=f"kill-{trial}")

        def ready(
            victim: str = victim, threshold: int = threshold, started: dt.datetime = started
        ) -> bool:
            if victim == "tap-hubspot":
                return int(control.stats()["total"]) >= threshold
            return committed_rows_since(pipeline, started) >= threshold

        killed = kill_when(run, victim, ready)
        code = run.wait()
        kills.append({"trial": trial, "victim": victim, "threshold": threshold, "code": code})
        assert killed, f"trial {trial}: the run ended before the trigger ({kills[-1]})"
        assert code != 0, f"trial {trial}: a killed run exited 0\n{run.output()[-3000:]}"

        state = meltano_state(pipeline)
        assert_state_behind_commits(pipeline, control, state)

        # The rerun (incremental, from whatever state survived) repairs everything.
        assert_ran(pipeline.run())
        assert_raw_matches(pipeline, control)
        assert_marts_match(pipeline.marts, control)
        assert_no_duplicates(pipeline.marts)

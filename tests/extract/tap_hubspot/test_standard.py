"""singer-sdk's standard tap tests against a small sandbox.

The standard suite builds its stream tests at collection time, so this module starts its
own sandbox when it is imported and stops it when the module's tests are done.
"""

from __future__ import annotations

import pytest
from singer_sdk.testing import get_tap_test_class
from tap_hubspot.tap import TapHubspot

from tests.fixtures.sandbox import make_sandbox

SANDBOX = make_sandbox(owners=3, companies=20, contacts=40, deals=30, bukken=15)

CONFIG = {
    "access_token": SANDBOX.token,
    "base_url": SANDBOX.base_url,
    "portal_id": str(SANDBOX.portal_id),
    "rate_limit_per_10s": 1_000_000,
    "search_rate_per_second": 100_000,
}


@pytest.fixture(scope="module", autouse=True)
def _stop_sandbox():
    yield
    SANDBOX.stop()


TestTapHubspot = get_tap_test_class(TapHubspot, config=CONFIG, parse_env_config=False)

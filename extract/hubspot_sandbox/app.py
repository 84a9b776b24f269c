"""The sandbox application: authentication, scopes, limits, faults and statistics."""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hubspot_sandbox.api import CrmApi
from hubspot_sandbox.clock import SandboxClock
from hubspot_sandbox.control_api import ControlApi
from hubspot_sandbox.errors import (
    ApiError,
    correlation_id,
    missing_scopes,
    standard_error,
    unauthorized,
)
from hubspot_sandbox.generate import MASS_UPDATE_COUNT, generate
from hubspot_sandbox.limits import (
    HTML_502,
    HTML_524,
    FaultInjector,
    RateLimiter,
    ten_secondly_error,
)
from hubspot_sandbox.messages import HTML_TYPE, Request, Response
from hubspot_sandbox.store import Store

if TYPE_CHECKING:
    import re

    from hubspot_sandbox.config import RuntimeSettings, SandboxConfig
    from hubspot_sandbox.messages import Route

CONTROL_PREFIX = "/_sandbox/"
HTML_414 = (
    "<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n"
    "<center><h1>414 Request-URI Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class Stats:
    """Request counts per endpoint pattern and per status."""

    def __init__(self) -> None:
        """Start at zero."""
        self._lock = threading.Lock()
        self._endpoints: collections.Counter[str] = collections.Counter()
        self._statuses: collections.Counter[str] = collections.Counter()

    def count(self, endpoint: str, status: int) -> None:
        """Count one answered request."""
        with self._lock:
            self._endpoints[endpoint] += 1
            self._statuses[str(status)] += 1

    def snapshot(self) -> dict[str, Any]:
        """Return ``{"total", "endpoints": {pattern: n}, "statuses": {code: n}}``."""
        with self._lock:
            return {
                "total": sum(self._endpoints.values()),
                "endpoints": dict(self._endpoints),
                "statuses": dict(self._statuses),
            }

    def reset(self) -> None:
        """Forget all counts."""
        with self._lock:
            self._endpoints.clear()
            self._statuses.clear()


class Sandbox:
    """One sandbox portal: its data, its settings and the request pipeline."""

    def __init__(self, config: SandboxConfig) -> None:
        """Generate the data of ``config`` and set up the endpoints."""
        config.runtime.validate()
        self.config = config
        self.runtime: RuntimeSettings = replace(config.runtime)
        self.clock = SandboxClock()
        started = time.perf_counter()
        self.store = Store(generate(config), self.clock)
        self.generation_seconds = time.perf_counter() - started
        self.stats = Stats()
        self.limiter = RateLimiter(lambda: self.runtime, lambda: self.clock.now_ms() // 86_400_000)
        self.faults = FaultInjector(config.seed, lambda: self.runtime)
        self.api = CrmApi(
            self.store, self.clock, lambda: round(self.runtime.search_lag_seconds * 1000)
        )
        self.routes = self.api.routes()
        self.control = ControlApi(self)
        if config.scenario == "mass-update":
            live = sum(
                1 for r in self.store.records["contacts"].values() if r.version.archived_ms is None
            )
            self.store.mass_update("contacts", min(MASS_UPDATE_COUNT, live))

    def configure(self, **changes: Any) -> RuntimeSettings:  # noqa: ANN401 - validated below
        """Change runtime settings (see :class:`~hubspot_sandbox.config.RuntimeSettings`).

        Raises:
            ValueError: For unknown names or invalid values.
        """
        if "missing_scopes" in changes:
            changes["missing_scopes"] = frozenset(changes["missing_scopes"] or ())
        if "fault_kinds" in changes:
            changes["fault_kinds"] = tuple(changes["fault_kinds"])
        try:
            updated = replace(self.runtime, **changes)
        except TypeError as error:
            raise ValueError(str(error)) from None
        updated.validate()
        self.runtime = updated
        return updated

    # ---- the pipeline -------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """Answer one request (control API or CRM API) and add HubSpot's standard headers."""
        if request.path.startswith(CONTROL_PREFIX):
            return self.control.handle(request)
        endpoint, response = self._answer(request)
        body_id = response.body.get("correlationId") if isinstance(response.body, dict) else None
        response.headers["X-HubSpot-Correlation-Id"] = str(body_id or correlation_id())
        self.stats.count(endpoint, response.status)
        return response

    def _answer(self, request: Request) -> tuple[str, Response]:
        if request.target_length > self.runtime.max_url_length:
            return "URI too long", Response(414, raw=HTML_414.encode(), content_type=HTML_TYPE)
        found = self._route(request)
        if found is None:
            error = standard_error(404, f"Unable to route request: {request.method} {request.path}")
            return "unmatched", Response(404, error.body)
        route, match = found
        try:
            return route.pattern, self._guarded(request, route, match)
        except ApiError as error:
            return route.pattern, Response(error.status, error.body, dict(error.headers))

    def _route(self, request: Request) -> tuple[Route, re.Match[str]] | None:
        for route in self.routes:
            if route.method == request.method:
                match = route.regex.fullmatch(request.path)
                if match is not None:
                    return route, match
        return None

    def _guarded(self, request: Request, route: Route, match: re.Match[str]) -> Response:
        self._authenticate(request)
        lacking = [scope for scope in route.scopes(match) if scope in self.runtime.missing_scopes]
        if lacking:
            raise missing_scopes(lacking)
        error, limit_headers = self.limiter.admit(search=route.search)
        if error is not None:
            error.headers.update(limit_headers)
            raise error
        fault = self.faults.draw()
        response = self._faulty(fault, limit_headers) or route.handler(request, match)
        response.headers.update(limit_headers)
        return response

    def _authenticate(self, request: Request) -> None:
        if "hapikey" in request.query:
            raise unauthorized()
        if request.headers.get("authorization", "") != f"Bearer {self.config.token}":
            raise unauthorized()

    def _faulty(self, fault: str | None, limit_headers: dict[str, str]) -> Response | None:
        if fault == "slow":
            time.sleep(self.runtime.slow_seconds)
        elif fault == "429":
            error = ten_secondly_error()
            return Response(
                429, error.body, {**limit_headers, "X-HubSpot-RateLimit-Remaining": "0"}
            )
        elif fault in ("502", "524"):
            html = HTML_502 if fault == "502" else HTML_524
            return Response(int(fault), raw=html.encode(), content_type=HTML_TYPE)
        return None

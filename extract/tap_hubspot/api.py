"""What every request of a run shares: token, limiter, server clock, metadata reads.

The streams send their own requests through the SDK; discovery (schemas, properties)
goes through `HubspotApi.get`. Both send through one `LimitedAdapter`, so both count
against the same limiter, and both sort errors with `errors.sort_response`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import backoff
import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from singer_sdk.exceptions import ConfigValidationError, RetriableAPIError
from typing_extensions import override

from tap_hubspot import errors
from tap_hubspot.search import is_search

if TYPE_CHECKING:
    from tap_hubspot.limiter import RateLimiter

LOGGER = logging.getLogger("tap-hubspot")
TIMEOUT = 120
#: Attempts to connect before an unreachable server ends the run (wrong base_url, network down).
CONNECT_TRIES = 4


class HubspotAuth(AuthBase):
    """Adds the bearer token; its repr never shows the token."""

    def __init__(self, token: str) -> None:
        """Create the authenticator.

        Args:
            token: The private-app token.
        """
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Authenticate a request.

        Args:
            request: The request about to be sent.

        Returns:
            The same request with the Authorization header.
        """
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        """Never show the token.

        Returns:
            A placeholder.
        """
        return "HubspotAuth(<token hidden>)"


class LimitedAdapter(HTTPAdapter):
    """Sends every attempt of every request through the run's limiter and clock."""

    def __init__(self, limiter: RateLimiter, clock: ServerClock) -> None:
        """Create the adapter.

        Args:
            limiter: The run's limiter.
            clock: Learns the server's time from responses.
        """
        super().__init__()
        self._limiter = limiter
        self._clock = clock

    @override
    def send(
        self,
        request: requests.PreparedRequest,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        search = is_search(request.url or "")
        self._limiter.acquire(search=search)
        try:
            response = super().send(request, *args, **kwargs)
        finally:
            self._limiter.settle(search=search)
        self._limiter.observe(response.headers, search=search)
        self._clock.observe(response.headers.get("Date"))
        return response

    def mount_on(self, session: requests.Session) -> None:
        """Route every request of a session through this adapter.

        Args:
            session: The session.
        """
        session.mount("http://", self)
        session.mount("https://", self)


class ServerClock:
    """The server's time, learnt from the `Date` header of the first response."""

    def __init__(self) -> None:
        """Start without a reading."""
        self.first_seen: dt.datetime | None = None

    def observe(self, header: str | None) -> None:
        """Take the first `Date` header seen.

        Args:
            header: An HTTP `Date` header value, or None.
        """
        if self.first_seen is not None or not header:
            return
        try:
            self.first_seen = email.utils.parsedate_to_datetime(header).astimezone(dt.UTC)
        except (TypeError, ValueError):
            return

    def run_start(self) -> dt.datetime:
        """When the run started: the server's first `Date`, else the local clock.

        Returns:
            An aware UTC datetime.
        """
        return self.first_seen or dt.datetime.now(tz=dt.UTC)


class HubspotApi:
    """Reads HubSpot metadata (schemas, properties) with the run's auth and limiter."""

    def __init__(self, base_url: str, auth: HubspotAuth, adapter: LimitedAdapter) -> None:
        """Create the client.

        Args:
            base_url: The API base, e.g. `https://api.hubapi.com`.
            auth: The run's authenticator.
            adapter: The run's limited adapter.
        """
        self._base_url = base_url.rstrip("/")
        self._session = requests.Session()
        self._session.auth = auth
        adapter.mount_on(self._session)

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """GET a JSON document, retrying 429 and 5xx with backoff.

        Args:
            path: Path below the base URL, starting with `/`.
            params: Query parameters.

        Returns:
            The decoded JSON object.

        Raises:
            ConfigValidationError: The server cannot be reached at all (names `base_url`).
        """
        try:
            return self._get_with_retries(path, params or {})
        except requests.exceptions.ConnectionError as error:
            if isinstance(error, requests.exceptions.Timeout):
                raise
            url = urlparse(self._base_url)
            where = f"{url.scheme}://{url.hostname}" + (f":{url.port}" if url.port else "")
            cause = getattr(error.args[0], "reason", None) if error.args else None
            reason = str(cause).split("): ", 1)[-1] if cause is not None else "no connection"
            msg = (
                f"Config validation failed: base_url: cannot connect to {where} "
                f"({reason}); check HUBSPOT_BASE_URL and the network"
            )
            raise ConfigValidationError(msg, errors=[msg]) from None

    @backoff.on_exception(
        errors.wait_generator,
        (RetriableAPIError, requests.exceptions.Timeout),
        max_tries=errors.MAX_TRIES,
        jitter=errors.jitter,
        logger=LOGGER,
    )
    @backoff.on_exception(
        errors.wait_generator,
        requests.exceptions.ConnectionError,
        max_tries=CONNECT_TRIES,
        giveup=lambda error: isinstance(error, requests.exceptions.Timeout),
        jitter=errors.jitter,
        logger=LOGGER,
    )
    def _get_with_retries(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        response = self._session.get(f"{self._base_url}{path}", params=params, timeout=TIMEOUT)
        errors.sort_response(response)
        body: dict[str, Any] = response.json()
        return body

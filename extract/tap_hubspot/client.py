"""The base stream: URL, authentication, paging, error sorting and backoff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import RESTStream
from singer_sdk.pagination import BaseAPIPaginator
from typing_extensions import override

from tap_hubspot import errors

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    import requests
    from singer_sdk.helpers.types import Context

    from tap_hubspot.run import RunContext
    from tap_hubspot.tap import TapHubspot


class NextPagePaginator(BaseAPIPaginator[Any]):
    """Pages on what `HubspotStream.next_page_token` reads from each response."""

    def __init__(self, stream: HubspotStream) -> None:
        """Create the paginator.

        Args:
            stream: The stream whose responses are paged.
        """
        super().__init__(None)
        self._stream = stream

    @override
    def get_next(self, response: requests.Response) -> Any:
        return self._stream.next_page_token(response)


class HubspotStream(RESTStream[Any]):
    """Base of every HubSpot stream.

    Requests go through the run's `HubspotAuth`, so they share one limiter; every
    response is sorted by `errors.sort_response`; retries use the SDK's backoff hooks.
    """

    records_jsonpath = "$.results[*]"
    #: Statuses a stream accepts besides 2xx (logged, not raised).
    tolerated_statuses: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, tap: TapHubspot, run: RunContext, **kwargs: Any) -> None:  # noqa: ANN401
        """Create the stream.

        Args:
            tap: The tap.
            run: What all streams of this run share.
            **kwargs: Passed to `RESTStream`.
        """
        self.run = run
        super().__init__(tap, **kwargs)
        run.adapter.mount_on(self.requests_session)

    @property
    @override
    def url_base(self) -> str:
        return str(self.config["base_url"]).rstrip("/")

    @property
    @override
    def authenticator(self) -> Any:
        return self.run.auth

    @override
    def get_new_paginator(self) -> BaseAPIPaginator[Any]:
        return NextPagePaginator(self)

    def next_page_token(self, response: requests.Response) -> Any:  # noqa: ANN401
        """The `paging.next.after` cursor of a list response.

        Args:
            response: The last response.

        Returns:
            The cursor, or None on the last page.
        """
        body = response.json()
        return ((body.get("paging") or {}).get("next") or {}).get("after")

    @override
    def validate_response(self, response: requests.Response) -> None:
        if response.status_code in self.tolerated_statuses:
            self.logger.info("Tolerated: %s", errors.error_message(response))
            return
        errors.sort_response(response)

    @override
    def response_error_message(self, response: requests.Response) -> str:
        return errors.error_message(response)

    @override
    def backoff_wait_generator(self) -> Generator[float, None, None]:
        return errors.wait_generator()

    @override
    def backoff_max_tries(self) -> int:
        return errors.MAX_TRIES

    @override
    def backoff_jitter(self, value: float) -> float:
        return errors.jitter(value)

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        body = response.json()
        results = body.get("results") or []
        return [result for result in results if isinstance(result, dict)]

    def write_activate_version(self) -> None:
        """Emit ACTIVATE_VERSION with the run's version; records carry the same version."""
        self._stream_version = self.run.version
        self._write_activate_version_message(self.run.version)

    @staticmethod
    def context_value(context: Context | None, key: str) -> Any:  # noqa: ANN401
        """Read one key of a request context.

        Args:
            context: The context given to `request_records`.
            key: The key.

        Returns:
            The value, or None.
        """
        return (context or {}).get(key)

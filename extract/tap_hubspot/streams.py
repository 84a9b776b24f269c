"""CRM object streams, owners and property definitions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import Stream
from singer_sdk.streams.rest import HTTPRequest
from typing_extensions import override

from tap_hubspot import search
from tap_hubspot.client import HubspotStream
from tap_hubspot.prefetch import prefetched
from tap_hubspot.run import ChangedIds, ObjectType
from tap_hubspot.schema_objects import (
    OWNERS_SCHEMA,
    PROPERTY_DEFINITIONS_SCHEMA,
    object_schema,
)
from tap_hubspot.values import (
    UnparseableValueError,
    format_datetime,
    parse_datetime,
    parse_properties,
)
from tap_hubspot.window import Window, compute_window

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk.helpers.types import Context, Record
    from singer_sdk.streams.rest import PageContext

    from tap_hubspot.run import RunContext
    from tap_hubspot.tap import TapHubspot

REPLICATION_KEY = "hs_lastmodifieddate"
LIST_PAGE_SIZE = 100
OWNERS_PAGE_SIZE = 500
#: Search pages read ahead of the records being written.
PREFETCH_PAGES = 2
_SEARCH = "search"
_ARCHIVED = "archived"


def _iso(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return format_datetime(parse_datetime(value))
    except UnparseableValueError:
        return None


class ObjectStream(HubspotStream):
    """One CRM object type, read through search over a closed last-modified window.

    The window is [bookmark - lookback, run start - margin] (from `start_date` without a
    bookmark). Its end becomes the bookmark only once every page has been read. Then
    the records archived since the window start follow, with `archived: true`. A run
    without a bookmark wraps the stream in ACTIVATE_VERSION messages.
    """

    primary_keys: ClassVar[list[str]] = ["id"]
    replication_key = REPLICATION_KEY
    is_sorted = False

    def __init__(self, tap: TapHubspot, run: RunContext, object_type: ObjectType) -> None:
        """Create the stream of one object type.

        Args:
            tap: The tap.
            run: The run's shared clients and caches.
            object_type: The object type with its properties.
        """
        self.object_type = object_type
        self._window: Window | None = None
        super().__init__(
            tap,
            run,
            name=object_type.name,
            schema=object_schema(object_type),
            path=f"/crm/v3/objects/{object_type.path_id}",
        )

    @property
    def page_size(self) -> int:
        """Search results per page."""
        return int(self.config["page_size"])

    @property
    def window(self) -> Window:
        """This run's window (fixed on first use)."""
        if self._window is None:
            self._window = compute_window(
                bookmark=self._bookmark(),
                start_date=parse_datetime(str(self.config["start_date"])),
                run_start=self.run.clock.run_start(),
                lookback=dt.timedelta(minutes=int(self.config["lookback_minutes"])),
            )
        return self._window

    def _bookmark(self) -> dt.datetime | None:
        state = self.get_context_state(None)
        value = state.get("replication_key_value")
        if state.get("replication_key") != REPLICATION_KEY or not value:
            return None
        return parse_datetime(str(value))

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self.run.check_access(self._tap.streams.values())
        window = self.window
        self.logger.info(
            "%s: window %s .. %s (%s run)",
            self.name,
            format_datetime(window.start),
            format_datetime(window.end),
            "full" if window.full else "incremental",
        )
        changed = ChangedIds(window=window, bookmark=self._bookmark())
        self.run.changed[self.name] = changed
        if window.full:
            self.write_activate_version()
        pages = self.request_records({"phase": _SEARCH})
        for raw in prefetched(pages, depth=PREFETCH_PAGES * self.page_size):
            record = self._record(raw)
            changed.live.append(record["id"])
            yield record
        if self.config["include_archived"]:
            for raw in self.request_records({"phase": _ARCHIVED}):
                archived_at = _iso(raw.get("archivedAt"))
                if archived_at is None or parse_datetime(archived_at) < window.start:
                    continue
                record = self._record(raw)
                changed.archived.append(record["id"])
                yield record
        self._complete(window)
        if window.full:
            self.write_activate_version()

    def _complete(self, window: Window) -> None:
        """Make the window end the bookmark (only called once the window is read)."""
        state = self.get_context_state(None)
        state.pop("progress_markers", None)
        state["replication_key"] = REPLICATION_KEY
        state["replication_key_value"] = format_datetime(window.end)

    def _record(self, raw: dict[str, Any]) -> dict[str, Any]:
        object_id = str(raw["id"])
        properties = parse_properties(
            raw.get("properties") or {},
            self.object_type.property_types,
            object_id=object_id,
            object_type=self.name,
        )
        modified = properties.get(self.object_type.modified_property)
        return {
            "id": object_id,
            "properties": properties,
            "createdAt": _iso(raw.get("createdAt")),
            "updatedAt": _iso(raw.get("updatedAt")),
            REPLICATION_KEY: modified if isinstance(modified, str) else _iso(raw.get("updatedAt")),
            "archived": bool(raw.get("archived")),
            "archivedAt": _iso(raw.get("archivedAt")),
        }

    @override
    def get_http_request(self, *, page: PageContext[Any]) -> HTTPRequest:
        path = f"{self.url_base}{self.path}"
        if self.context_value(page.stream_context, "phase") == _ARCHIVED:
            params: dict[str, Any] = {"archived": "true", "limit": LIST_PAGE_SIZE}
            if page.next_page_token:
                params["after"] = page.next_page_token
            return HTTPRequest(url=path, method="GET", params=params)
        body = search.search_body(
            after_id=page.next_page_token,
            page_size=self.page_size,
            properties=list(self.object_type.property_types),
            modified_property=self.object_type.modified_property,
            window=(self.window.start, self.window.end),
        )
        return HTTPRequest(url=f"{path}/search", method="POST", data=body)

    @override
    def next_page_token(self, response: requests.Response) -> Any:
        if search.is_search_response(response):
            return search.next_after_id(response, self.page_size)
        return super().next_page_token(response)


class OwnersStream(HubspotStream):
    """`/crm/v3/owners`, active and archived, 500 a page; every run is a full run."""

    name = "owners"
    path = "/crm/v3/owners"
    primary_keys: ClassVar[list[str]] = ["id"]
    schema = OWNERS_SCHEMA

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self.run.check_access(self._tap.streams.values())
        self.write_activate_version()
        for archived in (False, True):
            for raw in self.request_records({"archived": archived}):
                yield {**raw, "id": str(raw["id"]), "archived": bool(raw.get("archived"))}
        self.write_activate_version()

    @override
    def get_http_request(self, *, page: PageContext[Any]) -> HTTPRequest:
        archived = bool(self.context_value(page.stream_context, "archived"))
        params: dict[str, Any] = {"limit": OWNERS_PAGE_SIZE, "archived": str(archived).lower()}
        if page.next_page_token:
            params["after"] = page.next_page_token
        return HTTPRequest(url=f"{self.url_base}{self.path}", method="GET", params=params)


class PropertyDefinitionsStream(Stream):
    """One record per object type and property, from the run's property cache."""

    name = "property_definitions"
    primary_keys: ClassVar[list[str]] = ["object_type", "name"]
    schema = PROPERTY_DEFINITIONS_SCHEMA

    def __init__(self, tap: TapHubspot, run: RunContext) -> None:
        """Create the stream.

        Args:
            tap: The tap.
            run: The run's shared clients and caches.
        """
        self.run = run
        super().__init__(tap)

    @override
    def get_records(self, context: Context | None) -> Iterable[Record]:
        self.run.check_access(self._tap.streams.values())
        self._stream_version = self.run.version
        self._write_activate_version_message(self.run.version)
        for object_type in self.run.object_types.values():
            for prop in object_type.properties:
                record = {key: prop.get(key) for key in self.schema["properties"]}
                record["object_type"] = object_type.name
                record["hubspotDefined"] = bool(prop.get("hubspotDefined"))
                yield record
        self._write_activate_version_message(self.run.version)

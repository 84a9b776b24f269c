"""Association streams: one record per source object with its complete set of targets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.streams.rest import HTTPRequest
from typing_extensions import override

from tap_hubspot import search
from tap_hubspot.client import HubspotStream
from tap_hubspot.schema_objects import ASSOCIATIONS_SCHEMA
from tap_hubspot.values import format_datetime, parse_datetime
from tap_hubspot.window import Window, compute_window

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests
    from singer_sdk.helpers.types import Context
    from singer_sdk.streams.rest import PageContext

    from tap_hubspot.run import RunContext
    from tap_hubspot.tap import TapHubspot

#: HubSpot rejects v4 batch reads of more than 1,000 inputs.
BATCH_SIZE = 1000
_IDS = "ids"
#: State key: this stream's sets are fresh for every source changed up to this time.
FRESH_TO = "sets_fresh_to"
_BATCH = "batch"


@dataclasses.dataclass(frozen=True)
class Pair:
    """One association stream: source and target object streams.

    Attributes:
        source: Source object stream name (`companies`).
        target: Target object stream name (`contacts`).
    """

    source: str
    target: str

    @property
    def stream_name(self) -> str:
        """E.g. `associations_companies_contacts`."""
        return f"associations_{self.source}_{self.target}"


PAIRS = (
    Pair("companies", "contacts"),
    Pair("deals", "companies"),
    Pair("deals", "contacts"),
    Pair("deals", "bukken"),
    Pair("contacts", "bukken"),
)

#: source id -> target id -> association types.
Sets = dict[str, dict[str, list[dict[str, Any]]]]


class AssociationStream(HubspotStream):
    """v4 batch reads (1,000 ids a request) following every input's own paging.

    Which sources: those the source object stream read in this run (a full run: all),
    plus empty sets for sources archived since its window start. When the source stream
    is not selected, every source id is listed through search and the run is full.
    A full run reads from the side with fewer ids and turns the sets around.
    """

    primary_keys: ClassVar[list[str]] = ["from_id"]

    def __init__(self, tap: TapHubspot, run: RunContext, pair: Pair) -> None:
        """Create the stream of one pair.

        Args:
            tap: The tap.
            run: The run's shared clients and caches.
            pair: The source and target object streams.
        """
        self.pair = pair
        self._batch: list[str] = []
        self._id_window: Window | None = None
        super().__init__(tap, run, name=pair.stream_name, schema=ASSOCIATIONS_SCHEMA)
        self.path = f"{self._pair_path(pair.source, pair.target)}/batch/read"
        self._batch_path = self.path

    def _path_id(self, stream_name: str) -> str:
        return self.run.object_types[stream_name].path_id

    def _pair_path(self, source: str, target: str) -> str:
        return f"/crm/v4/associations/{self._path_id(source)}/{self._path_id(target)}"

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        self.run.check_access(self._tap.streams.values())
        live, archived, full, fresh_to = self._plan()
        if full:
            self.write_activate_version()
        targets = self.run.changed.get(self.pair.target)
        if full and targets is not None and targets.full and len(targets.live) < len(live):
            sets = self._read_inverted(list(dict.fromkeys(targets.live)))
            for object_id in live:
                yield _record(object_id, sets.get(object_id, {}))
        else:
            for start in range(0, len(live), BATCH_SIZE):
                batch = live[start : start + BATCH_SIZE]
                sets = self._read_sets(self.pair.source, self.pair.target, batch)
                for object_id in batch:
                    yield _record(object_id, sets.get(object_id, {}))
        live_ids = set(live)
        for object_id in dict.fromkeys(archived):
            if object_id not in live_ids:
                yield _record(object_id, {})
        if full:
            self.write_activate_version()
        self.get_context_state(None)[FRESH_TO] = format_datetime(fresh_to)

    def _plan(self) -> tuple[list[str], list[str], bool, dt.datetime]:
        """Which sets to read: (live ids, archived ids, full run, sets fresh up to).

        Normally the ids the source stream read in this run. The sets must be fresh from
        this stream's own marker on: when the marker lags the source's bookmark (a run
        killed between the two streams), the ids changed since the marker are searched.
        """
        changed = self.run.changed.get(self.pair.source)
        fresh_to = self._source_window(None).end
        marker = self.get_context_state(None).get(FRESH_TO)
        if changed is None or (marker is None and not changed.full):
            self.logger.info("%s: reading every set", self.name)
            return self._source_ids(None), [], True, fresh_to
        live = list(dict.fromkeys(changed.live))
        if changed.full:
            return live, changed.archived, True, fresh_to
        since = parse_datetime(str(marker))
        if changed.bookmark is None or since < changed.bookmark:
            self.logger.info("%s: sets fresh to %s only; searching since", self.name, marker)
            live = list(dict.fromkeys([*self._source_ids(since), *live]))
        return live, changed.archived, False, fresh_to

    def _source_window(self, bookmark: dt.datetime | None) -> Window:
        return compute_window(
            bookmark=bookmark,
            start_date=parse_datetime(str(self.config["start_date"])),
            run_start=self.run.clock.run_start(),
            lookback=dt.timedelta(minutes=int(self.config["lookback_minutes"])),
        )

    def _source_ids(self, since: dt.datetime | None) -> list[str]:
        """Source ids modified in the window from `since` (every id when None)."""
        self._id_window = None if since is None else self._source_window(since)
        return [str(raw["id"]) for raw in self.request_records({"phase": _IDS})]

    def _read_sets(self, source: str, target: str, ids: list[str]) -> Sets:
        """Complete association sets of `ids` (source -> target), following each input's paging."""
        sets: Sets = {}
        self._batch = ids
        self._batch_path = f"{self._pair_path(source, target)}/batch/read"
        for result in self.request_records({"phase": _BATCH}):
            targets = sets.setdefault(str(result["from"]["id"]), {})
            for link in result.get("to") or []:
                kinds = targets.setdefault(str(link["toObjectId"]), [])
                for kind in link.get("associationTypes") or []:
                    entry = _association_type(kind)
                    if entry not in kinds:
                        kinds.append(entry)
        return sets

    def _read_inverted(self, target_ids: list[str]) -> Sets:
        """Full run: read the smaller side (target -> source) and turn the sets around.

        Inverse association types are mapped onto this direction's types by category and
        label, as read from the labels endpoints of both directions.
        """
        forward = self._labels(self.pair.source, self.pair.target)
        inverse = self._labels(self.pair.target, self.pair.source)
        to_forward = {type_id: forward[key] for key, type_id in inverse.items() if key in forward}
        sets: Sets = {}
        for start in range(0, len(target_ids), BATCH_SIZE):
            batch = target_ids[start : start + BATCH_SIZE]
            for target_id, sources in self._read_sets(
                self.pair.target, self.pair.source, batch
            ).items():
                for source_id, kinds in sources.items():
                    entries = sets.setdefault(source_id, {}).setdefault(target_id, [])
                    for kind in kinds:
                        entry = {**kind, "typeId": to_forward.get(kind["typeId"], kind["typeId"])}
                        if entry not in entries:
                            entries.append(entry)
        return sets

    def _labels(self, source: str, target: str) -> dict[tuple[str, str | None], int]:
        """(category, label) -> typeId of one direction (unlabeled types have label None)."""
        body = self.run.api.get(f"{self._pair_path(source, target)}/labels")
        return {
            (str(item.get("category")), item.get("label")): int(item["typeId"])
            for item in body.get("results") or []
            if item.get("typeId") is not None
        }

    @override
    def get_http_request(self, *, page: PageContext[Any]) -> HTTPRequest:
        if self.context_value(page.stream_context, "phase") == _IDS:
            source = self._path_id(self.pair.source)
            window = self._id_window
            body = search.search_body(
                after_id=page.next_page_token,
                page_size=search.MAX_PAGE_SIZE,
                properties=["hs_object_id"],
                modified_property=self.run.object_types[self.pair.source].modified_property,
                window=None if window is None else (window.start, window.end),
            )
            return HTTPRequest(
                url=f"{self.url_base}/crm/v3/objects/{source}/search", method="POST", data=body
            )
        inputs = page.next_page_token or [{"id": object_id} for object_id in self._batch]
        return HTTPRequest(
            url=f"{self.url_base}{self._batch_path}",
            method="POST",
            data={"inputs": inputs},
        )

    @override
    def next_page_token(self, response: requests.Response) -> Any:
        if search.is_search_response(response):
            return search.next_after_id(response, search.MAX_PAGE_SIZE)
        pending = [
            {"id": str(result["from"]["id"]), "after": str(result["paging"]["next"]["after"])}
            for result in response.json().get("results") or []
            if ((result.get("paging") or {}).get("next") or {}).get("after")
        ]
        return pending or None


def _association_type(kind: dict[str, Any]) -> dict[str, Any]:
    return {
        "category": str(kind.get("category")),
        "typeId": int(kind["typeId"]),
        "label": kind.get("label"),
    }


def _record(object_id: str, targets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "from_id": object_id,
        "to": [
            {"to_id": to_id, "association_types": kinds}
            for to_id, kinds in sorted(targets.items(), key=lambda item: int(item[0]))
        ],
    }

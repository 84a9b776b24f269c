"""tap-hubspot: settings and streams."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from typing_extensions import override

from tap_hubspot.associations import PAIRS, AssociationStream
from tap_hubspot.run import RunContext, setting_error
from tap_hubspot.streams import ObjectStream, OwnersStream, PropertyDefinitionsStream
from tap_hubspot.values import UnparseableValueError, parse_datetime

if TYPE_CHECKING:
    from collections.abc import Sequence

DISTRIBUTION = "tap-hubspot-mirai"
DEFAULT_START_DATE = "2000-01-01T00:00:00Z"
DATE_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"([T ][0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-2][0-9]:?[0-5][0-9])?)?$"
)

CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "access_token",
        th.StringType(min_length=1),
        required=True,
        secret=True,
        title="Access token",
        description="HubSpot private-app token (meltano.yml: HUBSPOT_API_KEY).",
    ),
    th.Property(
        "base_url",
        th.StringType(pattern=r"^https?://[^/\s]+(/\S*)?$"),
        default="https://api.hubapi.com",
        title="Base URL",
        description="API base URL; paths are appended (HUBSPOT_BASE_URL).",
    ),
    th.Property(
        "portal_id",
        th.StringType(pattern=r"^[0-9]+$"),
        title="Portal id",
        description="HubSpot portal (hub) id (HUBSPOT_ID); checked against custom objects.",
    ),
    th.Property(
        "start_date",
        th.StringType(pattern=DATE_PATTERN),
        default=DEFAULT_START_DATE,
        title="Start date",
        description="Earliest last-modified date read on a first or full run.",
    ),
    th.Property(
        "custom_objects",
        th.ArrayType(th.StringType(min_length=1)),
        default=["bukken"],
        title="Custom objects",
        description="Custom object names (found through /crm/v3/schemas by name).",
    ),
    th.Property(
        "lookback_minutes",
        th.IntegerType(minimum=0),
        default=10,
        title="Lookback minutes",
        description="How far an incremental window reaches back before the bookmark "
        "(covers search-index lag).",
    ),
    th.Property(
        "rate_limit_per_10s",
        th.IntegerType(minimum=1),
        default=100,
        title="Requests per 10 s",
        description="General request budget per rolling 10 seconds (Free/Starter: 100).",
    ),
    th.Property(
        "search_rate_per_second",
        th.IntegerType(minimum=1),
        default=5,
        title="Search requests per second",
        description="Search request budget per rolling second (HubSpot: 5).",
    ),
    th.Property(
        "page_size",
        th.IntegerType(minimum=1, maximum=200),
        default=200,
        title="Search page size",
        description="Records per search page (at most 200).",
    ),
    th.Property(
        "include_archived",
        th.BooleanType,
        default=True,
        title="Include archived",
        description="Emit records archived since the bookmark with archived: true.",
    ),
).to_dict()


class TapHubspot(Tap):
    """Singer tap for the HubSpot CRM."""

    name = "tap-hubspot"
    config_jsonschema = CONFIG_SCHEMA
    dynamic_catalog = True

    @classmethod
    @override
    def get_plugin_version(cls) -> str:
        return cls._get_package_version(DISTRIBUTION)

    @functools.cached_property
    def run(self) -> RunContext:
        """What the streams of this run share; settings are checked before any request.

        Raises:
            ConfigValidationError: The start date is no date (it is named).
        """
        start_date = self.config.get("start_date", DEFAULT_START_DATE)
        try:
            parse_datetime(str(start_date))
        except UnparseableValueError as exc:
            error = f"start_date: {start_date!r} is no ISO-8601 date"
            raise setting_error(error) from exc
        return RunContext(self.config, version=self.initialized_at)

    @override
    def discover_streams(self) -> Sequence[Stream]:
        object_types = self.run.object_types
        streams: list[Stream] = [
            OwnersStream(self, self.run),
            PropertyDefinitionsStream(self, self.run),
        ]
        streams.extend(ObjectStream(self, self.run, t) for t in object_types.values())
        streams.extend(
            AssociationStream(self, self.run, pair)
            for pair in PAIRS
            if pair.source in object_types and pair.target in object_types
        )
        return streams

    @property
    @override
    def streams(self) -> dict[str, Stream]:
        """Streams in sync order: association streams after their object streams."""
        streams = super().streams
        return dict(
            sorted(streams.items(), key=lambda item: isinstance(item[1], AssociationStream))
        )

"""What the streams of one run share: clients, object types, properties, changed ids."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from singer_sdk.exceptions import ConfigValidationError

from tap_hubspot.api import HubspotApi, HubspotAuth, LimitedAdapter, ServerClock
from tap_hubspot.limiter import RateLimiter

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from singer_sdk import Stream

    from tap_hubspot.window import Window

STANDARD_OBJECTS = ("companies", "contacts", "deals")
#: Contacts name their last-modified property differently from every other object.
MODIFIED_PROPERTY = {"contacts": "lastmodifieddate"}
DEFAULT_MODIFIED_PROPERTY = "hs_lastmodifieddate"


@dataclasses.dataclass
class ObjectType:
    """One CRM object type as the tap reads it.

    Attributes:
        name: Stream name (`companies`, `bukken`).
        path_id: How API paths name it (`companies`, `2-3821545`).
        modified_property: `lastmodifieddate` for contacts, else `hs_lastmodifieddate`.
        properties: Its property definitions from `/crm/v3/properties`.
    """

    name: str
    path_id: str
    modified_property: str
    properties: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @property
    def property_types(self) -> dict[str, str]:
        """Property name -> HubSpot type."""
        return {str(p["name"]): str(p.get("type") or "string") for p in self.properties}


@dataclasses.dataclass
class ChangedIds:
    """The ids an object stream saw in this run, for the association streams.

    Attributes:
        window: The window the object stream read.
        bookmark: The object stream's bookmark before this run (None in a full run).
        live: Ids of records the search returned.
        archived: Ids of records archived since the window start.
    """

    window: Window
    bookmark: dt.datetime | None
    live: list[str] = dataclasses.field(default_factory=list)
    archived: list[str] = dataclasses.field(default_factory=list)

    @property
    def full(self) -> bool:
        """True when the object stream read everything (no bookmark)."""
        return self.window.full


def setting_error(error: str) -> ConfigValidationError:
    """A config error that names the setting in its message.

    Args:
        error: `<setting>: <what is wrong>`.

    Returns:
        The exception to raise.
    """
    return ConfigValidationError(f"Config validation failed: {error}", errors=[error])


class RunContext:
    """Clients and caches shared by every stream of one tap run."""

    def __init__(self, config: Mapping[str, Any], version: int) -> None:
        """Create the run's clients (no request is sent yet).

        Args:
            config: The validated tap config.
            version: The table version of full runs (ACTIVATE_VERSION).
        """
        self.config = config
        self.version = version
        self.limiter = RateLimiter(
            per_10s=int(config["rate_limit_per_10s"]),
            search_per_second=int(config["search_rate_per_second"]),
        )
        self.clock = ServerClock()
        self.auth = HubspotAuth(str(config["access_token"]))
        self.adapter = LimitedAdapter(self.limiter, self.clock)
        self.api = HubspotApi(str(config["base_url"]), self.auth, self.adapter)
        self.changed: dict[str, ChangedIds] = {}
        self._access_checked = False
        self._object_types: dict[str, ObjectType] | None = None

    @property
    def object_types(self) -> dict[str, ObjectType]:
        """Every object type to extract, with its properties (read once per run)."""
        if self._object_types is None:
            self._object_types = self._discover_object_types()
        return self._object_types

    def _discover_object_types(self) -> dict[str, ObjectType]:
        types = {
            name: ObjectType(
                name=name,
                path_id=name,
                modified_property=MODIFIED_PROPERTY.get(name, DEFAULT_MODIFIED_PROPERTY),
            )
            for name in STANDARD_OBJECTS
        }
        wanted = [str(name) for name in self.config.get("custom_objects") or []]
        if wanted:
            schemas = self.api.get("/crm/v3/schemas").get("results") or []
            by_name = {str(schema.get("name")): schema for schema in schemas}
            missing = [name for name in wanted if name not in by_name]
            if missing:
                found = ", ".join(sorted(by_name)) or "none"
                msg = (
                    f"custom_objects: {', '.join(missing)} not in /crm/v3/schemas (found: {found})"
                )
                raise setting_error(msg)
            self._check_portal([str(by_name[name].get("fullyQualifiedName")) for name in wanted])
            for name in wanted:
                types[name] = ObjectType(
                    name=name,
                    path_id=str(by_name[name]["objectTypeId"]),
                    modified_property=DEFAULT_MODIFIED_PROPERTY,
                )
        for object_type in types.values():
            body = self.api.get(f"/crm/v3/properties/{object_type.path_id}")
            object_type.properties = [
                prop for prop in body.get("results") or [] if isinstance(prop, dict)
            ]
        return types

    def check_access(self, streams: Iterable[Stream]) -> None:
        """Read one record of each list endpoint the selected streams read (once per run).

        Streams call this before their first record. A token lacking a read scope fails here
        with the 403 that names the scope, instead of after the streams synced before the one
        that needs it (nothing is half-written).

        Args:
            streams: Every stream of the tap (the selected ones are checked).
        """
        if self._access_checked:
            return
        self._access_checked = True
        types = self.object_types
        paths: list[str] = []
        for stream in streams:
            if not stream.selected:
                continue
            pair = getattr(stream, "pair", None)
            names = [pair.source, pair.target] if pair is not None else [stream.name]
            for name in names:
                if name == "owners":
                    paths.append("/crm/v3/owners")
                elif name in types:
                    paths.append(f"/crm/v3/objects/{types[name].path_id}")
        for path in dict.fromkeys(paths):
            self.api.get(path, {"limit": "1"})

    def _check_portal(self, qualified_names: list[str]) -> None:
        portal = self.config.get("portal_id")
        if not portal:
            return
        wrong = [name for name in qualified_names if not name.startswith(f"p{portal}_")]
        if wrong:
            msg = f"portal_id: {portal} does not own {', '.join(wrong)}"
            raise setting_error(msg)

"""Records as the API returns them (``SimplePublicObject``) and property-value lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hubspot_sandbox.clock import format_ms

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hubspot_sandbox.catalog import ObjectType
    from hubspot_sandbox.model import Version


def property_value(
    object_type: ObjectType, record_id: int, version: Version, name: str
) -> str | None:
    """Return one property value of a record, deriving the id and the two dates."""
    if name == "hs_object_id":
        return str(record_id)
    if name == object_type.created_property:
        return format_ms(version.created_ms)
    if name == object_type.modified_property:
        return format_ms(version.updated_ms)
    return version.props.get(name)


def record_json(
    object_type: ObjectType,
    record_id: int,
    version: Version,
    names: Iterable[str],
) -> dict[str, Any]:
    """Return a record in HubSpot's shape with the given (known) properties, keys alphabetical.

    Args:
        object_type: The record's object type.
        record_id: The record id.
        version: The state to show.
        names: The property names to include; never-set ones come back as null.
    """
    properties = {
        name: property_value(object_type, record_id, version, name) for name in sorted(set(names))
    }
    body: dict[str, Any] = {
        "id": str(record_id),
        "properties": properties,
        "createdAt": format_ms(version.created_ms),
        "updatedAt": format_ms(version.updated_ms),
        "archived": version.archived_ms is not None,
    }
    if version.archived_ms is not None:
        body["archivedAt"] = format_ms(version.archived_ms)
    return body

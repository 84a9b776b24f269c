"""JSON schemas of the emitted records (docs/interfaces.md section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th

from tap_hubspot.values import json_schema_for

if TYPE_CHECKING:
    from tap_hubspot.run import ObjectType

NULLABLE_DATETIME: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}


def object_schema(object_type: ObjectType) -> dict[str, Any]:
    """The record schema of a CRM object stream, typed from its property definitions.

    Args:
        object_type: The object type with its properties.

    Returns:
        A JSON schema: id, properties (every property, typed), timestamps, archived.
    """
    properties = {
        str(prop["name"]): json_schema_for(str(prop.get("type") or "string"))
        for prop in object_type.properties
    }
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "properties": {
                "type": ["object", "null"],
                "properties": properties,
                "additionalProperties": True,
            },
            "createdAt": NULLABLE_DATETIME,
            "updatedAt": NULLABLE_DATETIME,
            "hs_lastmodifieddate": NULLABLE_DATETIME,
            "archived": {"type": ["boolean", "null"]},
            "archivedAt": NULLABLE_DATETIME,
        },
        "required": ["id"],
    }


OWNERS_SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("email", th.StringType),
    th.Property("firstName", th.StringType),
    th.Property("lastName", th.StringType),
    th.Property("userId", th.IntegerType),
    th.Property("userIdIncludingInactive", th.IntegerType),
    th.Property("type", th.StringType),
    th.Property(
        "teams",
        th.ArrayType(
            th.ObjectType(
                th.Property("id", th.StringType),
                th.Property("name", th.StringType),
                th.Property("primary", th.BooleanType),
            )
        ),
    ),
    th.Property("createdAt", th.DateTimeType),
    th.Property("updatedAt", th.DateTimeType),
    th.Property("archived", th.BooleanType),
).to_dict()

PROPERTY_DEFINITIONS_SCHEMA = th.PropertiesList(
    th.Property("object_type", th.StringType, required=True),
    th.Property("name", th.StringType, required=True),
    th.Property("label", th.StringType),
    th.Property("type", th.StringType),
    th.Property("fieldType", th.StringType),
    th.Property("groupName", th.StringType),
    th.Property("description", th.StringType),
    th.Property(
        "options",
        th.ArrayType(
            th.ObjectType(
                th.Property("label", th.StringType),
                th.Property("value", th.StringType),
                th.Property("description", th.StringType),
                th.Property("displayOrder", th.IntegerType),
                th.Property("hidden", th.BooleanType),
            )
        ),
    ),
    th.Property("hubspotDefined", th.BooleanType),
    th.Property("calculated", th.BooleanType),
    th.Property("hasUniqueValue", th.BooleanType),
    th.Property("archived", th.BooleanType),
).to_dict()

ASSOCIATIONS_SCHEMA = th.PropertiesList(
    th.Property("from_id", th.StringType, required=True),
    th.Property(
        "to",
        th.ArrayType(
            th.ObjectType(
                th.Property("to_id", th.StringType, required=True),
                th.Property(
                    "association_types",
                    th.ArrayType(
                        th.ObjectType(
                            th.Property("category", th.StringType),
                            th.Property("typeId", th.IntegerType),
                            th.Property("label", th.StringType),
                        )
                    ),
                ),
            )
        ),
        required=True,
    ),
).to_dict()

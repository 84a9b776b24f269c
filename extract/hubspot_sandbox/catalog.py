"""Object types, their addressing, and the association types of the sandbox portal."""

from __future__ import annotations

from dataclasses import dataclass

from hubspot_sandbox import PORTAL_ID
from hubspot_sandbox.errors import validation_error

BUKKEN_TYPE_ID = "2-3821545"
BUKKEN_FQN = f"p{PORTAL_ID}_bukken"


@dataclass(frozen=True)
class ObjectType:
    """One CRM object type of the portal.

    Attributes:
        name: The name used in the sandbox and the control API (``contacts``, ``bukken``).
        type_id: HubSpot's objectTypeId (``0-1``, ``2-3821545``).
        singular: The singular label used in error messages (``contact``).
        created_property: ``createdate``, or ``hs_createdate`` for custom objects.
        modified_property: ``lastmodifieddate`` for contacts, else ``hs_lastmodifieddate``.
        default_properties: What the list and search answers return without ``properties``.
        read_scope: The granular scope needed to read the records.
        schema_scope: The granular scope needed to read the property definitions.
        custom: Whether this is a custom object.
        id_start: The first record id the generator hands out.
    """

    name: str
    type_id: str
    singular: str
    created_property: str
    modified_property: str
    default_properties: tuple[str, ...]
    read_scope: str
    schema_scope: str
    custom: bool
    id_start: int

    @property
    def always_properties(self) -> tuple[str, str, str]:
        """The properties every answer carries: create date, last-modified date, object id."""
        return (self.created_property, self.modified_property, "hs_object_id")


CONTACTS = ObjectType(
    "contacts",
    "0-1",
    "contact",
    "createdate",
    "lastmodifieddate",
    ("firstname", "lastname", "email"),
    "crm.objects.contacts.read",
    "crm.schemas.contacts.read",
    custom=False,
    id_start=101,
)
COMPANIES = ObjectType(
    "companies",
    "0-2",
    "company",
    "createdate",
    "hs_lastmodifieddate",
    ("name", "domain"),
    "crm.objects.companies.read",
    "crm.schemas.companies.read",
    custom=False,
    id_start=5_000_000_001,
)
DEALS = ObjectType(
    "deals",
    "0-3",
    "deal",
    "createdate",
    "hs_lastmodifieddate",
    ("dealname", "amount", "closedate", "pipeline", "dealstage"),
    "crm.objects.deals.read",
    "crm.schemas.deals.read",
    custom=False,
    id_start=9_000_000_001,
)
BUKKEN = ObjectType(
    "bukken",
    BUKKEN_TYPE_ID,
    "bukken",
    "hs_createdate",
    "hs_lastmodifieddate",
    (),
    "crm.objects.custom.read",
    "crm.schemas.custom.read",
    custom=True,
    id_start=20_000_000_001,
)
OBJECT_TYPES: dict[str, ObjectType] = {t.name: t for t in (CONTACTS, COMPANIES, DEALS, BUKKEN)}

_API_NAMES: dict[str, ObjectType] = {
    **{key: t for t in (CONTACTS, COMPANIES, DEALS) for key in (t.name, t.singular, t.type_id)},
    BUKKEN_TYPE_ID: BUKKEN,
    BUKKEN_FQN: BUKKEN,
    "p_bukken": BUKKEN,
}


def resolve_api_type(text: str) -> ObjectType:
    """Resolve an object type as it appears in an API path, the way HubSpot does.

    Standard objects go by plural name, singular name or objectTypeId; ``bukken`` only by
    objectTypeId, fully qualified name or ``p_bukken`` (the bare name has been rejected since 2025).

    Raises:
        ApiError: 400 ``Unable to infer object type from: ...`` for anything else.
    """
    found = _API_NAMES.get(text.lower()) or _API_NAMES.get(text)
    if found is None:
        msg = f"Unable to infer object type from: {text}"
        raise validation_error(msg)
    return found


def resolve_control_type(text: str) -> ObjectType:
    """Resolve an object type given to the control API: any API form, or the bare name."""
    if text in OBJECT_TYPES:
        return OBJECT_TYPES[text]
    return resolve_api_type(text)


@dataclass(frozen=True)
class AssociationType:
    """One association type (one direction) between two object types."""

    from_type: str
    to_type: str
    type_id: int
    category: str
    label: str | None
    inverse_id: int

    def as_json(self) -> dict[str, object]:
        """Return the ``associationTypes`` entry HubSpot answers with."""
        return {"category": self.category, "typeId": self.type_id, "label": self.label}


def _pair(  # noqa: PLR0913, PLR0917 - one row of the type table
    from_type: str,
    to_type: str,
    forward: int,
    backward: int,
    category: str,
    label: str | None,
) -> tuple[AssociationType, AssociationType]:
    return (
        AssociationType(from_type, to_type, forward, category, label, backward),
        AssociationType(to_type, from_type, backward, category, label, forward),
    )


_HS = "HUBSPOT_DEFINED"
_USER = "USER_DEFINED"
_ROWS = (
    _pair("contacts", "companies", 279, 280, _HS, None),
    _pair("contacts", "companies", 1, 2, _HS, "Primary"),
    _pair("contacts", "companies", 105, 106, _USER, "売主"),
    _pair("contacts", "companies", 107, 108, _USER, "買主"),
    _pair("contacts", "companies", 109, 110, _USER, "担当者"),
    _pair("deals", "companies", 341, 342, _HS, None),
    _pair("deals", "companies", 5, 6, _HS, "Primary"),
    _pair("deals", "contacts", 3, 4, _HS, None),
    _pair("deals", "contacts", 111, 112, _USER, "売主"),
    _pair("deals", "contacts", 113, 114, _USER, "買主"),
    _pair("deals", "bukken", 101, 102, _USER, None),
    _pair("deals", "bukken", 115, 116, _USER, "売買対象"),
    _pair("contacts", "bukken", 103, 104, _USER, None),
    _pair("contacts", "bukken", 117, 118, _USER, "所有者"),
    _pair("contacts", "bukken", 119, 120, _USER, "内見者"),
)
ASSOCIATION_TYPES: dict[int, AssociationType] = {t.type_id: t for row in _ROWS for t in row}


def pair_types(from_type: str, to_type: str) -> list[AssociationType]:
    """Return the association types from one object type to another, unlabeled first."""
    found = [
        t for t in ASSOCIATION_TYPES.values() if (t.from_type, t.to_type) == (from_type, to_type)
    ]
    return sorted(found, key=lambda t: (t.label is not None, t.label != "Primary", t.type_id))


def unlabeled_type(from_type: str, to_type: str) -> AssociationType:
    """Return the unlabeled (default) association type of a pair.

    Raises:
        ApiError: 400 when the two object types cannot be associated.
    """
    for association_type in pair_types(from_type, to_type):
        if association_type.label is None:
            return association_type
    msg = f"{from_type} can not be associated with {to_type}"
    raise validation_error(msg)


def labeled_type(from_type: str, to_type: str, label: str) -> AssociationType:
    """Return the association type of a pair carrying ``label`` (``Primary`` or a user label).

    Raises:
        ApiError: 400 when the pair has no such label.
    """
    for association_type in pair_types(from_type, to_type):
        if association_type.label == label:
            return association_type
    msg = f"No association label {label!r} from {from_type} to {to_type}"
    raise validation_error(msg)

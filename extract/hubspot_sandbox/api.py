"""Handlers of the HubSpot CRM endpoints the tap uses."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from hubspot_sandbox import PORTAL_ID
from hubspot_sandbox.catalog import (
    ASSOCIATION_TYPES,
    BUKKEN,
    BUKKEN_FQN,
    OBJECT_TYPES,
    ObjectType,
    pair_types,
    resolve_api_type,
)
from hubspot_sandbox.clock import format_ms
from hubspot_sandbox.errors import not_found, validation_error
from hubspot_sandbox.messages import Request, Response, Route, route
from hubspot_sandbox.properties import CUSTOM_DEFINED_AT, HUBSPOT_DEFINED_AT, definition
from hubspot_sandbox.search import parse_request, run_search
from hubspot_sandbox.views import record_json

if TYPE_CHECKING:
    import re
    from collections.abc import Callable

    from hubspot_sandbox.clock import SandboxClock
    from hubspot_sandbox.model import Record
    from hubspot_sandbox.store import Store

LIST_MAX = 100
BATCH_READ_MAX = 100
OWNERS_MAX = 500
ASSOC_BATCH_MAX = 1_000
ASSOC_PAGE = 100
ASSOC_SINGLE_MAX = 500


def _object_scope(match: re.Match[str]) -> list[str]:
    return [resolve_api_type(match["objectType"]).read_scope]


def _schema_scope(match: re.Match[str]) -> list[str]:
    return [resolve_api_type(match["objectType"]).schema_scope]


def _pair_scopes(match: re.Match[str]) -> list[str]:
    names = (match["fromObjectType"], match["toObjectType"])
    return list(dict.fromkeys(resolve_api_type(name).read_scope for name in names))


def _fixed(*scopes: str) -> Callable[[re.Match[str]], list[str]]:
    return lambda _match: list(scopes)


def _singular(type_name: str) -> str:
    return OBJECT_TYPES[type_name].singular


def _record_id(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _encode_cursor(to_id: int) -> str:
    return base64.urlsafe_b64encode(f"assoc:{to_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(text.removeprefix("assoc:"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        msg = f"Invalid after cursor: {cursor}"
        raise validation_error(msg) from None


def _batch_inputs(request: Request, limit: int, shape: str) -> tuple[dict[str, Any], list[Any]]:
    """The JSON body of a batch request and its ``inputs``, at most ``limit`` of them.

    Raises:
        ApiError: 400 VALIDATION_ERROR for a missing or oversized ``inputs`` list.
    """
    body = request.json()
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list):
        msg = f"inputs must be a list of {shape}"
        raise validation_error(msg)
    if len(inputs) > limit:
        msg = f"Batch input size {len(inputs)} exceeds the limit of {limit}."
        raise validation_error(msg)
    return body, inputs


def _link(request: Request, after: str) -> str:
    query = {key: values[-1] for key, values in request.query.items()}
    query["after"] = after
    return f"{request.base_url}{request.path}?{urlencode(query)}"


class CrmApi:
    """The CRM endpoints, answering from a :class:`~hubspot_sandbox.store.Store`."""

    def __init__(self, store: Store, clock: SandboxClock, search_lag_ms: Callable[[], int]) -> None:
        """Serve ``store``; search sees changes only ``search_lag_ms()`` after they happen."""
        self.store = store
        self.clock = clock
        self.search_lag_ms = search_lag_ms

    def routes(self) -> list[Route]:
        """Return every endpoint, most specific first."""
        objects = "/crm/v3/objects/{objectType}"
        pair = "/crm/v4/associations/{fromObjectType}/{toObjectType}"
        owners = _fixed("crm.objects.owners.read")
        return [
            route("POST", f"{objects}/search", self.search, _object_scope, search=True),
            route("POST", f"{objects}/batch/read", self.batch_read, _object_scope),
            route("GET", f"{objects}/{{objectId}}", self.get_object, _object_scope),
            route("GET", objects, self.list_objects, _object_scope),
            route("GET", "/crm/v3/properties/{objectType}", self.properties, _schema_scope),
            route("GET", "/crm/v3/schemas", self.schemas, _fixed("crm.schemas.custom.read")),
            route("GET", "/crm/v3/schemas/{objectType}", self.schema, _schema_scope),
            route("GET", "/crm/v3/owners", self.owners, owners),
            route("GET", "/crm/v3/owners/{ownerId}", self.owner, owners),
            route("POST", f"{pair}/batch/read", self.association_batch, _pair_scopes),
            route("GET", f"{pair}/labels", self.association_labels, _pair_scopes),
            route(
                "GET",
                "/crm/v4/objects/{fromObjectType}/{objectId}/associations/{toObjectType}",
                self.associations_of,
                _pair_scopes,
            ),
        ]

    # ---- objects ------------------------------------------------------------------------
    def _names(self, object_type: ObjectType, requested: list[str] | None) -> list[str]:
        known = self.store.properties[object_type.name]
        wanted = requested or list(object_type.default_properties)
        return [name for name in (*wanted, *object_type.always_properties) if name in known]

    def _json(self, object_type: ObjectType, record: Record, names: list[str]) -> dict[str, Any]:
        return record_json(object_type, record.id, record.version, names)

    def list_objects(self, request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v3/objects/{objectType}``: id-ordered pages of live or archived records."""
        object_type = resolve_api_type(match["objectType"])
        limit = min(request.int_param("limit", 10), LIST_MAX)
        if limit < 1:
            msg = f"limit must be positive, got {limit}"
            raise validation_error(msg)
        after_text = request.param("after") or "0"
        after = _record_id(after_text)
        if after is None:
            msg = f"Invalid after cursor: {after_text}"
            raise validation_error(msg)
        names = self._names(object_type, request.list_param("properties"))
        with self.store.lock:
            records, next_id = self.store.page(
                object_type.name, after, limit, archived=request.flag("archived")
            )
            body: dict[str, Any] = {"results": [self._json(object_type, r, names) for r in records]}
        if next_id is not None:
            body["paging"] = {"next": {"after": str(next_id), "link": _link(request, str(next_id))}}
        return Response(200, body)

    def get_object(self, request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v3/objects/{objectType}/{objectId}``."""
        object_type = resolve_api_type(match["objectType"])
        record_id = _record_id(match["objectId"])
        record = None if record_id is None else self.store.get(object_type.name, record_id)
        archived = request.flag("archived")
        if record is None or (record.version.archived_ms is not None) != archived:
            msg = "Object not found.  objectId are usually numeric."
            raise not_found(
                msg,
                context={"id": [match["objectId"]]},
            )
        names = self._names(object_type, request.list_param("properties"))
        return Response(200, self._json(object_type, record, names))

    def batch_read(self, request: Request, match: re.Match[str]) -> Response:
        """``POST /crm/v3/objects/{objectType}/batch/read``: up to 100 ids, 207 for missing ones."""
        object_type = resolve_api_type(match["objectType"])
        body, inputs = _batch_inputs(request, BATCH_READ_MAX, "{id}")
        id_property = body.get("idProperty")
        if id_property == "hs_object_id":
            msg = "idProperty hs_object_id is not a unique property; omit idProperty for ids"
            raise validation_error(msg)
        started = format_ms(self.clock.now_ms())
        names = self._names(object_type, body.get("properties"))
        archived = request.flag("archived")
        found, missing = [], []
        for item in inputs:
            wanted = str(item.get("id", "")) if isinstance(item, dict) else ""
            record = self._find(object_type, wanted, id_property)
            if record is None or (record.version.archived_ms is not None) != archived:
                missing.append(wanted)
            else:
                found.append(self._json(object_type, record, names))
        answer: dict[str, Any] = {"status": "COMPLETE", "results": found}
        if missing:
            answer["numErrors"] = 1
            answer["errors"] = [
                {
                    "status": "error",
                    "category": "OBJECT_NOT_FOUND",
                    "message": f"Could not get some {object_type.singular.upper()} objects, they "
                    "may be deleted or not exist. Check that ids are valid.",
                    "context": {"ids": missing},
                    "errors": [],
                    "links": {},
                }
            ]
        answer["startedAt"] = started
        answer["completedAt"] = format_ms(self.clock.now_ms())
        return Response(207 if missing else 200, answer)

    def _find(self, object_type: ObjectType, wanted: str, id_property: object) -> Record | None:
        if not id_property:
            record_id = _record_id(wanted)
            return None if record_id is None else self.store.get(object_type.name, record_id)
        with self.store.lock:
            for record in self.store.records[object_type.name].values():
                if record.version.props.get(str(id_property)) == wanted:
                    return record
        return None

    def search(self, request: Request, match: re.Match[str]) -> Response:
        """``POST /crm/v3/objects/{objectType}/search``."""
        object_type = resolve_api_type(match["objectType"])
        query = parse_request(request.json())
        cutoff = self.clock.now_ms() - self.search_lag_ms()
        with self.store.lock:
            specs = dict(self.store.properties[object_type.name])
        view = self.store.search_view(object_type.name, cutoff)
        total, page = run_search(object_type, specs, view, query)
        names = self._names(object_type, query.properties)
        body: dict[str, Any] = {
            "total": total,
            "results": [record_json(object_type, rid, version, names) for rid, version in page],
        }
        end = query.after + len(page)
        if end < total:
            body["paging"] = {"next": {"after": str(end)}}
        return Response(200, body)

    # ---- properties and schemas ---------------------------------------------------------
    def properties(self, request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v3/properties/{objectType}``: every definition, no paging."""
        object_type = resolve_api_type(match["objectType"])
        if request.flag("archived"):
            return Response(200, {"results": []})
        specs = self.store.specs(object_type.name)
        return Response(200, {"results": [definition(spec, i) for i, spec in enumerate(specs)]})

    def _schema_json(
        self, object_type: ObjectType, *, with_properties: bool = True
    ) -> dict[str, Any]:
        custom = object_type.custom
        associations = [
            {
                "id": str(t.type_id),
                "name": f"{_singular(t.from_type)}_to_{_singular(t.to_type)}",
                "fromObjectTypeId": OBJECT_TYPES[t.from_type].type_id,
                "toObjectTypeId": OBJECT_TYPES[t.to_type].type_id,
                "cardinality": "ONE_TO_MANY",
                "inverseCardinality": "ONE_TO_MANY",
                "hasUserEnforcedMaxToObjectIds": False,
                "hasUserEnforcedMaxFromObjectIds": False,
                "createdAt": None,
                "updatedAt": None,
            }
            for t in ASSOCIATION_TYPES.values()
            if t.label is None and object_type.name in (t.from_type, t.to_type)
        ]
        specs = self.store.specs(object_type.name)
        label = {"bukken": "物件", "contacts": "コンタクト", "companies": "会社", "deals": "取引"}[
            object_type.name
        ]
        return {
            "id": object_type.type_id.split("-")[1],
            "objectTypeId": object_type.type_id,
            "fullyQualifiedName": BUKKEN_FQN if custom else object_type.singular.upper(),
            "name": object_type.name if custom else object_type.singular.upper(),
            "labels": {"singular": label, "plural": label},
            "requiredProperties": ["bukken_name"] if custom else [],
            "searchableProperties": ["bukken_name", "bukken_address"] if custom else [],
            "primaryDisplayProperty": "bukken_name"
            if custom
            else object_type.default_properties[0],
            "secondaryDisplayProperties": ["bukken_city"] if custom else [],
            "archived": False,
            "restorable": custom,
            "metaType": "PORTAL_SPECIFIC" if custom else "HUBSPOT",
            "portalId": PORTAL_ID,
            "createdAt": CUSTOM_DEFINED_AT if custom else HUBSPOT_DEFINED_AT,
            "updatedAt": CUSTOM_DEFINED_AT if custom else HUBSPOT_DEFINED_AT,
            "properties": [definition(s, i) for i, s in enumerate(specs)]
            if with_properties
            else [],
            "associations": associations,
        }

    def schemas(self, request: Request, _match: re.Match[str]) -> Response:
        """``GET /crm/v3/schemas``: the custom object schemas (only ``bukken``), no paging."""
        if request.flag("archived"):
            return Response(200, {"results": []})
        with_properties = request.param("includePropertyDefinitions") != "false"
        return Response(
            200, {"results": [self._schema_json(BUKKEN, with_properties=with_properties)]}
        )

    def schema(self, _request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v3/schemas/{objectType}``: one schema, standard objects included."""
        object_type = resolve_api_type(match["objectType"])
        return Response(200, self._schema_json(object_type))

    # ---- owners -------------------------------------------------------------------------
    def owners(self, request: Request, _match: re.Match[str]) -> Response:
        """``GET /crm/v3/owners``: up to 500 a page; ``archived=true`` lists only archived ones."""
        limit = min(request.int_param("limit", 100), OWNERS_MAX)
        if limit < 1:
            msg = f"limit must be positive, got {limit}"
            raise validation_error(msg)
        after = request.int_param("after", 0)
        email = request.param("email")
        archived = request.flag("archived")
        chosen = [
            owner
            for owner in self.store.owners
            if owner["archived"] == archived
            and int(owner["id"]) >= after
            and email in (None, owner["email"])
        ]
        body: dict[str, Any] = {"results": chosen[:limit]}
        if len(chosen) > limit:
            next_after = chosen[limit]["id"]
            body["paging"] = {"next": {"after": next_after, "link": _link(request, next_after)}}
        return Response(200, body)

    def owner(self, request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v3/owners/{ownerId}`` (``idProperty=id|userId``)."""
        key = "userId" if request.param("idProperty") == "userId" else "id"
        archived = request.flag("archived")
        for owner in self.store.owners:
            if str(owner[key]) == match["ownerId"] and owner["archived"] == archived:
                return Response(200, owner)
        msg = f"Owner {match['ownerId']} not found"
        raise not_found(msg)

    # ---- associations -------------------------------------------------------------------
    def association_batch(self, request: Request, match: re.Match[str]) -> Response:
        """``POST /crm/v4/associations/{from}/{to}/batch/read``: per-input paging, 207 for empty."""
        from_type = resolve_api_type(match["fromObjectType"])
        to_type = resolve_api_type(match["toObjectType"])
        _, inputs = _batch_inputs(request, ASSOC_BATCH_MAX, "{id, after}")
        started = format_ms(self.clock.now_ms())
        results, errors = [], []
        for item in inputs:
            wanted = str(item.get("id", "")) if isinstance(item, dict) else ""
            cursor = item.get("after") if isinstance(item, dict) else None
            start = _decode_cursor(str(cursor)) if cursor else 0
            record_id = _record_id(wanted)
            links = (
                []
                if record_id is None
                else self.store.linked(from_type.name, to_type.name, record_id)
            )
            links = [link for link in links if link[0] >= start]
            if not links:
                errors.append(self._no_associations(from_type, to_type, wanted))
                continue
            result: dict[str, Any] = {
                "from": {"id": wanted},
                "to": [self._to(link) for link in links[:ASSOC_PAGE]],
            }
            if len(links) > ASSOC_PAGE:
                result["paging"] = {"next": {"after": _encode_cursor(links[ASSOC_PAGE][0])}}
            results.append(result)
        answer: dict[str, Any] = {"status": "COMPLETE", "results": results}
        if errors:
            answer["numErrors"] = len(errors)
            answer["errors"] = errors
        answer["startedAt"] = started
        answer["completedAt"] = format_ms(self.clock.now_ms())
        return Response(207 if errors else 200, answer)

    @staticmethod
    def _to(link: tuple[int, tuple[int, ...]]) -> dict[str, Any]:
        to_id, type_ids = link
        return {
            "toObjectId": to_id,
            "associationTypes": [ASSOCIATION_TYPES[t].as_json() for t in type_ids],
        }

    @staticmethod
    def _no_associations(from_type: ObjectType, to_type: ObjectType, wanted: str) -> dict[str, Any]:
        return {
            "status": "error",
            "category": "OBJECT_NOT_FOUND",
            "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
            "message": f"No {to_type.singular} is associated with {from_type.singular} {wanted}.",
            "context": {
                "fromObjectId": [wanted],
                "fromObjectType": [from_type.singular],
                "toObjectType": [to_type.singular],
            },
        }

    def associations_of(self, request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v4/objects/{type}/{id}/associations/{toType}``: up to 500 a page."""
        from_type = resolve_api_type(match["fromObjectType"])
        to_type = resolve_api_type(match["toObjectType"])
        limit = min(request.int_param("limit", ASSOC_SINGLE_MAX), ASSOC_SINGLE_MAX)
        if limit < 1:
            msg = f"limit must be positive, got {limit}"
            raise validation_error(msg)
        cursor = request.param("after")
        start = _decode_cursor(cursor) if cursor else 0
        record_id = _record_id(match["objectId"])
        links = (
            [] if record_id is None else self.store.linked(from_type.name, to_type.name, record_id)
        )
        links = [link for link in links if link[0] >= start]
        body: dict[str, Any] = {"results": [self._to(link) for link in links[:limit]]}
        if len(links) > limit:
            after = _encode_cursor(links[limit][0])
            body["paging"] = {"next": {"after": after, "link": _link(request, after)}}
        return Response(200, body)

    def association_labels(self, _request: Request, match: re.Match[str]) -> Response:
        """``GET /crm/v4/associations/{from}/{to}/labels``."""
        from_type = resolve_api_type(match["fromObjectType"])
        to_type = resolve_api_type(match["toObjectType"])
        return Response(
            200, {"results": [t.as_json() for t in pair_types(from_type.name, to_type.name)]}
        )

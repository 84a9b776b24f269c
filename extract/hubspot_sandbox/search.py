"""The search endpoint's request checks, filters, sorting and paging."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hubspot_sandbox.clock import parse_timestamp
from hubspot_sandbox.errors import invalid_json, validation_error
from hubspot_sandbox.views import property_value

if TYPE_CHECKING:
    from collections.abc import Callable

    from hubspot_sandbox.catalog import ObjectType
    from hubspot_sandbox.model import Version
    from hubspot_sandbox.properties import PropertySpec

MAX_LIMIT = 200
MAX_RESULTS = 10_000
MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
MAX_QUERY_CHARS = 3_000
OPERATORS = frozenset(
    {
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
        "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
    }
)  # fmt: skip
_TOKEN_SPLIT = re.compile(r"[\s,.;:!?@()\[\]/\\\-_'\"、。・]+")


@dataclass(frozen=True)
class SearchRequest:
    """A checked search body."""

    groups: list[list[dict[str, Any]]]
    sort_property: str | None
    descending: bool
    properties: list[str] | None
    query: str | None
    limit: int
    after: int


def _int(value: object, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(str(value))
    except ValueError:
        msg = f"{name} must be an integer, got {value!r}"
        raise validation_error(msg) from None


def parse_request(body: object) -> SearchRequest:
    """Check a search body the way HubSpot does.

    Raises:
        ApiError: 400 for a non-object body, an array ``value``, an unknown operator, too many
            groups or filters, more than one sort, ``limit`` over 200, a too long ``query``, and
            (``VALIDATION_ERROR``) paging past the 10,000th result.
    """
    if not isinstance(body, dict):
        msg = "the request body must be a JSON object"
        raise invalid_json(msg)
    groups = [list(group.get("filters") or []) for group in body.get("filterGroups") or []]
    if body.get("filters"):
        groups.append(list(body["filters"]))
    _check_filters(groups)
    sort_property, descending = _parse_sort(body.get("sorts") or [])
    limit = _int(body.get("limit"), "limit", 10)
    after = _int(body.get("after"), "after", 0)
    if not 0 < limit <= MAX_LIMIT:
        msg = f"limit must be between 1 and {MAX_LIMIT}, got {limit}"
        raise validation_error(msg)
    if after < 0:
        msg = "after must not be negative"
        raise validation_error(msg)
    if after + limit > MAX_RESULTS:
        msg = (
            f"Paging past {MAX_RESULTS} results is not supported: "
            f"after ({after}) + limit ({limit}) exceeds {MAX_RESULTS}."
        )
        raise validation_error(
            msg,
            subCategory="SEARCH_PAGING_LIMIT",
        )
    query = body.get("query")
    if query is not None and len(str(query)) > MAX_QUERY_CHARS:
        msg = f"query must be at most {MAX_QUERY_CHARS} characters"
        raise validation_error(msg)
    properties = body.get("properties")
    return SearchRequest(
        groups=groups,
        sort_property=sort_property,
        descending=descending,
        properties=[str(p) for p in properties]
        if isinstance(properties, list) and properties
        else None,
        query=str(query) if query else None,
        limit=limit,
        after=after,
    )


def _check_filters(groups: list[list[dict[str, Any]]]) -> None:
    if len(groups) > MAX_GROUPS:
        msg = f"Too many filter groups ({len(groups)}); the maximum is {MAX_GROUPS}."
        raise validation_error(msg)
    if any(len(group) > MAX_FILTERS_PER_GROUP for group in groups):
        msg = f"Too many filters in a group; the maximum is {MAX_FILTERS_PER_GROUP}."
        raise validation_error(msg)
    if sum(len(group) for group in groups) > MAX_FILTERS:
        msg = f"Too many filters; the maximum is {MAX_FILTERS} in all groups."
        raise validation_error(msg)
    for group in groups:
        for item in group:
            if not isinstance(item, dict) or not item.get("propertyName"):
                msg = "every filter needs a propertyName"
                raise validation_error(msg)
            if isinstance(item.get("value"), list):
                msg = "Cannot deserialize value of type `java.lang.String` from Array value"
                raise invalid_json(msg)
            if item.get("operator") not in OPERATORS:
                msg = f"Unknown operator {item.get('operator')!r}"
                raise validation_error(msg)


def _parse_sort(sorts: object) -> tuple[str | None, bool]:
    if not isinstance(sorts, list) or not sorts:
        return None, False
    if len(sorts) > 1:
        msg = "Only one sort is supported."
        raise validation_error(msg)
    sort = sorts[0]
    if isinstance(sort, str):
        return sort.removeprefix("-"), sort.startswith("-")
    if isinstance(sort, dict) and sort.get("propertyName"):
        return str(sort["propertyName"]), str(
            sort.get("direction", "ASCENDING")
        ).upper() == "DESCENDING"
    msg = "A sort needs a propertyName"
    raise validation_error(msg)


# ---- filter evaluation ---------------------------------------------------------------------
def _key(type_: str, text: str | None) -> float | str | None:
    """Turn a value into something comparable for its property type (None: not comparable)."""
    if text is None or text == "":
        return None
    if type_ == "number":
        try:
            return float(text)
        except ValueError:
            return None
    if type_ in ("datetime", "date"):
        stamp = parse_timestamp(text)
        return None if stamp is None else float(stamp)
    return text.lower()


class _Matcher:
    """Evaluates the filters of one search against record states."""

    def __init__(self, object_type: ObjectType, specs: dict[str, PropertySpec]) -> None:
        self.object_type = object_type
        self.specs = specs

    def prop_type(self, name: str) -> str:
        spec = self.specs.get(name)
        return spec.type if spec is not None else "string"

    def raw(self, record_id: int, version: Version, name: str) -> str | None:
        return property_value(self.object_type, record_id, version, name)

    def value_key(self, record_id: int, version: Version, name: str) -> float | str | None:
        return self.getter(name)(record_id, version)

    def getter(self, name: str) -> Callable[[int, Version], float | str | None]:
        """Return a function giving a property's comparable value (derived ones are fast)."""
        if name == "hs_object_id":
            return lambda rid, _v: float(rid)
        if name == self.object_type.created_property:
            return lambda _rid, v: float(v.created_ms)
        if name == self.object_type.modified_property:
            return lambda _rid, v: float(v.updated_ms)
        type_ = self.prop_type(name)
        return lambda _rid, v: _key(type_, v.props.get(name))

    def compile(self, item: dict[str, Any]) -> Callable[[int, Version], bool]:
        name, operator = str(item["propertyName"]), str(item["operator"])
        type_ = "number" if name == "hs_object_id" else self.prop_type(name)
        if operator in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
            wanted = operator == "HAS_PROPERTY"
            return lambda rid, v: (self.raw(rid, v, name) not in (None, "")) is wanted
        if operator in ("IN", "NOT_IN"):
            return self._in(name, type_, item, negate=operator == "NOT_IN")
        if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
            return self._token(
                name, str(item.get("value", "")), negate=operator == "NOT_CONTAINS_TOKEN"
            )
        if type_ == "enumeration" and operator in ("EQ", "NEQ"):
            target = str(item.get("value", ""))
            negate = operator == "NEQ"
            return lambda rid, v: (
                (target in (self.raw(rid, v, name) or "").split(";")) is not negate
            )
        if type_ == "bool" and operator in ("EQ", "NEQ"):
            target = str(item.get("value", "")).lower()
            negate = operator == "NEQ"
            return lambda rid, v: ((self.raw(rid, v, name) or "").lower() == target) is not negate
        return self._compare(name, type_, operator, item)

    def _compare(
        self, name: str, type_: str, operator: str, item: dict[str, Any]
    ) -> Callable[[int, Version], bool]:
        low = _key(type_, None if item.get("value") is None else str(item["value"]))
        high = _key(type_, None if item.get("highValue") is None else str(item["highValue"]))
        tests: dict[str, Callable[[Any], bool]] = {
            "EQ": lambda x: x == low,
            "NEQ": lambda x: x != low,
            "LT": lambda x: x < low,
            "LTE": lambda x: x <= low,
            "GT": lambda x: x > low,
            "GTE": lambda x: x >= low,
            "BETWEEN": lambda x: high is not None and low <= x <= high,
        }
        test = tests[operator]
        get = self.getter(name)
        if low is None:
            return lambda rid, v: operator == "NEQ" and get(rid, v) is not None

        def check(record_id: int, version: Version) -> bool:
            value = get(record_id, version)
            if value is None:
                return operator == "NEQ"
            if type(value) is not type(low):
                return False
            return bool(test(value))

        return check

    def _in(
        self, name: str, type_: str, item: dict[str, Any], *, negate: bool
    ) -> Callable[[int, Version], bool]:
        values = [str(x) for x in item.get("values") or []]
        if type_ == "enumeration":
            wanted = set(values)
            return lambda rid, v: (
                bool(wanted & set((self.raw(rid, v, name) or "").split(";"))) is not negate
            )
        if type_ in ("number", "datetime", "date"):
            keys = {_key(type_, x) for x in values}
            return lambda rid, v: (self.value_key(rid, v, name) in keys) is not negate
        exact = set(values)  # string values must be given in lowercase
        return lambda rid, v: ((self.raw(rid, v, name) or "").lower() in exact) is not negate

    def _token(self, name: str, pattern: str, *, negate: bool) -> Callable[[int, Version], bool]:
        wanted = pattern.lower()

        def check(record_id: int, version: Version) -> bool:
            text = (self.raw(record_id, version, name) or "").lower()
            tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
            hit = any(fnmatch.fnmatchcase(token, wanted) for token in tokens) or (
                "*" not in wanted and wanted in tokens
            )
            return hit is not negate

        return check


def run_search(
    object_type: ObjectType,
    specs: dict[str, PropertySpec],
    view: list[tuple[int, Version]],
    request: SearchRequest,
) -> tuple[int, list[tuple[int, Version]]]:
    """Filter, sort and page the records search can see.

    Returns:
        The total number of matches and the requested page of them.
    """
    matcher = _Matcher(object_type, specs)
    groups = [[matcher.compile(item) for item in group] for group in request.groups]
    if not groups:
        hits = list(view)
    elif len(groups) == 1:
        tests = groups[0]
        hits = [(rid, v) for rid, v in view if all(test(rid, v) for test in tests)]
    else:
        hits = [(rid, v) for rid, v in view if any(all(t(rid, v) for t in g) for g in groups)]
    if request.query:
        needle = request.query.lower()
        searchable = [
            p
            for p in (*object_type.default_properties, "bukken_name", "phone", "company")
            if p in specs
        ]
        hits = [
            (rid, v)
            for rid, v in hits
            if any(needle in (matcher.raw(rid, v, p) or "").lower() for p in searchable)
            or needle == str(rid)
        ]
    if request.sort_property == "hs_object_id":  # the view is already in id order
        if request.descending:
            hits.reverse()
    elif request.sort_property is not None:
        get = matcher.getter(request.sort_property)
        keyed = [(get(rid, v), rid, v) for rid, v in hits]
        present = [(_sortable(key), rid, v) for key, rid, v in keyed if key is not None]
        present.sort(key=lambda item: (item[0], item[1]), reverse=request.descending)
        hits = [(rid, v) for _, rid, v in present]
        hits += [(rid, v) for key, rid, v in keyed if key is None]
    elif request.query:
        hits.sort(key=lambda h: (h[1].created_ms, h[0]))
    return len(hits), hits[request.after : request.after + request.limit]


def _sortable(value: float | str | None) -> tuple[int, float, str]:
    if isinstance(value, float):
        return (0, value, "")
    return (1, 0.0, value or "")

"""The live state of the portal: records, associations, owners and properties, behind one lock."""

from __future__ import annotations

import bisect
import threading
from typing import TYPE_CHECKING, Any

from hubspot_sandbox.catalog import (
    ASSOCIATION_TYPES,
    OBJECT_TYPES,
    labeled_type,
    unlabeled_type,
)
from hubspot_sandbox.clock import format_ms
from hubspot_sandbox.errors import ApiError
from hubspot_sandbox.generate import Dataset, add_edge
from hubspot_sandbox.model import Record, Version
from hubspot_sandbox.views import record_json

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hubspot_sandbox.clock import SandboxClock
    from hubspot_sandbox.properties import PropertySpec

# Calculated properties HubSpot recomputes when associations change: (type, property, other type).
COUNTED = (
    ("companies", "num_associated_contacts", "contacts"),
    ("deals", "num_associated_contacts", "contacts"),
    ("contacts", "num_associated_deals", "deals"),
)


class StoreError(Exception):
    """A control-API request that cannot be carried out (unknown record, property, label)."""

    def __init__(self, status: int, message: str) -> None:
        """Keep the HTTP status to answer with and the message."""
        super().__init__(message)
        self.status = status


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Store:
    """All records of the sandbox portal; every method is thread-safe."""

    def __init__(self, dataset: Dataset, clock: SandboxClock) -> None:
        """Take over a generated dataset."""
        self.lock = threading.RLock()
        self.clock = clock
        self.owners = dataset.owners
        self.properties = dataset.properties
        self.records = dataset.records
        self.edges = dataset.edges
        self.ids = {name: list(records) for name, records in self.records.items()}
        self.removed: dict[str, dict[int, Record]] = {name: {} for name in self.records}

    # ---- reads --------------------------------------------------------------------------
    def page(
        self, type_name: str, after: int, limit: int, *, archived: bool
    ) -> tuple[list[Record], int | None]:
        """Return up to ``limit`` records with id >= ``after`` (live or archived ones only).

        Returns:
            The records in id order and the id to continue from (None on the last page).
        """
        with self.lock:
            ids, records = self.ids[type_name], self.records[type_name]
            found: list[Record] = []
            for record_id in ids[bisect.bisect_left(ids, after) :]:
                record = records[record_id]
                if (record.version.archived_ms is not None) != archived:
                    continue
                if len(found) == limit:
                    return found, record_id
                found.append(record)
            return found, None

    def get(self, type_name: str, record_id: int) -> Record | None:
        """Return a record (live or archived) or None."""
        with self.lock:
            return self.records[type_name].get(record_id)

    def search_view(self, type_name: str, cutoff_ms: int) -> list[tuple[int, Version]]:
        """Return the live records as search saw them at ``cutoff_ms``, in id order."""
        with self.lock:
            view = []
            for source in (self.records[type_name], self.removed[type_name]):
                for record in source.values():
                    version = record.visible_at(cutoff_ms)
                    if version is not None and version.archived_ms is None:
                        view.append((record.id, version))
            if self.removed[type_name]:
                view.sort(key=lambda item: item[0])
            return view

    def linked(
        self, from_type: str, to_type: str, record_id: int
    ) -> list[tuple[int, tuple[int, ...]]]:
        """Return a record's associations to one object type: (to id, type ids), sorted by id."""
        with self.lock:
            return sorted(self.edges.get((from_type, to_type), {}).get(record_id, {}).items())

    def specs(self, type_name: str) -> list[PropertySpec]:
        """Return the property definitions of an object type."""
        with self.lock:
            return list(self.properties[type_name].values())

    def truth(self, type_name: str, *, archived: bool = False) -> list[dict[str, Any]]:
        """Return every live (or every archived) record with all properties, in id order."""
        object_type = OBJECT_TYPES[type_name]
        with self.lock:
            names = list(self.properties[type_name])
            return [
                record_json(object_type, record.id, record.version, names)
                for record in self.records[type_name].values()
                if (record.version.archived_ms is not None) == archived
            ]

    def truth_associations(self, from_type: str, to_type: str) -> dict[str, list[dict[str, Any]]]:
        """Return the associations of every live record of ``from_type`` (empty lists included)."""
        with self.lock:
            index = self.edges.get((from_type, to_type), {})
            return {
                str(record.id): [
                    {
                        "toObjectId": to_id,
                        "associationTypes": [ASSOCIATION_TYPES[t].as_json() for t in types],
                    }
                    for to_id, types in sorted(index.get(record.id, {}).items())
                ]
                for record in self.records[from_type].values()
                if record.version.archived_ms is None
            }

    # ---- record mutations --------------------------------------------------------------
    def _live(self, type_name: str, record_id: int) -> Record:
        record = self.records[type_name].get(record_id)
        if record is None or record.version.archived_ms is not None:
            raise StoreError(404, f"no live {type_name} record {record_id}")
        return record

    def _checked_props(self, type_name: str, props: Mapping[str, object]) -> dict[str, str]:
        object_type = OBJECT_TYPES[type_name]
        known = self.properties[type_name]
        derived = set(object_type.always_properties)
        bad = [name for name in props if name not in known or name in derived]
        if bad:
            raise StoreError(
                400, f"unknown or read-only properties of {type_name}: {', '.join(bad)}"
            )
        return {name: _text(value) for name, value in props.items()}

    def create(self, type_name: str, props: Mapping[str, object]) -> int:
        """Create a record stamped with the current sandbox time and return its id."""
        with self.lock:
            values = self._checked_props(type_name, props)
            ids = self.ids[type_name]
            all_ids = [*ids, *self.removed[type_name]]
            record_id = max(all_ids) + 1 if all_ids else OBJECT_TYPES[type_name].id_start
            now = self.clock.now_ms()
            record = Record(record_id, Version({}, now, now), history=[(0, None)])
            record.record_change(now, Version(values, now, now))
            self._recount(type_name, record, now)
            self.records[type_name][record_id] = record
            ids.append(record_id)
            return record_id

    def update(self, type_name: str, record_id: int, props: Mapping[str, object]) -> str:
        """Set properties of a live record; return the new last-modified timestamp (ISO)."""
        with self.lock:
            values = self._checked_props(type_name, props)
            record = self._live(type_name, record_id)
            now = self.clock.now_ms()
            record.record_change(now, record.version.changed(now, **values))
            return format_ms(now)

    def mass_update(
        self, type_name: str, count: int, props: Mapping[str, object] | None = None
    ) -> str:
        """Stamp the first ``count`` live records with one shared millisecond (and set ``props``).

        Returns:
            The shared last-modified timestamp (ISO).
        """
        with self.lock:
            values = self._checked_props(type_name, props or {})
            now = self.clock.now_ms()
            done = 0
            for record in self.records[type_name].values():
                if done == count:
                    break
                if record.version.archived_ms is None:
                    record.record_change(now, record.version.changed(now, **values))
                    done += 1
            if done < count:
                raise StoreError(400, f"only {done} live {type_name} records exist")
            return format_ms(now)

    def archive(self, type_name: str, record_id: int) -> None:
        """Archive a live record; its associations go (and both ends count as modified)."""
        with self.lock:
            record = self._live(type_name, record_id)
            now = self.clock.now_ms()
            self._drop_edges(type_name, record_id, now)
            archived = record.version.changed(now)
            archived.archived_ms = now
            record.record_change(now, archived)

    def hard_delete(self, type_name: str, record_id: int) -> None:
        """Delete a record for good (GDPR): not listed, not archived, associations gone."""
        with self.lock:
            record = self.records[type_name].get(record_id)
            if record is None:
                raise StoreError(404, f"no {type_name} record {record_id}")
            self._remove(type_name, record, self.clock.now_ms())

    def _remove(self, type_name: str, record: Record, now: int) -> None:
        self._drop_edges(type_name, record.id, now)
        record.record_change(now, None)
        del self.records[type_name][record.id]
        self.ids[type_name].remove(record.id)
        self.removed[type_name][record.id] = record

    def merge(self, type_name: str, primary_id: int, merged_id: int) -> int:
        """Merge ``merged_id`` into ``primary_id`` the way HubSpot does.

        The loser disappears without being archived and the winner lists it in
        ``hs_merged_object_ids``. Deals merge into a new record that replaces both.

        Returns:
            The id of the surviving record.
        """
        with self.lock:
            if type_name == "bukken" or primary_id == merged_id:
                raise StoreError(400, f"cannot merge {type_name} {primary_id} and {merged_id}")
            winner, loser = self._live(type_name, primary_id), self._live(type_name, merged_id)
            now = self.clock.now_ms()
            merged = [winner.version.props.get("hs_merged_object_ids", ""), str(merged_id)]
            merged.append(loser.version.props.get("hs_merged_object_ids", ""))
            props = {**{k: v for k, v in loser.version.props.items() if v}, **winner.version.props}
            if type_name == "deals":
                merged.append(str(primary_id))
                survivor_id = self.create(type_name, {})
            else:
                survivor_id = primary_id
            props["hs_merged_object_ids"] = ";".join(
                sorted({i for x in merged for i in x.split(";") if i}, key=int)
            )
            survivor = self.records[type_name][survivor_id]
            created = survivor.version.created_ms
            if survivor_id == primary_id:  # the oldest create date survives a merge in place
                created = min(created, loser.version.created_ms)
            self._move_edges(type_name, merged_id, survivor_id, now, keep_primary=False)
            self._remove(type_name, loser, now)
            if survivor_id != primary_id:
                self._move_edges(type_name, primary_id, survivor_id, now, keep_primary=True)
                self._remove(type_name, winner, now)
            survivor.record_change(now, Version(props, created, now))
            self._recount(type_name, survivor, now)
            return survivor_id

    def add_property(self, type_name: str, spec: PropertySpec) -> None:
        """Add a custom property definition (existing records have no value for it)."""
        with self.lock:
            if spec.name in self.properties[type_name]:
                raise StoreError(409, f"property {spec.name} already exists on {type_name}")
            self.properties[type_name][spec.name] = spec

    # ---- association mutations ---------------------------------------------------------
    def associate(  # noqa: PLR0913 - the two ends plus label and primary flag
        self,
        from_type: str,
        from_id: int,
        to_type: str,
        to_id: int,
        label: str | None = None,
        *,
        primary: bool = False,
    ) -> None:
        """Associate two live records (unlabeled, plus ``label`` and/or the primary flag).

        ``primary`` makes the company the primary company of the contact or deal (a record has
        at most one), whichever end is given first.
        """
        if primary and from_type == "companies":
            self.associate(to_type, to_id, from_type, from_id, label, primary=True)
            return
        with self.lock:
            self._live(from_type, from_id)
            self._live(to_type, to_id)
            now = self.clock.now_ms()
            try:
                types = [unlabeled_type(from_type, to_type).type_id]
                if label is not None:
                    types.append(labeled_type(from_type, to_type, label).type_id)
                if primary:
                    primary_type = labeled_type(from_type, to_type, "Primary").type_id
                    self._drop_primary(from_type, from_id, to_type, primary_type, now)
                    types.append(primary_type)
            except ApiError as error:
                raise StoreError(400, str(error)) from error
            add_edge(self.edges, (from_type, from_id, to_type, to_id), tuple(types))
            self._touch(from_type, from_id, now)
            self._touch(to_type, to_id, now)

    def _drop_primary(
        self, from_type: str, from_id: int, to_type: str, primary_type: int, now: int
    ) -> None:
        for other_id, types in self.linked(from_type, to_type, from_id):
            if primary_type in types:
                self._unlink(from_type, from_id, to_type, other_id, (primary_type,))
                self._touch(to_type, other_id, now)

    def dissociate(
        self,
        from_type: str,
        from_id: int,
        to_type: str,
        to_id: int,
        label: str | None = None,
    ) -> None:
        """Remove an association entirely, or only one label of it (``Primary`` included)."""
        with self.lock:
            if to_id not in self.edges.get((from_type, to_type), {}).get(from_id, {}):
                raise StoreError(
                    404, f"{from_type} {from_id} is not associated with {to_type} {to_id}"
                )
            only = None
            if label is not None:
                try:
                    only = (labeled_type(from_type, to_type, label).type_id,)
                except ApiError as error:
                    raise StoreError(400, str(error)) from error
            self._unlink(from_type, from_id, to_type, to_id, only)
            now = self.clock.now_ms()
            self._touch(from_type, from_id, now)
            self._touch(to_type, to_id, now)

    def _unlink(
        self, from_type: str, from_id: int, to_type: str, to_id: int, only: tuple[int, ...] | None
    ) -> None:
        forward = self.edges[(from_type, to_type)][from_id]
        backward = self.edges[(to_type, from_type)][to_id]
        if only is None:
            del forward[to_id], backward[from_id]
        else:
            inverse = {ASSOCIATION_TYPES[t].inverse_id for t in only}
            forward[to_id] = tuple(t for t in forward[to_id] if t not in only)
            backward[from_id] = tuple(t for t in backward[from_id] if t not in inverse)

    def _drop_edges(self, type_name: str, record_id: int, now: int) -> None:
        for (from_type, to_type), index in list(self.edges.items()):
            if from_type != type_name or record_id not in index:
                continue
            for other_id in list(index[record_id]):
                self._unlink(from_type, record_id, to_type, other_id, None)
                self._touch(to_type, other_id, now)
            del index[record_id]

    def _move_edges(
        self, type_name: str, old_id: int, new_id: int, now: int, *, keep_primary: bool
    ) -> None:
        for (from_type, to_type), index in list(self.edges.items()):
            if from_type != type_name:
                continue
            for other_id, types in list(index.get(old_id, {}).items()):
                keep = [t for t in types if keep_primary or ASSOCIATION_TYPES[t].label != "Primary"]
                add_edge(self.edges, (type_name, new_id, to_type, other_id), tuple(keep))
                self._touch(to_type, other_id, now)

    def _touch(self, type_name: str, record_id: int, now: int) -> None:
        record = self.records[type_name].get(record_id)
        if record is not None and record.version.archived_ms is None:
            record.record_change(now, record.version.changed(now))
            self._recount(type_name, record, now)

    def _recount(self, type_name: str, record: Record, now: int) -> None:
        for counted_type, prop, other in COUNTED:
            if counted_type == type_name:
                count = str(len(self.edges.get((type_name, other), {}).get(record.id, {})))
                if record.version.props.get(prop) != count:
                    record.record_change(now, record.version.changed(now, **{prop: count}))

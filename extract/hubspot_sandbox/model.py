"""In-memory records: the current version of each record and, after changes, its history."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Version:
    """One state of a record.

    Attributes:
        props: Set property values (strings; ``""`` for a cleared value). Never-set properties are
            absent. The id, create date and last-modified date are not stored here: they are
            derived from the record id, ``created_ms`` and ``updated_ms``.
        created_ms: Creation time, epoch milliseconds.
        updated_ms: Last modification time, epoch milliseconds.
        archived_ms: When the record was archived, or None while it is live.
    """

    props: dict[str, str]
    created_ms: int
    updated_ms: int
    archived_ms: int | None = None

    def changed(self, updated_ms: int, **props: str) -> Version:
        """Return a copy stamped ``updated_ms`` with some properties set."""
        return Version({**self.props, **props}, self.created_ms, updated_ms, self.archived_ms)


@dataclass(slots=True)
class Record:
    """A CRM record.

    Attributes:
        id: The HubSpot object id.
        version: The current state.
        history: None while the record is as generated; after a change, (time, state) pairs in time
            order, starting with the generated state at time 0. A state of None means the record
            did not exist (before a create, after a hard delete or merge). Search reads the state
            that was current ``search_lag_seconds`` ago from it.
    """

    id: int
    version: Version
    history: list[tuple[int, Version | None]] | None = None

    def record_change(self, at_ms: int, new: Version | None) -> None:
        """Remember that the record became ``new`` at ``at_ms`` (None: it disappeared)."""
        if self.history is None:
            self.history = [(0, self.version)]
        self.history.append((at_ms, new))
        if new is not None:
            self.version = new

    def visible_at(self, cutoff_ms: int) -> Version | None:
        """Return the state that was current at ``cutoff_ms`` (None if the record did not exist)."""
        history = self.history
        if history is None:
            return self.version
        for at_ms, state in reversed(history):
            if at_ms <= cutoff_ms:
                return state
        return None

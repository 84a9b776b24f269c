"""Python client of the sandbox control API (``/_sandbox/``), for tests and benchmarks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 120


class SandboxControlError(Exception):
    """The control API refused a call (unknown record, property or label; bad argument)."""

    def __init__(self, status: int, message: str) -> None:
        """Keep the HTTP status and the sandbox's message."""
        super().__init__(f"{status}: {message}")
        self.status = status


class SandboxControl:
    """Drives a running sandbox: statistics, mutations, clock, settings and ground truth.

    Object types may be given in any form the API accepts (``contacts``, ``0-1``, ``p_bukken``)
    or as the bare name ``bukken``. Record ids may be ints or strings.
    """

    def __init__(self, base_url: str) -> None:
        """Talk to the sandbox at ``base_url`` (e.g. ``http://127.0.0.1:8555``)."""
        self.base_url = base_url.rstrip("/")

    def call(self, method: str, **arguments: Any) -> Any:  # noqa: ANN401 - any JSON result
        """Call one control method and return its result.

        Raises:
            SandboxControlError: When the sandbox answers with an error.
        """
        data = json.dumps(arguments).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the sandbox's own http URL
            f"{self.base_url}/_sandbox/{method}",
            data=data,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
                return json.loads(answer.read())["result"]
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            try:
                message = json.loads(body)["error"]
            except (ValueError, KeyError, TypeError):
                message = body
            raise SandboxControlError(error.code, message) from None

    # ---- information --------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """Return portal id, token, seed, record counts, generation time and settings."""
        return self.call("info")  # type: ignore[no-any-return]

    def stats(self) -> dict[str, Any]:
        """Return the request counts.

        Returns:
            ``{"total": n, "endpoints": {"GET /crm/v3/objects/{objectType}": n, ...},
            "statuses": {"200": n, ...}}``; control calls are not counted.
        """
        return self.call("stats")  # type: ignore[no-any-return]

    def reset_stats(self) -> None:
        """Reset the request counts."""
        self.call("reset_stats")

    def truth(self, object_type: str, *, archived: bool = False) -> list[dict[str, Any]]:
        """Return every live (or, with ``archived``, every archived) record with all properties.

        Each record is shaped as the API returns it: ``id``, ``properties`` (every defined property,
        null when never set, keys alphabetical), ``createdAt``, ``updatedAt``, ``archived`` (and
        ``archivedAt``). Records are in id order.
        """
        return self.call("truth", object_type=object_type, archived=archived)  # type: ignore[no-any-return]

    def truth_associations(self, from_type: str, to_type: str) -> dict[str, list[dict[str, Any]]]:
        """Return the associations of every live ``from_type`` record (empty lists included).

        Returns:
            ``{from id: [{"toObjectId": int, "associationTypes": [...]}, ...]}``.
        """
        return self.call("truth_associations", from_type=from_type, to_type=to_type)  # type: ignore[no-any-return]

    def owners(self) -> list[dict[str, Any]]:
        """Return every owner (archived ones included) as the owners API shows them."""
        return self.call("owners")  # type: ignore[no-any-return]

    # ---- clock and settings -------------------------------------------------------------
    def now(self) -> str:
        """Return the sandbox time (ISO)."""
        return self.call("now")  # type: ignore[no-any-return]

    def advance_clock(self, seconds: float) -> str:
        """Move the sandbox clock forward and return the new time (ISO)."""
        return self.call("advance_clock", seconds=seconds)  # type: ignore[no-any-return]

    def configure(self, **settings: Any) -> dict[str, Any]:  # noqa: ANN401
        """Change runtime settings and return all of them.

        Keywords: ``rate_limits`` (bool), ``rate_limit_max``, ``search_per_second``,
        ``daily_limit``, ``fault_rate``, ``fault_kinds`` (of ``429``, ``502``, ``524``,
        ``slow``), ``slow_seconds``, ``search_lag_seconds``, ``missing_scopes`` (list),
        ``max_url_length``.
        """
        return self.call("configure", **settings)  # type: ignore[no-any-return]

    # ---- mutations ----------------------------------------------------------------------
    def create(self, object_type: str, properties: dict[str, Any] | None = None) -> str:
        """Create a record and return its id."""
        return str(self.call("create", object_type=object_type, properties=properties or {}))

    def update(self, object_type: str, record_id: int | str, properties: dict[str, Any]) -> str:
        """Set properties of a live record; return its new last-modified time (ISO)."""
        changes = {"object_type": object_type, "record_id": record_id, "properties": properties}
        return str(self.call("update", **changes))

    def archive(self, object_type: str, record_id: int | str) -> None:
        """Archive a record (it moves to ``archived=true`` lists; its associations go)."""
        self.call("archive", object_type=object_type, record_id=record_id)

    def hard_delete(self, object_type: str, record_id: int | str) -> None:
        """Delete a record for good (GDPR delete): neither listed nor archived."""
        self.call("hard_delete", object_type=object_type, record_id=record_id)

    def merge(self, object_type: str, primary_id: int | str, merged_id: int | str) -> str:
        """Merge two records; return the survivor's id (a new id for deals)."""
        return str(
            self.call("merge", object_type=object_type, primary_id=primary_id, merged_id=merged_id)
        )

    def mass_update(
        self, object_type: str, count: int, properties: dict[str, Any] | None = None
    ) -> str:
        """Stamp ``count`` live records with one shared last-modified millisecond (returned)."""
        changes = {"object_type": object_type, "count": count, "properties": properties}
        return str(self.call("mass_update", **changes))

    def add_property(self, object_type: str, definition: dict[str, Any]) -> dict[str, Any]:
        """Add a custom property (``name``, ``type``, ``label``, ``fieldType``, ``options``)."""
        answer: dict[str, Any] = self.call(
            "add_property", object_type=object_type, definition=definition
        )
        return answer

    def associate(  # noqa: PLR0913 - both ends plus label and primary flag
        self,
        from_type: str,
        from_id: int | str,
        to_type: str,
        to_id: int | str,
        label: str | None = None,
        *,
        primary: bool = False,
    ) -> None:
        """Associate two records (unlabeled, plus a user label and/or ``primary``)."""
        self.call(
            "associate",
            from_type=from_type,
            from_id=from_id,
            to_type=to_type,
            to_id=to_id,
            label=label,
            primary=primary,
        )

    def dissociate(
        self,
        from_type: str,
        from_id: int | str,
        to_type: str,
        to_id: int | str,
        label: str | None = None,
    ) -> None:
        """Remove an association, or only its ``label`` (``Primary`` included)."""
        self.call(
            "dissociate",
            from_type=from_type,
            from_id=from_id,
            to_type=to_type,
            to_id=to_id,
            label=label,
        )

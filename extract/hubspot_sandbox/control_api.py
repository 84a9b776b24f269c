"""The control API under ``/_sandbox/``: statistics, mutations, clock, settings and ground truth.

Every call is ``POST /_sandbox/{method}`` with a JSON object of keyword arguments (``GET`` works for
calls without arguments) and answers ``{"result": ...}``, or ``{"error": "..."}`` with a 4xx status.
Only loopback clients may call it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import TYPE_CHECKING, Any

from hubspot_sandbox import PORTAL_ID
from hubspot_sandbox.catalog import resolve_control_type
from hubspot_sandbox.clock import format_ms
from hubspot_sandbox.errors import ApiError
from hubspot_sandbox.messages import Request, Response
from hubspot_sandbox.properties import definition as property_json
from hubspot_sandbox.properties import spec_from_definition
from hubspot_sandbox.store import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable

    from hubspot_sandbox.app import Sandbox


def _type(value: object) -> str:
    return resolve_control_type(str(value)).name


class ControlApi:
    """Dispatches control calls to the sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        """Serve ``sandbox``."""
        self.sandbox = sandbox
        store = sandbox.store
        self.methods: dict[str, Callable[..., Any]] = {
            "info": self.info,
            "stats": sandbox.stats.snapshot,
            "reset_stats": sandbox.stats.reset,
            "now": lambda: format_ms(sandbox.clock.now_ms()),
            "advance_clock": lambda seconds: format_ms(sandbox.clock.advance(float(seconds))),
            "configure": self.configure,
            "create": lambda object_type, properties=None: store.create(
                _type(object_type), properties or {}
            ),
            "update": lambda object_type, record_id, properties: store.update(
                _type(object_type), int(record_id), properties
            ),
            "archive": lambda object_type, record_id: store.archive(
                _type(object_type), int(record_id)
            ),
            "hard_delete": lambda object_type, record_id: store.hard_delete(
                _type(object_type), int(record_id)
            ),
            "merge": lambda object_type, primary_id, merged_id: store.merge(
                _type(object_type), int(primary_id), int(merged_id)
            ),
            "mass_update": lambda object_type, count, properties=None: store.mass_update(
                _type(object_type), int(count), properties
            ),
            "add_property": self.add_property,
            "associate": self.associate,
            "dissociate": self.dissociate,
            "truth": lambda object_type, archived=False: store.truth(
                _type(object_type), archived=bool(archived)
            ),
            "truth_associations": lambda from_type, to_type: store.truth_associations(
                _type(from_type), _type(to_type)
            ),
            "owners": lambda: store.owners,
        }

    def handle(self, request: Request) -> Response:
        """Answer one control call."""
        if not ipaddress.ip_address(request.client_host).is_loopback:
            return Response(403, {"error": "the control API answers loopback clients only"})
        name = request.path.removeprefix("/_sandbox/").strip("/")
        method = self.methods.get(name)
        if method is None:
            return Response(404, {"error": f"unknown control method {name!r}"})
        try:
            arguments = request.json() or {}
            return Response(200, {"result": method(**dict(arguments))})
        except StoreError as error:
            return Response(error.status, {"error": str(error)})
        except (ApiError, TypeError, ValueError, KeyError) as error:
            return Response(400, {"error": f"{type(error).__name__}: {error}"})

    def info(self) -> dict[str, Any]:
        """Return the portal id, token, record counts and generation time."""
        sandbox = self.sandbox
        with sandbox.store.lock:
            counts = {name: len(records) for name, records in sandbox.store.records.items()}
        return {
            "portal_id": PORTAL_ID,
            "token": sandbox.config.token,
            "seed": sandbox.config.seed,
            "counts": counts,
            "owners": len(sandbox.store.owners),
            "generation_seconds": round(sandbox.generation_seconds, 3),
            "settings": self._settings(),
        }

    def _settings(self) -> dict[str, Any]:
        settings = dataclasses.asdict(self.sandbox.runtime)
        settings["missing_scopes"] = sorted(settings["missing_scopes"])
        settings["fault_kinds"] = list(settings["fault_kinds"])
        return settings

    def configure(self, **changes: Any) -> dict[str, Any]:  # noqa: ANN401
        """Change runtime settings and return all of them."""
        self.sandbox.configure(**changes)
        return self._settings()

    def add_property(self, object_type: str, definition: dict[str, Any]) -> dict[str, Any]:
        """Add a custom property and return its full definition."""
        spec = spec_from_definition(definition)
        self.sandbox.store.add_property(_type(object_type), spec)
        return property_json(spec)

    def associate(  # noqa: PLR0913 - both ends, label and primary flag
        self,
        *,
        from_type: str,
        from_id: int,
        to_type: str,
        to_id: int,
        label: str | None = None,
        primary: bool = False,
    ) -> None:
        """Associate two records."""
        self.sandbox.store.associate(
            _type(from_type), int(from_id), _type(to_type), int(to_id), label, primary=primary
        )

    def dissociate(
        self,
        *,
        from_type: str,
        from_id: int,
        to_type: str,
        to_id: int,
        label: str | None = None,
    ) -> None:
        """Remove an association or one of its labels."""
        self.sandbox.store.dissociate(
            _type(from_type), int(from_id), _type(to_type), int(to_id), label
        )

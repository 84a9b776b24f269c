"""A local stand-in for the HubSpot CRM API, serving generated Japanese real-estate CRM data.

Run it with ``python -m hubspot_sandbox --port 8555 --seed 1 --scale small``; tests start it
in-process through :func:`hubspot_sandbox.server.start_sandbox` and drive it with
:class:`hubspot_sandbox.control.SandboxControl`.
"""

from __future__ import annotations

PORTAL_ID = 12345678
DEFAULT_TOKEN = "sandbox-token"  # noqa: S105 - a fixed test token, not a secret

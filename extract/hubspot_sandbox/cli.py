"""Command line: ``python -m hubspot_sandbox --port 8555 --seed 1 --scale small``."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from hubspot_sandbox import DEFAULT_TOKEN, PORTAL_ID
from hubspot_sandbox.catalog import resolve_control_type
from hubspot_sandbox.config import (
    FAULT_KINDS,
    SCALES,
    SCENARIOS,
    RuntimeSettings,
    SandboxConfig,
    scale_counts,
)
from hubspot_sandbox.errors import ApiError
from hubspot_sandbox.server import start_sandbox

if TYPE_CHECKING:
    from collections.abc import Sequence


def _extra(text: str) -> tuple[int, str]:
    count, _, object_type = text.partition(":")
    try:
        return int(count), resolve_control_type(object_type or "contacts").name
    except (ValueError, ApiError) as error:
        msg = f"expected N or N:OBJECT (e.g. 1000:contacts), got {text!r}"
        raise argparse.ArgumentTypeError(msg) from error


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k for k in text.split(",") if k)
    if not kinds or set(kinds) - set(FAULT_KINDS):
        msg = f"fault kinds are a comma list of {', '.join(FAULT_KINDS)}"
        raise argparse.ArgumentTypeError(msg)
    return kinds


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m hubspot_sandbox",
        description="A local HubSpot CRM API over generated Japanese real-estate CRM data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8555, help="TCP port (default 8555; 0: any)")
    parser.add_argument("--seed", type=int, default=1, help="data and fault seed (default 1)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="data size")
    for name in ("owners", "companies", "contacts", "deals", "bukken"):
        parser.add_argument(f"--{name}", type=int, metavar="N", help=f"number of {name}")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="accepted bearer token")
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="turn HubSpot's rate limits off"
    )
    parser.add_argument("--rate-limit-max", type=int, default=100, help="requests per 10 s")
    parser.add_argument("--search-per-second", type=int, default=5, help="searches per second")
    parser.add_argument("--daily-limit", type=int, default=250_000, help="requests per day")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="fraction of faulty answers")
    parser.add_argument(
        "--fault-kinds", type=_kinds, default=FAULT_KINDS, help="comma list: 429,502,524,slow"
    )
    parser.add_argument("--slow-seconds", type=float, default=1.0, help="delay of a slow fault")
    parser.add_argument(
        "--search-lag", type=float, default=0.0, metavar="SECONDS", help="search index lag"
    )
    parser.add_argument(
        "--missing-scope", action="append", default=[], metavar="SCOPE", help="scope to deny (403)"
    )
    parser.add_argument(
        "--max-url-length", type=int, default=8_000, help="longer request targets get 414"
    )
    parser.add_argument(
        "--extra-properties",
        type=_extra,
        action="append",
        default=[],
        metavar="N[:OBJECT]",
        help="add N custom properties to an object type (default contacts); repeatable",
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        help="mass-update: 10,500 contacts share one last-modified ms",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG logs one line per request")
    return parser


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    """Turn parsed arguments into a :class:`SandboxConfig`."""
    counts = scale_counts(
        args.scale,
        owners=args.owners,
        companies=args.companies,
        contacts=args.contacts,
        deals=args.deals,
        bukken=args.bukken,
    )
    runtime = RuntimeSettings(
        rate_limits=not args.no_rate_limits,
        rate_limit_max=args.rate_limit_max,
        search_per_second=args.search_per_second,
        daily_limit=args.daily_limit,
        fault_rate=args.fault_rate,
        fault_kinds=args.fault_kinds,
        slow_seconds=args.slow_seconds,
        search_lag_seconds=args.search_lag,
        missing_scopes=frozenset(args.missing_scope),
        max_url_length=args.max_url_length,
    )
    return SandboxConfig(
        counts=counts,
        seed=args.seed,
        token=args.token,
        extra_properties=tuple(args.extra_properties),
        scenario=args.scenario,
        runtime=runtime,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until interrupted."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(message)s"
    )
    try:
        config = config_from_args(args)
        config.runtime.validate()
    except ValueError as error:
        parser.error(str(error))
    running = start_sandbox(config, host=args.host, port=args.port)
    sandbox = running.sandbox
    limits = "on" if config.runtime.rate_limits else "off"
    print(  # noqa: T201 - the command's one line of output
        f"hubspot_sandbox listening on {running.base_url} (portal {PORTAL_ID}, "
        f"token {config.token}, {config.counts.total()} records, seed {config.seed}, "
        f"generated in {sandbox.generation_seconds:.2f} s, rate limits {limits})",
        flush=True,
    )
    try:
        running.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0

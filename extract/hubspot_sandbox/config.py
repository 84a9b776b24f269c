"""Everything that shapes a sandbox: data size, seed, limits, faults and lag."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hubspot_sandbox import DEFAULT_TOKEN

FAULT_KINDS = ("429", "502", "524", "slow")
SCENARIOS = ("mass-update",)


@dataclass(frozen=True)
class Counts:
    """How many records of each kind to generate."""

    owners: int
    companies: int
    contacts: int
    deals: int
    bukken: int

    def total(self) -> int:
        """Return the number of CRM records (owners not included)."""
        return self.companies + self.contacts + self.deals + self.bukken


SCALES: dict[str, Counts] = {
    "small": Counts(owners=12, companies=100, contacts=500, deals=250, bukken=120),
    "medium": Counts(owners=30, companies=5_000, contacts=20_000, deals=10_000, bukken=3_000),
    "large": Counts(owners=50, companies=20_000, contacts=80_000, deals=40_000, bukken=10_000),
}


def scale_counts(scale: str, **overrides: int | None) -> Counts:
    """Return the counts of a named scale with some counts replaced.

    Args:
        scale: ``small``, ``medium`` or ``large``.
        **overrides: Counts to replace (``contacts=1000``); None keeps the scale's value.

    Raises:
        ValueError: For an unknown scale or a negative count.
    """
    if scale not in SCALES:
        msg = f"unknown scale {scale!r}; use one of {', '.join(SCALES)}"
        raise ValueError(msg)
    given = {key: value for key, value in overrides.items() if value is not None}
    if any(value < 0 for value in given.values()):
        msg = "record counts must not be negative"
        raise ValueError(msg)
    return replace(SCALES[scale], **given)


@dataclass
class RuntimeSettings:
    """Settings the control API may change while the sandbox runs.

    Attributes:
        rate_limits: Whether the 10-second, per-second (search) and daily budgets are enforced.
        rate_limit_max: Requests per rolling 10 seconds (HubSpot's private-app default is 100).
        search_per_second: Search requests per second (HubSpot: 5).
        daily_limit: Requests per day (HubSpot's Free/Starter private apps: 250,000).
        fault_rate: Fraction of requests answered with an injected fault.
        fault_kinds: Which faults to inject: ``429``, ``502``, ``524``, ``slow``.
        slow_seconds: How long a ``slow`` fault delays its (otherwise normal) answer.
        search_lag_seconds: How long a change stays invisible to search.
        missing_scopes: Granular scopes the token lacks (calls needing them get a 403).
        max_url_length: Longest accepted request target (path plus query); longer gives 414.
    """

    rate_limits: bool = True
    rate_limit_max: int = 100
    search_per_second: int = 5
    daily_limit: int = 250_000
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    slow_seconds: float = 1.0
    search_lag_seconds: float = 0.0
    missing_scopes: frozenset[str] = frozenset()
    max_url_length: int = 8_000

    def validate(self) -> None:
        """Check the values.

        Raises:
            ValueError: For a negative budget, a fault rate outside [0, 1] or an unknown fault kind.
        """
        if min(self.rate_limit_max, self.search_per_second, self.daily_limit) < 1:
            msg = "rate-limit budgets must be at least 1"
            raise ValueError(msg)
        if not 0.0 <= self.fault_rate <= 1.0:
            msg = "fault_rate must be between 0 and 1"
            raise ValueError(msg)
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown or not self.fault_kinds:
            msg = f"fault kinds must be a non-empty subset of {', '.join(FAULT_KINDS)}"
            raise ValueError(msg)
        if self.search_lag_seconds < 0 or self.slow_seconds < 0 or self.max_url_length < 1:
            msg = "search_lag_seconds and slow_seconds must be >= 0, max_url_length >= 1"
            raise ValueError(msg)


@dataclass(frozen=True)
class SandboxConfig:
    """The full configuration of one sandbox.

    Attributes:
        counts: Record counts.
        seed: Seed of the data generator and of the fault injector.
        token: The accepted bearer token.
        extra_properties: (count, object type) pairs of extra custom properties to add.
        scenario: A named data scenario (``mass-update``) or None.
        runtime: The settings the control API can change later.
    """

    counts: Counts = field(default_factory=lambda: SCALES["small"])
    seed: int = 1
    token: str = DEFAULT_TOKEN
    extra_properties: tuple[tuple[int, str], ...] = ()
    scenario: str | None = None
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)

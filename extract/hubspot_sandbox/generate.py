"""Seeded generation of owners, records and associations (fast: pools plus ``random.Random``)."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from hubspot_sandbox.catalog import ASSOCIATION_TYPES, OBJECT_TYPES, labeled_type, unlabeled_type
from hubspot_sandbox.clock import format_date, format_ms
from hubspot_sandbox.model import Record, Version
from hubspot_sandbox.pools import (
    BUKKEN_BRANDS,
    BUKKEN_SUFFIXES,
    EMOJI,
    JOB_TITLES,
    PLACES,
    STATIONS,
    TEAMS,
    Pools,
    build_pools,
)
from hubspot_sandbox.properties import (
    AREAS,
    BUKKEN_KINDS,
    DEAL_STAGES,
    DEAL_TYPES,
    FEATURES,
    FLOOR_PLANS,
    INDUSTRIES,
    PIPELINES,
    PropertySpec,
    base_properties,
    extra_properties,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from hubspot_sandbox.config import SandboxConfig

# Generated data ends here (fixed, so that a seed always gives the same data) ...
DATA_END_MS = 1_764_547_200_000  # 2025-12-01T00:00:00Z
# ... and starts six years earlier.
DATA_START_MS = DATA_END_MS - 6 * 365 * 86_400_000
DAY_MS = 86_400_000
MASS_UPDATE_COUNT = 10_500

T = TypeVar("T")
Edges = dict[tuple[str, str], dict[int, dict[int, tuple[int, ...]]]]


@dataclass
class Dataset:
    """Everything the store starts from."""

    owners: list[dict[str, Any]]
    properties: dict[str, dict[str, PropertySpec]]
    records: dict[str, dict[int, Record]]
    edges: Edges = field(default_factory=dict)


@functools.cache
def _inverse(type_ids: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(ASSOCIATION_TYPES[t].inverse_id for t in type_ids))


def _union(old: tuple[int, ...] | None, new: tuple[int, ...]) -> tuple[int, ...]:
    return new if old is None or old == new else tuple(sorted({*old, *new}))


def add_edge(edges: Edges, ends: tuple[str, int, str, int], type_ids: tuple[int, ...]) -> None:
    """Add (or extend) an association in both directions.

    Args:
        edges: The association index.
        ends: (from type, from id, to type, to id).
        type_ids: Association type ids in the from -> to direction.
    """
    from_type, from_id, to_type, to_id = ends
    type_ids = tuple(sorted(type_ids))
    forward = edges.setdefault((from_type, to_type), {}).setdefault(from_id, {})
    backward = edges.setdefault((to_type, from_type), {}).setdefault(to_id, {})
    forward[to_id] = _union(forward.get(to_id), type_ids)
    backward[from_id] = _union(backward.get(from_id), _inverse(type_ids))


class _Generator:
    """Generates one dataset; every choice comes from one seeded ``random.Random``."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 - test data, not secrets
        self.pools: Pools = build_pools(config.seed)
        self.owner_ids: list[str] = []
        self.places = [(state, city, zip_) for state, cities, zip_ in PLACES for city in cities]

    # ---- small helpers -------------------------------------------------------------------
    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rng.random() * len(seq))]

    def between(self, low: int, high: int) -> int:
        """Return an int in [low, high) (faster than ``randrange``)."""
        return low + int(self.rng.random() * (high - low))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def phone(self, mobile: bool = False) -> str:  # noqa: FBT001, FBT002
        r = self.between
        if mobile:
            return f"0{self.pick((70, 80, 90))}-{r(1000, 10000)}-{r(1000, 10000)}"
        return f"0{r(3, 100)}-{r(100, 1000)}-{r(1000, 10000)}"

    def address(self) -> tuple[str, str, str, str]:
        state, city, zip_head = self.pick(self.places)
        r = self.between
        street = f"{self.pick(self.pools.towns)}{r(1, 8)}丁目{r(1, 30)}番{r(1, 20)}号"
        zip_ = f"{zip_head}{r(0, 100):02d}-{r(0, 10000):04d}"
        return state, city, street, zip_

    def text(self, index: int) -> str:
        if index in (3, 4, 5):
            return self.pools.long_text
        sentence = self.pick(self.pools.sentences)
        if index == 1 or self.chance(0.05):
            sentence += self.pick(EMOJI) + "お問い合わせありがとうございます🙏"
        return sentence

    def ms_between(self, low: int, high: int) -> int:
        value = low + int(self.rng.random() * max(1, high - low))
        return value - value % 1000 if self.chance(0.1) else value  # some with zero milliseconds

    def number(self, low: int, high: int, index: int) -> str:
        if index == 6:  # noqa: PLR2004 - the record with a formatted number
            return "1,234.5"
        if index == 7 or self.chance(0.003):  # noqa: PLR2004
            return "N/A"
        return str(self.between(low, high))

    def owner(self) -> str:
        return self.pick(self.owner_ids)

    def versions(self, count: int) -> list[Version]:
        created = sorted(self.ms_between(DATA_START_MS, DATA_END_MS - DAY_MS) for _ in range(count))
        out = []
        for created_ms in created:
            if self.chance(0.3):
                updated_ms = created_ms + self.between(0, 5000)
            else:
                updated_ms = self.ms_between(created_ms, DATA_END_MS)
            archived_ms = None
            if self.chance(0.03):
                archived_ms = updated_ms = self.ms_between(updated_ms, DATA_END_MS)
            out.append(Version({}, created_ms, updated_ms, archived_ms))
        return out

    # ---- owners -------------------------------------------------------------------------
    def owners(self, count: int) -> list[dict[str, Any]]:
        owners = []
        for i in range(count):
            last, last_roman = self.pick(self.pools.last_names)
            first, first_roman = self.pick(self.pools.first_names)
            created = self.ms_between(DATA_START_MS, DATA_START_MS + 365 * DAY_MS)
            updated = self.ms_between(created, DATA_END_MS)
            teams = [
                {"id": str(900_001 + t), "name": name, "primary": n == 0}
                for n, (t, name) in enumerate(
                    self.rng.sample(list(enumerate(TEAMS)), self.between(0, 3))
                )
            ]
            owner_id = str(70_000_001 + i * 7)
            queue = i == count - 1 and count > 1
            owner: dict[str, Any] = {
                "id": owner_id,
                "email": f"{first_roman}.{last_roman}{i}@mirai-fudosan.co.jp",
                "firstName": "" if queue else first,
                "lastName": "問い合わせキュー" if queue else last,
                "type": "QUEUE" if queue else "PERSON",
                "userId": None if queue else 5_000_001 + i,
                "userIdIncludingInactive": None if queue else 5_000_001 + i,
                "createdAt": format_ms(created),
                "updatedAt": format_ms(updated),
                "archived": i % 9 == 8,  # noqa: PLR2004 - a few former employees
                "teams": teams,
            }
            owners.append(owner)
            if not owner["archived"] and not queue:
                self.owner_ids.append(owner_id)
        if not self.owner_ids:
            self.owner_ids.append("70000001")
        return owners

    # ---- records ------------------------------------------------------------------------
    def records(
        self, type_name: str, count: int, fill: Callable[[int], dict[str, str | None]]
    ) -> dict[int, Record]:
        object_type = OBJECT_TYPES[type_name]
        records: dict[int, Record] = {}
        next_id = object_type.id_start
        for index, version in enumerate(self.versions(count)):
            version.props = {k: v for k, v in fill(index).items() if v is not None}
            records[next_id] = Record(next_id, version)
            next_id += 1 + (self.between(0, 3) if self.chance(0.2) else 0)
        return records

    def company(self, index: int) -> dict[str, str | None]:
        state, city, street, zip_ = self.address()
        r = self.between
        domain = f"{self.pick(self.pools.domain_words)}{index}.co.jp"
        name = self.pick(self.pools.company_names)
        if index == 1:
            name += " 🏢"
        return {
            "name": name,
            "domain": "" if self.chance(0.03) else domain,
            "website": f"https://www.{domain}" if self.chance(0.8) else None,
            "phone": self.phone(),
            "address": street,
            "city": city,
            "state": state,
            "zip": zip_,
            "industry": "REAL_ESTATE" if self.chance(0.6) else self.pick(INDUSTRIES)[0],
            "numberofemployees": self.number(3, 3000, index),
            "annualrevenue": str(self.between(10, 50_000) * 1_000_000)
            if self.chance(0.7)
            else None,
            "founded_year": str(self.between(1950, 2022)),
            "is_public": "true" if self.chance(0.1) else "false",
            "description": self.text(index) if self.chance(0.5) or index < 8 else "",  # noqa: PLR2004
            "hubspot_owner_id": self.owner() if self.chance(0.9) else None,
            "lifecyclestage": self.pick(("lead", "opportunity", "customer", "customer", "other")),
            "license_number": f"{state}知事({r(1, 16)})第{r(1000, 99999)}号",
            "license_expires_on": format_date(
                self.ms_between(DATA_END_MS, DATA_END_MS + 1800 * DAY_MS)
            ),
        }

    def contact(self, index: int) -> dict[str, str | None]:
        last, last_roman = self.pick(self.pools.last_names)
        first, first_roman = self.pick(self.pools.first_names)
        state, city, street, zip_ = self.address()
        areas = [value for value, _ in AREAS if self.chance(0.3)]
        return {
            "firstname": first + ("😊" if index == 1 else ""),
            "lastname": last,
            "email": f"{first_roman}.{last_roman}.{index}@example.jp"
            if not self.chance(0.02)
            else "",
            "phone": self.phone() if self.chance(0.7) else None,
            "mobilephone": self.phone(mobile=True) if self.chance(0.6) else None,
            "jobtitle": self.pick(JOB_TITLES) if self.chance(0.8) else "",
            "hubspot_owner_id": self.owner() if self.chance(0.85) else None,
            "lifecyclestage": self.pick(("subscriber", "lead", "lead", "opportunity", "customer")),
            "hs_lead_status": self.pick(("NEW", "OPEN", "IN_PROGRESS", "CONNECTED"))
            if self.chance(0.6)
            else None,
            "address": street,
            "city": city,
            "state": state,
            "zip": zip_,
            "date_of_birth": format_date(
                self.ms_between(-7 * 365 * DAY_MS, 30 * 365 * DAY_MS) // DAY_MS * DAY_MS
            )
            if self.chance(0.4)
            else None,
            "notes_last_contacted": format_ms(self.ms_between(DATA_START_MS, DATA_END_MS))
            if self.chance(0.4)
            else None,
            "dm_optout": self.pick(("true", "false", "false", "false")),
            "budget": self.number(10, 500, index) + "000000"
            if index not in (6, 7)
            else self.number(0, 1, index),
            "preferred_area": ";".join(areas) if areas else None,
            "memo": self.text(index) if self.chance(0.3) or index < 8 else None,  # noqa: PLR2004
        }

    def deal(self, index: int) -> dict[str, str | None]:
        stage = self.pick(DEAL_STAGES)[0]
        pipeline = self.pick(PIPELINES)[0]
        kind = "賃貸" if pipeline == "rental" else "売買"
        return {
            "dealname": f"{self.pick(self.pools.towns)} {self.pick(BUKKEN_BRANDS)} {kind}案件",
            "amount": self.number(50, 2000, index) + ("00000" if index not in (6, 7) else "")
            if not self.chance(0.05)
            else "",
            "dealstage": stage,
            "pipeline": pipeline,
            "closedate": format_ms(self.ms_between(DATA_START_MS, DATA_END_MS + 180 * DAY_MS)),
            "dealtype": self.pick(DEAL_TYPES)[0] if self.chance(0.7) else None,
            "description": self.text(index) if self.chance(0.3) or index < 8 else None,  # noqa: PLR2004
            "hubspot_owner_id": self.owner() if self.chance(0.9) else None,
            "commission_rate": self.pick(("3", "3.0", "2.5", "1.5")) if self.chance(0.7) else None,
            "contract_date": format_date(self.ms_between(DATA_START_MS, DATA_END_MS))
            if stage == "closedwon"
            else None,
            "loan_approved": self.pick(("true", "false")) if self.chance(0.5) else None,
            "contact_phone": self.phone(mobile=True) if self.chance(0.5) else None,
        }

    def bukken(self, index: int) -> dict[str, str | None]:
        state, city, street, _ = self.address()
        kind = self.pick(BUKKEN_KINDS)[0]
        room = f" {self.between(1, 30)}{self.between(1, 12):02d}号室" if kind == "mansion" else ""
        features = [value for value, _ in FEATURES if self.chance(0.35)]
        brand = self.pick(BUKKEN_BRANDS)
        return {
            "bukken_name": f"{brand}{self.pick(self.pools.towns)}{self.pick(BUKKEN_SUFFIXES)}{room}"
            + (" ✨新着" if index == 1 else ""),
            "bukken_state": state,
            "bukken_city": city,
            "bukken_address": f"{state}{city}{street}",
            "bukken_type": kind,
            "floor_plan": self.pick(FLOOR_PLANS)[0]
            if kind in ("mansion", "apartment", "kodate")
            else None,
            "price": self.number(800, 30_000, index) + ("0000" if index not in (6, 7) else ""),
            "area_sqm": f"{self.between(1800, 15000) / 100:.2f}",
            "built_year": str(self.between(1970, 2025)),
            "nearest_station": f"{self.pick(STATIONS)}駅",
            "walk_minutes": str(self.between(1, 25)) if self.chance(0.9) else "",
            "is_available": self.pick(("true", "true", "false")),
            "listing_date": format_date(self.ms_between(DATA_START_MS, DATA_END_MS)),
            "last_viewing_at": format_ms(self.ms_between(DATA_START_MS, DATA_END_MS))
            if self.chance(0.5)
            else None,
            "features": ";".join(features) if features else None,
            "manager_phone": self.phone() if self.chance(0.6) else None,
            "description": self.text(index) if self.chance(0.4) or index < 8 else "",  # noqa: PLR2004
            "hubspot_owner_id": self.owner() if self.chance(0.8) else None,
        }

    def extra_values(self, records: dict[int, Record], specs: list[PropertySpec]) -> None:
        for record in records.values():
            for prop in self.rng.sample(specs, min(5, len(specs))):
                record.version.props[prop.name] = self.extra_value(prop)

    def extra_value(self, prop: PropertySpec) -> str:
        values: dict[str, Callable[[], str]] = {
            "string": lambda: self.pick(self.pools.sentences),
            "number": lambda: str(self.between(0, 100_000)),
            "date": lambda: format_date(self.ms_between(DATA_START_MS, DATA_END_MS)),
            "datetime": lambda: format_ms(self.ms_between(DATA_START_MS, DATA_END_MS)),
            "enumeration": lambda: self.pick(prop.options)[0] if prop.options else "",
            "bool": lambda: self.pick(("true", "false")),
            "phone_number": self.phone,
        }
        return values[prop.type]()

    # ---- associations -------------------------------------------------------------------
    def associations(self, records: dict[str, dict[int, Record]]) -> Edges:
        live = {
            name: [r for r in recs.values() if r.version.archived_ms is None]
            for name, recs in records.items()
        }
        edges: Edges = {}
        self.contact_companies(live, edges)
        self.deal_links(live, edges)
        self.contact_bukken(live, edges)
        return edges

    def contact_companies(self, live: dict[str, list[Record]], edges: Edges) -> None:
        companies, contacts = live["companies"], live["contacts"]
        if not companies:
            return
        big = companies[0]
        big_members = {c.id for c in self.rng.sample(contacts, min(250, len(contacts) * 3 // 5))}
        primary = labeled_type("contacts", "companies", "Primary").type_id
        unlabeled = unlabeled_type("contacts", "companies").type_id
        labels = [
            labeled_type("contacts", "companies", x).type_id for x in ("売主", "買主", "担当者")
        ]
        for contact in contacts:
            if contact.id not in big_members and self.chance(0.05):
                continue
            company = big if contact.id in big_members else self.pick(companies)
            types = (unlabeled, primary, *((self.pick(labels),) if self.chance(0.2) else ()))
            add_edge(edges, ("contacts", contact.id, "companies", company.id), types)
            contact.version.props["company"] = company.version.props["name"]
            if self.chance(0.1):
                other = self.pick(companies)
                if other.id != company.id:
                    add_edge(edges, ("contacts", contact.id, "companies", other.id), (unlabeled,))

    def deal_links(self, live: dict[str, list[Record]], edges: Edges) -> None:
        companies, contacts, bukken = live["companies"], live["contacts"], live["bukken"]
        deal_company = (
            unlabeled_type("deals", "companies").type_id,
            labeled_type("deals", "companies", "Primary").type_id,
        )
        deal_contact = unlabeled_type("deals", "contacts").type_id
        contact_labels = [labeled_type("deals", "contacts", x).type_id for x in ("売主", "買主")]
        deal_bukken = unlabeled_type("deals", "bukken").type_id
        bukken_label = labeled_type("deals", "bukken", "売買対象").type_id
        for deal in live["deals"]:
            if companies and self.chance(0.95):
                add_edge(
                    edges, ("deals", deal.id, "companies", self.pick(companies).id), deal_company
                )
            for _ in range(self.between(0, 4) if contacts else 0):
                types = (deal_contact, *((self.pick(contact_labels),) if self.chance(0.3) else ()))
                add_edge(edges, ("deals", deal.id, "contacts", self.pick(contacts).id), types)
            if bukken and self.chance(0.7):
                types = (deal_bukken, *((bukken_label,) if self.chance(0.4) else ()))
                add_edge(edges, ("deals", deal.id, "bukken", self.pick(bukken).id), types)

    def contact_bukken(self, live: dict[str, list[Record]], edges: Edges) -> None:
        bukken = live["bukken"]
        unlabeled = unlabeled_type("contacts", "bukken").type_id
        labels = [labeled_type("contacts", "bukken", x).type_id for x in ("所有者", "内見者")]
        for contact in live["contacts"]:
            if not bukken or not self.chance(0.25):
                continue
            for _ in range(self.between(1, 3)):
                types = (unlabeled, *((self.pick(labels),) if self.chance(0.5) else ()))
                add_edge(edges, ("contacts", contact.id, "bukken", self.pick(bukken).id), types)


def count_properties(records: dict[str, dict[int, Record]], edges: Edges) -> None:
    """Set HubSpot's calculated ``num_associated_*`` properties from the associations."""
    for type_name, prop, other in (
        ("companies", "num_associated_contacts", "contacts"),
        ("deals", "num_associated_contacts", "contacts"),
        ("contacts", "num_associated_deals", "deals"),
    ):
        linked = edges.get((type_name, other), {})
        for record in records[type_name].values():
            if record.version.archived_ms is None:
                record.version.props[prop] = str(len(linked.get(record.id, ())))


def generate(config: SandboxConfig) -> Dataset:
    """Generate the dataset of a configuration (deterministic for a given seed and config)."""
    gen = _Generator(config)
    counts = config.counts
    owners = gen.owners(counts.owners)
    options = tuple(
        (o["id"], f"{o['lastName']} {o['firstName']}".strip()) for o in owners if not o["archived"]
    )
    properties = {
        name: {p.name: p for p in base_properties(name, options)} for name in OBJECT_TYPES
    }
    records = {
        "companies": gen.records("companies", counts.companies, gen.company),
        "contacts": gen.records("contacts", counts.contacts, gen.contact),
        "deals": gen.records("deals", counts.deals, gen.deal),
        "bukken": gen.records("bukken", counts.bukken, gen.bukken),
    }
    for count, type_name in config.extra_properties:
        specs = extra_properties(count)
        properties[type_name].update((p.name, p) for p in specs)
        gen.extra_values(records[type_name], specs)
    edges = gen.associations(records)
    count_properties(records, edges)
    return Dataset(owners=owners, properties=properties, records=records, edges=edges)

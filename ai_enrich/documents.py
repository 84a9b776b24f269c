"""One canonical document per mart record: key fields plus associated records' names."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ai_enrich.errors import DatabaseError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ai_enrich.db import Database, Row

TEMPLATE_VERSION = "mirai-ai-doc-v1"
ENTITIES = ("companies", "contacts", "deals", "properties")
ENTITY_LABELS = {
    "companies": "company 会社",
    "contacts": "contact コンタクト",
    "deals": "deal 取引",
    "properties": "bukken 物件",
}
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "companies": ("name", "domain", "industry", "state", "city", "address", "phone", "description"),
    "contacts": ("lastname", "firstname", "email", "phone", "company", "jobtitle"),
    "deals": ("dealname", "amount", "dealstage", "pipeline", "closedate", "description"),
    "properties": ("bukken_name", "bukken_state", "bukken_city", "bukken_address"),
}
TITLE_FIELDS: dict[str, tuple[str, ...]] = {
    "companies": ("name",),
    "contacts": ("lastname", "firstname"),
    "deals": ("dealname",),
    "properties": ("bukken_name",),
}


@dataclass(frozen=True)
class Association:
    """One side of an association table: records of `entity` linked to records of `other`."""

    table: str
    column: str
    other_column: str
    other: str


ASSOCIATIONS: dict[str, tuple[Association, ...]] = {
    "companies": (
        Association("company_contact_associations", "company_id", "contact_id", "contacts"),
        Association("deal_company_associations", "company_id", "deal_id", "deals"),
    ),
    "contacts": (
        Association("company_contact_associations", "contact_id", "company_id", "companies"),
        Association("deal_contact_associations", "contact_id", "deal_id", "deals"),
        Association("contact_property_associations", "contact_id", "property_id", "properties"),
    ),
    "deals": (
        Association("deal_company_associations", "deal_id", "company_id", "companies"),
        Association("deal_contact_associations", "deal_id", "contact_id", "contacts"),
        Association("deal_property_associations", "deal_id", "property_id", "properties"),
    ),
    "properties": (
        Association("deal_property_associations", "property_id", "deal_id", "deals"),
        Association("contact_property_associations", "property_id", "contact_id", "contacts"),
    ),
}
MAX_FIELD_CHARS = 1000
MAX_NAMES = 20
MAX_EXTRA_PROPERTIES = 30
ID_CHUNK = 1000
SYSTEM_PROPERTIES = frozenset({"createdate", "lastmodifieddate", "hubspot_owner_assigneddate"})


@dataclass(frozen=True)
class Document:
    """The text that represents one mart record."""

    entity: str
    record_id: int
    hubspot_id: str
    title: str
    text: str

    @property
    def content_hash(self) -> str:
        """sha256 of the template version and the canonical text."""
        return hashlib.sha256(f"{TEMPLATE_VERSION}\n{self.text}".encode()).hexdigest()


def canonical(value: object) -> str:
    """Render a column value as stable, single-line text ('' for empty values).

    Args:
        value: A value as PyMySQL returns it.

    Returns:
        The text; whitespace collapsed, decimals normalised, dates in ISO format.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    return " ".join(text.split())[:MAX_FIELD_CHARS]


class DocumentBuilder:
    """Reads the marts (read-only) and renders their records as documents."""

    def __init__(self, db: Database) -> None:
        """Remember the connection and read which mart tables and columns exist.

        Args:
            db: A (read-only) connection to MYSQL_DATABASE.
        """
        self._db = db
        self.columns: dict[str, list[str]] = defaultdict(list)
        for row in db.rows(
            "SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
        ):
            self.columns[str(row["t"])].append(str(row["c"]))

    def build(self, entity: str, ids: Sequence[int] | None = None) -> list[Document]:
        """Render the records of one entity (all of them, or the given ids).

        Args:
            entity: One of ENTITIES.
            ids: Record ids to render; None renders every record.

        Returns:
            The documents, ordered by record id.

        Raises:
            DatabaseError: The entity's mart table does not exist.
        """
        if entity not in self.columns:
            message = f"mart table {self._db.name}.{entity} not found: build the marts first"
            raise DatabaseError(message)
        fields = [f for f in KEY_FIELDS[entity] if f in self.columns[entity]]
        extra = entity == "properties" and "properties" in self.columns[entity]
        selected = ["id", "hubspot_id", *fields, *(["properties"] if extra else [])]
        rows = self._select(entity, selected, "id", ids)
        links = {a: self._linked_titles(a, ids) for a in ASSOCIATIONS[entity]}
        documents = []
        for row in sorted(rows, key=lambda r: int(r["id"])):
            record_id = int(row["id"])
            lines = [f"{ENTITY_LABELS[entity]}: {self._title(entity, row)}"]
            lines += [f"{f}: {v}" for f in fields if (v := canonical(row[f]))]
            if extra:
                lines += _extra_properties(row["properties"], set(fields))
            for association, titles in links.items():
                names = sorted(set(titles.get(record_id, [])))
                if names:
                    more = f" (+{len(names) - MAX_NAMES} more)" if len(names) > MAX_NAMES else ""
                    label = ENTITY_LABELS[association.other]
                    lines.append(f"{label}: {'; '.join(names[:MAX_NAMES])}{more}")
            documents.append(
                Document(
                    entity=entity,
                    record_id=record_id,
                    hubspot_id=str(row["hubspot_id"]),
                    title=self._title(entity, row),
                    text="\n".join(lines),
                ),
            )
        return documents

    def _title(self, entity: str, row: Row) -> str:
        parts = [canonical(row.get(f)) for f in TITLE_FIELDS[entity]]
        title = " ".join(p for p in parts if p)
        return title[:500] or f"{entity} {row['hubspot_id']}"

    def _linked_titles(
        self,
        association: Association,
        ids: Sequence[int] | None,
    ) -> dict[int, list[str]]:
        if association.table not in self.columns or association.other not in self.columns:
            return {}
        pairs = self._select(
            association.table,
            [association.column, association.other_column],
            association.column,
            ids,
        )
        other_ids = sorted({int(p[association.other_column]) for p in pairs})
        title_columns = [
            f for f in TITLE_FIELDS[association.other] if f in self.columns[association.other]
        ]
        other_rows = self._select(
            association.other,
            ["id", "hubspot_id", *title_columns],
            "id",
            other_ids if ids is not None else None,
        )
        titles = {int(r["id"]): self._title(association.other, r) for r in other_rows}
        linked: dict[int, list[str]] = defaultdict(list)
        for pair in pairs:
            title = titles.get(int(pair[association.other_column]))
            if title is not None:
                linked[int(pair[association.column])].append(title)
        return linked

    def _select(
        self,
        table: str,
        columns: Iterable[str],
        key: str,
        ids: Sequence[int] | None,
    ) -> list[Row]:
        column_list = ", ".join(f"`{c}`" for c in columns)
        sql = f"SELECT {column_list} FROM `{table}`"  # noqa: S608 - names come from information_schema
        if ids is None:
            return self._db.rows(sql)
        rows: list[Row] = []
        for start in range(0, len(ids), ID_CHUNK):
            chunk = [int(i) for i in ids[start : start + ID_CHUNK]]
            marks = ", ".join(["%s"] * len(chunk))
            rows += self._db.rows(f"{sql} WHERE `{key}` IN ({marks})", chunk)
        return rows


def _extra_properties(raw: object, covered: set[str]) -> list[str]:
    """The bukken's other scalar properties from its JSON column (HubSpot internals left out)."""
    if raw in (None, ""):
        return []
    try:
        values = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
    except json.JSONDecodeError:
        return []
    if not isinstance(values, dict):
        return []
    lines = []
    for name in sorted(values):
        internal = name.startswith("hs_") or name in SYSTEM_PROPERTIES
        if name in covered or internal or isinstance(values[name], (dict, list)):
            continue
        text = canonical(values[name])
        if text:
            lines.append(f"{name}: {text}")
    return lines[:MAX_EXTRA_PROPERTIES]

"""The mart tables text-to-SQL may read, with their columns and descriptions (no sample rows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ai_enrich.db import Database

ALLOWED_TABLES: dict[str, str] = {
    "companies": "one row per HubSpot company 会社",
    "contacts": "one row per HubSpot contact コンタクト (person)",
    "deals": "one row per HubSpot deal 取引",
    "properties": "one row per bukken 物件 (real-estate property, HubSpot custom object)",
    "owners": "one row per HubSpot user 担当者 (record owner)",
    "company_contact_associations": "links companies.id (company_id) and contacts.id (contact_id)",
    "deal_company_associations": "links deals.id (deal_id) and companies.id (company_id)",
    "deal_contact_associations": "links deals.id (deal_id) and contacts.id (contact_id)",
    "deal_property_associations": "links deals.id (deal_id) and properties.id (property_id)",
    "contact_property_associations": (
        "links contacts.id (contact_id) and properties.id (property_id)"
    ),
}
COMMON_NOTES = {
    "id": "HubSpot object id (primary key)",
    "hubspot_id": "HubSpot object id as text",
    "created_at": "created in HubSpot (UTC)",
    "updated_at": "last modified in HubSpot (UTC)",
    "properties": "JSON of all HubSpot properties of the record",
    "association_type": "association label, 'primary' or 'default'",
}
COLUMN_NOTES: dict[str, dict[str, str]] = {
    "companies": {
        "name": "company name 会社名",
        "state": "prefecture 都道府県, e.g. 東京都",
        "city": "city 市区町村",
        "industry": "industry 業種",
    },
    "contacts": {
        "lastname": "family name 姓",
        "firstname": "given name 名",
        "company": "company name as typed on the contact",
        "jobtitle": "job title 役職",
    },
    "deals": {
        "dealname": "deal name 取引名",
        "amount": "deal amount in JPY 金額",
        "dealstage": (
            "stage id: appointmentscheduled, qualifiedtobuy, presentationscheduled, "
            "decisionmakerboughtin, contractsent (open, 進行中), closedwon (受注), "
            "closedlost (失注)"
        ),
        "pipeline": "pipeline id",
        "closedate": "expected or actual close date",
    },
    "properties": {
        "bukken_name": "bukken name 物件名",
        "bukken_state": "prefecture 都道府県, e.g. 東京都",
        "bukken_city": "city 市区町村",
        "bukken_address": "address 住所",
    },
}
MAX_PROMPT_COLUMNS = 60


@dataclass(frozen=True)
class MartSchema:
    """Allowed tables with their columns: the guard's schema and the model's description."""

    columns: dict[str, dict[str, str]]
    comments: dict[str, dict[str, str]]

    @classmethod
    def read(cls, db: Database) -> MartSchema:
        """Read the allowed tables' columns from information_schema.

        Args:
            db: The read-only connection to MYSQL_DATABASE.

        Returns:
            The schema of the allowed tables that exist.
        """
        columns: dict[str, dict[str, str]] = defaultdict(dict)
        comments: dict[str, dict[str, str]] = defaultdict(dict)
        for row in db.rows(
            "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d, COLUMN_COMMENT AS m "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        ):
            if row["t"] not in ALLOWED_TABLES:
                continue
            table, column = str(row["t"]), str(row["c"])
            columns[table][column] = str(row["d"]).upper()
            if row["m"]:
                comments[table][column] = str(row["m"])
        return cls(columns=dict(columns), comments=dict(comments))

    def describe(self) -> str:
        """The schema as text for the model: documented columns first, with their notes."""
        blocks = []
        for table, columns in self.columns.items():
            notes = COLUMN_NOTES.get(table, {})
            ordered = sorted(columns, key=lambda c: c not in notes and c not in COMMON_NOTES)
            lines = [f"table {table}: {ALLOWED_TABLES[table]}"]
            for column in ordered[:MAX_PROMPT_COLUMNS]:
                note = (
                    self.comments.get(table, {}).get(column)
                    or notes.get(column)
                    or COMMON_NOTES.get(column, "")
                )
                lines.append(f"  - {column} {columns[column]}" + (f": {note}" if note else ""))
            if len(ordered) > MAX_PROMPT_COLUMNS:
                lines.append(f"  - (+{len(ordered) - MAX_PROMPT_COLUMNS} more property columns)")
            blocks.append("\n".join(lines))
        return "\n".join(blocks)

"""Property definitions of every object type, in the shape of ``GET /crm/v3/properties``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubspot_sandbox.clock import format_ms

HUBSPOT_DEFINED_AT = format_ms(1_546_300_800_000)  # 2019-01-01
CUSTOM_DEFINED_AT = format_ms(1_580_515_200_123)  # 2020-02-01, with milliseconds

FIELD_TYPES = {
    "string": "text",
    "number": "number",
    "date": "date",
    "datetime": "date",
    "enumeration": "select",
    "bool": "booleancheckbox",
    "phone_number": "phonenumber",
}
PROPERTY_TYPES = tuple(FIELD_TYPES)


@dataclass(frozen=True)
class PropertySpec:
    """The essentials of one property; :func:`definition` turns it into HubSpot's JSON.

    Attributes:
        name: Internal name.
        label: Display label (Japanese, as the portal's users set them).
        type: HubSpot type (string, number, date, datetime, enumeration, bool, phone_number).
        field_type: HubSpot field type (text, textarea, select, checkbox, ...).
        group: Property group name.
        options: (value, label) pairs of an enumeration.
        hubspot_defined: Whether HubSpot defines it (custom properties omit the flag).
        calculated: Whether HubSpot computes the value.
    """

    name: str
    label: str
    type: str
    field_type: str
    group: str
    options: tuple[tuple[str, str], ...] = ()
    hubspot_defined: bool = True
    calculated: bool = False


def spec(  # noqa: PLR0913 - a table row
    name: str,
    label: str,
    type_: str,
    field_type: str | None = None,
    options: tuple[tuple[str, str], ...] = (),
    *,
    hubspot: bool = True,
    group: str = "",
    calculated: bool = False,
) -> PropertySpec:
    """Shorthand for one row of a property table."""
    return PropertySpec(
        name=name,
        label=label,
        type=type_,
        field_type=field_type or FIELD_TYPES[type_],
        group=group or ("custom_properties" if not hubspot else "information"),
        options=options,
        hubspot_defined=hubspot,
        calculated=calculated,
    )


def definition(prop: PropertySpec, display_order: int = -1) -> dict[str, Any]:
    """Return the property as ``GET /crm/v3/properties/{objectType}`` lists it."""
    body: dict[str, Any] = {
        "name": prop.name,
        "label": prop.label,
        "type": prop.type,
        "fieldType": prop.field_type,
        "description": "",
        "groupName": prop.group,
        "options": [
            {"label": label, "value": value, "description": "", "displayOrder": i, "hidden": False}
            for i, (value, label) in enumerate(prop.options)
        ],
        "displayOrder": display_order,
        "calculated": prop.calculated,
        "externalOptions": prop.name == "hubspot_owner_id",
        "hasUniqueValue": False,
        "hidden": False,
        "formField": not prop.calculated and not prop.hubspot_defined,
        "modificationMetadata": {
            "archivable": not prop.hubspot_defined,
            "readOnlyDefinition": prop.hubspot_defined,
            "readOnlyValue": prop.calculated,
        },
        "createdAt": HUBSPOT_DEFINED_AT if prop.hubspot_defined else CUSTOM_DEFINED_AT,
        "updatedAt": HUBSPOT_DEFINED_AT if prop.hubspot_defined else CUSTOM_DEFINED_AT,
        "archived": False,
        "dataSensitivity": "non_sensitive",
    }
    if prop.type == "number":
        body["showCurrencySymbol"] = prop.name in {"amount", "price", "annualrevenue", "budget"}
    if prop.hubspot_defined:
        body["hubspotDefined"] = True
    else:
        body["createdUserId"] = "5000001"
        body["updatedUserId"] = "5000001"
    return body


def spec_from_definition(body: dict[str, Any]) -> PropertySpec:
    """Build a :class:`PropertySpec` from a (partial) property definition given to the control API.

    Raises:
        ValueError: When ``name`` is missing, or ``type`` is not a HubSpot property type and no
            ``fieldType`` is given (a type HubSpot adds later, such as ``object_coordinates``,
            comes with its ``fieldType``).
    """
    name = str(body.get("name") or "")
    type_ = str(body.get("type") or "string")
    if not name:
        msg = "a property needs a name"
        raise ValueError(msg)
    if type_ not in FIELD_TYPES and not body.get("fieldType"):
        msg = (
            f"unknown property type {type_!r}; use one of {', '.join(PROPERTY_TYPES)} "
            "(or give a fieldType with a type HubSpot adds later)"
        )
        raise ValueError(msg)
    options = tuple(
        (str(o["value"]), str(o.get("label", o["value"]))) for o in body.get("options", [])
    )
    return PropertySpec(
        name=name,
        label=str(body.get("label") or name),
        type=type_,
        field_type=str(body.get("fieldType") or FIELD_TYPES[type_]),
        group=str(body.get("groupName") or "custom_properties"),
        options=options,
        hubspot_defined=False,
    )


_LIFECYCLE = (
    ("subscriber", "購読者"),
    ("lead", "リード"),
    ("marketingqualifiedlead", "MQL"),
    ("salesqualifiedlead", "SQL"),
    ("opportunity", "商談"),
    ("customer", "顧客"),
    ("evangelist", "エバンジェリスト"),
    ("other", "その他"),
)
_LEAD_STATUS = (
    ("NEW", "新規"),
    ("OPEN", "オープン"),
    ("IN_PROGRESS", "対応中"),
    ("OPEN_DEAL", "商談中"),
    ("UNQUALIFIED", "見込みなし"),
    ("ATTEMPTED_TO_CONTACT", "連絡試行済み"),
    ("CONNECTED", "接続済み"),
    ("BAD_TIMING", "タイミング不適"),
)
INDUSTRIES = (
    ("REAL_ESTATE", "不動産"),
    ("CONSTRUCTION", "建設"),
    ("ARCHITECTURE_PLANNING", "建築設計"),
    ("FINANCIAL_SERVICES", "金融サービス"),
    ("BANKING", "銀行"),
    ("INSURANCE", "保険"),
    ("LEGAL_SERVICES", "法務"),
    ("CIVIL_ENGINEERING", "土木"),
)
DEAL_STAGES = (
    ("appointmentscheduled", "内見予約"),
    ("qualifiedtobuy", "購入意思確認"),
    ("presentationscheduled", "重要事項説明予定"),
    ("decisionmakerboughtin", "申込受付"),
    ("contractsent", "契約書送付済み"),
    ("closedwon", "成約"),
    ("closedlost", "失注"),
)
PIPELINES = (("default", "売買パイプライン"), ("rental", "賃貸パイプライン"))
DEAL_TYPES = (("newbusiness", "新規"), ("existingbusiness", "既存"))
FLOOR_PLANS = tuple((p, p) for p in ("1R", "1K", "1DK", "1LDK", "2LDK", "3LDK", "4LDK"))
BUKKEN_KINDS = (
    ("mansion", "マンション"),
    ("kodate", "一戸建て"),
    ("tochi", "土地"),
    ("apartment", "アパート"),
    ("office", "事務所・店舗"),
)
FEATURES = (
    ("autolock", "オートロック"),
    ("pet", "ペット可"),
    ("parking", "駐車場"),
    ("delivery_box", "宅配ボックス"),
    ("elevator", "エレベーター"),
    ("south", "南向き"),
)
AREAS = (
    ("tokyo", "東京都"),
    ("kanagawa", "神奈川県"),
    ("osaka", "大阪府"),
    ("aichi", "愛知県"),
    ("fukuoka", "福岡県"),
)


def _common(created: str, modified: str, *, mergeable: bool = True) -> list[PropertySpec]:
    rows = [
        spec(created, "作成日", "datetime"),
        spec(modified, "最終更新日", "datetime"),
        spec("hs_object_id", "レコードID", "number"),
    ]
    if mergeable:
        rows.append(spec("hs_merged_object_ids", "統合されたレコードID", "enumeration", "checkbox"))
    return rows


def _contacts(owner_options: tuple[tuple[str, str], ...]) -> list[PropertySpec]:
    return [
        spec("firstname", "名", "string"),
        spec("lastname", "姓", "string"),
        spec("email", "Eメール", "string"),
        spec("phone", "電話番号", "string", "phonenumber"),
        spec("mobilephone", "携帯電話番号", "phone_number"),
        spec("company", "会社名", "string"),
        spec("jobtitle", "役職", "string"),
        spec("hubspot_owner_id", "コンタクト担当者", "enumeration", options=owner_options),
        spec("lifecyclestage", "ライフサイクルステージ", "enumeration", "radio", _LIFECYCLE),
        spec("hs_lead_status", "リードステータス", "enumeration", options=_LEAD_STATUS),
        spec("address", "番地", "string"),
        spec("city", "市区町村", "string"),
        spec("state", "都道府県", "string"),
        spec("zip", "郵便番号", "string"),
        spec("date_of_birth", "生年月日", "date"),
        spec("notes_last_contacted", "最終コンタクト日時", "datetime"),
        spec("num_associated_deals", "関連取引数", "number", calculated=True),
        spec("dm_optout", "DM配信停止", "bool", hubspot=False),
        spec("budget", "予算", "number", hubspot=False),
        spec("preferred_area", "希望エリア", "enumeration", "checkbox", AREAS, hubspot=False),
        spec("memo", "メモ", "string", "textarea", hubspot=False),
        *_common("createdate", "lastmodifieddate"),
    ]


def _companies(owner_options: tuple[tuple[str, str], ...]) -> list[PropertySpec]:
    return [
        spec("name", "会社名", "string"),
        spec("domain", "ドメイン名", "string"),
        spec("website", "ウェブサイトURL", "string"),
        spec("phone", "電話番号", "string", "phonenumber"),
        spec("address", "番地", "string"),
        spec("city", "市区町村", "string"),
        spec("state", "都道府県", "string"),
        spec("zip", "郵便番号", "string"),
        spec("industry", "業種", "enumeration", options=INDUSTRIES),
        spec("numberofemployees", "従業員数", "number"),
        spec("annualrevenue", "年間売上高", "number"),
        spec("founded_year", "設立年", "string"),
        spec("is_public", "上場企業", "bool"),
        spec("description", "会社概要", "string", "textarea"),
        spec("hubspot_owner_id", "会社担当者", "enumeration", options=owner_options),
        spec("lifecyclestage", "ライフサイクルステージ", "enumeration", "radio", _LIFECYCLE),
        spec("num_associated_contacts", "関連コンタクト数", "number", calculated=True),
        spec("first_contact_createdate", "最初のコンタクト作成日", "datetime"),
        spec("license_number", "宅建業免許番号", "string", hubspot=False),
        spec("license_expires_on", "免許有効期限", "date", hubspot=False),
        *_common("createdate", "hs_lastmodifieddate"),
    ]


def _deals(owner_options: tuple[tuple[str, str], ...]) -> list[PropertySpec]:
    return [
        spec("dealname", "取引名", "string"),
        spec("amount", "金額", "number"),
        spec("dealstage", "取引ステージ", "enumeration", "radio", DEAL_STAGES),
        spec("pipeline", "パイプライン", "enumeration", options=PIPELINES),
        spec("closedate", "完了予定日", "datetime"),
        spec("dealtype", "取引タイプ", "enumeration", "radio", DEAL_TYPES),
        spec("description", "取引の説明", "string", "textarea"),
        spec("hubspot_owner_id", "取引担当者", "enumeration", options=owner_options),
        spec("num_associated_contacts", "関連コンタクト数", "number", calculated=True),
        spec("commission_rate", "仲介手数料率", "number", hubspot=False),
        spec("contract_date", "契約日", "date", hubspot=False),
        spec("loan_approved", "ローン承認", "bool", hubspot=False),
        spec("contact_phone", "連絡先電話番号", "phone_number", hubspot=False),
        *_common("createdate", "hs_lastmodifieddate"),
    ]


def _bukken(owner_options: tuple[tuple[str, str], ...]) -> list[PropertySpec]:
    return [
        spec("bukken_name", "物件名", "string", hubspot=False),
        spec("bukken_state", "都道府県", "string", hubspot=False),
        spec("bukken_city", "市区町村", "string", hubspot=False),
        spec("bukken_address", "住所", "string", "textarea", hubspot=False),
        spec("bukken_type", "物件種別", "enumeration", options=BUKKEN_KINDS, hubspot=False),
        spec("floor_plan", "間取り", "enumeration", options=FLOOR_PLANS, hubspot=False),
        spec("price", "価格", "number", hubspot=False),
        spec("area_sqm", "専有面積(㎡)", "number", hubspot=False),
        spec("built_year", "築年", "number", hubspot=False),
        spec("nearest_station", "最寄り駅", "string", hubspot=False),
        spec("walk_minutes", "駅徒歩(分)", "number", hubspot=False),
        spec("is_available", "販売中", "bool", hubspot=False),
        spec("listing_date", "掲載開始日", "date", hubspot=False),
        spec("last_viewing_at", "最終内見日時", "datetime", hubspot=False),
        spec("features", "設備", "enumeration", "checkbox", FEATURES, hubspot=False),
        spec("manager_phone", "管理会社電話番号", "phone_number", hubspot=False),
        spec("description", "物件説明", "string", "textarea", hubspot=False),
        spec("hubspot_owner_id", "物件担当者", "enumeration", options=owner_options),
        *_common("hs_createdate", "hs_lastmodifieddate", mergeable=False),
    ]


def base_properties(
    object_type: str,
    owner_options: tuple[tuple[str, str], ...],
) -> list[PropertySpec]:
    """Return the built-in properties of one object type.

    Args:
        object_type: ``contacts``, ``companies``, ``deals`` or ``bukken``.
        owner_options: (owner id, owner name) pairs for ``hubspot_owner_id``.
    """
    builders = {"contacts": _contacts, "companies": _companies, "deals": _deals, "bukken": _bukken}
    return builders[object_type](owner_options)


WAREHOUSE_NAMES = ("id", "created_at", "updated_at", "last_synced_at", "hubspot_id", "properties")


def extra_properties(count: int) -> list[PropertySpec]:
    """Return ``count`` extra custom properties, cycling through every property type.

    The first ones are named like the warehouse's own columns (``id``, ``created_at``, ...), the
    next one has a 90-character name, the rest are numbered.
    """
    names: list[str] = list(WAREHOUSE_NAMES[:count])
    if count > len(names):
        names.append(("x_" + "very_long_property_name_" * 4)[:86] + "_090")
    names.extend(f"extra_prop_{i:04d}" for i in range(len(names), count))
    rows = []
    for i, name in enumerate(names):
        type_ = PROPERTY_TYPES[i % len(PROPERTY_TYPES)]
        options = (
            (("a", "選択肢A"), ("b", "選択肢B"), ("c", "選択肢C")) if type_ == "enumeration" else ()
        )
        rows.append(spec(name, f"追加項目 {i + 1}", type_, options=options, hubspot=False))
    return rows

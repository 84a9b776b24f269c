"""A small labelled Japanese/English CRM to measure retrieval quality (recall@5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.ai_enrich.marts import create_marts, insert, link

if TYPE_CHECKING:
    from tests.fixtures.mysql import MySQLDatabase

COMPANIES = [
    (1, "株式会社青山エステート", "東京都", "港区", "不動産仲介"),
    (2, "関西ホームズ株式会社", "大阪府", "大阪市", "住宅販売"),
    (3, "Northern Timber Co.", "北海道", "札幌市", "Timber and lumber"),
    (4, "福岡テック株式会社", "福岡県", "福岡市", "ソフトウェア開発"),
    (5, "名古屋物流センター株式会社", "愛知県", "名古屋市", "物流・倉庫業"),
    (6, "Kyoto Heritage Hotels", "京都府", "京都市", "Hotels"),
    (7, "医療法人 仙台メディカル", "宮城県", "仙台市", "医療"),
    (8, "湘南リゾート開発株式会社", "神奈川県", "藤沢市", "リゾート開発"),
    (9, "Green Energy Japan", "東京都", "千代田区", "Solar power generation"),
    (10, "広島フードサービス株式会社", "広島県", "広島市", "飲食チェーン"),
]
CONTACTS = [
    (11, "鈴木", "一郎", "営業課長", 1),
    (12, "田中", "美咲", "購買担当", 2),
    (13, "Brown", "Emily", "CEO", 3),
    (14, "高橋", "健", "総務部長", 4),
    (15, "伊藤", "直子", "施設管理責任者", 5),
    (16, "渡辺", "翔", "Development Manager", 6),
    (17, "中村", "さくら", "企画担当", 8),
    (18, "小林", "大輔", "事業開発マネージャー", 9),
]
BUKKEN = [
    (21, "青山パークハウス", "東京都", "港区", "東京都港区南青山4-1-1", "高級マンション"),
    (22, "難波駅前ビル", "大阪府", "大阪市中央区", "大阪府大阪市中央区難波5-1", "商業ビル"),
    (23, "札幌北口倉庫", "北海道", "札幌市北区", "北海道札幌市北区北7条西2", "倉庫"),
    (24, "天神スマートオフィス", "福岡県", "福岡市中央区", "福岡県福岡市中央区天神2-8", "オフィス"),
    (
        25,
        "名古屋港ロジスティクスパーク",
        "愛知県",
        "名古屋市港区",
        "愛知県名古屋市港区潮見町",
        "物流倉庫",
    ),
    (26, "祇園町家", "京都府", "京都市東山区", "京都府京都市東山区祇園町南側", "町家・古民家"),
    (
        27,
        "仙台クリニックモール",
        "宮城県",
        "仙台市青葉区",
        "宮城県仙台市青葉区一番町3-1",
        "医療モール",
    ),
    (28, "江ノ島オーシャンヴィラ", "神奈川県", "藤沢市", "神奈川県藤沢市江の島1-3", "海辺の別荘"),
    (29, "那須ソーラーパーク用地", "栃木県", "那須町", "栃木県那須郡那須町高久", "土地"),
    (30, "広島本通り店舗", "広島県", "広島市中区", "広島県広島市中区本通6-2", "路面店舗"),
    (
        31,
        "みなとみらいレジデンスタワー",
        "神奈川県",
        "横浜市西区",
        "神奈川県横浜市西区みなとみらい3-7",
        "タワーマンション",
    ),
    (32, "軽井沢の森ログハウス", "長野県", "軽井沢町", "長野県北佐久郡軽井沢町長倉", "別荘"),
]
DEALS = [
    (41, "青山パークハウス 売却", 500_000_000, "contractsent", 1, 11, 21),
    (42, "難波駅前ビル テナント誘致", 24_000_000, "closedwon", 2, 12, 22),
    (43, "札幌北口倉庫 賃貸契約", 6_000_000, "qualifiedtobuy", 3, 13, 23),
    (44, "天神スマートオフィス 本社移転", 18_000_000, "presentationscheduled", 4, 14, 24),
    (45, "名古屋港 物流倉庫 新築工事", 900_000_000, "decisionmakerboughtin", 5, 15, 25),
    (46, "祇園町家 ホテル改装", 150_000_000, "appointmentscheduled", 6, 16, 26),
    (47, "江ノ島オーシャンヴィラ 購入", 120_000_000, "contractsent", 8, 17, 28),
    (48, "那須 太陽光発電用地 取得", 70_000_000, "qualifiedtobuy", 9, 18, 29),
    (49, "広島本通り 新店舗出店", 9_000_000, "closedlost", 10, None, 30),
    (50, "みなとみらいタワー 住戸販売", 300_000_000, "appointmentscheduled", 1, 11, 31),
]
# (query, relevant records as (entity, hubspot_id))
QUERIES: list[tuple[str, set[tuple[str, str]]]] = [
    ("南青山の高級マンション", {("properties", "21")}),
    ("luxury apartment in Minami-Aoyama, Tokyo", {("properties", "21")}),
    ("大阪の駅前の商業ビル", {("properties", "22")}),
    ("warehouse in Sapporo", {("properties", "23")}),
    ("福岡の本社移転の案件", {("deals", "44")}),
    (
        "construction of a logistics warehouse at Nagoya port",
        {("deals", "45"), ("properties", "25")},
    ),
    ("京都の古民家をホテルに改装する取引", {("deals", "46")}),
    ("clinic mall in Sendai", {("properties", "27")}),
    ("湘南の海が見える別荘", {("properties", "28")}),
    ("land acquisition for a solar farm", {("deals", "48"), ("properties", "29")}),
    ("広島で飲食店を出店する案件", {("deals", "49")}),
    ("selling condominium units in a Yokohama tower", {("deals", "50")}),
    ("軽井沢の別荘", {("properties", "32")}),
    ("CEO of Northern Timber", {("contacts", "13")}),
    ("関西ホームズの購買担当者", {("contacts", "12")}),
    ("太陽光発電の会社", {("companies", "9")}),
    ("hotel company in Kyoto", {("companies", "6")}),
    ("仙台の医療法人", {("companies", "7")}),
    ("名古屋の物流会社の施設管理担当", {("contacts", "15")}),
    ("software developer in Fukuoka", {("companies", "4")}),
    ("リゾート開発会社の企画担当者", {("contacts", "17")}),
    ("real estate brokerage in Minato, Tokyo", {("companies", "1")}),
]


def seed_quality_crm(database: MySQLDatabase) -> None:
    """Create the marts and fill them with the labelled corpus."""
    create_marts(database)
    insert(
        database,
        "companies",
        [
            {"id": i, "name": n, "state": s, "city": c, "industry": ind}
            for i, n, s, c, ind in COMPANIES
        ],
    )
    insert(
        database,
        "contacts",
        [
            {
                "id": i,
                "lastname": ln,
                "firstname": fn,
                "jobtitle": title,
                "company": next(n for ci, n, *_ in COMPANIES if ci == company),
            }
            for i, ln, fn, title, company in CONTACTS
        ],
    )
    insert(
        database,
        "properties",
        [
            {
                "id": i,
                "bukken_name": n,
                "bukken_state": s,
                "bukken_city": c,
                "bukken_address": a,
                "properties": f'{{"bukken_type": "{kind}"}}',
            }
            for i, n, s, c, a, kind in BUKKEN
        ],
    )
    insert(
        database,
        "deals",
        [
            {"id": i, "dealname": n, "amount": amount, "dealstage": stage, "pipeline": "default"}
            for i, n, amount, stage, *_ in DEALS
        ],
    )
    link(database, "companies", "contacts", [(company, i) for i, *_, company in CONTACTS])
    link(database, "deals", "companies", [(d[0], d[4]) for d in DEALS])
    link(database, "deals", "contacts", [(d[0], d[5]) for d in DEALS if d[5] is not None])
    link(database, "deals", "properties", [(d[0], d[6]) for d in DEALS])


def recall_at(k: int, ranked: list[list[tuple[str, str]]]) -> float:
    """Mean over QUERIES of |relevant ∩ top k| / |relevant|."""
    total = 0.0
    for (_, relevant), hits in zip(QUERIES, ranked, strict=True):
        total += len(relevant & set(hits[:k])) / len(relevant)
    return total / len(QUERIES)

"""Pools of realistic Japanese names, places and texts, drawn once per seed with Faker (ja_JP)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from faker import Faker

# Prefectures with real cities and their postcode prefixes, so that addresses hang together.
PLACES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "東京都",
        ("渋谷区", "新宿区", "港区", "世田谷区", "品川区", "目黒区", "中央区", "江東区"),
        "1",
    ),
    ("神奈川県", ("横浜市西区", "横浜市港北区", "川崎市中原区", "藤沢市", "相模原市中央区"), "2"),
    ("大阪府", ("大阪市北区", "大阪市中央区", "堺市堺区", "豊中市", "吹田市"), "5"),
    ("愛知県", ("名古屋市中区", "名古屋市千種区", "豊田市", "岡崎市"), "4"),
    ("福岡県", ("福岡市中央区", "福岡市博多区", "北九州市小倉北区", "久留米市"), "8"),
    ("北海道", ("札幌市中央区", "札幌市北区", "旭川市", "函館市"), "0"),
    ("京都府", ("京都市中京区", "京都市左京区", "宇治市"), "6"),
    ("兵庫県", ("神戸市中央区", "西宮市", "姫路市", "芦屋市"), "6"),
    ("埼玉県", ("さいたま市大宮区", "川口市", "所沢市", "越谷市"), "3"),
    ("千葉県", ("千葉市中央区", "船橋市", "柏市", "浦安市"), "2"),
    ("宮城県", ("仙台市青葉区", "仙台市宮城野区"), "9"),
    ("広島県", ("広島市中区", "福山市"), "7"),
    ("沖縄県", ("那覇市", "浦添市"), "9"),
)
STATIONS = (
    "渋谷", "新宿", "池袋", "品川", "目黒", "恵比寿", "中目黒", "二子玉川", "横浜", "武蔵小杉",
    "梅田", "難波", "天王寺", "名古屋", "栄", "博多", "天神", "札幌", "京都", "三宮", "大宮",
    "船橋",
    "仙台", "広島", "那覇",
)  # fmt: skip
JOB_TITLES = (
    "代表取締役", "取締役", "営業部長", "営業課長", "店長", "主任", "宅地建物取引士", "営業担当",
    "賃貸管理担当", "総務部", "購買担当", "経理部長", "会社員", "公務員", "自営業", "医師",
)  # fmt: skip
BUKKEN_BRANDS = (
    "パークハウス", "ライオンズマンション", "プラウド", "ザ・パークハウス", "ブリリア",
    "グランドメゾン", "シティハウス", "コスモ", "ルネ", "サンクタス", "クリオ", "メゾン",
)  # fmt: skip
BUKKEN_SUFFIXES = ("レジデンス", "タワー", "ヒルズ", "ガーデン", "コート", "テラス", "")
COMPANY_FORMS = (
    "{last}不動産株式会社", "株式会社{last}ホーム", "{last}建設株式会社",
    "{city}リアルティ株式会社", "株式会社{last}地所", "{last}住宅販売株式会社",
    "有限会社{last}商事", "株式会社{city}ハウジング",
)  # fmt: skip
TEAMS = ("東京営業部", "大阪営業部", "賃貸管理チーム", "投資用物件チーム", "法人営業部")
EMOJI = ("🏠", "✨", "😊", "🚃", "👍", "🏢", "🌸", "📞")
LONG_TEXT_CHARS = 70_000


@dataclass(frozen=True)
class Pools:
    """Name and text pools; records combine them with a seeded ``random.Random``."""

    last_names: tuple[tuple[str, str], ...]  # (kanji, romanized)
    first_names: tuple[tuple[str, str], ...]
    towns: tuple[str, ...]
    sentences: tuple[str, ...]
    long_text: str
    company_names: tuple[str, ...]
    domain_words: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def build_pools(seed: int) -> Pools:
    """Draw the pools for one seed (cached: the pools never change)."""
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    last_names = tuple(
        dict.fromkeys((k, r.lower()) for k, _, r in (fake.last_name_pair() for _ in range(400)))
    )
    first_names = tuple(
        dict.fromkeys((k, r.lower()) for k, _, r in (fake.first_name_pair() for _ in range(400)))
    )
    towns = tuple(dict.fromkeys(fake.town() for _ in range(200)))
    sentences = tuple(fake.sentence(nb_words=12) for _ in range(120))
    long_text = ""
    while len(long_text) < LONG_TEXT_CHARS:
        long_text += "".join(fake.sentences(nb=20))
    city_names = [
        city.removesuffix("市").removesuffix("区") for _, cities, _ in PLACES for city in cities
    ]
    company_names = tuple(
        dict.fromkeys(
            fake.random_element(COMPANY_FORMS).format(
                last=fake.random_element(last_names)[0], city=fake.random_element(city_names)
            )
            for _ in range(600)
        )
    )
    domain_words = tuple(
        dict.fromkeys(
            f"{fake.random_element(last_names)[1]}-{w}"
            for w in ("fudosan", "home", "estate", "realty")
            for _ in range(60)
        )
    )
    return Pools(
        last_names=last_names,
        first_names=first_names,
        towns=towns,
        sentences=sentences,
        long_text=long_text[:LONG_TEXT_CHARS],
        company_names=company_names,
        domain_words=domain_words,
    )

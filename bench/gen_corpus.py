"""A synthetic OpenSanctions-shaped corpus: FollowTheMoney entity JSON lines, plus a delta.

Deterministic: the same ``--seed`` and size give the same bytes. Every line is
one entity as OpenSanctions publishes them (``entities.ftm.json``)::

    {"id": "NK-…", "caption": "…", "schema": "Company", "properties": {"name": ["…"], …},
     "referents": […], "datasets": […], "first_seen": "…", "last_seen": "…", "target": true}

and the delta file has one ``{"op": "ADD"|"MOD"|"DEL", "entity": {…}}`` a line
(``entities.delta.json``), touching 1% of the entities.

What is in it, for N entities (shares of N, rounded):

============== ======= ==============================================================
schema         share   shape
============== ======= ==============================================================
PublicBody     0.5%    ministries and agencies; the real designating bodies first
Document       8+N/50k executive orders (title, number, signing date, source URL): the
                       eight real ones (13873 … 14034, their FR pages), then one synthetic
                       order per 50,000 entities (8 at 10k, 10 at 100k, 28 at 1M) citing
                       a made-up host (orders.example.org), never the Federal Register
Company        38%     names in Latin, aliases in CJK and Cyrillic, countries, LEI
Person         6%      names in three scripts, nationality, birth date
Asset          1%      apps (WeChat Pay-like), each with a developer
UnknownLink    1%      company —developer→ app (``role: developer``)
Security       12%     issuer, ISIN (valid check digit), ticker (``1810.HK``,
                       ``600519.SS``, ``CHL``), unique per exchange
Ownership      14%     owner → asset, a forest with power-law fan-out
                       (preferential attachment: a few holdings own thousands)
Directorship   3%      person → company
Sanction       rest    entity, authority, program, programId, listingDate, startDate,
                       endDate (30%), sourceUrl — on eight programs with Zipf-like
                       weights, so at 1M the largest lists have 10^4–10^5 members;
                       app bans (EO 13942/13943/13971 programs) on the apps' developers
============== ======= ==============================================================

Entities are written so that an entity comes after every entity it refers to
(a streaming loader can resolve references as it reads), and every reference
points at an entity in the file (after the delta, too: DEL only removes
statements — sanctions, ownerships, directorships — that nothing refers to).

Run: ``python bench/gen_corpus.py 100000 --out bench/.corpus`` writes
``ftm-100000-s7.json`` and ``ftm-100000-s7.delta.json`` there.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

Entity = dict[str, Any]

DATASETS = ("us_ofac_cons", "us_dod_chinese_milcorps", "eu_fsf", "gb_hmt_sanctions", "un_sc_sanctions")
# program id, program, authority, weight (share of the sanctions), dataset
PROGRAMS: tuple[tuple[str, str, str, float, str], ...] = (
    (
        "US-OFAC-SDN",
        "Specially Designated Nationals List",
        "Office of Foreign Assets Control",
        0.35,
        "us_ofac_sdn",
    ),
    ("EU-FSF", "EU Financial Sanctions Files", "Council of the European Union", 0.20, "eu_fsf"),
    (
        "GB-HMT",
        "UK Consolidated List of Financial Sanctions Targets",
        "HM Treasury",
        0.12,
        "gb_hmt_sanctions",
    ),
    (
        "US-NS-CMIC",
        "Non-SDN Chinese Military-Industrial Complex Companies List (EO 14032)",
        "Office of Foreign Assets Control",
        0.10,
        "us_ofac_cons",
    ),
    ("US-BIS-EL", "Entity List", "Bureau of Industry and Security", 0.10, "us_bis_denied"),
    (
        "US-DOD-1260H",
        "Chinese Military Companies (NDAA FY2021 §1260H)",
        "Department of Defense",
        0.05,
        "us_dod_chinese_milcorps",
    ),
    (
        "UN-SC",
        "UN Security Council Consolidated List",
        "United Nations Security Council",
        0.05,
        "un_sc_sanctions",
    ),
    (
        "US-DOD-1237",
        "Communist Chinese Military Companies (NDAA FY1999 §1237)",
        "Department of Defense",
        0.03,
        "us_dod_chinese_milcorps",
    ),
)
APP_PROGRAMS = (
    ("US-EO13942", "Executive Order 13942 (TikTok)", "Department of Commerce"),
    ("US-EO13943", "Executive Order 13943 (WeChat)", "Department of Commerce"),
    (
        "US-EO13971",
        "Executive Order 13971 (Chinese connected software applications)",
        "Department of Commerce",
    ),
)
REAL_BODIES = (
    ("Office of Foreign Assets Control", "us", "OFAC", "外国资产控制办公室"),
    ("Department of Defense", "us", "DoD", "美国国防部"),
    ("Department of Commerce", "us", "DOC", "美国商务部"),
    ("Bureau of Industry and Security", "us", "BIS", "工业和安全局"),
    ("Council of the European Union", "eu", "Council", "欧盟理事会"),
    ("HM Treasury", "gb", "HMT", "英国财政部"),
    ("United Nations Security Council", "zz", "UNSC", "联合国安全理事会"),
    ("Executive Office of the President", "us", "EOP", "美国总统行政办公室"),
)
REAL_ORDERS = (
    (
        "13873",
        "Securing the Information and Communications Technology and Services Supply Chain",
        "2019-05-15",
        "2019-10429",
    ),
    ("13942", "Addressing the Threat Posed by TikTok", "2020-08-06", "2020-17699"),
    ("13943", "Addressing the Threat Posed by WeChat", "2020-08-06", "2020-17700"),
    (
        "13959",
        "Addressing the Threat From Securities Investments That Finance Communist Chinese Military Companies",
        "2020-11-12",
        "2020-25459",
    ),
    (
        "13971",
        "Addressing the Threat Posed by Applications and Other Software Developed or Controlled by "
        "Chinese Companies",
        "2021-01-05",
        "2021-00305",
    ),
    ("13974", "Amending Executive Order 13959", "2021-01-13", "2021-01228"),
    (
        "14032",
        "Addressing the Threat From Securities Investments That Finance Certain Companies of the "
        "People's Republic of China",
        "2021-06-03",
        "2021-12019",
    ),
    ("14034", "Protecting Americans' Sensitive Data From Foreign Adversaries", "2021-06-09", "2021-12506"),
)

# Name parts. Latin syllables carry a CJK and a Cyrillic rendering, so aliases agree.
SYLLABLES = (
    ("Hua", "华", "Хуа"),
    ("Zhong", "中", "Чжун"),
    ("Guo", "国", "Го"),
    ("Tian", "天", "Тянь"),
    ("Xin", "新", "Синь"),
    ("Long", "龙", "Лун"),
    ("Hai", "海", "Хай"),
    ("Jin", "金", "Цзинь"),
    ("Bei", "北", "Бэй"),
    ("Nan", "南", "Нань"),
    ("Dong", "东", "Дун"),
    ("Xi", "西", "Си"),
    ("Sheng", "盛", "Шэн"),
    ("Da", "大", "Да"),
    ("Feng", "丰", "Фэн"),
    ("Kai", "凯", "Кай"),
    ("Rui", "瑞", "Жуй"),
    ("Xing", "星", "Син"),
    ("Yuan", "远", "Юань"),
    ("Hong", "宏", "Хун"),
    ("Ming", "明", "Мин"),
    ("Tai", "泰", "Тай"),
    ("An", "安", "Ань"),
    ("Kang", "康", "Кан"),
    ("Bao", "宝", "Бао"),
    ("Cheng", "诚", "Чэн"),
    ("Fu", "富", "Фу"),
    ("Heng", "恒", "Хэн"),
    ("Lian", "联", "Лянь"),
    ("Wei", "威", "Вэй"),
    ("Yong", "永", "Юн"),
    ("Zhi", "智", "Чжи"),
)
INDUSTRIES = (
    ("Electronics", "电子", "Электроникс"),
    ("Aviation", "航空", "Авиэйшн"),
    ("Shipbuilding", "船舶", "Шипбилдинг"),
    ("Telecom", "电信", "Телеком"),
    ("Microsystems", "微系统", "Микросистемс"),
    ("Semiconductor", "半导体", "Семикондактор"),
    ("Energy", "能源", "Энерджи"),
    ("Construction", "建设", "Констракшн"),
    ("Petroleum", "石油", "Петролеум"),
    ("Technology", "科技", "Текнолоджи"),
    ("Logistics", "物流", "Логистикс"),
    ("Machinery", "机械", "Машинери"),
    ("Materials", "材料", "Материалс"),
    ("Optics", "光学", "Оптикс"),
    ("Software", "软件", "Софтвер"),
    ("Mining", "矿业", "Майнинг"),
    ("Chemical", "化工", "Кемикал"),
    ("Navigation", "导航", "Навигейшн"),
    ("Robotics", "机器人", "Роботикс"),
    ("Investment", "投资", "Инвестмент"),
)
PLACES = (
    ("Beijing", "北京", "Пекин"),
    ("Shanghai", "上海", "Шанхай"),
    ("Shenzhen", "深圳", "Шэньчжэнь"),
    ("Guangzhou", "广州", "Гуанчжоу"),
    ("Wuhan", "武汉", "Ухань"),
    ("Hangzhou", "杭州", "Ханчжоу"),
    ("Chengdu", "成都", "Чэнду"),
    ("Tianjin", "天津", "Тяньцзинь"),
    ("Hong Kong", "香港", "Гонконг"),
    ("Moscow", "莫斯科", "Москва"),
    ("Minsk", "明斯克", "Минск"),
    ("Dubai", "迪拜", "Дубай"),
    ("Tehran", "德黑兰", "Тегеран"),
    ("Pyongyang", "平壤", "Пхеньян"),
    ("", "", ""),
    ("", "", ""),
)
SUFFIXES = (
    ("Co., Ltd.", "有限公司", "Ко., Лтд."),
    ("Group Co., Ltd.", "集团有限公司", "Груп Ко., Лтд."),
    ("Corporation", "公司", "Корпорейшн"),
    ("Limited", "有限公司", "Лимитед"),
    ("Holdings Ltd.", "控股有限公司", "Холдингс Лтд."),
    ("Inc.", "公司", "Инк."),
    ("JSC", "股份公司", "АО"),
    ("LLC", "有限责任公司", "ООО"),
)
COUNTRIES = ("cn",) * 10 + ("hk",) * 4 + ("ru",) * 4 + ("us", "gb", "sg", "ae", "ir", "kp", "by", "ky", "vg")
FIRST = (
    ("Wei", "伟", "Вэй"),
    ("Jing", "静", "Цзин"),
    ("Lei", "磊", "Лэй"),
    ("Yan", "燕", "Янь"),
    ("Jun", "军", "Цзюнь"),
    ("Li", "丽", "Ли"),
    ("Qiang", "强", "Цян"),
    ("Min", "敏", "Минь"),
    ("Ivan", "伊万", "Иван"),
    ("Olga", "奥尔加", "Ольга"),
    ("Sergei", "谢尔盖", "Сергей"),
    ("Anna", "安娜", "Анна"),
    ("Dmitry", "德米特里", "Дмитрий"),
    ("Elena", "叶莲娜", "Елена"),
)
LAST = (
    ("Wang", "王", "Ван"),
    ("Li", "李", "Ли"),
    ("Zhang", "张", "Чжан"),
    ("Liu", "刘", "Лю"),
    ("Chen", "陈", "Чэнь"),
    ("Yang", "杨", "Ян"),
    ("Zhao", "赵", "Чжао"),
    ("Huang", "黄", "Хуан"),
    ("Ivanov", "伊万诺夫", "Иванов"),
    ("Petrov", "彼得罗夫", "Петров"),
    ("Sokolov", "索科洛夫", "Соколов"),
    ("Volkov", "沃尔科夫", "Волков"),
    ("Kuznetsov", "库兹涅佐夫", "Кузнецов"),
    ("Zhou", "周", "Чжоу"),
)
APP_WORDS = ("Pay", "Chat", "Video", "Maps", "Cloud", "Music", "Mail", "Browser", "Reader", "Scan")
# exchange, ticker suffix, ISIN country, share of securities
EXCHANGES = (
    ("HKEX", ".HK", "HK", 0.30),
    ("SSE", ".SS", "CN", 0.25),
    ("SZSE", ".SZ", "CN", 0.25),
    ("NYSE", "", "US", 0.10),
    ("NASDAQ", "", "US", 0.10),
)

FIRST_SEEN = "2021-09-01T06:00:00"
LAST_SEEN = "2026-11-20T06:00:00"
DELTA_SEEN = "2026-11-21T06:00:00"
_MIX = 0x9E3779B97F4A7C15


def entity_id(seed: int, n: int) -> str:
    """A stable, unique, OpenSanctions-looking id for the n-th entity (a bijection of n)."""
    return f"NK-{((n + 1) * _MIX ^ seed) & 0xFFFFFFFFFFFF:012x}"


def isin(country: str, n: int) -> str:
    """A well-formed ISIN (Luhn check digit over the letters-as-numbers expansion)."""
    body = f"{country}{n:09d}"
    digits = "".join(str(int(c, 36)) for c in body)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return body + str((10 - total % 10) % 10)


def _letters(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 26)
        out.append(chr(65 + r))
    return "".join(reversed(out))


def ticker_code(exchange: str, k: int) -> str:
    """The k-th code on an exchange, spread over its code space and unique for k below its size."""
    if exchange == "HKEX":
        return f"{1 + (k * 7919) % 9998:04d}" if k < 9998 else f"{10000 + (k * 7919) % 89999:05d}"
    if exchange == "SSE":
        return f"{600000 + (k * 7919) % 99999:06d}"
    if exchange == "SZSE":
        return f"{(k * 7919) % 399999 + 1:06d}"
    return _letters((k * 7919) % 26**4, 2 + k % 3) if k < 26**2 else _letters((k * 7919) % 26**4, 4)


def _day(rng: random.Random, start_year: int = 2015, span_days: int = 3650) -> str:
    d = rng.randrange(span_days)
    year = start_year + d // 365
    doy = d % 365
    month = min(doy // 31 + 1, 12)
    return f"{year:04d}-{month:02d}-{doy % 28 + 1:02d}"


class Corpus:
    """Writes the entities in order; remembers the few it needs for references and the delta."""

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = 0
        n_bodies = max(len(REAL_BODIES), size // 200)
        n_orders = len(REAL_ORDERS) + size // 50_000
        rest = max(size - n_bodies - n_orders, 0)
        self.counts = {
            "PublicBody": n_bodies,
            "Document": n_orders,
            "Company": max(int(rest * 0.38), 10),
            "Person": int(rest * 0.06),
            "Asset": max(int(rest * 0.01), 3),
            "Security": int(rest * 0.12),
            "Ownership": int(rest * 0.14),
            "Directorship": int(rest * 0.03),
        }
        self.counts["UnknownLink"] = self.counts["Asset"]
        self.counts["Sanction"] = max(size - sum(self.counts.values()), 0)
        self.companies: list[str] = []
        self.persons: list[str] = []
        self.apps: list[str] = []
        self.developers: list[str] = []
        self.bodies: list[str] = []

    def _base(self, schema: str, caption: str, props: dict[str, list[str]], datasets: list[str]) -> Entity:
        eid = entity_id(self.seed, self.n)
        self.n += 1
        return {
            "id": eid,
            "caption": caption,
            "schema": schema,
            "properties": props,
            "referents": [f"{datasets[0]}-{self.n:x}"],
            "datasets": datasets,
            "first_seen": FIRST_SEEN,
            "last_seen": LAST_SEEN,
            "target": schema in ("Company", "Person", "Asset"),
        }

    def public_bodies(self) -> Iterator[Entity]:
        rng = self.rng
        for i in range(self.counts["PublicBody"]):
            if i < len(REAL_BODIES):
                name, country, abbr, cjk = REAL_BODIES[i]
                props = {"name": [name], "alias": [abbr, cjk], "country": [country]}
            else:
                s1, s2 = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
                ind = rng.choice(INDUSTRIES)
                country = rng.choice(COUNTRIES)
                name = f"State Administration of {ind[0]} {s1[0]}{s2[0].lower()}"
                props = {
                    "name": [name],
                    "alias": [
                        f"国家{ind[1]}{s1[1]}{s2[1]}管理局",
                        f"Госуправление {ind[2]} {s1[2]}{s2[2].lower()}",
                    ],
                    "country": [country],
                }
            entity = self._base("PublicBody", props["name"][0], props, ["gov_bodies"])
            self.bodies.append(entity["id"])
            yield entity

    def orders(self) -> Iterator[Entity]:
        rng = self.rng
        for i in range(self.counts["Document"]):
            if i < len(REAL_ORDERS):
                number, title, signed, fr_doc = REAL_ORDERS[i]
            else:
                number = str(20000 + i)
                title = f"Addressing the Threat Posed by {rng.choice(INDUSTRIES)[0]} Supply Chains"
                signed, fr_doc = _day(rng, 2019, 2000), f"{2020 + i % 5}-{10000 + i}"
            # Only the real orders point into the Federal Register; made-up ones cite a made-up host.
            host = "www.federalregister.gov" if i < len(REAL_ORDERS) else "orders.example.org"
            props = {
                "title": [f"Executive Order {number}: {title}"],
                "name": [f"Executive Order {number}"],
                "alias": [f"EO {number}", f"E.O. {number}"],
                "date": [signed],
                "publishedAt": [signed],
                "publisher": ["Executive Office of the President"],
                "sourceUrl": [f"https://{host}/d/{fr_doc}"],
                "country": ["us"],
            }
            yield self._base("Document", props["name"][0], props, ["us_fed_register"])

    def company(self) -> Entity:
        rng = self.rng
        s1, s2, ind, place, suf = (
            rng.choice(SYLLABLES),
            rng.choice(SYLLABLES),
            rng.choice(INDUSTRIES),
            rng.choice(PLACES),
            rng.choice(SUFFIXES),
        )
        where = f"{place[0]} " if place[0] else ""
        name = f"{where}{s1[0]}{s2[0].lower()} {ind[0]} {suf[0]}"
        aliases = [f"{place[1]}{s1[1]}{s2[1]}{ind[1]}{suf[1]}"]
        if rng.random() < 0.5:
            aliases.append(f"{place[2] + ' ' if place[2] else ''}{s1[2]}{s2[2].lower()} {ind[2]} {suf[2]}")
        if rng.random() < 0.3:
            aliases.append(f"{s1[0]}{s2[0].lower()} {ind[0]}")
        country = rng.choice(COUNTRIES)
        props = {
            "name": [name],
            "alias": aliases,
            "country": [country],
            "jurisdiction": [country],
            "incorporationDate": [_day(rng, 1980, 15000)],
        }
        if rng.random() < 0.2:
            props["leiCode"] = [f"{rng.randrange(10**18):018d}{rng.randrange(100):02d}"]
        entity = self._base("Company", name, props, [rng.choice(DATASETS)])
        self.companies.append(entity["id"])
        return entity

    def person(self) -> Entity:
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first[0]} {last[0]}"
        props = {
            "name": [name],
            "alias": [f"{last[1]}{first[1]}", f"{first[2]} {last[2]}"],
            "firstName": [first[0]],
            "lastName": [last[0]],
            "nationality": [rng.choice(COUNTRIES)],
            "birthDate": [_day(rng, 1950, 15000)],
        }
        entity = self._base("Person", name, props, [rng.choice(DATASETS)])
        self.persons.append(entity["id"])
        return entity

    def app(self) -> Iterator[Entity]:
        rng = self.rng
        developer = rng.choice(self.companies)
        self.developers.append(developer)
        name = f"{rng.choice(SYLLABLES)[0]}{rng.choice(SYLLABLES)[0].lower()} {rng.choice(APP_WORDS)}"
        app = self._base("Asset", name, {"name": [name], "country": ["cn"]}, ["app_bans"])
        self.apps.append(app["id"])
        yield app
        props = {"subject": [developer], "object": [app["id"]], "role": ["developer"]}
        yield self._base("UnknownLink", "developer", props, ["app_bans"])

    def securities(self) -> Iterator[Entity]:
        rng = self.rng
        weights = [x[3] for x in EXCHANGES]
        per_exchange = dict.fromkeys((x[0] for x in EXCHANGES), 0)
        for i in range(self.counts["Security"]):
            exchange, suffix, cc, _ = rng.choices(EXCHANGES, weights)[0]
            k = per_exchange[exchange]
            per_exchange[exchange] = k + 1
            issuer = self.companies[int(len(self.companies) * rng.random() ** 1.5)]
            code = ticker_code(exchange, k)
            props = {
                "name": [f"{exchange} {code} ordinary shares"],
                "isin": [isin(cc, i)],
                "ticker": [f"{code}{suffix}"],
                "issuer": [issuer],
                "country": [cc.lower()],
                "type": ["Ordinary shares" if suffix else "ADS"],
            }
            yield self._base("Security", props["name"][0], props, ["securities"])

    def ownerships(self) -> Iterator[Entity]:
        """Owner → asset edges forming a forest; owners picked by preferential attachment."""
        rng = self.rng
        companies = self.companies
        owned = self.counts["Ownership"]
        # Assets are the later companies; each gets one owner among the earlier ones.
        first_asset = max(len(companies) - owned, 1)
        pool = companies[: max(first_asset // 20, 1)]  # the holdings everything grows from
        for i in range(min(owned, len(companies) - first_asset)):
            asset = companies[first_asset + i]
            owner = pool[int(len(pool) * rng.random())]
            pool.append(owner)  # the rich get richer: a power-law fan-out
            if rng.random() < 0.3:
                pool.append(asset)  # an owned company may own in turn: deeper trees
            props = {
                "owner": [owner],
                "asset": [asset],
                "percentage": [str(rng.choice((51, 60, 75, 100, 100)))],
                "startDate": [_day(rng)],
            }
            yield self._base("Ownership", "Ownership", props, ["company_registry"])

    def directorships(self) -> Iterator[Entity]:
        rng = self.rng
        if not self.persons:
            return
        for _ in range(self.counts["Directorship"]):
            props = {
                "director": [rng.choice(self.persons)],
                "organization": [rng.choice(self.companies)],
                "role": [rng.choice(("Director", "Chairman", "CEO", "Supervisor"))],
                "startDate": [_day(rng)],
            }
            yield self._base("Directorship", "Directorship", props, ["company_registry"])

    def sanction(self, entity: str, program: tuple[str, str, str], dataset: str) -> Entity:
        rng = self.rng
        pid, pname, authority = program
        listed = _day(rng, 2018, 2900)
        props = {
            "entity": [entity],
            "authority": [authority],
            "program": [pname],
            "programId": [pid],
            "listingDate": [listed],
            "startDate": [listed],
            "sourceUrl": [f"https://sanctions.example.org/{pid.lower()}/{self.n}"],
        }
        if rng.random() < 0.3:
            year = int(listed[:4]) + 1 + rng.randrange(3)
            props["endDate"] = [f"{year}{listed[4:]}"]
        return self._base("Sanction", pname, props, [dataset])

    def sanctions(self) -> Iterator[Entity]:
        rng = self.rng
        programs = [(p[0], p[1], p[2]) for p in PROGRAMS]
        weights = [p[3] for p in PROGRAMS]
        datasets = {p[0]: p[4] for p in PROGRAMS}
        total = self.counts["Sanction"]
        on_apps = min(len(self.developers), total // 50)
        for i in range(total):
            if i < on_apps:
                # The app-ban orders name the developer (EO 13942: "any transaction … with ByteDance").
                yield self.sanction(self.developers[i], APP_PROGRAMS[i % len(APP_PROGRAMS)], "app_bans")
                continue
            program = rng.choices(programs, weights)[0]
            pool = self.persons if self.persons and rng.random() < 0.1 else self.companies
            yield self.sanction(pool[int(len(pool) * rng.random())], program, datasets[program[0]])

    def entities(self) -> Iterator[Entity]:
        yield from self.public_bodies()
        yield from self.orders()
        for _ in range(self.counts["Company"]):
            yield self.company()
        for _ in range(self.counts["Person"]):
            yield self.person()
        for _ in range(self.counts["Asset"]):
            yield from self.app()
        yield from self.securities()
        yield from self.ownerships()
        yield from self.directorships()
        yield from self.sanctions()


def delta(corpus: Corpus, touched: dict[str, Entity], rng: random.Random) -> Iterator[Entity]:
    """ADD, MOD and DEL records touching about 1% of the corpus (after ``corpus`` was written)."""
    mods = [e for e in touched.values() if e["schema"] in ("Company", "Person", "Security", "Sanction")]
    dels = [e for e in touched.values() if e["schema"] in ("Ownership", "Directorship", "Sanction")]
    budget = max(corpus.size // 100, 3)
    n_add, n_del = budget * 3 // 10, budget * 2 // 10
    deleted = set()
    for entity in dels[:n_del]:
        deleted.add(entity["id"])
        gone = {k: v for k, v in entity.items() if k in ("id", "schema", "caption", "properties", "datasets")}
        yield {"op": "DEL", "entity": gone}
    for entity in mods[: budget - n_add - n_del]:
        if entity["id"] in deleted:
            continue
        changed = {**entity, "properties": dict(entity["properties"]), "last_seen": DELTA_SEEN}
        props = changed["properties"]
        if entity["schema"] == "Sanction":
            props["endDate"] = ["2026-11-15"]
        elif entity["schema"] == "Security":
            props["ticker"] = [*props["ticker"], f"{props['ticker'][0].split('.')[0]} US"]
        else:
            props["alias"] = [*props.get("alias", []), f"{props['name'][0]} (formerly)"]
        yield {"op": "MOD", "entity": changed}
    corpus.rng = rng
    for i in range(n_add):
        if i % 3 == 2:
            program = PROGRAMS[i % len(PROGRAMS)]
            new = corpus.sanction(corpus.companies[-1], program[:3], program[4])
        else:
            new = corpus.company()
        new["first_seen"] = new["last_seen"] = DELTA_SEEN
        yield {"op": "ADD", "entity": new}


def write_corpus(size: int, out: Path, seed: int = 7) -> tuple[Path, Path]:
    """Write ``ftm-{size}-s{seed}.json`` and its ``.delta.json`` into ``out``; returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    full = out / f"ftm-{size}-s{seed}.json"
    delta_path = out / f"ftm-{size}-s{seed}.delta.json"
    corpus = Corpus(size, seed)
    picker = random.Random(seed + 1)
    touch = set(picker.sample(range(size), min(size, max(size // 50, 10))))
    touched: dict[str, Entity] = {}
    dumps, newline = orjson.dumps, b"\n"
    tmp = full.with_suffix(".tmp")
    with tmp.open("wb", buffering=1 << 20) as fh:
        batch: list[bytes] = []
        for line_no, entity in enumerate(corpus.entities()):
            if line_no in touch:
                touched[entity["id"]] = entity
            batch.append(dumps(entity))
            if len(batch) >= 4096:
                batch.append(b"")
                fh.write(newline.join(batch))
                batch = []
        if batch:
            batch.append(b"")
            fh.write(newline.join(batch))
    tmp.replace(full)
    tmp = delta_path.with_suffix(".tmp")  # written whole, then renamed: no reader sees half a file
    with tmp.open("wb") as fh:
        for record in delta(corpus, touched, picker):
            fh.write(dumps(record) + newline)
    tmp.replace(delta_path)
    return full, delta_path


# --- a file re-stating the same few entities (issue 9: a load's memory grows with the graph, not
# with the file) ---

RESTATED = 5  # companies, each with a sanction


def restated_entity(i: int) -> Entity:
    """Line ``i`` of a file re-stating five companies and a sanction of each, over and over, every
    line with its own ``last_seen`` (a second after the line before), as each line of a re-export
    carries its own: however long the file, the graph it gives is the same.

    >>> restated_entity(0)["id"], restated_entity(1)["id"], restated_entity(10)["id"]
    ('co-0', 'san-0', 'co-0')
    >>> restated_entity(3)["last_seen"]
    '2023-01-01T00:00:03'
    """
    n = i // 2 % RESTATED
    entity: Entity
    if i % 2 == 0:
        properties = {
            "name": [f"Restated Holdings {n}"],
            "country": ["cn"],
            "leiCode": [f"52990000000000000{n}00"],
        }
        entity = {"id": f"co-{n}", "schema": "Company", "properties": properties}
    else:
        properties = {"entity": [f"co-{n}"], "program": ["TEST-PROG"], "listingDate": ["2022-01-01"]}
        entity = {"id": f"san-{n}", "schema": "Sanction", "properties": properties}
    day, second = divmod(i, 86400)
    stamp = f"2023-01-{1 + day % 28:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
    return {**entity, "first_seen": "2022-01-01T00:00:00", "last_seen": stamp}


def write_restated(lines: int, out: Path) -> Path:
    """Write ``restated-{lines}.json`` (:func:`restated_entity` for each line) into ``out`` once;
    its path. Written to a temporary name first, so nobody reads half a file."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"restated-{lines}.json"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb", buffering=1 << 20) as fh:
            for i in range(lines):
                fh.write(orjson.dumps(restated_entity(i)) + b"\n")
        tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="number of entities (lines)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / ".corpus")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    full, delta_path = write_corpus(args.size, args.out, args.seed)
    took = time.perf_counter() - t0
    print(f"{full} ({full.stat().st_size / 2**20:.1f} MiB), {delta_path} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

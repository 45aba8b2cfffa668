"""Tickers in every common spelling, and names with typos."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.names import (
    _one_edit_within,
    adds_holding,
    fold,
    normalise_code,
    normalise_name,
    parse_ticker,
    script_parts,
    similarity,
    similarity_bounds,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1810.HK", ("HKEX", "1810")),
        ("HKEX:1810", ("HKEX", "1810")),
        ("1810 HK", ("HKEX", "1810")),
        ("hkex:01810", ("HKEX", "1810")),
        ("01810", (None, "1810")),
        ("700.HK", ("HKEX", "0700")),
        ("CHL", (None, "CHL")),
        ("NYSE:CHL", ("NYSE", "CHL")),
        ("CHL US", (None, "CHL")),
        ("688012.SS", ("SSE", "688012")),
        ("688012.SH", ("SSE", "688012")),
        ("688012", ("SSE", "688012")),
        ("002415.SZ", ("SZSE", "002415")),
        ("002415 CN", ("SZSE", "002415")),
        ("SHA:688981", ("SSE", "688981")),
    ],
)
def test_ticker_spellings(text: str, expected: tuple[str | None, str]) -> None:
    assert parse_ticker(text) == expected


@pytest.mark.parametrize("text", ["Luokong Technology", "1810.XX", "FOO:1810", "", "a b c"])
def test_not_a_ticker(text: str) -> None:
    assert parse_ticker(text) is None


def test_hk_codes_are_four_digits_but_others_are_kept() -> None:
    assert normalise_code("HKEX", "00700") == "0700"
    assert normalise_code("SZSE", "002415") == "002415"


def test_names_drop_legal_forms_and_punctuation() -> None:
    assert normalise_name("China Unicom (Hong Kong) Limited") == "china unicom hong kong"
    assert normalise_name("AVIC XI’AN AIRCRAFT INDUSTRY GROUP COMPANY LTD.") == normalise_name(
        "AVIC Xi'an Aircraft Industry Group Company Ltd"
    )
    assert normalise_name("Limited") == "limited"


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Semiconductor Manufacturing Intl Corp", "Semiconductor Manufacturing International Corporation"),
        ("Semiconductor Manufacturing Int'l Corp.", "Semiconductor Manufacturing International Corp."),
        ("China Natl Offshore Oil Corp", "China National Offshore Oil Corporation"),
        ("China Nat’l Offshore Oil", "China National Offshore Oil"),
        ("Hangzhou Hikvision Mfg Co", "Hangzhou Hikvision Manufacturing Company"),
        ("AVIC Aircraft Grp", "AVIC Aircraft Group"),
        ("SMIC Hldgs Ltd", "SMIC Holdings Limited"),
        ("SMIC Hldg", "SMIC Holding"),
    ],
)
def test_abbreviations_reporters_and_ofac_write_read_as_the_words(short: str, full: str) -> None:
    """Reuters, exchanges and OFAC write "Intl", "Natl", "Mfg", "Grp", "Hldgs": each reads as the
    word it shortens, so a name so written is the name in full (the legal forms Corp, Co, Ltd were
    set aside already)."""
    assert normalise_name(short) == normalise_name(full)


@pytest.mark.parametrize(
    "name",
    ["Nat L Smith", "Intel Works", "Int Lighting", "Mfgr Works", "Grps"],
)
def test_words_that_only_look_like_an_abbreviation_stay_as_written(name: str) -> None:
    # The apostrophe forms (Int'l, Nat'l) are read only with their apostrophe: "Nat L." is a person.
    assert normalise_name(name) == fold(name)


def test_an_abbreviated_holding_word_names_the_holding_company() -> None:
    assert adds_holding("SMIC Hldgs", "SMIC") and not adds_holding("SMIC Hldgs Ltd", "SMIC Holdings Limited")


@pytest.mark.parametrize(
    ("chinese", "latin", "core"),
    [
        ("华为技术有限公司", "Huawei Technologies Co., Ltd.", ("华为技术", "huawei technologies")),
        ("杭州海康威视数字技术股份有限公司", "Hangzhou Hikvision Digital Technology Co., Ltd.", None),
        ("小米科技有限责任公司", "Xiaomi Technology LLC", ("小米科技", "xiaomi technology")),
        ("華為投資控股有限公司", "Huawei Investment Holding Co., Ltd.", ("华为投资", "huawei investment")),
        (
            "中國移動（香港）有限公司",
            "China Mobile (Hong Kong) Limited",
            ("中国移动 香港", "china mobile hong kong"),
        ),
        ("中国移动通信集团公司", "China Mobile Communications Group Company", None),
        ("小米集团", "Xiaomi Group", ("小米集团", "xiaomi group")),  # a group is not a legal form
        ("中国航空工业(集团)有限公司", "Aviation Industry (Group) Co., Ltd.", None),
        ("有限公司", "Limited", ("有限公司", "limited")),  # kept when nothing else is left
    ],
)
def test_chinese_legal_forms_are_set_aside_as_latin_ones_are(
    chinese: str, latin: str, core: tuple[str, str] | None
) -> None:
    """One rule for both scripts: what "Co., Ltd.", "Limited", "LLC" and "Holding" are to a Latin name,
    有限公司, 股份有限公司, 有限责任公司 and 控股 are to a Chinese one (Hong Kong's traditional
    forms folded first); "Group" and 集团 stay in both."""
    cn, en = normalise_name(chinese), normalise_name(latin)
    if core is not None:
        assert (cn, en) == core
    for form in ("有限", "公司", "控股"):
        assert form not in cn or cn == "有限公司"
    assert ("集团" in cn) == ("group" in en)


def test_typos_score_higher_than_strangers() -> None:
    target = normalise_name("Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert similarity("hikvison", target) > 80
    assert similarity("hikvison", normalise_name("China Mobile Limited")) < 60


def test_chinese_names_alike_only_in_common_characters_are_strangers() -> None:
    # 中国 ("China"), 集团 ("group"), 有限公司 ("limited company") say nothing of which company it is.
    assert similarity("中国移动", "中国动力") < 70
    assert similarity("中国联通", "中国卫通") < 70
    assert similarity("中国移动", "中国移动通信集团有限公司") > 85
    assert similarity("中国电信有限公司", "中国电信集团有限公司") > 80


def test_a_chinese_name_one_character_off_is_found() -> None:
    assert similarity("海康威事", "海康威视") >= 80
    assert similarity("中国移动通讯集团有限公司", "中国移动通信集团有限公司") >= 80
    # Two characters of one's own: one off leaves a single character, which is no evidence.
    assert similarity("中国移栋", "中国动力") < 70


def test_chinese_bounds_are_never_below_the_score() -> None:
    query = "中国移动通讯"
    names = ["中国移动通信集团有限公司", "中国动力", "中国联通 bvi 有限公司", "移动", "china mobile"]
    bounds = similarity_bounds(query, names)
    assert all(b >= similarity(query, n) for b, n in zip(bounds, names, strict=True))


def test_a_two_character_chinese_name_one_off_is_found_by_its_context_when_asked() -> None:
    # 移栋 for 移动 (China Mobile): one of its two own characters off; 中国 before it, in the same
    # place, makes the whole query one character from the name. 中国动力 shares only 中国.
    def loose(query: str, name: str) -> float:
        return similarity(query, name, short_typos=True)

    mobile = loose("中国移栋", "中国移动有限公司")
    assert mobile >= 70
    assert mobile < similarity("中国移动", "中国移动有限公司")  # below the name spelt right
    assert similarity("中国移栋", "中国移动有限公司") < 60  # only when asked: 中国联通 is one off 中国卫通
    assert loose("中国联通", "中国卫通") >= 70
    assert loose("中国移栋", "中国动力") < 60
    assert loose("中国移动", "中国动力") < 60  # one dropped is not one replaced
    assert loose("中国联栋", "中国卫通") < 60  # 中国联通's typo is not China Satcom
    assert loose("中国移栋", "中国石化移动能源有限公司") < 60  # 移 shared, not in its place
    assert loose("移栋", "中国移动有限公司") < 60  # no context: a single character is no evidence
    names = ["中国移动有限公司", "中国动力", "中国移动通信集团有限公司"]
    bounds = similarity_bounds("中国移栋", names, short_typos=True)
    assert bounds == [loose("中国移栋", n) for n in names]


def test_mixed_script_queries_split_into_their_scripts() -> None:
    assert script_parts("小米 xiaomi") == ["小米", "xiaomi"]
    assert script_parts("xiaomi小米") == ["小米", "xiaomi"]
    assert script_parts("华为 technologies co") == ["华为", "technologies co"]
    assert script_parts("xiaomi") == ["xiaomi"]
    assert script_parts("小米 集团") == ["小米 集团"]
    assert script_parts("газпром gazprom") == ["газпром gazprom"]  # spaced scripts are read as words


@settings(max_examples=2000, deadline=None)
@given(st.text("abc", min_size=2, max_size=6), st.text("abc", max_size=10), st.booleans())
def test_one_edit_within_finds_what_comparing_every_stretch_finds(
    word: str, text: str, any_edit: bool
) -> None:
    from rapidfuzz.distance import Levenshtein

    changes = (-1, 0, 1) if any_edit else (0,)  # (0,): one character replaced, no shorter stretch
    stretches = [
        text[at : at + len(word) + c] for c in changes for at in range(len(text) - len(word) - c + 1)
    ]
    expected = any(Levenshtein.distance(word, s) <= 1 for s in stretches)
    assert _one_edit_within(word, text, changes) == expected


def test_a_name_ending_in_the_query_cut_short_is_not_one_replaced() -> None:
    assert similarity("中国移栋", "公司中国移", short_typos=True) < 60  # 中国移 is one dropped, not replaced


def test_a_chinese_short_name_made_of_the_full_names_characters_is_found() -> None:
    """中国联通 is China Unicom's short name, its characters taken in order from 中国联合网络通信
    (中国海油 from 中国海洋石油): found in the 80s, below a name carrying the query as typed."""
    group = similarity("中国联通", normalise_name("中国联合网络通信集团有限公司"))
    hong_kong = similarity("中国联通", normalise_name("中国联合网络通信(香港)股份有限公司"))
    assert 80 <= hong_kong <= group < 90
    assert group < similarity("中国联通", normalise_name("中国联通(BVI)有限公司"))
    assert similarity("中国海油", normalise_name("中国海洋石油集团有限公司")) >= 80


@pytest.mark.parametrize(
    ("query", "full"),
    [
        ("中海油", "中国海洋石油集团有限公司"),  # CNOOC: 中(国)海(洋石)油
        ("中海油", "中国海洋石油有限公司"),  # CNOOC Limited
        ("中石化", "中国石油化工集团有限公司"),  # Sinopec: 中(国)石(油)化(工)
        ("中移动", "中国移动有限公司"),  # China Mobile: 中(国)移动
        ("中远海运", "中国远洋海运集团有限公司"),  # COSCO Shipping: 中(国)远(洋)海运
        ("中電科", "中国电子科技集团有限公司"),  # CETC, typed in traditional characters
    ],
)
def test_a_short_name_whose_first_character_stands_for_china_is_found(query: str, full: str) -> None:
    """State companies' short names take 中 for 中国 and then characters of the rest, in order:
    found as 中国联通 is in 中国联合网络通信, in the 80s."""
    assert 80 <= similarity(normalise_name(query), normalise_name(full)) < 90


@pytest.mark.parametrize(
    ("query", "stranger"),
    [
        (
            "中信",
            "中国电信集团有限公司",
        ),  # CITIC is not China Telecom: 中 and one more character is no short name
        ("中海", "中国海洋石油集团有限公司"),  # China Shipping's short name, not CNOOC's
        ("中海油", "中国海运集团有限公司"),  # China Shipping: no 油
        ("中石油", "中国石油化工集团有限公司"),  # PetroChina's short name: Sinopec's ends in 化工, not 油
        ("中电科", "中国电子信息产业集团有限公司"),  # CETC is not China Electronics: 科 nowhere near its end
        ("中海油", "海洋石油工程股份有限公司"),  # Offshore Oil Engineering: its name has no 中国 for 中
        ("中国卫通", "卫士通"),  # Westone: no 中国
        ("中国移动", "中国船舶重工集团动力股份有限公司"),  # 移 nowhere
        ("中国联通", "中国卫星通信集团有限公司"),  # 联 nowhere
        ("中国联通", "中国通信联合会"),  # the characters out of order
    ],
)
def test_a_short_name_is_not_read_in_a_strangers_name(query: str, stranger: str) -> None:
    assert similarity(query, normalise_name(stranger)) < 60


def test_every_character_with_a_combining_class_is_below_the_table_end() -> None:
    import sys
    import unicodedata

    from graph.names import _COMBINING_END

    beyond = [cp for cp in range(_COMBINING_END, sys.maxunicode + 1) if unicodedata.combining(chr(cp))]
    assert beyond == []


def _fold_per_character(text: str) -> str:
    """fold as it was written before its translate table: the marks dropped one character at a time."""
    import unicodedata

    from graph.hanzi import simplified

    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = simplified("".join(c for c in text if not unicodedata.combining(c)))
    text = text.replace("’", "'").replace("&", " and ").lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@settings(max_examples=300, deadline=None)
@given(
    st.text()
    | st.sampled_from(
        ["Société Générale", "Ханчжоу Синго Софтвер Холдингс Лтд.", "中國移動（香港）", "Đặng Thị Ngọc Thịnh"]
    )
)
def test_fold_drops_the_same_marks_as_one_character_at_a_time(text: str) -> None:
    from graph.names import fold

    assert fold(text) == _fold_per_character(text)


_CHINESE = st.text(st.sampled_from("中国移动联通华为小米集团有限公司科技北京深圳"), min_size=1, max_size=8)
_NAME = st.lists(
    _CHINESE | st.sampled_from(["xiaomi", "beijing", "hengguo", "пекин", "сичжи", "中国", "ltd"]),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_CHINESE, _NAME, st.booleans())
def test_a_chinese_query_scores_a_name_the_same_whether_or_not_its_script_is_checked_first(
    query: str, name: str, short_typos: bool
) -> None:
    from unittest import mock

    import graph.names as names

    fast = names._cjk_similarity(query, name, short_typos)
    # Every name taken as having Chinese characters: scored the whole way.
    with mock.patch.object(names, "_CJK_RUN", re.compile("")):
        assert fast == names._cjk_similarity(query, name, short_typos)

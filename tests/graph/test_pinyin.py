"""Latin words read as pinyin, and the characters of a name they spell (graph/pinyin.py)."""

from __future__ import annotations

import pytest

from graph import pinyin


@pytest.mark.parametrize(
    ("text", "ways"),
    [
        ("haikang", [("hai", "kang")]),
        ("haikang weishi", [("hai", "kang", "wei", "shi")]),
        ("zhongguoyidong", [("zhong", "guo", "yi", "dong")]),
        ("huawei", [("hua", "wei")]),  # not hu-a-wei: pinyin writes a syllable beginning with a vowel apart
        ("changan", [("chan", "gan"), ("chang", "an")]),  # after n or g it is often run on (Chang'an)
        ("lushi", [("lu", "shi")]),  # lü is read lu, as graph.names.fold reads it
        ("hai", []),  # one syllable: too many characters to stand for
        # A space parts syllables as the apostrophe does: one a word, read together (note 36).
        ("hai kang", [("hai", "kang")]),
        ("hai kang wei shi", [("hai", "kang", "wei", "shi")]),
        ("hai er", [("hai", "er")]),  # 海尔: written apart, a syllable may begin with a vowel
        ("hai semiconductor", []),  # every word pinyin, or none is read
        ("semiconductor", []),
        ("hikvision", []),
        ("tencent", []),  # n is an interjection's reading (嗯), no name's
        ("1810", []),
    ],
)
def test_a_latin_text_is_read_as_pinyin_syllables_in_every_way_it_can_be(
    text: str, ways: list[tuple[str, ...]]
) -> None:
    assert pinyin.spellings(text) == ways


def test_every_reading_of_a_character_is_kept_without_its_tones() -> None:
    read = pinyin.readings()
    assert read["海"] == {"hai"}
    assert {"xing", "hang"} <= read["行"]  # 银行 (bank) is yin-hang, 行业 (trade) hang-ye, 行 (go) xing
    assert read["绿"] == {"lu"}  # lǜ
    assert "海" in pinyin.characters()["hai"] and "海" not in pinyin.characters()["kang"]
    assert "東" not in pinyin.characters()["dong"]  # traditional: names are matched folded to 东


def test_a_reading_spells_a_run_of_a_names_characters_else_one_each_in_order() -> None:
    assert pinyin.spells(pinyin.spellings("haikang"), "杭州海康威视数字技术") == "海康"
    assert pinyin.spells(pinyin.spellings("yinhang"), "中国工商银行") == "银行"  # 行 read hang
    assert pinyin.spells(pinyin.spellings("zhonghaiyou"), "中国海洋石油") == "中海油"
    assert pinyin.spells(pinyin.spellings("haikang"), "海尔智家") is None
    assert pinyin.spells(pinyin.spellings("kanghai"), "海康威视") is None  # out of order

"""Tickers in every common spelling, and names with typos."""

from __future__ import annotations

import pytest

from graph.names import normalise_code, normalise_name, parse_ticker, similarity


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


def test_typos_score_higher_than_strangers() -> None:
    target = normalise_name("Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert similarity("hikvison", target) > 80
    assert similarity("hikvison", normalise_name("China Mobile Limited")) < 60

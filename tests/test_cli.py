"""The `ordergraph` command on the curated corpus: the questions reporters ask.

Each test runs the real CLI (in-process) and reads its JSON contract.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli.explore import PATH_SKIPS
from graph.store.memory import MemoryStore
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[1]


def _affects(cli: Cli, ticker: str, as_of: str, *extra: str) -> dict[str, Any]:
    result = cli("affects", ticker, "--as-of", as_of, "--json", *extra)
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def _orders(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["number"]: o for o in data["orders"]}


def _path_nodes(path: list[dict[str, Any]]) -> list[str]:
    return [step["id"] for step in path[::2]]


def _path_edges(path: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return path[1::2]


def test_china_telecom_hk_after_the_subsidiary_date(cli: Cli) -> None:
    data = _affects(cli, "0728.HK", "2021-03-10")
    security = data["security"]
    assert (security["id"], security["exchange"], security["code"]) == ("SEC:HKEX:0728", "EXCH:HKEX", "0728")
    order = _orders(data)["13959"]
    assert (order["id"], order["restriction"], order["status"]) == ("EO:13959", "securities", "in_force")
    assert [a["id"] for a in order["amended_by"]] == ["EO:13974"]
    nodes = [_path_nodes(p) for p in order["paths"]]
    # Its own NS-CCMC listing explains it; the parent's §1237 listing reaches it only on a disputed
    # reading of EO 13959 (OFAC FAQ 857: only subsidiaries Treasury lists), a claim, not a "why" path.
    assert nodes == [["SEC:HKEX:0728", "ORG:china-telecom-corp-ltd", "LIST:OFAC-NS-CCMC", "EO:13959"]]
    listings = {
        (e["target"], e["start"]) for p in order["paths"] for e in _path_edges(p) if e["kind"] == "LISTED_ON"
    }
    assert listings == {("LIST:OFAC-NS-CCMC", "2021-01-08")}
    assert any("parent China Telecommunications Corporation listed" in c["basis"] for c in order["claims"])
    for path in order["paths"]:
        for edge in _path_edges(path):
            assert set(edge) >= {"id", "kind", "start", "end", "sources"}
            assert edge["sources"] and edge["sources"][0]["url"].startswith("http")
    assert order["sources"] and order["title"].startswith("Addressing the Threat")


SUBSIDIARY_TICKERS = [
    "0941.HK",
    "0728.HK",
    "0762.HK",
    "0883.HK",
    "NYSE:CHA",
    "NYSE:CHL",
    "NYSE:CHU",
    "NYSE:CEO",
]


@pytest.mark.parametrize("ticker", SUBSIDIARY_TICKERS)
@pytest.mark.parametrize("as_of", ["2021-01-11", "2021-02-15", "2021-03-08"])
def test_the_four_subsidiaries_show_both_claims_in_the_window(cli: Cli, ticker: str, as_of: str) -> None:
    data = _affects(cli, ticker, as_of)
    order = _orders(data)["13959"]
    assert (order["status"], order["applies_from"]) == ("pending", "2021-03-09")
    claims: dict[str, list[dict[str, Any]]] = {}
    for claim in order["claims"]:
        claims.setdefault(claim["applies_from"], []).append(claim)
    # OFAC's GL 1A note / FAQ 879: 2021-03-09. The other reading: the telcos' ADRs from
    # 2021-01-11 (OFAC guidance to the NYSE); CNOOC Ltd from its parent's 2021-02-01.
    other = "2021-02-01" if ticker in ("0883.HK", "NYSE:CEO") else "2021-01-11"
    assert set(claims) == {"2021-03-09", other}
    assert {c["status"] for c in claims["2021-03-09"]} == {"pending"}
    assert {c["status"] for c in claims[other]} == {"in_force" if as_of >= other else "pending"}
    urls = {date: " ".join(s["url"] for c in group for s in c["sources"]) for date, group in claims.items()}
    assert "general-license-1" in urls["2021-03-09"].lower()
    assert all(c["sources"] for c in order["claims"])
    if ticker in ("NYSE:CHA", "NYSE:CHL", "NYSE:CHU"):
        assert data["exchange_status"]["state"] == "suspended"
        assert "ir.theice.com" in urls["2021-01-11"]


@pytest.mark.parametrize("ticker", SUBSIDIARY_TICKERS)
def test_the_four_subsidiaries_are_in_force_from_2021_03_09(cli: Cli, ticker: str) -> None:
    order = _orders(_affects(cli, ticker, "2021-03-09"))["13959"]
    assert (order["status"], order["applies_from"]) == ("in_force", "2021-03-09")


def test_nyse_chl_claims_and_suspension(cli: Cli) -> None:
    data = _affects(cli, "NYSE:CHL", "2021-02-01")
    order = _orders(data)["13959"]
    assert {(c["applies_from"], c["status"]) for c in order["claims"]} == {
        ("2021-01-11", "in_force"),
        ("2021-03-09", "pending"),
    }
    nyse = [c for c in order["claims"] if any("ir.theice.com" in s["url"] for s in c["sources"])]
    assert nyse and nyse[0]["applies_from"] == "2021-01-11"
    status = data["exchange_status"]
    assert (status["state"], status["since"], status["by"]["id"]) == ("suspended", "2021-01-11", "EXCH:NYSE")
    assert status["sources"]


@pytest.mark.parametrize(
    ("shares", "ads"), [("0728.HK", "NYSE:CHA"), ("0941.HK", "NYSE:CHL"), ("0762.HK", "NYSE:CHU")]
)
def test_nyses_notice_on_the_ads_is_no_reading_of_the_hong_kong_shares(
    cli: Cli, shares: str, ads: str
) -> None:
    """NYSE's notice of 2021-01-06 quotes OFAC's guidance on the telcos' NYSE ADRs (CHA, CHL, CHU):
    its 2021-01-11 is a reading of the ADSs' start of prohibitions (``about`` on the listing's
    disputed value), not of the company's Hong Kong shares, whose other 2021-01-11 reading is the
    disputed reach through the parent, on its own sources. The ADS's claim says which security."""
    nyse = "ir.theice.com"
    order = _orders(_affects(cli, shares, "2021-02-01"))["13959"]
    assert not [c for c in order["claims"] if any(nyse in s["url"] for s in c["sources"])]
    assert any(c["applies_from"] == "2021-01-11" and "parent" in c["basis"] for c in order["claims"])
    text = cli("affects", shares, "--on", "2021-02-01").out
    assert nyse not in text and "NYSE" not in text.split("in short:")[1].split("\n")[0]
    on_ads = _affects(cli, ads, "2021-02-01")
    (claim,) = [c for c in _orders(on_ads)["13959"]["claims"] if any(nyse in s["url"] for s in c["sources"])]
    assert claim["applies_from"] == "2021-01-11"
    assert claim["basis"].endswith(f"as the start of prohibitions for {on_ads['security']['name']}")
    said = "OFAC (guidance to the NYSE, quoted in NYSE's notice) of 2021-01-05 gave 2021-01-11 as the start"
    assert said in cli("affects", ads, "--on", "2021-02-01").out
    # `show` of the company says which security the other reading speaks of.
    issuer = _path_nodes(_orders(on_ads)["13959"]["paths"][0])[1]
    shown = cli("show", issuer).out
    assert f"Prohibitions apply from: 2021-01-11 for {on_ads['security']['name']} (OFAC's guidance" in shown


@pytest.mark.parametrize("ticker", ["NYSE:CHA", "NYSE:CHL", "NYSE:CHU"])
@pytest.mark.parametrize(
    ("as_of", "state", "since"),
    [
        ("2020-12-30", None, None),
        ("2021-01-03", "delisting_announced", "2020-12-31"),
        ("2021-01-05", "delisting_withdrawn", "2021-01-04"),
        ("2021-01-07", "delisting_announced", "2021-01-06"),
        ("2021-01-11", "suspended", "2021-01-11"),
    ],
)
def test_the_nyse_announced_withdrew_and_announced_again(
    cli: Cli, ticker: str, as_of: str, state: str | None, since: str | None
) -> None:
    status = _affects(cli, ticker, as_of)["exchange_status"]
    assert (status and (status["state"], status["since"])) == (state and (state, since))
    if status:
        assert status["sources"]


def test_affects_prints_the_exchange_status_of_each_day(cli: Cli) -> None:
    before, after = (cli("affects", "NYSE:CHL", "--as-of", day).out for day in ("2021-01-05", "2021-01-07"))
    assert "exchange: delisting withdrawn by New York Stock Exchange since 2021-01-04" in before
    assert "exchange: delisting announced by New York Stock Exchange since 2021-01-06" in after


def test_an_amending_order_is_named_as_every_other_row_names_an_order(cli: Cli) -> None:
    """``EO 13974 — <its title> (signed <day>)``, not the node's name ``Executive Order 13974: …``;
    the JSON keeps the amending order's id."""
    text = cli("affects", "NYSE:CHL", "--as-of", "2021-02-01").out
    assert "  amended by: EO 13974 — Amending Executive Order 13959 (signed 2021-01-13)\n" in text
    assert "Executive Order 13974" not in text
    (amending,) = _orders(_affects(cli, "NYSE:CHL", "2021-02-01"))["13959"]["amended_by"]
    assert (amending["id"], amending["number"], amending["signed"]) == ("EO:13974", "13974", "2021-01-13")


def test_nyse_chl_is_delisted_later(cli: Cli) -> None:
    status = _affects(cli, "CHL", "2021-06-01")["exchange_status"]
    assert status["state"] == "delisted" and status["since"] == "2021-05-18"


def test_xiaomi_pending_before_its_ban(cli: Cli) -> None:
    order = _orders(_affects(cli, "1810.HK", "2021-02-01"))["13959"]
    assert (order["status"], order["applies_from"]) == ("pending", "2021-03-15")
    assert _path_nodes(order["paths"][0]) == ["SEC:HKEX:1810", "ORG:xiaomi", "LIST:DOD-1237", "EO:13959"]


def test_xiaomi_enjoined_by_the_court(cli: Cli) -> None:
    order = _orders(_affects(cli, "1810.HK", "2021-03-13"))["13959"]
    assert order["status"] == "enjoined"
    assert [c["id"] for c in order["enjoined_by"]] == ["CASE:DDC:1:21-cv-00280"]
    (injunction,) = order["injunctions"]
    assert (injunction["case"]["id"], injunction["court"], injunction["since"], injunction["until"]) == (
        "CASE:DDC:1:21-cv-00280",
        "D.D.C.",
        "2021-03-12",
        "2021-05-25",
    )
    assert injunction["sources"][0]["kind"] == "court"


@pytest.mark.parametrize(
    ("ticker", "as_of", "line"),
    [
        (
            "1810.HK",
            "2021-03-13",
            "  enjoined by: Xiaomi Corporation v. U.S. Department of Defense (D.D.C.) on 2021-03-12, "
            "for this company (https://law.justia.com/cases/federal/district-courts/district-of-columbia/dcdce/1:2021cv00280/226816/21/)",
        ),
        (
            "LKCO",
            "2021-05-07",
            "  enjoined by: Luokung Technology Corp. v. U.S. Department of Defense (D.D.C.) on 2021-05-05, "
            "for this company (https://law.justia.com/cases/federal/district-courts/district-of-columbia/dcdce/1:2021cv00583/228352/33/)",
        ),
        (
            "0700.HK",
            "2020-10-01",
            "  enjoined by: U.S. WeChat Users Alliance v. Trump (N.D. Cal.) on 2020-09-19, nationwide "
            "(https://assets.documentcloud.org/documents/7213825/WE-CHAT-USERS-ALLIANCE-ORDER-GRANTING-MOTION-for.txt)",
        ),
    ],
)
def test_enjoined_by_gives_the_court_the_day_and_the_ruling(
    cli: Cli, ticker: str, as_of: str, line: str
) -> None:
    result = cli("affects", ticker, "--as-of", as_of)
    assert result.code == 0, result.err
    assert line in result.out.splitlines()


def test_xiaomi_after_the_vacatur_and_why(cli: Cli) -> None:
    data = _affects(cli, "1810.HK", "2021-06-01")
    assert data["orders"] == []
    reasons = [e["reason"] for e in data["explanations"] if e["order"] and e["order"]["id"] == "EO:13959"]
    assert any(r.startswith("Xiaomi Corporation was on DoD") and "until 2021-05-25" in r for r in reasons)
    text = cli("affects", "1810.HK", "--as-of", "2021-06-01", "--explain")
    assert text.code == 0
    assert "no order restricts it" in text.out and "not: Xiaomi Corporation was on DoD" in text.out


def test_amec_star_market_before_and_after_june_2021(cli: Cli) -> None:
    before = _orders(_affects(cli, "688012.SS", "2021-05-01"))
    assert (before["13959"]["status"], before["13959"]["applies_from"]) == ("in_force", "2021-03-15")
    data = _affects(cli, "688012.SS", "2021-07-01")
    assert data["orders"] == []
    assert data["security"]["id"] == "SEC:SSE:688012"
    reasons = " ".join(e["reason"] for e in data["explanations"])
    assert (
        "Advanced Micro-Fabrication Equipment Inc. China was on DoD" in reasons
        and "until 2021-06-03" in reasons
    )


def test_tencent_app_orders_then_revocation(cli: Cli) -> None:
    orders = _orders(_affects(cli, "0700.HK", "2021-03-01"))
    assert {n: (o["status"], o["restriction"]) for n, o in orders.items()} == {
        "13971": ("pending", "transactions"),
        "13943": ("enjoined", "transactions"),
    }
    apps = {step["id"] for p in orders["13971"]["paths"] for step in p[::2] if step["kind"] == "App"}
    assert apps == {"APP:qq-wallet", "APP:tencent-qq", "APP:wechat-pay"}
    later = _affects(cli, "0700.HK", "2021-07-01", "--explain")
    assert later["orders"] == []
    assert any("14034" in e["reason"] and "revoked" in e["reason"] for e in later["explanations"])


def test_annex_company_between_orders_shows_14032_pending(cli: Cli) -> None:
    july = _orders(_affects(cli, "0941.HK", "2021-07-01"))
    assert set(july) == {"14032"}
    assert (july["14032"]["status"], july["14032"]["applies_from"]) == ("pending", "2021-08-02")
    september = _orders(_affects(cli, "0941.HK", "2021-09-01"))
    assert september["14032"]["status"] == "in_force"


def test_later_ns_cmic_addition(cli: Cli) -> None:
    data = _orders(_affects(cli, "603019.SH", "2022-01-10"))
    assert (data["14032"]["status"], data["14032"]["applies_from"]) == ("pending", "2022-02-14")


def test_luokung_enjoined_after_relisting(cli: Cli) -> None:
    order = _orders(_affects(cli, "LKCO", "2021-05-06"))["13959"]
    assert order["status"] == "enjoined"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1810.HK", "SEC:HKEX:1810"),
        ("HKEX:1810", "SEC:HKEX:1810"),
        ("1810 HK", "SEC:HKEX:1810"),
        ("01810", "SEC:HKEX:1810"),
        ("CHL", "SEC:NYSE:CHL"),
        ("NYSE:CHL", "SEC:NYSE:CHL"),
        ("688012.SS", "SEC:SSE:688012"),
        ("688012.SH", "SEC:SSE:688012"),
        ("Luokong", "ORG:luokung"),
        ("Grand China Aie", "ORG:grand-china-air"),
        ("Hikvison", "ORG:hikvision"),
    ],
)
def test_spellings_resolve_to_one_entity(cli: Cli, text: str, expected: str) -> None:
    shown = cli("show", text, "--json")
    assert shown.code == 0, shown.err
    assert shown.json()["id"] == expected
    hits = cli("search", text, "--json").json()
    assert hits[0]["id"] == expected
    assert set(hits[0]) == {"id", "kind", "name", "score", "exact"}


def test_a_tickers_exact_hit_is_set_apart_from_looser_ones(cli: Cli) -> None:
    """As the app's search: 1810.HK's own security first, HKEX 1800 and 0981 under a line of their
    own; so is an entity named exactly the text (Xiaomi Corporation for "Xiaomi", China Mobile
    Limited for its alias 中国移动); a typo's hits (none exact) are one list; --json is the hits as
    they were."""
    lines = cli("search", "1810.HK").out.splitlines()
    assert "SEC:HKEX:1810" in lines[0] and lines[1] == "other, looser matches:", lines
    assert any("SEC:HKEX:0981" in line for line in lines[2:]), lines
    assert [h["id"] for h in cli("search", "1810.HK", "--json").json()][:1] == ["SEC:HKEX:1810"]
    for text, exact in [("Xiaomi", "ORG:xiaomi"), ("中国移动", "ORG:china-mobile-ltd")]:
        lines = cli("search", text).out.splitlines()
        assert exact in lines[0] and lines[1] == "other, looser matches:", lines
    assert "other, looser matches:" not in cli("search", "Luokong").out


def test_search_json_says_which_hits_are_exact(cli: Cli) -> None:
    """--json marks the hits the text shows above "other, looser matches:" (by id, ticker,
    identifier, or a name or alias that is the text) with "exact": true, the rest false; a typo's
    hits, none exact, are all false."""
    for query, exact in [
        ("1810.HK", ["SEC:HKEX:1810"]),
        ("Xiaomi", ["ORG:xiaomi"]),
        ("EO 13959", ["EO:13959"]),
    ]:
        hits = cli("search", query, "--json").json()
        assert [h["id"] for h in hits if h["exact"]] == exact
        assert len(hits) > 1 and all(h["exact"] is False for h in hits[1:])
        text = cli("search", query).out.split("other, looser matches:")[1]
        assert all(h["id"] in text for h in hits[1:])
    assert {h["exact"] for h in cli("search", "Luokong", "--json").json()} == {False}


def test_unknown_entity_suggests(cli: Cli) -> None:
    assert cli("show", "Xiaomy", "--json").json()["id"] == "ORG:xiaomi"
    near = cli("affects", "1811.HK")
    assert near.code == 2 and "did you mean" in near.err and "SEC:HKEX:1810" in near.err
    typo = cli("show", "ORG:xiaomii")
    assert typo.code == 2 and "did you mean" in typo.err and "ORG:xiaomi" in typo.err


@pytest.mark.parametrize("ticker", ["9999.HK", "NYSE:ZZZ"])
def test_an_unknown_ticker_suggests_what_works(cli: Cli, ticker: str) -> None:
    """A ticker no listing has (nor one a slip away) names the codes nearest it on its exchange
    and a command listing them all, which runs and lists them; not a search for it (done already)."""
    missing = cli("affects", ticker)
    assert missing.code == 2 and f"unknown entity '{ticker}'" in missing.err
    assert "ordergraph search" not in missing.err
    nearest = re.findall(r"(SEC:[A-Z]+:\w+) \(", missing.err)
    assert len(nearest) >= 3
    command = re.search(r"; all (\d+): `ordergraph (show EXCH:[A-Z]+)`", missing.err)
    if command is None:  # the suggestions are every listing it holds there: no command for "all"
        assert re.search(rf"; the {len(nearest)} codes it holds there: ", missing.err), missing.err
    else:
        assert int(command.group(1)) > len(nearest)
        listed = cli(*command.group(2).split())
        assert listed.code == 0 and all(f"[{sec}]" in listed.out for sec in nearest)
    for sec in nearest:
        assert cli("affects", sec, "--as-of", "2021-02-01").code == 0


@pytest.mark.parametrize("form", ["有限公司", "Limited", "Co., Ltd."])
def test_a_legal_form_alone_is_said_to_be_one(cli: Cli, form: str) -> None:
    """Hundreds of names hold a legal form: not "nothing is named like it", but what to search for."""
    result = cli("show", form)
    assert result.code == 2 and f"{form!r} is a legal form" in result.err and "company's name" in result.err
    assert "nothing in the graph is named" not in result.err


def test_a_text_nothing_names_says_so_plainly(cli: Cli) -> None:
    """Nothing named, coded or identified so: said plainly, not "try search" (it was searched for)."""
    for args in (("affects", "ZZZZ"), ("show", "ORG:nope")):
        result = cli(*args)
        assert result.code == 2 and "nothing in the graph is named, coded or identified like it" in result.err
        assert "ordergraph search" not in result.err


def test_a_mentions_place_reads_with_its_span_as_the_app_shows_it(cli: Cli, store: MemoryStore) -> None:
    """`show` gives where an article names an entity as the app's entity page does ("characters
    1,007–1,042 of the article", graph.labels.mention_place): its first and last character, not
    only the first."""
    from graph.labels import mention_place

    mentions = [e for e in store.edges() if e.kind == "MENTIONS" and "offset" in e.properties]
    assert len(mentions) > 5
    for edge in mentions[:8]:
        offset, text = edge.properties["offset"], edge.properties["text"]
        assert isinstance(offset, int) and isinstance(text, str)
        place = mention_place(offset, text)
        assert re.fullmatch(r"characters [\d,]+–[\d,]+ of the article( \(its opening words\))?", place)
        out = cli("show", edge.target).out
        assert f"Text as written: {text}\n      Where in the article: {place}\n" in out, edge.id
    xiaomi = cli("show", "ORG:xiaomi").out
    assert "Where in the article: characters 1–6 of the article (its opening words)" in xiaomi


def test_company_with_several_listings_asks_which(cli: Cli) -> None:
    result = cli("affects", "SMIC", "--as-of", "2021-02-01")
    assert result.code == 2
    assert "SEC:HKEX:0981" in result.err and "SEC:SSE:688981" in result.err and "which one" in result.err


def test_bad_as_of_is_a_clear_error(cli: Cli) -> None:
    result = cli("affects", "1810.HK", "--as-of", "2021-02")
    assert result.code == 2 and "--as-of" in result.err


def test_show_contract(cli: Cli) -> None:
    data = cli("show", "ORG:xiaomi", "--json").json()
    assert set(data) >= {"id", "kind", "name", "aliases", "properties", "edges"}
    edge = next(e for e in data["edges"] if e["kind"] == "LISTED_ON" and e["other"]["id"] == "LIST:DOD-1237")
    assert set(edge) >= {"id", "kind", "direction", "other", "start", "end", "confidence", "sources"}
    assert (edge["direction"], edge["start"], edge["end"]) == ("out", "2021-01-14", "2021-05-25")


def test_timeline_is_sorted_and_sourced(cli: Cli) -> None:
    data = cli("timeline", "ORG:xiaomi", "--json").json()
    assert data["id"] == "ORG:xiaomi"
    dates = [e["date"] for e in data["events"]]
    assert dates == sorted(dates)
    assert {"2021-01-14", "2021-05-25"} <= set(dates)
    for event in data["events"]:
        assert set(event) >= {"date", "kind", "description", "other", "sources"}
        assert event["sources"]


def test_path_between_tencent_and_the_revoking_order(cli: Cli) -> None:
    data = cli("path", "ORG:tencent", "EO:14034", "--json").json()
    assert data["paths"]
    for path in data["paths"]:
        assert path[0]["id"] == "ORG:tencent" and path[-1]["id"] == "EO:14034"
        assert all(set(e) >= {"id", "kind", "start", "end", "sources"} for e in path[1::2])


def test_no_path_says_how_far_it_looked_and_whether_other_days_hold_one(cli: Cli) -> None:
    """A reporter asking how Tencent relates to EO 14034 after the revocation got a bare "no path":
    the answer says the longest path looked for and, as of a day, whether paths exist on other days
    (the WeChat order targeted Tencent until EO 14034 revoked it on 2021-06-09), through edges not all
    in force that day; the JSON stays the paths of that day (none)."""
    late = ("path", "ORG:tencent", "EO:14034", "--as-of", "2021-07-01")
    assert cli(*late).out.strip() == (
        "no path of at most 5 edges on 2021-07-01 (1 without --as-of, through edges not all in force "
        "that day)"
    )
    assert cli(*late, "--json").json() == {"paths": []}
    short = cli("path", "ORG:tencent", "EO:14034", "--max-len", "1").out.strip()
    assert short == f"no path of at most 1 edge (skipped: {', '.join(PATH_SKIPS)}; --all-kinds walks them)"


def test_neighbours_as_of_drops_edges_not_yet_valid(cli: Cli) -> None:
    before = cli("neighbours", "ORG:xiaomi", "--as-of", "2021-01-13", "--json").json()
    after = cli("neighbours", "ORG:xiaomi", "--as-of", "2021-01-14", "--json").json()

    def ids(d: dict[str, Any]) -> set[str]:
        return {n["id"] for n in d["nodes"]}

    assert "LIST:DOD-1237" not in ids(before) and "LIST:DOD-1237" in ids(after)


def test_stats_contract(cli: Cli) -> None:
    data = cli("stats", "--json").json()
    assert set(data) >= {"nodes", "edges", "by_kind", "by_edge_kind", "unsourced_edges"}
    assert data["unsourced_edges"] == 0
    assert data["by_kind"]["ExecutiveOrder"] >= 7 and data["by_edge_kind"]["LISTED_ON"] > 100


def test_data_folder_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGRAPH_DATA", str(ROOT / "tests" / "fixtures" / "mini"))
    assert cli("stats", "--json").json()["by_kind"]["ExecutiveOrder"] == 4


def test_console_entry_point_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ordergraph", "affects", "1810.HK", "--as-of", "2021-02-01"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "status: pending; prohibitions apply from 2021-03-15" in done.stdout


def test_timeline_shows_injunctions_and_disputed_dates(cli: Cli) -> None:
    xiaomi = cli("timeline", "ORG:xiaomi", "--json").json()["events"]
    court = [e for e in xiaomi if e["kind"] == "ENJOINS"]
    assert [e["date"] for e in court] == ["2021-03-12", "2021-05-25"]
    assert court[0]["other"]["id"] == "CASE:DDC:1:21-cv-00280"
    luokung = cli("timeline", "ORG:luokung", "--json").json()["events"]
    disputed = [e for e in luokung if e["kind"] == "DISPUTED" and e["date"] == "2021-03-10"]
    assert disputed and disputed[0]["sources"]
    # Due 2021-05-08, three days after the court's injunction: the row says so.
    due = [e for e in luokung if e["date"] == "2021-05-08" and "prohibitions" in e["description"]]
    assert due and all(
        "prohibitions due, but enjoined since 2021-05-05 by Luokung" in e["description"] for e in due
    )


def test_paths_skip_hub_edges_unless_asked(cli: Cli) -> None:
    default = cli("path", "1810.HK", "EO:14032", "--json").json()["paths"]
    assert default
    assert not any(e["kind"] in ("MENTIONS", "ISSUED_BY", "DESIGNATES") for p in default for e in p[1::2])
    assert any(
        [s["id"] for s in p[::2]] == ["SEC:HKEX:1810", "ORG:xiaomi", "LIST:DOD-1237", "EO:13959", "EO:14032"]
        for p in default
    )
    everything = cli("path", "1810.HK", "EO:14034", "--all-kinds", "--json").json()["paths"]
    assert any(e["kind"] == "MENTIONS" for p in everything for e in p[1::2])


def test_a_disputed_reading_alone_does_not_make_an_answer(cli: Cli) -> None:
    # Nanjing Panda's parent was on the DoD list, but EO 13959 reached unlisted subsidiaries
    # only in a disputed reading: no order, and the reading is explained with its edges.
    data = _affects(cli, "600775.SH", "2021-02-01", "--explain")
    assert data["orders"] == []
    disputed = [e for e in data["explanations"] if "disputed reading" in e["reason"]]
    assert disputed and "2021-01-11" in disputed[0]["reason"]
    governs = [e for e in disputed[0]["edges"] if e["kind"] == "GOVERNS"]
    assert governs and governs[0]["disputed"][0]["sources"]


def test_a_disputed_listing_date_that_flips_the_day_is_a_claim(cli: Cli) -> None:
    order = _orders(_affects(cli, "LKCO", "2021-03-09"))["13959"]
    assert (order["status"], order["applies_from"]) == ("pending", "2021-05-08")
    not_listed = [c for c in order["claims"] if c["status"] == "not_covered"]
    assert not_listed and "2021-03-10" in not_listed[0]["basis"] and not_listed[0]["sources"]
    # A day later both readings agree that Luokung is listed: no such claim.
    later = _orders(_affects(cli, "LKCO", "2021-03-10"))["13959"]
    assert not any(c["status"] == "not_covered" for c in later["claims"])


def test_a_disputed_injunction_date_is_a_claim(cli: Cli) -> None:
    order = _orders(_affects(cli, "0700.HK", "2020-09-19"))["13943"]
    assert order["status"] == "enjoined"
    assert {(c["status"], c["applies_from"]) for c in order["claims"]} == {
        ("enjoined", "2020-09-20"),
        ("pending", "2020-09-20"),
    }


def test_timeline_dates_prohibitions_by_the_orders_rule(cli: Cli) -> None:
    events = cli("timeline", "ORG:xiaomi", "--json").json()["events"]
    # A row the order's rule makes says what it is (prohibitions), made of its GOVERNS edge.
    ruled = [
        e
        for e in events
        if e["kind"] == "PROHIBITIONS"
        and e["edge_id"].startswith("GOVERNS|")
        and "prohibitions due" in e["description"]
    ]
    assert [(e["date"], e["other"]["id"]) for e in ruled] == [("2021-03-15", "EO:13959")]


@pytest.mark.parametrize("text", ["13959", "EO 13959", "Executive Order 13959", "2020-25459", "85 FR 73185"])
def test_orders_resolve_by_number_and_federal_register_ids(cli: Cli, text: str) -> None:
    shown = cli("show", text, "--json")
    assert shown.code == 0, shown.err
    assert shown.json()["id"] == "EO:13959"


def test_an_extra_word_does_not_resolve_to_another_company(cli: Cli) -> None:
    result = cli("affects", "Tencent Music", "--as-of", "2021-02-01")
    assert result.code == 2 and "did you mean" in result.err and "ORG:tencent" in result.err


def test_a_loose_match_says_what_it_was_read_as(cli: Cli) -> None:
    assert cli("show", "Hikvison", "--json").json()["id"] == "ORG:hikvision"
    result = cli("show", "Hikvison")
    assert result.code == 0 and "note: 'Hikvison' read as ORG:hikvision" in result.err


def test_affects_json_keeps_the_contract_keys(cli: Cli) -> None:
    data = _affects(cli, "NYSE:CHL", "2021-02-01")
    assert set(data) >= {"security", "as_of", "exchange_status", "orders"}
    assert set(data["security"]) >= {"id", "name", "exchange", "code"}
    order = data["orders"][0]
    assert set(order) >= {"id", "number", "title", "restriction", "status", "applies_from", "amended_by",
                          "claims", "paths", "sources"}  # fmt: skip
    assert order["number"] == "13959" and data["as_of"] == "2021-02-01"
    for path in order["paths"]:
        assert all(set(node) >= {"id", "kind", "name"} for node in path[::2])
        assert all(set(edge) >= {"id", "kind", "start", "end", "sources"} for edge in path[1::2])
    for claim in order["claims"]:
        assert set(claim) >= {"status", "applies_from", "sources"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["neighbours", "ORG:xiaomi", "--kinds", "foo"], "unknown edge kind FOO"),
        (["search", "China", "--limit", "-1"], "less than 1"),
        (["neighbours", "ORG:xiaomi", "--depth", "0"], "less than 1"),
        (["path", "ORG:xiaomi", "EO:13959", "--max-len", "x"], "not a whole number"),
    ],
)
def test_bad_options_exit_2(cli: Cli, args: list[str], words: str) -> None:
    result = cli(*args)
    assert result.code == 2 and words in result.err


def test_edge_kinds_are_case_insensitive(cli: Cli) -> None:
    data = cli("neighbours", "ORG:xiaomi", "--kinds", "listed_on", "--json").json()
    assert {e["kind"] for e in data["edges"]} == {"LISTED_ON"}


def test_a_year_only_disputed_end_is_no_claim_inside_that_year(cli: Cli) -> None:
    # One source says AMEC left the §1237 list "in 2021": that cannot contradict 2021-05-01.
    order = _orders(_affects(cli, "688012.SS", "2021-05-01"))["13959"]
    assert order["claims"] == []


def test_timeline_rule_dates_only_while_the_listing_holds(cli: Cli) -> None:
    events = cli("timeline", "ORG:luokung", "--json").json()["events"]
    ruled = [e["date"] for e in events if "prohibitions due" in e["description"]]
    # One date, once per list it is listed on (DoD §1237 and OFAC's NS-CCMC list); not 2021-03-15
    # from the misspelt listing ended 2021-03-09.
    assert sorted(ruled) == ["2021-05-08", "2021-05-08"]


@pytest.mark.parametrize("text", ["13958", "EO 13958", "2020-25458", "85 FR 73186"])
def test_numbers_are_never_read_as_typos(cli: Cli, text: str) -> None:
    result = cli("show", text)
    assert result.code == 2 and "unknown entity" in result.err


def test_show_of_a_list_says_how_much_of_it_is_shown(cli: Cli) -> None:
    text = cli("show", "LIST:DOD-1260H").out
    assert "edition 2021-06-03: 47 of 47 members shown" in text
    assert re.search(r"edition 2025-01-06: \d+ of 134 members shown \(size disputed: 128\)", text)
    unconfirmed = r"edition 2026-06-08: \d+ of 188 members shown \(size not confirmed by the list's keeper\)"
    assert re.search(unconfirmed, text)
    data = cli("show", "LIST:DOD-1260H", "--json").json()
    rows = {row["edition"]: row for row in data["membership"]}
    assert rows["2024-01-31"] == {
        "edition": "2024-01-31",
        "published": 73,
        "shown": 73,
        "size_status": "disputed",
        "size_alternative": 74,
        "size_recorded": True,
    }
    assert (rows["2021-06-03"]["size_status"], rows["2021-06-03"]["size_alternative"]) == ("verified", None)
    assert rows[None]["published"] is None
    # A list no source here gives a size of says so, in words and in JSON (review 34 L4).
    ccmc = cli("show", "LIST:OFAC-NS-CCMC", "--json").json()["membership"]
    assert [(row["edition"], row["size_recorded"]) for row in ccmc] == [(None, False)]
    assert "so it may have named more)" in cli("show", "LIST:OFAC-NS-CCMC").out


# ---- the click command itself ---------------------------------------------------------------


def test_data_goes_before_or_after_the_command(cli: Cli) -> None:
    mini = str(ROOT / "tests" / "fixtures" / "mini")
    before = cli("--data", mini, "stats", "--json")
    after = cli("stats", "--data", mini, "--json")
    assert before.code == after.code == 0
    assert before.json() == after.json()
    assert before.json()["by_kind"]["ExecutiveOrder"] == 4


def test_a_store_handed_in_is_used_instead_of_reading_the_folder(mini: Any) -> None:
    from click.testing import CliRunner

    import ordergraph
    from cli.session import Session
    from loaders.workspace import PROJECT_DATA

    session = Session(stores={PROJECT_DATA.resolve(): mini})
    result = CliRunner().invoke(ordergraph.cli, ["stats", "--json"], obj=session)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["nodes"] == mini.node_count()


def test_every_command_has_help_with_an_example(cli: Cli) -> None:
    import ordergraph

    for name in ordergraph.cli.commands:
        result = cli(name, "--help")
        assert result.code == 0
        if name != "tour":
            assert f"ordergraph {name}" in result.out, name
        assert "--json" in result.out and "--data" in result.out


def test_a_name_several_entities_bear_alike_is_answered_for_one_and_the_others_named(cli: Cli) -> None:
    """`timeline TikTok`: the app (its name is exactly that) and TikTok Inc. match equally; the answer
    is the app's, and the command says so and names the other, by id, instead of choosing silently."""
    result = cli("timeline", "TikTok")
    assert result.code == 0 and "EO 13942 — targets TikTok " in result.out  # the app's timeline
    note = result.err
    assert note.startswith("note: 'TikTok' names more than one entity: answering for APP:tiktok")
    assert "(TikTok, App), named exactly so" in note
    assert "ORG:tiktok-inc  TikTok Inc. (Company)" in note and "give its id" in note
    answer = cli("timeline", "TikTok", "--json")
    assert answer.err == ""  # under --json stderr holds only an error: the answer says it
    resolved = answer.json()["resolved"]
    assert resolved["id"] == "APP:tiktok" and resolved["others"] == ["ORG:tiktok-inc"]
    assert answer.json()["events"] == cli("timeline", "APP:tiktok", "--json").json()["events"]
    by_id = cli("timeline", "ORG:tiktok-inc")
    assert by_id.code == 0 and by_id.err == "" and by_id.out != result.out
    assert cli("timeline", "Xiaomi").err == ""  # a name one entity has: nothing to say
    # The text heads its answer with the entity it was read as, as `show` does.
    assert (
        cli("timeline", "china mobile").out.splitlines()[0]
        == "China Mobile Limited [ORG:china-mobile-ltd] (Company)"
    )
    assert result.out.splitlines()[0] == "TikTok [APP:tiktok] (App)"
    assert "ORG:smic-holdings  SMIC Holdings Limited" in cli("show", "SMIC").err  # every command alike


def test_sources_lists_the_curated_data_when_nothing_is_loaded(cli: Cli) -> None:
    """With no workspace the answers draw on the built-in curated data alone: sources says so."""
    from loaders.workspace import data_dir

    result = cli("sources")
    assert result.code == 0
    header, base, *rest = result.out.splitlines()
    assert header.split()[:2] == ["dataset", "format"]
    assert base.split()[:2] == ["curated", "curated"] and f"built in: {data_dir().resolve()}" in base
    assert rest == ["no sources loaded: the graph is the curated data alone (see `ordergraph load --help`)"]
    [curated] = cli("sources", "--json").json()
    stats = cli("stats", "--json").json()
    assert curated["name"] == "curated" and curated["built_in"] is True and curated["loaded_at"] is None
    assert (curated["nodes"], curated["edges"]) == (stats["nodes"], stats["edges"])
    assert curated["records"] == stats["nodes"] + stats["edges"]
    assert curated["path"] == str(data_dir().resolve())


def test_export_formats_are_the_exporters(cli: Cli) -> None:
    from cli.publish import EXPORT_FORMATS
    from graph.export import FORMATS

    assert EXPORT_FORMATS == FORMATS


def test_tour_runs_every_step(cli: Cli) -> None:
    result = cli("tour")
    assert result.code == 0, result.err
    assert result.out.count("$ ordergraph ") == len(cli("tour", "--json").json()["commands"])
    assert "status: pending; prohibitions apply from 2021-03-15" in result.out


def test_errors_under_json_are_one_json_object_on_stderr(cli: Cli) -> None:
    unknown = cli("affects", "9999.HK", "--json")
    assert unknown.code == 2 and unknown.out == ""
    error = json.loads(unknown.err)
    assert set(error) == {"error", "message", "suggestions"} and error["error"] == "unknown_entity"
    # The codes the message names nearest to it are the suggestions.
    assert len(error["suggestions"]) == 5 and all(s in error["message"] for s in error["suggestions"])
    assert "`ordergraph show EXCH:HKEX`" in error["message"]
    near = json.loads(cli("affects", "1811.HK", "--json").err)
    assert any(s.startswith("SEC:HKEX:1810") for s in near["suggestions"])
    mini = str(ROOT / "tests" / "fixtures" / "mini")
    several = json.loads(cli("--data", mini, "affects", "ACME", "--json").err)
    assert several["error"] == "ambiguous_entity"
    assert set(several["suggestions"]) == {"SEC:NASDAQ:ACME", "SEC:NYSE:ACME"}
    company = json.loads(cli("affects", "SMIC", "--json").err)
    assert company["error"] == "company_not_security"
    assert {"SEC:HKEX:0981", "SEC:SSE:688981"} <= set(company["suggestions"])
    usage = json.loads(cli("search", "China", "--limit", "0", "--json").err)
    assert usage["error"] == "usage" and "less than 1" in usage["message"]


def test_show_names_a_country_and_json_keeps_its_code(cli: Cli) -> None:
    assert "Country: Hong Kong (HK)" in cli("show", "ORG:china-mobile-ltd").out.splitlines()
    assert cli("show", "ORG:china-mobile-ltd", "--json").json()["properties"]["country"] == "HK"


def test_show_labels_properties_and_json_keeps_the_keys(cli: Cli) -> None:
    lines = cli("show", "EO:13943").out.splitlines()
    assert (
        "Federal Register document number: 2020-17700 (https://www.federalregister.gov/d/2020-17700)" in lines
    )
    assert "Prohibitions from: 2020-09-20" in lines
    assert any(line.startswith("Note on the prohibitions: 45 days after the order") for line in lines)
    raw = ("fr_doc", "prohibitions_from", "prohibitions_note", "fr_citation", "effective_note")
    assert [line for line in lines if line.startswith(raw)] == []
    data = cli("show", "EO:13943", "--json").json()
    assert set(raw) <= set(data["properties"])
    assert data["properties"]["fr_doc"] == "2020-17700"


def test_show_labels_each_relationship_and_prints_its_properties(cli: Cli) -> None:
    """What the entity page shows of a relationship, ``show`` prints: the edge kind's label, and
    every property labelled, ids by name with the id after; ``--json`` keeps kinds and keys."""
    from graph.labels import edge_label, property_label

    lines = cli("show", "CASE:DDC:1:21-cv-00280").out.splitlines()
    data = cli("show", "CASE:DDC:1:21-cv-00280", "--json").json()
    enjoins = next(e for e in data["edges"] if e["kind"] == "ENJOINS")
    assert enjoins["properties"]["applies_to"] == ["ORG:xiaomi"]  # raw keys and ids in JSON
    at = next(i for i, ln in enumerate(lines) if ln.startswith("  enjoins → ") and "[EO:13959]" in ln)
    block = lines[at + 1 : lines.index(f"      ordergraph cite '{enjoins['id']}'", at)]
    assert "      Protects: Xiaomi Corporation [ORG:xiaomi]" in block
    assert f"      {property_label('scope')}: {enjoins['properties']['scope']}" in block
    # Every edge's line starts with its label, and every property of every edge is printed.
    heads = [ln for ln in lines if ln.startswith("  ") and not ln.startswith("   ")]
    assert [h.split(" → ")[0].split(" ← ")[0].strip() for h in heads] == [
        edge_label(e["kind"]) for e in data["edges"]
    ]
    assert not [ln for ln in lines if re.match(r"\s+[A-Z]+_?[A-Z_]* [→←]", ln)]  # no raw kind
    labelled = [ln.strip().split(":")[0] for ln in lines if ln.startswith("      ") and ": " in ln]
    for edge in data["edges"]:
        for key in edge["properties"]:
            assert property_label(key) in labelled, key


# ---- edge labels and ids by name on every text face ------------------------------------------


def test_path_reads_each_step_by_its_label_with_the_arrow_the_way_the_edge_reads(cli: Cli) -> None:
    text = cli("path", "ORG:tencent", "EO:14034").out
    lines = [ln.strip() for ln in text.splitlines()]
    # Tencent ← targets — EO 13943 ← revokes — EO 14034: each order acts on what comes before it.
    assert lines[0] == "(1) Tencent Holdings Ltd. [ORG:tencent]"
    assert lines[1].startswith("←targets (2020-08-06 → 2021-06-09; verified; https://") and lines[1].endswith(
        ")—"
    )
    assert lines[3].startswith("←revokes (on 2021-06-09; verified; https://")  # an act, done on a day
    assert not re.search(r"[A-Z]{3,}_|TARGETS|REVOKES", text)
    data = cli("path", "ORG:tencent", "EO:14034", "--json").json()
    assert [s["kind"] for s in data["paths"][0] if s["type"] == "edge"] == ["TARGETS", "REVOKES"]


def test_affects_why_reads_edges_by_label(cli: Cli) -> None:
    text = cli("affects", "CHL", "--as-of", "2021-03-01").out
    why = text[text.index("why (1):") :].splitlines()
    assert why[1].strip().startswith("←issues (from 1997-10-22, no end recorded; verified;")
    assert why[3].strip().startswith("—listed on (2021-01-08 → 2021-06-03; verified;") and why[3].endswith(
        ")→"
    )
    assert why[5].strip().startswith("←governs (")
    assert "ISSUES" not in text and "LISTED_ON" not in text and "GOVERNS" not in text


def test_neighbours_prints_labels_and_its_kinds_take_kinds_or_labels(cli: Cli) -> None:
    text = cli("neighbours", "ORG:xiaomi", "--kinds", "listed_on").out
    assert "Xiaomi Corporation —listed on (2021-01-14 → 2021-05-25)→ " in text
    assert "LISTED_ON" not in text
    by_label = cli("neighbours", "EXCH:NYSE", "--kinds", "acts on").out
    assert by_label == cli("neighbours", "EXCH:NYSE", "--kinds", "exchange_action").out
    assert "—acts on (" in by_label
    data = cli("neighbours", "ORG:xiaomi", "--kinds", "listed on", "--json").json()
    assert {e["kind"] for e in data["edges"]} == {"LISTED_ON"}
    bad = cli("neighbours", "ORG:xiaomi", "--kinds", "listed in")
    assert bad.code == 2 and "unknown edge kind LISTED IN" in bad.err and "listed on" in bad.err


def test_show_gives_a_node_property_holding_an_id_by_name(cli: Cli) -> None:
    lines = cli("show", "LIST:DOD-1260H").out.splitlines()
    assert "Kept by: U.S. Department of Defense [BODY:dod]" in lines
    assert cli("show", "LIST:DOD-1260H", "--json").json()["properties"]["keeper"] == "BODY:dod"


def test_on_says_what_as_of_says(cli: Cli) -> None:
    # The question as a reporter puts it: "which orders affect 1810.HK on 2021-02-01?"
    on = cli("affects", "1810.HK", "--on", "2021-02-01", "--json")
    assert on.code == 0, on.err
    assert on.out == cli("affects", "1810.HK", "--as-of", "2021-02-01", "--json").out
    assert [o["id"] for o in json.loads(on.out)["orders"]] == ["EO:13959"]


@pytest.mark.parametrize("order", ["EO:13959", "EO:14032"])
def test_show_gives_an_orders_number_once(cli: Cli, order: str) -> None:
    """The schema says the curated property ``number`` states the ``eo_number`` identifier: one line."""
    lines = cli("show", order).out.splitlines()
    numbered = [line for line in lines if line.endswith(f": {order[3:]}")]
    assert numbered == [f"Executive order number: {order[3:]}"], numbered
    data = cli("show", order, "--json").json()
    assert data["identifiers"]["eo_number"] == [order[3:]] and data["properties"]["number"] == order[3:]


def test_timeline_text_tells_the_whole_story(cli: Cli) -> None:
    """Issue 7, on the CLI: an app's timeline shows the injunctions that protected it, each row naming
    the order first; every divest-only deadline that applied is there (Hikvision's 2021-11-11, China
    Mobile's 2022-01-08 under EO 13959), and one that never applied says so (Luokung's 2022-03-09,
    enjoined from before its prohibitions were due until EO 14032 superseded the order)."""
    tiktok = cli("timeline", "APP:tiktok").out.splitlines()
    enjoined = [line for line in tiktok if " — enjoined" in line]
    assert {line[:10] for line in enjoined} >= {"2020-09-27", "2020-10-30", "2020-12-07"}
    assert all(line[12:].startswith("EO 13942 — enjoined") for line in enjoined)
    wechat = cli("timeline", "APP:wechat", "--json").json()["events"]
    assert next((e["date"], e["order"]["id"]) for e in wechat if e["kind"] == "ENJOINS") == (
        "2020-09-19",
        "EO:13943",
    )
    for entity, day in (("ORG:hikvision", "2021-11-11"), ("ORG:china-mobile-ltd", "2022-01-08")):
        rows = [line for line in cli("timeline", entity).out.splitlines() if line.startswith(day)]
        assert rows and all("EO 13959 — divest-only window was to end" in row for row in rows), (entity, rows)
        # EO 14032 gave holders more time, not less (review eyes35 N15): the row says its window.
        assert all("but the rule stopped applying first" in row for row in rows), rows
        assert all(
            "under EO 14032 divest-only sales are allowed before 12:01 a.m. EDT on 2022-06-03" in row
            for row in rows
        )
    rows = [line for line in cli("timeline", "ORG:luokung").out.splitlines() if line.startswith("2022-03-09")]
    never = "EO 13959 — divest-only window would have ended, but never applied"
    assert rows and all(never in row for row in rows)


def test_search_in_chinese_finds_china_unicoms_companies_first(cli: Cli) -> None:
    """中国联通 (China Unicom): the Hong Kong company whose short name it is, the two BVI holding
    companies whose names begin with it (China Unicom (BVI) and China Unicom Group (BVI)), and the
    group whose full name it abbreviates; nobody else first."""
    hits = cli("search", "中国联通", "--json").json()
    unicom = [
        "ORG:china-unicom-hk-ltd",
        "ORG:china-unicom-bvi",
        "ORG:china-unicom-group-bvi",
        "ORG:china-united-network-communications-group",
    ]
    assert [h["id"] for h in hits[:4]] == unicom
    assert "ORG:china-satellite-communications" not in [h["id"] for h in hits]
    lines = cli("search", "中国联通").out.splitlines()
    # The Hong Kong company carries it as its alias, exactly: the others are looser matches.
    assert lines[1] == "other, looser matches:"
    assert [line.split()[1] for line in lines[:1] + lines[2:5]] == unicom


def test_neighbours_of_a_list_says_how_many_of_its_members_it_shows(cli: Cli) -> None:
    # Centred on a list, the members drawn are not the list: say how many of each edition's are
    # shown, as `show` does, in the text and in --json alike.
    whole = cli("neighbours", "LIST:DOD-1260H").out.splitlines()
    assert "edition 2025-01-06: 134 of 134 members shown (size disputed: 128)" in whole
    assert (
        cli("neighbours", "LIST:DOD-1260H", "--json").json()["membership"]
        == (cli("show", "LIST:DOD-1260H", "--json").json()["membership"])
    )
    # As of a day, the counts are of the members drawn: the editions published by then, and the
    # members listed that day; not the 2025 edition's 134 nor the 209 ever listed, which a
    # reporter would read as drawn below (47 were).
    text = cli("neighbours", "LIST:DOD-1260H", "--as-of", "2021-07-01").out
    lines = text.splitlines()
    drawn = [line for line in lines if "—listed on (" in line]
    assert lines[:2] == [
        "edition 2021-06-03: 47 of 47 members shown",
        "47 members shown (those listed on 2021-07-01 that this graph holds)",
    ]
    assert len(drawn) == 47 and "2022-10-05" not in lines[0] + lines[1]
    data = cli("neighbours", "LIST:DOD-1260H", "--as-of", "2021-07-01", "--json").json()
    assert [(r["edition"], r["shown"], r["published"]) for r in data["membership"]] == [
        ("2021-06-03", 47, 47),
        (None, 47, None),
    ]
    assert data["membership"][1]["listed_on"] == "2021-07-01"
    # Walking other edges than listings, no member is drawn, and none is counted as shown.
    governs = cli("neighbours", "LIST:DOD-1260H", "--kinds", "governs").out.splitlines()
    assert "edition 2021-06-03: 0 of 47 members shown" in governs
    # Not a list: no such lines, and an empty list in --json.
    assert "members shown" not in cli("neighbours", "ORG:xiaomi").out
    assert cli("neighbours", "ORG:xiaomi", "--json").json()["membership"] == []


def test_a_ticker_with_two_digits_swapped_suggests_the_listing_meant(cli: Cli) -> None:
    # 1801.HK for Xiaomi's 1810.HK: a transposition is one slip, as one wrong digit is (1800).
    result = cli("affects", "1801.HK", "--as-of", "2021-02-01")
    assert result.code == 2
    assert "SEC:HKEX:1810 (Xiaomi Corporation (HKEX 1810))" in result.err, result.err
    assert "SEC:HKEX:1800" in result.err
    # Further off is still not suggested.
    assert "SEC:HKEX:0981" not in result.err


def test_affects_after_the_divest_only_window_says_it_closed_and_sales_are_barred(cli: Cli) -> None:
    """EO 14032 after 12:01 a.m. EDT on 2022-06-03: the window is said to have closed, a holder may
    neither buy nor sell and may keep the security (OFAC FAQ 1046); --json says both as fields."""
    mobile = cli("affects", "0941.HK", "--as-of", "2022-07-01").out
    assert "since then they may neither buy nor sell it; holding it is not prohibited." in mobile
    assert "  divest-only transactions were allowed before 12:01 a.m. EDT on 2022-06-03" in mobile
    assert "(closed)" in mobile and "is allowed" not in mobile
    order = _orders(_affects(cli, "0941.HK", "2022-07-01"))["14032"]
    assert (order["divest_closed"], order["holding_after_divest"]) == (True, "allowed")
    assert _orders(_affects(cli, "0941.HK", "2022-06-02"))["14032"]["divest_closed"] is False


def test_affects_says_the_hour_a_divest_only_window_ends_and_whether_its_day_is_in(cli: Cli) -> None:
    """EO 13959 as amended: divest-only sales "on or before 11:59 p.m. eastern standard time,
    November 11, 2021" (Hikvision, an annex company); EO 14032: prior to 12:01 a.m. EDT on
    2022-06-03 (China Mobile, in its Annex); a later listing's deadline (Xiaomi's, 365 days after
    2021-01-14) has no hour and reads as before. --json keeps divest_until and adds divest_time."""
    hikvision = cli("affects", "SZSE:002415", "--as-of", "2021-02-01").out
    assert "selling to divest is allowed until 11:59 p.m. EST on 2021-11-11 (that day included)" in hikvision
    assert "  divest-only transactions allowed until 11:59 p.m. EST on 2021-11-11 (that day included)" in (
        hikvision
    )
    mobile = cli("affects", "0941.HK", "--as-of", "2021-09-01").out
    assert "  divest-only transactions allowed before 12:01 a.m. EDT on 2022-06-03 (the last full day is" in (
        mobile
    )
    xiaomi = cli("affects", "1810.HK", "--as-of", "2021-02-01").out
    assert "  divest-only transactions allowed until 2022-01-14\n" in xiaomi
    orders = _orders(_affects(cli, "SZSE:002415", "2021-02-01"))
    assert (orders["13959"]["divest_until"], orders["13959"]["divest_time"]) == (
        "2021-11-11",
        "through 23:59 EST",
    )
    assert _orders(_affects(cli, "1810.HK", "2021-02-01"))["13959"]["divest_time"] is None
    table = cli("reaches", "EO:14032", "--as-of", "2021-09-01").out
    assert "2022-06-03 00:01 EDT" in table and "divest until" in table


def test_reaches_says_which_listings_were_struck_and_what_securities_it_holds(cli: Cli) -> None:
    """eyes36 P12 and P1: of the securities EO 14032 reaches on 2021-08-02, the SSE had delisted
    Aerospace Communications' A-share on 2021-03-18; its row says so, and the count says how many
    were struck. The count is of the listings this graph holds (shares and depositary shares): the
    order also covers the companies' other publicly traded securities (bonds among them), which the
    output says it does not list. A transaction ban says nothing of the kind."""
    out = cli("reaches", "EO:14032", "--as-of", "2021-08-02").out
    head, *rest = out.splitlines()
    assert head.endswith(": 45 securities, 4 of them delisted by then")  # the three telcos' ADSs too

    def row(security: str) -> str:
        return next(line for line in rest if security in line)

    assert "delisted 2021-03-18 (likely)" in row("SEC:SSE:600677")
    assert "delisted 2021-05-18" in row("SEC:NYSE:CHA")
    assert "suspended since 2021-03-09" in row("SEC:NYSE:CEO")  # struck later: not counted
    assert "bonds" in out and "not held" in out
    assert not any("delisted" in line for line in rest if "SEC:HKEX:0728" in line)
    ban = cli("reaches", "EO:13943", "--as-of", "2020-09-01").out  # Tencent's shares, through WeChat
    assert "SEC:HKEX:0700" in ban and "bonds" not in ban


def test_paths_and_neighbors_are_the_commands_path_and_neighbours(cli: Cli) -> None:
    """`ordergraph paths` (graph.query.paths' name) and `neighbors` (American spelling) run path and
    neighbours, not "No such command"; --help lists each command once."""
    assert cli("paths", "1810.HK", "EO 13959").out == cli("path", "1810.HK", "EO 13959").out != ""
    assert cli("neighbors", "ORG:xiaomi").out == cli("neighbours", "ORG:xiaomi").out != ""
    listed = cli("--help").out
    assert "  path " in listed and "  paths " not in listed and "  neighbors " not in listed


ANNOUNCED = str(ROOT / "tests" / "fixtures" / "announced")


def test_a_day_only_announced_ahead_says_who_announced_it(cli: Cli) -> None:
    """tests/fixtures/announced: the NYSE suspension of ACE on 2021-03-09, whose only dated source is
    a release of 2021-02-26 saying trading "will be suspended" that day. Every face says so beside
    the day; the same suspension of OTE, which a later report states, says nothing of the kind."""
    said = (
        "day announced ahead by New York Stock Exchange (via Example Wire) of 2021-02-26 "
        "(https://example.org/news/exchange-to-commence-delisting-proceedings-against-acme-energy/); "
        "no source cited confirms that day"
    )
    suspension = "EXCHANGE_ACTION|EXCH:NYSE|SEC:NYSE:ACE|2021-03-09"

    def lines(*args: str) -> list[str]:
        return cli("--data", ANNOUNCED, *args).out.splitlines()

    (row,) = [ln for ln in lines("timeline", "SEC:NYSE:ACE") if ln.startswith("2021-03-09  trading")]
    assert said in row
    (line,) = [ln for ln in lines("affects", "SEC:NYSE:ACE", "--as-of", "2021-03-10")
               if ln.startswith("exchange: suspended")]  # fmt: skip
    assert line.endswith(f"; {said})")
    began = [ln for ln in lines("changes", "--from", "2021-03-09", "--to", "2021-03-09")
             if "Acme" in ln and "suspend" in ln]  # fmt: skip
    assert began and said in began[0]
    cited = cli("--data", ANNOUNCED, "cite", suspension)
    assert cited.out.splitlines()[-1] == f"  note: 2021-03-09: {said}"
    assert cli("--data", ANNOUNCED, "cite", suspension, "--json").json()["note"].endswith(said)
    # A day a source states: nothing said.
    assert "announced ahead" not in cli("--data", ANNOUNCED, "timeline", "SEC:NYSE:OTE").out
    assert "announced ahead" not in cli("timeline", "SEC:SSE:688012").out


def test_cnoocs_suspension_day_is_stated_not_only_announced(cli: Cli) -> None:
    """CNOOC's NYSE suspension of 2021-03-09: CNOOC's own 6-K of 2021-02-28 (a filing) sets the day
    and Upstream reports it in the past tense, so no face says the day was only announced ahead."""
    suspension = "EXCHANGE_ACTION|EXCH:NYSE|SEC:NYSE:CEO|2021-03-09"
    (row,) = [
        ln for ln in cli("timeline", "SEC:NYSE:CEO").out.splitlines() if ln.startswith("2021-03-09  trading")
    ]
    assert "announced ahead" not in row and "sec.gov" in row
    (line,) = [ln for ln in cli("affects", "SEC:NYSE:CEO", "--as-of", "2021-03-10").out.splitlines()
               if ln.startswith("exchange: suspended")]  # fmt: skip
    assert "announced ahead" not in line
    assert "announced ahead" not in cli("cite", suspension).out
    assert "upstreamonline.com" in cli("cite", suspension).out


def test_an_issuers_timeline_tells_what_exchanges_did_to_its_securities(cli: Cli) -> None:
    """Issue 7: `timeline ORG:china-mobile-ltd` shows NYSE's actions on its ADS, each line naming the
    ADS, dated and sourced as `timeline SEC:NYSE:CHL` gives them; Luokung's shows Nasdaq's staff
    determination of 2025-02-11 on LKCO, cited to Luokung's 6-K (SEC EDGAR)."""
    ads, nyse = "China Mobile Limited (NYSE CHL ADS)", "New York Stock Exchange"
    lines = cli("timeline", "ORG:china-mobile-ltd").out.splitlines()
    security = cli("timeline", "SEC:NYSE:CHL").out.splitlines()
    for day, words in (
        ("2020-12-31", "delisting announced"),
        ("2021-01-04", "delisting announcement of 2020-12-31 withdrawn"),
        ("2021-01-06", "delisting announced again"),
        ("2021-01-11", "trading suspended"),
        ("2021-05-18", "delisted"),
    ):
        # (An action that ended the exchange's previous one says so after: "…, reversing its …")
        [line] = [x for x in lines if x.startswith(f"{day}  {ads} {words} by {nyse}")]
        [own] = [x for x in security if x.startswith(f"{day}  {words} by {nyse}")]
        assert line.replace(f"{ads} ", "", 1) == own  # the same date and sources
    events = cli("timeline", "ORG:luokung", "--json").json()["events"]
    # One row: the announcement, on its own ground (review 35, N12: not "again …, reversing its withdrawal
    # of 2021-05-06": the 2021 letter, under EO 13959, stays withdrawn).
    [row] = [e for e in events if e["date"] == "2025-02-11" and e["kind"] == "EXCHANGE_ACTION"]
    lkco = "Luokung Technology Corp. (NASDAQ LKCO)"
    assert row["description"] == f"{lkco} delisting announced by Nasdaq Stock Market"
    assert row["action"] == "announce_delisting"
    assert row["other"]["id"] == "EXCH:NASDAQ" and row["sources"][0]["url"].startswith("https://www.sec.gov/")


def test_show_leads_an_undated_relation_with_the_source_that_shows_it(cli: Cli) -> None:
    """Proven Glory's parent: the line cites Huawei Investment & Holding's annual report (which calls
    it a wholly-owned subsidiary), not GlobalCapital's bond report (which names the parent as
    guarantor only)."""
    [line] = [x for x in cli("show", "ORG:proven-glory-capital").out.splitlines() if "subsidiary of →" in x]
    assert line.endswith("; https://issuhub.com/view/index/29418?pageIndex=134"), line


def test_a_groups_timeline_tells_what_exchanges_did_to_its_subsidiaries_securities(cli: Cli) -> None:
    """`timeline ORG:china-telecommunications-corp` (the group DoD listed) shows NYSE's suspension and
    delisting of China Telecom Corporation Limited's ADS, each line saying through which subsidiary,
    with the date and sources `timeline SEC:NYSE:CHA` gives them."""
    via, nyse = " (via China Telecom Corporation Limited)", "New York Stock Exchange"
    group = cli("timeline", "ORG:china-telecommunications-corp").out.splitlines()
    security = cli("timeline", "SEC:NYSE:CHA").out.splitlines()
    ads = "China Telecom Corporation Limited (NYSE CHA ADS)"
    for day, words in (("2021-01-11", "trading suspended by"), ("2021-05-18", "delisted by")):
        # the delisting ended the listing; the suspension had ended the trading (review eyes35 N4)
        after = " (trading there suspended since 2021-01-11)" if day == "2021-05-18" else ""
        [line] = [x for x in group if x.startswith(f"{day}  {ads} {words} {nyse}{after}{via}  (")]
        [own] = [x for x in security if x.startswith(f"{day}  {words} {nyse}{after}  (")]
        assert line.replace(f"{ads} ", "", 1).replace(via, "", 1) == own


def test_show_says_an_open_1237_listings_end_was_not_checked(cli: Cli) -> None:
    """Review 35 N6: Huawei's §1237 listing read "from 2020-06-24, no end recorded" and nothing else;
    its page now says the end was not checked, under the listing."""
    lines = cli("show", "ORG:huawei").out.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("  listed on → ") and "[LIST:DOD-1237]" in ln)
    assert "from 2020-06-24, no end recorded" in lines[at]
    cite = next(i for i in range(at, len(lines)) if lines[i].startswith("      ordergraph cite"))
    block = lines[at + 1 : cite]
    assert any(ln.startswith("      Note on the end: Not checked: ") for ln in block), block


def test_show_of_the_1237_list_says_how_much_of_each_release_is_shown(cli: Cli) -> None:
    text = cli("show", "LIST:DOD-1237").out
    for day, size in (("2020-06-24", 20), ("2020-08-28", 31), ("2020-12-03", 35), ("2021-01-14", 44)):
        shown = f"edition {day}: {size} of {size} members shown (size not confirmed by the list's keeper)"
        assert shown in text
    assert "may have named more" not in text


def _other_readings(cli: Cli, entity: str, edge_id: str) -> list[str]:
    """The lines ``show`` prints under one edge for the values other than its own."""
    lines = cli("show", entity).out.splitlines()
    end = lines.index(f"      ordergraph cite '{edge_id}'")
    start = max(i for i in range(end) if lines[i].startswith("  ") and not lines[i].startswith("   "))
    return [ln.strip() for ln in lines[start:end] if " — " in ln and ln.startswith("      ")]


def test_show_gives_a_value_its_own_body_moved_as_moved_not_as_a_disagreement(cli: Cli) -> None:
    """Commerce set TikTok's app-store ban for 2020-09-20 and moved it itself to 2020-09-27 on
    2020-09-19 (the disputed entry's ``until``): a change, which the timeline words as one; ``show``
    listed it under "sources disagree" (s35-fix2's note)."""
    [line] = _other_readings(cli, "APP:tiktok", "TARGETS|EO:13942|APP:tiktok|2020-08-06")
    assert line.startswith(
        "moved — Prohibitions apply from: set for 2020-09-20, moved on 2020-09-19 to 2020-09-27 ("
    ), line
    assert "sources disagree" not in line


def test_show_gives_a_value_sources_give_in_a_case_they_name_with_the_other_case(cli: Cli) -> None:
    """Luokung's 6-K: "2021-03-15, or 2021-05-27 if GL 1A applies" (the entry's ``condition``):
    one source giving both days, against no one. The misspelt listing gives no start of prohibitions
    of its own, so the other case is the order's rule's; a real disagreement still reads as one."""
    edge = "LISTED_ON|ORG:luokung|LIST:DOD-1237|2021-01-14|misspelt"
    [line] = _other_readings(cli, "ORG:luokung", edge)
    assert line.startswith(
        "in one case — Prohibitions apply from: 2021-05-27 if OFAC's General License 1A applies to the"
        " company, else the day the order's rule gives ("
    ), line
    relisting = "LISTED_ON|ORG:luokung|LIST:DOD-1237|2021-03-09|relisting"
    assert [ln.split(" (")[0] for ln in _other_readings(cli, "ORG:luokung", relisting)] == [
        "sources disagree — Start: 2021-03-10"
    ]


def test_show_says_trading_had_stopped_before_a_listing_ended(cli: Cli) -> None:
    """NYSE delisted China Mobile's ADSs on 2021-05-18, but had suspended trading in them since
    2021-01-11 (review eyes35 N4): "trades on NYSE … → 2021-05-18" says so, as the timeline's
    delisting row does; JSON gives the day. A listing that ended with no suspension in force
    (Luokung's LKCO, still trading) says nothing more."""
    lines = cli("show", "SEC:NYSE:CHL").out.splitlines()
    [line] = [ln for ln in lines if ln.startswith("  trades on → ")]
    since = " (trading there suspended since 2021-01-11);"
    assert line.startswith(
        f"  trades on → New York Stock Exchange [EXCH:NYSE] 1997-10-22 → 2021-05-18{since}"
    ), line
    data = cli("show", "SEC:NYSE:CHL", "--json").json()
    [trades] = [e for e in data["edges"] if e["kind"] == "TRADES_ON"]
    assert trades["trading_suspended_since"] == "2021-01-11"
    others = [e for e in data["edges"] if e["kind"] != "TRADES_ON"]
    assert all(e["trading_suspended_since"] is None for e in others)
    assert "suspended since" not in cli("show", "SEC:NASDAQ:LKCO").out
    # The exchange's page says it of each: CNOOC's ADSs, suspended 2021-03-09, delisted 2021-10-22.
    nyse = cli("show", "EXCH:NYSE").out.splitlines()
    assert any(
        ln.startswith("  trades on ← China Mobile Limited (NYSE CHL ADS)") and since in ln for ln in nyse
    )
    cnooc = " [SEC:NYSE:CEO] 2001-02 → 2021-10-22 (trading there suspended since 2021-03-09);"
    assert any(cnooc in ln for ln in nyse)


def test_path_credits_a_steps_date_to_the_source_that_gives_it_as_affects_does(cli: Cli) -> None:
    """The path finder's step gives the source of its day as an affects why path's does (note 36)."""
    text = cli("path", "ORG:tencent", "APP:wechat").out
    [step] = {ln.strip() for ln in text.splitlines() if "—develops (from 2011-01-21" in ln}
    assert step == (
        "—develops (from 2011-01-21, no end recorded; verified; https://www.federalregister.gov/d/2020-17700;"
        " date as given by https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/)→"
    )


def test_affects_why_credits_a_steps_date_to_the_source_that_gives_it(cli: Cli) -> None:
    """WeChat's developer is stated by EO 13943 (FR 2020-17700), its launch day by TechNode: the why
    path's step gives both, as `timeline APP:wechat` does (review 34 M8)."""
    text = cli("affects", "0700.HK", "--as-of", "2021-03-01").out
    [step] = {ln.strip() for ln in text.splitlines() if "—develops (from 2011-01-21" in ln}
    assert step == (
        "—develops (from 2011-01-21, no end recorded; verified; https://www.federalregister.gov/d/2020-17700;"
        " date as given by https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/)→"
    )

"""The CLI twins of the app's panels: reaches, screen, cite, changes, and a company asked about.

Each command is checked against the graph function it prints, on the curated corpus.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.affects import affects
from graph.cite import cite
from graph.model import authority_order, by_authority
from graph.store.memory import MemoryStore
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[1]


def _json(result: CliResult) -> Any:
    assert result.code == 0, result.err
    return result.json()


# ---- reaches ---------------------------------------------------------------------------------


def test_reaches_lists_what_affects_says_for_each_security(cli: Cli, store: MemoryStore) -> None:
    data = _json(cli("reaches", "EO 14032", "--as-of", "2021-09-01", "--json"))
    assert data["order"]["id"] == "EO:14032" and data["as_of"] == "2021-09-01"
    rows = {r["security"]["id"]: r for r in data["securities"]}
    assert {"SEC:HKEX:0941", "SEC:HKEX:0728", "SEC:HKEX:0981"} <= set(rows)
    for security_id, row in rows.items():
        effect = next(o for o in affects(store, security_id, date(2021, 9, 1)).orders if o.id == "EO:14032")
        assert (row["status"], row["applies_from"]) == (effect.status, effect.applies_from)
    text = cli("reaches", "EO:14032", "--as-of", "2021-09-01")
    assert f"{len(rows)} securities" in text.out
    assert re.search(r"in_force\s+2021-08-02\s+2022-06-03 00:01 EDT\s+SEC:HKEX:0941", text.out)


def test_reaches_before_and_after_an_order_applies(cli: Cli, store: MemoryStore) -> None:
    before = _json(cli("reaches", "EO:14032", "--as-of", "2021-05-01", "--json"))
    assert before["securities"] == []
    lines = cli("reaches", "EO:14032", "--as-of", "2021-05-01").out.splitlines()
    assert "reaches no security on that day" in lines[1] and "not signed until 2021-06-03" in lines[1]
    # Not yet signed: no edge says so, the order's own sources do (they give its signing date).
    order = store.get_node("EO:14032")
    assert order is not None
    urls = [s.url for s in by_authority(list(order.sources), "ExecutiveOrder")]
    assert urls and [s["url"] for s in before["inactive"]["sources"]] == urls
    assert lines[2:] == [f"  source: EO:14032: {'; '.join(urls)}"]
    july = _json(cli("reaches", "EO:14032", "--as-of", "2021-07-01", "--json"))
    assert july["securities"] and {r["status"] for r in july["securities"]} == {"pending"}


def test_reaches_of_an_ended_order_says_how_it_ended_and_what_it_reached_on_its_last_day(
    cli: Cli, store: MemoryStore
) -> None:
    """EO 13959 with no date: superseded in part (§§1–5 and the Annex) by EO 14032 on 2021-06-03, not
    revoked; on 2021-06-02 it reached 22 securities, 21 in force (CRRC's A and H shares among them, issue 7)
    and Luokung's enjoined — the app's box."""
    from graph.reaches import reaches

    data = _json(cli("reaches", "EO:13959", "--json"))
    ended = data["ended"]
    assert (ended["how"], ended["on"], ended["last_day"], ended["by"]["id"]) == (
        "superseded",
        "2021-06-03",
        "2021-06-02",
        "EO:14032",
    )
    assert ended["scope"] == "§§1–5 and the Annex" and ended["restricts_securities"] is True
    assert ended["counts"] == {"in_force": 21, "enjoined": 1}
    assert {"SEC:SSE:601766", "SEC:HKEX:1766"} <= {r["security"]["id"] for r in ended["securities"]}
    last = reaches(store, "EO:13959", date(2021, 6, 2)).securities
    assert [r["security"]["id"] for r in ended["securities"]] == [r.security.id for r in last]
    lines = cli("reaches", "EO:13959").out.splitlines()
    assert "Executive Order 14032 superseded its §§1–5 and the Annex on 2021-06-03." in lines
    said = (
        "On 2021-06-02, the last day its §§1–5 and the Annex applied, "
        "it reached 22 securities: 21 in force, 1 enjoined."
    )
    assert said in lines and not [line for line in lines if "last day in force" in line]
    assert any(re.search(r"enjoined\s+.*SEC:NASDAQ:LKCO", line) for line in lines)


def test_reaches_of_a_revoked_app_order_says_it_was_enjoined_and_prints_no_table(cli: Cli) -> None:
    data = _json(cli("reaches", "EO:13943", "--json"))
    ended = data["ended"]
    assert (ended["how"], ended["last_day"], ended["restricts_securities"]) == (
        "revoked",
        "2021-06-08",
        False,
    )
    assert [(i["case"]["id"], i["nationwide"]) for i in ended["injunctions"]] == [
        ("CASE:NDCAL:3:20-cv-05910", True)
    ]
    out = cli("reaches", "EO:13943").out
    assert "Executive Order 14034 revoked it on 2021-06-09." in out
    assert "It governed no list of securities of its own." in out
    assert "In force against it on 2021-06-08: a nationwide injunction in" in out
    assert "SEC:" not in out and "securities:" not in out  # no last-day table for a transaction ban
    assert "last day in force" not in cli("reaches", "EO:13974").out  # an amending order: nothing to count


def test_reaches_of_a_revoked_order_says_why_it_reaches_nothing(cli: Cli) -> None:
    lines = cli("reaches", "EO:13943", "--as-of", "2022-01-01").out.splitlines()
    assert lines[1].startswith("it reaches no security on that day: Executive Order 13943")
    assert "revoked by Executive Order 14034" in lines[1] and lines[1].endswith("on 2021-06-09")
    data = _json(cli("reaches", "EO:13943", "--as-of", "2022-01-01", "--json"))
    assert "revoked by Executive Order 14034" in data["inactive"]["reason"]
    (edge,) = data["inactive"]["edges"]
    assert edge["kind"] == "REVOKES" and edge["source"] == "EO:14034" and edge["sources"]
    # The text names the edge and every source's address, in the JSON's order (most authoritative first).
    urls = "; ".join(s["url"] for s in edge["sources"])
    assert lines[2] == f"  source: {edge['id']}: {urls}"


def test_reaches_of_a_superseded_order_cites_the_edge(cli: Cli, store: MemoryStore) -> None:
    data = _json(cli("reaches", "EO:13959", "--as-of", "2021-07-01", "--json"))
    (supersedes,) = store.edges_of("EO:13959", "in", ["SUPERSEDES"])
    (edge,) = data["inactive"]["edges"]
    assert edge["id"] == supersedes.id
    ranked = by_authority(list(supersedes.sources), "SUPERSEDES")
    assert [s["url"] for s in edge["sources"]] == [s.url for s in ranked]
    assert f"  source: {supersedes.id}: " in cli("reaches", "EO:13959", "--as-of", "2021-07-01").out


def test_reaches_needs_an_order(cli: Cli) -> None:
    result = cli("reaches", "ORG:xiaomi", "--as-of", "2021-03-01")
    assert result.code == 2 and "not an executive order" in result.err


# ---- screen ----------------------------------------------------------------------------------

PORTFOLIO = "ticker,shares\n0728.HK,100\nCHL,5\n1810.HK,10\nZZZZ.HK,1\nSMIC,7\nAAPL,3\n"


def test_screen_reports_every_holding(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "portfolio.csv"
    file.write_text(PORTFOLIO)
    data = _json(cli("screen", str(file), "--as-of", "2021-03-10", "--json"))
    assert data["holdings"] == 6
    affected = {(r["input"], r["security"]["id"], r["order"]["id"], r["status"]) for r in data["affected"]}
    assert ("0728.HK", "SEC:HKEX:0728", "EO:13959", "in_force") in affected
    assert ("1810.HK", "SEC:HKEX:1810", "EO:13959", "enjoined") not in affected  # enjoined on 03-12, not yet
    assert ("1810.HK", "SEC:HKEX:1810", "EO:13959", "pending") in affected
    unresolved = {u["input"]: u for u in data["unresolved"]}
    assert set(unresolved) == {"ZZZZ.HK", "AAPL"}
    seen = {r["input"] for r in data["affected"]} | {c["input"] for c in data["clear"]} | set(unresolved)
    assert seen == {"0728.HK", "CHL", "1810.HK", "ZZZZ.HK", "SMIC", "AAPL"}  # never dropped
    text = cli("screen", str(file), "--as-of", "2021-03-10").out
    assert "6 holdings as of 2021-03-10" in text and "ZZZZ.HK: unknown" in text
    assert "Under EO 13959 US persons may not buy this security from 2021-03-09" in text


def test_screen_says_a_transaction_ban_is_not_on_trading_in_securities(cli: Cli) -> None:
    """Tencent on 2021-03-01: EO 13943 (WeChat, enjoined) and EO 13971 (never put into effect) reach
    it as transaction bans. The table's restriction says they are not on trading in its securities
    (review 34 H2, as `affects` and the sentence say), EO 13971's status that its prohibitions never
    came, never a bare "pending"; Xiaomi's securities ban reads "securities". JSON keeps the codes."""
    stdin = "0700.HK\n1810.HK\n"
    lines = cli("screen", "-", "--as-of", "2021-03-01", stdin=stdin).out.splitlines()
    header = next(ln for ln in lines if ln.strip().startswith("holding"))
    assert header.split()[:5] == ["holding", "security", "order", "restriction", "status"], header
    rows = {ln.split()[2]: ln for ln in lines if ln.startswith("  0700.HK") or ln.startswith("  1810.HK")}
    dealings = "transactions (not trading in its securities)"
    assert f"EO:13943  {dealings}  enjoined" in rows["EO:13943"], rows
    assert f"EO:13971  {dealings}  never put into effect" in rows["EO:13971"], rows
    assert "EO:13959  securities" in rows["EO:13959"] and "pending" in rows["EO:13959"]
    data = _json(cli("screen", "-", "--as-of", "2021-03-01", "--json", stdin=stdin))
    codes = {(r["order"]["id"], r["restriction"], r["status"]) for r in data["affected"]}
    assert ("EO:13971", "transactions", "pending") in codes


def test_screen_ambiguous_holdings_carry_suggestions(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text("1811.HK\n0941.HK\n")
    data = _json(cli("screen", str(file), "--as-of", "2021-03-10", "--json"))
    near = next(u for u in data["unresolved"] if u["input"] == "1811.HK")
    assert any(s.startswith("SEC:HKEX:1810") for s in near["suggestions"])
    assert "did you mean SEC:HKEX:1810" in cli("screen", str(file), "--as-of", "2021-03-10").out


def test_screen_reads_stdin_and_prints_csv(cli: Cli) -> None:
    result = cli("screen", "-", "--as-of", "2021-03-10", "--csv", stdin="0728.HK\nZZZZ.HK\n")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("input,security_id,security,order_id")
    assert lines[1].startswith("0728.HK,SEC:HKEX:0728,") and lines[-1].startswith("ZZZZ.HK,,")


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "no tickers"), (b"\xff\xfe1810", "not UTF-8"), (b"x" * 1000 + b"\n", "too long for a ticker")],
)
def test_screen_bad_files_exit_2_naming_the_file(
    cli: Cli, tmp_path: Path, content: bytes, words: str
) -> None:
    file = tmp_path / "p.csv"
    file.write_bytes(content)
    result = cli("screen", str(file), "--as-of", "2021-03-10")
    assert result.code == 2 and result.err.startswith(f"error: {file}: ") and words in result.err
    missing = cli("screen", str(tmp_path / "nope.csv"), "--as-of", "2021-03-10", "--json")
    assert missing.code == 2 and str(tmp_path / "nope.csv") in json.loads(missing.err)["message"]


# ---- cite ------------------------------------------------------------------------------------


def test_cite_prints_the_graph_citation(cli: Cli, store: MemoryStore) -> None:
    edge_id = "GOVERNS|EO:13959|LIST:DOD-1237|2020-11-12"
    expected = cite(store, edge_id)
    data = _json(cli("cite", edge_id, "--json"))
    assert data == expected.model_dump(mode="json")
    text = cli("cite", edge_id).out.splitlines()
    assert text[0] == expected.text and text[0].startswith("Exec. Order No. 13959, 85 Fed. Reg. 73185")
    assert [line.removeprefix("  source: ") for line in text[1:]] == expected.sources


def test_show_prints_a_cite_command_per_edge_that_works(cli: Cli) -> None:
    shown = cli("show", "ORG:xiaomi").out
    commands = [line.strip() for line in shown.splitlines() if line.strip().startswith("ordergraph cite ")]
    assert len(commands) == len(_json(cli("show", "ORG:xiaomi", "--json"))["edges"])
    for command in commands:
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0 and result.out.strip(), command


def test_every_face_lists_the_source_that_shows_an_undated_relation_first(cli: Cli) -> None:
    """Proven Glory's parent link has no start; Huawei Investment & Holding's annual report shows it
    (a wholly-owned subsidiary: ``known_from_stated_by``); GlobalCapital's bond report (guarantor only,
    ``press``: first by authority alone) and the copy of OFAC's list do not. `show`, `path`,
    `neighbours` and `cite`, text and JSON, name the annual report first (graph.model.ranked_sources)."""
    glory = "SUBSIDIARY_OF|ORG:proven-glory-capital|ORG:huawei-investment-holding|-"
    report = "https://issuhub.com/view/index/29418?pageIndex=134"
    pair = ("ORG:proven-glory-capital", "ORG:huawei-investment-holding")
    shown = next(e for e in _json(cli("show", pair[0], "--json"))["edges"] if e["id"] == glory)
    (path,) = _json(cli("path", *pair, "--json"))["paths"]
    near = next(e for e in _json(cli("neighbours", pair[0], "--json"))["edges"] if e["id"] == glory)
    order = authority_order("SUBSIDIARY_OF")
    for sources in (shown["sources"], path[1]["sources"], near["sources"]):
        assert sources[0]["url"] == report
        # What makes this test able to fail: by authority alone another source would lead.
        assert min(order.index(s["kind"]) for s in sources[1:]) < order.index(sources[0]["kind"])
    assert _json(cli("cite", glory, "--json"))["text"].endswith(report)
    line = next(x for x in cli("show", pair[0]).out.splitlines() if "subsidiary of →" in x)
    assert line.endswith(report), line
    assert f"verified; {report})" in cli("path", *pair).out


def test_cite_an_unknown_edge_exits_2(cli: Cli) -> None:
    result = cli("cite", "LISTED_ON|ORG:nobody|LIST:x|2021", "--json")
    assert result.code == 2 and "unknown edge" in json.loads(result.err)["message"]


# ---- changes ---------------------------------------------------------------------------------


def test_changes_in_january_2021(cli: Cli) -> None:
    data = _json(cli("changes", "--from", "2021-01-01", "--to", "2021-01-31", "--json"))
    assert (data["start"], data["end"]) == ("2021-01-01", "2021-01-31")
    days = {d["date"]: d["changes"] for d in data["days"]}
    assert list(days) == sorted(days) and all("2021-01-01" <= d <= "2021-01-31" for d in days)
    xiaomi = [c for c in days["2021-01-14"] if any(e["id"] == "ORG:xiaomi" for e in c["entities"])]
    assert xiaomi and xiaomi[0]["what"] == "began" and xiaomi[0]["kind"] == "LISTED_ON"
    text = cli("changes", "--from", "2021-01-01", "--to", "2021-01-31").out
    assert "\n2021-01-14\n" in text and "Xiaomi Corporation listed on" in text
    assert (
        "         New York Stock Exchange suspends trading in China Mobile Limited (NYSE CHL ADS)  (https://"
        in text
    )


def test_changes_window_errors(cli: Cli) -> None:
    backwards = cli("changes", "--from", "2021-02-01", "--to", "2021-01-01")
    assert backwards.code == 2 and "before it starts" in backwards.err
    assert cli("changes", "--to", "2021-01-01").code == 2  # --from is required
    empty = cli("changes", "--from", "1990-01-01", "--to", "1990-01-31")
    assert empty.code == 0 and "nothing began or ended" in empty.out
    assert "(today: no --to given)" in cli("changes", "--from", "2021-01-01").out


# ---- a company where a security is needed ----------------------------------------------------


def test_affects_a_company_lists_its_listed_securities(cli: Cli) -> None:
    result = cli("affects", "China Unicom", "--as-of", "2021-02-01")
    assert result.code == 2
    assert "is the company China United Network Communications Group" in result.err
    for security in ("SEC:HKEX:0762", "SEC:NYSE:CHU"):
        assert f"ordergraph affects {security} --as-of 2021-02-01" in result.err
    error = json.loads(cli("affects", "China Unicom", "--as-of", "2021-02-01", "--json").err)
    assert error["error"] == "company_not_security"
    assert error["suggestions"] == ["SEC:HKEX:0762", "SEC:NYSE:CHU"]
    for security in error["suggestions"]:  # each suggestion answers
        assert cli("affects", security, "--as-of", "2021-02-01").code == 0


def test_affects_a_name_two_companies_bear_is_one_message_listing_the_securities(cli: Cli) -> None:
    """`affects SMIC`: SMIC (its alias) and SMIC Holdings Limited (its name, legal words aside) both
    bear it. One message, not a note "answering for ORG:smic" then a question: SMIC's listed
    securities, each named, with the command for each; the other company named, and why it is not
    asked about (no listed security)."""
    result = cli("affects", "SMIC", "--as-of", "2021-02-01")
    assert result.code == 2 and result.out == ""
    lines = result.err.splitlines()
    assert not any(line.startswith("note:") for line in lines), lines
    assert lines[0] == (
        "error: 'SMIC' is the company Semiconductor Manufacturing International Corporation [ORG:smic],"
        " with 2 listed securities; which one?"
    )
    assert lines[1:3] == [
        "  ordergraph affects SEC:HKEX:0981 --as-of 2021-02-01"
        "    # Semiconductor Manufacturing International Corporation (HKEX 0981)",
        "  ordergraph affects SEC:SSE:688981 --as-of 2021-02-01"
        "    # Semiconductor Manufacturing International Corporation (SSE 688981)",
    ]
    assert lines[3:] == [
        "'SMIC' also names SMIC Holdings Limited [ORG:smic-holdings] (Company): no listed security"
    ]
    error = json.loads(cli("affects", "SMIC", "--as-of", "2021-02-01", "--json").err)
    assert error["error"] == "company_not_security" and error["suggestions"] == [
        "SEC:HKEX:0981",
        "SEC:SSE:688981",
    ]
    assert error["message"] == "\n".join(lines)[len("error: ") :]


def test_affects_a_name_an_app_and_a_company_bear_says_neither_is_a_security(cli: Cli) -> None:
    """`affects TikTok`: the app and TikTok Inc.; neither is listed: one error naming both."""
    result = cli("affects", "TikTok", "--as-of", "2021-02-01")
    assert result.code == 2 and not any(line.startswith("note:") for line in result.err.splitlines())
    assert result.err.splitlines() == [
        "error: 'TikTok' is TikTok [APP:tiktok] (App), not a listed security;"
        " try `ordergraph show APP:tiktok`",
        "'TikTok' also names TikTok Inc. [ORG:tiktok-inc] (Company): no listed security",
    ]


def test_affects_a_loosely_read_company_with_one_listing_says_so_in_one_note(cli: Cli) -> None:
    """'Xiomi' is read as Xiaomi Corporation, which has one listed security: one note says both."""
    result = cli("affects", "Xiomi", "--as-of", "2021-02-01")
    assert result.code == 0 and result.out.startswith("Xiaomi Corporation (HKEX 1810) [SEC:HKEX:1810]")
    [note] = result.err.splitlines()
    assert note.startswith("note: 'Xiomi' read as ORG:xiaomi (Xiaomi Corporation), score ")
    assert note.endswith("; answering for its one listed security, SEC:HKEX:1810")


@pytest.mark.parametrize(
    ("typed", "security"),
    [
        ("Xiaomi", "SEC:HKEX:1810"),
        ("1810.HK", "SEC:HKEX:1810"),
        ("CHL", "SEC:NYSE:CHL"),
        ("01810", "SEC:HKEX:1810"),
    ],
)
def test_affects_a_ticker_or_a_company_with_one_listing_answers(cli: Cli, typed: str, security: str) -> None:
    result = cli("affects", typed, "--as-of", "2021-02-01", "--json")
    assert result.code == 0 and result.err == "" and result.json()["security"]["id"] == security
    text = cli("affects", typed, "--as-of", "2021-02-01")
    assert text.out == cli("affects", security, "--as-of", "2021-02-01").out
    assert len(text.err.splitlines()) == (1 if typed == "Xiaomi" else 0), text.err


def test_affects_china_mobile_lists_its_three_securities(cli: Cli) -> None:
    result = cli("affects", "China Mobile", "--as-of", "2021-02-01")
    assert result.code == 2 and result.err.splitlines() == [
        "error: 'China Mobile' is the company China Mobile Limited [ORG:china-mobile-ltd], with 3 listed"
        " securities; which one?",
        "  ordergraph affects SEC:HKEX:0941 --as-of 2021-02-01    # China Mobile Limited (HKEX 0941)",
        "  ordergraph affects SEC:NYSE:CHL --as-of 2021-02-01    # China Mobile Limited (NYSE CHL ADS)",
        "  ordergraph affects SEC:SSE:600941 --as-of 2021-02-01    # China Mobile Limited (SSE 600941)",
    ]


def test_affects_a_company_with_one_listing_answers_for_it(cli: Cli) -> None:
    data = _json(cli("affects", "ORG:xiaomi", "--as-of", "2021-02-01", "--json"))
    assert data["security"]["id"] == "SEC:HKEX:1810" and data["resolved"]["id"] == "ORG:xiaomi"
    text = cli("affects", "ORG:xiaomi", "--as-of", "2021-02-01")
    assert "answering for its one listed security" in text.err


def test_affects_an_unlisted_company_says_so(cli: Cli) -> None:
    result = cli("affects", "ORG:huawei")
    assert result.code == 2 and "has no listed security" in result.err
    assert "ordergraph show ORG:huawei" in result.err


def test_affects_explain_says_so_when_no_other_route_needs_explaining(cli: Cli) -> None:
    """--explain asks why other routes do not hold: when none fails (1810.HK on 2021-02-01, its one
    route holds), it says so instead of printing nothing more than without it."""
    plain = cli("affects", "1810.HK", "--as-of", "2021-02-01").out
    explained = cli("affects", "1810.HK", "--as-of", "2021-02-01", "--explain").out
    assert explained.startswith(plain.rstrip("\n"))
    assert explained.rstrip("\n").splitlines()[-1] == "  ruled out: none (every route found holds)"
    june = cli("affects", "1810.HK", "--as-of", "2021-06-01", "--explain").out
    assert "  not: Xiaomi Corporation was on" in june and "ruled out: none" not in june


def test_affects_text_leads_with_the_plain_sentence(cli: Cli) -> None:
    text = cli("affects", "1810.HK", "--as-of", "2021-02-01").out
    assert "  in short: Under EO 13959 US persons may not buy this security from 2021-03-15" in text


def test_a_later_shares_answer_and_timeline_begin_on_the_day_it_was_issued(cli: Cli) -> None:
    """China Telecom's Shanghai A-share began trading on 2021-08-20. Its short answer gave the rule's
    day for the company (2021-08-02), its timeline the company's rows from before it existed
    ("2021-03-09  EO 13959 — prohibitions apply: …") and "issued by" twice on its first day."""
    text = cli("affects", "601728.SS", "--as-of", "2022-07-01").out
    assert (
        "  in short: Under EO 14032 US persons may not buy this security from 2021-08-20, when it was "
        "issued (for its issuer from 2021-08-02);"
    ) in text
    rows = cli("timeline", "SEC:SSE:601728").out.splitlines()[1:]
    assert [r[:10] for r in rows] == ["2021-08-20", "2021-08-20", "2022-06-03"], rows
    assert rows[0].startswith(
        "2021-08-20  EO 14032 — issued by China Telecom Corporation Limited: the order's prohibitions "
        "apply to it from this day (likely)  (https://"
    )
    assert rows[1].startswith("2021-08-20  trades on Shanghai Stock Exchange (likely)")


_ISSUED_LATER = "2021-08-20, when it was issued (for its issuer from 2021-08-02)"


def test_every_face_of_a_later_share_gives_its_own_first_day(cli: Cli) -> None:
    """Issue 7: after the "in short" sentence gave China Telecom's Shanghai A-share its own first day
    (issued 2021-08-20, its issuer's prohibitions applying from 2021-08-02), affects' details line
    still said "prohibitions apply from 2021-08-02", and reaches and the screen gave 2021-08-02 for it
    and for China Mobile's 600941 (issued 2022-01-05). Text says the security's own day; JSON keeps
    ``applies_from`` and adds ``security_applies_from``."""
    text = cli("affects", "601728.SS", "--as-of", "2022-07-01").out
    assert f"  restriction: securities; status: in_force; prohibitions apply from {_ISSUED_LATER}\n" in text
    (order,) = _json(cli("affects", "601728.SS", "--as-of", "2022-07-01", "--json"))["orders"]
    assert (order["applies_from"], order["security_applies_from"]) == ("2021-08-02", "2021-08-20")
    hk = _json(cli("affects", "0728.HK", "--as-of", "2022-07-01", "--json"))["orders"]
    assert [(o["applies_from"], o["security_applies_from"]) for o in hk] == [("2021-08-02", "2021-08-02")]
    assert "prohibitions apply from 2021-08-02\n" in cli("affects", "0728.HK", "--as-of", "2022-07-01").out

    data = _json(cli("reaches", "EO:14032", "--as-of", "2022-07-01", "--json"))
    rows = {r["security"]["id"]: r for r in data["securities"]}
    assert (rows["SEC:SSE:601728"]["applies_from"], rows["SEC:SSE:601728"]["security_applies_from"]) == (
        "2021-08-02",
        "2021-08-20",
    )
    assert rows["SEC:SSE:600941"]["security_applies_from"] == "2022-01-05"
    table = cli("reaches", "EO:14032", "--as-of", "2022-07-01").out
    assert re.search(r"in_force\s+2021-08-20\s+2022-06-03 00:01 EDT\s+SEC:SSE:601728", table), table
    assert re.search(r"in_force\s+2022-01-05\s+2022-06-03 00:01 EDT\s+SEC:SSE:600941", table), table
    assert re.search(r"in_force\s+2021-08-02\s+2022-06-03 00:01 EDT\s+SEC:HKEX:0728", table), table
    (later,) = [line for line in table.splitlines() if line.startswith("Applying from the day each")]
    assert later.startswith("Applying from the day each was issued, after the order reached its issuer: ")
    issuer = "(for its issuer from 2021-08-02)"
    assert f"China Telecom Corporation Limited (SSE 601728), issued 2021-08-20 {issuer}" in later
    assert f"China Mobile Limited (SSE 600941), issued 2022-01-05 {issuer}" in later
    assert "0728" not in later

    screened = cli("screen", "-", "--as-of", "2022-07-01", stdin="601728.SS\n").out
    row = r"601728\.SS\s+SEC:SSE:601728\s+EO:14032\s+securities\s+in force\s+2021-08-20\s"
    assert re.search(row, screened), screened


_CREDIT = re.compile(r"; date as given by (\S+?)\)")


def _credited_steps(paths: list[list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """Each edge step of some JSON paths with the address the JSON credits its date to."""
    return [(s["kind"], s["date_given_by"]) for p in paths for s in p if "date_given_by" in s]


def test_path_and_affects_json_credit_each_steps_date_as_the_text_does(cli: Cli) -> None:
    """Issue 7: where a step's first source does not give its date, ``path`` and ``affects`` print
    "date as given by URL" (EO 13943 names WeChat's developer; TechNode gives the launch day, 2011-01-21),
    as the app does; their JSON said nothing of it. Each such step now carries ``date_given_by``, the
    address of the source that states the date (one of its ``sources``); no other step has the key."""
    technode = "https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/"
    text = cli("path", "ORG:tencent", "APP:wechat").out
    data = _json(cli("path", "ORG:tencent", "APP:wechat", "--json"))
    assert _credited_steps(data["paths"]) == [("DEVELOPS", technode)]
    assert _CREDIT.findall(text) == [technode]
    steps = [s for p in data["paths"] for s in p if s["type"] == "edge"]
    assert all(s["date_given_by"] in {x["url"] for x in s["sources"]} for s in steps if "date_given_by" in s)

    text = cli("affects", "0700.HK", "--as-of", "2021-03-10").out
    data = _json(cli("affects", "0700.HK", "--as-of", "2021-03-10", "--json"))
    credited = [c for o in data["orders"] for c in _credited_steps(o["paths"])]
    assert ("DEVELOPS", technode) in credited
    assert [url for _, url in credited] == _CREDIT.findall(text)
    uncredited = [s for o in data["orders"] for p in o["paths"] for s in p if s["type"] == "edge"]
    assert any("date_given_by" not in s for s in uncredited)  # a step whose first source gives its day

    # The exchange's line: NYSE's delisting of China Mobile's ADS, dated by the company's own page.
    text = cli("affects", "NYSE:CHL", "--as-of", "2021-05-18").out
    exchange = _json(cli("affects", "NYSE:CHL", "--as-of", "2021-05-18", "--json"))["exchange_status"]
    assert exchange["date_given_by"] == "https://chinamobileltd.com/en/about/overview.php"
    assert "date as given by https://chinamobileltd.com/en/about/overview.php" in text.splitlines()[1]


_ROW_CREDIT = re.compile(r"; date as given by (\S+?)\)$")


def _row_credits(lines: list[str]) -> list[str | None]:
    """The address each text row credits its date to ("date as given by URL"), None where it does not."""
    return [m.group(1) if (m := _ROW_CREDIT.search(line)) else None for line in lines]


def test_timeline_and_changes_json_credit_each_rows_date_as_the_text_does(cli: Cli) -> None:
    """Issue 7: a row of ``timeline`` and of ``changes`` whose first source does not give its date
    prints "date as given by URL" (WeChat's 2011-01-21 "developed by Tencent Holdings Ltd.", cited to
    EO 13943's Federal Register page, dated by TechNode); their JSON said nothing of it, as ``path``'s
    did before 7208d54. Each such row now carries ``date_given_by`` (one of its ``sources``), the same
    rule as a path's step; no other row has the key, so text and JSON credit the same rows."""
    technode = "https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/"
    lines = cli("timeline", "APP:wechat").out.splitlines()[1:]
    events = _json(cli("timeline", "APP:wechat", "--json"))["events"]
    assert len(lines) == len(events)
    assert [e.get("date_given_by") for e in events] == _row_credits(lines)
    (launch,) = [e for e in events if e["date"] == "2011-01-21"]
    assert launch["description"] == "developed by Tencent Holdings Ltd."
    assert launch["date_given_by"] == technode
    assert all(e["date_given_by"] in {s["url"] for s in e["sources"]} for e in events if "date_given_by" in e)

    window = ("--from", "2021-01-01", "--to", "2021-06-30")
    lines = [line for line in cli("changes", *window).out.splitlines() if line.startswith("  ")]
    rows = [c for day in _json(cli("changes", *window, "--json"))["days"] for c in day["changes"]]
    assert len(lines) == len(rows)
    credited = [c.get("date_given_by") for c in rows]
    assert credited == _row_credits(lines)
    # DoD's §1237 additions of 2021-01-14 (Mr Watchlist) and the rescission's retroactive day (a repost).
    assert "https://mrwatchlist.com/2021/01/14/well-if-you-dont-know-now-you-know/" in credited
    assert "http://sy3.dreamhosters.com/category/wechat-bans/" in credited
    assert all(c["date_given_by"] in {s["url"] for s in c["sources"]} for c in rows if "date_given_by" in c)


# ---- stats -----------------------------------------------------------------------------------


def test_stats_names_each_edge_kind_by_its_label_and_json_keeps_the_kinds(
    cli: Cli, store: MemoryStore
) -> None:
    """Every face names an edge kind by its label (``listed on``, ``subsidiary of``), as ``show`` and
    the entity page do; ``--json`` keeps the kinds (``LISTED_ON``)."""
    from graph.labels import edge_label
    from graph.query import stats

    expected = stats(store)
    data = _json(cli("stats", "--json"))
    assert data["by_edge_kind"] == expected.by_edge_kind and "LISTED_ON" in data["by_edge_kind"]
    lines = cli("stats").out.splitlines()
    edges = lines[lines.index("edges by kind:") + 1 :]
    assert [line.rsplit(maxsplit=1) for line in edges] == sorted(
        [f"  {edge_label(kind)}", str(count)] for kind, count in expected.by_edge_kind.items()
    )
    assert "  listed on" in "\n".join(edges) and "  subsidiary of" in "\n".join(edges)
    assert not [line for line in edges if re.search(r"[A-Z]{2,}_|[A-Z]{5,}", line)]

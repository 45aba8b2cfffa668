import csv
import io
from datetime import date

from graph.screen import parse_tickers, screen, screen_csv
from graph.store.memory import MemoryStore


def test_parse_tickers_picks_the_ticker_column_and_keeps_order() -> None:
    text = "name,Symbol,shares\nXiaomi,1810.HK,10\nChina Mobile,NYSE:CHL,5\n,,\nXiaomi,1810.HK,1\n"
    assert parse_tickers(text) == ["1810.HK", "NYSE:CHL"]


def test_parse_tickers_reads_a_bare_list_and_a_bom() -> None:
    assert parse_tickers("\ufeff0728.HK\n\n  CHL \n") == ["0728.HK", "CHL"]


def test_screen_keeps_every_holding(store: MemoryStore) -> None:
    holdings = ["0728.HK", "HKEX:1810", "NYSE:CHL", "0700.HK", "ZZZZ.HK"]
    answer = screen(store, holdings, date(2021, 3, 10))
    affected = {(r.input, r.order.id): r for r in answer.affected}
    assert affected[("0728.HK", "EO:13959")].status == "in_force"
    assert affected[("HKEX:1810", "EO:13959")].status == "pending"
    assert affected[("0700.HK", "EO:13943")].status == "enjoined"
    assert [u.input for u in answer.unresolved] == ["ZZZZ.HK"]
    seen = (
        {r.input for r in answer.affected}
        | {c.input for c in answer.clear}
        | {u.input for u in answer.unresolved}
    )
    assert seen == set(holdings)


def test_an_ambiguous_code_is_listed_with_its_candidates(store: MemoryStore) -> None:
    answer = screen(store, ["China"], date(2021, 3, 10))
    assert answer.unresolved and answer.unresolved[0].input == "China"
    assert answer.unresolved[0].problem in ("ambiguous", "unknown")


def test_a_company_name_stands_for_its_listed_securities(store: MemoryStore) -> None:
    answer = screen(store, ["China Unicom"], date(2021, 3, 10))
    assert {r.security.id for r in answer.affected} == {"SEC:HKEX:0762", "SEC:NYSE:CHU"}


def test_screen_csv_has_a_row_per_holding(store: MemoryStore) -> None:
    answer = screen(store, ["0728.HK", "ZZZZ.HK"], date(2021, 3, 10))
    lines = screen_csv(answer).splitlines()
    assert lines[0].startswith("input,security_id")
    assert any(line.startswith("0728.HK,SEC:HKEX:0728") for line in lines)
    assert any(line.startswith("ZZZZ.HK,") and "unknown" in line for line in lines)


def test_screen_csv_gives_the_words_the_screen_table_shows(store: MemoryStore) -> None:
    """A reporter opens the download in a spreadsheet: its restriction and status read as the app's
    table reads them (note 36: "transactions", "in_force" and a bare "pending" for EO 13971, whose
    prohibitions never came); JSON keeps the codes for machines."""
    holdings = ["0700.HK", "1810.HK", "ZZZZ.HK", "LIST:DOD-1237"]
    rows = list(csv.DictReader(io.StringIO(screen_csv(screen(store, holdings, date(2021, 3, 1))))))
    cells = {(r["input"], r["order_id"]): (r["restriction"], r["status"], r["disputed"]) for r in rows}
    dealings = "transactions (dealings with the company or its app, not trading in its securities)"
    assert cells[("0700.HK", "EO:13943")] == (dealings, "enjoined", "no")
    assert cells[("0700.HK", "EO:13971")] == (dealings, "never put into effect", "no")
    assert cells[("1810.HK", "EO:13959")] == ("securities", "pending", "no")
    later = screen_csv(screen(store, ["0728.HK"], date(2021, 3, 10)))
    assert ("0728.HK", "securities", "in force") in {
        (r["input"], r["restriction"], r["status"]) for r in csv.DictReader(io.StringIO(later))
    }
    assert cells[("ZZZZ.HK", "")][1] == "unknown" and cells[("LIST:DOD-1237", "")][1] == "not a security"
    assert not any("_" in r["restriction"] + r["status"] for r in rows)


def test_the_screen_gives_a_later_securitys_own_first_day_beside_its_issuers(store: MemoryStore) -> None:
    """Issue 7: the screen's row for China Telecom's Shanghai A-share (issued 2021-08-20) gave EO 14032's
    day for its issuer (2021-08-02) alone; its sentence already said 2021-08-20. The row and the CSV
    keep ``applies_from`` and add the security's own first day."""
    answer = screen(store, ["601728.SS", "0728.HK", "ZZZZ.HK"], date(2022, 7, 1))
    rows = {r.security.id: r for r in answer.affected if r.order.id == "EO:14032"}
    assert (rows["SEC:SSE:601728"].applies_from, rows["SEC:SSE:601728"].security_applies_from) == (
        "2021-08-02",
        "2021-08-20",
    )
    assert rows["SEC:HKEX:0728"].security_applies_from == "2021-08-02"
    cells = {
        r["security_id"]: (r["applies_from"], r["security_applies_from"])
        for r in csv.DictReader(io.StringIO(screen_csv(answer)))
    }
    assert cells["SEC:SSE:601728"] == ("2021-08-02", "2021-08-20")
    assert cells["SEC:HKEX:0728"] == ("2021-08-02", "2021-08-02")
    # A holding not found keeps its message in the sentence column, never in another's.
    (unknown,) = [r for r in csv.DictReader(io.StringIO(screen_csv(answer))) if r["input"] == "ZZZZ.HK"]
    assert (unknown["status"], unknown["disputed"]) == ("unknown", "") and "ZZZZ.HK" in unknown["sentence"]

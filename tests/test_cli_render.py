"""The text commands print is made in ``cli.render``, from the answer the graph function gives:
each command here prints exactly what its renderer makes of that answer (the command only asks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from cli import render
from graph import query
from graph.changes import changes
from graph.reaches import reaches
from graph.screen import screen
from graph.store.memory import MemoryStore
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _out(result: CliResult) -> str:
    assert result.code == 0, result.err
    return result.out.removesuffix("\n")


def test_reaches_prints_its_renderer(cli: Cli, store: MemoryStore) -> None:
    for order, day in [("EO:14032", "2021-09-01"), ("EO:14032", "2021-05-01"), ("EO:13959", "2021-06-10")]:
        answer = reaches(store, order, date.fromisoformat(day))
        assert _out(cli("reaches", order, "--as-of", day)) == render.reaches(answer)
    today = reaches(store, "EO:14032", date.today())
    assert _out(cli("reaches", "EO:14032")) == render.reaches(today, today=True)
    assert "(today: no --as-of given)" in render.reaches(today, today=True).splitlines()[0]


def test_screen_prints_its_renderer(cli: Cli, store: MemoryStore) -> None:
    tickers = ["0728.HK", "CHL", "1810.HK", "BABA", "XYZ.HK", "China Unicom"]
    answer = screen(store, tickers, date(2021, 3, 10))
    printed = _out(cli("screen", "-", "--as-of", "2021-03-10", stdin="\n".join(tickers) + "\n"))
    assert printed == render.screen(answer)
    assert answer.affected and answer.clear and answer.unresolved  # every part of the text is drawn


def test_changes_prints_its_renderer(cli: Cli, store: MemoryStore) -> None:
    for start, end in [("2021-01-01", "2021-01-31"), ("1990-01-01", "1990-01-31")]:
        found = changes(store, date.fromisoformat(start), date.fromisoformat(end))
        assert _out(cli("changes", "--from", start, "--to", end)) == render.changes(found)
    assert render.changes(found, today=True).startswith(
        "changes from 1990-01-01 to 1990-01-31 (today: no --to given)"
    )


def test_neighbours_prints_its_renderer(cli: Cli, store: MemoryStore) -> None:
    sub = query.neighbours(store, "ORG:xiaomi", 2, None, date(2021, 3, 1))
    assert _out(
        cli("neighbours", "ORG:xiaomi", "--depth", "2", "--as-of", "2021-03-01")
    ) == render.neighbours(sub)
    # Centred on a list: how many of each edition's members are shown comes first.
    listed = query.neighbours(store, "LIST:DOD-1237", 1, ["LISTED_ON"], None)
    counts = query.membership(store, "LIST:DOD-1237")
    printed = _out(cli("neighbours", "LIST:DOD-1237", "--kinds", "listed_on"))
    assert counts and printed == render.neighbours(listed, counts)
    assert printed.startswith(render.neighbours(listed, counts[:1]).split("\n", 1)[0])


def _dataset(
    name: str, seen: tuple[str | None, str | None], loaded: str, records: int = 12
) -> SimpleNamespace:
    first, last = seen
    return SimpleNamespace(
        name=name,
        format="ftm",
        records=records,
        nodes=records // 2,
        edges=records - records // 2,
        first_seen=first,
        last_seen=last,
        loaded_at=loaded,
        path="/data",
        set_aside=0,
        left_out_unknown=False,
    )


def test_sources_columns_stay_aligned_whatever_a_cell_holds() -> None:
    """A long "seen" range (two timestamps), a long dataset name or a large count widens its
    column: every row's cells start where the header's do."""
    base = _dataset("curated", (None, None), "", records=965)
    found = [
        _dataset("os", ("2021-01-01", "2021-06-03"), "2026-11-27T10:00:00"),
        _dataset(
            "opensanctions-default-2026",
            ("2024-01-01T00:00:00", "2026-11-27T10:00:00"),
            "2026-11-27T11:00:00",
        ),
        _dataset("big", ("2021", "2022"), "2026-11-27T12:00:00", records=123_456_789),
    ]
    header, *rows = render.sources(base, found).splitlines()
    starts = [header.index(h) for h in ("format", "seen", "loaded")]
    assert header.startswith("dataset")
    for row in rows:
        for at in starts:
            assert row[at - 1] == " " and row[at] != " ", (row, at)
    for row, d in zip(rows[1:], found, strict=True):
        assert row[starts[2] :] == d.loaded_at and f"{d.first_seen}..{d.last_seen}" in row
    # the right-aligned counts end under their headers
    for title in ("records", "nodes", "edges"):
        end = header.index(title) + len(title)
        assert all(row[end - 1].isdigit() and row[end] == " " for row in rows), title


def test_sources_layout_is_unchanged_when_every_cell_fits() -> None:
    base = _dataset("curated", (None, None), "", records=965)
    text = render.sources(base, [_dataset("os", ("2021", "2022-06"), "2026-11-27T10:00:00")])
    assert text.splitlines() == [
        "dataset                  format    records  nodes  edges  seen            loaded",
        "curated                  ftm           965    482    483  -               built in: /data",
        "os                       ftm            12      6      6  2021..2022-06   2026-11-27T10:00:00",
    ]


def test_show_and_path_say_an_order_was_amended_or_revoked_on_a_day(cli: Cli) -> None:
    """EO 13974 amended EO 13959 on 2021-01-13 and EO 14032 revoked it on 2021-06-03: acts done on a
    day, not periods with no end recorded (graph.plain.span)."""
    shown = _out(cli("show", "EO:13974"))
    assert (
        "Communist Chinese Military Companies [EO:13959] on 2021-01-13, in effect until 2021-06-03;" in shown
    )
    assert "People's Republic of China [EO:14032] on 2021-06-03; verified" in shown
    assert "President of the United States [BODY:president] on 2021-01-13; verified" in shown
    path = _out(cli("path", "EO:14032", "EO:13959"))
    assert "—supersedes (on 2021-06-03; verified;" in path and "no end recorded" not in path

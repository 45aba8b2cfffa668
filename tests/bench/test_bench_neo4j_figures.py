"""The Neo4j bench prints a figure it did not measure as n/a, and every rate or ratio made with it too:
never a ratio to a stand-in second."""

from __future__ import annotations

from typing import Any

from bench.bench_neo4j import side_by_side, sync_lines


def _figures(**missing: Any) -> dict[str, Any]:
    s: dict[str, Any] = {
        "first_s": 4.0,
        "first_client_cpu_s": 1.0,
        "first_server_cpu_s": 2.0,
        "batched_s": 2.0,
        "batched_items_per_s": 1000.0,
        "batched_client_cpu_s": 1.0,
        "batched_server_cpu_s": 1.0,
        "one_writer_s": 3.0,
        "one_writer_client_cpu_s": 1.0,
        "one_writer_server_cpu_s": 1.0,
        "rerun_s": 0.5,
        "naive_items": 100,
        "naive_s": 2.0,
        "naive_items_per_s": 50.0,
        "naive_extrapolated_s": 40.0,
        "ratio": 20.0,
    }
    return {**s, **missing}


def test_measured_figures_give_their_rates_and_ratios() -> None:
    table = side_by_side(1000, 2000, {"s": 10.0}, _figures())
    assert "n/a" not in table and "n/a" not in sync_lines(1000, _figures())
    bulk = next(line for line in table.splitlines() if line.lstrip().startswith("bulk"))
    assert bulk.split()[-3:] == ["10.0", "100", "4.0x"]  # 1000 entities in 10 s; 200 items/s over 50


def test_a_missing_figure_reads_n_a_and_no_ratio_is_made_of_it() -> None:
    s = _figures(first_s=None, batched_s=None, batched_items_per_s=None, naive_items_per_s=None, ratio=None)
    s.update(naive_extrapolated_s=None, one_writer_s=3.0)
    table = side_by_side(1000, 2000, {"s": 10.0}, s)
    rows = {line.strip().split("  ")[0]: line.split() for line in table.splitlines()[1:]}
    assert rows["Bolt first sync, fresh server"][-3:] == ["n/a", "n/a", "n/a"]
    assert rows["Bolt sync, warm server"][-3:] == ["n/a", "n/a", "n/a"]
    assert rows["bulk first sync (importer; server stopped, started)"][-3:] == ["10.0", "100", "n/a"]
    lines = sync_lines(1000, s)
    assert "first sync, fresh server:  n/a  n/a entities/s" in lines
    assert "(ratio n/a)" in lines and "per item): n/a" in lines and "extrapolated n/a" in lines
    assert "1.0x" not in lines and " 0.0" not in lines

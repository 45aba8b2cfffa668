"""`ordergraph audit`: the report a maintainer reads before publishing the data."""

from __future__ import annotations

from tests.test_cli import Cli


def test_audit_json_counts_kinds_and_hosts_and_lists_the_edges_to_check(cli: Cli) -> None:
    data = cli("audit", "--json").json()
    assert next(iter(data["source_kinds"])) == "official"
    assert set(data["source_kinds"]) <= {
        "official",
        "court",
        "filing",
        "exchange",
        "law_firm",
        "press",
        "other",
    }
    hosts = {h["host"]: h for h in data["hosts"]}
    assert hosts["federalregister.gov"]["kinds"] == ["official"]
    assert "sanctions.org" not in hosts and "online.flipbuilder.com" not in hosts
    counts = [h["edges"] for h in data["hosts"]]
    assert counts == sorted(counts, reverse=True)
    assert all(e["confidence"] != "verified" for e in data["legal_without_primary"])
    assert all(e["start"] is None for e in data["undated"])
    assert any(e["end"] for e in data["undated"])  # an end alone does not date a fact
    assert {e["confidence"] for e in data["not_verified"]} <= {"likely", "unverified"}
    assert data["edges"] == cli("stats", "--json").json()["edges"]


def test_audit_text_names_each_section(cli: Cli) -> None:
    result = cli("audit")
    assert result.code == 0
    for words in (
        "source kinds",
        "hosts",
        "legal facts without",
        "only the press",
        "no start date",
        "likely or unverified",
    ):
        assert words in result.out

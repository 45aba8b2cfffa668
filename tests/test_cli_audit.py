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
        "with no Chinese name",
        "Chinese names only the press or other sources quote",
    ):
        assert words in result.out


def test_audit_shows_the_companies_whose_chinese_name_is_missing_or_rests_on_lesser_sources(cli: Cli) -> None:
    # Issue 7: the remainder of the Chinese names, for the maintainers to see.
    data = cli("audit", "--json").json()
    missing = {g["id"]: g for g in data["chinese_names_missing"]}
    secondary = {g["id"]: g for g in data["chinese_names_secondary_only"]}
    assert missing["ORG:bgi-americas"]["aliases"] == [] and missing["ORG:bgi-americas"]["note"]
    assert all(g["aliases"] and set(g["kinds"]) <= {"press", "other"} for g in secondary.values())
    assert "ORG:hikvision" not in missing and "ORG:hikvision" not in secondary
    text = cli("audit").out
    assert "ORG:bgi-americas" in text
    assert all(gap in text for gap in secondary)


def test_audit_shows_by_when_an_undated_relation_is_known_to_hold(cli: Cli) -> None:
    # An "as of" source does not date the relation's start: the edge stays among the undated,
    # with the day its earliest cited source shows it holding.
    data = cli("audit", "--json").json()
    (tiktok,) = [e for e in data["undated"] if e["id"] == "SUBSIDIARY_OF|ORG:tiktok-inc|ORG:bytedance|-"]
    assert tiktok["start"] is None and tiktok["properties"]["known_from"] == "2020-08-24"
    rows = [line for line in cli("audit").out.splitlines() if "ORG:tiktok-inc|ORG:bytedance" in line]
    assert rows and all("(known to hold by 2020-08-24)" in row for row in rows)


def test_audit_counts_full_and_short_chinese_names_and_lists_full_names_no_primary_source_quotes(
    cli: Cli,
) -> None:
    data = cli("audit", "--json").json()
    assert set(data["chinese_name_counts"]) == {"full", "short"}
    assert all(set(c) == {"primary", "secondary_only"} for c in data["chinese_name_counts"].values())
    gaps = data["chinese_full_names_without_primary"]
    assert all(not any(n["full"] and "filing" in n["kinds"] for n in g["names"]) for g in gaps)
    text = cli("audit").out
    assert "Chinese names (full / short)" in text
    assert "companies whose full Chinese name no official, court, filing or exchange source quotes" in text
    assert all(g["id"] in text for g in gaps)

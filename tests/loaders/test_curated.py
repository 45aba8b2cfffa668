"""Loading the curated format: errors name file, line and field; nothing half-loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.errors import LoadErrors
from loaders.curated import read_dataset
from tests.conftest import FIXTURES, CliResult

BAD = FIXTURES / "bad"


@pytest.mark.parametrize(
    ("folder", "line", "field", "words"),
    [
        ("missing_source", 2, "edges[0].sources", "needs at least one source"),
        ("bad_date", 5, "edges[0].start", "bad date '2021-02-30'"),
        ("unknown_kind", 8, "edges[1].kind", "'BLACKLISTED_BY' is not allowed"),
        ("dangling", 10, "edges[1].target", "unknown node id 'SEC:HKEX:1810'"),
    ],
)
def test_bad_input_names_file_line_and_field(
    cli: Callable[..., CliResult], folder: str, line: int, field: str, words: str
) -> None:
    result = cli("--data", str(BAD / folder), "stats")
    assert result.code == 2
    assert f"{BAD / folder / 'edges.yaml'}:{line}: {field}: " in result.err
    assert words in result.err
    assert result.out == ""


def test_errors_are_all_reported_at_once(tmp_path: Path) -> None:
    for folder in ("bad_date", "dangling"):
        for f in (BAD / folder).iterdir():
            (tmp_path / f"{folder}-{f.name}").write_text(
                f.read_text().replace("fix-dod", f"fix-dod-{folder}")
            )
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    messages = [str(e) for e in info.value.errors]
    # Both files define ORG:xiaomi, so duplicates are reported too, each with its line.
    assert any("bad date" in m for m in messages)
    assert any("unknown node id 'SEC:HKEX:1810'" in m for m in messages)
    assert any("duplicate node id 'ORG:xiaomi'" in m for m in messages)


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "nodes:\n  - id: ORG:x\n    kind: Company\n    name: X\n    colour: red\n"
    )
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert str(info.value.errors[0]).startswith(f"{tmp_path / 'a.yaml'}:5: nodes[0].colour:")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("nodes:\n  - id: ORG:x\n    name: [unclosed\n")
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert f"{tmp_path / 'a.yaml'}:" in str(info.value)
    assert "invalid YAML" in str(info.value)


def test_an_unquoted_comma_in_a_flow_mapping_is_an_error(tmp_path: Path) -> None:
    # `via: Group Co., Ltd.` inside {…} would read as via "Group Co." and a key "Ltd." with no value.
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P, kind: press}\n"
        "nodes:\n  - {id: ORG:x, kind: Company, name: X}\n  - {id: ORG:y, kind: Company, name: Y}\n"
        "edges:\n  - kind: SUBSIDIARY_OF\n    source: ORG:x\n    target: ORG:y\n    confidence: likely\n"
        "    properties: {indirect: true, via: Group Co., Ltd.}\n    sources: [s]\n"
    )
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert f"{tmp_path / 'a.yaml'}:11:" in str(info.value)
    assert "'Ltd.' has no value" in str(info.value)


def test_a_source_must_say_what_kind_of_document_it_is(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P}\n"
        "  t: {url: 'https://example.org/b', title: T, publisher: P, kind: blog}\n"
    )
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert "sources.s.kind" in str(info.value) and "sources.t.kind" in str(info.value)
    assert "'blog' is not allowed" in str(info.value)


def test_dates_keep_their_precision(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P, kind: press}\n"
        "nodes:\n  - {id: ORG:x, kind: Company, name: X}\n  - {id: LIST:y, kind: SanctionsList, name: Y}\n"
        "edges:\n  - {kind: LISTED_ON, source: ORG:x, target: LIST:y, start: 2021-01, end: 2021-05-25,"
        " confidence: likely, sources: [s]}\n"
    )
    edge = read_dataset(tmp_path).edges[0]
    assert (edge.start, edge.end) == ("2021-01", "2021-05-25")
    assert edge.id == "LISTED_ON|ORG:x|LIST:y|2021-01"


def test_a_source_ref_can_add_a_locator(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P, kind: press}\n"
        "nodes:\n  - {id: ORG:x, kind: Company, name: X}\n  - {id: LIST:y, kind: SanctionsList, name: Y}\n"
        "edges:\n  - {kind: LISTED_ON, source: ORG:x, target: LIST:y, confidence: likely,"
        " sources: [{ref: s, locator: p. 3}]}\n"
    )
    source = read_dataset(tmp_path).edges[0].sources[0]
    assert (source.url, source.locator) == ("https://example.org/a", "p. 3")


def test_bad_data_leaves_the_loaded_store_as_it_was(cli: Callable[..., CliResult]) -> None:
    from loaders.workspace import load_memory_store

    good = load_memory_store(FIXTURES / "mini")
    before = (good.node_count(), good.edge_count())
    with pytest.raises(LoadErrors):
        good = load_memory_store(BAD / "dangling")
    assert (good.node_count(), good.edge_count()) == before


MINI = FIXTURES / "mini"


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("later_delay_days: 60", 'later_delay_days: "60"', "edges[1].properties.later_delay_days",
         "whole number"),
        ('value: "2020-05-02"', 'value: "2020-13-02"', "edges[7].disputed[0]",
         "start: bad date '2020-13-02'"),
        ("action: delist}", "action: delsit}", "edges[11].properties.action", "'delsit' is not one of"),
        ('applies_from: "2020-04-01", reaches', 'applies_from: "2020-02-30", reaches',
         "edges[13].properties.applies_from", "bad date '2020-02-30'"),
        ("reaches_subsidiaries: true}", "reaches_subsidiaries: yes please}",
         "edges[1].properties.reaches_subsidiaries", "not true or false"),
        ("{field: start, value", "{field: strat, value", "edges[7].disputed[0]",
         "field 'strat' is neither start, end nor a property"),
        # Whom a disputed reading speaks of (``about``) is a node of the graph.
        ("sources: [mini-dispute]}", "sources: [mini-dispute], about: [SEC:NYSE:NOPE]}",
         "edges[7].disputed[0].about", "unknown node id 'SEC:NYSE:NOPE'"),
        # ... and one of the company's securities: the faces read it so.
        ("sources: [mini-dispute]}", "sources: [mini-dispute], about: [ORG:child]}",
         "edges[7].disputed[0].about", "'ORG:child' is not a security"),
        ("{applies_to: [ORG:later]}", '{nationwide: "yes"}', "edges[9].properties.nationwide",
         "not true or false"),
        # Days a targeting's later prohibitions fall due, and the days an injunction blocks: lists of days.
        ("later_delay_days: 60", 'later_delay_days: 60, later_prohibitions_from: "2020-11-12"',
         "edges[1].properties.later_prohibitions_from", "is not a list of days"),
        ("later_delay_days: 60", 'later_delay_days: 60, later_prohibitions_from: ["2020-11-31"]',
         "edges[1].properties.later_prohibitions_from", "bad day '2020-11-31'"),
        ("later_delay_days: 60", 'later_delay_days: 60, later_prohibitions_from: ["2020-11"]',
         "edges[1].properties.later_prohibitions_from", "bad day '2020-11'"),
        ("{applies_to: [ORG:later]}", '{applies_to: [ORG:later], enjoins_prohibitions_due: "2020-09-27"}',
         "edges[9].properties.enjoins_prohibitions_due", "is not a list of days"),
        # An injunction says whom it protects: the parties it names, or everyone.
        ("{applies_to: [ORG:later]}", "{scope: all of it}", "edges[9].properties",
         "an injunction names whom it protects (applies_to) or says nationwide: true"),
        ("{applies_to: [ORG:later]}", "{nationwide: false}", "edges[9].properties",
         "an injunction names whom it protects (applies_to) or says nationwide: true"),
    ],
)  # fmt: skip
def test_properties_the_queries_read_are_typed(
    tmp_path: Path, cli: Callable[..., CliResult], old: str, new: str, field: str, words: str
) -> None:
    for f in MINI.iterdir():
        text = f.read_text()
        if f.name == "edges.yaml":
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / f.name).write_text(text)
    result = cli("--data", str(tmp_path), "stats")
    assert result.code == 2
    line = next(
        i for i, ln in enumerate(new and (tmp_path / "edges.yaml").read_text().splitlines(), 1) if new in ln
    )
    assert f"{tmp_path / 'edges.yaml'}:{line}: {field}: " in result.err
    assert words in result.err


def test_unreadable_and_empty_folders_are_clear_errors(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    empty = cli("--data", str(tmp_path), "stats")
    assert empty.code == 2 and "no .yaml files" in empty.err
    (tmp_path / "latin1.yaml").write_bytes("nodes: []  # caf\xe9\n".encode("latin-1"))
    binary = cli("--data", str(tmp_path), "stats")
    assert binary.code == 2 and f"{tmp_path / 'latin1.yaml'}: not UTF-8" in binary.err
    missing = cli("--data", str(tmp_path / "nope"), "stats")
    assert missing.code == 2 and "not a data folder" in missing.err


def test_export_to_an_impossible_path_exits_2(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    (tmp_path / "no").write_text("a file where a folder should be")
    out = tmp_path / "no" / "such" / "g.json"
    result = cli("--data", str(MINI), "export", "--format", "json", str(out))
    assert result.code == 2 and f"cannot write {out}" in result.err


def test_order_dates_are_dates(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    for f in MINI.iterdir():
        (tmp_path / f.name).write_text(f.read_text().replace('signed: "2020-01-01"', 'signed: "Jan 2020"'))
    result = cli("--data", str(tmp_path), "stats")
    assert result.code == 2
    assert "properties.signed: EO:1: bad date 'Jan 2020'" in result.err


_NAMED = (
    "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P, kind: filing}\n"
    "nodes:\n  - {id: ORG:x, kind: Company, name: X, aliases: [Ex]}\n"
)


def test_names_from_another_file_join_the_node_with_their_sources(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_NAMED)
    (tmp_path / "b.yaml").write_text(
        "names:\n  - node: ORG:x\n    aliases: [小米集團, Ex]\n    sources: [{ref: s, quote: 小米集團}]\n"
    )
    node = read_dataset(tmp_path).nodes[0]
    assert node.aliases == ["Ex", "小米集團"]
    assert [(s.url, s.quote) for s in node.sources] == [("https://example.org/a", "小米集團")]


def test_a_documented_absence_of_a_chinese_name_joins_the_node(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_NAMED)
    (tmp_path / "b.yaml").write_text(
        "names:\n  - node: ORG:x\n    no_chinese_name: a BVI issuer named in English only\n"
        "    sources: [{ref: s, quote: X Limited}]\n"
    )
    node = read_dataset(tmp_path).nodes[0]
    assert node.aliases == ["Ex"]
    assert node.properties["no_chinese_name"] == "a BVI issuer named in English only"
    assert [s.quote for s in node.sources] == ["X Limited"]


@pytest.mark.parametrize(
    ("entry", "line", "field", "words"),
    [
        (
            "  - {node: ORG:nope, aliases: [甲], sources: [s]}\n",
            2,
            "names.node",
            "unknown node id 'ORG:nope'",
        ),
        ("  - {node: ORG:x, aliases: [甲]}\n", 2, "names[0].sources", "every name needs a source"),
        ("  - {node: ORG:x, aliases: [], sources: [s]}\n", 2, "names[0].aliases", "must be a list of names"),
        ("  - {node: ORG:x, alias: [甲], sources: [s]}\n", 2, "names[0].alias", "unknown key"),
        (
            "  - {node: ORG:x, aliases: [甲], no_chinese_name: none, sources: [s]}\n",
            2,
            "names[0].no_chinese_name",
            "give aliases or no_chinese_name, not both",
        ),
        (
            "  - {node: ORG:x, no_chinese_name: '', sources: [s]}\n",
            2,
            "names[0].no_chinese_name",
            "must say why no Chinese name is given",
        ),
    ],
)
def test_bad_names_entries_name_file_line_and_field(
    tmp_path: Path, entry: str, line: int, field: str, words: str
) -> None:
    (tmp_path / "a.yaml").write_text(_NAMED)
    (tmp_path / "b.yaml").write_text("names:\n" + entry)
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert f"{tmp_path / 'b.yaml'}:{line}: {field}: {words}" in [str(e) for e in info.value.errors]


def test_a_source_key_given_in_two_files_is_an_error_naming_both(tmp_path: Path) -> None:
    """data/README.md: registry keys are unique across the whole dataset."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            f"sources:\n  s: {{url: 'https://example.org/{name}', title: T, publisher: P, kind: press}}\n"
        )
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    assert f"{tmp_path / 'b.yaml'}: sources.s: duplicate source key (also in {tmp_path / 'a.yaml'})" in str(
        info.value
    )


def test_an_id_prefix_decides_the_kind(tmp_path: Path) -> None:
    """data/README.md: ``PREFIX:rest``, the prefix decides the kind."""
    (tmp_path / "a.yaml").write_text("nodes:\n  - id: ORG:x\n    kind: ExecutiveOrder\n    name: X\n")
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    where = f"{tmp_path / 'a.yaml'}:2: nodes[0]"
    assert f"{where}: id 'ORG:x' has prefix ORG: kind must be Company" in str(info.value)


_EDITION = """\
sources:
  firm: {url: "https://firm.example/edition", title: "DoD updates its list", publisher: "A law firm",
         kind: law_firm, quote: "DoD added 13 companies to its list on October 5"}
nodes:
  - {id: ORG:x, kind: Company, name: "Xiaomi Corporation", aliases: ["小米集团"]}
  - {id: LIST:y, kind: SanctionsList, name: "List Y"}
edges:
  - kind: LISTED_ON
    source: ORG:x
    target: LIST:y
    start: "2022-10-05"
    confidence: likely
    properties: {fr_doc: "2022-21640"}
    sources:
      - firm
      - {url: "https://news.example/a", title: "Pentagon adds firms", publisher: "News", kind: press,
         quote: "the list now includes 小米集团"}
      - {url: "https://copy.example/fr", title: "FR Doc 2022-21640", publisher: "A copy", kind: other}
      - {url: "https://blog.example/b", title: "Another list update", publisher: "Blog", kind: other}
      - {url: "https://www.federalregister.gov/d/2022-21640", title: "Notice", publisher: "Federal Register",
         kind: official}
"""


def test_a_listings_sources_that_do_not_name_the_company_are_recorded_once_at_load(tmp_path: Path) -> None:
    """Issue 7 (M6): the loader reads each listing's secondary sources once and records, by address, those
    whose quote, locator and title neither name the company (its name or an alias) nor give the listing's
    Federal Register document (``not_named_by``); every store keeps the property, so each ranks the edge's
    sources alike (graph.model.ranked_sources). A primary source is never recorded: it leads regardless."""
    (tmp_path / "a.yaml").write_text(_EDITION, encoding="utf-8")
    (edge,) = read_dataset(tmp_path).edges
    assert edge.properties["not_named_by"] == ["https://firm.example/edition", "https://blog.example/b"]
    assert [s.url for s in edge.sources] == [
        "https://www.federalregister.gov/d/2022-21640",
        "https://news.example/a",
        "https://copy.example/fr",
        "https://firm.example/edition",
        "https://blog.example/b",
    ]


def test_the_sources_that_do_not_name_a_listed_company_are_not_written_by_hand(tmp_path: Path) -> None:
    written = _EDITION.replace('{fr_doc: "2022-21640"}', '{fr_doc: "2022-21640", not_named_by: []}')
    (tmp_path / "a.yaml").write_text(written, encoding="utf-8")
    with pytest.raises(LoadErrors) as info:
        read_dataset(tmp_path)
    (error,) = info.value.errors
    assert "edges[0].properties.not_named_by" in str(error)
    assert "read from the sources' words at load" in str(error)

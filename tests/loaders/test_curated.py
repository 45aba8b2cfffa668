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


def test_dates_keep_their_precision(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P}\n"
        "nodes:\n  - {id: ORG:x, kind: Company, name: X}\n  - {id: LIST:y, kind: SanctionsList, name: Y}\n"
        "edges:\n  - {kind: LISTED_ON, source: ORG:x, target: LIST:y, start: 2021-01, end: 2021-05-25,"
        " confidence: likely, sources: [s]}\n"
    )
    edge = read_dataset(tmp_path).edges[0]
    assert (edge.start, edge.end) == ("2021-01", "2021-05-25")
    assert edge.id == "LISTED_ON|ORG:x|LIST:y|2021-01"


def test_a_source_ref_can_add_a_locator(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "sources:\n  s: {url: 'https://example.org/a', title: T, publisher: P}\n"
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

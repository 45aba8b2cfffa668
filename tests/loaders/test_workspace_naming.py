"""A listing's judgement of which sources name the company follows the node it lists, as datasets
merge into it and leave it (issue 7: a workspace merge re-judges listings)."""

from __future__ import annotations

import json
from pathlib import Path

from graph.model import Edge
from graph.query import show
from loaders.workspace import Workspace, load_path
from tests.loaders.workspaces import ftm_file, graph_rows

_DATA = """\
sources:
  alert: {url: "https://firm.example/edition", title: "DoD updates its list", publisher: "A law firm",
          kind: law_firm, quote: "DoD added 13 companies to its list on October 5"}
nodes:
  - {id: ORG:acme, kind: Company, name: "Acme Holdings Limited"}
  - {id: LIST:l, kind: SanctionsList, name: "List L"}
edges:
  - kind: LISTED_ON
    source: ORG:acme
    target: LIST:l
    start: "2022-10-05"
    confidence: likely
    sources:
      - alert
      - {url: "https://news.example/zorbex", title: "Pentagon adds firms", publisher: "News", kind: press,
         quote: "Zorbex Industrial was among the companies added"}
      - {url: "https://list.example/l", title: "List L", publisher: "DoD", kind: official,
         quote: "Acme Holdings Limited"}
    disputed:
      - field: start
        value: "2022-10-06"
        sources:
          - {url: "https://firm.example/later", title: "List update", publisher: "Another firm",
             kind: law_firm, quote: "the update of October 6"}
          - {url: "https://news.example/later", title: "More firms listed", publisher: "Wire", kind: press,
             quote: "Zorbex Industrial and others were listed on October 6"}
"""
ALERT, REPORT, LIST = "https://firm.example/edition", "https://news.example/zorbex", "https://list.example/l"
LATER_ALERT, LATER_REPORT = "https://firm.example/later", "https://news.example/later"


def _acme(*aliases: str) -> dict[str, object]:
    """The FtM record of the curated company: its own name (it merges by it), and ``aliases``."""
    return {
        "id": "acme-1",
        "schema": "Company",
        "properties": {"name": ["Acme Holdings Limited"], "alias": list(aliases)},
        "datasets": ["os"],
    }


def _workspace(tmp_path: Path) -> Workspace:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    (data / "listings.yaml").write_text(_DATA, encoding="utf-8")
    return Workspace(tmp_path / "ws", data=data)


def _listing(workspace: Workspace) -> Edge:
    (edge,) = workspace.store().edges("LISTED_ON")
    return edge


def _silent(edge: Edge) -> list[str]:
    value = edge.properties.get("not_named_by", [])
    return sorted(str(url) for url in value) if isinstance(value, list) else []


def _assert_judged_against(workspace: Workspace, names_zorbex: bool) -> None:
    """The listing judged against the node as the workspace now gives it: the reports calling the
    company by the name only the loaded dataset gives ("Zorbex Industrial") speak when the node has that
    name, and rank before the law firms' silent alerts; else they are silent, as the curated load judged."""
    edge = _listing(workspace)
    reading = edge.disputed[0].sources
    if names_zorbex:
        assert _silent(edge) == sorted([ALERT, LATER_ALERT])
        assert [s.url for s in edge.sources] == [LIST, REPORT, ALERT]
        assert [s.url for s in reading] == [LATER_REPORT, LATER_ALERT]
    else:
        assert _silent(edge) == sorted([ALERT, LATER_ALERT, REPORT, LATER_REPORT])
        assert [s.url for s in edge.sources] == [LIST, ALERT, REPORT]
        assert [s.url for s in reading] == [LATER_ALERT, LATER_REPORT]
    (shown,) = show(workspace.store(), "ORG:acme").edges
    assert shown.sources == edge.sources and shown.disputed == edge.disputed


def test_a_dataset_merging_a_name_into_a_listed_company_rejudges_its_listing(tmp_path: Path) -> None:
    """Issue 7: the curated loader judges a listing's sources against the company's curated names; a
    dataset merged into the company in the workspace brings a name a source uses ("Zorbex Industrial"),
    yet the listing kept the judgement made without it. Loading the dataset judges it again against the
    merged node (so does merging every dataset again), and taking the dataset out (unload) judges it
    again without the name."""
    workspace = _workspace(tmp_path)
    _assert_judged_against(workspace, names_zorbex=False)
    load_path(workspace, ftm_file(tmp_path, "os", [_acme("Zorbex Industrial")]), "ftm", "os")
    assert "Zorbex Industrial" in workspace.store().get_node("ORG:acme").aliases  # type: ignore[union-attr]
    _assert_judged_against(workspace, names_zorbex=True)
    loaded = graph_rows(workspace)
    workspace._rebuild(why="a test")  # every dataset merged again from its records: the same graph
    assert graph_rows(workspace) == loaded
    workspace.unload("os")
    _assert_judged_against(workspace, names_zorbex=False)


def test_a_delta_giving_or_taking_a_listed_companys_name_rejudges_its_listing(tmp_path: Path) -> None:
    """A delta changing the merged entity's aliases judges the listing again, and leaves the graph a load
    of its final file gives."""
    workspace = _workspace(tmp_path)
    load_path(workspace, ftm_file(tmp_path, "os", [_acme()]), "ftm", "os")
    _assert_judged_against(workspace, names_zorbex=False)
    for aliases, names_zorbex in (("Zorbex Industrial",), True), ((), False):
        delta = tmp_path / f"delta-{len(aliases)}.ftm.json"
        delta.write_text(json.dumps({"op": "MOD", "entity": _acme(*aliases)}) + "\n", encoding="utf-8")
        load_path(workspace, delta, "ftm-delta", "os")
        _assert_judged_against(workspace, names_zorbex)
        final = _workspace(tmp_path / f"final-{len(aliases)}")
        load_path(final, ftm_file(tmp_path, f"final-{len(aliases)}", [_acme(*aliases)]), "ftm", "os")
        assert graph_rows(workspace) == graph_rows(final)


def test_a_listing_merged_with_a_datasets_sanction_keeps_its_readings_judgement(tmp_path: Path) -> None:
    """The dataset also lists the company (an FtM Sanction on the list's program): its statement merges
    into the curated listing, and the merged edge keeps which of its disputed reading's sources are silent
    (graph.naming.merged_not_named_by reads every citation, as not_named_by does), so the reading's report
    still leads its silent alert."""
    workspace = _workspace(tmp_path)
    sanction: dict[str, object] = {
        "id": "acme-l",
        "schema": "Sanction",
        "properties": {"entity": ["acme-1"], "program": ["l"], "startDate": ["2022-10-05"]},
        "datasets": ["os"],
    }
    load_path(workspace, ftm_file(tmp_path, "os", [_acme("Zorbex Industrial"), sanction]), "ftm", "os")
    edge = _listing(workspace)
    assert "os" in edge.datasets
    assert _silent(edge) == sorted([ALERT, LATER_ALERT])
    assert [s.url for s in edge.disputed[0].sources] == [LATER_REPORT, LATER_ALERT]
    urls = [s.url for s in edge.sources]
    assert urls[0] == LIST and urls.index(REPORT) < urls.index(ALERT)
    (shown,) = show(workspace.store(), "ORG:acme").edges
    assert shown.sources == edge.sources and shown.disputed == edge.disputed

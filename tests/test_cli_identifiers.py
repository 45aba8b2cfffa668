"""Identifiers and provenance on both faces of a loaded workspace (issue 9): ``show`` lists an entity's
identifiers and, for the entity and each edge, the datasets that gave it with when each first and last
saw it; ``search``, ``show`` and ``affects`` find an entity by an identifier the fixtures carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.workspace import Workspace, load_path
from tests.loaders.workspaces import Run, cli_on_copy

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the curated data, the FtM fixture and the OFAC fixture (made once)."""
    folder = tmp_path_factory.mktemp("loaded")
    workspace = Workspace(folder)
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "entities-ftm")
    load_path(workspace, FIXTURES / "ofac", "ofac", "ofac")
    workspace.close()
    return folder


@pytest.fixture
def run(loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    return cli_on_copy(loaded, tmp_path, monkeypatch)


def test_show_lists_the_identifiers_of_an_entity_labelled(run: Run) -> None:
    code, out, _ = run("show", "ORG:smic")
    assert code == 0
    assert "ISIN: CNE1000041W8, KYG8020E1199" in out
    assert "OFAC entity number: 30951" in out
    assert "FollowTheMoney entity id (and its referents): NK-9Fq2smicCmicOfac, ofac-30951" in out
    code, out, _ = run("show", "ORG:smic", "--json")
    data = json.loads(out)
    assert data["identifiers"]["isin"] == ["CNE1000041W8", "KYG8020E1199"]
    assert data["identifiers"]["ofac_uid"] == ["30951"]


def test_show_gives_the_datasets_of_the_entity_and_of_each_edge_with_first_and_last_seen(run: Run) -> None:
    code, out, _ = run("show", "ORG:smic")
    assert code == 0
    seen = "entities-ftm (first seen 2021-06-04, last seen 2021-12-20)"
    assert f"Datasets: curated; {seen}; ofac" in out
    # The OFAC listing: three datasets gave it; its identifiers are shown with it.
    block = out.split("[LIST:OFAC-NS-CMIC]", 1)[1].split("ordergraph cite", 1)[0]
    assert f"datasets: curated; {seen}; ofac" in block
    assert "FollowTheMoney entity id (and its referents): ofac-30951-sanction" in block
    # The directorship only FtM gave, first seen a day earlier.
    block = out.split("[PERSON:NK-zhouZixueSmic]", 1)[1].split("ordergraph cite", 1)[0]
    assert "datasets: entities-ftm (first seen 2021-06-03, last seen 2021-12-20)" in block
    code, out, _ = run("show", "ORG:smic", "--json")
    data = json.loads(out)
    assert {"dataset": "entities-ftm", "first_seen": "2021-06-04", "last_seen": "2021-12-20"} in data[
        "provenance"
    ]
    listing = next(e for e in data["edges"] if e["other"]["id"] == "LIST:OFAC-NS-CMIC")
    assert [p["dataset"] for p in listing["provenance"]] == ["curated", "entities-ftm", "ofac"]
    # The programme codes the FtM listing names its list by (kept on the listing: loaders/ftm.py).
    assert listing["identifiers"] == {
        "ofac_uid": ["30951"],
        "ftm_id": ["ofac-30951-sanction"],
        "program": ["CMIC-EO13959", "US-CMIC"],
    }


def test_show_of_the_curated_graph_prints_no_dataset_line_on_each_edge(run: Run) -> None:
    """Where one dataset gave everything, the entity's line says it once, not on every edge."""
    code, out, _ = run("show", "ORG:xiaomi")
    assert code == 0 and "Datasets: curated" in out and "      datasets:" not in out


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("KYG8020E1199", "ORG:smic"),  # an ISIN only the company carries (OFAC's remarks)
        ("kyg8020e1199", "ORG:smic"),  # as typed in lower case
        ("549300XIVJCBIGMRUD48", "ORG:cnooc-ltd"),  # an LEI (FtM leiCode, OFAC's Legal Entity Number)
        ("30951", "ORG:smic"),  # an OFAC entity number
        ("NK-9Fq2smicCmicOfac", "ORG:smic"),  # an FtM id
        ("HK0883013259", "SEC:HKEX:0883"),  # an ISIN: the security first, then its issuer
    ],
)
def test_search_finds_an_entity_by_an_exact_identifier(run: Run, text: str, found: str) -> None:
    code, out, _ = run("search", text, "--json")
    hits = json.loads(out)
    assert code == 0 and hits and hits[0]["id"] == found, hits
    assert hits[0]["score"] >= 99.0  # 100 for the kind the scheme names (an ISIN's security), else 99
    code, out, _ = run("search", text)
    assert code == 0 and "no match" not in out and found in out.splitlines()[0]


def test_show_and_affects_resolve_an_identifier(run: Run) -> None:
    code, out, _ = run("show", "30951")
    assert code == 0 and out.startswith("Semiconductor Manufacturing International Corporation [ORG:smic]")
    code, out, _ = run("affects", "HK0883013259", "--as-of", "2021-09-01", "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert answer["security"]["id"] == "SEC:HKEX:0883" and "EO:14032" in [o["id"] for o in answer["orders"]]
    # An ISIN OFAC gives only on the company: the company, which asks which of its securities.
    code, out, err = run("affects", "KYG8020E1199", "--as-of", "2021-09-01")
    assert code == 2 and "unknown entity" not in err
    assert "[ORG:smic]" in err and "ordergraph affects SEC:HKEX:0981" in err and "SEC:SSE:688981" in err

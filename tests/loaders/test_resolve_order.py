"""Which entities merge does not depend on the order of a file's lines, nor on whether the same final
data came as one file or as a file and a delta (issue 9; the rule is in ``loaders/resolve.py``).

A security's ISIN or ticker names the security, not its issuer: a company carrying the same code
(``Company.isinCode``, OFAC's remarks) merges with another company carrying it, never with the
company a security of that code names as its issuer. Until session 39 it did, once the security's
``ISSUES`` link had been read: ``[sec, c-1, c-0]`` merged c-0 into its issuer c-1 and
``[sec, c-0, c-1]`` did not, and a delta giving c-0 the ISIN merged it while a load of the final
file kept it apart.
"""

from __future__ import annotations

import tempfile
from itertools import permutations
from pathlib import Path

import pytest

from loaders.workspace import Workspace
from tests.loaders.test_delta_final import Change, Entity, check, ent
from tests.loaders.workspaces import loaded_copy

ISIN = "CNE1000099Q1"
SECURITY = ent("sec", "Security", name=["Qyxor A shares"], isin=[ISIN], ticker=["688999.SS"], issuer=["c-1"])
# c-0 and c-2 carry the security's ISIN (c-2 its ticker too): one company, apart from its issuer c-1.
ISSUED = [
    SECURITY,
    ent("c-0", "Company", name=["Cardo Holdings"], isinCode=[ISIN]),
    ent("c-1", "Company", name=["Mirel Trading"]),
    ent("c-2", "Company", name=["Zentrafy Works"], isinCode=[ISIN], ticker=["688999.SS"]),
]
# The graph every order gives: the FtM ids of each node, and each edge as the FtM ids of its ends.
NODES = {("Security", ("sec",)), ("Company", ("c-0", "c-2")), ("Company", ("c-1",))}
EDGES = {("ISSUES", ("c-1",), ("sec",))}

Shape = tuple[set[tuple[str, tuple[str, ...]]], set[tuple[str, tuple[str, ...], tuple[str, ...]]]]


def _shape(folder: Path) -> Shape:
    """The nodes dataset "os" gave (their kinds and FtM ids) and its edges between them: the graph
    whichever entity of a merged node came first (that one names it)."""
    workspace = Workspace(folder)
    try:
        store = workspace.store()
        ids = {
            node.id: tuple(sorted(node.identifiers.get("ftm_id", [])))
            for node in store.nodes()
            if "os" in node.datasets
        }
        nodes = {(node.kind, ids[node.id]) for node in store.nodes() if node.id in ids}
        edges = {(e.kind, ids[e.source], ids[e.target]) for e in store.edges() if "os" in e.datasets}
    finally:
        workspace.close()
    return nodes, edges


def test_a_file_gives_one_graph_in_every_order_of_its_lines(template: Path, tmp_path: Path) -> None:
    """Each of the 24 orders: c-0 and c-2 (one ISIN) are one company, the security another node, its
    issuer c-1 a third, whether the security and its issuer come before the others or after."""
    shapes = {
        tuple(e["id"] for e in order): _shape(loaded_copy(template, tmp_path / f"order-{n}", list(order)))
        for n, order in enumerate(permutations(ISSUED))
    }
    assert {order: shape for order, shape in shapes.items() if shape != (NODES, EDGES)} == {}


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0)], ids=["security-first", "security-last"])
def test_a_file_and_a_delta_give_the_graph_of_their_final_file_in_every_order(
    template: Path, tmp_path: Path, order: tuple[int, ...]
) -> None:
    """Each entity left out of the file and added by a delta, and each company given its codes by a
    delta (the file gave it none): the graph a load of the final file gives (tests/loaders/
    test_delta_final.py compares every table), the same in every order."""
    entities = [ISSUED[i] for i in order]
    cases: list[tuple[list[Entity], list[Change]]] = []
    for entity in entities:
        # (The issuer comes with its security: a file's security needs its issuer.)
        added = [e for e in entities if e is entity or (entity["id"] == "c-1" and e is SECURITY)]
        cases.append(([e for e in entities if e not in added], [("ADD", e) for e in added]))
        coded = {"isinCode", "ticker"} & set(entity["properties"])
        if entity["schema"] == "Company" and coded:
            plain = ent(entity["id"], "Company", name=entity["properties"]["name"])
            cases.append(([plain if e is entity else e for e in entities], [("MOD", entity)]))
    for n, (base, changes) in enumerate(cases):
        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            assert check(template, Path(scratch), base, [changes], remerge="last") == [True]
            assert _shape(Path(scratch) / "ws") == (NODES, EDGES), (n, changes)


def test_a_company_carrying_a_curated_securitys_isin_is_not_merged_into_its_issuer(
    template: Path, tmp_path: Path
) -> None:
    """Across datasets too: China Telecom's H shares (SEC:HKEX:0728, ISIN CNE1000002V2, issued by
    ORG:china-telecom-corp-ltd in the curated data) do not make a loaded company carrying that ISIN
    China Telecom; two loaded companies carrying it are one node (it merged into China Telecom before)."""
    isin = "CNE1000002V2"
    loaded = [
        ent("q-1", "Company", name=["Qyxor Holdings"], isinCode=[isin]),
        ent("q-2", "Company", name=["Vantrel Works"], isinCode=[isin]),
    ]
    folder = loaded_copy(template, tmp_path / "ws", loaded)
    nodes, _ = _shape(folder)
    assert nodes == {("Company", ("q-1", "q-2"))}
    workspace = Workspace(folder)
    try:
        store = workspace.store()
        security = next(n for n in store.nodes_by_identifier("isin", isin) if n.kind == "Security")
        issuers = [e.source for e in store.edges_of(security.id, "in", ["ISSUES"])]
        issuer = store.get_node("ORG:china-telecom-corp-ltd")
        own = store.get_node("ORG:q-1")
    finally:
        workspace.close()
    assert (security.id, issuers) == ("SEC:HKEX:0728", ["ORG:china-telecom-corp-ltd"])
    assert issuer is not None and issuer.datasets == ["curated"]
    assert own is not None and own.aliases == ["Vantrel Works"]

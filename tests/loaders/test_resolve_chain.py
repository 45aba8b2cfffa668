"""An entity whose identifiers find two nodes kept apart so far brings them into one node, in every
order of a file's lines and whether the same final data came as one file or as a file and a delta
(issue 9; the rule is in ``loaders/resolve.py``).

a is OpenSanctions' entity merged from b (``referents``) and carries c's LEI: read first, it makes
one node that b and c join; read last, b and c are two nodes by then, and until session 40 a joined
only the first it found ([b, c, a] gave two companies, [a, b, c] one). The links of b and c (a
listing, a shareholding) follow them onto the one node.

Left open (a delta refused though its final file loads): a link naming b read after a and before b
(its record names a's node, and deleting a the final file gives it b's); a delta deleting b while a
still lists it, where b lists referents too or two entities list b (the final file gives the link
the node of the last read before it). A link's record keeps node ids only, not the FtM id it named,
so a delta cannot tell the first from a link naming the deleted entity itself, which the final file
refuses.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loaders.workspace import Workspace, load_path
from tests.loaders.test_delta_final import Change, Entity, check, ent
from tests.loaders.workspaces import graph_rows, loaded_copy

LEI = "5493001KJTIIGC8Y1R12"
A = {**ent("a", "Company", name=["Alpha Aaa Holdings"], leiCode=[LEI]), "referents": ["b"]}
B = ent("b", "Company", name=["Beta Bbb Works"], country=["cn"])
C = ent("c", "Company", name=["Gamma Ccc Trading"], leiCode=[LEI])
D = ent("d", "Company", name=["Delta Ddd Mining"])
LINKS = [
    ent("own-1", "Ownership", owner=["c"], asset=["d"], startDate=["2020-01-01"]),
    ent("san-1", "Sanction", entity=["b"], program=["TEST-PROG"], listingDate=["2021-01-14"]),
]
ENTITIES = [A, B, C, D, *LINKS]

Graph = tuple[frozenset[Any], frozenset[Any]]


def _graph(folder: Path) -> Graph:
    """What dataset "os" gave, whichever entity of a merged node came first (that one names it and
    its id): each node as its kind, FtM ids, identifiers, names and datasets; each edge as its kind,
    its ends' FtM ids, start, datasets and sources."""
    workspace = Workspace(folder)
    try:
        store = workspace.store()
        mine = [node for node in store.nodes() if "os" in node.datasets]
        ids = {node.id: tuple(sorted(node.identifiers.get("ftm_id", []))) for node in mine}
        nodes = frozenset(
            (
                node.kind,
                ids[node.id],
                tuple(sorted((s, tuple(sorted(v))) for s, v in node.identifiers.items())),
                frozenset((node.name, *node.aliases)),
                tuple(node.datasets),
            )
            for node in mine
        )
        edges = frozenset(
            (
                e.kind,
                ids.get(e.source, (e.source,)),
                ids.get(e.target, (e.target,)),
                e.start,
                tuple(e.datasets),
                tuple(sorted(s.url for s in e.sources)),
            )
            for e in store.edges()
            if "os" in e.datasets
        )
    finally:
        workspace.close()
    return nodes, edges


@pytest.fixture(scope="module")
def a_first(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The graph when a comes first (it makes the node b and c each join)."""
    return _graph(loaded_copy(template, tmp_path_factory.mktemp("a-first") / "ws", ENTITIES))


def test_a_first_gives_one_company_of_a_b_and_c_with_their_links(a_first: Graph) -> None:
    nodes, edges = a_first
    companies = {n[1]: n for n in nodes if n[0] == "Company"}
    assert set(companies) == {("a", "b", "c"), ("d",)}
    merged = companies[("a", "b", "c")]
    assert dict(merged[2])["lei"] == (LEI,)
    assert merged[3] == {"Alpha Aaa Holdings", "Beta Bbb Works", "Gamma Ccc Trading"}
    links = {(e[0], e[1], e[2]) for e in edges}
    assert ("SUBSIDIARY_OF", ("d",), ("a", "b", "c")) in links
    assert any(kind == "LISTED_ON" and source == ("a", "b", "c") for kind, source, _ in links)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(ENTITIES))
@example(order=[B, C, A, D, *LINKS])  # b and c two nodes by the time a is read
@example(order=[*LINKS, D, C, B, A])  # and their links read before them
@example(order=[C, *LINKS, B, D, A])
def test_a_file_gives_one_graph_in_every_order_of_its_lines(
    template: Path, tmp_path_factory: pytest.TempPathFactory, a_first: Graph, order: list[Entity]
) -> None:
    folder = tmp_path_factory.mktemp("order") / "ws"
    assert _graph(loaded_copy(template, folder, order)) == a_first, [e["id"] for e in order]


def _cases(order: list[Entity]) -> list[tuple[list[Entity], list[Change]]]:
    """A file and a delta whose final file is ``order``: a added by the delta; a given c's LEI by it
    (the file's a carries none); b, then c, added by it."""
    plain_a = {**ent("a", "Company", name=["Alpha Aaa Holdings"]), "referents": ["b"]}
    cases: list[tuple[list[Entity], list[Change]]] = [
        ([e for e in order if e is not A], [("ADD", A)]),
        ([plain_a if e is A else e for e in order], [("MOD", A)]),
    ]
    for added in (B, C):
        # (A link comes with its entity: a file's link needs its ends.)
        with_it = [e for e in order if e is added or added["id"] in json.dumps(e["properties"])]
        cases.append(([e for e in order if e not in with_it], [("ADD", e) for e in with_it]))
    return cases


@pytest.mark.parametrize(
    "order",
    [[B, C, A, D, *LINKS], [A, B, C, D, *LINKS], [D, *LINKS, C, B, A]],
    ids=["bca", "abc", "links-first"],
)
def test_a_file_and_a_delta_give_the_graph_of_their_final_file(
    template: Path, tmp_path: Path, a_first: Graph, order: list[Entity]
) -> None:
    """Each case: the workspace the final file's load gives, table for table (tests/loaders/
    test_delta_final.py), also once every dataset is merged again; and the graph a-first gives."""
    for n, (base, changes) in enumerate(_cases(order)):
        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            assert check(template, Path(scratch), base, [changes], remerge="last") == [True], n
            assert _graph(Path(scratch) / "ws") == a_first, (n, changes)


def test_a_delta_deleting_the_entity_that_joined_them_splits_the_node(template: Path, tmp_path: Path) -> None:
    """Without a, b and c share nothing: two companies, each with its own links, as the final file gives.
    (The links name c here; those naming b, one of a's referents, are the next test's.)"""
    listing = ent("san-2", "Sanction", entity=["c"], program=["TEST-PROG"], listingDate=["2021-01-14"])
    base = [B, C, A, D, LINKS[0], listing]
    assert check(template, tmp_path, base, [[("DEL", A)]], remerge="last") == [True]
    nodes, _ = _graph(tmp_path / "ws")
    assert {n[1] for n in nodes if n[0] == "Company"} == {("b",), ("c",), ("d",)}


@pytest.mark.parametrize(
    "order",
    [[B, C, A, D, *LINKS], [B, A, C, D, *LINKS], [A, B, C, D, *LINKS], [B, C, D, LINKS[1], A, LINKS[0]]],
    ids=["bca", "bac", "abc", "listing-before-a"],
)
def test_a_delta_deleting_the_entity_that_joined_them_keeps_the_links_naming_its_referent(
    template: Path, tmp_path: Path, order: list[Entity]
) -> None:
    """The Sanction names b, one of a's referents. Deleting a, the final file lists b: so does the
    delta. (With b before a and the Sanction after both, the delta was refused as leaving a link
    naming a's node: the reader mapped b to the node of the last entity giving it, a; it now names
    b's own. A Sanction read after a and before b still names a's node: see the module's docstring.)"""
    assert check(template, tmp_path, order, [[("DEL", A)]], remerge="last") == [True]
    nodes, edges = _graph(tmp_path / "ws")
    assert {n[1] for n in nodes if n[0] == "Company"} == {("b",), ("c",), ("d",)}
    assert any(kind == "LISTED_ON" and source == ("b",) for kind, source, *_ in edges)


def test_a_delta_deleting_an_entity_a_link_names_itself_is_refused(template: Path, tmp_path: Path) -> None:
    """A Sanction naming a itself (not its referent b): the final file, without a, is refused, and so
    is the delta, though the link's record names the node b gives too."""
    listing = ent("san-3", "Sanction", entity=["a"], program=["TEST-PROG"], listingDate=["2021-01-14"])
    assert check(template, tmp_path, [B, A, C, D, *LINKS, listing], [[("DEL", A)]]) == [False]


def _graph_rows(folder: Path) -> tuple[list[str], list[str]]:
    workspace = Workspace(folder)
    try:
        return graph_rows(workspace)
    finally:
        workspace.close()


def _load_more(folder: Path, dataset: str, entities: list[Entity], fmt: str = "ftm") -> None:
    path = folder.parent / f"{dataset}-{len(list(folder.parent.iterdir()))}.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    workspace = Workspace(folder)
    try:
        load_path(workspace, path, fmt, dataset)
    finally:
        workspace.close()


E = ent("e", "Company", name=["Epsilon Eee Foods"])


def test_an_entity_of_a_later_dataset_joins_two_nodes_of_an_earlier_one_until_it_goes(
    template: Path, tmp_path: Path
) -> None:
    """b and c of dataset "os" are one node once dataset "later" gives a; unloading "later", or a delta
    of it deleting a, leaves the graph as it was before a came."""
    folder = loaded_copy(template, tmp_path / "ws", [B, C, D, *LINKS])
    before = _graph_rows(folder)
    _load_more(folder, "later", [A, E])
    nodes, edges = _graph(folder)
    merged = next(n for n in nodes if n[0] == "Company" and "a" in n[1])
    assert (merged[1], merged[4]) == (("a", "b", "c"), ("os", "later"))
    assert ("SUBSIDIARY_OF", ("d",), ("a", "b", "c")) in {e[:3] for e in edges}
    apart = tmp_path / "apart"
    shutil.copytree(folder, apart)
    _load_more(apart, "later", [{"op": "DEL", "entity": {"id": "a"}}], fmt="ftm-delta")
    fresh = loaded_copy(template, tmp_path / "fresh", [B, C, D, *LINKS])
    _load_more(fresh, "later", [E])
    assert _graph_rows(apart) == _graph_rows(fresh)
    workspace = Workspace(folder)
    try:
        workspace.unload("later")
    finally:
        workspace.close()
    assert _graph_rows(folder) == before


def test_a_delta_taking_a_referent_from_the_entity_moves_the_links_naming_it(
    template: Path, tmp_path: Path
) -> None:
    """a no longer lists b among its referents: b is a node of its own again, and the Sanction naming
    b lists b, as the final file gives. (It applied and left the listing on a's node, the record
    naming a's node as b's was read before a.)"""
    plain_a = {**A, "referents": []}
    assert check(template, tmp_path, [B, A, C, D, *LINKS], [[("MOD", plain_a)]], remerge="last") == [True]


@pytest.mark.parametrize(
    "order",
    [[A, B, C, D, *LINKS], [B, C, D, *LINKS, A], [D, *LINKS, A, B, C]],
    ids=["abc", "links-first", "a-last"],
)
def test_a_delta_deleting_a_referent_s_own_entity_moves_its_links_to_the_entity_listing_it(
    template: Path, tmp_path: Path, order: list[Entity]
) -> None:
    """b goes, a still lists it among its referents: the Sanction naming b lists a's node in the final
    file, and so after the delta (it was refused as leaving a link naming b's node)."""
    assert check(template, tmp_path, order, [[("DEL", B)]], remerge="last") == [True]
    _, edges = _graph(tmp_path / "ws")
    assert any(kind == "LISTED_ON" and source == ("a", "b", "c") for kind, source, *_ in edges)


# OpenSanctions' usual shape: b exists only as a referent of a, and a Sanction names b.
_ONLY_A = {**ent("a", "Company", name=["Alpha Aaa Holdings"]), "referents": ["b"]}
_A_BODY = {**ent("a", "PublicBody", name=["Alpha Aaa Holdings"]), "referents": ["b"]}
_SAN = ent("san-1", "Sanction", entity=["b"], program=["TEST-PROG"], listingDate=["2021-01-14"])
_SAN_LATER = ent("san-1", "Sanction", entity=["b"], program=["TEST-PROG"], listingDate=["2021-01-15"])
_SAN_NEW = ent("san-3", "Sanction", entity=["b"], program=["TEST-PROG"], listingDate=["2021-02-15"])


@pytest.mark.parametrize(
    "changes",
    [
        [("MOD", _A_BODY)],
        [("MOD", _A_BODY), ("MOD", _SAN_LATER)],
        [("MOD", _SAN_LATER), ("MOD", _A_BODY)],
        [("MOD", _A_BODY), ("ADD", _SAN_NEW)],
        [("ADD", _SAN_NEW)],
    ],
    ids=["a", "a-san", "san-a", "a-new-san", "new-san"],
)
def test_a_delta_changing_the_schema_of_an_entity_whose_referent_a_link_names_applies(
    template: Path, tmp_path: Path, changes: list[Change]
) -> None:
    """a (a company, merged from b: its referent) becomes a public body in a delta that also gives a
    Sanction naming b: the Sanction lists a's new node, as the final file gives. (s40-eyes2: refused
    after 536c4c2 when the delta gave the Sanction too: the delta's reader took b, found in the store
    on a's old node as a referent, for its own entity's, so a's new node never took it over.)"""
    assert check(template, tmp_path, [_ONLY_A, _SAN], [changes], remerge="last") == [True]

"""A delta changing an entity's schema while other entities of its dataset link to it.

The entity's node may get another id (``ORG:x`` → ``PERSON:x``: a company now a person) or none
(now a Vessel, a schema we skip). In the final full file, the links that name the entity (a
Sanction, an Ownership, a Security's issuer, …) then join its new node, or (a schema we skip) are
left out and counted as skipped links; where the schema does not allow the new kind at an end,
the file is refused. So a delta gives those linking entities again from their records, with the
moved end, as the final file would: their records are taken out and given again (in their places),
the merger checking the ends as it checks every record (an end the schema does not allow: a
``LoadError`` naming the delta's line that changed the schema). An entity that gives no node any
more and not for a schema we skip (now an Ownership) is left to :mod:`.dangling`, which refuses it.

So too an entity deleted while another of the dataset lists it among its FtM ``referents`` (a merged
from b, b deleted): the final file's reader gives a link naming b the node of a, so the links move
there (:func:`listed_elsewhere` says where this is known).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from graph.model import edge_id
from graph.store.workspace import WorkspaceStore
from loaders.workspace.skips import ftm_ids_of, waiting_link
from loaders.workspace.tables import _doc, _of_entities, _records_of

if TYPE_CHECKING:
    from loaders.ftm import Change
    from loaders.records import Row


class Moves:
    """What a delta's changes of schema, and its deletions of entities another lists among its
    referents (``listed``: :func:`listed_elsewhere`), do to the nodes its dataset gave.

    ``moved``: a node id the dataset gave → the id the same entity's node has now (deleted: the node
    of the entity listing it);
    ``left_out``: node ids whose entity is now of a schema we skip; ``line``: node id → the line
    of the delta that changed its entity.
    """

    def __init__(
        self, taken: Mapping[str, tuple[str, str]], last: Mapping[str, Change], listed: Mapping[str, str] = {}
    ) -> None:
        from loaders.ftm import SKIPPED_SCHEMATA, entity_node_id

        self.moved: dict[str, str] = {}
        self.left_out: set[str] = set()
        self.line: dict[str, int] = {}
        self.ftm: dict[str, str] = {}  # node id → the FtM id of its entity
        for own, (ftm_id, _) in taken.items():
            change = last.get(ftm_id)
            if change is None:
                continue
            # A deleted entity's links move onto the node of one listing it (see listed_elsewhere).
            new = listed.get(own) if change.op == "DEL" else entity_node_id(change.entity)
            if new is None and change.entity.get("schema") in SKIPPED_SCHEMATA:
                self.left_out.add(own)
            elif new is not None and new != own:
                self.moved[own] = new
            else:
                continue
            self.line[own] = change.line
            self.ftm[own] = ftm_id
        self.rows = {taken[own][1] for own in self.line}  # the rows those nodes went into

    def __bool__(self) -> bool:
        return bool(self.line)


def listed_elsewhere(
    conn: sqlite3.Connection, seq: int, taken: Mapping[str, tuple[str, str]], last: Mapping[str, Change]
) -> dict[str, str]:
    """The node ids of entities a delta deletes (``taken``, ``last``: as :class:`Moves` takes them)
    that one other entity of the dataset (load ``seq``), which the delta leaves alone, lists among its
    referents (a merged from b, b deleted) → that entity's node id: the final file's reader gives a
    link naming the deleted entity that node, so the links do not dangle but move there.

    Only where the deleted entity lists no referents itself (its links then named it, not one of
    them: their records keep node ids only) and one entity lists it (of several, the final file
    gives each link the last read before it, which a delta does not find): otherwise the links are
    left to :mod:`.dangling`, which refuses them.
    """
    found: dict[str, str] = {}
    for own, (ftm_id, _) in taken.items():
        change = last.get(ftm_id)
        if change is None or change.op != "DEL":
            continue
        listing: set[str] = set()
        alone = True
        for origin, node_id, keys in conn.execute(
            f"SELECT g.origin, COALESCE(g.own, g.target), json_extract({_doc('g')}, '$.identifiers.ftm_id') "  # noqa: S608
            "FROM identifiers AS i CROSS JOIN given AS g WHERE i.scheme = 'ftm_id' AND i.value = ?1 "
            "AND g.is_edge = 0 AND g.row = i.node_seq AND g.load_seq = ?2",
            (ftm_id, seq),
        ):
            if ftm_id not in json.loads(keys):
                continue
            if origin == ftm_id:
                alone = alone and json.loads(keys) == [ftm_id]
            elif origin not in last:
                listing.add(str(node_id))
        if alone and len(listing) == 1:
            found[own] = listing.pop()
    return found


def linking_entities(
    conn: sqlite3.Connection, store: WorkspaceStore, seq: int, moves: Moves, changed: Collection[str]
) -> list[str]:
    """The entities of the dataset (load ``seq``) the delta leaves alone (not in ``changed``) whose
    links name a node ``moves`` moves or leaves out, in the order of their first record. An end that
    is the linking entity's own node (:func:`_own_nodes`) names that entity, not the moved one."""
    edges = store.edges_of_many(sorted(moves.rows))
    if not edges:
        return []
    doc = _doc("g")
    columns = f"g.load_seq, g.rank, g.idx, g.origin, json_extract({doc}, '$.source', '$.target')"
    found: dict[str, tuple[int, int]] = {}
    naming: dict[str, set[str]] = {}  # entity → the moved node ids its links name
    for _, load_seq, rank, idx, origin, ends in conn.execute(
        _records_of(columns, "edges"), (json.dumps(sorted(e.id for e in edges)), 1)
    ):
        if load_seq != seq or origin in changed:
            continue
        named = {end for end in json.loads(ends) if end in moves.line}
        if named:
            naming.setdefault(str(origin), set()).update(named)
            found[str(origin)] = min(found.get(str(origin), (rank, idx)), (rank, idx))
    own = _own_nodes(conn, seq, list(naming))
    return sorted((o for o in found if naming[o] - own.get(o, set())), key=found.__getitem__)


def _own_nodes(conn: sqlite3.Connection, seq: int, entities: list[str]) -> dict[str, set[str]]:
    """The node ids ``entities`` (of the dataset, load ``seq``) give themselves. Two securities of one
    ticker give one node id (``SEC:SSE:688999``), and each one's ``ISSUES`` link names it as its
    target: its own node, which a change of the other's (its ticker gone: now ``SEC:sec-0``) does
    not move, as the final file's reader gives each link the node of its own entity."""
    if not entities:
        return {}
    own: dict[str, set[str]] = {}
    for origin, node_id in conn.execute(
        _of_entities("COALESCE(g.own, g.target)", edges=False), (json.dumps(entities), seq)
    ):
        own.setdefault(str(origin), set()).add(str(node_id))
    return own


def relinked_rows(
    conn: sqlite3.Connection, seq: int, moves: Moves, entities: list[str]
) -> tuple[list[Row], list[tuple[str, str, int, str]]]:
    """The rows ``entities`` (of the dataset, load ``seq``) give again: their records as they gave
    them, in their order, each link's moved end replaced; and the links with an end left out, as
    :mod:`.skips` keeps them: ``(the FtM id of that end, the link's entity, its rank, the link as it
    waits)``. Read before the delta touches the graph."""
    from loaders.records import Row

    if not entities:
        return [], []
    records: dict[tuple[int, int], tuple[str, bool, str]] = {}
    for origin, rank, idx, is_edge, doc in conn.execute(
        _of_entities(f"g.rank, g.idx, g.is_edge, {_doc('g')}"), (json.dumps(entities), seq)
    ):
        records[(rank, idx)] = (str(origin), bool(is_edge), str(doc))
    rows: list[Row] = []
    dropped: list[tuple[str, str, int, str]] = []
    docs = {key: json.loads(text) for key, (_, _, text) in records.items()}
    # The nodes each entity gives itself: a link's end naming one is its own (see _own_nodes).
    own = {(origin, docs[key]["id"]) for key, (origin, is_edge, _) in records.items() if not is_edge}
    for key in sorted(records):
        origin, is_edge, _ = records[key]
        data = docs[key]
        if not is_edge:
            rows.append(Row(origin, False, data, min(moves.line.values())))
            continue
        ends = [
            end for end in (data["source"], data["target"]) if end in moves.line and (origin, end) not in own
        ]
        left_out = [end for end in ends if end in moves.left_out]
        if left_out:
            # As the final file leaves out a link to an entity of a schema we skip: kept, to come
            # back when a later delta makes that entity a node again.
            others = [e for e in (data["source"], data["target"]) if e not in moves.ftm]
            ftm = {**ftm_ids_of(conn, seq, others), **moves.ftm}
            dropped.append((moves.ftm[left_out[0]], origin, key[0], waiting_link(data, ftm)))
            continue
        if ends:
            data["source"] = moves.moved.get(data["source"], data["source"])
            data["target"] = moves.moved.get(data["target"], data["target"])
            data["id"] = (
                edge_id(data["kind"], data["source"], data["target"], data.get("start")) + f"|{origin}"
            )
        rows.append(Row(origin, True, data, min(moves.line[end] for end in ends) if ends else None))
    return rows, dropped

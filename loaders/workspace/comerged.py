"""Entities of a dataset merged into one node with an entity a delta changes: resolved again.

Two entities of one dataset sharing a strong identifier (an LEI, a ticker) are one node, named
(its id) by the first of them in the file. A delta deleting that first entity, or changing it so
that it no longer shares the identifier, leaves the final file a node named by the next entity,
or two nodes. So a delta takes out the records of every other entity of its dataset in a node row
one of its entities' records went into, and of the entities of its dataset linking to such a row
(two listings of two entities of the node, one edge while the node is one, are two edges once it is
split), and gives them again from their records, in their places among its own changes
(:func:`in_place`, which puts the delta's changes in the final file's order too: each at its rank, new
entities last): the resolver merges them again as a load of the final file would, from the first. A
link the delta gives naming one of them waits for it, as it would in the file (the reader learns
each as it is given again: :meth:`loaders.ftm.FtmReader.known_again`). The other links on those rows
(another dataset's) are merged again from their records afterwards (``Refolding._refold``): each
follows its ends' new rows, and is named anew.

An entity the delta changes so that it now shares a strong identifier (an LEI) or its node id with
another node joins that node: when an entity of the dataset further down the file is in it (the delta
leaving it alone), the final file names the node from the changed entity, the first. So the nodes
carrying the identifiers of the delta's new entities, read from their lines before any row is
(:func:`sharing`), are taken as rows the delta touches too: the dataset's entities in them are given
again in their places, after the changed one. Entities of the delta that now share an identifier
with each other (two companies given one LEI) join one node though no node carries it yet: the
links to each of them follow them too (the rows they went into are taken as joining).

Only the rows the delta's records went into are read (one statement: 2–3 ms CPU for the 100k bench
delta's 500 rows); a delta whose entities are each alone in their node (nearly every one) finds
nothing and does nothing more.

A record of a *later* dataset in such a row, or on one of its edges, was resolved against the
dataset's records as they were (an entity merged by the LEI, an article's mention matched by a
name): every dataset is then merged again once the delta is applied, in the same transaction, as an
unload does in that case (minutes at a million entities, and rare).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from graph.store.workspace import WorkspaceStore, json_param
from loaders.workspace.tables import _doc, _of_entities, _records_of

if TYPE_CHECKING:
    from loaders.ftm import Change
    from loaders.records import Row

T = TypeVar("T")
_RECORD = f"SELECT is_edge, {_doc()} FROM given WHERE load_seq = ? AND rank = ? AND idx = ?"  # noqa: S608


@dataclass
class CoMerged:
    """The other entities of a dataset in the node rows a delta touches, and those linking to them.

    ``records``: each entity's FtM id → its records ``(rank, idx, is_edge, document)`` in order;
    ``edges``: the ids of the edges on the rows they went into (read before the delta writes).
    """

    records: dict[str, list[tuple[int, int, bool, str]]] = field(default_factory=dict)
    edges: list[str] = field(default_factory=list)
    # Whether a later load gave a record into one of those rows or their edges (resolved against
    # the dataset's records as they were: every dataset is then merged again, as an unload does).
    later: bool = False

    def __bool__(self) -> bool:
        return bool(self.records)

    def rows(self, origin: str) -> list[Row]:
        """The rows ``origin`` gives again: its records as they gave them."""
        from loaders.records import Row

        return [Row(origin, is_edge, None, None, text=doc) for _, _, is_edge, doc in self.records[origin]]

    def rank(self, origin: str) -> int:
        return self.records[origin][0][0]


def sharing(
    conn: sqlite3.Connection, changes: Iterable[Change], rows: Collection[str], given: Collection[str]
) -> tuple[list[str], set[str]]:
    """The node rows other than ``rows`` that carry a strong identifier, or the id, of the node an
    entity of ``changes`` (ADD, MOD) gives: the nodes it joins (one statement for the whole delta);
    and the FtM ids of the entities joining one. An entity the dataset ``given`` before is looked up
    by its other identifiers only (its own FtM id and node id are its node's, one of ``rows``)."""
    from loaders.ftm import entity_identifiers, entity_node_id, has_other_identifiers
    from loaders.resolve import STRONG_SCHEMES

    keys: dict[tuple[str, str], list[str]] = {}
    ids: dict[str, list[str]] = {}
    for change in changes:
        if change.op == "DEL":
            continue
        ftm_id = change.entity_id
        before = ftm_id in given
        if before and not has_other_identifiers(change.entity):
            continue  # its own id and node id are its node's
        for scheme, values in entity_identifiers(change.entity).items():
            if scheme in STRONG_SCHEMES:
                for value in values:
                    if not (before and scheme == "ftm_id" and value == ftm_id):
                        keys.setdefault((scheme, value), []).append(ftm_id)
        node_id = entity_node_id(change.entity)
        if node_id is not None and node_id not in rows and not (before and node_id.endswith(f":{ftm_id}")):
            ids.setdefault(node_id, []).append(ftm_id)
    if not keys and not ids:
        return [], set()
    shared: set[str] = set()
    # Entities of the delta sharing an identifier join each other's node (the first in the file
    # names it), whether or not a node carries it yet: the links to the others follow them.
    joining: set[str] = {
        ftm_id
        for given_by in [*keys.values(), *ids.values()]
        if len(set(given_by)) > 1
        for ftm_id in given_by
    }
    for scheme, value, node_id in conn.execute(
        "SELECT i.scheme, i.value, n.id FROM json_each(?1) AS j CROSS JOIN identifiers AS i "
        "CROSS JOIN nodes AS n WHERE i.scheme = json_extract(j.value, '$[0]') "
        "AND i.value = json_extract(j.value, '$[1]') AND n.seq = i.node_seq "
        "UNION ALL SELECT NULL, NULL, id FROM nodes WHERE id IN (SELECT value FROM json_each(?2))",
        (json_param(sorted(keys)), json_param(sorted(ids))),
    ):
        if node_id in rows:
            continue
        shared.add(str(node_id))
        joining.update(ids[node_id] if scheme is None else keys[(scheme, value)])
    return sorted(shared), joining


def co_merged(
    conn: sqlite3.Connection,
    store: WorkspaceStore,
    seq: int,
    rows: Collection[str],
    changed: Collection[str],
    shared: Collection[str] = (),
    joining: Collection[str] = (),
) -> CoMerged:
    """The entities of the dataset (load ``seq``) not in ``changed`` whose node records went into one
    of the node ``rows`` or ``shared`` (:func:`sharing`), and those whose links are on the rows holding
    them (two listings of two such entities may be one edge, to be two again) or on the ``joining``
    rows (of the delta's entities that join a ``shared`` one: their links follow them), with all
    their records; and the edges on those rows. A ``shared`` row a later load gave a record into is
    ``later`` too (that load resolved its entity without the delta's)."""
    found = CoMerged()
    if not rows and not shared:
        return found
    holding: set[str] = set()
    entities: dict[str, None] = {}
    for row, origin in conn.execute(
        "SELECT n.id, g.origin FROM json_each(?1) AS j CROSS JOIN nodes AS n CROSS JOIN given AS g "
        "WHERE n.id = j.value AND g.is_edge = 0 AND g.row = n.seq AND g.load_seq = ?2 ORDER BY g.rank, g.idx",
        (json_param(sorted({*rows, *shared})), seq),
    ):
        if origin not in changed:
            entities[str(origin)] = None
            holding.add(str(row))
    found.later = bool(shared) and _given_later(conn, seq, 0, "nodes", sorted(shared))
    holding.update(joining)
    if not holding:
        return found  # most deltas: their entities alone in their rows
    found.edges = [e.id for e in store.edges_of_many(sorted(holding))]
    for _, load_seq, origin in conn.execute(
        _records_of("g.load_seq, g.origin", "edges"), (json_param(found.edges), 1)
    ):
        if load_seq == seq and origin not in changed:
            entities[str(origin)] = None
    found.later = found.later or any(
        _given_later(conn, seq, is_edge, table, ids)
        for is_edge, table, ids in ((0, "nodes", sorted(holding)), (1, "edges", found.edges))
        if ids
    )
    places: dict[tuple[int, int], str] = {}
    for origin, rank, idx in conn.execute(_of_entities("g.rank, g.idx"), (json_param(list(entities)), seq)):
        places[(int(rank), int(idx))] = str(origin)  # (a record may come twice)
    for (rank, idx), origin in sorted(places.items()):
        is_edge, doc = conn.execute(_RECORD, (seq, rank, idx)).fetchone()
        found.records.setdefault(origin, []).append((rank, idx, bool(is_edge), str(doc)))
    return found


def _given_later(conn: sqlite3.Connection, seq: int, is_edge: int, table: str, ids: list[str]) -> bool:
    """Whether a load after ``seq`` gave a record into one of these rows of ``table``."""
    found = conn.execute(
        f"SELECT 1 FROM json_each(?1) AS j CROSS JOIN {table} AS t CROSS JOIN given AS g "  # noqa: S608
        "WHERE t.id = j.value AND g.is_edge = ?2 AND g.row = t.seq AND g.load_seq > ?3 LIMIT 1",
        (json_param(ids), is_edge, seq),
    ).fetchone()
    return found is not None


def in_place(
    changes: Iterable[T], rank_of: Callable[[T], int | None], again: CoMerged
) -> Iterator[tuple[T | None, str | None]]:
    """The delta's ``changes`` and the entities given ``again``, in the order of the final file: each
    at its place (``rank_of``; an entity new to the dataset after every other, in the delta's
    order). Yields ``(change, None)`` or ``(None, FtM id given again)``."""
    top = 1 << 62
    keyed: list[tuple[int, int, T | None, str | None]] = []
    for n, change in enumerate(changes):
        rank = rank_of(change)
        keyed.append((top if rank is None else rank, n, change, None))
    for n, entity in enumerate(again.records, start=len(keyed)):
        keyed.append((again.rank(entity), n, None, entity))
    keyed.sort(key=lambda k: (k[0], k[1]))
    for _, _, given, regiven in keyed:
        yield given, regiven


class AfterEnds:
    """The links given again from their records, each held until the delta has given the rows of its
    ends it gives again (``coming``: their node ids), as the final file's reader holds a link until
    its ends are read. A security's ``ISSUES`` link ranks with the security, before an issuer further
    down: merged before the issuer's new row, it would name a node the delta took out (the issuer
    merged into another node by an LEI the delta gives it). Its records keep their ranks; only their
    order within the delta changes.

    >>> from loaders.records import Row
    >>> after = AfterEnds({"ORG:c"})
    >>> link = Row("sec", True, {"source": "ORG:c", "target": "SEC:s"})
    >>> list(after.link(link)), list(after.given("ORG:c"))
    ([], [Row('sec', True, line None)])
    """

    def __init__(self, coming: Collection[str]) -> None:
        self.coming = set(coming)
        self.held: dict[str, list[Row]] = {}

    def link(self, row: Row) -> Iterator[Row]:
        """A link given again: now, or once the end it waits for is given."""
        end = next((e for e in (row.doc["source"], row.doc["target"]) if e in self.coming), None)
        if end is None:
            yield row
        else:
            self.held.setdefault(end, []).append(row)

    def given(self, node_id: str) -> Iterator[Row]:
        """A node row given: the links that waited for it (each may wait again, for its other end)."""
        self.coming.discard(node_id)
        for row in self.held.pop(node_id, []):
            yield from self.link(row)

    def rest(self) -> Iterator[Row]:
        """What still waits (an end the delta did not give again after all), in the order held."""
        held, self.held = self.held, {}
        self.coming.clear()
        for rows in held.values():
            yield from rows

"""A delta may not take away an entity its dataset's other entities still link to.

A full FtM file whose Sanction, Security, Ownership or Directorship names an entity the file does
not give is refused (``refers to unknown entity``, :meth:`loaders.ftm.FtmReader.ready_rows`). A
delta deleting only that entity (or changing it to a schema that gives no node and is not one we
skip: an Ownership) would leave the dataset in that state: the links it gave, still in the graph,
naming an end no record gives — merging the datasets again (a judgement) then found no node for
them. So it is refused as the final file is, naming the delta's line, before anything is written.
(A change to another kind of node, or to a schema we skip, or a deletion of an entity another lists
among its referents, moves or leaves out those links as the final file does: :mod:`.relink`.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from graph.errors import LoadError
from graph.store.workspace import WorkspaceStore, json_param
from loaders.workspace.tables import _doc, _records_of

if TYPE_CHECKING:
    from loaders.ftm import Change
    from loaders.records import Row


def refuse_dangling(
    conn: sqlite3.Connection,
    store: WorkspaceStore,
    seq: int,
    dataset: str,
    path: str,
    taken: Mapping[str, tuple[str, str]],
    last: Mapping[str, Change],
    rows: Iterable[Row],
    regiven: Collection[str] = (),
) -> None:
    """Raise a ``LoadError`` when a link of dataset ``dataset`` (load ``seq``) the delta leaves
    standing names a node the delta takes away.

    ``taken``: the node ids the dataset's records of the delta's entities gave (their own ids) →
    (the entity's FtM id, the row the record went into); ``last``: the delta's last change of each
    entity; ``rows``: the delta's new rows; ``regiven``: the entities of the dataset the delta gives
    again from their records (their links moved: :mod:`.relink`). Called before the delta writes its
    rows (the graph's edges are still those the dataset's links went into).
    """
    given_again = {row.doc["id"] for row in rows if not row.is_edge}
    lost = {own: found for own, found in taken.items() if own not in given_again}
    for own in list(lost):
        # Another entity of the dataset the delta leaves alone gives the same node (two listings
        # of one ticker): kept under its own id, or going into a row of that id.
        giving = conn.execute(
            "SELECT origin FROM given WHERE own = ? AND load_seq = ? AND is_edge = 0 "
            "UNION ALL SELECT g.origin FROM nodes AS n CROSS JOIN given AS g WHERE n.id = ? "
            "AND g.is_edge = 0 AND g.row = n.seq AND g.load_seq = ? AND g.own IS NULL",
            (own, seq, own, seq),
        )
        if any(origin not in last and origin not in regiven for (origin,) in giving):
            del lost[own]
    if not lost:
        return
    edges = store.edges_of_many(sorted({row for _, row in lost.values()}))
    if not edges:
        return
    doc = _doc("g")
    columns = f"g.load_seq, g.origin, json_extract({doc}, '$.source'), json_extract({doc}, '$.target')"
    linking: dict[str, dict[str, None]] = {}  # lost node id → the FtM ids of the entities linking to it
    for _, load_seq, origin, source, target in conn.execute(
        _records_of(columns, "edges"), (json_param(sorted(e.id for e in edges)), 1)
    ):
        if load_seq != seq or origin in last or origin in regiven:
            continue  # another dataset's link, or one the delta changes (read again, checked then)
        for end in (source, target):
            if end in lost:
                linking.setdefault(end, {})[str(origin)] = None
    if not linking:
        return
    own = min(linking, key=lambda node: last[lost[node][0]].line)
    ftm_id = lost[own][0]
    change = last[ftm_id]
    others = sorted(linking[own])
    shown = ", ".join(repr(o) for o in others[:5])
    if len(others) > 5:
        shown += f" and {len(others) - 5} more"
    count = f"{len(others)} other {'entity' if len(others) == 1 else 'entities'}"
    if change.op == "DEL":
        field, what = "entity.id", f"deletes entity {ftm_id!r}"
    else:
        field, what = "entity.schema", f"entity {ftm_id!r} no longer gives node {own!r} (its schema changed)"
    raise LoadError(
        path,
        change.line,
        field,
        f"{what}, which {count} of dataset {dataset!r} still {'links' if len(others) == 1 else 'link'} "
        f"to: {shown}; delete or change "
        f"{'it' if len(others) == 1 else 'them'} in the same delta (a full file linking to an "
        "entity it does not give is refused too)",
    )

"""A listing's judgement of which sources name the company, made again as the node it lists changes.

The curated loader judges once which of a listing's secondary sources name the listed company
(:mod:`graph.naming`), against the names the curated data gives it. In a workspace other datasets
merge into that company and bring names a source may use (an alias OpenSanctions gives), or take
them away again (an unload, a delta). So wherever the workspace writes a node again, the listings
of it that carry a judgement are judged again against the node as written
(:func:`graph.naming.judged_again`): from the row's judgement where a load only adds names to the
node (:meth:`GivenRows._write_merged`), from the statements' where the node is merged again from
its records and may have lost some (``Refolding._refold``, which merges those listings again too).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable

from graph.model import CURATED, NOT_NAMED_BY, Edge, Node
from graph.naming import READ_FOR_NAMES, judged_again
from graph.store.workspace import json_param

# The one dataset whose loader judges a listing's sources: an FtM Sanction and an OFAC row speak of
# their entity by construction and record no judgement (graph.naming).
JUDGING = CURATED


def judged_listings(
    conn: sqlite3.Connection, nodes: Iterable[Node], besides: Collection[str] = ()
) -> list[str]:
    """The ids of the listings of these nodes (the kinds :data:`graph.naming.READ_FOR_NAMES` judges)
    that the judging dataset gives, those in ``besides`` left out: one statement over the nodes that
    dataset gives too (a listing it gives lists a node it gives), an index seek each; none for the
    rest, most of what a load merges."""
    ids = [node.id for node in nodes if JUDGING in node.datasets]
    if not ids:
        return []
    found = conn.execute(
        "SELECT e.id FROM json_each(?1) AS j CROSS JOIN json_each(?3) AS k CROSS JOIN edges AS e "
        "ON e.source = j.value AND e.kind = k.value CROSS JOIN datasets AS d ON d.is_edge = 1 "
        "AND d.seq = e.seq AND d.dataset = ?2",
        (json_param(ids), JUDGING, json_param(sorted(READ_FOR_NAMES))),
    )
    return [str(edge_id) for (edge_id,) in found if edge_id not in besides]


def judged_anew(edges: Iterable[Edge], node_of: Callable[[str], Node | None]) -> dict[str, Edge]:
    """Those of ``edges`` whose judgement changes against the node each lists as it now stands
    (``node_of``), judged again, by id."""
    changed: dict[str, Edge] = {}
    for edge in edges:
        if edge.kind not in READ_FOR_NAMES or NOT_NAMED_BY not in edge.properties:
            continue
        node = node_of(edge.source)
        again = judged_again(edge, node) if node is not None else edge
        if again is not edge:
            changed[edge.id] = again
    return changed

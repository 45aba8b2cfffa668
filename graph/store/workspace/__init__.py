"""The workspace store: the graph in one SQLite file that opens without re-reading its sources.

Each node and edge is kept whole as its model's JSON (so a new model field
persists without a schema change) beside the columns the protocol's lookups
filter on, each indexed: id and kind; an edge's endpoints and its first and
last day as ISO dates (``start_day <= day < end_day`` is exactly
:meth:`~graph.model.Edge.valid_on`); a security's exchange and code; every
identifier; every dataset that gave it; how many edges touch each node
(``degrees``, so a hub is known without counting its edges: a narrow table of its own, by
row number, so that adding an edge rewrites a few bytes, not the node's wide row). Names are found
through an FTS5 index of their words (:func:`graph.names.name_tokens`), with
the vocabulary beside it (``terms``: each word and how many nodes carry it):
a misspelt query word finds the indexed words it may mean by a fuzzy match
against the vocabulary (tens of thousands of words, not millions of names).
Rows keep the order they were first written (``seq``), so answers come
in the same order as from the memory store.

Every write is one transaction: all of it or none of it. A large first load
drops the secondary indexes and builds them after the rows are in, as bulk
loaders do. No pickle: only JSON and plain columns.

>>> from graph.model import Node
>>> store = WorkspaceStore.open(":memory:")
>>> store.write([Node(id="ORG:x", kind="Company", name="X Corp")])
>>> store.node_count(), store.get_node("ORG:x").name
(1, 'X Corp')
>>> [n.id for n in store.name_candidates("x corporation")]
['ORG:x']

The package, a module a job:

- :mod:`.rows` — how a node or edge is kept in its row, and read back;
- :mod:`.schema` — the tables, indexes and schema version; an earlier schema's file converted;
- :mod:`.connection` — the file opened (and upgraded), settings for a block, transactions;
- :mod:`.writing` — the one atomic write path;
- :mod:`.reading` — :class:`WorkspaceStore` itself: every read of the GraphStore protocol.
"""

from graph.store.workspace.connection import BUSY_WAIT, UPGRADE_WAIT, held_elsewhere
from graph.store.workspace.reading import WorkspaceStore
from graph.store.workspace.rows import NewEdge, NewNode, day, doc_security_columns, json_param
from graph.store.workspace.schema import SCHEMA_VERSION, Upgrade, reindex_names

__all__ = [
    "BUSY_WAIT",
    "SCHEMA_VERSION",
    "UPGRADE_WAIT",
    "NewEdge",
    "NewNode",
    "Upgrade",
    "WorkspaceStore",
    "day",
    "doc_security_columns",
    "held_elsewhere",
    "json_param",
    "reindex_names",
]

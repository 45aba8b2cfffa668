"""The plain-row path of an FtM delta: entities that meet nothing else written as their documents.

Most of a delta's entities are ones only its own dataset gives, changed or new, naming
nothing another node of the graph has. Such an entity's node needs no merging: its
document (``loaders.records.Row``, no model built) is written over its row, or as a new
row, with the name entries and words found once from it. A node row goes this way when:

- its id is not in the graph, or only in rows the delta is replacing (its dataset alone gave them);
- no other row of the delta gives the same id or a strong identifier of it;
- no node of the graph outside the rows the delta replaces has one of its strong identifiers;
- no judgement names it, and nothing the delta merged before it holds one of its identifiers or
  names;
- no name of another dataset's node in one of its name blocks matches it.

An edge row goes the same way (a new link between known nodes: most of a delta's edges) when:

- its ends are nodes of the graph under their own ids (not merged into others, not rows the delta
  replaces and has not given again, not nodes the merger holds), or plain nodes held, of the kinds
  its kind joins;
- its id is in no edge of the graph and in no other edge row of the delta;
- no edge of the graph joins its ends with its kind, and none the delta gave before it.

Every other row goes to the resolver and merger as a model, in order, as before
(``loaders/workspace/loading.py``); the merger finds the plain nodes held so far among its own (an
edge's end), and a plain edge held with the ends and kind of an edge it merges (made a model
then, :meth:`~loaders.resolve.Merger.adopt`). Plain rows are written before the merger's. A node
or edge the merger would have made of such a row is its document itself (nothing merges into
it), so the graph, its indexes and the bookkeeping are the ones merging every row makes
(tests/loaders/test_delta.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, Protocol, cast

import orjson

from graph.model import Edge, Node, edge_endpoints
from graph.store.words import doc_index
from graph.store.workspace import WorkspaceStore, json_param
from loaders.ftm import row_record
from loaders.records import Record, Row
from loaders.resolve import NAME_KINDS, STRONG_SCHEMES, Merger, NameEntry, doc_name_entries

_STRONG = frozenset(STRONG_SCHEMES)
# One name of ``name_blocks``: block, normalised name, node, country, kind, bringing dataset.
NameRow = tuple[str, str, str, str | None, str, str]
# The origin of a program's list node, as the reader gives it (``program:<program>``).
LIST_ORIGIN = "program:"


class ReadAhead(Protocol):
    """The resolver's name index, read ahead for the blocks of the delta's names."""

    def read_ahead(self, blocks: Collection[str]) -> set[str]:
        """Read these blocks now; the blocks that hold any name."""


class DeltaRows:
    """A delta's rows merged into the graph: plain nodes written as documents, the rest by ``merger``.

    ``gone`` are the rows the delta replaces (its dataset alone gave them; the resolver reads
    them as absent until they are given again).
    """

    def __init__(self, store: WorkspaceStore, merger: Merger, rows: list[Row], gone: Collection[str]) -> None:
        self.store, self.merger, self.rows = store, merger, rows
        self.gone = set(gone)
        # Each node row's strong identifiers and names, found once (by its place in ``rows``).
        self._keys: dict[int, list[tuple[str, str]]] = {}
        self._entries: dict[int, list[tuple[str, NameEntry]]] = {}
        self._ids: Counter[str] = Counter()
        self._key_count: Counter[tuple[str, str]] = Counter()
        self._in_store: set[str] = set()
        self._hit_blocks: set[str] = set()
        self._records: dict[int, Record] = {}
        self._pending: list[tuple[dict[str, Any], str, list[str], list[str]]] = []
        self.plain: dict[str, None] = {}  # ids of the nodes written as documents, in order
        self.names: list[NameRow] = []  # their name entries
        self._held: dict[str, Row] = {}
        # The edge rows': how many give each id, which ids and (source, kind, target) the graph has,
        # the kinds of their ends in the graph; the plain edges held, by (source, kind, target).
        self._edge_ids: Counter[str] = Counter()
        self._stored_edges: set[str] = set()
        self._stored_links: set[tuple[str, str, str]] = set()
        self._end_kinds: dict[str, str] = {}
        self._given_into_others: set[str] = set()  # ends a dataset gave as nodes that went into others
        self._held_edges: dict[tuple[str, str, str], tuple[dict[str, Any], str, int]] = {}
        # The merger finds the nodes it wrote, then the plain ones held, before the store's.
        merger.resolver.pending = _Held(merger.nodes, self._held)

    def read_ahead(self, names: ReadAhead) -> None:
        """What the resolver will ask the graph about the delta's nodes, read in one statement each
        rather than one a lookup: the nodes carrying their strong identifiers (in row order, as
        ``nodes_by_identifier`` gives them, leaving out the rows the delta replaces: they are
        absent, and those given again are found as this delta gives them), which of their ids
        the graph has, and the name blocks of their names."""
        links: set[tuple[str, str, str]] = set()
        for i, row in enumerate(self.rows):
            if row.is_edge:
                doc = row.doc
                self._edge_ids[doc["id"]] += 1
                links.add((doc["source"], doc["kind"], doc["target"]))
                continue
            doc = row.doc
            keys = list(
                dict.fromkeys(
                    (s, v) for s, values in doc["identifiers"].items() if s in _STRONG for v in values
                )
            )
            self._keys[i] = keys
            self._entries[i] = doc_name_entries(doc) if doc["kind"] in NAME_KINDS else []
            self._ids[doc["id"]] += 1
            self._key_count.update(keys)
        conn = self.store.conn
        identified: dict[tuple[str, str], list[str]] = {key: [] for key in self._key_count}
        for scheme, value, node_id in conn.execute(
            "SELECT i.scheme, i.value, n.id FROM json_each(?) AS j CROSS JOIN identifiers AS i "
            "CROSS JOIN nodes AS n WHERE i.scheme = json_extract(j.value, '$[0]') "
            "AND i.value = json_extract(j.value, '$[1]') AND n.seq = i.node_seq ORDER BY n.seq",
            (json_param(sorted(identified)),),
        ):
            if node_id not in self.gone:
                identified[(scheme, value)].append(node_id)
        self.merger.resolver.identified = identified
        self._in_store = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                (json_param(list(self._ids)),),
            )
        }
        blocks = {block for entries in self._entries.values() for block, _ in entries}
        self._hit_blocks = names.read_ahead(blocks)
        if links:
            self._read_edges(links)

    def _read_edges(self, links: set[tuple[str, str, str]]) -> None:
        """What the plain edge path asks the graph about the delta's edge rows, in one statement each."""
        conn = self.store.conn
        self._stored_edges = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM edges WHERE id IN (SELECT value FROM json_each(?))",
                (json_param(list(self._edge_ids)),),
            )
        }
        self._stored_links = {
            (source, kind, target)
            for source, kind, target in conn.execute(
                "SELECT e.source, e.kind, e.target FROM json_each(?) AS j CROSS JOIN edges AS e "
                "WHERE e.source = json_extract(j.value, '$[0]') AND e.kind = json_extract(j.value, '$[1]') "
                "AND e.target = json_extract(j.value, '$[2]')",
                (json_param(sorted(links)),),
            )
        }
        ends = json_param(list({end for source, _, target in links for end in (source, target)}))
        self._end_kinds = dict(
            conn.execute("SELECT id, kind FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (ends,))
        )
        # Merger.graph_id asks the bookkeeping where a dataset's own node id went only for these (a
        # record keeps its own id only when it went into a row of another).
        self._given_into_others = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT own FROM given WHERE own IN (SELECT value FROM json_each(?))", (ends,)
            )
        }

    def merge(
        self,
        apply: Callable[[Merger, Record], str],
        ranks: dict[str, int],
        next_rank: int,
        next_idx: int,
        progress: Callable[[int], None] | None = None,
    ) -> list[tuple[int, int, Row | Record, str]]:
        """Every row merged or written, in order: ``(rank, index, row or record, target row id)`` —
        a plain node's row itself, any other row's record as the merger took it. Each row keeps its
        origin's rank (a new origin: the next one); the indexes continue from ``next_idx``.
        ``progress`` is told the delta line of each row reached (a load's progress bar).

        The plain nodes are written at the end, before the merger's rows; meanwhile the merger
        finds them among its own (``Resolver.pending``), each made a model only when asked for
        (an edge's end).
        """
        given: list[tuple[int, int, Row | Record, str]] = []
        for i, row in enumerate(self.rows):
            if progress is not None and row.line is not None:
                progress(row.line)
            rank = ranks.get(row.origin)
            if rank is None:
                rank = _list_rank(self.rows, i, ranks)
                if rank is None:
                    rank = next_rank
                    next_rank += 1
                ranks[row.origin] = rank
            if row.is_edge:
                if self._is_plain_edge(row):
                    self._hold_edge(row, len(given))
                    given.append((rank, next_idx + i, row, row.doc["id"]))
                    continue
                self._adopt_held(row, given)
            elif self._is_plain(i, row):
                self._hold(i, row)
                given.append((rank, next_idx + i, row, row.doc["id"]))
                continue
            record = self._records.get(i) or row_record(row)
            # Merged knowing its line (an error names it); kept without, as every delta record is.
            target = apply(self.merger, Record(record.origin, record.item, row.line))
            given.append((rank, next_idx + i, record, target))
        self._flush()
        return given

    def _is_plain(self, i: int, row: Row) -> bool:
        doc = row.doc
        node_id, keys = doc["id"], self._keys[i]
        if node_id in self._in_store and node_id not in self.gone:
            return False
        if self._ids[node_id] > 1 or any(self._key_count[key] > 1 for key in keys):
            return False
        resolver = self.merger.resolver
        identified = resolver.identified or {}
        if any(identified.get(key) for key in keys):
            return False
        blocks = [block for block, _ in self._entries[i]]
        if resolver.holds(node_id, keys, blocks):
            return False
        if any(block in self._hit_blocks for block in blocks):
            # A name in a block of another dataset's names: the resolver compares it (rarely a match).
            record = self._records[i] = row_record(row)
            return resolver.match_name(record.item) is None  # type: ignore[arg-type]
        return True

    def _is_plain_edge(self, row: Row) -> bool:
        doc = row.doc
        kind, source, target, edge_id = doc["kind"], doc["source"], doc["target"], doc["id"]
        if self._edge_ids[edge_id] > 1 or edge_id in self._stored_edges or edge_id in self.merger.edges:
            return False
        link = (source, kind, target)
        if link in self._stored_links or link in self._held_edges:
            return False
        merger = self.merger
        if any(e.target == target for e in merger.edges_from(source, kind)):
            return False
        absent = merger.resolver.absent
        kinds = []
        for end in (source, target):
            renamed = merger.renamed.get(end)
            if renamed is None and end in self._given_into_others:
                renamed = merger.graph_id(end)
            if (renamed is not None and renamed != end) or end in merger.nodes:
                return False  # merged into another node, or merged by this delta: the merger moves it
            held = self._held.get(end)
            if held is not None:
                kinds.append(held.doc["kind"])
            elif end in absent or end not in self._end_kinds:
                return False  # the merger refuses it, naming its line
            else:
                kinds.append(self._end_kinds[end])
        allowed_source, allowed_target = edge_endpoints(kind)
        return kinds[0] in allowed_source and kinds[1] in allowed_target

    def _hold_edge(self, row: Row, place: int) -> None:
        """Hold a plain edge (``place``: its record's in the list :meth:`merge` returns)."""
        doc = row.doc
        text = row.text if row.text is not None else orjson.dumps(doc).decode()
        self._held_edges[(doc["source"], doc["kind"], doc["target"])] = (doc, text, place)

    def _adopt_held(self, row: Row, given: list[tuple[int, int, Row | Record, str]]) -> None:
        """Before the merger takes an edge: a plain edge held with its ends and kind (where they are
        moved to) becomes one of the merger's, as if it had merged it, its record the model."""
        if not self._held_edges:
            return
        doc, merger = row.doc, self.merger
        link = (merger.graph_id(doc["source"]), doc["kind"], merger.graph_id(doc["target"]))
        held = self._held_edges.pop(link, None)
        if held is not None:
            rank, idx, plain, target = given[held[2]]
            record = row_record(cast(Row, plain))
            merger.adopt(cast(Edge, record.item))
            given[held[2]] = (rank, idx, record, target)

    def _hold(self, i: int, row: Row) -> None:
        doc = row.doc
        node_id = doc["id"]
        text = row.text if row.text is not None else orjson.dumps(doc).decode()
        # The words and exact keys from the names as written (cached by name: the row it replaces has
        # most of them, and its are read next, by the store; making them from the resolver's entries
        # here instead left that cache cold: measured, no gain).
        self._pending.append((doc, text, *doc_index(doc)))
        dataset = doc["provenance"][0]["dataset"]
        self.names += [(block, *entry, dataset) for block, entry in self._entries[i]]
        self.plain[node_id] = None
        self._held[node_id] = row
        # As the merger leaves a node nothing merged into: brought by this delta, under its own id.
        self.merger.created.add(node_id)
        self.merger.renamed[node_id] = node_id

    def _flush(self) -> None:
        """Write the plain nodes (no longer absent to the resolver once written)."""
        self.store.write_node_docs(self._pending)
        absent = self.merger.resolver.absent
        for doc, *_ in self._pending:
            absent.discard(doc["id"])
        self._pending = []
        self.store.write_edge_docs([(doc, text) for doc, text, _ in self._held_edges.values()])
        self._held_edges = {}


def _list_rank(rows: list[Row], i: int, ranks: Mapping[str, int]) -> int | None:
    """The rank of a new list node (row ``i``) given with a listing that keeps its place (a listing
    brought back, or moved to a new program): the listing's, before which it is given (its index
    the lower), as a full file gives a program's list just before its first listing. Else None (a
    new origin: it ranks after the dataset's others)."""
    row = rows[i]
    if row.is_edge or not row.origin.startswith(LIST_ORIGIN) or i + 1 == len(rows):
        return None
    listing = rows[i + 1]
    return ranks.get(listing.origin) if listing.is_edge and listing.doc["kind"] == "LISTED_ON" else None


class _Held(Mapping[str, Node]):
    """The nodes the merger wrote, then the plain nodes held to be written, as the models the
    merger asks for (a plain one made when asked for)."""

    def __init__(self, merged: dict[str, Node], rows: dict[str, Row]) -> None:
        self.merged, self.rows = merged, rows
        self.made: dict[str, Node] = {}

    def __getitem__(self, node_id: str) -> Node:
        node = self.merged.get(node_id)
        if node is None:
            node = self.made.get(node_id)
        if node is None:
            # Only node rows are held.
            node = self.made[node_id] = cast(Node, row_record(self.rows[node_id]).item)
        return node

    def get(self, node_id: str, default: Any = None) -> Any:
        found = self.merged.get(node_id)
        if found is None and node_id in self.rows:
            found = self[node_id]
        return default if found is None else found

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.merged or node_id in self.rows

    def __iter__(self) -> Iterator[str]:
        yield from self.merged
        yield from (i for i in self.rows if i not in self.merged)

    def __len__(self) -> int:
        return len(self.merged) + sum(1 for i in self.rows if i not in self.merged)

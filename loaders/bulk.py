"""The bulk path of a load: rows new to the graph written as they come, the rest merged.

Most of what a large source gives is new to the graph: an entity no node there has the
id, a strong identifier or a name block of. Such rows need no merging: their documents
(``loaders.records.Row``, no model built) go into the store's tables in batches, in the
load's one transaction. A row that may meet the graph goes to the resolver and merger
as a model, as every row used to (``loaders/resolve.py``):

- a node whose id, or one of whose strong identifiers, the store already has (the
  graph before this load, or a row of this load written before it), or that an earlier
  row of its batch gives; one a judgement names; one with a name in a block of the graph
  before this load;
- an edge with an end that is not such a new node, or that states the same fact (same
  id, or same kind, ends and start) as an earlier edge of this load.

Which rows are new is found a batch at a time, with one indexed query per key kind for
the whole batch (ids, identifiers) rather than one lookup per row. Rows merged later
into a new node (another entity with its ISIN) are written again by the merger, as a
load that merged everything would have written them.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Mapping
from typing import Any, NamedTuple

import orjson

from graph.errors import LoadError, OrdergraphError
from graph.model import edge_endpoints, edge_id
from graph.store.words import doc_index, norm_words
from graph.store.workspace import NewEdge, NewNode, WorkspaceStore, day, doc_security_columns
from loaders.ftm import row_record
from loaders.records import Record, Row
from loaders.resolve import NAME_KINDS, STRONG_SCHEMES, Merger, NameEntry, doc_name_entries

# Rows looked up and written at a time, in the load's one transaction: what a load holds beyond the
# graph (a batch of rows, their documents and bookkeeping), whatever the file's length. 10,000 held
# ~33 MB of small FtM entities (more with real ones); 1,000 loads 100k lines in the same CPU time
# with 40 MiB less peak RSS (bench/RESULTS.md, issue 9).
BATCH = 1000
_STRONG = frozenset(STRONG_SCHEMES)


class NodeFacts(NamedTuple):
    """What the bulk path reads of a node's row, worked out once from its document (in the reading
    worker when there is one, loaders/worker.py, so that this process need not parse the document
    at all when the row is written as it is; it crosses the pipe as a plain tuple of its fields)."""

    id: str
    kind: str
    strong: list[tuple[str, str]]  # its strong identifiers (scheme, value)
    names: list[tuple[str, NameEntry]]  # its names as the resolver blocks them
    words: list[str]  # its name-index words
    exchange: str | None  # the store's security columns
    code: str | None
    identifiers: list[tuple[str, str]]  # every identifier
    datasets: list[str]
    first_seen: str | None  # the earliest
    last_seen: str | None  # the latest
    exact_names: list[str]  # its names as an exact-name lookup finds it (graph.store.words.exact_keys)


class EdgeFacts(NamedTuple):
    """What the bulk path reads of an edge's row (as :class:`NodeFacts`)."""

    id: str
    kind: str
    source: str
    target: str
    start: str | None  # as given
    start_day: str | None  # the first day of start, and of end
    end_day: str | None
    datasets: list[str]
    first_seen: str | None
    last_seen: str | None


# One row of the workspace's ``given`` table (see loaders/workspace/tables.py): load number, rank, index,
# origin, is_edge, target, the target's row number (None: the merger writes it later), own id
# (None: the target's), line, document (None when the record went into a new row as it is: the
# row holds the same text).
GivenRow = tuple[int, int, int, str, bool, str, int | None, str | None, int | None, str | None]


class BulkLoad:
    """Writes a dataset's rows into the store: new ones directly, the others through ``merger``.

    ``apply`` merges one record and says which row it went into (``loaders.workspace.given._apply``);
    ``blocks`` are the name blocks of the graph before the load.
    """

    def __init__(
        self,
        store: WorkspaceStore,
        merger: Merger,
        apply: Callable[[Merger, Record], str],
        dataset: str,
        seq: int,
        blocks: Collection[str],
        path: str,
        aside: list[tuple[str, str]] | None = None,
        in_memory: bool = False,
    ) -> None:
        self.store, self.conn = store, store.conn
        # Merging every dataset again (``Workspace._rebuild``): an edge with an end no dataset
        # gives now is listed here as ``(edge id, missing node)``, not refused, and each record
        # keeps its source line.
        self.aside = aside
        self.merger, self.apply = merger, apply
        self.dataset, self.seq, self.path = dataset, seq, path
        self.blocks = blocks
        # The new nodes written as they came: node id → row number; their kinds and the edges written
        # onto them so far in row order (a list and an array, not two more maps of a million ids).
        self.fresh: dict[str, int] = {}
        self._fresh_kinds: list[str] = []
        self._fresh_degrees = array("I")
        merger.written = self.fresh.keys()
        self.records = 0
        self.first_seen: str | None = None
        self.last_seen: str | None = None
        self._ranks: dict[str, int] = {}
        self._edge_keys: set[int] = set()  # hashes of this load's edges' ids and facts
        self._buffer: list[tuple[Row, Any]] = []  # each row with its facts
        self._nodes: list[NewNode] = []
        self._edges: list[NewEdge] = []
        # The row numbers the next new node and edge get (only this load writes rows until the
        # merger's are written, at the end).
        self._node_seq, self._edge_seq = store.next_node_seq(), store.next_edge_seq()
        self._first_node = self._node_seq  # the first new node's row number
        self._names: list[tuple[str, str, str, str | None, str, str, int]] = []
        # Merging again: a link whose end this dataset gives further on (the reader held it until
        # then on the first load), by that end's id, merged once the end is.
        self._waiting: dict[str, list[tuple[Row, EdgeFacts]]] = {}
        self._given: list[GivenRow] = []
        # What is held to be written (the merger, reading the store, must not miss it).
        self._pending_ids: set[str] = set()
        self._pending_keys: set[tuple[str, str]] = set()
        self._pending_sources: set[str] = set()
        self._kinds: dict[str, str] = {}  # kinds of the other nodes new edges join
        self._degrees: Counter[str] = Counter()  # edges written onto nodes that are not new
        # Into a small graph (``in_memory``), what the store holds is known here instead of asked
        # a batch at a time: its node ids, and hashes of its and this load's strong identifiers
        # (a hash shared by chance only sends a row to the merger, which resolves it exactly).
        self._memory: tuple[set[str], set[int]] | None = None
        if in_memory:
            ids = {r[0] for r in self.conn.execute("SELECT id FROM nodes")}
            strong = ",".join("?" * len(_STRONG))
            rows = self.conn.execute(
                f"SELECT scheme, value FROM identifiers WHERE scheme IN ({strong})",  # noqa: S608
                sorted(_STRONG),
            )
            self._memory = (ids, {hash((scheme, value)) for scheme, value in rows})

    @property
    def ranks(self) -> Mapping[str, int]:
        """Each origin's rank (in order of first appearance), once every row was added."""
        return self._ranks

    def add_all(self, rows: Iterable[Row], progress: Callable[[int], None] | None = None) -> None:
        for row in rows:
            sent = row.facts
            facts = row_facts(row.is_edge, row.doc) if sent is None else sent_facts(row.is_edge, sent)
            self._buffer.append((row, facts))
            if len(self._buffer) >= BATCH:
                self._batch()
                if progress is not None and row.line is not None:
                    progress(row.line)
        self._batch()
        # What still waits has an end no row of the dataset gave: set aside, as ever.
        waiting = [link for links in self._waiting.values() for link in links]
        self._waiting.clear()
        for row, facts in waiting:
            self._edge(row, facts, wait=False)
        self._flush()

    # -- one batch --
    def _batch(self) -> None:
        rows, self._buffer = self._buffer, []
        known_ids: Container[str]
        known_keys: Container[tuple[str, str]]
        if self._memory is not None:
            known_ids, known_keys = _KnownIds(self._memory[0], self.fresh), _KnownKeys(self._memory[1])
        else:
            nodes = [facts for _, facts in rows if isinstance(facts, NodeFacts)]
            known_ids = self._known_ids([facts.id for facts in nodes])
            known_keys = self._known_identifiers([key for facts in nodes for key in facts.strong])
        batch_ids: set[str] = set()
        batch_keys: set[tuple[str, str]] = set()
        for row, facts in rows:
            self._account(row.origin, facts.first_seen, facts.last_seen)
            if isinstance(facts, EdgeFacts):
                self._edge(row, facts)
            else:
                self._node(row, facts, known_ids, known_keys, batch_ids, batch_keys)
                for link_row, link in self._waiting.pop(facts.id, []):
                    self._edge(link_row, link)  # it may wait again, for its other end
        self._flush()  # the next batch's lookups find this one's rows in the store

    def _known_ids(self, ids: list[str]) -> set[str]:
        rows = self.conn.execute(
            "SELECT id FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (orjson.dumps(ids).decode(),)
        )
        return {r[0] for r in rows}

    def _known_identifiers(self, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        rows = self.conn.execute(
            "SELECT i.scheme, i.value FROM json_each(?) AS j JOIN identifiers AS i "
            "ON i.scheme = json_extract(j.value, '$[0]') AND i.value = json_extract(j.value, '$[1]')",
            (orjson.dumps(pairs).decode(),),
        )
        return {(r[0], r[1]) for r in rows}

    def _account(self, origin: str, first: str | None, last: str | None) -> None:
        """The row's rank (its origin's, in order of first appearance) and the dataset's dates."""
        if origin not in self._ranks:
            self._ranks[origin] = len(self._ranks)
        if first and (self.first_seen is None or first < self.first_seen):
            self.first_seen = first
        if last and (self.last_seen is None or last > self.last_seen):
            self.last_seen = last

    def _give(self, row: Row, own: str, target: str, text: str | None, seq: int | None = None) -> None:
        self._given.append(
            (self.seq, self._ranks[row.origin], self.records, row.origin, row.is_edge, target, seq,
             None if own == target else own, row.line if self.aside is not None else None, text)
        )  # fmt: skip
        self.records += 1

    # -- nodes --
    def _node(
        self,
        row: Row,
        facts: NodeFacts,
        known_ids: Container[str],
        known_keys: Container[tuple[str, str]],
        batch_ids: set[str],
        batch_keys: set[tuple[str, str]],
    ) -> None:
        node_id, kind, keys, entries, words, exchange, code, idents, datasets, _, _, named = facts
        resolver = self.merger.resolver
        blocks = [block for block, _ in entries]
        new = (
            node_id not in known_ids
            and node_id not in batch_ids
            and not any(k in known_keys or k in batch_keys for k in keys)
            and not resolver.holds(node_id, keys, blocks)
        )
        record: Record | None = None
        if new and any(block in self.blocks for block in blocks):
            # A name in a block of the graph: the resolver compares it (rarely a match).
            record = row_record(row)
            new = resolver.match_name(record.item) is None  # type: ignore[arg-type]
        batch_ids.add(node_id)
        batch_keys.update(keys)
        if new:
            seq, self._node_seq = self._node_seq, self._node_seq + 1
            self.fresh[node_id] = seq
            self._fresh_kinds.append(kind)
            self._fresh_degrees.append(0)
            self._pending_ids.add(node_id)
            self._pending_keys.update(keys)
            if self._memory is not None:
                self._memory[1].update(hash(key) for key in keys)
            self._nodes.append((node_id, kind, exchange, code, _text(row), words, idents, datasets, named))
            self._names += [(block, *entry, self.dataset, seq) for block, entry in entries]
            self._give(row, node_id, node_id, None, seq)
            return
        # The merger reads the rows written so far from the store: those it may meet are written first
        # (a judgement may name a node of this batch).
        judged = resolver.judged(node_id)
        if judged or node_id in self._pending_ids or any(k in self._pending_keys for k in keys):
            self._flush()
        record = record or row_record(row)
        target = self.apply(self.merger, record)
        self._give(row, node_id, target, record.item.model_dump_json())

    # -- edges --
    def _edge(self, row: Row, facts: EdgeFacts, wait: bool = True) -> None:
        edge, kind, source, given_target, start, start_day, end_day, datasets, _, _ = facts
        renamed = self.merger.renamed
        target = renamed.get(given_target, given_target)
        # Merging again, whether no node has the target yet (asked once: waiting, or setting aside).
        no_target = self.aside is not None and self._missing(target)
        if wait and self.aside is not None:
            no_source = self._missing(renamed.get(source, source))
            if no_source or no_target:  # it waits for that end's row (the source's first)
                self._waiting.setdefault(source if no_source else given_target, []).append((row, facts))
                return
        # An edge from a new node: the graph before this load has no edge from it to merge
        # with, so only this load's own edges can state the same fact.
        keys = (hash(edge), hash((source, kind, target, start)))
        new = (
            source in self.fresh
            and source not in renamed
            and keys[0] not in self._edge_keys
            and keys[1] not in self._edge_keys
        )
        moved = new and target != given_target
        if moved:
            edge = "|".join([edge_id(kind, source, target, start), *edge.split("|")[4:]])
            keys = (hash(edge), keys[1])
            new = keys[0] not in self._edge_keys
        self._edge_keys.update(keys)
        if new and no_target and self.aside is not None:
            self.aside.append((edge, target))
            self._give(row, facts.id, edge, _text(row))
            return
        if new:
            self._check_ends(edge, kind, source, target, row.line)
            # The dataset's record keeps the edge as the source gave it (its own ends).
            text = orjson.dumps({**row.doc, "id": edge, "target": target}).decode() if moved else _text(row)
            self._edges.append((edge, kind, source, target, start_day, end_day, text, datasets))
            self._pending_sources.add(source)
            fresh, first = self.fresh, self._first_node
            self._fresh_degrees[fresh[source] - first] += 1
            target_seq = fresh.get(target)
            if target_seq is None:
                self._degrees[target] += 1
            else:
                self._fresh_degrees[target_seq - first] += 1
            seq, self._edge_seq = self._edge_seq, self._edge_seq + 1
            self._give(row, facts.id, edge, _text(row) if moved else None, seq)
            return
        ends = (source, renamed.get(source, source), given_target, target)
        if any(end in self._pending_ids or end in self._pending_sources for end in ends):
            self._flush()
        record = row_record(row)
        merged = self.apply(self.merger, record)
        stored = self.merger.edges.get(merged)
        if stored is None:  # merging again, an end no dataset gives now: set aside by the merge
            self._give(row, facts.id, merged, record.item.model_dump_json())
            return
        fact = (stored.source, stored.kind, stored.target, stored.start)
        self._edge_keys.update((hash(stored.id), hash(fact)))
        self._give(row, facts.id, merged, record.item.model_dump_json())

    def _missing(self, node_id: str) -> bool:
        """Whether no node has this id, neither new in this load nor in the graph."""
        known = node_id in self.fresh or node_id in self._kinds
        return not known and self.merger.get_node(node_id) is None

    def _check_ends(self, edge: str, kind: str, source: str, target: str, line: int | None) -> None:
        """The edge's ends exist and are of kinds its kind joins (as ``workspace.given._apply`` checks)."""
        where = f"{kind} {edge}"
        kinds = []
        for end in (source, target):
            seq = self.fresh.get(end)
            found = self._fresh_kinds[seq - self._first_node] if seq is not None else self._kinds.get(end)
            if found is None:
                node = self.merger.get_node(end)
                if node is None:
                    raise LoadError(self.path, line, where, f"unknown node {end!r}")
                found = self._kinds[end] = node.kind
            kinds.append(found)
        allowed_source, allowed_target = edge_endpoints(kind)
        if kinds[0] not in allowed_source or kinds[1] not in allowed_target:
            raise LoadError(self.path, line, where, f"{kind} cannot join {kinds[0]} → {kinds[1]}")

    def count_degrees(self) -> None:
        """Every node's degree, once all is written: what the edges written here add to it (the
        merger's writes kept the degrees of the rows they wrote)."""
        first = self._first_node
        self.store.add_row_degrees((first + i, n) for i, n in enumerate(self._fresh_degrees) if n)
        self._fresh_degrees = array("I")
        self.store.add_degrees(self._degrees.items())
        self._degrees.clear()

    # -- writing --
    def _flush(self) -> None:
        """Write what the batch found new, with its names and bookkeeping."""
        if self._nodes or self._edges:
            expected = (self._node_seq - len(self._nodes), self._edge_seq - len(self._edges))
            written = self.store.insert_new(self._nodes, self._edges)
            if written != expected:  # the bookkeeping below names the rows by these numbers
                raise OrdergraphError(f"new rows written from {written}, counted from {expected}")
            self._nodes, self._edges = [], []
        if self._names:
            self.conn.executemany("INSERT INTO name_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", self._names)
            self._names = []
        if self._given:
            self.conn.executemany("INSERT INTO given VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._given)
            self._given = []
        self._pending_ids.clear()
        self._pending_keys.clear()
        self._pending_sources.clear()


def _text(row: Row) -> str:
    """A row's document as JSON (the reader's, when it made it)."""
    return row.text if row.text is not None else orjson.dumps(row.doc).decode()


class _KnownIds(Container[str]):
    """Node ids the store holds: those it held before the load, and the new nodes written since."""

    def __init__(self, before: set[str], fresh: Container[str]) -> None:
        self.before, self.fresh = before, fresh

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.fresh or node_id in self.before


class _KnownKeys(Container[tuple[str, str]]):
    """Strong identifiers the store holds, as hashes (:class:`BulkLoad` ``in_memory``)."""

    def __init__(self, hashes: set[int]) -> None:
        self.hashes = hashes

    def __contains__(self, key: object) -> bool:
        return hash(key) in self.hashes


def node_facts(doc: dict[str, Any]) -> NodeFacts:
    """What the bulk path reads of a node's document (:data:`NodeFacts`)."""
    kind, identifiers = doc["kind"], doc["identifiers"]
    keys = [(s, v) for s, values in identifiers.items() if s in _STRONG for v in values]
    entries = doc_name_entries(doc) if kind in NAME_KINDS else []
    idents = [(s, v) for s, values in identifiers.items() for v in values]
    exchange, code = doc_security_columns(doc)
    words, exact = node_index(doc, entries)
    datasets, first, last = _provenance(doc)
    return NodeFacts(
        doc["id"], kind, keys, entries, words, exchange, code, idents, datasets, first, last, exact
    )  # fmt: skip


def edge_facts(doc: dict[str, Any]) -> EdgeFacts:
    """What the bulk path reads of an edge's document (:data:`EdgeFacts`)."""
    start = doc["start"]
    datasets, first, last = _provenance(doc)
    return EdgeFacts(doc["id"], doc["kind"], doc["source"], doc["target"], start, day(start), day(doc["end"]),
                     datasets, first, last)  # fmt: skip


def row_facts(is_edge: bool, doc: dict[str, Any]) -> NodeFacts | EdgeFacts:
    """What the bulk path reads of a row's document: the one choice of node or edge facts, made
    by the bulk load for a row read here and by the reading worker for the rows it sends."""
    return edge_facts(doc) if is_edge else node_facts(doc)


_as_class: Callable[[type, tuple[Any, ...]], Any] = tuple.__new__  # a tuple's items, as a subclass


def sent_facts(is_edge: bool, values: tuple[Any, ...]) -> NodeFacts | EdgeFacts:
    """The facts the reading worker sent as a plain tuple (:func:`row_facts`'s fields), as their
    class again, without a copy (marshal, which carries the worker's messages, writes no NamedTuple;
    pickled, the NamedTuples themselves cost the loading process +60 % on reading them back, their
    ``__new__`` being Python; a plain tuple and this cost nothing measurable: 22k rows of the bench
    corpus, 392 ms against 247 and 238 ms)."""
    return _as_class(EdgeFacts if is_edge else NodeFacts, values)  # type: ignore[no-any-return]


def _provenance(doc: dict[str, Any]) -> tuple[list[str], str | None, str | None]:
    """A document's datasets (each once, in order), earliest first_seen and latest last_seen.

    >>> seen = lambda d, f, la: {"dataset": d, "first_seen": f, "last_seen": la}
    >>> _provenance({"provenance": [seen("a", "2021-01-02", "2024-05-01")]})
    (['a'], '2021-01-02', '2024-05-01')
    >>> merged = [seen("a", "2021-01-02", None), seen("b", "2020-03-01", "2022"), seen("a", "", "")]
    >>> _provenance({"provenance": merged})
    (['a', 'b'], '2020-03-01', '2022')
    """
    provenances = doc["provenance"]
    if len(provenances) == 1:  # every row a reader makes: one dataset, no loop
        (only,) = provenances
        return [only["dataset"]], only["first_seen"] or None, only["last_seen"] or None
    first = last = None
    for provenance in provenances:
        seen_first, seen_last = provenance["first_seen"], provenance["last_seen"]
        if seen_first and (first is None or seen_first < first):
            first = seen_first
        if seen_last and (last is None or seen_last > last):
            last = seen_last
    return list(dict.fromkeys(p["dataset"] for p in provenances)), first, last


def node_index(doc: dict[str, Any], entries: list[tuple[str, NameEntry]]) -> tuple[list[str], list[str]]:
    """A node's name-index words and exact keys (:func:`graph.store.words.doc_index`): from its names
    as the resolver normalised them, or from its document when it has none (the rule the worker and
    this load share). Each name is normalised once, for the resolver, the words and the keys."""
    if not entries:
        return doc_index(doc)
    words: dict[str, None] = {}
    exact: dict[str, None] = {}
    for _, (norm, *_rest) in entries:
        if norm not in exact:
            exact[norm] = None
            # An ASCII name's words are its words (graph.names.norm_tokens), without the cache's call.
            words.update(dict.fromkeys(norm.split() if norm.isascii() else norm_words(norm)))
    return list(words), list(exact)


class BoundedNames:
    """The resolver's name index over the graph before a load: ``name_blocks`` rows up to a rowid.

    The rows a bulk load writes for its new nodes come after, and are not matched by name
    (a source's own entities never merge by name alone).
    """

    def __init__(self, conn: sqlite3.Connection, last_rowid: int) -> None:
        self.conn, self.last_rowid = conn, last_rowid

    def entries(self, block: str) -> list[NameEntry]:
        rows = self.conn.execute(
            "SELECT norm, node, country, kind FROM name_blocks WHERE block = ? AND rowid <= ?",
            (block, self.last_rowid),
        )
        return [(norm, node, country, kind) for norm, node, country, kind in rows]

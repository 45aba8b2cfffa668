"""Cypher as data: pure functions that return ``(query, params)``; no driver here.

The property maps the statements write are :mod:`graph.neo4j_rows`'s, which also says how the
graph reads in Neo4j (the shape hand-written Cypher relies on).

Values always travel as parameters. Labels and relationship types cannot be
parameters, so they come only from the closed vocabularies in
:mod:`graph.model` and are checked against them here.

>>> query, params = merge_nodes("Company", [{"id": "ORG:x", "seq": 0, "props": {"id": "ORG:x"}}])
>>> print(query)
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
WITH n, row, n.seq AS kept
SET n = row.props, n:Company
SET n.seq = CASE WHEN $keep_order AND kept IS NOT NULL THEN kept ELSE row.seq END
RETURN count(n) AS written
>>> params["rows"][0]["id"]
'ORG:x'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import orjson

from graph.model import (
    Node,
    edge_kinds,
    node_kinds,
)
from graph.names import code_key, rules_version
from graph.neo4j_rows import name_key, node_row

Params = dict[str, Any]
Statement = tuple[str, Params]

FULLTEXT_INDEX = "entity_names"
# The store's lookups, one whitespace full-text index over three fields: name words (``name_words``),
# identifiers (``identifier_keys``) and exact names (``name_keys``); every query names its field. One
# Lucene document a node, not three: the index's updates were the largest server cost of a node's
# write (bench/RESULTS.md).
LOOKUP_INDEX = "entity_lookup_names"
# The indexes the store's reads go through: name → (label, indexed properties). Each arrived with
# the properties it indexes, so a graph that lacks one, or holds one of another shape, was synced by
# an earlier ordergraph and lacks those properties too: a read through it would answer nothing
# (a ticker lookup on a graph without ``code_key``) or fail. :func:`outdated` says so, from the
# server's index list (:func:`read_index_list`).
READ_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    LOOKUP_INDEX: ("Entity", ("name_words", "identifier_keys", "name_keys")),
    "security_code_key": ("Security", ("code_key",)),
    "security_exchange_key": ("Security", ("exchange_key",)),
}
# Indexes of earlier schemas, dropped: ~100 name grams a node, then the two fields' own indexes,
# then the lookup index before it had exact names.
OLD_INDEXES = ("entity_grams", "entity_name_words", "entity_identifiers", "entity_lookup")


def _label(kind: str, allowed: tuple[str, ...]) -> str:
    if kind not in allowed:
        raise ValueError(f"{kind!r} is not a known kind")
    return kind


# --- schema -------------------------------------------------------------------------------------


def schema(relationship_types: Collection[str] | None = None) -> list[Statement]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS``); run before any write.

    Unique: entity ids, edge ids of each relationship type in ``relationship_types``
    (default: every edge kind), tickers (exchange + code), order numbers. Indexed: each
    kind's ids, order FR document numbers, tickers and codes, a full-text index on names
    and aliases (for people), and the store's own full-text indexes of normalised name
    words and identifiers.

    A constraint on a relationship type makes Neo4j list the type in
    ``db.relationshipTypes()`` (and Browser's sidebar) with no relationship of it: the
    sync asks only for the types its data has (:func:`drop_edge_id_constraints`).
    """
    statements = [
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT security_ticker IF NOT EXISTS FOR (s:Security)"
        " REQUIRE (s.exchange, s.code) IS UNIQUE",
        "CREATE CONSTRAINT order_number IF NOT EXISTS FOR (o:ExecutiveOrder) REQUIRE o.number IS UNIQUE",
        "CREATE INDEX order_fr_doc IF NOT EXISTS FOR (o:ExecutiveOrder) ON (o.fr_doc)",
        "CREATE INDEX security_ticker_text IF NOT EXISTS FOR (s:Security) ON (s.ticker)",
        "CREATE INDEX security_code IF NOT EXISTS FOR (s:Security) ON (s.code)",
        # The sync finds stale items by diffing ids it reads once, not through a generation index.
        "DROP INDEX entity_sync IF EXISTS",
        # Full-text indexes are eventually consistent: a commit does not wait for Lucene to
        # refresh; writers then wait with db.index.fulltext.awaitEventuallyConsistentIndexRefresh.
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]"
        " OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}",
        *(f"DROP INDEX {name} IF EXISTS" for name in OLD_INDEXES),
        # The store's lookups: name words and identifiers as whole tokens (whitespace analyzer).
        f"CREATE FULLTEXT INDEX {LOOKUP_INDEX} IF NOT EXISTS FOR (n:Entity)"
        f" ON EACH [{', '.join('n.' + p for p in READ_INDEXES[LOOKUP_INDEX][1])}]"
        " OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: true}}",
        *(
            f"CREATE INDEX {name} IF NOT EXISTS FOR (s:{label}) ON (s.{properties[0]})"
            for name, (label, properties) in READ_INDEXES.items()
            if name != LOOKUP_INDEX
        ),
    ]
    # A query names a node by its kind's label (`(:Company {id: 'ORG:xiaomi'})`, as the cookbook
    # does), which the :Entity constraint's index does not serve: one index a kind, or a label scan.
    for kind in node_kinds():
        statements.append(f"CREATE INDEX {kind_id_index(kind)} IF NOT EXISTS FOR (n:{kind}) ON (n.id)")
    for kind in edge_kinds():
        if relationship_types is None or kind in relationship_types:
            statements.append(create_edge_id_constraint(kind)[0])
    statements.append(
        "CREATE CONSTRAINT sync_run_name IF NOT EXISTS FOR (s:OrdergraphSync) REQUIRE s.name IS UNIQUE"
    )
    return [(s, {}) for s in statements]


def edge_id_constraint(kind: str) -> str:
    """The name of the uniqueness constraint on one relationship type's edge ids.

    >>> edge_id_constraint("LISTED_ON")
    'listed_on_id'
    """
    return _label(kind, edge_kinds()).lower() + "_id"


def create_edge_id_constraint(kind: str) -> Statement:
    """The uniqueness constraint on one relationship type's edge ids (idempotent)."""
    name = edge_id_constraint(kind)
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR ()-[r:{kind}]-() REQUIRE r.id IS UNIQUE", {}


def drop_edge_id_constraints(kinds: Iterable[str]) -> list[Statement]:
    """Drop the edge-id constraints of these edge kinds (each idempotent: ``IF EXISTS``).

    The sync drops those of the kinds its data has none of: such a constraint is all that
    keeps a type nobody uses (``ROLE_IN`` in the curated graph: only FtM data has it) in
    ``db.relationshipTypes()`` and Browser's sidebar.
    """
    return [(f"DROP CONSTRAINT {edge_id_constraint(kind)} IF EXISTS", {}) for kind in kinds]


def kind_id_index(kind: str) -> str:
    """The name of the index on ids of one node kind's label.

    >>> kind_id_index("ExecutiveOrder")
    'executive_order_id'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "_", _label(kind, node_kinds())).lower() + "_id"


def await_indexes(seconds: int = 300) -> Statement:
    return "CALL db.awaitIndexes($seconds)", {"seconds": seconds}


def await_fulltext_refresh() -> Statement:
    """Wait until the eventually consistent full-text indexes hold every committed write."""
    return "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()", {}


# --- writes -------------------------------------------------------------------------------------


def merge_nodes(kind: str, rows: list[dict[str, Any]], keep_order: bool = False) -> Statement:
    """Upsert a batch of nodes of one kind, keyed by id; their property map is replaced whole.

    ``seq`` comes from the row, or with ``keep_order`` stays what it was for a
    node already there (a replaced node keeps its place). A node's kind never
    changes (its id prefix decides it), so there is no other kind label to remove.
    """
    label = _label(kind, node_kinds())
    query = (
        "UNWIND $rows AS row\nMERGE (n:Entity {id: row.id})\nWITH n, row, n.seq AS kept\n"
        f"SET n = row.props, n:{label}\n"
        "SET n.seq = CASE WHEN $keep_order AND kept IS NOT NULL THEN kept ELSE row.seq END\n"
        "RETURN count(n) AS written"
    )
    return query, {"rows": rows, "keep_order": keep_order}


def merge_edges(kind: str, rows: list[dict[str, Any]], keep_order: bool = False) -> Statement:
    """Upsert a batch of edges of one kind, keyed by their own id (parallel edges stay apart).

    An edge whose id now joins other endpoints is moved (deleted and recreated),
    never duplicated. Rows whose endpoints are missing write nothing and are
    left out of ``written``. ``seq`` as in :func:`merge_nodes`.
    """
    rel = _label(kind, edge_kinds())
    query = (
        "UNWIND $rows AS row\n"
        "MATCH (a:Entity {id: row.source})\n"
        "MATCH (b:Entity {id: row.target})\n"
        f"OPTIONAL MATCH (x)-[old:{rel} {{id: row.id}}]->(y)\n"
        "WITH row, a, b, old, x, y, old.seq AS kept\n"
        "FOREACH (gone IN CASE WHEN old IS NOT NULL AND (x <> a OR y <> b) THEN [old] ELSE [] END |\n"
        "  DELETE gone)\n"
        f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b)\n"
        "SET r = row.props\n"
        "SET r.seq = CASE WHEN $keep_order AND kept IS NOT NULL THEN kept ELSE row.seq END\n"
        "RETURN count(r) AS written"
    )
    return query, {"rows": rows, "keep_order": keep_order}


def existing_entities() -> Statement:
    """Every entity's id and the digest of what a sync last wrote on it (None: written otherwise)."""
    return "MATCH (n:Entity) RETURN n.id AS id, n.digest AS digest", {}


def existing_relationships() -> Statement:
    """Every relationship between entities: its edge id, type, endpoint ids and sync digest."""
    query = (
        "MATCH (a:Entity)-[r]->(b:Entity)\n"
        "RETURN r.id AS id, type(r) AS kind, a.id AS source, b.id AS target, r.digest AS digest"
    )
    return query, {}


def create_nodes(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """Create a batch of entities of one kind known to be new; each row is the whole property map.

    No ``MERGE``: the sync read which ids the database holds once, beforehand,
    and the uniqueness constraint still refuses a duplicate.
    """
    label = _label(kind, node_kinds())
    query = f"UNWIND $rows AS row\nCREATE (n:Entity:{label})\nSET n = row\nRETURN count(n) AS written"
    return query, {"rows": rows}


def update_nodes(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """Replace the property map of entities already there (found through the ``Entity.id`` constraint)."""
    label = _label(kind, node_kinds())
    query = (
        f"UNWIND $rows AS row\nMATCH (n:Entity {{id: row.id}})\nSET n = row, n:{label}\n"
        "RETURN count(n) AS written"
    )
    return query, {"rows": rows}


def create_relationships(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """Create a batch of relationships of one type known to be new (rows: ``source``, ``target``, ``props``).

    Endpoints are found through the ``Entity.id`` uniqueness index; a row whose
    endpoint is missing writes nothing and is left out of ``written``.
    """
    rel = _label(kind, edge_kinds())
    query = (
        "UNWIND $rows AS row\n"
        "MATCH (a:Entity {id: row.source})\n"
        "MATCH (b:Entity {id: row.target})\n"
        f"CREATE (a)-[r:{rel}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(r) AS written"
    )
    return query, {"rows": rows}


def update_relationships(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """Replace the property map of relationships already there, found by edge id (the type's constraint)."""
    rel = _label(kind, edge_kinds())
    query = (
        f"UNWIND $rows AS row\nMATCH ()-[r:{rel} {{id: row.props.id}}]->()\nSET r = row.props\n"
        "RETURN count(r) AS written"
    )
    return query, {"rows": rows}


def delete_relationships(kind: str, edge_ids: Collection[str]) -> Statement:
    """Delete the relationships of one type with these edge ids (through the type's id constraint)."""
    rel = _label(kind, edge_kinds())
    query = f"UNWIND $ids AS id\nMATCH ()-[r:{rel} {{id: id}}]->()\nDELETE r\nRETURN count(*) AS deleted"
    return query, {"ids": list(edge_ids)}


def _edges_by_id(match: str, returns: str) -> str:
    """A subquery finding relationships by edge id whatever their type: one index seek per type."""
    branches = [
        f"MATCH (a:Entity)-[r:{kind} {{id: {match}}}]->(b:Entity) RETURN {returns}" for kind in edge_kinds()
    ]
    return "{\n  " + "\n  UNION ALL\n  ".join(branches) + "\n}"


def take_retyped(rows: list[dict[str, Any]]) -> Statement:
    """Delete relationships that carry one of these edge ids under another kind; return their seq.

    (Uniqueness is per relationship type, so an edge whose kind changed would otherwise stay twice.)
    """
    query = (
        "UNWIND $rows AS row\n"
        f"CALL (row) {_edges_by_id('row.id', 'r')}\n"
        "WITH row, r WHERE type(r) <> row.kind\n"
        "WITH row, r, r.seq AS seq\nDELETE r\nRETURN row.id AS id, seq"
    )
    return query, {"rows": [{"id": r["id"], "kind": r["kind"]} for r in rows]}


def delete_edges(edge_ids: Collection[str]) -> Statement:
    query = f"UNWIND $ids AS id\nCALL (id) {_edges_by_id('id', 'r')}\nDELETE r\nRETURN count(*) AS deleted"
    return query, {"ids": list(edge_ids)}


def delete_nodes(node_ids: Collection[str]) -> Statement:
    query = "UNWIND $ids AS id\nMATCH (n:Entity {id: id})\nDETACH DELETE n\nRETURN count(*) AS deleted"
    return query, {"ids": list(node_ids)}


def set_node_properties(rows: list[dict[str, Any]]) -> Statement:
    """Add properties to entities found by id (rows: ``id``, ``props``): the bulk import's values its
    CSV could not spell (:mod:`graph.neo4j_csv`)."""
    return (
        "UNWIND $rows AS row\nMATCH (n:Entity {id: row.id})\nSET n += row.props\nRETURN count(n) AS written",
        {"rows": rows},
    )


def set_relationship_properties(kind: str, rows: list[dict[str, Any]]) -> Statement:
    """Add properties to relationships of one type found by edge id (as :func:`set_node_properties`)."""
    rel = _label(kind, edge_kinds())
    query = (
        f"UNWIND $rows AS row\nMATCH ()-[r:{rel} {{id: row.id}}]->()\nSET r += row.props\n"
        "RETURN count(r) AS written"
    )
    return query, {"rows": rows}


def empty_lists_where_absent(names: Collection[str], relationships: bool, batch: int = 50_000) -> Statement:
    """Give every entity (or relationship) lacking one of these list properties an empty list, in
    batches of their own transactions (run it in an auto-commit transaction): after a bulk import, whose
    CSV cannot spell an empty list, for the lists every row has (:data:`graph.neo4j_csv.EVERY_NODE_LIST`).

    >>> print(empty_lists_where_absent(["aliases"], False)[0])
    MATCH (n:Entity) WHERE n.aliases IS NULL
    CALL (n) { SET n.aliases = [] } IN TRANSACTIONS OF $batch ROWS
    """
    for name in names:
        if not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(f"{name!r} is not a property name of the mapping")
    match = "MATCH ()-[n]->()" if relationships else "MATCH (n:Entity)"
    absent = " OR ".join(f"n.{name} IS NULL" for name in sorted(names))
    sets = ", ".join(
        f"n.{name} = []" if len(names) == 1 else f"n.{name} = coalesce(n.{name}, [])"
        for name in sorted(names)
    )
    return f"{match} WHERE {absent}\nCALL (n) {{ SET {sets} }} IN TRANSACTIONS OF $batch ROWS", {
        "batch": batch
    }


def reserve_seq(count: int) -> Statement:
    """Reserve ``count`` write positions; returns the first."""
    query = (
        "MERGE (c:OrdergraphCounter {name: 'seq'})\nWITH c, coalesce(c.next, 0) AS base\n"
        "SET c.next = base + $count\nRETURN base"
    )
    return query, {"count": count}


def seq_at_least(floor: int) -> Statement:
    """Make the next write position at least ``floor`` (after a sync numbered its items from 0)."""
    query = (
        "MERGE (c:OrdergraphCounter {name: 'seq'})\n"
        "SET c.next = CASE WHEN coalesce(c.next, 0) < $floor THEN $floor ELSE c.next END\n"
        "RETURN c.next AS next"
    )
    return query, {"floor": floor}


def merge_node(kind: str, row: dict[str, Any]) -> Statement:
    """One node per statement: the naive writer the bulk sync is measured against (bench only)."""
    label = _label(kind, node_kinds())
    return f"MERGE (n:Entity {{id: $id}})\nSET n = $props, n:{label}", {
        "id": row["id"],
        "props": row["props"],
    }


def merge_edge(kind: str, row: dict[str, Any]) -> Statement:
    """One edge per statement (bench only)."""
    rel = _label(kind, edge_kinds())
    query = (
        "MATCH (a:Entity {id: $source}), (b:Entity {id: $target})\n"
        f"MERGE (a)-[r:{rel} {{id: $id}}]->(b)\nSET r = $props"
    )
    return query, {"id": row["id"], "source": row["source"], "target": row["target"], "props": row["props"]}


def begin_sync(name: str) -> Statement:
    """Record a new sync run and return its generation (one more than the last)."""
    query = (
        "MERGE (s:OrdergraphSync {name: $name})\n"
        "SET s.generation = coalesce(s.generation, 0) + 1, s.status = 'running',\n"
        "    s.started = datetime(), s.finished = null\n"
        "RETURN s.generation AS generation"
    )
    return query, {"name": name}


def finish_sync(name: str, generation: int, status: str, counts: dict[str, int]) -> Statement:
    """Record how a sync run ended and what it wrote."""
    query = (
        "MATCH (s:OrdergraphSync {name: $name})\n"
        "WHERE s.generation = $generation\n"
        "SET s.status = $status, s.finished = datetime(), s += $counts\n"
        "RETURN s.generation AS generation"
    )
    return query, {"name": name, "generation": generation, "status": status, "counts": counts}


def sync_state(name: str) -> Statement:
    query = "MATCH (s:OrdergraphSync {name: $name}) RETURN properties(s) AS state"
    return query, {"name": name}


# Properties an entity carries only for the store's lookups (name words, exact name keys, a
# security's code and exchange keys) and the sync's bookkeeping (digest, run): never read back into
# the model, so no read ships them. A node's name keys are as long as its names, and a read of
# thousands of nodes paid for them twice. `identifier_keys` is not among them: it gives the
# identifiers back (:func:`graph.neo4j_rows.identifiers_from_keys`). Relationships carry only the
# bookkeeping.
INDEX_ONLY_NODE_KEYS = ("name_words", "name_keys", "code_key", "exchange_key", "digest", "sync")
INDEX_ONLY_EDGE_KEYS = ("digest", "sync")


def _projection(var: str, left_out: Iterable[str]) -> str:
    return var + " {.*, " + ", ".join(f"{key}: null" for key in left_out) + "}"


def node_map(var: str) -> str:
    """How every read returns an entity: its property map, the index-only keys null.

    >>> node_map("n")
    'n {.*, name_words: null, name_keys: null, code_key: null, exchange_key: null, digest: null, sync: null}'
    """
    return _projection(var, INDEX_ONLY_NODE_KEYS)


def relationship_map(var: str) -> str:
    """How every read returns a relationship's properties: the sync's bookkeeping null."""
    return _projection(var, INDEX_ONLY_EDGE_KEYS)


_EDGE_COLUMNS = f"a.id AS source, b.id AS target, {relationship_map('r')} AS props"
_EDGE_MAP = f"source: startNode(r).id, target: endNode(r).id, props: {relationship_map('r')}"

# --- reads --------------------------------------------------------------------------------------


def components() -> Statement:
    """What the server says it runs: its name, version(s) and edition."""
    return "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition", {}


def counts() -> Statement:
    """Entities and relationships between entities, by kind."""
    query = (
        "CALL () { MATCH (n:Entity) RETURN n.kind AS kind, count(*) AS n, 'node' AS what\n"
        "  UNION ALL MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS kind, count(*) AS n, 'edge' AS what }\n"
        "RETURN what, kind, n ORDER BY what, kind"
    )
    return query, {}


def get_nodes(ids: Collection[str]) -> Statement:
    """The property maps of the entities with these ids (missing ids are absent)."""
    query = f"UNWIND $ids AS id\nMATCH (n:Entity {{id: id}})\nRETURN {node_map('n')} AS props"
    return query, {"ids": list(ids)}


def get_edge(edge_id: str) -> Statement:
    """The relationship with this edge id, whatever its type."""
    return f"CALL () {_edges_by_id('$id', _EDGE_COLUMNS)}\nRETURN source, target, props", {"id": edge_id}


def nodes_of_kind(kind: str | None) -> Statement:
    if kind is None:
        return f"MATCH (n:Entity) RETURN {node_map('n')} AS props ORDER BY n.seq", {}
    label = _label(kind, node_kinds())
    return f"MATCH (n:{label}:Entity) RETURN {node_map('n')} AS props ORDER BY n.seq", {}


def edges_of_kind(kind: str | None) -> Statement:
    rel = f"[r:{_label(kind, edge_kinds())}]" if kind is not None else "[r]"
    return f"MATCH (a:Entity)-{rel}->(b:Entity) RETURN {_EDGE_COLUMNS} ORDER BY r.seq", {}


def edges_of_many(ids: Collection[str], direction: str, kinds: Collection[str] | None) -> Statement:
    """Every relationship touching any of ``ids`` in ``direction`` ("out", "in", "both"), of ``kinds``.

    Each row is one relationship once, with ``node`` the id it was found from
    (a relationship between two of ``ids`` appears once per end it touches).
    Validity on a date is filtered by the caller, with the model's own date rule.
    """
    if direction not in ("out", "in", "both"):
        raise ValueError(f"bad direction {direction!r}")
    types = "|".join(_label(k, edge_kinds()) for k in kinds) if kinds else ""
    rel = f"[r:{types}]" if types else "[r]"
    pattern = {"out": f"-{rel}->", "in": f"<-{rel}-", "both": f"-{rel}-"}[direction]
    query = (
        "UNWIND $ids AS id\n"
        f"MATCH (n:Entity {{id: id}}){pattern}(m:Entity)\n"
        "WITH DISTINCT r\n"
        f"RETURN startNode(r).id AS source, endNode(r).id AS target, {relationship_map('r')} AS props\n"
        "ORDER BY r.seq"
    )
    return query, {"ids": list(ids)}


def reach(
    seeds: Collection[str], out: Collection[str], inward: Collection[str], depth: int, day: date | None
) -> Statement:
    """Every relationship walked breadth-first from ``seeds`` for ``depth`` levels, in one query.

    ``out`` and ``inward`` are the relationship types followed from a node
    outwards and inwards; with ``day``, only relationships holding that day
    (``start_from <= day < end_from``, the model's own rule) are walked. The
    query text repeats one level block ``depth`` times (its shape, never a
    value); returns the nodes reached and the relationships walked, which the
    store replays level by level (:func:`graph.store.base.reach_by_levels`).
    """
    for kind in [*out, *inward]:
        _label(kind, edge_kinds())
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"bad depth {depth!r}")
    # Pattern comprehensions, not subqueries: a level with nothing to expand still yields its row.
    level = (
        "WITH seen, rels, reduce(acc = [], a IN frontier | acc + [(a)-[r]-(b:Entity)\n"
        "  WHERE ((type(r) IN $out AND startNode(r) = a) OR (type(r) IN $inward AND endNode(r) = a))\n"
        "    AND ($day IS NULL OR ((r.start_from IS NULL OR r.start_from <= $day)\n"
        "                          AND (r.end_from IS NULL OR r.end_from > $day)))\n"
        "  | {r: r, b: b}]) AS found\n"
        "WITH seen, rels + [f IN found | f.r] AS rels,\n"
        "     reduce(acc = [], f IN found |\n"
        "       CASE WHEN f.b IN seen OR f.b IN acc THEN acc ELSE acc + f.b END) AS new\n"
        "WITH new AS frontier, seen + new AS seen, rels\n"
    )
    query = (
        "UNWIND $seeds AS id\nOPTIONAL MATCH (s:Entity {id: id})\n"
        "WITH collect(DISTINCT s) AS frontier\n"
        "WITH frontier, frontier AS seen, [] AS rels\n"
        + level * depth
        + f"RETURN [n IN seen | {node_map('n')}] AS nodes, [r IN rels | {{{_EDGE_MAP}}}] AS edges"
    )
    return query, {"seeds": list(seeds), "out": list(out), "inward": list(inward), "day": day}


def securities(exchange: str | None, code: str | None) -> Statement:
    """Securities by exchange (no ``EXCH:``) and code key (:func:`graph.names.code_key`); None is any."""
    query = (
        "MATCH (s:Security:Entity)\n"
        "WHERE ($code IS NULL OR s.code_key = $code) AND ($exchange IS NULL OR s.exchange_key = $exchange)\n"
        f"RETURN {node_map('s')} AS props ORDER BY s.seq"
    )
    return query, {"exchange": exchange, "code": None if code is None else code_key(code)}


def nodes_by_identifier(scheme: str, value: str) -> Statement:
    """Entities carrying ``scheme:value`` among their identifiers, from the identifiers index."""
    return nodes_by_identifiers([(scheme, value)])


def nodes_by_identifiers(keys: Iterable[tuple[str, str]], limit: int | None = None) -> Statement:
    """Entities carrying any of these ``(scheme, value)`` identifiers, in write order, from the
    lookup index's ``identifier_keys`` field (each key a quoted term: the text is never parsed);
    the first ``limit`` of them when given (a program tag can be carried by a list's every member).

    >>> nodes_by_identifiers([("isin", "KYG8020E1199"), ("ofac_uid", 'a"b')])[1]["term"]
    'identifier_keys:"isin:KYG8020E1199" identifier_keys:"ofac_uid:a\\\\"b"'
    """
    wanted = [f"{scheme}:{value}" for scheme, value in keys]
    query = (
        f"CALL db.index.fulltext.queryNodes('{LOOKUP_INDEX}', $term) YIELD node\n"
        "WITH node WHERE any(key IN node.identifier_keys WHERE key IN $keys)\n"
        f"RETURN {node_map('node')} AS props ORDER BY node.seq" + ("" if limit is None else "\nLIMIT $limit")
    )
    term = " ".join(
        'identifier_keys:"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for key in wanted
    )
    return query, {"term": term, "keys": wanted, "limit": limit}


def read_index_list() -> Statement:
    """The server's entries for :data:`READ_INDEXES` (rows: ``name``, ``state``, ``labels``,
    ``properties``); an index not there has no row."""
    query = (
        "SHOW INDEXES YIELD name, state, labelsOrTypes, properties WHERE name IN $names\n"
        "RETURN name, state, labelsOrTypes AS labels, properties"
    )
    return query, {"names": list(READ_INDEXES)}


def _shape_of(row: dict[str, Any]) -> tuple[list[str], list[str]]:
    return list(row["labels"] or ()), list(row["properties"] or ())


def drop_misshapen(rows: Iterable[dict[str, Any]]) -> list[Statement]:
    """Drop the indexes of :func:`read_index_list`'s rows that are not of the shape
    :data:`READ_INDEXES` gives their name: :func:`schema` then creates them (``IF NOT EXISTS``
    would keep them)."""
    return [
        (f"DROP INDEX {row['name']} IF EXISTS", {})
        for row in rows
        if row["name"] in READ_INDEXES
        and _shape_of(row) != ([READ_INDEXES[row["name"]][0]], list(READ_INDEXES[row["name"]][1]))
    ]


def outdated(rows: Iterable[dict[str, Any]]) -> str | None:
    """Why the graph is not one this ordergraph's reads can use, from :func:`read_index_list`'s
    rows, or None when every index they go through is there, of its shape and online.

    >>> outdated([])
    'Neo4j has no entity_lookup_names index: the graph was synced by an earlier ordergraph, or not at all'
    >>> outdated([{"name": n, "state": "ONLINE", "labels": [l], "properties": list(p)}
    ...           for n, (l, p) in READ_INDEXES.items()]) is None
    True
    """
    found = {row["name"]: row for row in rows}
    for name, (label, properties) in READ_INDEXES.items():
        row = found.get(name)
        if row is None:
            return f"Neo4j has no {name} index: the graph was synced by an earlier ordergraph, or not at all"
        if _shape_of(row) != ([label], list(properties)):
            held = f"{':'.join(row['labels'] or ())}({', '.join(row['properties'] or ())})"
            return f"Neo4j's {name} index is on {held}, an earlier ordergraph's"
        if row["state"] != "ONLINE":
            return f"Neo4j's {name} index is {row['state']}"
    return None


def name_vocabulary() -> Statement:
    """Every indexed name word with how many entities carry it (rows: ``word``, ``n``), and the
    fingerprint a cached vocabulary is checked against (:func:`name_fingerprint`)."""
    query = (
        "MATCH (n:Entity) WHERE n.name_words <> ''\n"
        "UNWIND split(n.name_words, ' ') AS word\n"
        "RETURN word, count(*) AS n"
    )
    return query, {}


def name_fingerprint() -> Statement:
    """How many entities there are, the state of every sync run and how many writes any store has
    made (:func:`stamp_write`): when none changed, a vocabulary read before still holds. All three
    are read from the count store and two single nodes, never from the entities; with them the
    version the graph's lookup keys were computed by (``keys``, :func:`keys_state`)."""
    query = (
        "CALL () { MATCH (n:Entity) RETURN count(n) AS total }\n"
        "OPTIONAL MATCH (s:OrdergraphSync)\n"
        "WITH total, collect(properties(s)) AS syncs\n"
        f"OPTIONAL MATCH (w:OrdergraphCounter {{name: '{WRITES_COUNTER}'}})\n"
        f"OPTIONAL MATCH (k:{KEYS_LABEL} {{name: $keys}})\n"
        "RETURN total, syncs, coalesce(w.n, 0) AS writes, k.version AS keys"
    )
    return query, {"keys": KEYS_NAME}


# The counter every store write and delete bumps, in its own transaction: another process's
# rename (the entity count unchanged, no sync run) still tells every store its vocabulary is old.
WRITES_COUNTER = "writes"


def stamp_write() -> Statement:
    """Count one more write (see :func:`name_fingerprint`)."""
    query = (
        f"MERGE (w:OrdergraphCounter {{name: '{WRITES_COUNTER}'}})\n"
        "SET w.n = coalesce(w.n, 0) + 1\nRETURN w.n AS n"
    )
    return query, {}


# The node recording what every entity's lookup keys (``name_words``, ``name_keys``, ``code_key``,
# ``exchange_key``, ``identifier_keys``) were computed by (:func:`keys_version`): the sync writes
# the keys and then this; reads through them compare it with their own (:func:`keys_outdated`).
KEYS_LABEL = "OrdergraphKeys"
KEYS_NAME = "ordergraph"
# The properties that version covers: what node_row computes for the store's lookups.
KEY_PROPERTIES = ("name_words", "name_keys", "code_key", "exchange_key", "identifier_keys")


@lru_cache(maxsize=1)
def keys_version() -> str:
    """What this ordergraph's lookup keys depend on: the rules names are normalised by
    (:func:`graph.names.rules_version`: the OpenCC tables, the legal forms set aside) and a digest
    of the keys :func:`graph.neo4j_rows.node_row` computes for a few names covering every kind of key
    (legal forms in both scripts, traditional characters, an order's number and FR id, a security
    code with leading zeros, identifiers): a change to the code computing keys changes it too, with
    no number to bump. Computed once a process.

    >>> keys_version() == keys_version() and keys_version().startswith(rules_version() + "-")
    True
    """
    sample = [node_row(node)["props"] for node in _key_sample()]
    keys = [[props.get(key) for key in KEY_PROPERTIES] for props in sample]
    digest = hashlib.blake2b(orjson.dumps(keys), digest_size=6).hexdigest()
    return f"{rules_version()}-{digest}"


def _key_sample() -> list[Node]:
    return [
        Node(
            id="ORG:sample",
            kind="Company",
            name="Huawei Technologies Co., Ltd.",
            aliases=["華為投資控股有限公司", "中国移动(香港)有限公司", "Zhongxing Telecom Equipment Corp"],
            identifiers={"isin": ["KYG8020E1199"], "ofac_uid": ["30951"]},
        ),
        Node(
            id="EO:13959",
            kind="ExecutiveOrder",
            name="Addressing the Threat from Securities Investments",
            properties={"number": "13959", "fr_doc": "2020-25459", "fr_citation": "85 FR 73185"},
        ),
        Node(
            id="SEC:HKEX:01810",
            kind="Security",
            name="Xiaomi (HKEX 01810)",
            properties={"exchange": "EXCH:HKEX", "code": "01810"},
        ),
    ]


def keys_state() -> Statement:
    """How many entities there are (from the count store) and the version their lookup keys were
    computed by (rows: ``total``, ``keys``; ``keys`` null when none is recorded)."""
    query = (
        "CALL () { MATCH (n:Entity) RETURN count(n) AS total }\n"
        f"OPTIONAL MATCH (k:{KEYS_LABEL} {{name: $name}})\n"
        "RETURN total, k.version AS keys"
    )
    return query, {"name": KEYS_NAME}


def record_keys(version: str) -> Statement:
    """Record that every entity's lookup keys are of ``version`` (:func:`keys_version`): the node's
    property is set only when it is not that already (so recording it again writes nothing)."""
    query = (
        f"MERGE (k:{KEYS_LABEL} {{name: $name}})\n"
        "WITH k WHERE k.version IS NULL OR k.version <> $version\n"
        "SET k.version = $version\nRETURN k.version AS keys"
    )
    return query, {"name": KEYS_NAME, "version": version}


def keys_outdated(total: int, recorded: str | None) -> str | None:
    """Why a graph's lookup keys are not this ordergraph's (so a lookup through them would find
    less, or other entities, than the embedded store), or None when they are (or there are no
    entities to be keyed).

    >>> keys_outdated(0, None) is None, keys_outdated(3, keys_version()) is None
    (True, True)
    >>> keys_outdated(3, None)
    "Neo4j's graph records no version for its name keys: an earlier ordergraph synced it"
    >>> keys_outdated(3, "old-rules")[:54]
    "Neo4j's graph was synced under other name rules (keys "
    """
    if total == 0 or recorded == keys_version():
        return None
    if recorded is None:
        return "Neo4j's graph records no version for its name keys: an earlier ordergraph synced it"
    return (
        f"Neo4j's graph was synced under other name rules (keys {recorded}, this ordergraph's"
        f" {keys_version()}): its name lookups would miss entities"
    )


def named_exactly(keys: Iterable[str], kinds: Collection[str] | None, limit: int) -> Statement:
    """Entities whose name or an alias is one of these exact name keys
    (:func:`graph.store.words.exact_keys` of the text), in write order, the first ``limit``: from
    the lookup index's ``name_keys`` field, each key one quoted term (never parsed), then checked
    whole.

    >>> named_exactly(["trading group", 'a"b'], None, 5)[1]["term"].replace("\u00a0", "+")
    'name_keys:"trading+group" name_keys:"a\\\\"b"'
    """
    wanted = [name_key(key) for key in keys]
    query = (
        f"CALL db.index.fulltext.queryNodes('{LOOKUP_INDEX}', $term) YIELD node\n"
        "WITH node WHERE any(key IN node.name_keys WHERE key IN $keys)"
        " AND ($kinds IS NULL OR node.kind IN $kinds)\n"
        "WITH node ORDER BY node.seq LIMIT $limit\n"
        f"RETURN node.id AS id, {node_map('node')} AS props"
    )
    term = " ".join('name_keys:"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for key in wanted)
    kind_list = None if kinds is None else list(kinds)
    return query, {"term": term, "keys": wanted, "kinds": kind_list, "limit": limit}


def _words_term(word: str) -> str:
    return "name_words:" + fulltext_escape(word)


def word_candidates_every(
    groups: list[list[str]], exclude: str, kinds: Collection[str] | None, limit: int
) -> Statement:
    """Entities carrying, for each group, one of its words, in write order (``exclude``: an id left out)."""
    terms = " ".join("+(" + " ".join(_words_term(w) for w in group) + ")" for group in groups)
    query = (
        f"CALL db.index.fulltext.queryNodes('{LOOKUP_INDEX}', $terms) YIELD node\n"
        "WHERE node.id <> $exclude AND ($kinds IS NULL OR node.kind IN $kinds)\n"
        "WITH node ORDER BY node.seq LIMIT $limit\n"
        f"RETURN node.id AS id, {node_map('node')} AS props"
    )
    kind_list = None if kinds is None else list(kinds)
    return query, {"terms": terms, "exclude": exclude, "kinds": kind_list, "limit": limit}


def word_candidates_weighed(
    weights: dict[str, int], exclude: str, kinds: Collection[str] | None, limit: int
) -> Statement:
    """Entities carrying the telling words, the heaviest sum of their weights first, ties in write order."""
    rows = [{"term": _words_term(w), "weight": n} for w, n in weights.items()]
    query = (
        "UNWIND $rows AS row\n"
        f"CALL db.index.fulltext.queryNodes('{LOOKUP_INDEX}', row.term) YIELD node\n"
        "WITH node, sum(row.weight) AS weight\n"
        "WHERE node.id <> $exclude AND ($kinds IS NULL OR node.kind IN $kinds)\n"
        "WITH node, weight ORDER BY weight DESC, node.seq LIMIT $limit\n"
        f"RETURN node.id AS id, {node_map('node')} AS props"
    )
    kind_list = None if kinds is None else list(kinds)
    return query, {"rows": rows, "exclude": exclude, "kinds": kind_list, "limit": limit}


def fulltext_escape(text: str) -> str:
    """``text`` with Lucene's query syntax escaped, so it is searched for, never interpreted.

    >>> print(fulltext_escape('AND (x) "y"~2'))
    \\AND \\(x\\) \\"y\\"\\~2
    """
    special = set('+-&|!(){}[]^"~*?:\\/')
    escaped = "".join("\\" + c if c in special else c for c in text)
    # AND, OR, NOT are operators only in upper case.
    return " ".join("\\" + w if w in ("AND", "OR", "NOT") else w for w in escaped.split(" "))

"""The floor for a SQLite workspace: the same file as rows, with the indexes queries need.

Not the engine: what the engine could reach if it wrote rows straight from the
parsed JSON — no model objects, no merging — into SQLite with the indexes a
workspace needs (edges by source and by target and kind, identifiers, an FTS5
trigram index of names and aliases in any script). Its load time is the second
floor beside ``orjson`` alone, and its lookups show what the query targets cost
at the storage layer: an indexed edge fetch, a two-level walk, an FTS5 search.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import orjson

from bench.sample import Sample
from bench.stats import QUERY_BUDGET_S, bounded_latencies
from loaders.ftm import NODE_SCHEMATA

# FtM relationship schemata → (edge kind, source property, target property).
EDGES = {
    "Ownership": ("SUBSIDIARY_OF", "asset", "owner"),
    "Directorship": ("ROLE_IN", "director", "organization"),
    "Sanction": ("LISTED_ON", "entity", None),
    "Security": ("ISSUES", "issuer", None),
}
SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -262144;
CREATE TABLE nodes (n INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
                    json BLOB NOT NULL);
CREATE TABLE edges (id TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
                    start TEXT, "end" TEXT, json BLOB NOT NULL);
CREATE TABLE identifiers (scheme TEXT NOT NULL, value TEXT NOT NULL, node TEXT NOT NULL);
CREATE VIRTUAL TABLE names USING fts5(name, content='', tokenize='trigram');
"""
INDEXES = """
CREATE UNIQUE INDEX nodes_by_id ON nodes (id);
CREATE INDEX edges_out ON edges (source, kind);
CREATE INDEX edges_in ON edges (target, kind);
CREATE INDEX identifiers_by_value ON identifiers (scheme, value);
"""


def load(path: Path, db_path: Path) -> dict[str, Any]:
    """Parse ``path`` and write it as rows plus indexes into a new database at ``db_path``."""
    c0, t0 = time.process_time(), time.perf_counter()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.executescript(SCHEMA)
    db.execute("BEGIN")
    nodes: list[tuple[int, str, str, str, bytes]] = []
    edges: list[tuple[str, str, str, str, str | None, str | None, bytes]] = []
    idents: list[tuple[str, str, str]] = []
    names: list[tuple[int, str]] = []
    loads, dumps = orjson.loads, orjson.dumps
    n = 0

    def flush() -> None:
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", nodes)
        db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)", edges)
        db.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        db.executemany("INSERT INTO names (rowid, name) VALUES (?, ?)", names)
        for rows in (nodes, edges, idents, names):
            rows.clear()

    with path.open("rb", buffering=1 << 20) as fh:
        for line in fh:
            entity = loads(line)
            schema = entity["schema"]
            props = entity["properties"]
            ftm_id = entity["id"]
            kind = NODE_SCHEMATA.get(schema)
            if kind is not None:
                n += 1
                node_id = ftm_id
                nodes.append((n, node_id, kind, props["name"][0], dumps(entity)))
                idents.append(("ftm_id", ftm_id, node_id))
                # A contentless FTS5 row per name; its rowid says the node (n) and which name.
                for i, value in enumerate((*props["name"], *props.get("alias", ()))[:16]):
                    names.append((n << 4 | i, value))
            edge = EDGES.get(schema)
            if edge is not None:
                edge_kind, src, dst = edge
                if schema == "Sanction":
                    target = f"LIST:{props['programId'][0]}"
                else:
                    target = ftm_id if dst is None else props[dst][0]
                start = props.get("startDate", props.get("listingDate", [None]))[0]
                end = props.get("endDate", [None])[0]
                for source in props.get(src, ()):
                    edges.append((ftm_id, edge_kind, source, target, start, end, dumps(entity)))
            if len(nodes) + len(edges) >= 20000:
                flush()
    flush()
    t_rows = time.perf_counter() - t0
    for statement in INDEXES.strip().split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("COMMIT")
    db.close()
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_s": round(time.process_time() - c0, 3),
        "rows_seconds": t_rows,
        "nodes": n,
        "disk_mib": round(db_path.stat().st_size / 2**20, 1),
    }


def queries(db_path: Path, sample: Sample) -> dict[str, Any]:
    """Storage-layer latencies: one node's edges, a two-level walk, an FTS5 name search."""
    t0 = time.perf_counter()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.execute("SELECT id FROM nodes WHERE id = ?", ("x",)).fetchone()
    opened = time.perf_counter() - t0
    ids = [
        row[0]
        for ftm_id in sample.companies
        for row in db.execute("SELECT node FROM identifiers WHERE scheme = 'ftm_id' AND value = ?", (ftm_id,))
    ]

    def edges_of(node: str) -> list[Any]:
        return db.execute(
            "SELECT json FROM edges WHERE source = ? UNION ALL SELECT json FROM edges WHERE target = ?",
            (node, node),
        ).fetchall()

    def walk2(node: str) -> int:
        seen = {node}
        frontier = [node]
        for _ in range(2):
            nxt = []
            for current in frontier:
                for src, dst in db.execute(
                    "SELECT source, target FROM edges WHERE source = ? AND kind != 'LISTED_ON' "
                    "UNION ALL SELECT source, target FROM edges WHERE target = ? AND kind != 'LISTED_ON'",
                    (current, current),
                ):
                    other = dst if src == current else src
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
            frontier = nxt
        return len(seen)

    def search(text: str) -> list[Any]:
        if len(text) < 3:
            return []  # a trigram index cannot answer a two-character query (e.g. 小米)
        grams = {text[i : i + 3] for i in range(len(text) - 2)}
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        return db.execute(
            "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rank LIMIT 50", (match,)
        ).fetchall()

    return {
        "open_seconds": opened,
        "edges_of": bounded_latencies(edges_of, ids, QUERY_BUDGET_S),
        "walk_d2": bounded_latencies(walk2, ids, QUERY_BUDGET_S),
        "fts_search": bounded_latencies(search, sample.texts, QUERY_BUDGET_S),
    }

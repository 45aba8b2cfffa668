"""What the loaded datasets gave, read back: ``ordergraph sources``, the records, review pages."""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import CURATED, vocabulary
from loaders.records import Record
from loaders.workspace.base import WorkspaceBase
from loaders.workspace.given import _record
from loaders.workspace.tables import _doc

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


@dataclass(frozen=True)
class DatasetInfo:
    """A loaded source as ``ordergraph sources`` lists it."""

    name: str
    format: str
    path: str
    loaded_at: str
    records: int
    nodes: int
    edges: int
    first_seen: str | None
    last_seen: str | None
    skipped: int = 0  # entities the source gave that the graph has no kind for (vessels…)
    skipped_links: int = 0  # links (sanctions, ownerships…) with an end among those, left out
    set_aside: int = 0  # links it gave that wait, out of the graph, for an end no dataset gives now
    # Loaded by an ordergraph before bookkeeping 7 with entities or links left out, which it did not
    # keep: a delta on it is refused until it is loaded again (loaders/workspace/skips.py).
    left_out_unknown: bool = False


@dataclass(frozen=True)
class SetAside:
    """A link a dataset gave to a node no dataset now gives: kept, out of the graph, until one does.

    An article's mention of a company only an unloaded dataset described; it comes back when a
    dataset gives that node again (loading the unloaded one again, say), as FtM statements about
    an entity stay while no dataset describes it.
    """

    dataset: str
    edge: str
    node: str


class Datasets(WorkspaceBase):
    """Reading the loaded datasets and the records each gave."""

    def datasets(self) -> list[DatasetInfo]:
        """The loaded datasets in load order (the curated base left out), with what each gave."""
        return self._infos(None, self.store().datasets())

    def base(self) -> DatasetInfo:
        """The curated data the workspace is built on (load 0): the folder it was copied from, when,
        the records it gave and the nodes and edges of the graph it gives; ``ordergraph sources``
        lists it first."""
        counts = self.store().dataset_counts(CURATED)
        name, fmt, path, loaded_at = self.conn.execute(
            "SELECT name, format, path, loaded_at FROM loads WHERE seq = 0"
        ).fetchone()
        # The base's row in loads does not count its records: those it gave (given is keyed by load).
        records = self.conn.execute("SELECT COUNT(*) FROM given WHERE load_seq = 0").fetchone()[0]
        return DatasetInfo(name, fmt, path, loaded_at, int(records), *counts, None, None)

    def info(self, dataset: str) -> DatasetInfo:
        """One loaded dataset (its counts read from the index of what it gave, not every dataset's)."""
        counts = {dataset: self.store().dataset_counts(dataset)}
        return self._infos(dataset, counts)[0]

    def _infos(self, dataset: str | None, counts: dict[str, tuple[int, int]]) -> list[DatasetInfo]:
        """Every loaded dataset (None), or one, with these node and edge counts."""
        aside = dict(
            self.conn.execute(
                "SELECT dataset, COUNT(DISTINCT edge) FROM set_aside "
                "WHERE ?1 IS NULL OR dataset = ?1 GROUP BY dataset",
                (dataset,),
            )
        )
        rows = self.conn.execute(
            "SELECT name, format, path, loaded_at, records, first_seen, last_seen, skipped, skipped_links, "
            "seq IN (SELECT load_seq FROM left_out_unknown) "
            "FROM loads WHERE seq > 0 AND (?1 IS NULL OR name = ?1) ORDER BY seq",
            (dataset,),
        ).fetchall()
        out = []
        for name, fmt, path, loaded_at, records, first_seen, last_seen, skipped, links, unknown in rows:
            nodes, edges = counts.get(name, (0, 0))
            out.append(
                DatasetInfo(
                    name,
                    fmt,
                    path,
                    loaded_at,
                    records,
                    nodes,
                    edges,
                    first_seen,
                    last_seen,
                    skipped,
                    links,
                    int(aside.get(name, 0)),
                    bool(unknown),
                )
            )
        return out

    def records(self, dataset: str) -> list[Record]:
        """The records a dataset gave, in the order it gave them."""
        return [_record(origin, is_edge, line, doc) for origin, is_edge, line, doc in self._given(dataset)]

    def _given(self, dataset: str) -> list[tuple[str, int, int | None, str]]:
        """``(origin, is_edge, line, document)`` of each record a dataset gave, in its order."""
        return self.conn.execute(
            f"SELECT origin, is_edge, line, {_doc()} FROM given "  # noqa: S608
            "WHERE load_seq = (SELECT seq FROM loads WHERE name = ?) ORDER BY rank, idx",
            (dataset,),
        ).fetchall()

    def review_subjects(self, offset: int, limit: int) -> tuple[list[str], int]:
        """A page of the companies, people and bodies the loaded datasets gave, and how many there
        are: what ``resolve --review`` compares with the graph, page by page.

        The order is stable while nothing is loaded: the newest dataset's first, each dataset's in
        the order it gave them (a node two datasets gave counts once, with the newer one). Two
        queries a page, whatever its offset.
        """
        from loaders.resolve import NAME_KINDS

        prefixes = [p for p, kind in vocabulary().id_prefix.items() if kind in NAME_KINDS]
        like = " OR ".join("g.target LIKE ?" for _ in prefixes)
        subjects = (
            "SELECT g.target AS target, MAX(g.load_seq) AS seq, MIN((g.load_seq << 32) + g.rank) AS first "  # noqa: S608
            f"FROM given AS g WHERE g.load_seq > 0 AND g.is_edge = 0 AND ({like}) GROUP BY g.target"
        )
        patterns = [f"{p}:%" for p in prefixes]
        total = self.conn.execute(f"SELECT COUNT(*) FROM ({subjects})", patterns).fetchone()[0]  # noqa: S608
        rows = self.conn.execute(
            f"SELECT target FROM ({subjects}) ORDER BY seq DESC, first LIMIT ? OFFSET ?",  # noqa: S608
            (*patterns, limit, offset),
        )
        return [str(target) for (target,) in rows], int(total)

    def has(self, dataset: str) -> bool:
        return self.conn.execute("SELECT 1 FROM loads WHERE name = ?", (dataset,)).fetchone() is not None

    def set_aside(self) -> list[SetAside]:
        """The links set aside (``ordergraph sources --set-aside``), in the order they were."""
        rows = self.conn.execute("SELECT dataset, edge, node FROM set_aside ORDER BY rowid").fetchall()
        return [SetAside(str(d), str(e), str(n)) for d, e, n in rows]

    def _gave(self, node_id: str) -> bool:
        """Whether a dataset gave a node of this id (it may have gone into another node)."""
        found = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM given WHERE own = ?1 AND is_edge = 0) OR EXISTS "
            "(SELECT 1 FROM given WHERE is_edge = 0 AND row = (SELECT seq FROM nodes WHERE id = ?1) "
            "AND own IS NULL)",
            (node_id,),
        )
        return bool(found.fetchone()[0])

    def _unrecorded(self) -> tuple[int, int]:
        """How many nodes and edges of the graph no dataset's records give (written straight into
        the store, as ``bench/`` streams its corpus with ``write_stream``)."""
        counts = [
            self.conn.execute(
                f"SELECT COUNT(*) FROM {table} AS r WHERE NOT EXISTS "  # noqa: S608
                "(SELECT 1 FROM given AS g WHERE g.is_edge = ? AND g.row = r.seq)",
                (is_edge,),
            ).fetchone()[0]
            for table, is_edge in (("nodes", 0), ("edges", 1))
        ]
        return int(counts[0]), int(counts[1])

"""The resolver's name index over the ``name_blocks`` table."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import TYPE_CHECKING

from graph.store.workspace import json_param

if TYPE_CHECKING:
    from loaders.resolve import NameEntry


class _SqlNames:
    """The resolver's name index in the ``name_blocks`` table (one indexed lookup a block).

    Why a second index of names beside the store's word index (``names``/``terms``): a load
    resolves every name it brings, and a merge must see every name of its block that can reach
    ``NAME_THRESHOLD``. The store's index cannot give that: its FTS5 table is contentless (it
    cannot return a node's normalised names, so each candidate's JSON must be read and its names
    normalised again), and ``name_candidates`` cuts at a limit (the AND of common words in write
    order) after matching unknown words against the vocabulary. Measured on the curated
    workspace: 43 µs a name here against 1.0 ms through ``name_candidates`` (24×; a 1M-entity
    load would take a quarter of an hour more). Review and the article linker, which look up few
    names, use the store's index (``Resolver.candidates``, ``loaders.article.link``).

    ``other_than``: the names of nodes another dataset brought only (a delta's resolver never
    matches its own dataset's nodes by name, so it need not read them).
    """

    def __init__(self, conn: sqlite3.Connection, other_than: str | None = None) -> None:
        self.conn, self.other_than = conn, other_than
        self._read: dict[str, list[NameEntry]] = {}

    def read_ahead(self, blocks: Collection[str]) -> set[str]:
        """The entries of these blocks, read now in one statement (two range seeks a block, as
        :meth:`entries` makes) and given from memory when asked for; the table must not change
        meanwhile (a delta reads ahead once its merge starts, and writes its names after it).
        Returns the blocks that hold any entry."""
        read: dict[str, list[NameEntry]] = {block: [] for block in blocks}
        select = (
            "SELECT b.block, b.norm, b.node, b.country, b.kind FROM json_each(?1) AS j "
            "CROSS JOIN name_blocks AS b WHERE b.block = j.value"
        )
        if self.other_than is None:
            rows = self.conn.execute(select, (json_param(list(read)),))
        else:
            rows = self.conn.execute(
                f"{select} AND b.dataset < ?2 UNION ALL {select} AND b.dataset > ?2",
                (json_param(list(read)), self.other_than),
            )
        for block, norm, node, country, kind in rows:
            read[block].append((norm, node, country, kind))
        self._read.update(read)
        return {block for block, entries in read.items() if entries}

    def entries(self, block: str) -> list[NameEntry]:
        ahead = self._read.get(block)
        if ahead is not None:
            return list(ahead)
        if self.other_than is None:
            rows = self.conn.execute(
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?", (block,)
            )
        else:
            # Two seeks in the (block, dataset) index, around the dataset's own names: a delta
            # reads the names of the rest of the graph, never the thousands its dataset gave.
            rows = self.conn.execute(
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?1 AND dataset < ?2 "
                "UNION ALL "
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?1 AND dataset > ?2",
                (block, self.other_than),
            )
        return [(norm, node, country, kind) for norm, node, country, kind in rows]

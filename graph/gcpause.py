"""Python's cyclic garbage collector paused around bulk work (a load, a Neo4j sync).

What bulk work builds (rows, documents, the reader's maps) is plain dicts and lists,
freed by reference counting. The collector still runs every few thousand new objects,
and its full passes rescan everything the process holds, growing with the graph: at
100k FtM lines it was 2.5 of 13.5 s CPU of a workspace load and a quarter of the
client's CPU in a Neo4j sync.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector off for the block, and back as it was after (also on error).

    >>> with cyclic_gc_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

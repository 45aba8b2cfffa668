"""An FtM file read in a second process while this one writes the workspace.

Reading FollowTheMoney lines into rows (``loaders.ftm``: JSON, ids, identifiers, sources, dates,
waiting edges) is about a fifth of a large load, and needs nothing of the workspace, nor does
what the bulk path reads of each row (``loaders.bulk.row_facts``: strong identifiers, names
normalised for the resolver, name-index words, the store's columns, datasets, dates). A worker
process reads the file and sends each row's document as its JSON (which the load writes as it
is, so the document is serialised once, in the worker) with those facts; this process resolves
and writes, and parses a document back only for a row that meets the graph (most rows of a large
load are new and are written as they come). On a machine with a free core the two overlap.

The rows arrive in the order the reader gives them, and a reader's error arrives where
it would have been raised (after the rows before it), so a load through the worker
behaves as one reading the file itself: the same rows, the same ``LoadError``, the same
all-or-nothing transaction. Memory stays bounded: the pipe blocks the worker when this
process is behind.

Messages cross the pipe in :mod:`marshal`'s format rather than pickled: they hold only strings,
bytes, numbers, None, lists and tuples, which marshal writes and reads in less time (a chunk of
1,000 rows of the bench corpus: dumped in about half pickle's time, read back in ~75 %). Both
ends are this same Python, forked, so the format's version never differs between them.

>>> import json, tempfile, os
>>> line = {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}}
>>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
...     _ = f.write(json.dumps(line) + "\\n")
>>> with FtmWorker(f.name, "demo") as worker:
...     [(row.origin, row.doc["id"]) for row in worker.rows()], worker.counts()
([('c1', 'ORG:c1')], (0, 0))
>>> os.unlink(f.name)
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

import orjson

from graph.errors import LoadError, OrdergraphError
from loaders.records import Row

# A file at least this big is read in a worker (a small one is not worth a process).
WORKER_BYTES = 8 * 2**20
# Rows sent at a time.
CHUNK = 1000


def _read(path: str, dataset: str, send: Connection) -> None:
    """The worker: every row of the file, ``CHUNK`` at a time, then the reader's counts (or the
    error that stopped it, after the rows before it). Messages (:func:`_message`): ``("rows",
    [(origin, is_edge, JSON bytes, line, facts)])``, ``("done", (skipped, skipped_links, left_out,
    given_late))``, ``("error", (file, line, field, message))``, ``("crash", text)``."""
    from graph.gcpause import cyclic_gc_paused
    from loaders.bulk import row_facts
    from loaders.ftm import FtmReader, parse_ftm_rows
    from loaders.records import open_lines

    reader = FtmReader(dataset, path)
    chunk: list[tuple[str, bool, bytes, int | None, Any]] = []
    dumps = orjson.dumps
    try:
        with cyclic_gc_paused():
            for row in parse_ftm_rows(reader, open_lines(path)):
                doc = row.doc
                # Sent as a plain tuple: marshal writes no NamedTuple (pickled, one read back through
                # its Python __new__, which cost the loading process +60 %: loaders.bulk.sent_facts).
                facts = tuple(row_facts(row.is_edge, doc))
                chunk.append((row.origin, row.is_edge, dumps(doc), row.line, facts))
                if len(chunk) >= CHUNK:
                    send.send_bytes(_message("rows", chunk))
                    chunk = []
        send.send_bytes(_message("rows", chunk))
        done = (reader.skipped, reader.skipped_links, reader.left_out(), reader.given_late())
        send.send_bytes(_message("done", done))
    except LoadError as exc:
        _post(send, "rows", chunk)
        _post(send, "error", (exc.file, exc.line, exc.field, exc.message))
    except BaseException as exc:  # reported to the loading process, which raises it
        _post(send, "crash", f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def _message(what: str, payload: Any) -> bytes:
    """A message as it crosses the pipe (:func:`_received` reads it back).

    >>> _received(_message("rows", [("c1", False, b'{}', 3, ("ORG:c1", [("isin", "X")], None))]))
    ('rows', [('c1', False, b'{}', 3, ('ORG:c1', [('isin', 'X')], None))])
    """
    return marshal.dumps((what, payload), 4)


def _received(message: bytes) -> tuple[str, Any]:
    """A message sent by :func:`_message`: its kind and payload."""
    what, payload = marshal.loads(message)  # noqa: S302 - our own forked worker, as pickle was
    return what, payload


def _post(send: Connection, what: str, payload: Any) -> None:
    """Send a message, quietly dropped when the loading process has stopped listening (it then
    stops this one: an error of its own is the one that goes up)."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        send.send_bytes(_message(what, payload))


class FtmWorker:
    """A worker process reading one FtM file into rows; use it with ``with`` (it is stopped
    on the way out, whatever happened)."""

    def __init__(self, path: str, dataset: str) -> None:
        self.path, self.dataset = path, dataset
        self._counts: tuple[int, int] | None = None
        self._left_out: list[tuple[str, str | None, str | None, str | None]] = []
        self._late: list[tuple[str, str | None]] = []
        self._process: BaseProcess | None = None
        self._receive: Connection | None = None

    @staticmethod
    def available() -> bool:
        """Whether a worker can be forked here: fork is cheap and shares the imported modules,
        but forking a process that runs other threads is unsafe (the caller then reads in process)."""
        return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()

    def __enter__(self) -> FtmWorker:
        if not self.available():
            raise OrdergraphError("FtmWorker: no worker can be forked here (other threads run)")
        context: Any = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        try:
            process = context.Process(target=_read, args=(self.path, self.dataset, send), daemon=True)
            process.start()
        except BaseException:
            receive.close()
            raise
        finally:
            send.close()  # the worker's end: when it exits, this side reads the end of the pipe
        self._process, self._receive = process, receive
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # The worker is stopped before its pipe is closed, so it never writes into a closed pipe.
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        if self._receive is not None:
            self._receive.close()

    def rows(self) -> Iterator[Row]:
        """The rows the reader gives, in its order; its LoadError where it stopped."""
        receive = self._receive
        if receive is None:
            raise OrdergraphError("FtmWorker.rows: use the worker in a with block")
        while True:
            try:
                what, payload = _received(receive.recv_bytes())
            except EOFError:
                raise OrdergraphError(f"{self.path}: the process reading it stopped unexpectedly") from None
            if what == "rows":
                for origin, is_edge, text, line, facts in payload:
                    # The document is parsed only if it is asked for (a row that meets the graph).
                    yield Row(origin, is_edge, None, line, text.decode(), facts)
            elif what == "done":
                skipped, skipped_links, self._left_out, self._late = payload
                self._counts = (skipped, skipped_links)
                return
            elif what == "error":
                raise LoadError(*payload)
            else:
                raise OrdergraphError(f"{self.path}: reading it failed: {payload}")

    def counts(self) -> tuple[int, int]:
        """The entities and links the reader skipped (once every row was read)."""
        if self._counts is None:
            raise OrdergraphError("FtmWorker.counts: the rows were not all read")
        return self._counts

    def left_out(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """What the reader left out (:meth:`loaders.ftm.FtmReader.left_out`), once every row was read."""
        self.counts()  # raises when not
        return self._left_out

    def given_late(self) -> list[tuple[str, str | None]]:
        """The links the reader gave late (:meth:`loaders.ftm.FtmReader.given_late`), once every row
        was read."""
        self.counts()  # raises when not
        return self._late

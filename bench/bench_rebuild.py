"""``ordergraph resolve A B --same`` on a loaded workspace: merging every dataset again, set-based,
against merging the same records one by one, in the same run.

A judgement (and a new edition of the curated data) merges every loaded dataset again from
the records it gave. The set-based path sends each dataset through the bulk path of a load
(``loaders/bulk.py``); the record-by-record path merges every record as a model
(what the rebuild did before, kept here as ``ByRecords``). Both make the same workspace
(``tests/loaders/test_workspace.py`` proves it on fixtures); this prints what each costs, in
wall time and in this process's CPU time (the machine is shared), and their ratio. It asserts
nothing (speed targets are not unit tests).

    python -m bench.bench_rebuild            # 10k FtM entities (corpus generated into bench/.corpus)
    python -m bench.bench_rebuild 100000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "bench" / ".corpus"


def _timed(work: Callable[[], Any]) -> dict[str, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    work()
    return {"wall_s": round(time.perf_counter() - t0, 2), "cpu_s": round(time.process_time() - c0, 2)}


def _by_records() -> type:
    """A workspace whose rebuild merges every record as a model, as the rebuild did before it went
    through the bulk path (the same merges, ``loaders.workspace.given._merge``)."""
    from graph.model import CURATED, Edge, Node
    from loaders.workspace import Workspace
    from loaders.workspace.given import _Given, _merge

    class ByRecords(Workspace):
        def _rebuild(
            self,
            why: str,
            base: Any = None,
            digest: str | None = None,
            checked: bool = False,
            chains: Any = None,  # (no chained identifiers in the bench corpus)
        ) -> None:
            store, conn = self.store(), self.conn
            loads = conn.execute("SELECT name, path, seq FROM loads ORDER BY seq").fetchall()
            with store.transaction():
                by_load = {name: self.records(name) for name, _, _ in loads}
                if base is not None:
                    by_load[CURATED] = base
                store.clear()
                for table in ("name_blocks", "given", "set_aside"):
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608
                for name, path, seq in loads:
                    records = by_load[name]
                    if seq == 0:
                        nodes = [r.item for r in records if isinstance(r.item, Node)]
                        store.write(nodes, [r.item for r in records if isinstance(r.item, Edge)])
                        self._index_names(nodes, fresh=True)
                        self._insert_given(0, [_Given(i, 0, r, r.item.id) for i, r in enumerate(records)])
                        continue
                    merger = self._merger()
                    aside: list[tuple[str, str]] = []
                    given = list(_merge(merger, records, path, {}, 0, None, aside=aside))
                    self._write_merged(merger)
                    self._insert_given(seq, given)
                    conn.executemany(
                        "INSERT INTO set_aside VALUES (?, ?, ?)", [(name, e, n) for e, n in aside]
                    )

    return ByRecords


def measure(size: int, folder: Path) -> dict[str, Any]:
    """Load ``size`` entities into two copies of a workspace, judge two of its companies the same
    in each, one way each; the figures."""
    from bench.gen_corpus import write_corpus
    from loaders.resolve import Judgement
    from loaders.workspace import Workspace, load_path

    corpus = CORPUS / f"ftm-{size}-s7.json"
    if not corpus.exists():
        write_corpus(size, CORPUS)
    first = Workspace(folder / "set-based")
    info = load_path(first, corpus, "ftm", "bench")
    companies = [
        str(t)
        for (t,) in first.conn.execute(
            "SELECT target FROM given WHERE is_edge = 0 AND target LIKE 'ORG:%' "
            "ORDER BY load_seq, rank, idx LIMIT 2"
        )
    ]
    first.close()
    shutil.copytree(folder / "set-based", folder / "by-records")
    judgement = Judgement(companies[0], companies[1], "same", "bench", "bench")
    figures: dict[str, Any] = {"size": size, "records": info.records}
    figures.update(nodes=info.nodes, edges=info.edges)
    for name, kind in (("set_based", Workspace), ("by_records", _by_records())):
        workspace = kind(folder / name.replace("_", "-"))
        workspace.store()
        figures[name] = _timed(lambda: workspace.judge(judgement))  # noqa: B023
        workspace.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    args = parser.parse_args(argv)
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as tmp:
            f = measure(size, Path(tmp))
        s, r = f["set_based"], f["by_records"]
        print(f"{size:,} entities ({f['records']:,} records, {f['nodes']:,} nodes, {f['edges']:,} edges)")
        print(
            f"  judge, every dataset merged again set-based: {s['cpu_s']:.2f} s CPU "
            f"({s['wall_s']:.2f} s wall)"
        )
        print(
            f"  the same, every record merged one by one: {r['cpu_s']:.2f} s CPU "
            f"({r['wall_s']:.2f} s wall); set-based: {r['cpu_s'] / max(s['cpu_s'], 0.01):.1f}x less CPU"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The app's figures: HTML payload of a 50-, 200- and 500-node subgraph, and time to an interactive graph.

- payload per rerun: what the page receives when the graph redraws (the node
  and edge data plus the component's own code; vis-network is served once from
  ``app/static``), beside pyvis' own in-lined HTML for the same graph;
- interactive: Chromium (Debian's) loads the same data into vis-network and
  reports when the first frame is drawn, the target being < 1 s for 200 nodes;
- first paint of the real app (``serve.py``): from opening a share link until the search box,
  the entity's summary and its drawn graph are all on screen, per visitor, with the CPU the
  app server and Chromium used (``first_paint``; ``bench/bench_reads.py --app`` runs it on a
  workspace of any size).

Run: ``python -m bench.bench_app`` (``make bench`` runs it too).
"""

from __future__ import annotations

import http.server
import json
import os
import socketserver
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.synthetic import corpus
from graph.query import neighbours
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.views import Subgraph
from ui.assets import vis_source
from ui.graph_view import _CSS, _JS, capped, vis_data

SIZES = (50, 200, 500)
CHROMIUM = "/usr/bin/chromium"


def _hub(store: GraphStore) -> str:
    """A node with a big neighbourhood: the list with the most members."""
    lists = list(store.nodes("SanctionsList")) or list(store.nodes())
    return max(lists, key=lambda n: sum(1 for _ in store.edges_of(n.id))).id


def subgraphs(store: GraphStore, sizes: Iterable[int]) -> tuple[str, dict[int, Subgraph]]:
    """The centre, and its neighbourhood (depth 3) capped at each size."""
    centre = _hub(store)
    full = neighbours(store, centre, depth=3)
    return centre, {size: capped(full, centre, size)[0] for size in sizes}


def subgraph_payloads(store: GraphStore, sizes: Iterable[int] = SIZES) -> dict[str, Any]:
    """Bytes per rerun for each size, and pyvis' in-lined HTML of the same graph (the baseline)."""
    from pyvis.network import Network

    figures: dict[str, Any] = {}
    centre, graphs = subgraphs(store, sizes)
    for size, sub in graphs.items():
        data = vis_data(sub, centre)
        ours = len(json.dumps(data).encode()) + len(_JS.encode()) + len(_CSS.encode())
        net = Network(directed=True, cdn_resources="in_line")
        for node in data["nodes"]:
            net.add_node(node["id"], label=node["label"], title=node["tooltip"])
        for edge in data["edges"]:
            net.add_edge(edge["from"], edge["to"], title=edge["tooltip"])
        inline = len(net.generate_html().encode())
        figures[f"{size}_nodes"] = {
            "nodes": len(sub.nodes),
            "edges": len(sub.edges),
            "payload_kib": round(ours / 1024, 1),
            "pyvis_inline_kib": round(inline / 1024, 1),
            "ratio_to_pyvis": round(ours / inline, 3),
        }
    return figures


def _page(data: dict[str, Any]) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="g" style="width:1200px;height:800px"></div>
<script src="vis-network.min.js"></script>
<script>
const data = {json.dumps(data)};
const t0 = performance.now();
const graph = {{nodes: data.nodes, edges: data.edges}};
const net = new vis.Network(document.getElementById("g"), graph, data.options);
net.once("afterDrawing", () => {{ window.firstFrameMs = performance.now() - t0; }});
</script></body></html>"""


def interactive_ms(store: GraphStore, sizes: Iterable[int] = SIZES) -> dict[int, float]:
    """Milliseconds from handing the data to vis-network to its first drawn frame, in Chromium."""
    from playwright.sync_api import sync_playwright

    centre, graphs = subgraphs(store, sizes)
    out: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "vis-network.min.js").write_bytes(vis_source().read_bytes())
        for size, sub in graphs.items():
            (folder / f"{size}.html").write_text(_page(vis_data(sub, centre)), encoding="utf-8")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any) -> None:
                super().__init__(*args, directory=tmp)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        with socketserver.TCPServer(("127.0.0.1", 0), Quiet) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            port = server.server_address[1]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page()
                for size in graphs:
                    page.goto(f"http://127.0.0.1:{port}/{size}.html")
                    page.wait_for_function("() => window.firstFrameMs !== undefined", timeout=60_000)
                    out[size] = round(float(page.evaluate("window.firstFrameMs")), 1)
                browser.close()
            server.shutdown()
    return out


# First paint, as a reporter opening a share link sees it: the search box, the entity's summary (its
# name as the page's heading) and its graph drawn by vis-network, all on screen. The page records
# when each appeared (ms since navigation started) with a MutationObserver, so that polling from
# Python adds no work to the page it measures.
FIRST_PAINT_LINK = "/?view=explore&entity={entity}&depth=2"
_MILESTONES = """(() => {
  const seen = (window.ogPaint = {});
  const mark = (name, ok) => { if (!(name in seen) && ok) seen[name] = performance.now(); };
  const shown = (el) => !!el && el.getBoundingClientRect().height > 0;
  const check = () => {
    mark("search", shown(document.querySelector("input[aria-label^='Search names']")));
    mark("summary", shown(document.querySelector("h1, h2")) &&
      [...document.querySelectorAll("h1, h2")].some((h) => h.textContent.trim() === window.ogHeading));
    mark("graph", !!document.querySelector(".og-graph[data-drawn='1']"));
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})()"""
MILESTONES = ("search", "summary", "graph")


def first_paint(
    home: Path | None = None, entity: str = "ORG:xiaomi", heading: str = "Xiaomi Corporation", visits: int = 3
) -> dict[str, Any]:
    """The real app (``serve.py``, as ``make app`` runs it) on ``home`` (else the curated graph), opened
    by ``visits`` new readers one after another, each in a new browser context (nothing cached).

    Per visit: seconds from opening the link to the search box, the summary and the graph on screen
    (first paint: the last of the three), and the CPU seconds the app server and Chromium's
    processes used. Also the server's start (``streamlit run`` to a healthy ``/_stcore/health``),
    which is where the warm-up went: it is not in the first visitor's figure.
    """
    from playwright.sync_api import sync_playwright

    from bench.bench_reads import _browser_cpu, _process_cpu
    from tests.browser.conftest import start_app

    t0 = time.perf_counter()
    proc, url = start_app(home=home)
    server_start = time.perf_counter() - t0
    rows: list[dict[str, float]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            for _ in range(visits):
                context = browser.new_context(viewport={"width": 1500, "height": 1100})
                context.add_init_script(f"window.ogHeading = {json.dumps(heading)};" + _MILESTONES)
                page = context.new_page()
                t0, server0, browser0 = time.perf_counter(), _process_cpu(proc.pid), _browser_cpu()
                page.goto(url + FIRST_PAINT_LINK.format(entity=entity))
                page.wait_for_function(
                    f"() => window.ogPaint && {' && '.join(f'window.ogPaint.{m}' for m in MILESTONES)}",
                    timeout=120_000,
                    polling=100,
                )
                wall = time.perf_counter() - t0
                marks = page.evaluate("window.ogPaint")
                rows.append(
                    {f"{m}_s": round(marks[m] / 1000, 2) for m in MILESTONES}
                    | {
                        "first_paint_s": round(wall, 2),
                        "server_cpu_s": round(_process_cpu(proc.pid) - server0, 2),
                        "chromium_cpu_s": round(_browser_cpu() - browser0, 2),
                    }
                )
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"server_start_s": round(server_start, 2), "visits": rows, "entity": entity}


def print_first_paint(figures: dict[str, Any], where: str) -> None:
    rows = figures["visits"]
    print(
        f"app: first paint of a share link ({figures['entity']}, depth 2) on {where}; load average "
        f"{os.getloadavg()[0]:.1f}; server start (warm-up included) {figures['server_start_s']} s"
    )
    for i, row in enumerate(rows):
        who = "first visitor" if i == 0 else "next visitor "
        print(
            f"  {who} {row['first_paint_s']:>5.2f} s  (search box {row['search_s']} s, summary "
            f"{row['summary_s']} s, graph drawn {row['graph_s']} s; CPU: app server "
            f"{row['server_cpu_s']} s, Chromium {row['chromium_cpu_s']} s)"
        )
    if len(rows) > 1:
        print(f"  ratio first / next visitor: {rows[0]['first_paint_s'] / rows[1]['first_paint_s']:.2f}x")


def main() -> int:
    store = MemoryStore.from_parts(*corpus(600))
    payloads = subgraph_payloads(store)
    timings = interactive_ms(store)
    print("app: subgraph payload per rerun (vis-network served once) vs pyvis' in-lined HTML")
    for size in SIZES:
        p = payloads[f"{size}_nodes"]
        print(
            f"  {size:>3} nodes ({p['nodes']} shown, {p['edges']} edges): {p['payload_kib']:>7} KiB per rerun"
            f"  | pyvis in-line {p['pyvis_inline_kib']} KiB  (ratio {p['ratio_to_pyvis']})"
            f"  | first frame in Chromium {timings[size]} ms"
        )
    base = timings[SIZES[0]]
    print("  first-frame ratios to 50 nodes: " + ", ".join(f"{s}: {timings[s] / base:.2f}x" for s in SIZES))
    print_first_paint(first_paint(), "the curated graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())

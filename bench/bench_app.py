"""The app's figures: HTML payload of a 50-, 200- and 500-node subgraph, and time to an interactive graph.

- payload per rerun: what the page receives when the graph redraws (the node
  and edge data plus the component's own code; vis-network is served once from
  ``app/static``), beside pyvis' own in-lined HTML for the same graph;
- interactive: Chromium (Debian's) loads the same data into vis-network and
  reports when the first frame is drawn, the target being < 1 s for 200 nodes;
- first paint of the real app: from opening a share link to the drawn graph.

Run: ``python -m bench.bench_app`` (``make bench`` runs it too).
"""

from __future__ import annotations

import http.server
import json
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


def first_paint_s() -> tuple[float, float]:
    """Seconds from opening a share link of the real app to its graph drawn: first visitor, then second.

    The first visitor also waits for the graph to be opened (once per process); the second does not.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import start_app

    proc, url = start_app()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            seconds = []
            for _ in range(2):
                page = browser.new_context().new_page()
                t0 = time.perf_counter()
                page.goto(url + "/?view=explore&entity=ORG:xiaomi&depth=2")
                page.wait_for_selector(".og-graph[data-drawn='1']", timeout=60_000)
                seconds.append(time.perf_counter() - t0)
                page.context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return seconds[0], seconds[1]


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
    cold, warm = first_paint_s()
    print(
        f"app: first paint of a share link (Xiaomi, depth 2): first visitor {cold:.2f} s "
        f"(opens the graph), next visitor {warm:.2f} s (ratio {cold / warm:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

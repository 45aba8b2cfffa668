"""The interactive graph: vis-network (pyvis' build, served once from ``app/static``) in a v2 component.

Nodes are coloured and shaped by kind; edges are labelled as every face names
their kind (``listed on``, read along the arrow) with their dates; tooltips are
built in the browser with ``textContent`` so no name or note is ever read as
HTML. Clicking a node sends its id back to Python, which re-centres the view.
Big neighbourhoods are capped: "showing N of M".
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import streamlit as st
from pyvis.network import Network

from graph.labels import apart_labels, event_kind_label, kind_label
from graph.plain import span
from graph.views import EdgeRef, NodeRef, Subgraph
from ui.assets import VIS_URL

# kind → (colour, vis shape)
KIND_STYLE: dict[str, tuple[str, str]] = {
    "Company": ("#1f77b4", "dot"),
    "Security": ("#2ca02c", "diamond"),
    "ExecutiveOrder": ("#d62728", "square"),
    "SanctionsList": ("#ff7f0e", "triangle"),
    "GovernmentBody": ("#9467bd", "hexagon"),
    "App": ("#17becf", "star"),
    "Exchange": ("#8c564b", "triangleDown"),
    "CourtCase": ("#e377c2", "box"),
    "Person": ("#7f7f7f", "ellipse"),
    # vis-network has no shape of its own left for a document ("text" draws its name alone, no
    # marker): it is drawn as an image, a page with lines of text (:func:`page_marker`), like ▤.
    "Document": ("#bcbd22", "image"),
}
SHAPE_SYMBOL = {
    "dot": "●",
    "diamond": "◆",
    "square": "■",
    "triangle": "▲",
    "hexagon": "⬢",
    "star": "★",
    "triangleDown": "▼",
    "box": "▭",
    # Not ⬭ (U+2B2D): no font on this machine kind has it, and Chromium drew an empty box.
    "ellipse": "⬤",
    "image": "▤",
}
NO_BREAK = "\u00a0"
DEFAULT_CAP = 150
# Over this many nodes a graph skips vis-network's improved layout and the stabilisation after its
# first frame (both grow quickly with the graph); it settles on screen instead.
BIG_GRAPH = 120
SETTLE_ITERATIONS = 250
# A highlighted path: its edges in this colour and width, its nodes ringed in it; the rest dimmed.
PATH_COLOUR = "#d62728"
DIMMED_ALPHA = 0.22
DIMMED_LABEL = "#b8b8b8"
# Readable at a glance: a node's name wraps onto lines this wide (px) instead of running into its
# neighbours' names; an edge's label is two short lines (its kind, its dates) along the edge, and
# edges are long enough to carry them clear of the nodes at their ends.
NODE_LABEL_WIDTH = 150
# A node's name is cut to this many characters (three lines of NODE_LABEL_WIDTH), where the cut
# keeps it apart from the other names drawn (graph.labels.apart_labels).
NODE_LABEL_CHARS = 48
EDGE_FONT_SIZE = 11
SPRING_LENGTH = 280
# A node with many neighbours (the ZDNet article names 31 entities) gets springs long enough that
# its neighbours' names, side by side around it, have NODE_LABEL_WIDTH each: at SPRING_LENGTH they
# were drawn over each other. At most MAX_SPRING_LENGTH: past it a reader zooms in.
MAX_SPRING_LENGTH = 1400
# A star of at least this many neighbours (every edge touching the centre: the article and the 31
# entities it names, a list and its members) is laid out as a grid: the centre above, its
# neighbours in rows below it, by kind then name, each in a cell wide and tall enough for its name
# (wrapped at NODE_LABEL_WIDTH, up to three lines). Springs drew such a star as a ring whose names
# overlapped, or, long enough to part them, fitted down so far that no name was drawn at all.
GRID_NEIGHBOURS = 16
GRID_CELL = (170, 96)
# The graph's frame at the app's default width (1280 px): the grid's columns are chosen to fill it.
FRAME = (460, 560)
# A graph of more edges than this draws no label on them: 31 "mentions 2021-01 → open" (now "from
# 2021-01") around the article covered its neighbours' names. Each edge's kind, dates and sources
# stay in its tooltip.
LABELLED_EDGES = 16
# Labels read over what they cross: an edge's label is written level (text turned along a steep edge
# was hard to read) on a pale box that hides the lines under it; a node's name drawn below its shape
# gets the same box, and as nodes are drawn after edges it stays on top of any edge label it meets.
LABEL_BOX = "rgba(255,255,255,0.88)"
EDGE_LABEL_COLOUR = "#444444"
# The shapes KIND_STYLE draws that write their name inside themselves (a court case's box): no pale
# box over their colour. Only shapes drawn: a shape listed here and drawn by no kind misleads.
NAME_INSIDE = frozenset({"box", "ellipse"})
# Edges between the same two nodes (NYSE's five actions on an ADS and its trading there) are drawn
# on curves of their own, alternately on either side of the line between the nodes and further out
# by this much roundness each pair (at most 0.9 in all): drawn alike they lay on one another, their
# labels one unreadable smudge (at 0.15 a step, two labels on one side still lay on each other).
# Their springs are PAIR_SPRING times as long, to give the labels room (at the graph's length the
# widest curve's label lay under the issuer's name).
CURVE_STEP = 0.2
PAIR_SPRING = 1.5
# The same link draws the same picture: vis-network's starting positions come from this seed.
LAYOUT_SEED = 7
# In a window narrower than this (px: a phone) a small graph opens at no less than this zoom (1 =
# names at 14 px).
NARROW_WIDTH = 600
NARROW_MIN_SCALE = 0.75

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let host = parentElement.querySelector(".og-graph");
  if (!host) {
    host = document.createElement("div");
    host.className = "og-graph";
    parentElement.appendChild(host);
  }
  host.style.height = data.height + "px";
  host.dataset.nodeCount = String(data.nodes.length);
  host.dataset.edgeCount = String(data.edges.length);
  host.dataset.centre = data.centre;
  host.dataset.highlight = JSON.stringify(data.highlight);
  host.dataset.drawn = "0";
  host.dataset.settled = "0";
  const tip = (text) => {
    const div = document.createElement("div");
    div.textContent = text;             // never HTML: names and notes come from outside
    div.style.whiteSpace = "pre-line";
    div.style.maxWidth = "420px";
    div.style.overflowWrap = "anywhere";  // a source's long address wraps inside the box, not past it
    return div;
  };
  const load = () => new Promise((resolve, reject) => {
    if (window.vis && window.vis.Network) { resolve(); return; }
    let script = document.querySelector("script[data-og-vis]");
    if (!script) {
      script = document.createElement("script");
      script.src = data.vis_url;
      script.dataset.ogVis = "1";
      document.head.appendChild(script);
    }
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("vis-network did not load")));
  });
  load().then(() => {
    const nodes = data.nodes.map((n) => Object.assign({}, n, { title: tip(n.tooltip) }));
    const edges = data.edges.map((e) => Object.assign({}, e, { title: tip(e.tooltip) }));
    if (host._ogNetwork) { host._ogNetwork.destroy(); }
    const network = new window.vis.Network(host, { nodes, edges }, data.options);
    host._ogNetwork = network;
    // The first frame is drawn before physics has run; a small graph is then stabilised (redraws
    // held, in batches that leave the page responsive) and fitted, a big one settles in view.
    // A small graph has settled once its stabilisation is done (vis-network has fitted it by then);
    // physics may call it stable earlier, before that fit. A big one, when physics calls it stable.
    // Physics would go on after the stabilisation's batches and carry nodes past the fitted view: a
    // small graph stops there (a drag starts it again), and is framed again whenever it comes to
    // rest, until the reader drags or zooms.
    let handled = false;
    network.on("dragStart", () => { handled = true; });
    network.on("zoom", () => { handled = true; });
    const frame = () => {
      network.redraw();  // fit reads each node's box (with its name) as last drawn: draw them where they are
      network.fit();
      // A narrow screen (a phone) fits a small graph at a zoom where no name can be read: open it
      // at a readable zoom around its centre instead; the reader drags to see the rest. The
      // window's width says it is a phone: the graph's column on a desktop is narrower than that.
      if (window.innerWidth < data.narrow_width && network.getScale() < data.min_scale) {
        const at = network.getPositions([data.centre])[data.centre];
        // A grid's centre is at its top: the view opens with it at the frame's top, its rows below.
        const down = data.placed ? (host.clientHeight / 2 - 70) / data.min_scale : 0;
        if (at) { network.moveTo({ position: { x: at.x, y: at.y + down }, scale: data.min_scale }); }
      }
    };
    network.once(data.settle_iterations ? "stabilizationIterationsDone" : "stabilized", () => {
      if (data.settle_iterations) {
        network.stopSimulation();
        frame();
      }
      host.dataset.settled = "1";
    });
    network.on("stabilized", () => {
      if (data.settle_iterations && host.dataset.settled === "1" && !handled) { frame(); }
    });
    network.once("afterDrawing", () => {
      host.dataset.drawn = "1";
      // A graph placed in Python (a grid) has no physics to settle: it is framed at once.
      if (data.placed) { frame(); host.dataset.settled = "1"; return; }
      if (data.settle_iterations) { network.stabilize(data.settle_iterations); }
    });
    network.on("click", (params) => {
      if (params.nodes && params.nodes.length) { setTriggerValue("clicked", params.nodes[0]); }
    });
    host._ogPng = () => network.canvas.frame.canvas.toDataURL("image/png");
  }).catch((err) => { host.textContent = String(err); });
  let button = parentElement.querySelector(".og-png");
  if (!button) {
    button = document.createElement("button");
    button.className = "og-png";
    button.textContent = "Download PNG of the graph";
    button.addEventListener("click", () => {
      if (!host._ogPng) return;
      const a = document.createElement("a");
      a.href = host._ogPng();
      a.download = "ordergraph.png";
      a.click();
    });
    parentElement.appendChild(button);
  }
}
"""
_CSS = """
.og-graph { width: 100%; border: 1px solid #ddd; border-radius: 4px; position: relative; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 5px; white-space: nowrap;
  font-family: sans-serif; font-size: 13px; color: #000; background-color: #f5f4ed;
  border: 1px solid #808074; border-radius: 3px; box-shadow: 3px 3px 10px rgba(0,0,0,0.2);
  pointer-events: none; z-index: 5; }
.og-png { margin-top: 4px; font-size: 12px; }
"""


@st.cache_resource
def _component() -> Any:
    return st.components.v2.component("ordergraph_graph", js=_JS, css=_CSS, isolate_styles=False)


def capped(sub: Subgraph, centre: str, cap: int) -> tuple[Subgraph, int]:
    """The first ``cap`` nodes (the centre first, then by distance as found) and the edges among them."""
    total = len(sub.nodes)
    if total <= cap:
        return sub, total
    ordered = sorted(sub.nodes, key=lambda n: n.id != centre)
    keep = {n.id for n in ordered[:cap]}
    return (
        Subgraph(
            nodes=[n for n in sub.nodes if n.id in keep],
            edges=[e for e in sub.edges if e.source in keep and e.target in keep],
        ),
        total,
    )


def _rgba(colour: str, alpha: float) -> str:
    """``#rrggbb`` at an opacity, as vis-network reads it: ``"#1f77b4", 0.5`` → ``rgba(31,119,180,0.5)``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _darker(colour: str) -> str:
    """``#rrggbb`` at two thirds of its brightness: a marker's outline, as vis-network darkens a border."""
    r, g, b = (int(colour[i : i + 2], 16) * 2 // 3 for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def page_marker(fill: str, ring: str, ring_width: int) -> str:
    """A document's marker as an image vis-network draws: a page (filled with ``fill``, outlined with
    ``ring``) with three lines of text, as a ``data:`` address (drawn offline, nothing fetched).

    >>> page_marker("#bcbd22", "#7d7e16", 2).startswith("data:image/svg+xml;base64,")
    True
    """
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect x="{3 + ring_width / 2}" y="{3 + ring_width / 2}" width="{58 - ring_width}" '
        f'height="{58 - ring_width}" rx="4" fill="{fill}" stroke="{ring}" stroke-width="{ring_width}"/>'
        '<path d="M16 21h32M16 32h32M16 43h22" stroke="#ffffff" stroke-width="5" stroke-linecap="round"/>'
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def vis_data(
    sub: Subgraph,
    centre: str,
    highlight: Sequence[str] = (),
    height: int = 560,
    dim_others: bool = False,
) -> dict[str, Any]:
    """The nodes, edges and options vis-network draws (built with pyvis), as plain JSON.

    ``highlight`` names node and edge ids drawn in :data:`PATH_COLOUR`, thick; with
    ``dim_others`` everything else is drawn faded (present, but behind the path).
    ``highlight`` in the result lists the highlighted ids actually drawn.
    """
    net = Network(directed=True, cdn_resources="in_line")
    marked = set(highlight)
    # Names cut where they stay apart (SMIC and its two listings were all "Semiconductor
    # Manufacturing International…"); the whole name is the first line of the node's tooltip.
    labels = apart_labels({node.id: node.name for node in sub.nodes}, NODE_LABEL_CHARS)
    for node in sub.nodes:
        colour, shape = KIND_STYLE.get(node.kind, ("#999999", "dot"))
        font: dict[str, Any] = {} if shape in NAME_INSIDE else {"background": LABEL_BOX}
        options: dict[str, Any] = {"color": colour}
        border = 5 if node.id in marked or node.id == centre else 1
        if node.id in marked and dim_others:
            options = {"color": {"background": colour, "border": PATH_COLOUR}}
            font["bold"] = True
        elif dim_others:
            faded = _rgba(colour, DIMMED_ALPHA)
            options = {"color": {"background": faded, "border": faded}}
            font["color"] = DIMMED_LABEL
        size = 26 if node.id == centre else 16
        if shape == "image":  # its outline as wide on screen as the others' border (drawn 2 × size wide)
            style = options["color"] if dim_others else {"background": colour, "border": _darker(colour)}
            options["image"] = page_marker(
                style["background"], style["border"], round(border * 64 / (2 * size))
            )
        if font:
            options["font"] = font
        net.add_node(
            node.id,
            label=labels[node.id],
            shape=shape,
            widthConstraint={"maximum": NODE_LABEL_WIDTH},
            size=size,
            borderWidth=border,
            tooltip=f"{node.name}\n{kind_label(node.kind)} · {node.id}",
            **options,
        )
    labelled = len(sub.edges) <= LABELLED_EDGES
    curves, spring = parallel_curves(sub.edges), spring_length(sub)
    for edge in sub.edges:
        dimmed = dim_others and edge.id not in marked
        curve = curves.get(edge.id)
        drawn = {"smooth": curve, "length": round(spring * PAIR_SPRING)} if curve else {}
        _edge(net, edge, edge.id in marked, dimmed=dimmed, labelled=labelled, drawn=drawn)
    options = _options(len(sub.nodes), spring)
    grid = grid_positions(sub, centre)
    if grid is not None:  # placed, not pulled: no physics, straight edges fanning out from the centre
        for node in net.nodes:
            node["x"], node["y"] = grid[node["id"]]
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
    net.set_options(json.dumps(options))
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options if isinstance(net.options, dict) else net.options.to_json(),
        "centre": centre,
        "height": height,
        "settle_iterations": 0 if grid is not None else SETTLE_ITERATIONS,
        "placed": grid is not None,
        "vis_url": VIS_URL,
        "narrow_width": NARROW_WIDTH,
        "min_scale": NARROW_MIN_SCALE,
        "highlight": {
            "nodes": [n.id for n in sub.nodes if n.id in marked],
            "edges": [e.id for e in sub.edges if e.id in marked],
        },
    }


def parallel_curves(edges: Sequence[EdgeRef]) -> dict[str, dict[str, Any]]:
    """vis-network's ``smooth`` for each edge that shares its two nodes with another: a curve of its
    own, the k-th of the pair's edges on side k mod 2 of the line between them (``curvedCW`` or
    ``curvedCCW`` as read from the pair's first node: an edge drawn from the other end turns the other
    way) and CURVE_STEP further out each second edge. An edge alone keeps the graph's smoothing.

    >>> def edge(i, source, target):
    ...     return EdgeRef(id=i, kind="EXCHANGE_ACTION", source=source, target=target, start=None,
    ...         end=None, confidence="verified", sources=[])
    >>> curves = parallel_curves([edge("a", "X", "Y"), edge("b", "X", "Y"), edge("c", "Y", "X"),
    ...     edge("d", "X", "Z")])
    >>> [(i, c["type"], c["roundness"]) for i, c in curves.items()]
    [('a', 'curvedCW', 0.2), ('b', 'curvedCCW', 0.2), ('c', 'curvedCCW', 0.4)]
    """
    pairs: dict[tuple[str, str], list[EdgeRef]] = {}
    for edge in edges:
        pairs.setdefault((min(edge.source, edge.target), max(edge.source, edge.target)), []).append(edge)
    curves: dict[str, dict[str, Any]] = {}
    for (first, _), group in pairs.items():
        if len(group) < 2:
            continue
        step = min(CURVE_STEP, 0.9 / ((len(group) + 1) // 2))
        for k, edge in enumerate(group):
            clockwise = (k % 2 == 0) == (edge.source == first)
            roundness = round(step * (k // 2 + 1), 3)
            curves[edge.id] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": roundness,
            }
    return curves


def grid_positions(sub: Subgraph, centre: str) -> dict[str, tuple[int, int]] | None:
    """Where each node of a star of at least GRID_NEIGHBOURS neighbours is drawn (canvas units):
    the centre at the top, its neighbours below in rows of a grid, ordered by kind and name, with as
    many columns as give the largest scale in FRAME; None for any other graph (springs lay it out).

    >>> from graph.views import EdgeRef, NodeRef, Subgraph
    >>> def star(n):
    ...     nodes = [NodeRef(id="DOC:a", kind="Document", name="a")]
    ...     nodes += [NodeRef(id=f"ORG:{i:02}", kind="Company", name=f"C{i:02}") for i in range(n)]
    ...     edges = [EdgeRef(id=str(i), kind="MENTIONS", source="DOC:a", target=f"ORG:{i:02}", start=None,
    ...                      end=None, confidence="verified", sources=[]) for i in range(n)]
    ...     return Subgraph(nodes=nodes, edges=edges)
    >>> grid_positions(star(5), "DOC:a") is None
    True
    >>> at = grid_positions(star(31), "DOC:a")
    >>> at["DOC:a"], at["ORG:00"], at["ORG:01"], len({y for x, y in at.values()})
    ((0, 0), (-255, 144), (-85, 144), 9)
    """
    if len(sub.nodes) - 1 < GRID_NEIGHBOURS or any(centre not in (e.source, e.target) for e in sub.edges):
        return None
    others = sorted((n for n in sub.nodes if n.id != centre), key=lambda n: (n.kind, n.name.casefold(), n.id))
    width, height = GRID_CELL

    def scale(columns: int) -> float:
        rows = -(-len(others) // columns) + 1.5  # the centre's row is half as tall again
        return min(FRAME[0] / (columns * width), FRAME[1] / (rows * height))

    columns = max(range(1, 13), key=scale)
    at = {centre: (0, 0)}
    for i, node in enumerate(others):
        row, column = divmod(i, columns)
        at[node.id] = (round((column - (columns - 1) / 2) * width), round((row + 1.5) * height))
    return at


def spring_length(sub: Subgraph) -> int:
    """The springs' length: SPRING_LENGTH, or for a node of many neighbours long enough that a circle
    of that radius gives each neighbour's name NODE_LABEL_WIDTH, at most MAX_SPRING_LENGTH.

    >>> from graph.views import EdgeRef, NodeRef, Subgraph
    >>> def star(n):
    ...     return Subgraph(nodes=[], edges=[EdgeRef(id=str(i), kind="MENTIONS", source="DOC:a",
    ...                     target=f"ORG:{i}", start=None, end=None, confidence="verified", sources=[])
    ...                     for i in range(n)])
    >>> spring_length(star(3)), spring_length(star(31)), spring_length(star(400))
    (280, 740, 1400)
    """
    degree = Counter(end for e in sub.edges for end in (e.source, e.target))
    most = max(degree.values(), default=0)
    return min(MAX_SPRING_LENGTH, max(SPRING_LENGTH, round(NODE_LABEL_WIDTH * most / (2 * math.pi))))


def _options(nodes: int, spring: int = SPRING_LENGTH) -> dict[str, Any]:
    """vis-network options. Every graph is drawn at once, before physics has run: stabilising first
    held the first frame back by 0.3–1.5 s (on a shared 2-core machine) with nothing on screen.
    Every graph not laid out as a grid is then stabilised for ``SETTLE_ITERATIONS`` iterations
    (``settle_iterations``) and framed once settled, big ones too, with ``avoidOverlap`` keeping
    nodes apart; a big one (over ``BIG_GRAPH`` nodes) has no improved layout, continuous edges,
    and hides its edges while dragged."""
    big = nodes > BIG_GRAPH
    return {
        "layout": {"improvedLayout": not big, "randomSeed": LAYOUT_SEED},
        "physics": {
            "solver": "barnesHut",
            # Longer springs and a stronger push apart than vis-network's defaults (95, -2000): at
            # those, names and edge labels were drawn over one another (issue: unreadable graph).
            "barnesHut": {"springLength": spring, "gravitationalConstant": -6000, "avoidOverlap": 1},
            "stabilization": {"enabled": False, "iterations": SETTLE_ITERATIONS},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        "edges": {
            "font": {
                "size": EDGE_FONT_SIZE,
                "align": "horizontal",
                "background": LABEL_BOX,
                "strokeWidth": 0,
                "color": EDGE_LABEL_COLOUR,
            },
            "smooth": {"type": "continuous"} if big else {"type": "dynamic"},
        },
    }


def _edge(
    net: Network,
    edge: EdgeRef,
    marked: bool,
    dimmed: bool = False,
    labelled: bool = True,
    drawn: dict[str, Any] | None = None,
) -> None:
    when = span(edge.start, edge.end, kind=edge.kind)
    # An exchange's action by what it did, as the timeline names its rows ("trading suspension"),
    # not the edge's label "acts on" (NYSE's five actions on one ADS read alike); else its label.
    action = edge.properties.get("action") if edge.kind == "EXCHANGE_ACTION" else None
    name = event_kind_label(edge.kind, str(action) if action else None)
    sources = "\n".join(f"source: {s.publisher} — {s.url}" for s in edge.sources[:3])
    # A highlighted edge's label keeps its pale box, as every label does: without one the thick red
    # line ran through its words ("listed on", the dates), which could no longer be read.
    faded = {"font": {"color": DIMMED_LABEL}} if dimmed else {}
    net.add_edge(
        edge.source,
        edge.target,
        id=edge.id,
        # The label drawn on the graph gives the known side alone ("from 2021-01-14"), the tooltip the
        # whole ("…, no end recorded"): the longer words lay on a neighbour's name in EO 13959's graph.
        **(
            {"label": f"{name}\n{span(edge.start, edge.end, compact=True, kind=edge.kind)}"}
            if labelled or marked
            else {}
        ),
        color=PATH_COLOUR if marked else _rgba("#888888", DIMMED_ALPHA) if dimmed else "#888888",
        width=4 if marked else 1,
        tooltip=f"{name} · {when} · {edge.confidence}\n{edge.note or ''}\n{sources}".strip(),
        **faded,
        **(drawn or {}),
    )


def legend(kinds: Sequence[str]) -> str:
    """A one-line markdown legend: a coloured shape per node kind given. Each shape and its name are
    held together by no-break spaces: a legend wider than its column broke between a shape and its
    name (a hexagon at a line's end, "Government body" under it)."""
    parts = []
    for kind in kinds:
        colour, shape = KIND_STYLE.get(kind, ("#999999", "dot"))
        name = kind_label(kind).replace(" ", NO_BREAK)
        parts.append(f":color[{SHAPE_SYMBOL[shape]}]{{foreground='{colour}'}}{NO_BREAK}{name}")
    return " · ".join(parts)


def drawn_legend(sub: Subgraph) -> str:
    """The legend of a graph as drawn: the node kinds it draws, and no other, alphabetically."""
    return legend(sorted({n.kind for n in sub.nodes}))


def graph_view(
    sub: Subgraph, centre: str, key: str, highlight: Sequence[str] = (), dim_others: bool = False
) -> str | None:
    """Draw the subgraph; return the id of a node the user clicked (once), or None."""
    data = vis_data(sub, centre, highlight, dim_others=dim_others)
    result = _component()(data=data, key=key, on_clicked_change=lambda: None, height=data["height"] + 40)
    clicked = getattr(result, "clicked", None)
    return str(clicked) if clicked else None


def node_kinds(nodes: Sequence[NodeRef]) -> list[str]:
    return sorted({n.kind for n in nodes})

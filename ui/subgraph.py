"""The neighbourhood graph with its controls: depth, node kinds, as-of date; a click re-centres."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from graph.errors import OrdergraphError
from graph.labels import kind_label
from graph.model import node_kinds
from graph.query import neighbours
from graph.store.base import GraphStore
from graph.views import Subgraph
from ui.graph_view import LABELLED_EDGES, capped, drawn_legend, graph_view
from ui.state import ViewState, go

CAP_STEP = 150
# The node-kind pills (the widget keyed "kinds") wrap onto more lines instead of scrolling out of view.
KINDS_WRAP = "<style>.st-key-kinds [data-testid='stButtonGroup'] > div { flex-wrap: wrap; }</style>"


def filter_kinds(sub: Subgraph, kinds: tuple[str, ...], centre: str) -> Subgraph:
    """Drop nodes of kinds not shown (never the centre) and the edges that touch them."""
    keep = {n.id for n in sub.nodes if n.kind in kinds or n.id == centre}
    return Subgraph(
        nodes=[n for n in sub.nodes if n.id in keep],
        edges=[e for e in sub.edges if e.source in keep and e.target in keep],
    )


def subgraph_ui(store: GraphStore, state: ViewState) -> tuple[ViewState, Subgraph]:
    """Controls and graph; returns the (possibly changed) state and the subgraph on screen."""
    centre = state.entity
    if centre is None:
        raise OrdergraphError("open an entity first: search for it above")
    col_depth, col_kinds = st.columns([1, 4])
    depth = col_depth.select_slider("Depth", options=[1, 2, 3], key="depth")
    # Pills, not a multiselect: its one-line box cut the chips of the kinds chosen ("Sanctio…") and
    # hid the rest; every kind shows here, the chosen ones marked, on as many lines as they need
    # (Streamlit draws pills on one scrolling line: KINDS_WRAP lets them wrap).
    st.html(KINDS_WRAP)
    kinds = col_kinds.pills(
        "Node kinds", node_kinds(), selection_mode="multi", key="kinds", format_func=kind_label
    )
    state = replace(state, depth=depth, kinds=tuple(k for k in node_kinds() if k in kinds))
    with st.spinner("Collecting the neighbourhood…"):
        full = filter_kinds(
            neighbours(store, centre, depth=state.depth, as_of=state.as_of), state.kinds, centre
        )
    shown, total = capped(full, centre, state.cap)
    when = f"valid on {state.as_of.isoformat()}" if state.as_of else "of every date"
    crowded = (
        " Its edges are drawn without labels (too many to read): hover one for its kind and dates."
        if len(shown.edges) > LABELLED_EDGES
        else ""
    )
    st.caption(
        f"Showing {len(shown.nodes)} of {total} nodes, {len(shown.edges)} edges {when}. "
        "Drag to move, scroll or pinch to zoom, hover for dates and sources, click a node to open it."
        + crowded
    )
    if len(shown.nodes) < total and st.button(f"Show more ({min(total, state.cap + CAP_STEP)} nodes)"):
        go(replace(state, cap=state.cap + CAP_STEP))
    st.markdown(drawn_legend(shown))
    clicked = graph_view(shown, centre, key="graph")
    if clicked and clicked != centre and store.get_node(clicked) is not None:
        go(replace(state, entity=clicked, cap=150))
    return state, shown

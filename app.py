"""ordergraph in the browser: `make app` (or `streamlit run app.py`). Reads top to bottom as the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from graph.errors import MissingNode, OrdergraphError, UnknownEntity
from graph.store.backends import BACKENDS
from ui import state as view_state
from ui.affects import affects_ui
from ui.changes import changes_ui
from ui.entity import entity_ui, reaches_ui
from ui.exports import exports_ui
from ui.paths import path_ui
from ui.safe import md, md_code
from ui.screen import screen_ui
from ui.search import search_ui
from ui.store import default_backend, open_backend
from ui.subgraph import subgraph_ui
from ui.timeline import timeline_ui
from ui.unknown import unknown_text

st.set_page_config(page_title="ordergraph", page_icon="🕸", layout="wide")
state = view_state.read()
for problem in state.problems:
    st.warning(f"This link had a problem: {md(problem)}")

with st.sidebar:
    st.title("ordergraph", anchor=False)
    st.caption("US government actions against companies, every edge dated and sourced.")
    view = st.radio(
        "Question",
        view_state.VIEWS,
        format_func=view_state.VIEW_LABELS.__getitem__,
        key="view",
    )
    dated = st.checkbox(
        "As of a date",
        key="dated",
        help="Hide relationships not valid at the end of that day.",
    )
    # The date picker is drawn only when it is used: its widget is ~0.3 MB of the browser's work.
    as_of = st.date_input("As of", key="as_of", format="YYYY-MM-DD") if dated else None
    state = replace(state, view=view, as_of=as_of)
    st.caption("Share this view: copy the address bar.")
    backend = st.radio(
        "Graph from",
        BACKENDS,
        index=BACKENDS.index(default_backend()),
        key="backend",
        horizontal=True,
        help="embedded: the graph in this process; neo4j: NEO4J_URI or `ordergraph neo4j start`.",
    )
opened = open_backend(backend)
store = opened.store
if opened.problem:
    st.warning(f"Neo4j is not available, so this page shows the embedded graph — {md_code(opened.problem)}")
answer_day = state.as_of or date.today()

try:
    if state.view == "explore":
        state = search_ui(store, state)
        if state.entity:
            entity_column, graph_column = st.columns([2, 3])
            with graph_column:
                state, on_screen = subgraph_ui(store, state)
                exports_ui(store, on_screen)
            with entity_column:
                entity_ui(store, state)
            if state.entity:  # across the page, below both columns: their tables are too wide for one
                reaches_ui(store, state, answer_day)
                timeline_ui(store, state.entity)
    elif state.view == "affects":
        state = affects_ui(store, state, answer_day)
    elif state.view == "screen":
        screen_ui(store, answer_day)
    elif state.view == "path":
        state = path_ui(store, state, state.as_of)
    elif state.view == "changes":
        changes_ui(store, state)
except UnknownEntity as exc:
    if isinstance(exc, MissingNode):  # the store is inconsistent: say so as it is
        st.error(md(exc))
    else:  # a reader's typo: point at the search box, not at a CLI command
        st.error(f"Nothing in the graph is called {unknown_text(exc)} Try the search box above.")
except OrdergraphError as exc:
    st.error(md_code(exc))

if opened.driver is not None:
    from ui.cypher_console import cypher_console_ui  # imports the neo4j driver: only when it is used

    with st.expander("Cypher console (read-only)"):
        cypher_console_ui(opened.driver)

view_state.write(state)

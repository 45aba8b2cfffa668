"""Search: one box for names, aliases, misspellings, Chinese names and tickers in any spelling."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from graph.query import search
from graph.store.base import GraphStore
from ui.safe import code, md
from ui.state import ViewState

MAX_QUERY = 200


def search_ui(store: GraphStore, state: ViewState) -> None:
    """The search box and its results; 'Open' moves the view to that entity."""
    text = st.text_input(
        "Search names, aliases, Chinese names or tickers",
        key="search_text",
        placeholder="Xiaomi, 小米, 1810.HK, EO 13959, DoD Section 1237 list…",
        max_chars=MAX_QUERY,
    )
    if not text.strip():
        return
    hits = search(store, text, limit=10)
    if not hits:
        st.info(
            f"Nothing matches {md(repr(text))}. Try part of a name, an alias or a ticker such as 0941.HK."
        )
        return
    for hit in hits:
        col_text, col_button = st.columns([6, 1])
        matched = "" if hit.matched == hit.name else f" — matched {hit.why} “{md(hit.matched)}”"
        col_text.markdown(
            f"**{md(hit.name)}** · {code(hit.id)} · score {hit.score:g}{matched}  \n{md(hit.summary)}"
        )
        col_button.button("Open", key=f"open_{hit.id}", on_click=_open, args=(state, hit.id))


def _open(state: ViewState, entity: str) -> None:
    """Runs before the rerun, so the search box can still be emptied."""
    st.session_state.search_text = ""
    st.session_state.og_state = replace(state, view="explore", entity=entity, cap=150)
    st.session_state.og_sync = True

"""Search: one box for names, aliases, misspellings, Chinese names and tickers in any spelling."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from graph.query import exact_and_looser, search
from graph.store.base import GraphStore
from graph.views import SearchHit
from ui.safe import code, md
from ui.state import MAX_QUERY, ViewState, from_params

# Where a first visit can start: a button each (its label, the entity it needs, the view it opens),
# shown when the graph holds that entity. A ticker is put in the box as the button and the box's
# own hint write it (1810.HK), never as the graph's id (SEC:HKEX:1810).
STARTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Xiaomi Corporation", "ORG:xiaomi", {"view": "explore", "entity": "ORG:xiaomi"}),
    ("Executive Order 13959", "EO:13959", {"view": "explore", "entity": "EO:13959"}),
    ("China Mobile Limited", "ORG:china-mobile-ltd", {"view": "explore", "entity": "ORG:china-mobile-ltd"}),
    ("TikTok", "APP:tiktok", {"view": "explore", "entity": "APP:tiktok"}),
    (
        "Which orders affect 1810.HK on 2021-02-01?",
        "SEC:HKEX:1810",
        {"view": "affects", "ticker": "1810.HK", "as_of": "2021-02-01"},
    ),
)


def search_ui(store: GraphStore, state: ViewState) -> ViewState:
    """The search box and its results, exact ones first; each hit's "Open …" moves the view to it.
    Returns the view with the text searched (kept in the URL: Back from an opened hit finds it)."""
    text = st.text_input(
        "Search names, aliases, Chinese names or tickers",
        key="search_text",
        placeholder="Xiaomi, 小米, 1810.HK, EO 13959, DoD Section 1237 list…",
        max_chars=MAX_QUERY,
    )
    state = replace(state, query=text.strip() or None)
    if not text.strip():
        if state.entity is None:
            _starts(store)
        return state
    hits = search(store, text, limit=10)
    if not hits:
        st.info(
            f"Nothing matches “{md(text.strip())}”. Try part of a name, an alias or a ticker such as 0941.HK."
        )
        return state
    exact, looser = exact_and_looser(hits)
    for hit in exact:
        _hit(hit, state)
    if looser:
        # A ticker's own hit stands alone; what merely resembles it is set apart, never read as its equal
        # (under a modest heading: a subheader outweighed the hits themselves).
        st.markdown("##### Other, looser matches", anchors=False)
        for hit in looser:
            _hit(hit, state)
    return state


def _hit(hit: SearchHit, state: ViewState) -> None:
    """One hit: what it is and why it matched, and a button named after it ("Open Xiaomi
    Corporation"): ten buttons all reading "Open" told a screen reader nothing."""
    with st.container(gap="small"):
        # The graph id (what the CLI takes) on hovering the button, not on the line a reporter reads.
        st.button(
            f"Open {md(hit.name)}",
            key=f"open_{hit.id}",
            on_click=_open,
            args=(state, hit.id),
            help=f"Graph id, for the command line: {code(hit.id)}",
        )
        matched = "" if hit.matched == hit.name else f" — matched {hit.why} “{md(hit.matched)}”"
        st.caption(f"{md(hit.summary)} · score {hit.score:g}{matched}")


def _open(state: ViewState, entity: str) -> None:
    """Runs before the rerun, so the search box can still be emptied."""
    st.session_state.search_text = ""
    st.session_state.og_state = replace(state, view="explore", entity=entity, cap=150, query=None)
    st.session_state.og_sync = True


def _starts(store: GraphStore) -> None:
    """The empty page: what the box takes, and a few places to start (those the graph holds)."""
    st.markdown(
        "Type a name, an alias, a Chinese name or a ticker in any spelling above, "
        "then **Open** a hit to see its relationships, sources, timeline and graph."
    )
    held = store.get_nodes([subject for _, subject, _ in STARTS])
    starts = [(label, subject, params) for label, subject, params in STARTS if subject in held]
    if not starts:
        return
    st.markdown("Or start from:")
    for label, subject, params in starts:
        st.button(label, key=f"start_{params['view']}_{subject}", on_click=_start, args=(params,))


def _start(params: dict[str, str]) -> None:
    """Runs before the rerun: the view moves to the start's."""
    st.session_state.og_state = replace(from_params(params), problems=[])
    st.session_state.og_sync = True

"""The view as a share link: entity, depth, node kinds, as-of date, panel and search text live in the URL.

``from_params`` and ``to_params`` are pure (tested without a browser); ``read``
and ``write`` move the state between ``st.query_params`` and the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import streamlit as st

from graph.model import node_kinds

# The day the date picker shows before a reader picks one: the day the EO 13959 prohibitions
# applied to the telcos' securities, a day on which most of the corpus is in play.
DEFAULT_DAY = date(2021, 3, 10)
# The longest search the box takes (and a link's ``q``).
MAX_QUERY = 200
VIEWS = ("explore", "affects", "screen", "path", "changes")
VIEW_LABELS = {
    "explore": "Explore an entity",
    "affects": "Which orders affect a ticker?",
    "screen": "Screen a portfolio",
    "path": "Path between two entities",
    "changes": "What changed",
}


@dataclass(frozen=True)
class ViewState:
    view: str = "explore"
    entity: str | None = None
    depth: int = 1
    kinds: tuple[str, ...] = field(default_factory=node_kinds)
    as_of: date | None = None
    ticker: str | None = None
    target: str | None = None
    cap: int = 150
    # The search box's text: kept in the URL so Back from an opened hit returns to the hits.
    query: str | None = None
    problems: list[str] = field(default_factory=list, compare=False)


def from_params(params: Mapping[str, str]) -> ViewState:
    """The view a URL describes; bad values fall back to defaults, each named in ``problems``."""
    problems: list[str] = []
    view = params.get("view", "explore")
    if view not in VIEWS:
        problems.append(f"unknown view {view!r}: showing {VIEW_LABELS['explore']}")
        view = "explore"
    depth = 1
    if "depth" in params:
        try:
            depth = int(params["depth"])
            if not 1 <= depth <= 3:
                raise ValueError
        except ValueError:
            problems.append(f"depth {params['depth']!r} is not 1, 2 or 3: using 1")
            depth = 1
    kinds: tuple[str, ...] = node_kinds()
    if params.get("kinds"):
        asked = [k for k in params["kinds"].split(",") if k]
        unknown = [k for k in asked if k not in node_kinds()]
        if unknown:
            problems.append(f"unknown node kinds {', '.join(unknown)}: ignored")
        kinds = tuple(k for k in node_kinds() if k in asked) or node_kinds()
    as_of = None
    if params.get("as_of"):
        try:
            as_of = date.fromisoformat(params["as_of"])
        except ValueError:
            problems.append(f"as-of {params['as_of']!r} is not a day (YYYY-MM-DD): showing every date")
    cap = 150
    if params.get("cap", "").isdigit():
        cap = max(10, min(int(params["cap"]), 2000))
    return ViewState(
        view=view,
        entity=params.get("entity") or None,
        depth=depth,
        kinds=kinds,
        as_of=as_of,
        ticker=params.get("ticker") or None,
        target=params.get("target") or None,
        cap=cap,
        query=params.get("q", "").strip()[:MAX_QUERY] or None,
        problems=problems,
    )


def to_params(state: ViewState) -> dict[str, str]:
    """The URL parameters of a view (defaults left out, so links stay short)."""
    out: dict[str, str] = {"view": state.view}
    if state.entity:
        out["entity"] = state.entity
    if state.depth != 1:
        out["depth"] = str(state.depth)
    if tuple(state.kinds) != node_kinds():
        out["kinds"] = ",".join(state.kinds)
    if state.as_of:
        out["as_of"] = state.as_of.isoformat()
    if state.ticker:
        out["ticker"] = state.ticker
    if state.target:
        out["target"] = state.target
    if state.cap != 150:
        out["cap"] = str(state.cap)
    if state.query:
        out["q"] = state.query
    return out


def read() -> ViewState:
    """The view the URL holds (or the one this session moved to).

    The session's view is kept between runs; the URL wins when it no longer holds what this session
    last wrote there: the reader went Back or Forward (Streamlit reruns the page with that entry's
    parameters), and the view must follow the address bar rather than write the newer one over it.
    """
    params = {k: st.query_params[k] for k in st.query_params}
    if "og_state" not in st.session_state or params != st.session_state.get("og_params", params):
        st.session_state.og_state = from_params(params)
        st.session_state.og_sync = True
    state: ViewState = st.session_state.og_state
    # A new session or a move by a click sets every widget from the view; otherwise only the widgets
    # Streamlit forgot (those not drawn on the last run). Widgets take their values from here only,
    # never from a default, so the two never disagree.
    sync = st.session_state.pop("og_sync", False)
    for key, value in widget_values(state).items():
        if sync or key not in st.session_state:
            st.session_state[key] = value
    return state


def widget_values(state: ViewState) -> dict[str, object]:
    """The value of each widget that shows part of the view, by widget key."""
    return {
        "view": state.view,
        "depth": state.depth,
        "kinds": list(state.kinds),
        "dated": state.as_of is not None,
        "as_of": state.as_of or DEFAULT_DAY,
        "ticker": state.ticker or "",
        "path_from": state.entity or "",
        "path_to": state.target or "",
        "search_text": state.query or "",
    }


def write(state: ViewState) -> None:
    """Keep the session's view and put it in the URL, so the address bar is always a share link."""
    st.session_state.og_state = replace(state, problems=[])
    wanted = to_params(state)
    st.session_state.og_params = wanted
    if {k: st.query_params[k] for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def go(state: ViewState) -> None:
    """Move to another view now (a click on a node, an 'open' button)."""
    write(state)
    st.session_state.og_sync = True
    st.rerun()

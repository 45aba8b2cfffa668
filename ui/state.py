"""The view as a share link: entity, depth, node kinds, as-of date and panel live in the URL.

``from_params`` and ``to_params`` are pure (tested without a browser); ``read``
and ``write`` move the state between ``st.query_params`` and the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import streamlit as st

from graph.model import node_kinds

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
    return out


def read() -> ViewState:
    """The view the URL holds (or the one this session moved to)."""
    if "og_state" not in st.session_state:
        st.session_state.og_state = from_params({k: st.query_params[k] for k in st.query_params})
    state: ViewState = st.session_state.og_state
    if st.session_state.pop("og_sync", False):
        # Moved by a click, not by the widgets: the widgets must show the new view.
        st.session_state.view = state.view
        st.session_state.depth = state.depth
        st.session_state.kinds = list(state.kinds)
        st.session_state.dated = state.as_of is not None
        if state.as_of:
            st.session_state.as_of = state.as_of
        st.session_state.ticker = state.ticker or ""
    return state


def write(state: ViewState) -> None:
    """Keep the session's view and put it in the URL, so the address bar is always a share link."""
    st.session_state.og_state = replace(state, problems=[])
    wanted = to_params(state)
    if {k: st.query_params[k] for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def go(state: ViewState) -> None:
    """Move to another view now (a click on a node, an 'open' button)."""
    write(state)
    st.session_state.og_sync = True
    st.rerun()

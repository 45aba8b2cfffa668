"""What changed between two dates: listings, orders, exchange actions and rulings, by day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from graph.changes import changes
from graph.errors import OrdergraphError
from graph.labels import event_kind_label
from graph.store.base import GraphStore
from ui.safe import announced_links, md, source_links
from ui.state import ViewState, go

# The window first shown, and the key that keeps its length while the reader moves it.
FIRST_WINDOW = (date(2021, 1, 1), date(2021, 1, 31))
_SPAN = "changes_span"


def _moved(edited: str) -> None:
    """One end of the window set past the other (``edited``: the key of the input just set): the
    other moves with it, the window keeping its length, so a reader setting "From" first (or "To")
    never sees "the window ends before it starts" between the two inputs."""
    start, end = st.session_state["changes_from"], st.session_state["changes_to"]
    if not (isinstance(start, date) and isinstance(end, date) and start > end):
        return
    span = st.session_state.get(_SPAN, timedelta(0))
    if edited == "changes_from":
        st.session_state["changes_to"] = start + span
    else:
        st.session_state["changes_from"] = end - span


def changes_ui(store: GraphStore, state: ViewState) -> None:
    col_a, col_b = st.columns(2)
    # The first window through Session State, not the inputs' value: a value moved by the other
    # input's callback is then no second default (Streamlit warns of one).
    st.session_state.setdefault("changes_from", FIRST_WINDOW[0])
    st.session_state.setdefault("changes_to", FIRST_WINDOW[1])
    start = col_a.date_input(
        "From", key="changes_from", format="YYYY-MM-DD", on_change=_moved, args=("changes_from",)
    )
    end = col_b.date_input(
        "To", key="changes_to", format="YYYY-MM-DD", on_change=_moved, args=("changes_to",)
    )
    if isinstance(start, date) and isinstance(end, date) and start <= end:
        st.session_state[_SPAN] = end - start
    try:
        answer = changes(store, start, end)
    except OrdergraphError as exc:
        st.error(md(exc))
        return
    total = sum(len(d.changes) for d in answer.days)
    st.caption(f"{total} changes on {len(answer.days)} days")
    for day in answer.days:
        st.markdown(f"##### {md(day.date)}", anchors=False)
        for i, change in enumerate(day.changes):
            col_text, col_button = st.columns([6, 1])
            # An event (signed, takes effect, an exchange's action) reads as itself; a period begins or ends.
            what = {"began": ":green[began] ", "ended": ":red[ended] "}.get(change.what, "")
            sources = source_links(change.sources, md(change.sources_note or "no source"))
            # The kind ("listed on") before a row whose words do not already say it: "ended listed on
            # listing of Xiaomi …", but "began EO 13971 — targets Alipay", not "began targets EO 13971 —
            # targets Alipay".
            label = event_kind_label(change.kind, change.action)
            kind = "" if change.what == "event" or label in change.description else f"_{md(label)}_ "
            ahead = announced_links(change.announced_by)
            tail = f" · {ahead}" if ahead else ""  # the day only announced ahead: who announced it (linked)
            col_text.markdown(f"{what}{kind}{md(change.description)} — {sources}{tail}")
            target = change.entities[0].id
            if col_button.button("Open", key=f"chg_{day.date}_{i}"):
                go(replace(state, view="explore", entity=target))

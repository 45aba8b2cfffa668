"""Path finder: how two entities connect, drawn, as of a date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import streamlit as st

from graph.errors import AmbiguousEntity, UnknownEntity
from graph.labels import edge_label, edge_step, paths_found
from graph.plain import source_label, span
from graph.query import paths, resolve
from graph.store.base import GraphStore
from graph.views import EdgeRef, NodeRef, Path, Subgraph, walked
from ui.graph_view import drawn_legend, graph_view
from ui.safe import link, md, source_links
from ui.state import ViewState
from ui.unknown import unknown_text

# Hubs that join everything trivially (the CLI skips the same ones).
SKIPS = ("MENTIONS", "ISSUED_BY", "DESIGNATES", "TRADES_ON")


def _resolve(store: GraphStore, text: str, label: str) -> str | None:
    try:
        return resolve(store, text)
    except AmbiguousEntity as exc:
        st.error(f"{label}: {md(exc)}")
        return None
    except UnknownEntity as exc:
        st.error(f"{label}: nothing is called {unknown_text(exc)}")
        return None


def step_line(edge: EdgeRef, names: Mapping[str, str]) -> str:
    """One step of a path as a markdown list item: the edge read along its arrow by its label, its
    ends by name (``China Mobile Limited`` *issues* ``China Mobile Limited (NYSE CHL ADS)``), its
    dates, confidence and first sources; and the source giving its date where the first does not
    (EO 13943 names WeChat's developer, TechNode dates the launch), as the CLI's why line does."""
    when = span(edge.start, edge.end, kind=edge.kind)
    source, target = (md(names.get(end, end)) for end in (edge.source, edge.target))
    dated = edge.dated_by
    dated_text = f" · date as given by {link(source_label(dated), dated.url)}" if dated else ""
    return (
        f"- {source} _{md(edge_label(edge.kind))}_ {target} · {md(when)} · {md(edge.confidence)}"
        f" · {source_links(edge.sources)}{dated_text}"
    )


def path_line(path: Path) -> str:
    """A path as one markdown line: its nodes in bold, each edge between them by its label with the
    arrow the way the edge reads (``←issues—``: the next node issues the one before)."""
    parts = []
    for step, along in walked(path):
        if isinstance(step, NodeRef):
            parts.append(f"**{md(step.name)}**")
        else:
            parts.append(f"_{md(edge_step(step.kind, along=along))}_")
    return " ".join(parts)


def path_names(path: Path) -> dict[str, str]:
    """The name of every node on a path, by id."""
    return {step.id: step.name for step in path if isinstance(step, NodeRef)}


def path_ui(store: GraphStore, state: ViewState, as_of: date | None) -> ViewState:
    col_a, col_b = st.columns(2)
    a = col_a.text_input("From", key="path_from", placeholder="Tencent")
    b = col_b.text_input("To", key="path_to", placeholder="EO 14034")
    state = replace(state, entity=a.strip() or None, target=b.strip() or None)
    if not (state.entity and state.target):
        return state
    start, end = _resolve(store, state.entity, "From"), _resolve(store, state.target, "To")
    if start is None or end is None:
        return state
    with st.spinner("Finding the shortest paths…"):
        found = paths(store, start, end, max_len=5, as_of=as_of, exclude=SKIPS)
    # The two ends by name: the boxes hold what was typed or linked, often a graph id (ORG:xiaomi).
    named = store.get_nodes([start, end])
    between = " to ".join(md(named[i].name) if i in named else md(i) for i in (start, end))
    if not found:
        head = f"No path of at most 5 steps from {between}"
        # None that day: say whether there are some without it (a revoked order's path ends with it),
        # through edges not all in force that day, as the CLI's ``path`` does.
        undated = len(paths(store, start, end, max_len=5, as_of=None, exclude=SKIPS)) if as_of else 0
        if as_of and undated:
            st.info(
                f"{head} on {md(str(as_of))} ({paths_found(undated)} without a date: untick “As of a date”; "
                "through edges not all in force that day)\\."
            )
        else:
            st.info(
                head
                + (" on that day" if as_of else "")
                + " (news articles, issuers and exchanges are skipped)."
            )
        return state
    st.caption(
        f"{len(found)} shortest path{'' if len(found) == 1 else 's'} from {between}"
        + (f" valid on {as_of}" if as_of else "")
    )
    nodes: dict[str, NodeRef] = {}
    edges: dict[str, EdgeRef] = {}
    for path in found:
        st.markdown(path_line(path))
        # Every step with its dates, confidence and sources, as the CLI prints it: a path is a claim.
        names = path_names(path)
        st.markdown("\n".join(step_line(s, names) for s in path if isinstance(s, EdgeRef)))
        for step in path:
            if isinstance(step, NodeRef):
                nodes[step.id] = step
            else:
                edges[step.id] = step
    drawn = Subgraph(nodes=list(nodes.values()), edges=list(edges.values()))
    st.markdown(drawn_legend(drawn))
    graph_view(drawn, start, key="paths", highlight=[start, end])
    return state

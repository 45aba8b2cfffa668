"""'Which orders affect this ticker?': a plain sentence per order first, details one click away."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

import streamlit as st

from graph.affects import affects
from graph.errors import AmbiguousEntity, MissingNode, UnknownEntity
from graph.labels import kind_label, source_names, status_label
from graph.listed import listed_securities
from graph.model import Node, Source
from graph.plain import (
    day_note,
    divest_cell,
    exchange_cell,
    from_day,
    injunction_label,
    never_in_effect,
    order_label,
    order_ref_label,
    plain_sentence,
    restriction_label,
    short_name,
    source_label,
    status_word,
)
from graph.query import neighbours, resolve
from graph.store.base import GraphStore
from graph.views import AffectsAnswer, EdgeRef, Explanation, NodeRef, OrderEffect, Subgraph
from graph.views import Path as GraphPath
from ui.graph_view import NO_BREAK, PATH_COLOUR, capped, drawn_legend, graph_view
from ui.paths import path_line, path_names, step_line
from ui.safe import link, md, one_per_address, source_links
from ui.state import ViewState, go
from ui.unknown import unknown_text

_BADGE_COLOUR = {"in_force": "red", "pending": "orange", "enjoined": "blue", "not_covered": "gray"}
STATUS_BADGE = {status: f":{c}-badge[{status_label(status)}]" for status, c in _BADGE_COLOUR.items()}
NEVER_BADGE = ":gray-badge[never put into effect]"


def affects_ui(store: GraphStore, state: ViewState, as_of: date) -> ViewState:
    """Ticker box and answer; the date comes from the sidebar."""
    ticker = st.text_input(
        "Ticker, security or company",
        key="ticker",
        placeholder="0728.HK, NYSE:CHL, 1810 HK, China Unicom",
    )
    state = replace(state, ticker=ticker.strip() or None)
    if not state.ticker:
        st.caption("Type a ticker in any spelling: 1810.HK, HKEX:1810, 01810, NYSE:CHL …")
        return state
    try:
        node_id = resolve(store, state.ticker)
    except AmbiguousEntity as exc:
        st.warning(f"{md(state.ticker)} matches several entities — which one?")
        for candidate in exc.candidates:
            if st.button(md(candidate), key=f"pick_{candidate}"):
                go(replace(state, ticker=candidate))
        return state
    except UnknownEntity as exc:
        st.error(f"No security or company is called {unknown_text(exc)}")
        for suggested, name in zip(exc.ids, exc.suggestions, strict=True):
            if st.button(md(name), key=f"near_{suggested}"):
                go(replace(state, ticker=suggested))
        every = exc.more_listed
        if every is not None and st.button(f"All {exc.listed} listings on {md(every)}", key="all_listed"):
            go(replace(state, view="explore", entity=every))
        return state
    node = store.get_node(node_id)
    if node is None:
        raise MissingNode(node_id)  # resolve just named it: the store lost it
    if node.kind != "Security":
        what = md(kind_label(node.kind).lower())  # "government body", never the schema's GovernmentBody
        listed = listed_securities(store, node_id)
        if not listed:
            st.warning(f"{md(node.name)} ({what}) has no listed securities in the graph.")
            return state
        st.info(f"{md(node.name)} ({what}) is not itself a security: pick one of its listed securities.")
        typed = ticker_texts(store, [item.security.id for item in listed])
        for item in listed:
            if st.button(md(item.security.name), key=f"sec_{item.security.id}"):
                go(replace(state, ticker=typed[item.security.id]))
        return state
    if state.as_of is None:
        st.caption(
            f"Answered for today, {as_of.isoformat()}: tick “As of a date” in the sidebar for another day."
        )
    with st.spinner("Walking lists, orders and rulings…"):
        answer = affects(store, node_id, as_of)
    show_answer(answer, order_names(store, answer.explanations))
    return path_graph_ui(store, answer, state)


def ticker_texts(store: GraphStore, security_ids: Sequence[str]) -> dict[str, str]:
    """What the ticker box shows for each security a button opens: its exchange and code as a reader
    types them (``HKEX:1810``), which find that very security (a merged node's first ``ticker``
    identifier can be another listing's); the graph id (``SEC:HKEX:1810``) for one without. One
    store call."""
    nodes = store.get_nodes(list(security_ids))
    return {i: _typed(nodes[i]) if i in nodes else i for i in security_ids}


def _typed(node: Node) -> str:
    exchange, code = node.properties.get("exchange"), node.properties.get("code")
    if isinstance(exchange, str) and isinstance(code, str):
        return f"{exchange.removeprefix('EXCH:')}:{code}"
    return node.id


def order_names(store: GraphStore, explanations: Sequence[Explanation]) -> dict[str, str]:
    """The full name of every order an explanation names (its own, and the one that revoked or
    superseded it), with the short name the page uses for it: one store call."""
    ids = {i for why in explanations for e in why.edges for i in (e.source, e.target)}
    ids |= {why.order.id for why in explanations if why.order}
    nodes = store.get_nodes(sorted(ids)) if ids else {}
    return {n.name: short_name(n.name) for n in nodes.values() if n.kind == "ExecutiveOrder"}


def shortened(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each full order name in ``names`` replaced by its short name: a reason read
    "Executive Order 13959: Addressing the Threat … superseded by Executive Order 14032: Addressing
    the Threat …", two titles a line long each, under a line that had named the order already.

    >>> shortened("EO 1: Long title (§1) superseded by EO 2: Other on 2021-06-03",
    ...           {"EO 1: Long title": "EO 1", "EO 2: Other": "EO 2"})
    'EO 1 (§1) superseded by EO 2 on 2021-06-03'
    """
    for full in sorted(names, key=len, reverse=True):  # a name inside a longer one: the longer first
        text = text.replace(full, names[full])
    return text


def show_answer(answer: AffectsAnswer, names: Mapping[str, str] | None = None) -> None:
    st.subheader(f"{md(answer.security.name)} on {md(answer.as_of)}", anchor=False)
    if answer.exchange_status:
        ex = answer.exchange_status
        # Every source it names is a link, as the CLI gives each its address.
        sources = source_links(ex.sources, "none recorded", most=len(ex.sources))
        # Who announced the day ahead, else who gives it when the first source does not: each a link.
        ahead = day_note(ex.announced_by, ex.dated_by, _linked, name=_linked)
        st.warning(
            f"Exchange: {md(exchange_cell(ex, full=True))} — sources: {sources}"
            + (f" — {ahead}" if ahead else "")
        )
    if not answer.orders:
        st.success("No order restricts this security on that day.")
    for effect in answer.orders:
        _effect(effect)
    if answer.explanations:
        with st.expander(f"Why other orders do not apply ({len(answer.explanations)})"):
            for why in answer.explanations:
                who = md(short_name(why.order.name)) + ": " if why.order else ""
                st.markdown(f"- {who}{md(shortened(why.reason, names or {}))}")


def _linked(source: Source) -> str:
    """A source as the exchange line names it: its label, linked to its address."""
    return link(source_label(source), source.url)


def _badge(effect: OrderEffect) -> str:
    """The status badge; pending under an order whose prohibitions never came reads so, in grey,
    never as "pending" (which reads as "coming")."""
    return NEVER_BADGE if never_in_effect(effect) else STATUS_BADGE[effect.status]


def _effect(effect: OrderEffect) -> None:
    st.markdown(
        f"#### {_badge(effect)} {md(order_label(effect))} — {md(effect.title or '')}",
        anchors=False,
    )
    st.markdown(md(plain_sentence(effect)))
    with st.expander("Details, sources and the path that explains it"):
        st.markdown(
            f"**Status:** {_badge(effect)} · **restriction:** {md(restriction_label(effect.restriction))} · "
            f"**applies from:** {md(from_day(effect) if effect.applies_from else '—')} · "
            f"**divest-only window ends:** {md(divest_cell(effect.divest_until, effect.divest_time) or '—')}"
        )
        st.markdown(f"**Basis:** {md(effect.basis)}")
        if effect.amended_by:
            st.markdown("**Amended by:** " + ", ".join(md(order_ref_label(a)) for a in effect.amended_by))
        for injunction in effect.injunctions:
            sources = source_links(injunction.sources)
            st.markdown(f"**Enjoined by:** {md(injunction_label(injunction))} — {sources}")
        if effect.claims:
            st.markdown("**Sources disagree** — every reading, side by side:")
            columns = st.columns(len(effect.claims))
            for column, claim in zip(columns, effect.claims, strict=True):
                column.markdown(
                    f"{STATUS_BADGE[claim.status]} from **{md(claim.applies_from or '—')}**  \n"
                    + md(claim.basis)
                )
                shown = one_per_address(claim.sources)[:4]
                for name, source in zip(source_names(shown), shown, strict=True):
                    column.markdown(f"- {link(name, source.url)}")
        st.markdown(
            "**Sources of the order:** " + " · ".join(link(s.title, s.url) for s in effect.sources[:3])
        )
        if effect.paths:
            path = effect.paths[0]
            st.markdown(f"**The path that explains it** (highlighted in the graph below): {path_line(path)}")
            # Each step with its dates and sources, as the CLI's "why" gives them.
            names = path_names(path)
            st.markdown("\n".join(step_line(s, names) for s in path if isinstance(s, EdgeRef)))


def path_in_neighbourhood(
    store: GraphStore, security_id: str, path: GraphPath, as_of: date, depth: int = 1
) -> Subgraph:
    """The security's neighbourhood on ``as_of`` with every node and edge of ``path`` in it.

    A path is often longer than the neighbourhood is deep (security → issuer → list →
    order is three steps): its nodes and edges are added, first, so a cap keeps them.
    """
    around = neighbours(store, security_id, depth=depth, as_of=as_of)
    path_nodes = [s for s in path if isinstance(s, NodeRef)]
    path_edges = [s for s in path if isinstance(s, EdgeRef)]
    on_path = {s.id for s in path}
    return Subgraph(
        nodes=path_nodes + [n for n in around.nodes if n.id not in on_path],
        edges=path_edges + [e for e in around.edges if e.id not in on_path],
    )


def path_graph_ui(store: GraphStore, answer: AffectsAnswer, state: ViewState) -> ViewState:
    """The security's neighbourhood, one order's explaining path highlighted; a selector picks the order."""
    explained = [effect for effect in answer.orders if effect.paths]
    if not explained:
        return state
    st.subheader("The explaining path in the graph", anchor=False)
    by_id = {effect.id: effect for effect in explained}
    chosen = explained[0].id
    col_depth, col_order = st.columns([1, 4])
    state = replace(state, depth=col_depth.select_slider("Depth", options=[1, 2, 3], key="depth"))
    if len(explained) > 1:
        chosen = col_order.selectbox(
            "Order",
            list(by_id),
            format_func=lambda order_id: f"{order_label(by_id[order_id])} ({status_word(by_id[order_id])})",
            key="affects_path_order",
            help="Several orders affect this security: pick the one whose path to highlight.",
        )
    effect = by_id[chosen]
    path = effect.paths[0]
    security = answer.security.id
    full = path_in_neighbourhood(store, security, path, date.fromisoformat(answer.as_of), state.depth)
    shown, total = capped(full, security, max(state.cap, len(path)))
    st.caption(
        f"{md(order_label(effect))} reaches {md(answer.security.name)} along the path drawn thick "
        f"in red; the rest of its neighbourhood on {md(answer.as_of)} is dimmed. "
        f"Showing {len(shown.nodes)} of {total} nodes."
    )
    red_line = f":color[━━]{{foreground='{PATH_COLOUR}'}}{NO_BREAK}explaining{NO_BREAK}path"
    st.markdown(f"{drawn_legend(shown)} · {red_line}")
    graph_view(shown, security, key="affects_graph", highlight=[step.id for step in path], dim_others=True)
    return state

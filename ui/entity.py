"""The entity page: identifiers, relationships with dates, confidence, sources, timeline, listings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from graph.cite import cite, cite_order
from graph.errors import OrdergraphError
from graph.labels import (
    action_words,
    apart_labels,
    country_text,
    datasets_text,
    edge_label,
    entity_ids,
    identifier_label,
    is_web_address,
    kind_label,
    membership_text,
    mention_place,
    names_of_ids,
    offsets_text,
    property_label,
    property_text,
    property_url,
    reading_tag,
    reading_text,
    repeats_identifier,
    source_kind_label,
    source_names,
    status_label,
)
from graph.listed import listed_securities
from graph.model import PropertyValue, first_day
from graph.plain import (
    HELD_ONLY,
    divest_cell,
    edge_span,
    ended_sentences,
    exchange_cell,
    issued_later,
    last_day_label,
    short_name,
)
from graph.query import show
from graph.reaches import reaches
from graph.store.base import GraphStore
from graph.views import DisputedProperty, EdgeView, Explanation, OrderEnded, ReachedSecurity, ReachesAnswer
from ui.affects import order_names, shortened, ticker_texts
from ui.panels import opened_panel
from ui.safe import code, link, md, one_per_address, safe_url, source_links
from ui.state import ViewState, go

BADGE = {
    "verified": ":green-badge[verified]",
    "likely": ":orange-badge[likely]",
    "unverified": ":red-badge[unverified]",
}
IDENTIFIERS = (
    "code",
    "exchange",
    "number",
    "fr_citation",
    "fr_doc",
    "docket",
    "court",
    "ofac_id",
    "isin",
    "ticker",
)
# An entity's own dates, shown as the timeline shows them (plain, as precise as the sources).
DATES = ("signed", "issued", "public_inspection", "published", "effective", "prohibitions_from", "filed")
# The note that qualifies a date, shown beside it (as the CLI's ``show`` prints it), not apart.
DATE_NOTES = {
    "effective": "effective_note",
    "prohibitions_from": "prohibitions_note",
    "public_inspection": "public_inspection_note",
    "issued": "issued_note",
}
SHOWN_RELATIONSHIPS = 100
# An Open button's name, at most (the button wraps it onto a second line where it must).
OPEN_NAME_CHARS = 40


def _edge_line(edge: EdgeView) -> str:
    arrow = "→" if edge.direction == "out" else "←"
    when = edge_span(edge)
    kind = md(edge_label(edge.kind))
    return f"{arrow} **{kind}** {md(edge.other.name)} · {md(when)} {BADGE[edge.confidence]}"


def entity_ui(store: GraphStore, state: ViewState) -> None:
    """Everything about one entity, most authoritative sources first."""
    if state.entity is None:
        raise OrdergraphError("open an entity first: search for it above")
    view = show(store, state.entity)
    st.header(md(view.name), anchor=False)
    st.caption(f"{md(kind_label(view.kind))} · {code(view.id)}")
    if view.aliases:
        st.markdown("**Also known as:** " + ", ".join(md(a) for a in view.aliases))
    ids = {k: v for k, v in view.properties.items() if k in IDENTIFIERS and v is not None}
    # The entity's first-class identifiers (ISIN, OFAC uid, FtM id…), each scheme once: a property
    # that only repeats one (the curated data's fr_doc, isin) is shown as the identifier.
    ids = {k: v for k, v in ids.items() if not repeats_identifier(k, v, view.identifiers)}
    # An identifier that is a node of the graph (a security's exchange, EXCH:NYSE) reads by its name.
    nodes = store.get_nodes([v for v in ids.values() if isinstance(v, str) and ":" in v])
    shown = [
        f"{md(property_label(k))}: {md(nodes[v].name)}"
        if isinstance(v, str) and v in nodes
        else _identifier(k, v)
        for k, v in ids.items()
    ]
    shown += [
        _identifier(scheme, vals, identifier_label(scheme)) for scheme, vals in view.identifiers.items()
    ]
    if shown:
        st.markdown("**Identifiers:** " + " · ".join(shown))
    dates = {k: v for k, v in view.properties.items() if k in DATES and v is not None}
    if dates:
        st.markdown("**Dates:** " + " · ".join(_date(k, v, view.properties) for k, v in dates.items()))
    if view.membership:
        # The same lines as the CLI's show: nobody may read the members shown as the whole list.
        lines = [md(membership_text(c)) for c in view.membership]
        st.markdown(
            "**Membership:** " + lines[0] if len(lines) == 1 else "**Membership:**  \n" + "  \n".join(lines)
        )
    if view.disputed:
        _disputed(view.disputed)
    beside = {DATE_NOTES[k] for k in dates if k in DATE_NOTES}
    others = {
        k: v
        for k, v in view.properties.items()
        if k not in IDENTIFIERS
        and k not in DATES
        and k not in beside
        and not repeats_identifier(k, v, view.identifiers)
    }
    if others:
        with st.expander("Other properties"):
            # The bodies and companies a property names (a list's keeper) by name: one store call.
            st.markdown(_properties(others, names_of_ids(store, [others])))
    if view.sources:
        cited = one_per_address(view.sources)[:4]  # each by its title, told apart where two share one
        titles = source_names(cited, by_title=True)
        st.markdown("**Sources:** " + " · ".join(link(t, s.url) for t, s in zip(titles, cited, strict=True)))
    st.markdown(f"**Datasets:** {md(datasets_text(view.provenance))}")
    if view.kind == "ExecutiveOrder":
        node = store.get_node(view.id)
        if node is not None:
            st.code(cite_order(node), language=None, wrap_lines=True)
    if view.kind == "Company":
        _listings(store, state, view.id)
    _relationships(store, state, view.edges)


def _identifier(key: str, value: PropertyValue | list[str], label: str | None = None) -> str:
    """``Label: `value``` — a link where the reader can check it (a Federal Register document);
    several values (an identifier scheme's) each so."""
    values = value if isinstance(value, list) else [value]
    return f"{md(label or property_label(key))}: " + ", ".join(_checkable(key, item) for item in values)


def _checkable(key: str, value: PropertyValue) -> str:
    """A value as code, a link to where the reader checks it when there is one: a Federal Register
    document number (on an entity or on an edge) at federalregister.gov/d/<number>."""
    url = property_url(key, value)
    shown = code(property_text(value))
    return f"[{shown}]({safe_url(url)})" if url and safe_url(url) else shown


def _date(key: str, value: PropertyValue, properties: dict[str, PropertyValue]) -> str:
    """``Prohibitions from 2020-09-20 (45 days after the order …)``: the date with its note."""
    text = f"{md(property_label(key))} {md(property_text(value))}"
    note = properties.get(DATE_NOTES.get(key, ""))
    return f"{text} ({md(property_text(note))})" if note is not None else text


def _properties(properties: dict[str, PropertyValue], names: dict[str, str] | None = None) -> str:
    """Each property on its own line, labelled; a web address as a link (escaped); entity ids
    (a property the schema types ``ids``, e.g. whom an injunction protects) by name (the id only
    when the graph lacks the node); a mention's offset as where in the article it is."""
    return "  \n".join(
        f"**{md(label)}:** {value}"
        for label, value in (_property_line(k, v, properties, names or {}) for k, v in properties.items())
    )


def _property_line(
    key: str, value: PropertyValue, properties: dict[str, PropertyValue], names: dict[str, str]
) -> tuple[str, str]:
    """(label, markdown value) of one property; ``properties`` are its neighbours (a mention's
    ``offset`` reads with its ``text``)."""
    if key == "offset" and isinstance(value, int) and not isinstance(value, bool):
        return "Where in the article", md(mention_place(value, properties.get("text")))
    places = offsets_text(key, value) if key == "offsets" else None
    if places is not None:
        return "Named in the article", md(places)
    return property_label(key), _value(key, value, names)


def _value(key: str, value: PropertyValue, names: dict[str, str]) -> str:
    if is_web_address(value):
        return link(str(value), str(value))
    countries = country_text(key, value)
    if countries is not None:  # Hong Kong (HK), not HK
        return md(countries)
    ids = entity_ids(key, value)
    if ids is not None:
        return ", ".join(md(names[i]) if i in names else code(i) for i in ids) or "—"
    if property_url(key, value) is not None:
        return _checkable(key, value)
    if key == "action" and isinstance(value, str):  # an exchange's action: words, not its code
        return md(action_words(value))
    return md(property_text(value))


def _disputed(disputed: list[DisputedProperty]) -> None:
    """Every value the datasets give for a property they disagree on, with the datasets and their sources."""
    st.markdown(":orange[**Datasets disagree**] — every value is kept; the page shows the first given.")
    for prop in disputed:
        lines = [f"**{md(property_label(prop.field))}**"]
        for value in prop.values:
            shown = " (shown)" if value.kept else ""
            sources = " · ".join(
                link(s.title, s.url) + ("" if s.publisher in value.datasets else f" ({md(s.publisher)})")
                for s in value.sources
            )
            countries = country_text(prop.field, value.value)  # Hong Kong (HK), not HK
            given = md(countries) if countries is not None else code(_text(value.value))
            lines.append(
                f"- {given}{shown} — given by {md(', '.join(value.datasets))}"
                + (f" — source: {sources}" if sources else " — no source given")
            )
        st.markdown("\n".join(lines))


def _text(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _listings(store: GraphStore, state: ViewState, company_id: str) -> None:
    listed = listed_securities(store, company_id)
    st.subheader("Listed securities", anchor=False)
    if not listed:
        st.caption("No listed securities in the graph for this company.")
        return
    typed = ticker_texts(store, [item.security.id for item in listed])
    for item in listed:
        col_text, col_button = st.columns([3, 2])
        via = f" (via {md(item.via.name)})" if item.via else ""
        # The security's name says its exchange and ticker (HKEX 1810); its graph id is on its own page.
        col_text.markdown(f"{md(item.security.name)}{via}")
        # A short label: the long one was cut to "Which or…" in the page's narrow left column.
        asked = col_button.button(
            "Which orders?",
            key=f"affects_{item.security.id}",
            help="Which orders affect this security on the day asked, and why",
        )
        if asked:
            go(replace(state, view="affects", ticker=typed[item.security.id]))


def reaches_ui(store: GraphStore, state: ViewState, as_of: date) -> None:
    """An order's page: the securities it reaches (nothing on another entity's page). app.py draws it
    across the page, below the entity and graph columns: in the entity's column the table showed
    only its first column (the security) without scrolling."""
    node = store.get_node(state.entity) if state.entity else None
    if node is not None and node.kind == "ExecutiveOrder":
        _reaches_table(store, state, node.id, as_of)


def _reaches_table(store: GraphStore, state: ViewState, order_id: str, as_of: date) -> None:
    """The securities the order reaches on the day asked. With no day chosen that is today, said so;
    an order ended by then (revoked, superseded) reaches nothing today, which read as "this order did
    nothing": the page says how it ended (``reaches``' ``ended``, the words the CLI prints too), and
    for an order that restricted securities shows what it reached on its last day, one click from
    reading the whole page on that day."""
    with st.spinner("Walking every listing the order governs…"):
        answer = reaches(store, order_id, as_of)
    ended = answer.ended if state.as_of is None else None
    if answer.inactive is None or ended is None:
        day = f"on {as_of.isoformat()}" if state.as_of else f"today ({as_of.isoformat()})"
        st.subheader(f"Securities this order reaches {day}", anchor=False)
        _reached(answer, order_names(store, [answer.inactive] if answer.inactive else []))
        return
    _ended(state, as_of, answer.inactive, ended)


def _ended(state: ViewState, as_of: date, inactive: Explanation, ended: OrderEnded) -> None:
    """How the order ended, cited, with the order that ended it one click away; the last day's table
    only for an order that restricted securities and reached some (an app ban's "0 securities on its
    last day in force" misled)."""
    cited = [f" ({source_links(e.sources)})" for e in inactive.edges]
    sentences = ended_sentences(ended)
    injunctions = "".join(f" ({source_links(i.sources)})" for i in ended.injunctions if i.sources)
    said = [md(sentences[0].removesuffix(".")) + "".join(cited) + ".", *(md(line) for line in sentences[1:])]
    if injunctions:  # the injunctions' sentence is the last: their sources before its full stop
        said[-1] = md(sentences[-1].removesuffix(".")) + injunctions + "."
    st.info(f"As of today ({md(as_of.isoformat())}) this order reaches no security. " + " ".join(said))
    st.button(
        f"Open {short_name(ended.by.name)}",
        key="reaches_ended_by",
        on_click=_open,
        args=(state, ended.by.id),
        help="The order that ended this one",
    )
    if not (ended.restricts_securities and ended.securities):
        return
    last = first_day(ended.last_day)
    st.subheader(f"Securities this order reached on {ended.last_day}, {last_day_label(ended)}", anchor=False)
    _rows(ended.securities)
    st.button(
        f"Show the page as of {ended.last_day}",
        key="reaches_last_day",
        on_click=_as_of,
        args=(state, last),
        help="Every relationship, the graph and this table as they were on that day",
    )


def _reached(answer: ReachesAnswer, names: dict[str, str]) -> None:
    if not answer.securities:
        if answer.inactive is None:
            st.caption(f"None on that day: {md('no listed company it reaches')}.")
            return
        cited = "".join(f" ({source_links(e.sources)})" for e in answer.inactive.edges)
        if answer.inactive.sources:  # not yet signed: the order's own sources give its signing date
            cited += f" ({source_links(answer.inactive.sources)})"
        # Each order by its short name: the order's own title heads the page already.
        st.caption(f"None on that day: {md(shortened(answer.inactive.reason, names))}{cited}.")
        return
    _rows(answer.securities)
    _not_traded(answer.securities)
    if answer.restricts_securities:
        st.caption(md(HELD_ONLY.removeprefix("(").removesuffix(")").capitalize() + "."))


def _not_traded(securities: list[ReachedSecurity]) -> None:
    """Beneath the table, the listings an exchange had struck or suspended by the day (eyes36 P12):
    still on the order's list, no longer traded there."""
    struck = [
        f"{r.security.name} {exchange_cell(r.exchange_status)}" for r in securities if r.exchange_status
    ]
    if struck:
        st.caption(f"Not trading on their exchange by then: {md('; '.join(struck))}.")


def _rows(securities: list[ReachedSecurity]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "security": r.security.name,
                    "id": r.security.id,
                    "status": status_label(r.status),
                    "applies from": r.security_applies_from,  # its own: the caption gives its issuer's
                    "divest ends": divest_cell(r.divest_until, r.divest_time) or None,
                    "sources disagree": r.disputed,
                }
                for r in securities
            ]
        ),
        hide_index=True,
        width="stretch",
        # The security's name already says its exchange and ticker (HKEX 0728); its graph id
        # (SEC:HKEX:0728) stays in the data, not on screen, so the table fits the page at 1280 px.
        column_order=("security", "status", "applies from", "divest ends", "sources disagree"),
        column_config={
            "divest ends": st.column_config.TextColumn(
                "divest ends",
                help="When divest-only sales end. With the order's hour (2021-11-11 23:59 EST: that day"
                " included; 2022-06-03 00:01 EDT: sales only before it); a bare day is counted from a"
                " later listing, whose sources give no hour.",
            ),
            # A short header: with the order's hour in "divest ends" the five columns must still fit
            # unscrolled at 1280 px.
            "sources disagree": st.column_config.CheckboxColumn(
                "disputed", help="Sources disagree on this security's dates (see its Which orders? page)."
            ),
        },
    )
    later = issued_later(securities)
    if later:  # each row gives the security's own day; its issuer's is said here, as the CLI says it
        st.caption(md(later))


def _as_of(state: ViewState, day: date) -> None:
    st.session_state.og_state = replace(state, as_of=day)
    st.session_state.og_sync = True


def _open(state: ViewState, entity: str) -> None:
    st.session_state.og_state = replace(state, view="explore", entity=entity, cap=150)
    st.session_state.og_sync = True


def _relationships(store: GraphStore, state: ViewState, edges: list[EdgeView]) -> None:
    """Every relationship with its dates, sources and disputes, drawn when the reader opens the panel,
    at most SHOWN_RELATIONSHIPS until "Show all": a list's page has thousands, and drawing them all
    was the largest share of the first page (bench/RESULTS.md, first paint)."""
    if not edges:
        st.subheader("Relationships (none)", anchor=False)
        return
    panel = opened_panel(f"Relationships ({len(edges)})", key="relationships")
    if panel is None:
        return
    with panel:
        every = st.session_state.get("relationships_all") == state.entity
        shown = edges if every else edges[:SHOWN_RELATIONSHIPS]
        about = (i for edge in shown for d in edge.disputed for i in d.about)
        names = names_of_ids(store, (edge.properties for edge in shown), about)  # one store call for all
        # Each Open button names what it opens, told apart from the others in the list (SMIC's
        # two listings were both "Open Semiconductor Manufacturin…").
        opens = apart_labels({edge.other.id: edge.other.name for edge in shown}, OPEN_NAME_CHARS)
        for edge in shown:
            _relationship(store, state, edge, names, opens[edge.other.id])
        if len(shown) < len(edges):
            st.button(
                f"Show all {len(edges)} relationships",
                key="relationships_all_button",
                on_click=_show_all,
                args=(state.entity,),
            )


def _show_all(entity: str | None) -> None:
    st.session_state.relationships_all = entity


def _relationship(
    store: GraphStore, state: ViewState, edge: EdgeView, names: dict[str, str], opens: str
) -> None:
    with st.expander(_edge_line(edge)):
        if edge.note:
            st.markdown(md(edge.note))
        if edge.identifiers:
            st.markdown(
                "  \n".join(
                    f"**{md(identifier_label(scheme))}:** " + ", ".join(_checkable(scheme, v) for v in values)
                    for scheme, values in edge.identifiers.items()
                )
            )
        properties = {
            k: v for k, v in edge.properties.items() if not repeats_identifier(k, v, edge.identifiers)
        }
        if properties:
            st.markdown(_properties(properties, names))
        for source in edge.sources:
            when = f" ({source.date})" if source.date else ""
            st.markdown(
                f"- {link(source.title, source.url)} — {md(source.publisher)}{md(when)} · "
                + md(source_kind_label(source.kind))
            )
        for disputed in edge.disputed:
            # A value its own body moved, or given only in a named case, is no disagreement (as `show`).
            publishers = ", ".join(md(name) for name in source_names(disputed.sources))
            tag = reading_tag(disputed)
            tag = ":orange[disputed]" if tag == "sources disagree" else f":blue[{tag}]"
            reading = reading_text(disputed, edge, names, value=code, words=md)
            st.markdown(f"- {tag} {md(property_label(disputed.field))}: {reading} according to {publishers}")
        st.caption(f"Datasets: {md(datasets_text(edge.provenance))}")
        # The Open button says what it opens: the other end's kind and name, cut where it stays apart
        # from the list's other names; the whole name on hover.
        col_cite, col_open = st.columns([1, 4])
        col_open.button(
            f"Open {kind_label(edge.other.kind).lower()}: {md(opens)}",
            key=f"goto_{edge.id}",
            on_click=_open,
            args=(state, edge.other.id),
            help=f"{md(edge.other.name)} ({code(edge.other.id)})",
            wrap=True,  # in a column Streamlit cut it with an ellipsis: "Open Semiconductor Manufacturin…"
        )
        if col_cite.button("Cite", key=f"cite_{edge.id}"):
            citation = cite(store, edge.id)
            note = [f"Note: {citation.note}"] if citation.note else []
            st.code("\n".join([citation.text, *citation.sources, *note]), language=None, wrap_lines=True)

"""How answers read for people: the text each command prints without ``--json``."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.audit import AuditReport, NameBacking
    from graph.views import (
        AffectsAnswer,
        Change,
        Changes,
        EdgeRef,
        EditionCount,
        EntityView,
        OrderEnded,
        ReachedSecurity,
        ReachesAnswer,
        ScreenAnswer,
        SearchHit,
        Stats,
        Subgraph,
        Timeline,
        TimelineEvent,
    )
    from graph.views import Path as GraphPath


def span(start: str | None, end: str | None, kind: str | None = None) -> str:
    from graph.plain import span as plain_span

    return plain_span(start, end, kind=kind)


def first_url(sources: Sequence[Any], note: str | None = None) -> str:
    return sources[0].url if sources else note or "(no source)"


def _dated_by(event: TimelineEvent | Change) -> str:
    """``; date as given by URL`` when a row's first source does not give its date; ``; day
    announced ahead by …`` when no source states it and some only announced it."""
    from graph.plain import day_note

    note = day_note(event.announced_by, event.dated_by, lambda source: source.url)
    return f"; {note}" if note else ""


def today_note(today: bool, option: str = "--as-of") -> str:
    """What a heading adds when the day was not given: `` (today: no --as-of given)``."""
    return f" (today: no {option} given)" if today else ""


def one_path(path: GraphPath) -> str:
    """A path's nodes, each edge between them by its label, the arrow the way the edge reads."""
    from graph.labels import edge_step
    from graph.views import NodeRef, walked

    parts = []
    for step, along in walked(path):
        if isinstance(step, NodeRef):
            parts.append(f"{step.name} [{step.id}]")
        else:
            when = span(step.start, step.end, step.kind)
            dated = f"; date as given by {step.dated_by.url}" if step.dated_by else ""
            detail = f"{when}; {step.confidence}; {first_url(step.sources)}{dated}"
            parts.append("  " + edge_step(step.kind, along=along, detail=detail))
    return "\n      ".join(parts)


def affects(answer: AffectsAnswer, explain: bool, today: bool = False) -> str:
    from graph.plain import (
        day_note,
        divest_window,
        exchange_cell,
        from_day,
        injunction_label,
        order_ref_label,
        plain_sentence,
        restriction_label,
        status_text,
    )

    sec = answer.security
    out = [f"{sec.name} [{sec.id}] as of {answer.as_of}{today_note(today)}"]
    ex = answer.exchange_status
    if ex:
        day = day_note(ex.announced_by, ex.dated_by, lambda source: source.url)
        cited = first_url(ex.sources) + (f"; {day}" if day else "")
        out.append(f"exchange: {exchange_cell(ex, full=True)} ({cited})")
    if not answer.orders:
        out.append("no order restricts it on that day")
    for order in answer.orders:
        since = f"; prohibitions apply from {from_day(order)}" if order.applies_from else ""
        label = f"EO {order.number}" if order.number else order.id
        out.append(f"\n{label} — {order.title}" if order.title else f"\n{label}")
        out.append(f"  in short: {plain_sentence(order)}")
        out.append(
            f"  restriction: {restriction_label(order.restriction)}; status: {status_text(order)}{since}"
        )
        out.append(f"  basis: {order.basis}")
        if order.divest_until:
            window = divest_window(order.divest_until, order.divest_time)
            closed = " (closed)" if order.divest_closed else ""
            out.append(f"  divest-only transactions {'were ' if closed else ''}allowed {window}{closed}")
        for injunction in order.injunctions:
            out.append(f"  enjoined by: {injunction_label(injunction)} ({first_url(injunction.sources)})")
        if order.amended_by:
            out.append("  amended by: " + ", ".join(order_ref_label(a) for a in order.amended_by))
        for claim in order.claims:
            out.append(
                f"  claim: {claim.status}{f' from {claim.applies_from}' if claim.applies_from else ''}"
                f" — {claim.basis}"
                f" ({'; '.join(s.url for s in claim.sources)})"
            )
        for i, path in enumerate(order.paths, 1):
            out.append(f"  why ({i}): {one_path(path)}")
    if explain or not answer.orders:
        for item in answer.explanations:
            out.append(f"  not: {item.reason}")
    if explain and answer.orders and not answer.explanations:
        out.append("  ruled out: none (every route found holds)")
    return "\n".join(out)


def show(view: EntityView, names: dict[str, str]) -> str:
    """The entity: its identifiers, properties (those only repeating an identifier shown once, as
    identifiers) and the datasets that gave it; then each edge: its label (``enjoins``), other end,
    dates, confidence and first source; other readings; its identifiers and properties, labelled
    (ids by ``names``); its datasets, where they are not the entity's own; its cite command."""
    from graph.labels import (
        datasets_text,
        edge_label,
        edges_share_its_datasets,
        identifier_text,
        membership_text,
        property_label,
        property_url,
        property_value_text,
        reading_tag,
        reading_text,
        repeats_identifier,
    )
    from graph.plain import edge_span

    out = [f"{view.name} [{view.id}] ({view.kind})"]
    if view.aliases:
        out.append("aka: " + "; ".join(view.aliases))
    out += [identifier_text(scheme, values) for scheme, values in view.identifiers.items()]
    disputed = {d.field: d for d in view.disputed}
    for key, value in view.properties.items():
        if key in disputed:
            # Every value with the datasets giving it and their first source, the kept one first.
            values = " / ".join(
                f"{property_value_text(key, v.value, names)}"
                f" ({', '.join(v.datasets)}; {first_url(v.sources)})"
                for v in disputed[key].values
            )
            out.append(f"{property_label(key)} (datasets disagree): {values}")
        elif not repeats_identifier(key, value, view.identifiers):
            url = property_url(key, value)
            where = f" ({url})" if url and url != value else ""
            out.append(
                f"{property_label(key)}: {property_value_text(key, value, names, view.properties)}{where}"
            )
    for count in view.membership:
        out.append(membership_text(count))
    out.append(f"Datasets: {datasets_text(view.provenance)}")
    each_edge = not edges_share_its_datasets(view)
    for edge in view.edges:
        arrow = "→" if edge.direction == "out" else "←"
        end = f"{edge.other.name} [{edge.other.id}]"
        out.append(
            f"  {edge_label(edge.kind)} {arrow} {end} {edge_span(edge)};"
            f" {edge.confidence}; {first_url(edge.sources)}"
        )
        for other in edge.disputed:
            # A value its own body moved, or one given only in a named case, is no disagreement.
            said = f"{other.note}; " if other.note else ""
            value = reading_text(other, edge, names)
            field = property_label(other.field)
            out.append(f"      {reading_tag(other)} — {field}: {value} ({said}{first_url(other.sources)})")
        out += [f"      {identifier_text(scheme, values)}" for scheme, values in edge.identifiers.items()]
        for key, value in edge.properties.items():
            if not repeats_identifier(key, value, edge.identifiers):
                out.append(
                    f"      {property_label(key)}: {property_value_text(key, value, names, edge.properties)}"
                )
        if each_edge:
            out.append(f"      datasets: {datasets_text(edge.provenance)}")
        out.append(f"      ordergraph cite {shlex.quote(edge.id)}")
    return "\n".join(out)


def timeline(tl: Timeline, heading: str | None = None) -> str:
    """The events a line each, earliest first, under ``heading`` (the entity, as ``show`` heads it:
    a name read as another entity's would otherwise go unseen)."""
    rows = [
        f"{e.date:<10}  {e.description}  ({first_url(e.sources, e.sources_note)}{_dated_by(e)})"
        for e in tl.events
    ]
    return "\n".join(([heading] if heading else []) + (rows or ["no dated event"]))


def search(hits: list[SearchHit]) -> str:
    """One hit a line; a query's exact hits by id, ticker or identifier first, the looser rest
    under a line saying so (as the app sets them apart): ``1810.HK``'s HKEX 1800 is not its equal."""
    from graph.query import exact_and_looser

    exact, looser = exact_and_looser(hits)
    lines = [_hit_line(h) for h in exact]
    if looser:
        lines.append("other, looser matches:")
        lines += [_hit_line(h) for h in looser]
    return "\n".join(lines) or "no match"


def _hit_line(hit: SearchHit) -> str:
    return f"{hit.score:5.1f}  {hit.id:<40} {hit.kind:<15} {hit.name}"


def subgraph(sub: Subgraph) -> str:
    from graph.labels import edge_label

    names = {n.id: n.name for n in sub.nodes}
    lines = [
        f"{names[e.source]} —{edge_label(e.kind)} ({span(e.start, e.end, e.kind)})→ {names[e.target]}"
        for e in sub.edges
    ]
    lines += [f"{names[h]}: {n:,} more edges not shown (a hub)" for h, n in sub.more.items() if n]
    return "\n".join(lines) or "no edges"


def reaches(answer: ReachesAnswer, today: bool = False) -> str:
    """The order, then each security it reaches (a table); reaching none, why not, with the sources,
    and how an ended order ended."""
    head = f"{answer.order.name} [{answer.order.id}] as of {answer.as_of}{today_note(today)}"
    if not answer.securities:
        inactive = answer.inactive
        why = [f"it reaches no security on that day{f': {inactive.reason}' if inactive else ''}"]
        for edge in inactive.edges if inactive else []:
            why.append(f"  source: {edge.id}: {'; '.join(s.url for s in edge.sources) or 'no source'}")
        if inactive and inactive.sources:  # a reason no edge carries (not yet signed): the order's own
            why.append(f"  source: {answer.order.id}: {'; '.join(s.url for s in inactive.sources)}")
        return "\n".join([head, *why, *_ended(answer.ended)])
    from graph.plain import HELD_ONLY

    struck = sum(1 for r in answer.securities if r.exchange_status and r.exchange_status.state == "delisted")
    delisted = f", {struck} of them delisted by then" if struck else ""
    count = f"{len(answer.securities)} securities{delisted}"
    held = [HELD_ONLY] if answer.restricts_securities else []
    return "\n".join([f"{head}: {count}", *_reached_table(answer.securities), *held])


def _ended(ended: OrderEnded | None) -> list[str]:
    """How an ended order ended (the app's box), and what it reached on its last day when it
    restricted securities: a transaction ban's or an amending order's last day is not counted."""
    from graph.plain import ended_sentences

    if ended is None:
        return []
    lines = ["", *ended_sentences(ended)]
    lines += [
        f"  source: {i.edge_id}: {'; '.join(s.url for s in i.sources) or 'no source'}"
        for i in ended.injunctions
    ]
    if ended.restricts_securities and ended.securities:
        lines += _reached_table(ended.securities)
    return lines


def _reached_table(securities: list[ReachedSecurity]) -> list[str]:
    """The securities an order reaches, each from its own first day; beneath, those issued after the
    order reached their issuer, with the issuer's day (graph.plain.issued_later)."""
    from graph.plain import divest_cell, exchange_cell, issued_later

    rows = [
        [
            r.status,
            r.security_applies_from or "—",  # the security's own; beneath, its issuer's
            divest_cell(r.divest_until, r.divest_time) or "—",
            "yes" if r.disputed else "",
            exchange_cell(r.exchange_status),
            r.security.id,
            r.security.name,
        ]
        for r in securities
    ]
    later = issued_later(securities)
    headers = ["status", "applies from", "divest until", "disputed", "exchange", "security", "name"]
    return table(headers, rows) + ([later] if later else [])


def screen(answer: ScreenAnswer, today: bool = False) -> str:
    """The counts, then the holdings an order restricts (a table, each row's sentence under it), the
    clear ones, and those not found with suggestions."""
    from graph.plain import divest_cell, restriction_label, status_word

    counts = [f"{len(answer.affected)} restrictions", f"{len(answer.clear)} clear"]
    counts.append(f"{len(answer.unresolved)} not found")
    out = [f"{answer.holdings} holdings as of {answer.as_of}{today_note(today)}: {', '.join(counts)}"]
    if answer.affected:
        # A transaction ban's restriction says it is not on trading in the securities (review 34 H2).
        headers = ["holding", "security", "order", "restriction", "status", "from", "divest until", ""]
        rows = [
            [
                r.input,
                r.security.id,
                r.order.id,
                restriction_label(r.restriction, short=True),
                status_word(r),
                r.security_applies_from or "—",  # the security's own: the sentence beneath gives its issuer's
                divest_cell(r.divest_until, r.divest_time) or "—",
                "",
            ]
            for r in answer.affected
        ]
        header, *lines = table(headers, rows)
        out += ["", "affected:", f"  {header}"]
        for line, row in zip(lines, answer.affected, strict=True):
            out += [f"  {line}", f"      {row.sentence}"]
    if answer.clear:
        out += ["", "clear (no order restricts them that day):"]
        out += [f"  {c.input}  {c.security.id}  {c.security.name}" for c in answer.clear]
    if answer.unresolved:
        out += ["", "not found (fix and screen again):"]
        for u in answer.unresolved:
            hint = f" — did you mean {', '.join(u.suggestions)}?" if u.suggestions else ""
            out.append(f"  {u.input}: {u.problem}{hint}")
    return "\n".join(out)


def changes(found: Changes, today: bool = False) -> str:
    """The window, then each day with what began or ended on it and its first source."""
    out = [f"changes from {found.start} to {found.end}{today_note(today, '--to')}"]
    if not found.days:
        out.append("nothing began or ended in that window")
    for day in found.days:
        out.append(f"\n{day.date}")
        for change in day.changes:
            cited = first_url(change.sources, change.sources_note)
            what = "" if change.what == "event" else change.what  # an event reads as itself: "EO 1 signed"
            out.append(f"  {what:<6} {change.description}  ({cited}{_dated_by(change)})")
    return "\n".join(out)


def neighbours(sub: Subgraph, membership: Sequence[EditionCount] = ()) -> str:
    """The subgraph (:func:`subgraph`); centred on a list, first how many of each edition's members
    are shown, as ``show`` says, so nobody reads the lines below as the whole list."""
    from graph.labels import membership_text

    return "\n".join([*(membership_text(c) for c in membership), subgraph(sub)])


def paths(found: list[GraphPath]) -> str:
    return "\n".join(f"({i}) {one_path(p)}" for i, p in enumerate(found, 1))


def no_path(max_len: int, as_of: date | None, undated: int, skipped: Sequence[str]) -> str:
    r"""What ``path`` says when it finds none: how far it looked, and as of a day, how many paths it
    finds without the day (``undated``: through edges not all in force that day, perhaps never on one
    day together; :func:`graph.labels.paths_found`); else which edge kinds it skipped.

    >>> print(no_path(5, date(2021, 7, 1), 2, ["MENTIONS"]).replace("(", "\n("))
    no path of at most 5 edges on 2021-07-01
    (2 without --as-of, through edges not all in force that day)
    >>> no_path(1, None, 0, ["MENTIONS"])
    'no path of at most 1 edge (skipped: MENTIONS; --all-kinds walks them)'
    """
    from graph.labels import paths_found

    head = f"no path of at most {max_len} edge{'' if max_len == 1 else 's'}" + (
        f" on {as_of}" if as_of else ""
    )
    if as_of and undated:
        return f"{head} ({paths_found(undated)} without --as-of, through edges not all in force that day)"
    return head + (f" (skipped: {', '.join(skipped)}; --all-kinds walks them)" if skipped else "")


def stats(st: Stats) -> str:
    """The counts, each edge kind by its label (``listed on``) as every face names it, in the labels'
    alphabetical order; --json keeps the kinds."""
    from graph.labels import edge_label

    lines = [f"{st.nodes} nodes, {st.edges} edges, {st.unsourced_edges} unsourced", "nodes by kind:"]
    lines += [f"  {k:<16} {v}" for k, v in st.by_kind.items()]
    lines += ["edges by kind:"]
    labelled = sorted((edge_label(k), v) for k, v in st.by_edge_kind.items())
    lines += [f"  {label:<16} {v}" for label, v in labelled]
    return "\n".join(lines)


def _known_from(edge: EdgeRef) -> str:
    """The audit's note on an undated relation a cited source shows holding by a day, else nothing."""
    known = edge.properties.get("known_from") if edge.start is None else None
    return f"  (known to hold by {known})" if known else ""


def audit(report: AuditReport) -> str:
    def edges(title: str, refs: Sequence[EdgeRef]) -> list[str]:
        rows = [f"{title}: {len(refs)}"]
        rows += [f"  {e.id}  [{e.confidence}]{_known_from(e)}  {first_url(e.sources)}" for e in refs]
        return rows

    lines = [f"{report.edges} edges", "source kinds (citations, most authoritative first):"]
    lines += [f"  {kind:<9} {count}" for kind, count in report.source_kinds.items()]
    lines += ["hosts (edges citing it; edges citing nothing else):"]
    lines += [f"  {h.edges:>4} {h.only_source:>4}  {h.host}  ({', '.join(h.kinds)})" for h in report.hosts]
    lines += edges(
        "legal facts without an official, court, filing or exchange source", report.legal_without_primary
    )
    lines += edges("edges only the press or other sources back", report.secondary_only)
    lines += edges("edges with no start date", report.undated)
    lines += edges("edges marked likely or unverified", report.not_verified)
    missing = report.chinese_names_missing
    lines += [f"companies on a list or issuing a security with no Chinese name: {len(missing)}"]
    lines += [f"  {g.id}  {g.name}  ({_shortened(g.note or 'no note', 100)})" for g in missing]
    lines += [
        "companies whose Chinese names only the press or other sources quote: "
        f"{len(report.chinese_names_secondary_only)}"
    ]
    lines += [
        f"  {g.id}  {', '.join(g.aliases)}  ({', '.join(g.kinds) or 'no source quotes them'})"
        for g in report.chinese_names_secondary_only
    ]
    counts = report.chinese_name_counts
    lines += ["Chinese names (full / short), per name: quoted by a primary source; only by lesser ones:"]
    lines += [f"  {form:<5} {c.primary:>4} {c.secondary_only:>4}" for form, c in counts.forms()]
    full_gaps = report.chinese_full_names_without_primary
    lines += [
        "companies whose full Chinese name no official, court, filing or exchange source quotes: "
        f"{len(full_gaps)}"
    ]
    lines += [f"  {g.id}  {_backed_names(g.names)}" for g in full_gaps]
    return "\n".join(lines)


def _backed_names(names: Sequence[NameBacking]) -> str:
    """Each name with the kinds quoting it: ``丁科技股份有限公司 (full: other); 丁股份 (short: filing)``."""
    return "; ".join(
        f"{n.name} ({'full' if n.full else 'short'}: {', '.join(n.kinds) or 'no source quotes it'})"
        for n in names
    )


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns, the last one free to run long."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])] if rows else []
    lines = []
    for row in [headers, *rows]:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def sources(base: Any, found: Sequence[Any]) -> str:
    """The curated data built in (``base``: the folder it comes from), then each dataset loaded: a
    table whose columns widen to their longest cell (a long "seen" range, a long name), the counts
    right-aligned; the last column, where each came from or when it was loaded, runs free."""
    headers = ["dataset", "format", "records", "nodes", "edges", "seen", "loaded"]
    minimum = [24, 9, 7, 6, 6, 15]  # the widths the columns keep when every cell fits
    counts = {"records", "nodes", "edges"}
    rows = [headers]
    for d in [base, *found]:
        seen = f"{d.first_seen or '?'}..{d.last_seen or '?'}" if d.first_seen or d.last_seen else "-"
        loaded = f"built in: {d.path}" if d is base else d.loaded_at
        rows.append([d.name, d.format, str(d.records), str(d.nodes), str(d.edges), seen, str(loaded)])
    widths = [max(least, *(len(r[i]) for r in rows)) for i, least in enumerate(minimum)]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if header in counts else cell.ljust(width)
            for header, cell, width in zip(headers, row, widths, strict=False)
        ]
        # One space between the columns, two before the counts' neighbour "seen", as ever.
        lines.append(" ".join(cells[:5]) + "  " + " ".join([cells[5], row[6]]))
    if not found:
        lines.append("no sources loaded: the graph is the curated data alone (see `ordergraph load --help`)")
    for d in found:
        if d.left_out_unknown:
            load = f"ordergraph load {shlex.quote(d.path)} --format {d.format} --dataset {d.name}"
            lines.append(
                f"{d.name}: deltas refused until loaded again: loaded by an earlier ordergraph, which did "
                "not keep what the load left out (entities of schemas we skip, links to them); to fix: "
                f"ordergraph unload {d.name} && {load}"
            )
    aside = sum(d.set_aside for d in found)
    if aside:
        links = "link waits" if aside == 1 else "links wait"
        lines.append(
            f"{aside} {links} out of the graph for an end no dataset gives: ordergraph sources --set-aside"
        )
    return "\n".join(lines)


def set_aside(aside: Sequence[Any], how: str) -> list[str]:
    """What a command set aside, a line per dataset and missing node, and how to see it."""
    by_link: dict[tuple[str, str], int] = {}
    for item in aside:
        by_link[(item.dataset, item.node)] = by_link.get((item.dataset, item.node), 0) + 1
    lines = []
    for (dataset, node), count in by_link.items():
        links = "link" if count == 1 else "links"
        lines.append(f"  {count} {links} of {dataset} to {node} set aside: no dataset describes {node} now")
    if aside:
        lines.append(f"  they come back when a dataset gives those nodes again {how}")
        lines.append("  see them: ordergraph sources --set-aside")
    return lines


def review(page: Any, size: int) -> str:
    lines = [f"{s:5.1f}  {x}  {y}" for s, x, y in page.pairs] or ["no candidate pairs"]
    pairs = "pair" if len(page.pairs) == 1 else "pairs"
    if page.subjects:
        shown = f"entities {page.offset + 1}–{page.offset + page.subjects} of {page.total:,} compared"
    else:
        shown = f"no entities from {page.offset + 1} (there are {page.total:,})"
    if page.next_offset is None:
        follow = "the last page"
    else:
        follow = f"next: ordergraph resolve --review --offset {page.next_offset} --limit {size}"
    lines.append(f"{len(page.pairs)} {pairs}; {shown}; {follow}")
    return "\n".join(lines)


def sync_line(info: Mapping[str, Any] | None) -> str:
    """The last sync run in a line, with what to do when it did not complete."""
    if info is None:
        return "never synced: run `ordergraph neo4j sync`"
    run = f"last sync: #{info.get('generation')}"
    again = "run `ordergraph neo4j sync` again"
    if info.get("status") == "complete":
        return f"{run} complete, finished {_when(info.get('finished'))}"
    if info.get("status") == "running":
        return (
            f"{run} started {_when(info.get('started'))} and has not finished: it is running, "
            f"or it stopped with its server ({again})"
        )
    return f"{run} {info.get('status')}, at {_when(info.get('finished'))}: {again} (it converges)"


def _when(stamp: Any) -> str:
    """A time the server recorded (ISO, UTC) as ``2026-11-27 11:19:13 UTC``."""
    text = str(stamp or "")
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)", text):
        return text[:19].replace("T", " ") + " UTC"
    return text or "—"


def kinds_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "(empty)"


def _cell(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else _shown_value(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_NODE_KEYS = {"id", "labels", "properties"}
_RELATIONSHIP_KEYS = {"type", "start", "end", "properties"}


def _shown_value(value: Any) -> str:
    """A value in a table cell: a node as ``(:Company ORG:xiaomi "Xiaomi Corporation")``, a
    relationship as ``(ORG:xiaomi)-[:LISTED_ON 2021-01-14]->(LIST:DOD-1237)``, a path as its steps;
    anything else as JSON (``--json`` has every value whole)."""
    if isinstance(value, dict) and set(value) == _NODE_KEYS:
        labels = "".join(f":{label}" for label in value["labels"] if label != "Entity")
        name = value["properties"].get("name")
        return f"({labels} {value['id']}" + (f" {json.dumps(name, ensure_ascii=False)})" if name else ")")
    if isinstance(value, dict) and set(value) == _RELATIONSHIP_KEYS:
        start = value["properties"].get("start")
        return f"({value['start']})-[:{value['type']}{' ' + start if start else ''}]->({value['end']})"
    if isinstance(value, list) and len(value) % 2 == 1 and value and _is_path(value):
        steps = [_shown_value(value[0])]
        for rel, node in zip(value[1::2], value[2::2], strict=True):
            start = rel["properties"].get("start")
            arrow = f"-[:{rel['type']}{' ' + start if start else ''}]-"
            steps.append((arrow + ">" if rel["end"] == node["id"] else "<" + arrow) + _shown_value(node))
        return "".join(steps)
    return json.dumps(value, ensure_ascii=False)


def _is_path(items: list[Any]) -> bool:
    nodes, relationships = items[0::2], items[1::2]
    return all(isinstance(n, dict) and set(n) == _NODE_KEYS for n in nodes) and all(
        isinstance(r, dict) and set(r) == _RELATIONSHIP_KEYS for r in relationships
    )


def cypher_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], truncated: bool) -> str:
    """Rows as an aligned text table; long cells are cut (``--json`` has them whole)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', cut at --limit' if truncated else ''})")
    return "\n".join(lines)

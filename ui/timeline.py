"""An entity's timeline on its page: a chart of its dated events and a table of them, each row
with the order it is about and the most authoritative source (and, when that one does not give
the date, the site that does), drawn when the reader opens it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from graph.labels import event_kind_label
from graph.model import first_day, source_site
from graph.plain import day_note
from graph.query import timeline
from graph.store.base import GraphStore
from graph.views import TimelineEvent
from ui.panels import opened_panel
from ui.safe import md, safe_url

# The timeline table's event column holds about this many characters a line at the app's default
# width (1280 px, the table across the page); its rows grow to show up to TIMELINE_LINES lines
# (8 × 46 = 368: the longest events, Luokung's EO 13959 divest-window rows of about 300, wrap whole).
TIMELINE_LINE_CHARS = 46
# …at 300 px: characters a line for an event column of another width go as its width.
TIMELINE_LINE_WIDTH = 300
TIMELINE_LINES = 8
# The note column ("date as given by chinamobileltd.com") holds about this many characters a line:
# its rows grow for it as for the event, so no note is cut (a "small" column cut every note to its
# first two words). The date column is wide enough for a whole day (a "small" one broke 2021-01-1|4).
NOTE_LINE_CHARS = 20
DATE_WIDTH = 96
# The kind's longest word ("prohibitions", "announcement") on one line: at 78 px "prohibitio|ns" broke.
KIND_WIDTH = 104
EVENT_WIDTH = 274
SOURCE_WIDTH = 150
NOTE_WIDTH = 156
# The table's width at 1280 px (the sidebar open: 784 px, measured in Chromium) less a few to spare:
# the five widths above add up to it, so no column scrolls out of view (a "large" event column
# pushed the note past the table's right edge).
TABLE_WIDTH = 780
WRAPPED_ROW = 65
# The table is tall enough to show this many rows unscrolled (Streamlit's own height shows ten rows
# of its default height, 35 px: four or five of the timeline's wrapped ones); more rows scroll.
TABLE_ROWS_SHOWN = 15
DEFAULT_ROW = 35
# The header row is of the default height, whatever the rows' height; the grid's border adds 2 px.
TABLE_FRAME = DEFAULT_ROW + 2
# A source link shown as its site: https://www.law.justia.com/cases/… reads "law.justia.com".
SOURCE_SITE = r"^https?://(?:www\.)?([^/?#]+)"
# Events within this many days of each other get day-precise axis labels ("14 Jan 2021"), within
# MONTH_LABELS_WITHIN month labels ("Jan 2021"), beyond it year labels: Vega's own labels gave the
# year only at a January tick, so a span of December to February read "December … February".
DAY_LABELS_WITHIN = 90
MONTH_LABELS_WITHIN = 6 * 366
# At most about this many ticks on the axis: each a whole number of days, months or years apart.
MAX_TICKS = 12
# Steps between ticks, in months, that divide a year (ticks fall on the same months every year).
MONTH_STEPS = (1, 2, 3, 6)
# Events further apart than this are told apart as runs (China Mobile's 1997 listing, its 2020–22
# orders): drawn on one axis the story years were squeezed into its last twentieth.
APART_DAYS = 2 * 365
# The chart shows the busiest run alone when what it leaves out is at most this share of the events
# (each named under the chart, all in the table) and the run spans at most half the whole.
MOST_LEFT_OUT = 1 / 3
# Room left on the axis either side of the first and last dot, as a share of the span (a day at least).
AXIS_PAD = 0.03
LEFT_OUT_NAMED = 5


def focus(days: list[date]) -> tuple[date, date]:
    """The span the timeline chart shows: from the start of the run of events with the most in it
    (none more than APART_DAYS after the one before) to the newest event — the latest news is never
    left off — when that leaves out at most MOST_LEFT_OUT of them and spans at most half the whole;
    else from the first event to the last.

    >>> focus([date(1997, 10, 22), date(2020, 11, 12), date(2021, 1, 14), date(2022, 1, 8)])
    (datetime.date(2020, 11, 12), datetime.date(2022, 1, 8))
    >>> focus([date(2001, 2, 27), *[date(2021, m, 8) for m in range(1, 8)], date(2025, 1, 6)])
    (datetime.date(2021, 1, 8), datetime.date(2025, 1, 6))
    >>> focus([date(1997, 10, 22), date(2021, 1, 14)])  # half of the events: both shown
    (datetime.date(1997, 10, 22), datetime.date(2021, 1, 14))
    >>> focus([date(2020, 6, 24), date(2021, 1, 1), date(2022, 12, 1)])
    (datetime.date(2020, 6, 24), datetime.date(2022, 12, 1))
    """
    ordered = sorted(days)
    runs: list[list[date]] = [[ordered[0]]]
    for day in ordered[1:]:
        if (day - runs[-1][-1]).days > APART_DAYS:
            runs.append([])
        runs[-1].append(day)
    busiest = max(reversed(runs), key=len)  # a tie: the later run (the story years)
    whole = (ordered[-1] - ordered[0]).days
    left_out = sum(day < busiest[0] for day in ordered)  # the later runs stay: the newest is shown
    if 0 < left_out <= MOST_LEFT_OUT * len(ordered) and (ordered[-1] - busiest[0]).days <= whole / 2:
        return busiest[0], ordered[-1]
    return ordered[0], ordered[-1]


def _day(day: date) -> dict[str, int | bool]:
    """A day as a Vega-Lite date-time: its start, UTC, as the chart's dates come."""
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def axis_ticks(first: date, last: date) -> tuple[str, int, str]:
    """The time unit, the step (in units) between ticks and the label format for an axis from
    ``first`` to ``last``: days, months or years, never a tick finer than its label, so no two
    labels read the same (Vega's own ticks, weekly over five months, read "Jan 2021" four times).

    >>> axis_ticks(date(2021, 1, 5), date(2021, 2, 1))
    ('day', 3, '%-d %b %Y')
    >>> axis_ticks(date(2020, 12, 31), date(2021, 6, 8))
    ('month', 1, '%b %Y')
    >>> axis_ticks(date(2018, 10, 1), date(2022, 1, 14))
    ('month', 6, '%b %Y')
    >>> axis_ticks(date(2010, 5, 1), date(2022, 6, 3))
    ('year', 1, '%Y')
    """
    days = (last - first).days
    if days <= DAY_LABELS_WITHIN:
        return "day", max(1, -(-days // MAX_TICKS)), "%-d %b %Y"
    if days <= MONTH_LABELS_WITHIN:
        months = (last.year - first.year) * 12 + last.month - first.month
        step = next((s for s in MONTH_STEPS if months / s <= MAX_TICKS), MONTH_STEPS[-1])
        return "month", step, "%b %Y"
    return "year", max(1, -(-(last.year - first.year) // MAX_TICKS)), "%Y"


def timeline_chart(
    first: date, last: date, kinds: Sequence[str] = (), shown: Sequence[str] | None = None
) -> dict[str, Any]:
    """The timeline's dots as a Vega-Lite spec for events from ``first`` to ``last``, every x-axis
    label with its year and none repeated (:func:`axis_ticks`); st.scatter_chart draws the same
    through altair, whose import, ~0.5 s, would otherwise fall on the first visitor of every server
    process.

    >>> timeline_chart(date(2020, 12, 1), date(2021, 2, 1))["encoding"]["x"]["axis"]["format"]
    '%-d %b %Y'
    >>> timeline_chart(date(2020, 6, 24), date(2021, 6, 3))["encoding"]["x"]["axis"]["tickCount"]
    {'interval': 'month', 'step': 1}

    ``kinds``: every kind of the entity's events, the colour scale's domain, so that a kind keeps its
    colour when the chart shows only some of them (a focused chart: Vega gave the colours out anew
    over the kinds drawn); ``shown``, the kinds drawn, the only ones the legend lists.

    >>> color = timeline_chart(date(2021, 1, 1), date(2022, 1, 8), ["governs", "issues", "listed on"],
    ...                        ["governs", "listed on"])["encoding"]["color"]
    >>> color["scale"]["domain"], color["legend"]["values"]
    (['governs', 'issues', 'listed on'], ['governs', 'listed on'])
    """
    unit, step, label = axis_ticks(first, last)
    pad = timedelta(days=max(1, round((last - first).days * AXIS_PAD)))
    # An explicit domain: the chart's rows come after the chart is first drawn (Streamlit inserts
    # them), and a domain read from no rows logged Vega's "Infinite extent for field date".
    scale = {"domain": [_day(first - pad), _day(last + pad)]}
    axis = {
        "format": label,
        "tickCount": {"interval": unit, "step": step},
        "labelOverlap": True,
        "labelFlush": True,
    }
    color: dict[str, Any] = {"field": "kind", "type": "nominal", "title": "kind"}
    if kinds:
        color["scale"] = {"domain": list(kinds)}
        color["legend"] = {"values": list(kinds if shown is None else shown)}
    return {
        "mark": {"type": "circle", "size": 60},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "date", "axis": axis, "scale": scale},
            "y": {"field": "kind", "type": "nominal", "title": "kind"},
            "color": color,
            "tooltip": [
                {"field": "date", "type": "temporal", "title": "date", "format": "%Y-%m-%d"},
                {"field": "kind", "type": "nominal", "title": "kind"},
            ],
        },
    }


def timeline_ui(store: GraphStore, entity_id: str) -> None:
    """The dated events as a chart and a table, across the page's full width (app.py draws it below
    the entity and graph columns: in the entity's column the table showed two of its five columns,
    each cut), drawn when the reader opens them: the chart and the table are the two heaviest
    elements of Streamlit's front end (Vega, Arrow and the data grid, ~2 MB of JavaScript); a first
    page without them cost Chromium ~1 s less CPU (bench/RESULTS.md)."""
    events = timeline(store, entity_id).events
    if not events:
        st.subheader("Timeline (no dated events)", anchor=False)
        return
    panel = opened_panel(f"Timeline ({len(events)} dated events)", key="timeline")
    if panel is None:
        return
    # The chart places each event on its first day; the table gives the date as the sources do
    # ("2021-01" stays a month, not "2021-01-01 00:00:00") and the source to check it against.
    # Kinds read as both faces name them ("party to", "Signed"), never as keys (PARTY_TO, signed).
    chart = pd.DataFrame(
        [
            {
                "date": pd.Timestamp(first_day(e.date)),
                "kind": event_kind_label(e.kind, e.action),
                "event": e.description,
            }
            for e in events
        ]
    )
    notes = [e.sources_note or _dated_by(e) for e in events]
    # The note column only when a row has a note: its width then goes to the events, whose rows
    # (all as tall as the longest event's) grow less.
    with_notes = any(notes)
    event_width = EVENT_WIDTH if with_notes else EVENT_WIDTH + NOTE_WIDTH
    table = pd.DataFrame(
        [
            {
                "date": e.date,
                "kind": event_kind_label(e.kind, e.action),
                "event": e.description,
                "source": safe_url(e.sources[0].url) if e.sources else None,
            }
            | ({"note": note} if with_notes else {})
            for e, note in zip(events, notes, strict=True)
        ]
    )
    with panel:
        days = [first_day(e.date) for e in events]
        first, last = focus(days)
        shown = [first <= day <= last for day in days]
        kinds = sorted(set(chart["kind"]))  # Vega's own order for a nominal domain: colours as before
        drawn = sorted(set(chart[shown]["kind"]))
        st.vega_lite_chart(chart[shown], timeline_chart(first, last, kinds, drawn), height=260)
        apart = [e for e, on in zip(events, shown, strict=True) if not on]
        if apart:
            named = "; ".join(
                f"{md(e.date)} {md(event_kind_label(e.kind, e.action))}" for e in apart[:LEFT_OUT_NAMED]
            )
            more = f" and {len(apart) - LEFT_OUT_NAMED} more" if len(apart) > LEFT_OUT_NAMED else ""
            st.caption(
                f"The chart shows {md(first.isoformat())} to {md(last.isoformat())}, where "
                f"{len(events) - len(apart)} of the {len(events)} events fall; the table below lists "
                f"every one. Years apart, not on it: {named}{more}."
            )
        row_height = timeline_row_height(
            max(len(e.description) for e in events), max(len(n or "") for n in notes), event_width
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            # Tall enough rows that the longest event wraps whole (up to TIMELINE_LINES lines), and a
            # table tall enough for its rows (up to TABLE_ROWS_SHOWN).
            row_height=row_height,
            height=timeline_table_height(len(events), row_height),
            column_config={
                "date": st.column_config.TextColumn("date", width=DATE_WIDTH),
                "kind": st.column_config.TextColumn("kind", width=KIND_WIDTH),
                "event": st.column_config.TextColumn("event", width=event_width),
                # The link reads as its site (law.justia.com), the whole address one click away.
                "source": st.column_config.LinkColumn(
                    "source",
                    help="The most authoritative source (the note names the site giving the date if not it)",
                    display_text=SOURCE_SITE,
                    width=SOURCE_WIDTH,
                ),
                "note": st.column_config.TextColumn(
                    "note", help="Why a row cites no source, or which site gives its date", width=NOTE_WIDTH
                ),
            },
            placeholder="—",  # a row without a note or a source, never "None"
        )


def _dated_by(event: TimelineEvent) -> str | None:
    """ "date as given by SITE" when a row's first source does not give its date; "day announced
    ahead by …" (:func:`graph.plain.announced_ahead`) when no source states it and some only
    announced it."""
    return day_note(event.announced_by, event.dated_by, lambda source: source_site(source.url))


def timeline_table_height(rows: int, row_height: int | None) -> int:
    """The timeline table's height (px): its header and every row, up to TABLE_ROWS_SHOWN rows.

    >>> timeline_table_height(9, 65), timeline_table_height(40, 65), timeline_table_height(3, None)
    (622, 1012, 142)
    """
    return TABLE_FRAME + min(rows, TABLE_ROWS_SHOWN) * (row_height or DEFAULT_ROW)


def timeline_row_height(
    longest: int, longest_note: int = 0, event_width: int = TIMELINE_LINE_WIDTH
) -> int | None:
    """Row height (px) for events of up to ``longest`` characters in a column ``event_width`` wide
    and notes of up to ``longest_note``: one text line per TIMELINE_LINE_CHARS of an event (at
    TIMELINE_LINE_WIDTH, as many more as the column is wider) or NOTE_LINE_CHARS of a note, at most
    TIMELINE_LINES (a longer one opens whole on a click); None (one line, Streamlit's default) when
    every event and note fits on one. Streamlit wraps a cell's text only in rows taller than 4rem
    (64 px), so a row of two or three lines is WRAPPED_ROW tall.

    >>> timeline_row_height(40), timeline_row_height(40, 42), timeline_row_height(300, 42)
    (None, 65, 141)
    >>> timeline_row_height(295, 0, 430)  # EO 13959's longest, no note column: 5 lines, not 7
    103
    """
    line_chars = TIMELINE_LINE_CHARS * event_width // TIMELINE_LINE_WIDTH
    needed = max(-(-longest // line_chars), -(-longest_note // NOTE_LINE_CHARS))
    lines = min(TIMELINE_LINES, needed)
    if lines <= 1:
        return None
    return max(WRAPPED_ROW, 8 + 19 * lines)

"""Screen a portfolio: paste or upload tickers, get the affected holdings, download them as CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.errors import OrdergraphError
from graph.plain import divest_cell, restriction_label, status_word
from graph.screen import parse_tickers, screen, screen_csv
from graph.store.base import GraphStore
from ui.safe import md

MAX_UPLOAD = 2_000_000


def screen_ui(store: GraphStore, as_of: date) -> None:
    pasted = st.text_area(
        "Paste tickers (one a line, or CSV with a ticker column)",
        key="screen_text",
        placeholder="ticker\n0728.HK\nNYSE:CHL\n1810 HK",
    )
    upload = st.file_uploader("…or upload a CSV", type=["csv", "txt"], key="screen_file")
    text = pasted
    if upload is not None:
        raw = upload.getvalue()
        if len(raw) > MAX_UPLOAD:
            st.error(f"{md(upload.name)} is {len(raw):,} bytes; screen at most {MAX_UPLOAD:,} bytes at once.")
            return
        text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        st.caption("Every holding comes back: affected, clear, or unresolved with suggestions.")
        return
    try:
        tickers = parse_tickers(text)
    except OrdergraphError as exc:
        st.error(md(exc))
        return
    with st.spinner(f"Screening {len(tickers)} holdings…"):
        answer = screen(store, tickers, as_of)
    st.subheader(
        f"{len(answer.affected)} restrictions on {answer.holdings} holdings, {md(answer.as_of)}", anchor=False
    )
    if answer.affected:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "holding": r.input,
                        "security": r.security.name,
                        "order": r.order.name,
                        "status": status_word(r),
                        "restriction": restriction_label(r.restriction),
                        "applies from": r.security_applies_from,  # its own: the sentence gives its issuer's
                        "divest until": divest_cell(r.divest_until, r.divest_time) or None,
                        "sources disagree": r.disputed,
                        "in plain words": r.sentence,
                    }
                    for r in answer.affected
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if answer.clear:
        st.markdown(
            "**Clear that day:** " + ", ".join(f"{md(c.input)} ({md(c.security.name)})" for c in answer.clear)
        )
    for bad in answer.unresolved:
        hint = ", ".join(md(s) for s in bad.suggestions) or "nothing close"
        st.warning(f"**{md(bad.input)}** — {md(bad.problem.replace('_', ' '))}: suggestions: {hint}")
    st.download_button(
        "Download the screen as CSV",
        screen_csv(answer),
        file_name=f"screen-{answer.as_of}.csv",
        mime="text/csv",
        key="screen_download",
    )

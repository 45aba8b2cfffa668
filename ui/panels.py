"""Panels drawn only when the reader opens them: what a first page can do without."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def opened_panel(label: str, key: str) -> DeltaGenerator | None:
    """An expander that reruns the page when toggled; the container to draw into when it is open,
    None while it is closed (its contents then cost the page nothing)."""
    panel = st.expander(label, key=key, on_change="rerun")
    return panel if panel.open else None

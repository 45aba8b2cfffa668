"""The graph, opened once per process (not per rerun, not per visitor)."""

from __future__ import annotations

import streamlit as st

from graph.store.memory import MemoryStore
from loaders.workspace import load_memory_store
from ui.assets import install_static


@st.cache_resource(show_spinner="Opening the graph…")
def get_store() -> MemoryStore:
    """The embedded graph of the curated data (``ORDERGRAPH_DATA`` picks another folder)."""
    install_static()
    return load_memory_store()

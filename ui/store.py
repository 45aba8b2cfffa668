"""The graph, opened once per process (not per rerun, not per visitor)."""

from __future__ import annotations

import streamlit as st

from graph.store.memory import MemoryStore
from loaders.workspace import open_store
from ui.assets import install_static


@st.cache_resource(show_spinner="Opening the graph…")
def get_store() -> MemoryStore:
    """The workspace's graph when one exists (``ORDERGRAPH_HOME``, else ./.ordergraph), as the CLI reads it;
    else the embedded graph of the curated data (``ORDERGRAPH_DATA`` picks another folder)."""
    install_static()
    return open_store()

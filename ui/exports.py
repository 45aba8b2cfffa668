"""Exports of what is on screen: GraphML, GEXF, node-link JSON, CSV; the PNG is taken in the browser."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from functools import partial

import networkx as nx
import streamlit as st

from graph.export import EDGE_COLUMNS, NODE_COLUMNS, _csv, edge_record, node_record, to_networkx, to_node_link
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.views import Subgraph
from ui.panels import opened_panel


def on_screen(store: GraphStore, sub: Subgraph) -> MemoryStore:
    """The full models (kinds, dates, sources) of the nodes and edges on screen, as a store of their own."""
    nodes = [n for n in (store.get_node(ref.id) for ref in sub.nodes) if n is not None]
    edges = [e for e in (store.get_edge(ref.id) for ref in sub.edges) if e is not None]
    return MemoryStore.from_parts(nodes, edges)


def _graphml(part: MemoryStore) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_networkx(part), out)
    return out.getvalue()


def _gexf(part: MemoryStore) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(to_networkx(part), out)
    return out.getvalue()


def _node_link(part: MemoryStore) -> bytes:
    return json.dumps(to_node_link(part), ensure_ascii=False, indent=1).encode()


def _csv_zip(part: MemoryStore) -> bytes:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("nodes.csv", _csv((node_record(n) for n in part.nodes()), NODE_COLUMNS))
        archive.writestr("edges.csv", _csv((edge_record(e) for e in part.edges()), EDGE_COLUMNS))
    return zipped.getvalue()


# File name → (how the file is written, mime type), in the order of the buttons.
FORMATS: dict[str, tuple[Callable[[MemoryStore], bytes], str]] = {
    "ordergraph.graphml": (_graphml, "application/graphml+xml"),
    "ordergraph.gexf": (_gexf, "application/xml"),
    "ordergraph.json": (_node_link, "application/json"),
    "ordergraph-csv.zip": (_csv_zip, "application/zip"),
}


def files(part: MemoryStore) -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, mime type) for every export format."""
    return {name: (write(part), mime) for name, (write, mime) in FORMATS.items()}


def exports_ui(store: GraphStore, sub: Subgraph) -> None:
    """One button per format, drawn when the reader opens the panel (nine fewer elements for the
    browser to draw on every first page). A file is written when its button is clicked, not on
    every rerun: the page neither writes ~1 MB of exports per visit nor sends them to the browser."""
    label = f"Export what is on screen ({len(sub.nodes)} nodes, {len(sub.edges)} edges)"
    panel = opened_panel(label, key="exports")
    if panel is None:
        return
    with panel:
        columns = st.columns(4)
        for column, (name, (write, mime)) in zip(columns, FORMATS.items(), strict=True):
            column.download_button(
                "CSV (ZIP)" if name.endswith("-csv.zip") else name.split(".")[-1].upper(),
                partial(_on_click, write, store, sub),
                file_name=name,
                mime=mime,
                key=f"dl_{name}",
                # No rerun on click: a rerun gives the file a new id and drops the old one, which
                # the browser may still be asking for (on a busy server the click then got nothing).
                on_click="ignore",
            )
        st.caption("The PNG of the graph: the button under the graph. Files keep kinds, dates and sources.")


def _on_click(write: Callable[[MemoryStore], bytes], store: GraphStore, sub: Subgraph) -> bytes:
    return write(on_screen(store, sub))

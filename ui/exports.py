"""Exports of what is on screen: GraphML, GEXF, node-link JSON, CSV; the PNG is taken in the browser."""

from __future__ import annotations

import io
import json
import zipfile

import networkx as nx
import streamlit as st

from graph.export import EDGE_COLUMNS, NODE_COLUMNS, _csv, edge_record, node_record, to_networkx, to_node_link
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.views import Subgraph


def on_screen(store: GraphStore, sub: Subgraph) -> MemoryStore:
    """The full models (kinds, dates, sources) of the nodes and edges on screen, as a store of their own."""
    nodes = [n for n in (store.get_node(ref.id) for ref in sub.nodes) if n is not None]
    edges = [e for e in (store.get_edge(ref.id) for ref in sub.edges) if e is not None]
    return MemoryStore.from_parts(nodes, edges)


def files(part: MemoryStore) -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, mime type) for every export format."""
    graph = to_networkx(part)
    graphml, gexf = io.BytesIO(), io.BytesIO()
    nx.write_graphml(graph, graphml)
    nx.write_gexf(graph, gexf)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("nodes.csv", _csv((node_record(n) for n in part.nodes()), NODE_COLUMNS))
        archive.writestr("edges.csv", _csv((edge_record(e) for e in part.edges()), EDGE_COLUMNS))
    node_link = json.dumps(to_node_link(part), ensure_ascii=False, indent=1).encode()
    return {
        "ordergraph.graphml": (graphml.getvalue(), "application/graphml+xml"),
        "ordergraph.gexf": (gexf.getvalue(), "application/xml"),
        "ordergraph.json": (node_link, "application/json"),
        "ordergraph-csv.zip": (zipped.getvalue(), "application/zip"),
    }


def exports_ui(store: GraphStore, sub: Subgraph) -> None:
    with st.expander(f"Export what is on screen ({len(sub.nodes)} nodes, {len(sub.edges)} edges)"):
        columns = st.columns(4)
        for column, (name, (data, mime)) in zip(columns, files(on_screen(store, sub)).items(), strict=True):
            column.download_button(
                name.split(".")[-1].upper(), data, file_name=name, mime=mime, key=f"dl_{name}"
            )
        st.caption("The PNG of the graph: the button under the graph. Files keep kinds, dates and sources.")

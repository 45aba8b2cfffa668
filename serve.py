"""The app's server: `streamlit run serve.py` (what `make app` runs) serves app.py, warmed up first.

``streamlit run app.py`` works too, but then the first visitor of every server process waits
while the page's modules are imported (pandas, pyvis, networkx, the models: ~1 s) and the graph
is opened. Here that happens once, when the server starts, before it answers its health check:
Streamlit runs an ``st.App``'s lifespan hook after its runtime has started, so the graph opened
here is the one ``st.cache_resource`` hands to every visitor.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


def warm_up() -> None:
    """Import the page's modules and open the graph, as the first visitor would.

    A graph that cannot be opened (a bad data folder, say) does not stop the server: the error is
    logged here and shown on the page, to every visitor, as ``streamlit run app.py`` shows it.
    """
    # The panels app.py imports (not app.py itself: that is the page, run once per visit).
    import ui.affects
    import ui.changes
    import ui.entity
    import ui.exports
    import ui.paths
    import ui.screen
    import ui.search
    import ui.subgraph
    import ui.timeline  # noqa: F401
    from graph.errors import OrdergraphError
    from ui.store import get_store

    try:
        get_store()
    except OrdergraphError as exc:
        logging.getLogger("ordergraph").warning("the graph could not be opened at start: %s", exc)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    await asyncio.to_thread(warm_up)
    yield


app = st.App("app.py", lifespan=lifespan)

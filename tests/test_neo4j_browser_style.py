"""Neo4j Browser's captions: orders read "EO 13959" and securities "HKEX:1810", not "Executive 13…".

The style (tools.neo4j.server.BROWSER_STYLE) names properties; these tests hold it to what the sync
writes on every node it captions, render each caption as Browser does, and check the local server
applies the style on connecting and the cookbook gives it for other servers. Browser itself drawing
them so is tests/test_neo4j_browser.py's (Browser 5.24 through Chromium); the renderer here checks
every order and security of the curated graph, which that test cannot draw one by one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph import neo4j_rows
from graph.neo4j_sync import sync
from graph.store.memory import MemoryStore
from tools.neo4j import server

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"


def caption(template: str, props: dict[str, Any]) -> str:
    """A caption as Neo4j Browser 5.24 renders it (GraphStyle.interpolate): each ``{key}`` replaced
    by a string or number property, a list joined by ", ", anything else by nothing."""

    def value(match: re.Match[str]) -> str:
        found = props.get(match.group(1))
        if isinstance(found, list):
            return ", ".join(map(str, found))
        return str(found) if isinstance(found, str | int | float) else ""

    return re.sub(r"\{([^{}]*)\}", value, template)


def captioned_kinds() -> dict[str, str]:
    """Node kind → its caption template, for every label the style captions but ``Entity``."""
    return {
        selector.removeprefix("node."): rule["caption"]
        for selector, rule in server.BROWSER_STYLE.items()
        if selector.startswith("node.") and selector != "node.Entity" and "caption" in rule
    }


def test_every_captioned_node_the_sync_writes_has_what_its_caption_names(store: MemoryStore) -> None:
    kinds = captioned_kinds()
    assert set(kinds) == {"ExecutiveOrder", "Security"}
    for kind, template in kinds.items():
        nodes = list(store.nodes(kind))
        assert nodes
        for node in nodes:
            props = neo4j_rows.node_row(node)["props"]
            for key in re.findall(r"\{([^{}]*)\}", template):
                assert isinstance(props.get(key), str) and props[key], (node.id, key)
    eo = neo4j_rows.node_row(store.get_node("EO:13959"))["props"]  # type: ignore[arg-type]
    assert caption(kinds["ExecutiveOrder"], eo) == "EO 13959"
    security = neo4j_rows.node_row(store.get_node("SEC:HKEX:1810"))["props"]  # type: ignore[arg-type]
    assert caption(kinds["Security"], security) == "HKEX:1810"


def test_the_local_server_applies_the_style_on_connecting_and_the_cookbook_gives_it() -> None:
    command = server.browser_style_command()
    # Browser splits a post-connect command at each ";" outside quotes, and reads GraSS as JSON first.
    assert ";" not in command
    assert json.loads(command.removeprefix(":style ")) == server.BROWSER_STYLE
    assert f"browser.post_connect_cmd={command.removeprefix(':')}\n" in server.config_text(7687, 7474)
    assert f"    {command}\n" in COOKBOOK.read_text(encoding="utf-8")


@pytest.mark.neo4j
def test_the_synced_graph_captions_every_order_and_security_short(
    neo4j_empty: Driver, store: MemoryStore
) -> None:
    sync(neo4j_empty, list(store.nodes()), list(store.edges()))
    for kind, template in captioned_kinds().items():
        records, _, _ = neo4j_empty.execute_query(f"MATCH (n:{kind}) RETURN properties(n) AS props")
        captions = {caption(template, r["props"]) for r in records}
        assert len(captions) == len(records) == len(list(store.nodes(kind)))  # one each, none empty
        assert all(c and len(c) <= 16 for c in captions), captions
    records, _, _ = neo4j_empty.execute_query(
        "MATCH (o:ExecutiveOrder {number: '13959'}) RETURN properties(o) AS props"
    )
    assert caption(captioned_kinds()["ExecutiveOrder"], records[0]["props"]) == "EO 13959"

"""The Cypher builders, without a database: rows are native, exact and parameterised."""

from __future__ import annotations

import pytest

from graph import cypher, neo4j_rows
from graph.model import (
    Node,
    Source,
    edge_kinds,
    node_kinds,
)

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="official")]


@pytest.mark.parametrize("kind", ["Company; MATCH (n) DETACH DELETE n", "company", ""])
def test_labels_come_only_from_the_vocabulary(kind: str) -> None:
    with pytest.raises(ValueError):
        cypher.merge_nodes(kind, [])
    with pytest.raises(ValueError):
        cypher.merge_edges(kind, [])


def test_values_never_enter_the_query_text() -> None:
    hostile = "x'}) DETACH DELETE n //"
    node = Node(id="ORG:evil", kind="Company", name=hostile, aliases=[hostile])
    for query, params in (
        cypher.merge_nodes("Company", [neo4j_rows.node_row(node)]),
        cypher.get_nodes([hostile]),
        cypher.securities(hostile, hostile),
        cypher.word_candidates_every([[hostile]], hostile, [hostile], 5),
        cypher.word_candidates_weighed({hostile: 1}, hostile, [hostile], 5),
        cypher.nodes_by_identifier(hostile, hostile),
        cypher.get_edge(hostile),
    ):
        assert hostile not in query and "DETACH DELETE n //" not in query
        assert params
    for kind in node_kinds():
        assert kind in cypher.merge_nodes(kind, [])[0]
    for kind in edge_kinds():
        assert f":{kind} " in cypher.merge_edges(kind, [])[0]


def test_fulltext_text_is_escaped_not_parsed() -> None:
    assert cypher.fulltext_escape('Luokong OR name:* "x"') == 'Luokong \\OR name\\:\\* \\"x\\"'
    _, params = cypher.word_candidates_every([["or", 'name:*"x"']], "", None, 5)
    assert params["terms"] == '+(name_words:or name_words:name\\:\\*\\"x\\")'

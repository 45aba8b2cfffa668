"""The read-only, time-limited Cypher console (shown when the graph is read from Neo4j).

Every guard is :func:`graph.neo4j_console.run_read_only`'s, the function the CLI's
``cypher`` runs: the server plans the query first and anything that writes is
refused; it runs in a read transaction with a timeout; rows are capped. Values go
in as parameters (a JSON object, the CLI's ``-p``/``--param-json``), never into
the query's text; the server's warnings are shown as the CLI prints them. Values
are shown as data, every message as escaped text, never as markdown.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph.errors import OrdergraphError
from graph.neo4j_console import MAX_ROWS, params_from_json, run_read_only
from ui.safe import md, md_code

EXAMPLE = (
    "MATCH (c:Company)-[l:LISTED_ON]->(list:SanctionsList)\n"
    "RETURN list.name AS list, count(DISTINCT c) AS companies\nORDER BY companies DESC\nLIMIT $n"
)
EXAMPLE_PARAMS = '{"n": 10}'
# How the reader gives a $name the query lacks, named in the server's complaint.
PARAMS_HINT = 'the Parameters box (a JSON object: {"name": value})'


def cypher_console_ui(driver: Any) -> None:
    """A text box for one Cypher query, its answer as a table, and the refusal or error when there is one."""
    st.caption(
        "Read-only: queries that write are refused; each stops after its time limit. See docs/cypher.md."
    )
    query = st.text_area("Cypher", value=EXAMPLE, key="cypher_query", height=120)
    given = st.text_area(
        "Parameters (a JSON object)",
        value=EXAMPLE_PARAMS,
        key="cypher_params",
        height=68,
        help='Each $name in the query by name: {"ticker": "HKEX:1810", "n": 5}. Never pasted into it.',
    )
    timeout = st.slider("Time limit (seconds)", 1, 30, 10, key="cypher_timeout")
    if not st.button("Run", key="cypher_run"):
        return
    try:
        params = params_from_json(given)
        result = run_read_only(
            driver, query, params, timeout=float(timeout), max_rows=MAX_ROWS, params_hint=PARAMS_HINT
        )
    except OrdergraphError as exc:
        said, where = console_error(exc)
        st.error(md_code(said))
        if where:  # the query's line and the server's caret under the place it stopped reading
            st.code(where, language=None)
        return
    for warning in result.warnings:  # the server's, on the plan: a label not in the graph (a typo?)
        st.warning(f"Neo4j warns: {md(warning)}")
    rows = result.records()
    st.dataframe([{k: _shown(v) for k, v in row.items()} for row in rows], width="stretch")
    st.caption(
        f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
        + (f", cut at {MAX_ROWS}" if result.truncated else "")
    )


def console_error(exc: Exception) -> tuple[str, str]:
    r"""A refusal or error as (its sentence, the server's lines below it): the sentence as markdown
    reads it (a command in backticks as code, as the CLI writes it), the lines that follow — the
    query and a caret under where the server stopped — kept as they are, in a code block (in
    markdown they ran into one line and the caret pointed at nothing).

    >>> console_error(ValueError('Invalid input (line 1, column 10)\n"MATCH (n RETURN n"\n          ^'))
    ('Invalid input (line 1, column 10)', '"MATCH (n RETURN n"\n          ^')
    """
    said, _, where = str(exc).partition("\n")
    return said, where.rstrip()


def _shown(value: Any) -> Any:
    """Scalars as they are; lists, maps, nodes as JSON-like text (a table cell holds one value)."""
    import json

    return (
        value
        if isinstance(value, str | int | float | bool) or value is None
        else json.dumps(value, ensure_ascii=False)
    )

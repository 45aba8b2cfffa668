"""A whole Neo4j graph as plain data, to compare two graphs exactly: every node (labels, properties
and each property's Cypher type), every relationship (type, endpoint ids, properties, types), every
index and constraint. The sync run's times (``started``, ``finished``) are left out: they differ
between any two runs."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

RUN_TIMES = ("started", "finished")


def _item(props: dict[str, Any], types: list[list[str]], labels: list[str]) -> dict[str, Any]:
    out = {k: v for k, v in props.items() if not ("OrdergraphSync" in labels and k in RUN_TIMES)}
    return {"props": out, "types": {k: t for k, t in types if k in out}}


def dump(driver: Driver) -> dict[str, Any]:
    nodes = {}
    for r in driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props,"
        " [k IN keys(n) | [k, valueType(n[k])]] AS types"
    ).records:
        labels = sorted(r["labels"])
        key = (tuple(labels), r["props"].get("id") or r["props"].get("name"))
        assert key not in nodes, key
        nodes[key] = {"labels": labels, **_item(r["props"], r["types"], labels)}
    relationships = {}
    for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props,"
        " [k IN keys(r) | [k, valueType(r[k])]] AS types"
    ).records:
        key = (r["type"], r["props"].get("id"))
        assert key not in relationships, key
        relationships[key] = {"ends": (r["source"], r["target"]), **_item(r["props"], r["types"], [])}
    indexes = sorted(
        (r["name"], r["type"], r["entityType"], tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()),
         repr(sorted((r["options"] or {}).items())), r["state"], r["owningConstraint"])
        for r in driver.execute_query(
            "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, options, state,"
            " owningConstraint"
        ).records
    )  # fmt: skip
    constraints = sorted(
        (r["name"], r["type"], r["entityType"], tuple(r["labelsOrTypes"]), tuple(r["properties"]))
        for r in driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties"
        ).records
    )
    return {"nodes": nodes, "relationships": relationships, "indexes": indexes, "constraints": constraints}

"""Nodes and edges as Neo4j property maps, and back: the rows every sync writes and the
models rebuilt from what a read returns. No Cypher here (:mod:`graph.cypher`).

How the graph reads in Neo4j (the shape hand-written Cypher relies on):

- every node is ``(:Entity:<Kind> {id, kind, name, aliases, …})`` — ``:Company``,
  ``:ExecutiveOrder``, ``:Security``…; its properties are native values
  (``s.exchange = 'EXCH:HKEX'``, ``s.code = '1810'``, ``s.ticker = 'HKEX:1810'``,
  ``o.number = '13959'``), its sources two lists in one order, most
  authoritative first — ``source_urls`` and ``source_kinds`` (``'official'``,
  ``'court'``…) — and the full source records as a JSON string ``sources``,
  its identifiers a list
  ``identifier_keys`` (``'isin:HK0000000007'``; the JSON ``identifiers`` only
  when the keys cannot give them back), where it came from in ``provenance``
  (JSON); other values other datasets give
  for a property in ``disputed`` (JSON) with ``disputed_fields`` (a list);
- every edge is a relationship of its kind's type (``-[:LISTED_ON]->``) carrying
  its own ``id``, ``start``/``end`` (the exact ISO-prefix strings), ``confidence``,
  ``note``, the source lists, ``sources`` and ``disputed`` (JSON), ``identifier_keys``
  and ``provenance`` as on nodes, and its typed
  properties natively (``reaches_subsidiaries: false``, ``applies_to: ['ORG:…']``,
  ``later_delay_days: 60``);
- ``seq`` on nodes and relationships is the write order (answers list edges in
  it, as every store does); ``name_words`` (the indexed words of every
  name, :func:`graph.store.words.node_words`), ``name_keys`` (each name and
  alias normalised, :func:`graph.store.words.exact_keys`, its spaces no-break
  ones), ``code_key`` and ``exchange_key`` feed the store's index lookups
  (:mod:`graph.store.neo4j`); ``digest`` and ``sync`` are the bulk sync's
  (:mod:`graph.neo4j_sync`); reads leave these out (:func:`graph.cypher.node_map`); the version
  those keys were computed by is recorded on one ``(:OrdergraphKeys)`` node
  (:func:`graph.cypher.keys_version`), checked by the reads through them;
- every date ``x`` also gets native ``date`` bounds ``x_from`` and ``x_to``, the
  first and last day it can mean (``"2021-05"`` → 2021-05-01 … 2021-05-31), so
  range filters read ``WHERE r.start_from <= date('2021-03-01')``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import orjson

from graph.model import (
    Edge,
    Node,
    PropertyValue,
    Provenance,
    Source,
    first_day,
    is_date,
    last_day,
    vocabulary,
)
from graph.names import code_key
from graph.store.words import node_index

# Properties that hold dates, and so get native bounds. Named, not guessed: a
# security code such as "1810" reads like a year.
NODE_DATE_PROPERTIES = frozenset(
    {"signed", "published", "effective", "prohibitions_from", "filed", "date", "public_inspection", "issued"}
)


@lru_cache(maxsize=1)
def edge_date_properties() -> frozenset[str]:
    """Edge properties holding dates: the schema's typed dates, plus a few free ones."""
    typed = {k for k, t in vocabulary().edge_properties.items() if t == "date"}
    return frozenset({"start", "end", "edition", "fr_published"} | typed)


# Keys the mapping itself writes; a model property of the same name travels in `extra`.
_COMMON_KEYS = frozenset(
    {"id", "kind", "source_urls", "source_kinds", "sources", "identifiers"}
    | {"identifier_keys", "datasets", "provenance"}
    | {"property_keys", "extra", "sync", "digest"}
)
_NODE_KEYS = _COMMON_KEYS | {
    "name",
    "aliases",
    "ticker",
    "seq",
    "name_words",
    "name_keys",
    "code_key",
    "exchange_key",
}
_NODE_KEYS |= {"disputed", "disputed_fields", "claims"}
_EDGE_KEYS = _COMMON_KEYS | {"start", "end", "confidence", "note", "disputed", "disputed_fields", "seq"}

# How an exact name key (graph.store.words.exact_keys) is one whole token for the whitespace
# analyzer: its spaces as no-break spaces, which Lucene's whitespace tokenizer does not split on
# and graph.names.fold never leaves in a name.
_KEY_SPACE = "\u00a0"


def _json(value: Any) -> str:
    """Any property value exactly (NaN included, which orjson would write as null)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Sources, identifiers and provenance are written with orjson (compact, UTF-8): a bulk sync
# encodes three per item, and the standard library's encoder was the largest cost of its rows.
def _identifiers_json(identifiers: dict[str, list[str]]) -> str:
    return orjson.dumps(identifiers, option=orjson.OPT_SORT_KEYS).decode()


def _dumped(models: Iterable[Source | Provenance]) -> str:
    # Both models are flat records of strings: their fields, Nones left out, are exactly what
    # model_dump(mode="json", exclude_none=True) gives, in field order, at a tenth of its cost.
    return orjson.dumps([{k: v for k, v in m.__dict__.items() if v is not None} for m in models]).decode()


def _common(
    sources: list[Source], identifiers: dict[str, list[str]], provenance: list[Provenance]
) -> dict[str, Any]:
    """Sources, identifiers and provenance: native lists to filter on, exact JSON to rebuild from.

    The datasets are provenance's (``Node.datasets``): not stored twice.
    """
    out = {
        "source_urls": [s.url for s in sources],
        # Beside each URL, in its order (most authoritative first): what Cypher filters and ranks on.
        # Publishers stay in `sources`: a list of them cost ~20% more server CPU on a fresh sync.
        "source_kinds": [s.kind for s in sources],
        "sources": _dumped(sources),
        "provenance": _dumped(provenance),
    }
    # Every string or list property costs Neo4j dynamic-store records: none when there is nothing to
    # list, and the identifiers' JSON only when their keys cannot give them back exactly.
    if identifiers:
        out["identifier_keys"] = identifier_keys(identifiers)
        # The keys give the identifiers back (identifiers_from_keys) unless a scheme lists no value
        # or holds the ``:`` a scheme ends at; checked so, not by rebuilding them for every item.
        if not all(values and ":" not in scheme for scheme, values in identifiers.items()):
            out["identifiers"] = _identifiers_json(identifiers)
    return out


def identifier_keys(identifiers: dict[str, list[str]]) -> list[str]:
    """``scheme:value`` for every identifier, schemes in order, each scheme's values as given.

    >>> identifier_keys({"ticker": ["HKEX:0001"], "isin": ["HK2", "HK1"]})
    ['isin:HK2', 'isin:HK1', 'ticker:HKEX:0001']
    """
    return [f"{scheme}:{v}" for scheme in sorted(identifiers) for v in identifiers[scheme]]


def identifiers_from_keys(keys: Iterable[str]) -> dict[str, list[str]]:
    """The identifiers back from :func:`identifier_keys` (a scheme ends at the first ``:``).

    >>> identifiers_from_keys(['isin:HK2', 'isin:HK1', 'ticker:HKEX:0001'])
    {'isin': ['HK2', 'HK1'], 'ticker': ['HKEX:0001']}
    """
    out: dict[str, list[str]] = {}
    for key in keys:
        scheme, _, value = key.partition(":")
        out.setdefault(scheme, []).append(value)
    return out


def _native(value: PropertyValue) -> bool:
    """Whether Neo4j stores ``value`` as it is: a scalar, or a list of one scalar type."""
    if type(value) is str:  # most values: decided without the checks below
        return True
    if value is None:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        types = {type(v) for v in value}
        return len(types) == 1 and None not in value and all(_native(v) for v in value)
    return True


def _date_bounds(name: str, value: PropertyValue) -> dict[str, date]:
    bounds = _bounds(value) if isinstance(value, str) else None
    return {} if bounds is None else {f"{name}_from": bounds[0], f"{name}_to": bounds[1]}


# A corpus has a few thousand distinct dates on a hundred thousand items: check and bound each once.
@lru_cache(maxsize=65536)
def _bounds(text: str) -> tuple[date, date] | None:
    return (first_day(text), last_day(text)) if is_date(text) else None


def _properties(
    properties: dict[str, PropertyValue], reserved: Collection[str], dated: frozenset[str]
) -> dict[str, Any]:
    """Model properties as native Neo4j values, date bounds beside dates.

    What Neo4j cannot store as is (null, a mixed list) or what would clash with
    a key of the mapping (``reserved``: its own keys and those already in the
    map) or with a date bound goes, exactly, into the JSON string ``extra``.
    Every other key of the map is a model property (:func:`_model_properties`
    tells them apart), so the model's keys need no list of their own.
    """
    out: dict[str, Any] = {}
    extra: dict[str, PropertyValue] = {}
    derived: dict[str, date] = {}
    if not dated.isdisjoint(properties):
        for name, value in properties.items():
            if name in dated and name not in reserved:
                derived.update(_date_bounds(name, value))
    for name, value in properties.items():
        if name in reserved or name in derived or not _native(value):
            extra[name] = value
        else:
            out[name] = value
    out.update(derived)
    if extra:
        out["extra"] = _json(extra)
    return out


def name_lookup(node: Node) -> tuple[str, list[str]]:
    """The node's ``name_words`` and ``name_keys``, from one reading of its names
    (:func:`graph.store.words.node_index`).

    ``name_words``: its indexed name words (:func:`graph.store.words.node_words`), space-separated;
    the words index (a whitespace full-text index) finds a node by each of them as a whole term, as
    every store's name index does. ``name_keys``: its exact name keys
    (:func:`graph.store.words.exact_keys`), each one whole token of the lookup index (spaces as
    no-break spaces), what an exact-name lookup finds it by.

    >>> words, keys = name_lookup(Node(id="ORG:z", kind="Company", name="ZTE Corp",
    ...     aliases=["ZTE Corporation", "Zhongxing Telecom", "中兴通讯"]))
    >>> words
    'zte zhongxing telecom 中兴 兴通 通讯'
    >>> [k.replace("\u00a0", "+") for k in keys]
    ['zte', 'zhongxing+telecom', '中兴通讯']
    """
    words, keys = node_index(node)
    return " ".join(words), [name_key(key) for key in keys]


def name_key(key: str) -> str:
    """An exact name key (:func:`graph.store.words.exact_keys`) as the lookup index holds it."""
    return key.replace(" ", _KEY_SPACE)


def node_row(node: Node, sync: int | None = None, seq: int = 0) -> dict[str, Any]:
    """A node as ``{id, seq, props}``: ``props`` is its whole Neo4j property map.

    >>> row = node_row(Node(id="SEC:HKEX:1810", kind="Security", name="Xiaomi (HKEX 1810)",
    ...                     properties={"exchange": "EXCH:HKEX", "code": "1810"}))
    >>> row["props"]["ticker"], row["props"]["code"], node_from_record(row["props"]).properties
    ('HKEX:1810', '1810', {'code': '1810', 'exchange': 'EXCH:HKEX'})
    """
    props: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "name": node.name,
        "aliases": list(node.aliases),
        **_common(node.sources, node.identifiers, node.provenance),
    }
    props.update(_properties(node.properties, _NODE_KEYS, NODE_DATE_PROPERTIES))
    props["name_words"], props["name_keys"] = name_lookup(node)
    if node.disputed:
        props["disputed"] = orjson.dumps(
            [d.model_dump(mode="json", exclude_none=True) for d in node.disputed]
        ).decode()
        props["disputed_fields"] = sorted({d.field for d in node.disputed})
    if node.claims:
        props["claims"] = orjson.dumps(
            [c.model_dump(mode="json", exclude_none=True) for c in node.claims]
        ).decode()
    if node.kind == "Security":
        exchange = str(node.properties.get("exchange", "")).removeprefix("EXCH:")
        code = str(node.properties.get("code", ""))
        props["exchange_key"], props["code_key"] = exchange, code_key(code)
        if exchange and code:
            props["ticker"] = f"{exchange}:{code}"
    if sync is not None:
        props["sync"] = sync
    return {"id": node.id, "seq": seq, "props": props}


def edge_row(edge: Edge, sync: int | None = None, seq: int = 0) -> dict[str, Any]:
    """An edge as ``{id, kind, seq, source, target, props}``: ``props`` is its relationship property map.

    >>> from graph.model import Source
    >>> e = Edge(id="e1", kind="LISTED_ON", source="ORG:x", target="LIST:y", start="2021-01",
    ...          confidence="verified",
    ...          sources=[Source(url="https://example.org/a", title="t", publisher="p", kind="official")])
    >>> props = edge_row(e)["props"]
    >>> props["start"], props["start_from"], props["start_to"], props["source_urls"]
    ('2021-01', datetime.date(2021, 1, 1), datetime.date(2021, 1, 31), ['https://example.org/a'])
    """
    props: dict[str, Any] = {
        "id": edge.id,
        "kind": edge.kind,
        "confidence": edge.confidence,
        **_common(edge.sources, edge.identifiers, edge.provenance),
    }
    for name, value in (("start", edge.start), ("end", edge.end)):
        if value is not None:
            props[name] = value
            props.update(_date_bounds(name, value))
    if edge.note is not None:
        props["note"] = edge.note
    if edge.disputed:
        props["disputed"] = orjson.dumps(
            [d.model_dump(mode="json", exclude_none=True) for d in edge.disputed]
        ).decode()
        props["disputed_fields"] = sorted({d.field for d in edge.disputed})
    # The edge's own date bounds (start_from…) are taken too: a model property of that name goes to extra.
    if edge.properties:
        props.update(_properties(edge.properties, _EDGE_KEYS | props.keys(), edge_date_properties()))
    if sync is not None:
        props["sync"] = sync
    return {
        "id": edge.id,
        "kind": edge.kind,
        "seq": seq,
        "source": edge.source,
        "target": edge.target,
        "props": props,
    }


def node_from_record(props: dict[str, Any]) -> Node:
    """The model back from a node's property map (as :func:`node_row` wrote it)."""
    return Node(
        id=props["id"],
        kind=props["kind"],
        name=props["name"],
        aliases=list(props.get("aliases") or []),
        properties=_model_properties(props, _NODE_KEYS, NODE_DATE_PROPERTIES),
        disputed=json.loads(props.get("disputed") or "[]"),
        claims=json.loads(props.get("claims") or "[]"),
        **_rebuilt(props),
    )


def edge_from_record(props: dict[str, Any], source: str, target: str) -> Edge:
    """The model back from a relationship's property map and its endpoint ids."""
    return Edge(
        id=props["id"],
        kind=props["kind"],
        source=source,
        target=target,
        start=props.get("start"),
        end=props.get("end"),
        confidence=props["confidence"],
        note=props.get("note"),
        properties=_model_properties(props, _EDGE_KEYS, edge_date_properties()),
        disputed=json.loads(props.get("disputed") or "[]"),
        **_rebuilt(props),
    )


def _rebuilt(props: dict[str, Any]) -> dict[str, Any]:
    """Sources, identifiers and provenance from their JSON (identifiers from their keys when they have
    none; provenance left to its default if absent)."""
    text = props.get("identifiers")
    keys = props.get("identifier_keys") or ()
    out: dict[str, Any] = {
        "sources": list(_sources(props.get("sources") or "[]")),
        "identifiers": json.loads(text) if text else identifiers_from_keys(keys),
    }
    provenance = _provenance(props.get("provenance") or "[]")
    if provenance:
        out["provenance"] = list(provenance)
    return out


# The same few source lists recur on hundreds of edges: parse and validate each text once.
@lru_cache(maxsize=4096)
def _sources(text: str) -> tuple[Source, ...]:
    return tuple(Source.model_validate(s) for s in json.loads(text))


@lru_cache(maxsize=256)
def _provenance(text: str) -> tuple[Provenance, ...]:
    return tuple(Provenance.model_validate(p) for p in json.loads(text))


def _model_properties(
    props: dict[str, Any], reserved: frozenset[str], dated: frozenset[str]
) -> dict[str, PropertyValue]:
    """The model's properties (in key order): every key of the map that is neither the mapping's
    own nor the date bound of a date property, and the exact values kept in ``extra``."""
    out: dict[str, PropertyValue] = json.loads(props.get("extra") or "{}")
    for name, value in props.items():
        if name not in reserved and name not in out and not _is_bound(name, props, dated):
            out[name] = _plain(value)
    return dict(sorted(out.items()))


def _is_bound(name: str, props: dict[str, Any], dated: frozenset[str]) -> bool:
    """Whether ``name`` is ``x_from`` or ``x_to`` of a date property ``x`` of the map (as written)."""
    base = name[:-5] if name.endswith("_from") else name[:-3] if name.endswith("_to") else None
    if base is None or base not in dated:
        return False
    value = props.get(base)
    return isinstance(value, str) and _bounds(value) is not None


def _plain(value: Any) -> PropertyValue:
    return list(value) if isinstance(value, list | tuple) else value

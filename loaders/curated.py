"""The hand-curated dataset in ``data/``: YAML files → nodes and edges.

The format is described in ``data/README.md``. Loading is all-or-nothing:
every problem found is reported with file, line and field, and nothing is
returned unless the whole folder is valid.

>>> ds = read_dataset("tests/fixtures/mini")
>>> len(ds.nodes), ds.edges[0].kind
(17, 'ISSUED_BY')
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from graph.errors import LoadError, LoadErrors
from graph.model import (
    BAD_DATE,
    NOT_NAMED_BY,
    Edge,
    Node,
    Source,
    edge_endpoints,
    edge_id,
    is_date,
    vocabulary,
)
from graph.naming import with_not_named_by
from loaders.yaml_lines import LineDict, LineList, load_yaml

TOP_KEYS = frozenset({"nodes", "edges", "sources", "names"})
NAME_KEYS = frozenset({"node", "aliases", "no_chinese_name", "sources"})
ORDER_REQUIRED = ("number", "title", "signed", "published", "effective", "fr_citation", "fr_doc")
ORDER_DATES = ("signed", "published", "effective", "prohibitions_from")


@dataclass
class Dataset:
    """Validated nodes and edges, in file order."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


@dataclass
class _Raw:
    """One parsed file: its mappings, with where they came from."""

    file: str
    sources: dict[str, LineDict]
    nodes: list[tuple[int, LineDict]]
    edges: list[tuple[int, LineDict]]
    names: list[tuple[int, LineDict]] = field(default_factory=list)


def _line_for(item: LineDict, loc: Iterable[int | str]) -> int:
    """The line of the deepest part of ``item`` that ``loc`` still finds."""
    line = item.line
    current: Any = item
    for part in loc:
        found = (isinstance(current, LineDict) and isinstance(part, str) and part in current) or (
            isinstance(current, LineList) and isinstance(part, int) and part < len(current)
        )
        if not found:
            break
        line = current.line_of(part)
        current = current[part]
    return line


def _named_part(item: LineDict, loc: list[int | str], message: str) -> int | str | None:
    """The key or index a model validator's message names first ("applies_from: …", "[0] …")."""
    if loc not in (["properties"], ["disputed"]):
        return None
    head = message.split(":", 1)[0].split(" ", 1)[0]
    if loc == ["disputed"] and head.startswith("[") and head.endswith("]") and head[1:-1].isdigit():
        return int(head[1:-1])
    container = item.get(str(loc[0]))
    return head if isinstance(container, LineDict) and head in container else None


def _validation_errors(exc: ValidationError, file: str, item: LineDict, prefix: str) -> Iterator[LoadError]:
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, (int, str))]
        message = err["msg"].removeprefix("Value error, ")
        named = _named_part(item, loc, message)
        if named is not None:
            loc.append(named)
            message = message.split(" ", 1)[1] if isinstance(named, int) else message.split(": ", 1)[1]
        where = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
        if err["type"] == "literal_error":
            message = f"{err['input']!r} is not allowed; {message[0].lower()}{message[1:]}"
        yield LoadError(file, _line_for(item, loc), where, message)


def _parse_file(path: Path) -> _Raw:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(file, None, None, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise LoadError(file, None, None, f"cannot read: {exc.strerror or exc}") from None
    doc = load_yaml(text, file)
    if doc is None:
        doc = LineDict()
        doc.key_lines = {}
    if not isinstance(doc, LineDict):
        raise LoadError(file, 1, None, "top level must be a mapping with nodes/edges/sources")
    for key in doc:
        if key not in TOP_KEYS:
            raise LoadError(file, doc.line_of(key), key, f"unknown key; use {sorted(TOP_KEYS)}")
    sources = doc.get("sources") or LineDict()
    if not isinstance(sources, LineDict):
        raise LoadError(file, doc.line_of("sources"), "sources", "must be a mapping key → source")

    def items(key: str) -> list[tuple[int, LineDict]]:
        seq = doc.get(key) or LineList()
        if not isinstance(seq, LineList):
            raise LoadError(file, doc.line_of(key), key, "must be a list")
        out = []
        for i, item in enumerate(seq):
            if not isinstance(item, LineDict):
                raise LoadError(file, seq.line_of(i), f"{key}[{i}]", "must be a mapping")
            out.append((i, item))
        return out

    return _Raw(file, dict(sources), items("nodes"), items("edges"), items("names"))


class _SourceResolver:
    """Turns source references (registry keys, ``{ref: …}``, inline) into Source dicts."""

    def __init__(self, registry: dict[str, tuple[str, LineDict]]) -> None:
        self.registry = registry

    def resolve(self, item: LineDict, key: str, file: str, where: str) -> list[Any]:
        refs = item.get(key)
        if refs is None:
            return []
        if not isinstance(refs, LineList):
            raise LoadError(file, item.line_of(key), f"{where}.{key}", "must be a list")
        out: list[Any] = []
        for i, ref in enumerate(refs):
            line = refs.line_of(i)
            if isinstance(ref, str):
                out.append(self._lookup(ref, file, line, f"{where}.{key}[{i}]"))
            elif isinstance(ref, LineDict) and "ref" in ref:
                base = dict(self._lookup(str(ref["ref"]), file, line, f"{where}.{key}[{i}]"))
                base.update({k: v for k, v in ref.items() if k != "ref"})
                out.append(base)
            else:
                out.append(ref)
        return out

    def _lookup(self, key: str, file: str, line: int, where: str) -> dict[str, Any]:
        if key not in self.registry:
            raise LoadError(file, line, where, f"unknown source key {key!r}")
        return dict(self.registry[key][1])


def _build_registry(raws: list[_Raw], errors: list[LoadError]) -> dict[str, tuple[str, LineDict]]:
    registry: dict[str, tuple[str, LineDict]] = {}
    for raw in raws:
        for key, value in raw.sources.items():
            if key in registry:
                errors.append(
                    LoadError(
                        raw.file, None, f"sources.{key}", f"duplicate source key (also in {registry[key][0]})"
                    )
                )
                continue
            if not isinstance(value, LineDict):
                errors.append(LoadError(raw.file, None, f"sources.{key}", "must be a mapping"))
                continue
            try:
                Source.model_validate(dict(value))
            except ValidationError as exc:
                errors.extend(_validation_errors(exc, raw.file, value, f"sources.{key}"))
                continue
            registry[key] = (raw.file, value)
    return registry


def identifiers_from_properties(properties: dict[str, object]) -> dict[str, list[str]]:
    """Identifiers a curated node or edge states as properties (ISIN, FR document, EO number…): the
    properties ``graph/schema.yaml`` says state a scheme (``stated_as``), and exchange with code.

    >>> identifiers_from_properties({"exchange": "EXCH:HKEX", "code": "1810", "isin": "KYG9830T1067"})
    {'isin': ['KYG9830T1067'], 'ticker': ['HKEX:1810']}
    >>> identifiers_from_properties({"number": "13959", "fr_doc": "2020-25459"})
    {'fr_doc': ['2020-25459'], 'eo_number': ['13959']}
    """
    found: dict[str, list[str]] = {}
    for name, scheme in vocabulary().identifier_properties.items():
        value = properties.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            found.setdefault(scheme, []).append(str(value))
    exchange, code = properties.get("exchange"), properties.get("code")
    if isinstance(exchange, str) and exchange.startswith("EXCH:") and isinstance(code, str):
        found["ticker"] = [f"{exchange[5:]}:{code}"]
    return found


def _with_identifiers(data: dict[str, object]) -> dict[str, object]:
    properties = data.get("properties")
    if "identifiers" not in data and isinstance(properties, dict):
        found = identifiers_from_properties(properties)
        url = properties.get("url")
        if data.get("kind") == "Document" and isinstance(url, str):
            found["url"] = [url]  # an article is the page it was published at
        data["identifiers"] = found
    return data


@dataclass
class _Names:
    """Names of a node given apart from it (``names:`` blocks), each with its sources."""

    aliases: list[str] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    where: list[tuple[str, int]] = field(default_factory=list)
    no_chinese_name: str | None = None


def _collect_names(raws: list[_Raw], resolver: _SourceResolver, errors: list[LoadError]) -> dict[str, _Names]:
    """Every ``names:`` entry by node id: ``{node, aliases | no_chinese_name, sources}``, sources required."""
    found: dict[str, _Names] = {}
    for raw in raws:
        for i, item in raw.names:
            where = f"names[{i}]"
            unknown = sorted(set(item) - NAME_KEYS)
            node_id, aliases = item.get("node"), item.get("aliases")
            absent = item.get("no_chinese_name")
            if unknown:
                errors.append(
                    LoadError(raw.file, item.line_of(unknown[0]), f"{where}.{unknown[0]}", "unknown key")
                )
            elif not isinstance(node_id, str):
                errors.append(LoadError(raw.file, item.line, f"{where}.node", "must be a node id"))
            elif "no_chinese_name" in item and "aliases" in item:
                errors.append(
                    LoadError(
                        raw.file,
                        item.line_of("no_chinese_name"),
                        f"{where}.no_chinese_name",
                        "give aliases or no_chinese_name, not both",
                    )
                )
            elif "no_chinese_name" in item and not (isinstance(absent, str) and absent.strip()):
                errors.append(
                    LoadError(
                        raw.file,
                        item.line_of("no_chinese_name"),
                        f"{where}.no_chinese_name",
                        "must say why no Chinese name is given",
                    )
                )
            elif "no_chinese_name" not in item and (
                not isinstance(aliases, LineList)
                or not aliases
                or not all(isinstance(a, str) and a.strip() for a in aliases)
            ):
                errors.append(LoadError(raw.file, item.line, f"{where}.aliases", "must be a list of names"))
            else:
                try:
                    sources = resolver.resolve(item, "sources", raw.file, where)
                except LoadError as exc:
                    errors.append(exc)
                    continue
                if not sources:
                    errors.append(
                        LoadError(raw.file, item.line, f"{where}.sources", "every name needs a source")
                    )
                    continue
                names = found.setdefault(node_id, _Names())
                if isinstance(absent, str):
                    names.no_chinese_name = absent.strip()
                else:
                    names.aliases.extend(str(a) for a in aliases or [])
                names.sources.extend(sources)
                names.where.append((raw.file, item.line_of("node")))
    return found


def _build_node(
    raw: _Raw, i: int, item: LineDict, resolver: _SourceResolver, names: _Names | None = None
) -> Node:
    data = dict(item)
    data["sources"] = resolver.resolve(item, "sources", raw.file, f"nodes[{i}]")
    if names is not None:
        own = list(data.get("aliases") or [])
        data["aliases"] = own + [
            a for a in dict.fromkeys(names.aliases) if a not in own and a != data.get("name")
        ]
        data["sources"] = data["sources"] + names.sources
        if names.no_chinese_name is not None:
            data["properties"] = {**(data.get("properties") or {}), "no_chinese_name": names.no_chinese_name}
    return Node.model_validate(_with_identifiers(data))


def _build_edge(raw: _Raw, i: int, item: LineDict, resolver: _SourceResolver) -> Edge:
    where = f"edges[{i}]"
    properties = item.get("properties")
    if isinstance(properties, LineDict) and NOT_NAMED_BY in properties:
        message = "read from the sources' words at load (graph.naming), not written in the data"
        raise LoadError(
            raw.file, properties.line_of(NOT_NAMED_BY), f"{where}.properties.{NOT_NAMED_BY}", message
        )
    data = dict(item)
    data["sources"] = resolver.resolve(item, "sources", raw.file, where)
    if not data["sources"]:
        raise LoadError(
            raw.file, item.line_of("sources"), f"{where}.sources", "every edge needs at least one source"
        )
    disputed = item.get("disputed")
    if isinstance(disputed, LineList):
        data["disputed"] = [
            {**d, "sources": resolver.resolve(d, "sources", raw.file, f"{where}.disputed[{j}]")}
            if isinstance(d, LineDict)
            else d
            for j, d in enumerate(disputed)
        ]
    if "id" not in data and all(isinstance(data.get(k), str) for k in ("kind", "source", "target")):
        start = data.get("start")
        data["id"] = edge_id(
            data["kind"], data["source"], data["target"], start if isinstance(start, str) else None
        )
    return Edge.model_validate(_with_identifiers(data))


def _check_graph(
    nodes: dict[str, tuple[Node, str, int]],
    edges: list[tuple[Edge, str, LineDict, str]],
    errors: list[LoadError],
) -> None:
    """Cross-file checks: dangling ids, endpoint kinds, required order fields."""
    for node, file, line in nodes.values():
        if node.kind == "ExecutiveOrder":
            missing = [k for k in ORDER_REQUIRED if not node.properties.get(k)]
            if missing:
                errors.append(LoadError(file, line, "properties", f"{node.id} lacks {', '.join(missing)}"))
            for key in ORDER_DATES:
                if key in node.properties and not is_date(node.properties[key]):
                    message = f"{node.id}: bad date {node.properties[key]!r}: {BAD_DATE}"
                    errors.append(LoadError(file, line, f"properties.{key}", message))
    for edge, file, item, where in edges:
        for end in ("source", "target"):
            node_id = getattr(edge, end)
            if node_id not in nodes:
                errors.append(
                    LoadError(file, item.line_of(end), f"{where}.{end}", f"unknown node id {node_id!r}")
                )
        if edge.source in nodes and edge.target in nodes:
            allowed_src, allowed_dst = edge_endpoints(edge.kind)
            src_kind, dst_kind = nodes[edge.source][0].kind, nodes[edge.target][0].kind
            if src_kind not in allowed_src or dst_kind not in allowed_dst:
                errors.append(
                    LoadError(
                        file, item.line, f"{where}.kind", f"{edge.kind} cannot join {src_kind} → {dst_kind}"
                    )
                )
        applies_to = edge.properties.get("applies_to")
        if edge.kind == "ENJOINS" and not applies_to and edge.properties.get("nationwide") is not True:
            # Every face says whom a court protected: the parties, or everyone.
            errors.append(
                LoadError(
                    file,
                    item.line_of("properties") if "properties" in item else item.line,
                    f"{where}.properties",
                    "an injunction names whom it protects (applies_to) or says nationwide: true",
                )
            )
        if applies_to is not None:
            ids = applies_to if isinstance(applies_to, list) else [applies_to]
            for ref in ids:
                if ref not in nodes:
                    errors.append(
                        LoadError(
                            file,
                            item.line_of("properties"),
                            f"{where}.properties.applies_to",
                            f"unknown node id {ref!r}",
                        )
                    )
        readings = item.get("disputed")
        for j, disputed in enumerate(edge.disputed):
            line = readings.line_of(j) if isinstance(readings, LineList) else item.line_of("disputed")
            for ref in disputed.about:
                # A reading narrower than its edge speaks of some of the company's securities (the
                # timeline and affects read ``about`` as securities; data/README).
                known = nodes.get(ref)
                if known is None or known[0].kind != "Security":
                    message = f"unknown node id {ref!r}" if known is None else f"{ref!r} is not a security"
                    errors.append(LoadError(file, line, f"{where}.disputed[{j}].about", message))


_M = TypeVar("_M", Node, Edge)


def _built(
    build: Callable[[_Raw, int, LineDict, _SourceResolver], _M],
    section: str,
    raw: _Raw,
    i: int,
    item: LineDict,
    resolver: _SourceResolver,
    errors: list[LoadError],
) -> _M | None:
    """The model ``build`` makes of one item, or None with its errors recorded (file, line, field)."""
    try:
        return build(raw, i, item, resolver)
    except ValidationError as exc:
        errors.extend(_validation_errors(exc, raw.file, item, f"{section}[{i}]"))
    except LoadError as exc:
        errors.append(exc)
    return None


def parse_dataset(files: Iterable[Path]) -> Dataset:
    """Parse and validate several data files as one dataset (all or nothing)."""
    errors: list[LoadError] = []
    raws: list[_Raw] = []
    for path in files:
        try:
            raws.append(_parse_file(path))
        except LoadError as exc:
            errors.append(exc)
    resolver = _SourceResolver(_build_registry(raws, errors))
    names = _collect_names(raws, resolver, errors)

    nodes: dict[str, tuple[Node, str, int]] = {}
    edges: list[tuple[Edge, str, LineDict, str]] = []
    edge_ids: dict[str, str] = {}
    for raw in raws:
        for i, item in raw.nodes:
            node_id = item.get("id")
            extra = names.get(node_id) if isinstance(node_id, str) else None
            build = functools.partial(_build_node, names=extra)
            node = _built(build, "nodes", raw, i, item, resolver, errors)
            if node is None:
                continue
            if node.id in nodes:
                _, other_file, other_line = nodes[node.id]
                message = f"duplicate node id {node.id!r} (also {other_file}:{other_line})"
                errors.append(LoadError(raw.file, item.line_of("id"), "id", message))
                continue
            nodes[node.id] = (node, raw.file, item.line)
        for i, item in raw.edges:
            edge = _built(_build_edge, "edges", raw, i, item, resolver, errors)
            if edge is None:
                continue
            if edge.id in edge_ids:
                message = f"duplicate edge id {edge.id!r} (also in {edge_ids[edge.id]}); give one an id"
                errors.append(LoadError(raw.file, item.line, "id", message))
                continue
            edge_ids[edge.id] = f"{raw.file}:{item.line}"
            edges.append((edge, raw.file, item, f"edges[{i}]"))
    for node_id, extra in names.items():
        if node_id not in nodes:
            for file, line in extra.where:
                errors.append(LoadError(file, line, "names.node", f"unknown node id {node_id!r}"))
    _check_graph(nodes, edges, errors)
    if errors:
        raise LoadErrors(errors)
    # Which of a listing's sources name the company, read once here: every store ranks by it.
    return Dataset(
        nodes=[n for n, _, _ in nodes.values()],
        edges=[with_not_named_by(e, nodes[e.source][0]) for e, _, _, _ in edges],
    )


# Files of a data folder that are not nodes and edges: entity-resolution judgements (loaders/resolve.py).
NOT_DATASET = frozenset({"resolutions.yaml"})


def data_files(folder: str | Path) -> list[Path]:
    """The YAML files of a data folder, in a stable order."""
    path = Path(folder)
    if not path.is_dir():
        raise LoadError(str(path), None, None, "not a data folder")
    yaml_files = (p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    files = sorted(p for p in yaml_files if p.name not in NOT_DATASET)
    if not files:
        raise LoadError(str(path), None, None, "no .yaml files in this data folder")
    return files


def read_dataset(folder: str | Path) -> Dataset:
    """Read every YAML file of a curated data folder."""
    return parse_dataset(data_files(folder))


def main(argv: list[str]) -> int:
    """``python -m loaders.curated DIR``: validate a data folder, print counts."""
    folder = argv[0] if argv else "data"
    try:
        ds = read_dataset(folder)
    except LoadErrors as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        print(f"{len(exc.errors)} error(s)", file=sys.stderr)
        return 2
    except LoadError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"ok: {len(ds.nodes)} nodes, {len(ds.edges)} edges")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

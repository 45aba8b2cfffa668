"""YAML with line numbers: every mapping remembers the line of each of its keys.

Dates are not resolved to ``datetime.date``: a date stays the string the file
wrote, so ``"2021-01"`` keeps its precision and the model decides what a
date is.

>>> doc = load_yaml("a: 1\\nb:\\n  c: 2021-01-14\\n", "x.yaml")
>>> doc["b"]["c"], doc.line_of("b"), doc["b"].line_of("c")
('2021-01-14', 2, 3)
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graph.errors import LoadError

if TYPE_CHECKING:
    import yaml


class LineDict(dict[str, Any]):
    """A dict that knows the 1-based line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that knows the 1-based line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _is_empty(node: yaml.Node) -> bool:
    """A scalar written as nothing at all (not `null` or `~`, which say so)."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value == ""


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    import yaml

    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        if node.flow_style and _is_empty(value_node):
            # `{via: Group Co., Ltd.}` reads as via "Group Co." plus a key "Ltd." with no value.
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} has no value in a {{…}} mapping: an unquoted comma in a value? quote the value",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _line_loader(base: type[Any]) -> type[Any]:
    """A subclass of a safe loader without the timestamp resolver, building LineDict/LineList."""
    import yaml

    loader: type[Any] = type(f"Lines{base.__name__}", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


@lru_cache(maxsize=1)
def py_loader() -> type[Any]:
    """The pure-Python line loader (PyYAML imported the first time a file is read, not at import)."""
    import yaml

    return _line_loader(yaml.SafeLoader)


@lru_cache(maxsize=1)
def c_loader() -> type[Any] | None:
    """The libyaml line loader: about ten times faster, the same line numbers; None without libyaml."""
    import yaml

    return _line_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None


def load_yaml(text: str, file: str, loader: type[Any] | None = None) -> Any:
    """Parse YAML text (with libyaml when there); a syntax error becomes a LoadError naming file and line."""
    import yaml

    try:
        return yaml.load(text, Loader=loader or c_loader() or py_loader())  # noqa: S506 - safe loader subclasses
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise LoadError(file, line, None, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise LoadError(file, None, None, f"invalid YAML: {exc}") from None
    except RecursionError:  # thousands of nested [ or {: no data file needs that
        raise LoadError(file, None, None, "invalid YAML: exceeded maximum nesting depth") from None

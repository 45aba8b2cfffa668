"""libyaml and the pure-Python parser read our YAML alike: same values, same line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.errors import LoadError
from loaders.workspace import PROJECT_DATA
from loaders.yaml_lines import LineDict, LineList, c_loader, load_yaml, py_loader
from tests.conftest import FIXTURES

YAML_FILES = sorted(PROJECT_DATA.glob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml"))


def _with_lines(value: Any) -> Any:
    """A value with every line number it carries, for comparing two parses."""
    if isinstance(value, LineDict):
        return ("map", value.line, {k: (value.line_of(k), _with_lines(v)) for k, v in value.items()})
    if isinstance(value, LineList):
        return ("seq", value.line, [(value.line_of(i), _with_lines(v)) for i, v in enumerate(value)])
    return value


def test_libyaml_is_there() -> None:
    assert c_loader() is not None, "PyYAML without libyaml: reading data/ is ten times slower"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_both_parsers_give_the_same_values_and_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, slow = (_with_lines(load_yaml(text, str(path), loader)) for loader in (c_loader(), py_loader()))
    assert fast == slow


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3),
        ("a: 1\n  b: 2\n", 2),
        ("nodes:\n  - id: x\n    id: y\n", 3),
        ("a: 'unclosed\n", 2),
        ("a: 1\n\tb: 2\n", 2),
    ],
)
def test_both_parsers_name_the_same_line_for_an_error(text: str, line: int) -> None:
    for loader in (c_loader(), py_loader()):
        with pytest.raises(LoadError) as caught:
            load_yaml(text, "x.yaml", loader)
        assert caught.value.line == line, (loader, str(caught.value))


def test_dates_stay_strings_with_either_parser() -> None:
    for loader in (c_loader(), py_loader()):
        parsed = load_yaml("d: 2021-01-14\nm: 2021-01\n", "x.yaml", loader)
        assert parsed == {"d": "2021-01-14", "m": "2021-01"}


def test_deep_nesting_is_a_load_error_with_either_parser() -> None:
    for loader in (c_loader(), py_loader()):
        with pytest.raises(LoadError, match="invalid YAML: exceeded maximum nesting depth"):
            load_yaml("a: " + "[" * 5000 + "\n", "x.yaml", loader)

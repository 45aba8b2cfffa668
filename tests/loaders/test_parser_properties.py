"""Every parser, fed random or mutated input, either loads or raises LoadError — never anything else."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import LoadError
from graph.store.memory import MemoryStore
from loaders.article import parse_article
from loaders.federal_register import parse_federal_register
from loaders.ftm import parse_ftm, parse_ftm_delta
from loaders.ofac import parse_ofac, parse_ofac_xml
from loaders.records import numbered_lines

FIXTURES = Path(__file__).parents[1] / "fixtures"
FTM = (FIXTURES / "ftm" / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
OFAC = (FIXTURES / "ofac" / "cons_prim.csv").read_text(encoding="utf-8").splitlines()
OFAC_XML = (FIXTURES / "ofac-xml" / "consolidated.xml").read_text(encoding="utf-8").splitlines()
FEDREG = (FIXTURES / "fedreg" / "2021-12506.json").read_text(encoding="utf-8").splitlines()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """The fixture's lines with a few random cuts, insertions and replacements."""
    out = list(lines)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(out) - 1))
        text = out[i]
        j = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "insert", "replace", "truncate", "drop"]))
        piece = draw(st.text(alphabet='{}[]",:0123456789-TabcxyzADDMODEL ', max_size=12))
        if action == "cut":
            out[i] = text[:j] + text[j + draw(st.integers(1, 20)) :]
        elif action == "insert":
            out[i] = text[:j] + piece + text[j:]
        elif action == "replace":
            out[i] = text[:j] + piece + text[j + len(piece) :]
        elif action == "truncate":
            out = out[: i + 1]
            out[i] = text[:j]
        elif len(out) > 1:
            del out[i]
    return out


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=10)
    return st.recursive(
        leaves,
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
        max_leaves=12,
    )


def _loads_or_load_error(parse: Callable[[], Iterable[Any]]) -> None:
    try:
        list(parse())
    except LoadError as exc:
        assert exc.file  # every error names its file


@SETTINGS
@given(mutated(FTM))
def test_ftm_mutated(lines: list[str]) -> None:
    _loads_or_load_error(lambda: parse_ftm(enumerate(lines, 1), "x", "f.json"))


@SETTINGS
@given(st.lists(_json_values().map(json.dumps), max_size=4))
def test_ftm_random_json(lines: list[str]) -> None:
    _loads_or_load_error(lambda: parse_ftm(enumerate(lines, 1), "x", "f.json"))


@SETTINGS
@given(
    st.lists(
        st.fixed_dictionaries(
            {"op": st.sampled_from(["ADD", "MOD", "DEL", "X"]), "entity": _json_values()}
        ).map(json.dumps),
        max_size=4,
    )
)
def test_ftm_delta_random(lines: list[str]) -> None:
    _loads_or_load_error(lambda: parse_ftm_delta(enumerate(lines, 1), "d.json"))


@SETTINGS
@given(mutated(OFAC))
def test_ofac_mutated(lines: list[str]) -> None:
    _loads_or_load_error(lambda: parse_ofac(enumerate(lines, 1), "x", file="cons_prim.csv"))


@SETTINGS
@given(mutated(OFAC_XML))
def test_ofac_xml_mutated(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    _loads_or_load_error(lambda: parse_ofac_xml(data, "x", file="consolidated.xml"))


@SETTINGS
@given(mutated(FEDREG))
def test_fedreg_mutated(lines: list[str]) -> None:
    _loads_or_load_error(lambda: parse_federal_register(enumerate(lines, 1), "x", "doc.json"))


@SETTINGS
@given(_json_values().map(json.dumps))
def test_fedreg_random_json(text: str) -> None:
    _loads_or_load_error(lambda: parse_federal_register([(1, text)], "x", "doc.json"))


@SETTINGS
@given(st.lists(st.binary(max_size=40), max_size=5))
def test_bytes_decode_or_load_error(chunks: list[bytes]) -> None:
    _loads_or_load_error(lambda: numbered_lines(chunks, "b.json"))


@pytest.fixture(scope="module")
def small_graph(store: MemoryStore) -> MemoryStore:
    return store


@SETTINGS
@given(st.text(max_size=300), st.text(max_size=30))
def test_article_random(small_graph: MemoryStore, text: str, title: str) -> None:
    _loads_or_load_error(
        lambda: parse_article(text, small_graph, "a", url="https://example.org/a", title=title or None)
    )

"""Shared app fixtures: the app opened over a data folder and a workspace a test made."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

OpenApp = Callable[..., None]


def run_app(**params: str) -> AppTest:
    """The app run once with these query parameters (``run_app(view="explore", entity="ORG:xiaomi")``),
    having raised nothing."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenApp]:
    """A function pointing the app at a workspace home and, when given, a data folder instead of
    the project's: ``open_app(home, data=FIXTURES / "mini")``. The store is cached per process, so
    the cache is cleared for this test's graph, and again after it for the next test's."""

    def point(home: Path, data: Path | None = None) -> None:
        if data is not None:
            monkeypatch.setenv("ORDERGRAPH_DATA", str(data))
        monkeypatch.setenv("ORDERGRAPH_HOME", str(home))
        st.cache_resource.clear()

    yield point
    st.cache_resource.clear()

"""The entity page shows every value datasets disagree on, each with its datasets and sources, as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.workspace import Workspace, load_path
from tests.ui.conftest import FIXTURES, OpenApp, run_app
from ui.safe import md


def disputes_workspace(folder: Path) -> Path:
    """A workspace over the mini data where two FtM datasets disagree on Zyxq's website and number."""
    workspace = Workspace(folder, FIXTURES / "mini")
    for dataset in ("first", "second"):
        load_path(workspace, FIXTURES / "disputes" / f"{dataset}.ftm.json", "ftm", dataset)
    workspace.close()
    return folder


@pytest.fixture
def disputes(open_app: OpenApp, tmp_path: Path) -> None:
    open_app(disputes_workspace(tmp_path / "home"), data=FIXTURES / "mini")


def _markdown(at: AppTest) -> list[str]:
    texts = [e.value for kind in (at.header, at.subheader, at.markdown, at.caption) for e in kind]
    texts += [e.label for e in at.expander]
    return [str(t) for t in texts]


@pytest.mark.usefixtures("disputes")
def test_entity_page_lists_each_disputed_value_with_datasets_and_sources() -> None:
    at = run_app(view="explore", entity="ORG:NK-zyxq")
    shown = "\n".join(_markdown(at))
    assert "Datasets disagree" in shown
    # Each value beside the datasets giving it and a link to their source; the kept one marked.
    website = next(t for t in _markdown(at) if "zyxq\\.example\\.cn" in t or "zyxq.example.cn" in t)
    assert "first" in website and "shown" in website and "(https://first.example.org/zyxq)" in website
    hostile = next(t for t in _markdown(at) if "198" in t and "second" in t)
    assert "`![n](http://198.51.100.7/w.png) **Evil**`" in hostile  # an inline code span: read as text
    assert "(https://example.org/%3Cscript%3Ealert%285%29%3C/script%3E)" in hostile  # the URL quoted
    assert "<script>" not in hostile
    number = next(t for t in _markdown(at) if "91110000MA01ZYXQ7X" in t)
    assert md("second") in number
    assert any("`<img src=x onerror=alert(1)>`" in t for t in _markdown(at))
    # Outside inline code spans (where markdown is not read) no image, link or bold comes through.
    outside_code = [re.sub(r"`[^`]*`", "", t) for t in _markdown(at)]
    assert not [t for t in outside_code if re.search(r"(?<!\\)\]\(http://198|(?<!\\)!\[|(?<!\\)\*\*Evil", t)]

"""A loaded article's mentions on the entity page: where in the article each stands, in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.workspace import Workspace, load_path
from tests.ui.conftest import FIXTURES, OpenApp, run_app

# Parent Holdings Group named at its start (characters 1–21) and again by its alias far on, past
# character 1,000 (where a raw offset had read "1203" and a reader counted from 1, not 0).
ARTICLE = (
    "Parent Holdings Group said on Monday it would appeal."
    + " It denies the claim." * 55
    + (" Parent Group will appeal.")
)
SECOND = ARTICLE.index("Parent Group")


@pytest.fixture
def article_workspace(open_app: OpenApp, tmp_path: Path) -> None:
    text = tmp_path / "appeal.txt"
    text.write_text(ARTICLE, encoding="utf-8")
    workspace = Workspace(tmp_path / "home", FIXTURES / "mini")
    load_path(
        workspace, text, "article", "appeal", url="https://news.example.org/appeal", published="2021-01-15"
    )
    workspace.close()
    open_app(tmp_path / "home", data=FIXTURES / "mini")


@pytest.mark.usefixtures("article_workspace")
def test_a_mentions_offsets_read_as_characters_counted_from_one() -> None:
    """Each place the article names the company, as characters a reader counts (from 1, thousands
    separated), never the loader's raw 0-based numbers; its citation says the same."""
    assert SECOND > 1000
    at = run_app(view="explore", entity="ORG:parent")
    at.session_state["relationships"] = True
    at.run()
    assert not at.exception, at.exception
    mention = next(e for e in at.expander if "mentioned" in e.label or "mentions" in e.label)
    text = "\n".join(m.value for m in mention.markdown)
    assert "**Where in the article:** characters 1–21 of the article \\(its opening words\\)" in text
    assert f"**Named in the article:** twice, at characters 1 and {SECOND + 1:,}" in text
    assert "Offsets" not in text and str(SECOND) not in text
    next(b for b in mention.button if b.label == "Cite").click().run()
    citation = next(c.value for c in at.code)
    assert "characters 1–21" in citation, citation

"""The entity page shows an entity's identifiers and, for it and each relationship, the datasets that
gave it with when each first and last saw it (issue 9), as the CLI's ``show`` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.workspace import Workspace, load_path
from tests.ui.conftest import FIXTURES, OpenApp, run_app
from ui.safe import md

SEEN = "entities-ftm (first seen 2021-06-04, last seen 2021-12-20)"


@pytest.fixture
def loaded(open_app: OpenApp, tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "home")
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "entities-ftm")
    load_path(workspace, FIXTURES / "ofac", "ofac", "ofac")
    workspace.close()
    open_app(tmp_path / "home")


@pytest.mark.usefixtures("loaded")
def test_entity_page_shows_identifiers_and_the_datasets_of_the_entity_and_each_relationship() -> None:
    at = run_app(view="explore", entity="ORG:smic")
    at.session_state["relationships"] = True  # the reader opens the relationships panel
    at.run()
    assert not at.exception, at.exception
    texts = [str(e.value) for kind in (at.markdown, at.caption) for e in kind]
    page = "\n".join(texts)
    identifiers = next(t for t in texts if t.startswith("**Identifiers:**"))
    for shown in (
        "ISIN",
        "`KYG8020E1199`",
        "`CNE1000041W8`",
        "OFAC entity number",
        "`30951`",
        "`ofac-30951`",
    ):
        assert shown in identifiers, shown
    assert f"**Datasets:** {md(f'curated; {SEEN}; ofac')}" in page
    # The OFAC listing's relationship: its identifiers and its three datasets.
    listing = next(e for e in at.expander if md("(NS-CMIC List)") in e.label)
    inside = "\n".join(str(e.value) for kind in (listing.markdown, listing.caption) for e in kind)
    assert "`ofac-30951-sanction`" in inside
    assert f"Datasets: {md(f'curated; {SEEN}; ofac')}" in inside


def test_an_orders_number_is_shown_once_as_its_identifier() -> None:
    """The curated data writes an order's number as the property ``number``, which the schema says
    states its ``eo_number`` identifier: the page shows it once, as "Executive order number"."""
    at = run_app(view="explore", entity="EO:13959")
    texts = [str(e.value) for kind in (at.markdown, at.caption) for e in kind]
    page = "\n".join(texts)
    identifiers = next(t for t in texts if t.startswith("**Identifiers:**"))
    assert "Executive order number" in identifiers and identifiers.count("13959") == 1, identifiers
    assert "**Number:**" not in page and "Number: `13959`" not in page

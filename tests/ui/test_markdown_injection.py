"""URL values and data names reach the page as text: no markdown image, link or bold comes through.

Streamlit renders markdown in st.warning/error/header/subheader and in widget labels, so every such
text must pass through ``ui.safe.md`` (or be shown as plain text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import FIXTURES, OpenApp, run_app

XSS = FIXTURES / "xss"


def _live_markdown(text: str) -> bool:
    """The hostile values' markdown, not escaped: a link or image to 198.51.100.7, or bold Evil/click."""
    return bool(re.search(r"(?<!\\)\]\(http://198|(?<!\\)!\[|(?<!\\)\*\*(Evil|click)", text))


def _run(**params: str) -> AppTest:
    at = run_app(**params)
    if any(e.label.startswith("Relationships (") for e in at.expander):  # an entity page: open its
        at.session_state["relationships"] = True  # relationships, drawn only when asked
        at.run()
        assert not at.exception, at.exception
    return at


def _rendered(at: AppTest) -> list[str]:
    """Every text Streamlit reads as markdown: messages, headings, markdown, captions, widget labels."""
    texts = [e.value for kind in (at.warning, at.error, at.info, at.success) for e in kind]
    texts += [e.value for kind in (at.header, at.subheader, at.title, at.markdown, at.caption) for e in kind]
    texts += [b.label for b in at.button] + [e.label for e in at.expander]
    return [str(t) for t in texts]


@pytest.fixture
def hostile_data(open_app: OpenApp, tmp_path: Path) -> None:
    open_app(tmp_path / "no-workspace", data=XSS)


def test_the_detector_sees_live_markdown() -> None:
    assert _live_markdown("![t](http://198.51.100.7/x.png)")
    assert _live_markdown("[**click me**](http://198.51.100.7/phish)")
    assert _live_markdown("[x](http://198.51.100.7/p)") and _live_markdown("see **Evil**")
    assert not _live_markdown(r"\!\[t\]\(http\:\/\/198\.51\.100\.7\/x\.png\)")
    assert not _live_markdown(r"\[\*\*click me\*\*\]\(http\:\/\/198\.51\.100\.7\)")
    assert not _live_markdown("**Also known as:** [FAQ](https://home.treasury.gov/faq)")


@pytest.mark.parametrize(
    "params",
    [
        {"kinds": "[**click me**](http://198.51.100.7/phish)"},
        {"view": "![t](http://198.51.100.7/view.png)"},
        {"depth": "[x](http://198.51.100.7/d)"},
        {"as_of": "![t](http://198.51.100.7/d.png)"},
        {"entity": "![t](http://198.51.100.7/entity.png)"},
        {"view": "affects", "ticker": "[**click me**](http://198.51.100.7/phish)"},
        {"view": "path", "entity": "![t](http://198.51.100.7/a.png)", "target": "**Evil**"},
        {"q": "[**click me**](http://198.51.100.7/phish)"},  # the search text, kept in the link
    ],
)
def test_url_values_are_shown_as_text(params: dict[str, str]) -> None:
    at = _run(**params)
    shown = _rendered(at)
    assert any("198" in t for t in shown), shown  # the value is named …
    assert not [t for t in shown if _live_markdown(t)]  # … but never as markdown


@pytest.mark.usefixtures("hostile_data")
@pytest.mark.parametrize(
    "params",
    [
        {"view": "explore", "entity": "ORG:mdx"},
        {"view": "explore", "entity": "ORG:xss"},
        {"view": "explore", "entity": "SEC:NYSE:MDX"},
        {"view": "affects", "ticker": "SEC:NYSE:MDX", "as_of": "2021-03-10"},
        {"view": "affects", "ticker": "ORG:mdx", "as_of": "2021-03-10"},
    ],
)
def test_data_names_are_shown_as_text(params: dict[str, str]) -> None:
    at = _run(**params)
    shown = _rendered(at)
    assert any("Evil" in t for t in shown), shown
    assert not [t for t in shown if _live_markdown(t)]

"""In the browser: the entity page shows both values two datasets give, with their datasets and sources,
and the hostile ones as plain text (no dialog, no image, no request leaving 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import (
    injected_handlers_settled,
    opened_page,
    shot,
    start_app,
    stop_app,
    wait_idle,
)
from tests.ui.conftest import FIXTURES
from tests.ui.test_entity_disputes import disputes_workspace


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = disputes_workspace(tmp_path_factory.mktemp("disputes") / "home")
    proc, url = start_app(FIXTURES / "mini", home)
    yield url
    stop_app(proc)


def test_disputed_values_are_shown_with_their_datasets_and_sources(browser: Browser, app_url: str) -> None:
    with opened_page(browser) as (page, recorder):
        page.goto(app_url + "/?view=explore&entity=ORG:NK-zyxq")
        page.get_by_text("Datasets disagree").wait_for()
        wait_idle(page)
        page.get_by_text("Datasets disagree").scroll_into_view_if_needed()
        shot(page, "20-disputed-values")
        # Both websites, each beside the dataset that gives it, the hostile one as literal text.
        kept = page.locator("li", has_text="https://zyxq.example.cn")
        assert kept.count() == 1 and "(shown)" in kept.inner_text() and "first" in kept.inner_text()
        assert kept.locator("a[href='https://first.example.org/zyxq']").count() == 1
        other = page.locator("li", has_text="![n](http://198.51.100.7/w.png) **Evil**")
        assert other.count() == 1 and "second" in other.inner_text()
        assert other.locator("a[href^='https://example.org/']").count() == 1
        assert page.locator("li", has_text="<img src=x onerror=alert(1)>").count() == 1
        injected_handlers_settled(page)
        assert recorder.dialogs == []
        assert (
            page.locator("img[src='x'], img[src*='198.51.100.7'], script:has-text('alert(5)')").count() == 0
        )
        assert page.locator("strong", has_text="Evil").count() == 0
        assert recorder.remote() == []

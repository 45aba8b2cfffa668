"""In the browser: a day only announced ahead says who announced it, beside the day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Recorder, shot, start_app, stop_app, wait_idle

# NYSE's suspension of ACE on 2021-03-09, whose day only a release of 2021-02-26 gives.
ANNOUNCED = Path(__file__).resolve().parents[1] / "fixtures" / "announced"


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    proc, url = start_app(data=ANNOUNCED)
    yield url
    stop_app(proc)


def test_a_suspension_announced_ahead_says_who_announced_it(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    # The suspension's only dated source, a release of 2021-02-26, said trading "will be suspended"
    # that day. The exchange warning says so beside the day.
    page, _ = session
    page.goto(app_url + "/?view=affects&ticker=SEC:NYSE:ACE&as_of=2021-03-10&depth=1")
    wait_idle(page)
    warning = page.locator("[data-testid='stAlertContentWarning']", has_text="Exchange: suspended")
    expect(warning).to_be_visible()
    text = warning.inner_text().replace("\u2060", "")
    assert "since 2021-03-09 04:00 EST" in text
    # The announcer is a link to its release, as every other source the warning names.
    announcer = "New York Stock Exchange (via Example Wire) of 2021-02-26"
    assert text.endswith(f"— day announced ahead by {announcer}; no source cited confirms that day"), text
    link = warning.get_by_role("link", name=announcer)
    expect(link).to_have_attribute(
        "href",
        "https://example.org/news/exchange-to-commence-delisting-proceedings-against-acme-energy/",
    )
    assert "http" not in text  # no address left as plain text
    warning.scroll_into_view_if_needed()
    shot(page, "25-affects-day-announced-ahead")

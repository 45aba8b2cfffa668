"""A real app process and a real Chromium (Debian's, never a downloaded build) for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, Request, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(data: Path | None = None, home: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """The app on a free port, over the curated ``data`` (a folder) and the workspace in ``home``."""
    port = _free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    if data is not None:
        env["ORDERGRAPH_DATA"] = str(data)
    if home is not None:
        env["ORDERGRAPH_HOME"] = str(home)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "serve.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the app did not start within 60 s")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


class Recorder:
    """Every request the page makes, so a test can assert none leaves 127.0.0.1."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.dialogs: list[str] = []

    def request(self, request: Request) -> None:
        self.urls.append(request.url)

    def dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def remote(self) -> list[str]:
        local = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")
        return [u for u in self.urls if not u.startswith(local)]


def new_page(browser: Browser) -> tuple[Page, Recorder]:
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    recorder = Recorder()
    page.on("request", recorder.request)
    page.on("dialog", recorder.dialog)
    return page, recorder


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the script run (the app says so on its root element)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", state="attached", timeout=60_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def open_every_panel(page: Page) -> None:
    """Open the relationships panel (drawn only when opened), then every expander still closed."""
    page.locator("[data-testid='stExpander'] summary", has_text="Relationships (").click()
    wait_idle(page)
    page.locator("[data-testid='stExpander'] details[open] summary", has_text="Relationships (").wait_for()
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    # Each click opens one and may rerun the page; under load a click can land while a rerun
    # redraws the expanders and be lost, so click the next closed one until none is left.
    deadline = time.monotonic() + 120
    while closed.count() and time.monotonic() < deadline:
        closed.first.click()
        wait_idle(page)
    assert closed.count() == 0

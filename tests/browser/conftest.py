"""A real app process and a real Chromium (Debian's, never a downloaded build) for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, Request, WebSocket, expect, sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"
# CI runs on a busy two-core box: every wait is generous (a wait ends as soon as its state is reached).
WAIT_MS = 60_000
expect.set_options(timeout=WAIT_MS)


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
    # It loads the graph before its health check answers: 5 s on a quiet machine, over 60 s on a
    # busy one (the first start of a run also fills the dataset cache).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    stop_app(proc)
    raise RuntimeError("the app did not start within 180 s")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    """Stop an app started by start_app: SIGTERM, and SIGKILL if it has not ended within 60 s."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, timeout=120_000)
        yield chromium
        chromium.close()


class ScriptRuns:
    """The app's script runs as its websocket carries them: each rerun the page asks for, and
    whether the server has since begun and ended a run (Streamlit's own run-state attribute only
    changes once the server answers, which on a busy machine can be seconds after a click)."""

    def __init__(self) -> None:
        self.asked = 0  # rerun requests sent
        self.asked_on_socket = 0  # … since the page's current connection opened (a page load opens one)
        self.pending = False  # a request sent, and no run begun after it has ended yet
        self._begun = False

    def websocket(self, socket: WebSocket) -> None:
        self.asked_on_socket, self.pending = 0, False
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.asked += 1
            self.asked_on_socket += 1
            self.pending, self._begun = True, False

    def _received(self, payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._begun = True
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            # A run stopped early is followed by the run that replaces it.
            self.pending = self.pending and not self._begun


_RUNS: dict[Page, ScriptRuns] = {}


def _forget_runs(page: Page) -> None:
    _RUNS.pop(page, None)


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
    page.set_default_timeout(WAIT_MS)
    recorder = Recorder()
    page.on("request", recorder.request)
    page.on("dialog", recorder.dialog)
    runs = _RUNS[page] = ScriptRuns()
    page.on("websocket", runs.websocket)
    page.on("close", _forget_runs)
    return page, recorder


@contextmanager
def opened_page(browser: Browser) -> Iterator[tuple[Page, Recorder]]:
    """A page of its own (:func:`new_page`), closed after; no request it made may have left 127.0.0.1."""
    page, recorder = new_page(browser)
    try:
        yield page, recorder
    finally:
        page.context.close()
    assert recorder.remote() == [], f"requests left 127.0.0.1: {recorder.remote()}"


@pytest.fixture(scope="module")
def session(browser: Browser, app_url: str) -> Iterator[tuple[Page, Recorder]]:
    """One page shared by a module's tests, on the app of the module's own ``app_url`` fixture."""
    with opened_page(browser) as opened:
        yield opened


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _wait_until(page: Page, done: Callable[[], bool], seconds: float = 60) -> bool:
    """Let the page run until ``done()`` — a condition on the websocket frames Playwright reports
    between its calls, so each turn is a short Playwright wait that lets them arrive — False after
    ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(50)
    return True


def injected_handlers_settled(page: Page) -> None:
    """Wait until anything hostile markup could have run has run: every image has loaded or failed
    (an ``onerror`` fires then), the document has loaded, and one more task has had its turn."""
    page.wait_for_function(
        "() => document.readyState === 'complete' && Array.from(document.images).every((i) => i.complete)"
    )
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the script run: the page has connected and asked for its
    first run (a page just loaded may not have yet), the last rerun it asked for has begun and
    ended on the server, and the app says so on its root element."""
    runs = _RUNS[page]
    assert _wait_until(page, lambda: runs.asked_on_socket > 0), "the page did not ask for its first run"
    assert _wait_until(page, lambda: not runs.pending), "the server did not end the run the page asked for"
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", state="attached", timeout=WAIT_MS
    )
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")


def _asks_for_rerun(page: Page, action: Callable[[], None], seconds: float) -> bool:
    """Do ``action``; True once the page has asked for a rerun since, False after ``seconds``."""
    runs = _RUNS[page]
    asked = runs.asked
    action()
    return _wait_until(page, lambda: runs.asked > asked, seconds)


def rerun_by(page: Page, action: Callable[[], None]) -> None:
    """Do ``action`` (a click, a key, an upload the app answers with a rerun); wait for that rerun to
    be asked for, then for it to end. A click on a widget that is still moving can miss it: wait
    for it to be laid out first (:func:`wait_laid_out`)."""
    assert _asks_for_rerun(page, action, 60), "the page did not ask for a rerun"
    wait_idle(page)


_LAID_OUT = """(el) => {
  const box = el.getBoundingClientRect();
  const now = [box.x, box.y, box.width, box.height].join();
  const expander = el.closest("[data-testid='stExpander']") || el;
  const still = el._ogBox === now && expander.getAnimations({ subtree: true }).length === 0;
  el._ogBox = now;
  return still;
}"""


def wait_laid_out(target: Locator) -> None:
    """Wait until ``target`` has stopped moving: no animation runs in its expander and its box is
    the same at two looks 100 ms apart.

    Why: a click lands where Playwright measured the element. An edge's expander just opened goes on
    laying out its contents; under load a Cite button was seen to move 48 px down between Playwright's
    measure and its click, which then landed on the block above it and asked for no rerun (Streamlit
    sends a click's rerun whenever the page is connected: the click never reached the button)."""
    target.page.wait_for_function(_LAID_OUT, arg=target.element_handle(), polling=100)


def click_for_rerun(page: Page, button: Locator, tries: int = 3) -> None:
    """Click a button whose click the app answers with a rerun and that may be clicked again to the
    same effect (Cite), once it has stopped moving (:func:`wait_laid_out`); a click the page asked no
    rerun for within 20 s missed it (an expander just opened moved the button after the measure):
    click again, at most ``tries`` times; then wait for the rerun to end."""
    for _ in range(tries):
        wait_laid_out(button)
        if _asks_for_rerun(page, button.click, 20):
            wait_idle(page)
            return
    raise AssertionError(f"the page asked for no rerun after {tries} clicks on {button}")


def open_panel(page: Page, label: str) -> Locator:
    """Open the lazy expander whose label starts with ``label`` (it reruns the page when toggled)
    and wait for the rerun that draws its contents. A click that lands while a rerun redraws the
    expander can be lost: click again while it is still closed."""
    panel = page.locator("[data-testid='stExpander']", has=page.locator("summary", has_text=label)).first
    opened = panel.locator(":scope > details[open]")
    deadline = time.monotonic() + 120
    wait_idle(page)
    while opened.count() == 0 and time.monotonic() < deadline:
        _asks_for_rerun(page, panel.locator(":scope > details:not([open]) > summary").click, 10)
        wait_idle(page)
    expect(opened).to_have_count(1)
    return panel


def open_every_panel(page: Page) -> None:
    """Open the relationships panel (drawn only when opened), then every expander still closed."""
    open_panel(page, "Relationships (")
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    # Each click opens one and may rerun the page; under load a click can land while a rerun
    # redraws the expanders and be lost, so click the next closed one until none is left.
    deadline = time.monotonic() + 120
    while closed.count() and time.monotonic() < deadline:
        closed.first.click()
        wait_idle(page)
    assert closed.count() == 0

"""Plumbing for the end-to-end browser tests (tests/test_browser.py) and bench/bench_browser.py.

The explorer runs as it does for a user: ``streamlit run app.py`` on 127.0.0.1, in a subprocess,
with its own embedded database (``POLICYKG_DB`` in a temporary folder, no ``NEO4J_*``), and a
real Chromium drives it through Playwright.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``; ``POLICYKG_CHROMIUM``
names another): Playwright never downloads a browser here. Without Chromium or Playwright the
browser tests skip with the reason, except under ``CI=true``, where that is a failure.

What the fixtures give a test (import the ``*_fixture`` functions; tests name them without the suffix):

- ``app_server``: the running app (module-scoped: started once for the module, stopped after) on a
  copy of the session's store of the two bundled plans; ``app_server.url("/console")``.
- ``browser_context``: one Chromium context (1400×900, Chinese) for the module, whose
  ``watch`` records every request of every page and frame, every dialog (dismissed) and every
  uncaught page error, across all the tests of the module.
- ``page``: a new tab in that context, closed after the test.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: every page of the app, in the sidebar's order (app.PAGES); the URL path is the name
PAGES = ("network", "agencies", "coordination", "console", "library", "documents", "targets", "review")
#: schemes a request may use without leaving the machine
LOCAL_SCHEMES = ("data", "blob", "about", "chrome-extension", "chrome", "devtools")
LOCAL_HOSTS = ("127.0.0.1",)
SERVER_START_TIMEOUT = 60.0


# --------------------------------------------------------------------------------------------- chromium

def chromium_executable() -> str | None:
    """Debian's Chromium (or ``$POLICYKG_CHROMIUM``), if it is installed."""
    configured = os.environ.get("POLICYKG_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_browser() -> str:
    """The Chromium to launch; skips the test (fails it in CI) when Chromium or Playwright is missing."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "Playwright is not installed (pip install -e '.[dev]')"
    executable = chromium_executable()
    if problem is None and executable is None:
        problem = "Chromium is not installed (apt-get install chromium, as .ci/run does)"
    if problem:
        if in_ci():
            pytest.fail(f"CI=true but {problem}: the browser tests must run in CI")
        pytest.skip(problem)
    return executable  # type: ignore[return-value]


def launch_chromium(playwright: Any, executable: str | None = None) -> Any:
    return playwright.chromium.launch(executable_path=executable or chromium_executable(), args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------------------------- the app

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database: Path) -> dict[str, str]:
    """The environment the app runs in: this one without any Neo4j settings, with its own database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env["POLICYKG_DB"] = str(database)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("POLICYKG_REQUIRE_NEO4J", None)
    return env


class AppServer:
    """``streamlit run app.py`` on 127.0.0.1 at a free port, its output in a log file."""

    def __init__(self, database: Path, log: Path, port: int | None = None) -> None:
        self.database = database
        self.log_path = log
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.ready_at = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> AppServer:
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
                   "--server.port", str(self.port), "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]
        self._log = self.log_path.open("wb")
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, env=app_environment(self.database), stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        atexit.register(self.stop)  # even if the caller never gets to stop it
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/_stcore/health"), timeout=2) as response:
                    if response.status == 200:
                        self.ready_at = time.perf_counter()
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # its own session: streamlit and anything it started
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------- watching

def is_local(url: str) -> bool:
    """True for a URL that stays on this machine: 127.0.0.1, or data:, blob:, about: ..."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@dataclass
class Watch:
    """What the browser did across a context: requests (page and frames), dialogs, page errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    pages: int = 0

    def attach_context(self, context: Any) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self.attach_page)

    def attach_page(self, page: Any) -> None:
        self.pages += 1
        page.on("websocket", lambda ws: self.websockets.append(ws.url))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        with contextlib.suppress(Exception):
            dialog.dismiss()

    def foreign(self) -> list[str]:
        """Every URL requested that leaves 127.0.0.1 (deduplicated, in order)."""
        return list(dict.fromkeys(url for url in self.requests + self.websockets if not is_local(url)))


# --------------------------------------------------------------------------------------------- pages

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def settle(page: Any, timeout: float = 30.0, quiet: float = 0.4) -> None:
    """Wait until the app's script has finished and stayed finished for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline:
        idle = page.locator(APP_IDLE).count() > 0 and page.locator('[data-testid="stSpinner"]').count() == 0
        if idle:
            since = since or time.monotonic()
            if time.monotonic() - since >= quiet:
                return
        else:
            since = None
        page.wait_for_timeout(50)
    state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
    raise AssertionError(f"the app did not settle within {timeout:.0f} s (script state {state!r}) at {page.url}")


def open_page(page: Any, server: AppServer, name: str, timeout: float = 30.0) -> None:
    """Go to one of the app's pages and wait for its script to finish."""
    page.goto(server.url("/" + name), wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    settle(page, timeout)


def exceptions_shown(page: Any) -> list[str]:
    """Texts of the exception boxes Streamlit shows for an error in a page's script."""
    return [text.strip()[:600] for text in page.locator('[data-testid="stException"]').all_inner_texts()]


def network_frame(page: Any, timeout: float = 20.0, index: int = 0) -> Any:
    """The frame holding a vis-network page (views.draw): ``index``-th such frame of the page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.query_selector("#policykg-network") is not None:
                    found.append(frame)
        if len(found) > index:
            return found[index]
        page.wait_for_timeout(100)
    raise AssertionError(f"no network drawing (#policykg-network in a frame) on {page.url} "
                         f"within {timeout:.0f} s; frames: {[f.url for f in page.frames]}")


def visible_network_frames(page: Any) -> list[Any]:
    """The frames drawing a network (views.draw) that are shown: not inside a closed expander."""
    found = []
    for frame in page.frames:
        with contextlib.suppress(Exception):
            if frame.query_selector("#policykg-network") is not None and frame.frame_element().is_visible():
                found.append(frame)
    return found


def open_expanders(page: Any) -> None:
    """Open every closed expander of the page, as a person reading all of it would."""
    for _ in range(3):  # an expander inside another is shown once the outer one is open
        closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary:visible').all()
        if not closed:
            break
        for summary in closed:
            with contextlib.suppress(Exception):
                summary.click(timeout=2000)
        settle(page)


def wait_network_ready(frame: Any, timeout: float = 20.0) -> None:
    """Wait for views.draw's page to say it is laid out (physics stabilised or off, view fitted)."""
    frame.wait_for_selector('#policykg-network[data-state="ready"]', timeout=timeout * 1000)


def network_value(page: Any, script: str, arg: Any = None, timeout: float = 20.0) -> Any:
    """Evaluate ``script`` in the page's (first) network drawing until it returns something truthy.

    After a rerun Streamlit gives the component's iframe a new document, so the drawing is looked up
    afresh on every try; a drawing that is not laid out yet does not count.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            frame = network_frame(page, timeout=1.0)
            if frame.query_selector('#policykg-network[data-state="ready"]') is not None:
                last = frame.evaluate(script, arg)
                if last:
                    return last
        page.wait_for_timeout(100)
    raise AssertionError(f"the network drawing on {page.url} never satisfied {script!r} (last: {last!r})")


INK_JS = """() => {
  const canvas = document.querySelector("#policykg-network canvas");
  if (!canvas) { return null; }
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height;
  const pixels = ctx.getImageData(0, 0, w, h).data;
  let painted = 0; const colors = new Set();
  for (let i = 0; i < pixels.length; i += 4 * 7) {   // every 7th pixel is plenty
    if (pixels[i + 3] > 0) {
      painted++;
      colors.add((pixels[i] >> 3) + "," + (pixels[i + 1] >> 3) + "," + (pixels[i + 2] >> 3));
    }
  }
  return {width: w, height: h, sampled: Math.ceil(pixels.length / 28), painted: painted, colors: colors.size,
          dataUrlLength: canvas.toDataURL().length};
}"""


def canvas_ink(frame: Any) -> dict[str, int] | None:
    """How much of the network canvas is drawn: sampled pixels painted, distinct colours, PNG size."""
    return frame.evaluate(INK_JS)


def canvas_digest(frame: Any) -> str:
    """A fingerprint of the canvas pixels, to tell whether the drawing changed."""
    return frame.evaluate("""() => {
      const c = document.querySelector("#policykg-network canvas");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let h1 = 0x811c9dc5, h2 = 0;
      for (let i = 0; i < d.length; i += 4) { h1 = Math.imul(h1 ^ d[i] ^ (d[i+1] << 8) ^ (d[i+2] << 16), 16777619);
        h2 = (h2 + d[i+3] * (i % 9973)) >>> 0; }
      return (h1 >>> 0).toString(16) + ":" + h2.toString(16);
    }""")


def all_frames_text(page: Any) -> str:
    """The visible text of the page and of every frame in it."""
    texts = []
    for frame in page.frames:
        with contextlib.suppress(Exception):
            texts.append(frame.evaluate("() => document.body ? document.body.innerText : ''"))
    return "\n".join(texts)


CYPHER_EDITOR = 'iframe[title="explorer.components.cypher_editor.cypher_editor"]'


def type_cypher(page: Any, text: str) -> None:
    """Put ``text`` in the console's Cypher editor (a component frame), as a person typing it would."""
    editor = page.frame_locator(CYPHER_EDITOR).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def screenshot(page: Any, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png when POLICYKG_SCREENSHOTS=1 (so test runs do not rewrite tracked files)."""
    if os.environ.get("POLICYKG_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.locator('[data-testid="stToast"]').first.wait_for(state="detached", timeout=15_000)  # toasts fade away
    page.mouse.move(1390, 890)  # no hover effects or tooltips
    page.screenshot(path=str(path), full_page=False)
    return path


# --------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module", name="chromium")
def chromium_fixture() -> str:
    return require_browser()


@pytest.fixture(scope="module", name="app_server")
def app_server_fixture(chromium: str, tmp_path_factory: pytest.TempPathFactory, bundled_store) -> Iterator[AppServer]:
    """The explorer on 127.0.0.1 with an embedded database of its own: a copy of the session's store of the
    two bundled plans (tests/conftest.py), what the app would load on first use."""
    folder = tmp_path_factory.mktemp("app")
    server = AppServer(bundled_store.copy_to(folder / "g.lbdb"), folder / "streamlit.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module", name="browser_context")
def browser_context_fixture(chromium: str) -> Iterator[Any]:
    """One Chromium context for the module, 1400×900, Chinese; ``context.watch`` is its :class:`Watch`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        downloads = tempfile.mkdtemp(prefix="policykg-downloads-")
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
        watch = Watch()
        watch.attach_context(context)
        context.watch = watch
        context.downloads_dir = downloads
        try:
            yield context
        finally:
            context.close()
            browser.close()
            shutil.rmtree(downloads, ignore_errors=True)


@pytest.fixture(name="page")
def page_fixture(browser_context: Any) -> Iterator[Any]:
    """A new tab in the module's context (watched), closed after the test."""
    tab = browser_context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        tab.close()


# --------------------------------------------------------------------------------------------- widgets

GRID_ROWS_JS = """(grid) => Array.from(grid.querySelectorAll('tr'))
  .map((row) => Array.from(row.querySelectorAll('[role="gridcell"]')).map((cell) => cell.innerText.trim()))
  .filter((cells) => cells.length > 0)"""
GRID_HEADERS_JS = """(grid) => Array.from(grid.querySelectorAll('[role="columnheader"]'))
  .map((header) => header.innerText.trim())"""


def _grid(dataframe: Any, script: str, timeout: float) -> Any:
    """Evaluate ``script`` on the grid until it finds something (the grid draws a moment after it appears)."""
    dataframe.wait_for()
    deadline = time.monotonic() + timeout
    found = dataframe.evaluate(script)
    while not found and time.monotonic() < deadline:
        time.sleep(0.1)
        found = dataframe.evaluate(script)
    return found


def grid_rows(dataframe: Any, timeout: float = 10.0) -> list[list[str]]:
    """The visible rows of an st.dataframe (glide-data-grid draws on a canvas; its accessible table has the text)."""
    return _grid(dataframe, GRID_ROWS_JS, timeout)


def grid_headers(dataframe: Any, timeout: float = 10.0) -> list[str]:
    return [h for h in _grid(dataframe, GRID_HEADERS_JS, timeout) if h]


def widget(page: Any, testid: str, label: str) -> Any:
    """The Streamlit widget of a kind (``stSelectbox``, ``stTextInput`` ...) whose label is exactly ``label``."""
    return page.locator(f'[data-testid="{testid}"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True))


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` (its shown text, exactly) in the selectbox labelled ``label``, and let the app rerun."""
    box = widget(page, "stSelectbox", label)
    box.locator("input").click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def type_into(page: Any, label: str, text: str) -> None:
    """Type ``text`` into the text input labelled ``label`` and press Enter (the app reruns)."""
    box = widget(page, "stTextInput", label).locator("input")
    box.fill(text)
    box.press("Enter")
    settle(page)

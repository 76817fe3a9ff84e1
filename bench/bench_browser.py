"""The explorer in a real browser: every page's first render and a filter change, the Network page after a
server start, and a 2,000-node graph.

Targets (issue 13, "Performance"), measured with Debian's Chromium driven by Playwright:

1. Every page of the app (``tests.browser.PAGES``) with the two bundled plans: first render < 2 s and a
   filter change < 0.5 s, medians of ``--repeat`` runs, on a server that is up (``streamlit run app.py`` on
   127.0.0.1) whose store holds the plans.
2. The Network page drawn with its physics stabilised less than 3 s after navigation on the first visit
   after a server start (median of ``--restarts``), and on every later visit.
3. A generated graph of 2,000 nodes, rendered by ``views.draw.render_network_html`` and served from
   127.0.0.1, drawn in the browser and draggable: a node dragged with the mouse moves and the canvas changes.

    python bench/bench_browser.py [--restarts 3] [--repeat 5] [--nodes 2000] [--seed 0] [--write]
                                  [--pages network,agencies,…] [--parts network,pages,big]

How a page is timed (``wait_settled``): an init script in every frame (``WATCH_JS``) notes, on the browser's
clock, every change of Streamlit's script state, the last change of the main area's nodes or text, when each
frame finished loading and when views.draw's ``#policykg-network`` got ``data-state="ready"`` (set once
vis-network's stabilisation is done, or at once when physics is off, after the view is fitted) and two
animation frames later. A page is settled when a run has begun and the app is not running (script state,
status widget), no skeleton is shown, the title (h1) is there, every frame has loaded and every drawing is
ready and drawn, and all of that held for ``QUIET_S`` without a change; the moment counted is the last of
those events. *First render* runs from the top page's navigation start (its ``performance.timeOrigin``), each
run in a fresh browser context; *filter change* from the trusted pointerdown or keydown that works one
control of the page (``CONTROLS``: found by its label words from ``data/ui`` through ``explorer.i18n``, in
Chinese, and its Streamlit ``data-testid``; a page whose control is not found is reported without a figure,
with the reason) to settled again. A page that shows an exception is reported with it; the rest go on.

The Network page after a start is measured

- on a freshly started server whose store already holds the two plans (the usual start: the
  user has run the app before): the first visit, in a new browser profile, is the one the
  target is about; the server is restarted ``--restarts`` times and the median counts; after
  the last restart, ``--repeat`` further visits, each a new tab and so a new session, must
  all be under the target too;
- and, for information, on the very first start of the app with an empty database, where the
  first visit also reads the two bundled plans into the store.

Prints a Markdown section; ``--write`` (every part, every page) puts it in ``docs/benchmarks.md`` as
"## Explorer". Exit status: 0 targets met, 1 a target missed (the verdict says which), 2 a part could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from bench._report import DOCS_FILE, cpu_model, git_commit, python_and_system, version  # noqa: E402
from tests.browser import (  # noqa: E402
    PAGES,
    VIEWPORT,
    AppServer,
    Watch,
    canvas_digest,
    canvas_ink,
    chromium_executable,
    launch_chromium,
    network_frame,
)

TARGET_S = 3.0
SECTION = "## Explorer"
COMMAND = "python bench/bench_browser.py"
DRAWN_TIMEOUT_S = 60.0

#: runs in every frame before its scripts (Playwright's init script), and is put by each frame into every
#: same-origin frame it holds as soon as that frame has a new document: Chromium does not run init scripts in a
#: frame whose first document (about:blank) hands its window on to the page it navigates to, as Streamlit's
#: component iframes do. In every document: when views.draw's ``#policykg-network`` became ready (the first time:
#: ``__pkReady``/``__pkDrawn``; the latest: ``__pkReadyLast``/``__pkDrawnLast``, for a drawing redrawn in place),
#: when the document finished loading, and, once armed, when the first trusted pointerdown or keydown came (the
#: start of a filter change). In the top page: when Streamlit's script started and finished running (first times
#: in ``__pkMarks``, every change of state in ``__pkStates``), when the title and the first iframe appeared, and
#: when the main area's content last changed (nodes or text, not attributes).
WATCH_JS = """(function pkWatch() {
  if (document.__pkWatch) { return; }
  document.__pkWatch = true;
  const now = () => performance.timeOrigin + performance.now();
  const top = window === window.top;
  window.__pkMarks = window.__pkMarks || {};
  window.__pkStates = window.__pkStates || [];
  window.__pkMutated = 0;
  window.__pkInput = 0;
  window.__pkArmed = false;
  const marks = window.__pkMarks;
  const input = (event) => {
    if (window.__pkArmed && event.isTrusted) { window.__pkArmed = false; window.__pkInput = now(); }
  };
  window.addEventListener("pointerdown", input, true);
  window.addEventListener("keydown", input, true);
  const loaded = () => { document.__pkLoaded = document.__pkLoaded || now(); };
  if (document.readyState === "complete") { loaded(); } else { window.addEventListener("load", loaded); }
  let lastState = null, lastEl = null, lastNet = null;
  const check = (records) => {
    const at = now();
    if (top) {
      const app = document.querySelector('[data-testid="stApp"]');
      const state = app && app.getAttribute("data-test-script-state");
      if (state !== lastState) { window.__pkStates.push([state, at]); lastState = state; }
      if (state === "running" && !marks.running) { marks.running = at; }
      if (state === "notRunning" && marks.running && !marks.finished) { marks.finished = at; }
      const main = document.querySelector('[data-testid="stMain"]');
      if (!marks.title && main && main.querySelector("h1")) { marks.title = at; }
      if (!marks.iframe && main && main.querySelector("iframe")) { marks.iframe = at; }
      const changed = main && records ? records.filter((r) => r.type !== "attributes" && main.contains(r.target))
        : [];
      if (changed.length) {
        window.__pkMutated = at;
        // what changed last, by the data-testid of the nearest elements around it
        let el = changed[changed.length - 1].target;
        el = el.nodeType === 1 ? el : el.parentElement;
        const path = [];
        while (el && el !== main && path.length < 2) {
          const id = el.getAttribute("data-testid");
          if (id && !["stVerticalBlock", "stHorizontalBlock", "stColumn", "stLayoutWrapper"].includes(id)) {
            path.push(id.replace(/(-[0-9]+)+$/, ""));  // glide-cell-7-21: a grid cell
          }
          el = el.parentElement;
        }
        window.__pkMutatedWhat = path.join(" in ");
      }
    }
    const el = document.getElementById("policykg-network");
    const net = el && el.getAttribute("data-state");
    if (el && net === "ready" && (el !== lastEl || lastNet !== "ready")) {
      window.__pkReadyLast = at;
      window.__pkReady = window.__pkReady || at;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const drawn = now();
        window.__pkDrawnLast = drawn;
        window.__pkDrawn = window.__pkDrawn || drawn;
      }));
    }
    lastEl = el;
    lastNet = net;
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["data-state", "data-test-script-state"]});
  check(null);
  const adopt = () => {
    for (const frame of document.querySelectorAll("iframe")) {
      try {
        const doc = frame.contentDocument;
        if (doc && !doc.__pkWatch) { frame.contentWindow.eval("(" + pkWatch.toString() + ")()"); }
      } catch (error) { /* another origin: not ours to time */ }
    }
  };
  setInterval(adopt, 15);
})();"""


@dataclass
class Visit:
    """One navigation to a page that draws a network, and when it was drawn (s from navigation start)."""

    frame_start: float  # the drawing's document began (for the app: the iframe Streamlit made)
    ready: float  # laid out: stabilisation done (or physics off), view fitted
    drawn: float  # two animation frames after ready: on the canvas
    wall: float  # Python's clock, goto() to drawn seen
    ink: dict[str, int]
    nodes: int = 0
    edges: int = 0
    marks: dict[str, float] = field(default_factory=dict)  # top page: running, finished, title, iframe (s)


@dataclass
class Results:
    first_start: Visit | None = None
    first_visits: list[Visit] = field(default_factory=list)
    repeats: list[Visit] = field(default_factory=list)
    server_start_s: list[float] = field(default_factory=list)
    big: Visit | None = None
    big_render_s: float = 0.0
    big_html_bytes: int = 0
    big_edges: int = 0
    drag: dict[str, Any] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    browser_version: str = ""
    load: list[tuple[float, float, float]] = field(default_factory=list)  # os.getloadavg() before and after
    pages: dict[str, PageResult] = field(default_factory=dict)  # each visit in a fresh browser profile
    returning: dict[str, PageResult] = field(default_factory=dict)  # each visit a new tab of a returning browser
    elapsed_s: float = 0.0


# --------------------------------------------------------------------------- measuring


def measure_visit(page: Any, url: str, timeout: float = DRAWN_TIMEOUT_S) -> Visit:
    """Navigate to ``url`` and wait for the network drawing (in the page or a frame) to be on the canvas."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    deadline = time.monotonic() + timeout
    frame = None
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            frame = network_frame(page, timeout=0.05) if frame is None else frame
            if frame is not None and frame.evaluate("() => window.__pkDrawn || 0"):
                break
        page.wait_for_timeout(20)
    else:
        raise RuntimeError(f"{url}: no network drawn within {timeout:.0f} s")
    wall = time.perf_counter() - started
    origin = page.evaluate("() => performance.timeOrigin")
    top = page.evaluate("() => window.__pkMarks || {}")
    marks = frame.evaluate("() => [performance.timeOrigin, window.__pkReady, window.__pkDrawn]")
    counts = frame.evaluate("() => window.policykg ? [window.policykg.nodes.length, window.policykg.edges.length]"
                            " : [0, 0]")
    ink = canvas_ink(frame) or {}
    return Visit(frame_start=(marks[0] - origin) / 1000, ready=(marks[1] - origin) / 1000,
                 drawn=(marks[2] - origin) / 1000, wall=wall, ink=ink, nodes=counts[0], edges=counts[1],
                 marks={key: (value - origin) / 1000 for key, value in top.items()})


def drawn(visit: Visit) -> bool:
    return bool(visit.ink) and visit.ink.get("painted", 0) > 50 and visit.ink.get("colors", 0) >= 3


def bench_app(playwright: Any, executable: str, repeat: int, restarts: int, folder: Path,
              results: Results) -> None:
    """The Network page: first start on an empty database, then ``restarts`` restarts on the loaded one.

    Every start is a new server process and a new browser (empty cache) whose first visit is timed; after the
    last restart, ``repeat`` more visits in new tabs (new sessions, warm server and browser cache).
    """
    database = folder / "g.lbdb"
    for number in range(restarts + 1):
        server = AppServer(database, folder / f"streamlit-{number}.log")
        started = time.perf_counter()
        server.start()
        results.server_start_s.append(time.perf_counter() - started)
        try:
            browser = launch_chromium(playwright, executable)
            results.browser_version = browser.version
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            context.add_init_script(WATCH_JS)
            watch = Watch()
            watch.attach_context(context)
            try:
                page = context.new_page()
                visit = measure_visit(page, server.url("/"))
                page.close()
                if number == 0:
                    results.first_start = visit
                else:
                    results.first_visits.append(visit)
                if number == restarts:
                    for _ in range(repeat):
                        page = context.new_page()
                        results.repeats.append(measure_visit(page, server.url("/")))
                        page.close()
                results.foreign += watch.foreign()
            finally:
                context.close()
                browser.close()
        except Exception:
            print(server.log_tail(), file=sys.stderr)
            raise
        finally:
            server.stop()


# --------------------------------------------------------------------------- every page: first render, a filter

PAGE_TARGET_S = 2.0
FILTER_TARGET_S = 0.5
QUIET_S = 0.5  # a page is settled once nothing in it changed for this long (not counted in the time)
SETTLE_TIMEOUT_S = 60.0
RERUN_TIMEOUT_S = 5.0  # an interaction that starts no run within this long did not change the view

#: the control a filter change uses on each page: the label keys of data/ui/*.toml tried in order (the first
#: found on the page, enabled, is used); "button:" a button of that name, clicked
CONTROLS: dict[str, tuple[str, ...]] = {
    # A large graph's Network and Documents pages start from a city: their other lists are empty until then.
    "network": ("network.cities", "network.documents", "network.types", "network.depth"),
    "agencies": ("agencies.filter_cities", "agencies.filter_documents", "agencies.filter_types"),
    "coordination": ("coordination.min_weight", "coordination.mode", "coordination.city",
                     "coordination.documents"),
    "console": ("button:console.run",),
    "library": ("library.query",),
    "documents": ("documents.city", "documents.which", "documents.edit_which"),
    "targets": ("targets.filter_cities", "targets.years"),
    "review": ("review.filter", "review.cities"),
}
#: what Streamlit draws as the one option of a list with nothing in it (clicking it changes nothing)
EMPTY_LIST_TEXTS = ("No results",)
#: the kinds of Streamlit widget a control may be, by their data-testid
WIDGET_KINDS = ("stMultiSelect", "stSelectbox", "stSlider", "stRadio", "stButtonGroup", "stSegmentedControl",
                "stNumberInput")

STATE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    now: performance.timeOrigin + performance.now(), origin: performance.timeOrigin,
    state: app ? app.getAttribute("data-test-script-state") : null,
    running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
                                      + '[data-testid="stStatusWidgetRunningManIcon"]'),
    skeleton: !!document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'),
    title: !!(main && main.querySelector("h1")),
    iframes: main ? main.querySelectorAll("iframe").length : 0,
    exceptions: main ? Array.from(main.querySelectorAll('[data-testid="stException"]'))
      .map((e) => e.innerText.trim().slice(0, 400)) : [],
    notFound: Array.from(document.querySelectorAll('[role="dialog"]'))
      .some((d) => d.innerText.includes("Page not found")),
    states: window.__pkStates || [], mutated: window.__pkMutated || 0, input: window.__pkInput || 0,
    mutatedWhat: window.__pkMutatedWhat || "",
    marks: window.__pkMarks || {},
  };
}"""
FRAME_JS = """() => {
  const el = document.getElementById("policykg-network");
  return {complete: document.readyState === "complete", loaded: document.__pkLoaded || 0, network: !!el,
          state: el ? el.getAttribute("data-state") : null, ready: window.__pkReadyLast || 0,
          drawn: window.__pkDrawnLast || 0};
}"""
#: what the main area shows, to tell whether an interaction changed it: its text and its images' sources
TEXT_JS = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return main ? [main.innerText, ...Array.from(main.querySelectorAll("img"), (img) => img.src)].join("\\n") : ""; }"""


class PageBroken(RuntimeError):
    """The page showed an exception, Streamlit's "Page not found", or never settled."""


@dataclass
class Settled:
    """When a page held still after a navigation or an interaction, and the steps on the way (epoch ms)."""

    start: float  # navigation start, or the interaction
    end: float  # the last of: the run finished, the main area's last change, a drawing drawn, a frame loaded
    running: float | None  # the first run after start began
    finished: float | None  # the last run after start finished
    drawn: float | None  # the latest drawing drawn after start, if any
    frames: int = 0
    network_frames: int = 0
    last: str = ""  # what came last: "the run's end", "a drawing drawn", "a frame loaded", or what changed

    @property
    def seconds(self) -> float:
        return (self.end - self.start) / 1000

    def step(self, a: float | None, b: float | None) -> float | None:
        return (b - a) / 1000 if a is not None and b is not None else None


def _frames_state(page: Any) -> list[dict[str, Any]] | None:
    """FRAME_JS in every child frame, or None while one is between documents."""
    found = []
    for frame in page.frames:
        if frame == page.main_frame:
            continue
        try:
            found.append(frame.evaluate(FRAME_JS))
        except Exception:
            return None
    return found


def wait_settled(page: Any, since: float | None = None, timeout: float = SETTLE_TIMEOUT_S,
                 quiet: float = QUIET_S) -> Settled:
    """Wait until the page is settled after ``since`` (epoch ms; None: its navigation start).

    Settled: a script run began after ``since`` and the app is not running (its script state and Streamlit's
    status widget say so), no skeleton is shown, the main area has its title (h1), every frame in the page
    has loaded and every views.draw drawing in one is ready and drawn; and all of it held for ``quiet``
    seconds without a change in the main area. The moment counted is the last event before that quiet.
    """
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS)
        if state["exceptions"]:
            raise PageBroken("the page shows an exception: " + " / ".join(state["exceptions"]))
        if state["notFound"]:
            raise PageBroken("Streamlit says the page is not found")
        start = state["origin"] if since is None else since
        states = [(name, at) for name, at in state["states"] if at >= start]
        began = [at for name, at in states if name == "running"]
        if not began and since is not None and state["now"] - start > RERUN_TIMEOUT_S * 1000:
            raise PageBroken(f"no script run within {RERUN_TIMEOUT_S:g} s of the interaction")
        frames = _frames_state(page)
        idle = (began and state["state"] == "notRunning" and not state["running"] and not state["skeleton"]
                and state["title"])
        if idle and frames is not None and len(frames) >= state["iframes"] and all(
                f["complete"] and (not f["network"] or (f["state"] == "ready" and f["drawn"] >= f["ready"] > 0))
                for f in frames):
            finished = max(at for name, at in states if name == "notRunning")
            drawn = max((f["drawn"] for f in frames if f["network"] and f["drawn"] >= start), default=None)
            loaded = [f["loaded"] for f in frames if f["loaded"] >= start]
            events = [(finished, "the run's end"), (state["mutated"], state["mutatedWhat"] or "the main area"),
                      *((at, "a frame loaded") for at in loaded), *([(drawn, "a drawing drawn")] if drawn else [])]
            end, last = max(events, key=lambda event: event[0])
            if state["now"] - end >= quiet * 1000:
                return Settled(start=start, end=end, running=began[0], finished=finished, drawn=drawn,
                               frames=len(frames), network_frames=sum(1 for f in frames if f["network"]), last=last)
        page.wait_for_timeout(50)  # only to see the quiet: the times are the browser's own
    raise PageBroken(f"not settled within {timeout:.0f} s (script state {state.get('state')!r}, title "
                     f"{state.get('title')}, skeleton {state.get('skeleton')}, {state.get('iframes')} iframes)")


@dataclass
class Control:
    """The control found for a page's filter change and what was done with it."""

    key: str
    label: str
    kind: str
    locator: Any = None


def page_controls(page: Any, name: str, tried: list[str], language: str = "zh") -> Iterator[Control]:
    """The usable controls of CONTROLS[name] on the page, in that order, by their labels in ``language``;
    why each one passed over was not usable is added to ``tried``."""
    from explorer.i18n import translate

    for entry in CONTROLS.get(name, ()):
        kind, _, key = entry.rpartition(":")
        try:
            label = translate(key, language)
        except KeyError:
            tried.append(f"{key}: no such words in data/ui")
            continue
        if kind == "button":
            button = page.get_by_role("button", name=label, exact=True)
            if button.count() and button.first.is_enabled():
                yield Control(key, label, "button", button.first)
            else:
                tried.append(f"{key} ({label!r}): no enabled button")
            continue
        boxes = page.locator(", ".join(f'[data-testid="{kind}"]' for kind in WIDGET_KINDS)).filter(
            has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))
        found = False
        for index in range(boxes.count()):
            box = boxes.nth(index)
            if not box.is_visible():
                continue
            if box.locator('[aria-disabled="true"], input:disabled, [disabled]').count():
                tried.append(f"{key} ({label!r}): disabled")
                continue
            found = True
            yield Control(key, label, box.get_attribute("data-testid") or "?", box)
            break
        if not found and not boxes.count():
            tried.append(f"{key} ({label!r}): not on the page")


def _browser_now(page: Any) -> float:
    return page.evaluate("() => performance.timeOrigin + performance.now()")


def _arm(page: Any) -> float:
    """Arm the input watch: the next trusted pointerdown or keydown is the interaction's start."""
    return page.evaluate("() => { window.__pkInput = 0; window.__pkArmed = true;"
                         " return performance.timeOrigin + performance.now(); }")


def _options(page: Any, opener: Any) -> Any:
    """Open a select's list and wait until it holds still; its options (those drawn: the list is virtual)."""
    opener.click()
    options = page.locator('[role="listbox"] [role="option"]')
    options.first.wait_for(state="visible", timeout=5_000)
    count = -1
    for _ in range(20):  # the list fades in and re-renders as it fills
        page.wait_for_timeout(100)
        if options.count() == count:
            break
        count = options.count()
    return options


def change(page: Any, control: Control) -> tuple[float, str]:
    """Change the view with ``control``; the browser time just before the interaction and what was done.

    A select (react-aria in Streamlit 1.67) gets another option than the one shown; a multiselect one more
    option (not its "Select all", whose ``data-key`` is ``__select_all__``); a slider's (first) thumb one step
    with the arrow keys; a radio or a button group another choice; a button a click.
    """
    box, kind = control.locator, control.kind
    if kind == "button":
        armed = _arm(page)
        box.click()
        return armed, "clicked"
    if kind in ("stMultiSelect", "stSelectbox"):
        field_ = box.locator("input").first
        current = field_.input_value().strip() if kind == "stSelectbox" else ""
        opener = box.locator('button[aria-haspopup="listbox"]')
        options = _options(page, opener.first if kind == "stSelectbox" and opener.count() else field_)
        for index in range(options.count()):
            option = options.nth(index)
            text = option.inner_text().strip()
            if (text and text != current and text not in EMPTY_LIST_TEXTS
                    and not (option.get_attribute("data-key") or "").startswith("__")
                    and option.get_attribute("aria-selected") != "true"
                    and option.get_attribute("aria-disabled") != "true"):
                armed = _arm(page)
                option.click()
                page.mouse.move(5, 5)  # off the main area (the sidebar's corner): no hover in what is timed
                return armed, f"chose {text!r}"
        page.keyboard.press("Escape")
        raise LookupError("no other option to choose")
    if kind == "stSlider":
        thumb = box.locator('input[type="range"]').first
        value = float(thumb.input_value() or 0)
        top = float(thumb.get_attribute("max") or value)
        key = "ArrowRight" if value < top else "ArrowLeft"
        thumb.focus()
        armed = _arm(page)
        page.keyboard.press(key)
        return armed, f"{key} on the slider (from {value:g})"
    if kind == "stRadio":
        label = box.locator("label").filter(has=page.locator("input:not(:checked)")).first
        text = label.inner_text().strip()
        armed = _arm(page)
        label.click()
        return armed, f"chose {text!r}"
    if kind in ("stButtonGroup", "stSegmentedControl"):
        buttons = box.locator("button")
        for index in range(buttons.count()):
            button = buttons.nth(index)
            if not (button.get_attribute("data-testid") or "").endswith("Active") and \
                    button.get_attribute("aria-checked") != "true":
                text = button.inner_text().strip()
                armed = _arm(page)
                button.click()
                return armed, f"chose {text!r}"
        raise LookupError("no other choice in the button group")
    if kind == "stNumberInput":
        field_ = box.locator("input").first
        value = float(field_.input_value() or 0)
        field_.fill(f"{value + 1:g}")
        armed = _arm(page)
        field_.press("Enter")
        return armed, f"typed {value + 1:g}"
    raise LookupError(f"cannot work a {kind}")


def page_url(server: AppServer, name: str) -> str:
    """Streamlit serves the default page (Network) at / only: /network shows its "Page not found"."""
    return server.url("/" if name == "network" else "/" + name)


#: how the top page itself loaded: DOMContentLoaded and load (s from navigation start), what its scripts weighed
NAVIGATION_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const scripts = performance.getEntriesByType("resource").filter((r) => r.initiatorType === "script"
                                                                     || r.name.endsWith(".js"));
  return {dom: nav ? nav.domContentLoadedEventEnd / 1000 : null, load: nav ? nav.loadEventEnd / 1000 : null,
          scripts: scripts.length, bytes: scripts.reduce((sum, r) => sum + (r.encodedBodySize || 0), 0)};
}"""


@dataclass
class PageRun:
    first: Settled | None = None
    navigation: dict[str, Any] = field(default_factory=dict)  # NAVIGATION_JS after the first render
    filter: Settled | None = None
    control: str = ""  # "key (kind): what was done"
    filter_note: str = ""  # why there is no filter figure, or what is odd about it
    error: str = ""


@dataclass
class PageResult:
    name: str
    runs: list[PageRun] = field(default_factory=list)

    def firsts(self) -> list[float]:
        return [run.first.seconds for run in self.runs if run.first is not None]

    def filters(self) -> list[float]:
        return [run.filter.seconds for run in self.runs if run.filter is not None]


def measure_page(browser: Any, server: AppServer, name: str, watch: Watch, returning: Any = None) -> PageRun:
    """The page's first render, then one filter change: in a fresh browser context (new session, empty
    cache), or in a new tab of ``returning``, a context that has been to the app before (new session,
    Streamlit's frontend in its cache, as in the browser of someone who uses the app every day)."""
    run = PageRun()
    if returning is None:
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.add_init_script(WATCH_JS)
        watch.attach_context(context)
    else:
        context = returning
    page = None
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(page_url(server, name), wait_until="commit")
            run.first = wait_settled(page)
            run.navigation = page.evaluate(NAVIGATION_JS)
        except Exception as error:
            run.error = f"first render: {_one_line(error)}"
            return run
        # The first control that can be worked: one with nothing to choose yet (the Network page's plans
        # before a city is chosen) or that does not open is passed over for the next, and said so.
        tried: list[str] = []
        before = page.evaluate(TEXT_JS)
        for control in page_controls(page, name, tried):
            try:
                armed, done = change(page, control)
                break
            except Exception as error:
                page.keyboard.press("Escape")  # a list left open covers the next control
                tried.append(f"could not work {control.key} ({control.kind}): {_one_line(error)}")
        else:
            run.filter_note = f"no control found ({'; '.join(tried) or 'no control listed'})"
            return run
        why = "; ".join(tried)
        run.control = f"{control.key} ({control.kind}): {done}" + (f" (not used: {why})" if why else "")
        started = page.evaluate("() => window.__pkInput || 0") or armed
        try:
            run.filter = wait_settled(page, since=started)
        except Exception as error:
            run.error = f"filter change ({run.control}): {_one_line(error)}"
            return run
        if page.evaluate(TEXT_JS) == before and run.filter.drawn is None:
            run.filter_note = "the main area's text, images and drawing did not change"
        elif run.filter.network_frames and run.filter.drawn is None:
            run.filter_note = "the drawing was not redrawn"
        return run
    finally:
        if returning is None:
            context.close()
        elif page is not None:
            page.close()


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:300] if text else ''}"


def bench_pages(playwright: Any, executable: str, repeat: int, names: tuple[str, ...], folder: Path,
                results: Results) -> None:
    """Every page ``repeat`` times, round robin, each in a fresh browser context and in a new tab of a
    returning browser (one that visited every page once before), on a server that is up.

    The server starts on the database the Network part left (the store holds the two plans; an empty one is
    loaded by the warm-up) and one unmeasured visit of the Network page opens the store and builds the graph,
    as any first visitor does (that case is the Network part's first visit after a restart).
    """
    server = AppServer(folder / "g.lbdb", folder / "streamlit-pages.log")
    server.start()
    watch = Watch()
    try:
        browser = launch_chromium(playwright, executable)
        results.browser_version = browser.version
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            context.add_init_script(WATCH_JS)
            warm = context.new_page()
            warm.goto(page_url(server, "network"), wait_until="commit")
            try:
                wait_settled(warm, timeout=120)
            except PageBroken as error:  # the Network page is broken: its runs will say so; the others go on
                print(f"warm-up visit of the Network page: {error}", file=sys.stderr)
            context.close()
            results.pages = {name: PageResult(name) for name in names}
            results.returning = {name: PageResult(name) for name in names}
            returning = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            returning.add_init_script(WATCH_JS)
            watch.attach_context(returning)
            for name in names:  # its earlier day: every page once, unmeasured
                measure_page(browser, server, name, watch, returning)
            for number in range(repeat):
                for name in names:
                    for kind, pages, context in (("fresh", results.pages, None),
                                                 ("returning", results.returning, returning)):
                        run = measure_page(browser, server, name, watch, context)
                        pages[name].runs.append(run)
                        print(f"run {number + 1} {name} ({kind} browser): first {run.first and fmt(run.first.seconds)}"
                              f", filter {run.filter and fmt(run.filter.seconds)} {run.control} {run.filter_note} "
                              f"{run.error}", file=sys.stderr)
            returning.close()
        finally:
            browser.close()
        results.foreign += watch.foreign()
    except Exception:
        print(server.log_tail(), file=sys.stderr)
        raise
    finally:
        server.stop()


NODE_MIX = (  # type, share of nodes, name pattern
    ("Document", 0.005, "{city}市人工智能产业发展行动方案"),
    ("Section", 0.03, "{cn}、重点任务第{i}部分"),
    ("Action", 0.40, "推进{word}项目建设第{i}项"),
    ("Agency", 0.15, "{city}市{word}局"),
    ("AgencyKind", 0.02, "{word}局"),
    ("District", 0.03, "{word}区"),
    ("Park", 0.03, "{word}产业园"),
    ("Platform", 0.06, "{word}创新平台"),
    ("Organization", 0.08, "{word}科技有限公司"),
    ("Target", 0.195, "到2027年建成{word}{i}个"),
)
WORDS = ("算力", "数据", "智能", "制造", "医疗", "教育", "交通", "农业", "文旅", "金融", "能源", "物流", "政务",
         "安全", "芯片", "软件", "机器人", "低空", "光电", "生物")
CITIES = ("宜昌", "襄阳", "荆州", "黄石", "十堰", "孝感", "荆门", "黄冈", "咸宁", "随州")


def generated_graph(n_nodes: int, seed: int) -> Any:
    """A plan-shaped graph of ``n_nodes`` nodes: documents, sections, actions, agencies, entities, targets."""
    import networkx as nx

    rng = random.Random(f"policykg-bench-browser:{seed}")
    graph = nx.MultiDiGraph()
    by_type: dict[str, list[str]] = {}
    counts = [(kind, max(1, round(share * n_nodes)), pattern) for kind, share, pattern in NODE_MIX]
    counts[2] = (counts[2][0], counts[2][1] + n_nodes - sum(c for _, c, _ in counts), counts[2][2])  # exact total
    for kind, count, pattern in counts:
        for i in range(count):
            key = f"{kind.lower()}{i}"
            name = pattern.format(city=rng.choice(CITIES), cn="一二三四五六七八九十"[i % 10], i=i + 1,
                                  word=rng.choice(WORDS))
            graph.add_node(key, label=kind, name=name)
            by_type.setdefault(kind, []).append(key)

    def link(a: str, b: str, kind: str, **props: Any) -> None:
        graph.add_edge(a, b, key=kind, type=kind, **props)

    docs, sections = by_type["Document"], by_type["Section"]
    for section in sections:
        link(rng.choice(docs), section, "HAS_SECTION")
    for action in by_type["Action"]:
        link(rng.choice(sections), action, "HAS_ACTION")
        agencies = rng.sample(by_type["Agency"], rng.randint(1, 3))
        link(agencies[0], action, "LEADS", basis=rng.choice(("explicit", "first-listed")), rank=1)
        for rank, agency in enumerate(agencies[1:], start=2):
            link(agency, action, "RESPONSIBLE_FOR", rank=rank)
        if rng.random() < 0.5:
            entity = rng.choice(by_type[rng.choice(("District", "Park", "Platform", "Organization"))])
            link(action, entity, "MENTIONS")
    for agency in by_type["Agency"]:
        link(agency, rng.choice(by_type["AgencyKind"]), "OF_KIND")
    for target in by_type["Target"]:
        link(rng.choice(by_type["Action"]), target, "SETS_TARGET")
    for park in by_type["Park"]:
        link(park, rng.choice(by_type["District"]), "LOCATED_IN")
    return graph


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A tiny static HTTP server for ``folder`` on 127.0.0.1 at a free port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


DRAG_SETUP_JS = """() => {
  const n = window.policykg.network;
  window.__pkFrames = [];
  let t0 = 0;
  n.on("beforeDrawing", () => { t0 = performance.now(); });
  n.on("afterDrawing", () => { window.__pkFrames.push(performance.now() - t0); });
  window.__pkDragEnd = null;
  n.on("dragEnd", (p) => { if (window.__pkDragEnd === null) { window.__pkDragEnd = p.nodes; } });
}"""

PICK_NODE_JS = """() => {
  // the node nearest the middle of the view that the mouse can hit there
  const n = window.policykg.network;
  const box = n.body.container.getBoundingClientRect();
  const mid = {x: box.width / 2, y: box.height / 2};
  let best = null;
  for (const id of window.policykg.nodes.getIds()) {
    const d = n.canvasToDOM(n.getPosition(id));
    const far = Math.hypot(d.x - mid.x, d.y - mid.y);
    if (d.x < 40 || d.y < 40 || d.x > box.width - 200 || d.y > box.height - 200) { continue; }
    // the mouse must hit the node at and around its centre (input coordinates are rounded)
    const around = [[0, 0], [-2, 0], [2, 0], [0, -2], [0, 2]];
    if (!around.every(([dx, dy]) => n.getNodeAt({x: d.x + dx, y: d.y + dy}) === id)) { continue; }
    if (best === null || far < best.far) { best = {id: id, x: d.x + box.left, y: d.y + box.top, far: far}; }
  }
  return best === null ? null : {id: best.id, x: best.x, y: best.y, scale: n.getScale(),
                                 position: n.getPosition(best.id)};
}"""


def bench_big(playwright: Any, executable: str, n_nodes: int, seed: int, folder: Path, results: Results) -> None:
    """The generated graph: rendered in Python, drawn in Chromium from 127.0.0.1, one node dragged."""
    from views.draw import render_network_html

    graph = generated_graph(n_nodes, seed)
    started = time.perf_counter()
    page_html = render_network_html(graph, title=f"{n_nodes} 个节点 · generated", height="820px")
    results.big_render_s = time.perf_counter() - started
    results.big_html_bytes = len(page_html.encode("utf-8"))
    results.big_edges = graph.number_of_edges()
    site = folder / "site"
    site.mkdir()
    (site / "big.html").write_text(page_html, encoding="utf-8")
    browser = launch_chromium(playwright, executable)
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.add_init_script(WATCH_JS)
        watch = Watch()
        watch.attach_context(context)
        page = context.new_page()
        with serve_folder(site) as base:
            results.big = measure_visit(page, f"{base}/big.html")
        page.evaluate(DRAG_SETUP_JS)
        target = page.evaluate(PICK_NODE_JS)
        if target is None:
            results.drag = {"error": "no node under the mouse at its drawn position"}
            return
        # zoom in on it with the mouse wheel, as a person would before grabbing one node of 2,000
        page.mouse.move(target["x"], target["y"])
        zoom_started = time.perf_counter()
        for _ in range(8):
            page.mouse.wheel(0, -240)
            page.wait_for_timeout(60)
        page.wait_for_timeout(300)
        zoom_s = time.perf_counter() - zoom_started
        target = page.evaluate(PICK_NODE_JS)
        if target is None:
            results.drag = {"error": "no node under the mouse after zooming in"}
            return
        before = canvas_digest(page.main_frame)
        page.evaluate("() => { window.__pkFrames = []; window.__pkDragEnd = null; }")  # count the drag's own
        dx, dy = 150, 90
        page.mouse.move(target["x"], target["y"])
        page.mouse.down()
        moved = time.perf_counter()
        page.mouse.move(target["x"] + dx, target["y"] + dy, steps=15)
        page.mouse.up()
        page.wait_for_timeout(300)
        drag_s = time.perf_counter() - moved
        after_position = page.evaluate("(id) => window.policykg.network.getPosition(id)", target["id"])
        after = canvas_digest(page.main_frame)
        frames = page.evaluate("() => window.__pkFrames")
        expected = (dx / target["scale"], dy / target["scale"])
        moved_by = (after_position["x"] - target["position"]["x"], after_position["y"] - target["position"]["y"])
        results.drag = {
            "node": target["id"], "scale": target["scale"], "mouse_px": (dx, dy), "expected": expected,
            "moved_by": moved_by, "canvas_changed": before != after,
            "drag_end_nodes": page.evaluate("() => window.__pkDragEnd"), "frames": frames, "drag_s": drag_s,
            "zoom_s": zoom_s,
        }
        results.foreign += watch.foreign()
        context.close()
    finally:
        browser.close()


def drag_ok(drag: dict[str, Any]) -> bool:
    if not drag or "error" in drag:
        return False
    (ex, ey), (mx, my) = drag["expected"], drag["moved_by"]
    close = abs(mx - ex) <= 0.1 * abs(ex) + 2 / drag["scale"] and abs(my - ey) <= 0.1 * abs(ey) + 2 / drag["scale"]
    return close and drag["canvas_changed"] and drag["drag_end_nodes"] == [drag["node"]]


# --------------------------------------------------------------------------- report


def fmt(seconds: float) -> str:
    return f"{seconds:.2f} s"


def verdict_of(results: Results, n_nodes: int) -> tuple[bool, list[str]]:
    lines = []
    ok = True
    if results.pages or results.returning:
        for verdict in page_verdicts(results):
            ok &= verdict.startswith("PASS")
            lines.append(verdict)
    firsts = results.first_visits
    if firsts:
        first = statistics.median(v.drawn for v in firsts)
        worst_repeat = max((v.drawn for v in results.repeats), default=0.0)
        app_ok = first < TARGET_S and worst_repeat < TARGET_S and all(drawn(v) for v in firsts + results.repeats)
        ok &= app_ok
        lines.append(f"{'PASS' if app_ok else 'FAIL'}: Network page, two bundled plans ({firsts[0].nodes} nodes, "
                     f"{firsts[0].edges} edges): drawn and stabilised {fmt(first)} after navigation on the first "
                     f"visit to a freshly started server (median of {len(firsts)} restarts; "
                     f"{', '.join(fmt(v.drawn) for v in firsts)}), at most {fmt(worst_repeat)} on "
                     f"{len(results.repeats)} later visits (target < {TARGET_S:g} s)")
    if results.big is not None:
        big_ok = drawn(results.big) and drag_ok(results.drag)
        ok &= big_ok
        lines.append(f"{'PASS' if big_ok else 'FAIL'}: generated graph of {n_nodes:,} nodes drawn "
                     f"{fmt(results.big.drawn)} after navigation and "
                     + ("draggable (the node followed the mouse, the canvas changed)" if drag_ok(results.drag)
                        else f"NOT draggable: {results.drag}"))
    if results.foreign:
        ok = False
        lines.append(f"FAIL: requests left 127.0.0.1: {sorted(set(results.foreign))}")
    return ok, lines


BROWSERS = {"fresh": "fresh browser", "returning": "returning browser"}


def page_verdicts(results: Results) -> list[str]:
    """One line per page and browser: PASS when both medians are under their targets, FAIL when one is over
    or missing."""
    lines = []
    for kind, pages in (("fresh", results.pages), ("returning", results.returning)):
        lines += [_with_browser(line, BROWSERS[kind]) for line in _page_verdicts(pages)]
    return lines


def _with_browser(line: str, browser: str) -> str:
    """'PASS: network: …' as 'PASS: network, fresh browser: …'."""
    verdict, name, rest = line.split(": ", 2)
    return f"{verdict}: {name}, {browser}: {rest}"


def _page_verdicts(pages: dict[str, PageResult]) -> list[str]:
    lines = []
    for name, result in pages.items():
        firsts, filters = result.firsts(), result.filters()
        problems = [run.error for run in result.runs if run.error]
        if not firsts:
            lines.append(f"FAIL: {name}: no first render measured ({problems[0] if problems else 'no run'})")
            continue
        first_ok = statistics.median(firsts) < PAGE_TARGET_S
        said = f"first render {fmt(statistics.median(firsts))} (target < {PAGE_TARGET_S:g} s)"
        if filters:
            filter_ok = statistics.median(filters) < FILTER_TARGET_S
            said += f", filter change {fmt(statistics.median(filters))} (target < {FILTER_TARGET_S:g} s)"
        else:
            filter_ok = False
            said += f", filter change not measured: {_why_no_filter(result)}"
        ok = first_ok and filter_ok and not problems
        if problems:
            said += f"; {len(problems)} of {len(result.runs)} runs failed: {problems[0]}"
        lines.append(f"{'PASS' if ok else 'FAIL'}: {name}: {said}, medians of {len(result.runs)} runs")
    return lines


def _why_no_filter(result: PageResult) -> str:
    notes = [run.filter_note or run.error for run in result.runs if run.filter is None]
    return notes[0] if notes else "no run"


def report(args: argparse.Namespace, results: Results, verdicts: list[str], ok: bool) -> str:
    lines = [
        SECTION,
        "",
        f"Reproduce: `{COMMAND} --restarts {args.restarts} --repeat {args.repeat} --nodes {args.nodes} "
        f"--seed {args.seed} --write` (this run took {results.elapsed_s / 60:.1f} minutes)",
        "",
        "Real Chromium (Debian's, driven by Playwright), 1400×900, Chinese, against `streamlit run app.py` on "
        "127.0.0.1 with a new embedded database; every time is on the browser's clock.",
        "",
    ]
    if results.pages:
        lines += report_pages(args, results)
    if results.first_visits and results.first_start is not None:
        lines += report_network(results)
    if results.big is not None:
        lines += report_big(args, results)
    lines += [
        f"- no request left 127.0.0.1: "
        f"{'yes' if not results.foreign else 'NO: ' + ', '.join(sorted(set(results.foreign)))}",
        f"- machine: {cpu_model()}, {_cores()} cores, {_ram()} RAM; {python_and_system()}; "
        f"{'Chromium ' + results.browser_version if results.browser_version else 'Chromium ?'}; "
        f"Playwright {version('playwright')}, Streamlit {version('streamlit')}",
        f"- load on the machine (1/5/15-minute averages; the app, Chromium and whatever else runs share the "
        f"{_cores()} cores): {_loads(results.load)}",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {_commit()}",
        "",
        *[f"**Verdict: {line}.**" for line in verdicts],
    ]
    return "\n".join(lines) + "\n"


def report_pages(args: argparse.Namespace, results: Results) -> list[str]:
    """The tables of every page, for a fresh browser and a returning one: first render and a filter change,
    medians and maxima, against the targets, and where the time goes."""
    lines = [
        "### Every page: first render and a filter change",
        "",
        f"Each page {args.repeat} time{'s' if args.repeat != 1 else ''} in each of two browsers, round robin "
        "over the pages: a *fresh browser* (each visit a new browser context: new session, empty cache) and a "
        "*returning browser* (each visit a new tab, so a new session, of one context that opened every page "
        "once before: Streamlit's frontend is in its cache, as in the browser of someone who uses the app "
        "daily). The server is up and its store "
        "holds the two bundled plans (one unmeasured visit of the Network page first opens the store and "
        "builds the graph, as the first visitor after a start does; the Network part below times that case). "
        "*First render* = from navigation start to the page settled: Streamlit's script has run and is not "
        "running (`data-test-script-state`, the status widget's running icon gone), no `stSkeleton`, the "
        "page's title (h1) there, every frame loaded and every views.draw drawing in one ready "
        "(`#policykg-network[data-state=ready]`) and two animation frames on; the moment counted is the last "
        "of the run finishing, the main area's last change (nodes or text) and the drawing drawn, once all of"
        f" it has held still for {QUIET_S:g} s (the wait is not counted). *Filter change* = in the same tab, "
        "from the pointerdown or keydown that changes one control (found by its label in `data/ui`, in "
        "Chinese) to the page settled again after the run it started. The returning browser's earlier visits "
        "come first, so every page has run on the server once before any visit is timed.",
        "",
    ]
    for kind, pages in (("fresh", results.pages), ("returning", results.returning)):
        lines += _pages_tables(pages, BROWSERS[kind])
    return lines


def _pages_tables(pages: dict[str, PageResult], browser: str) -> list[str]:
    lines = [
        f"**{browser[0].upper() + browser[1:]}.**",
        "",
        "| page | first render: median | max | filter change: median | max | target | met? |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, result in pages.items():
        firsts, filters = result.firsts(), result.filters()
        first_cells = [fmt(statistics.median(firsts)), fmt(max(firsts))] if firsts else ["-", "-"]
        filter_cells = [fmt(statistics.median(filters)), fmt(max(filters))] if filters else ["-", "-"]
        lines.append(f"| {name} | {' | '.join(first_cells)} | {' | '.join(filter_cells)} | "
                     f"< {PAGE_TARGET_S:g} s / < {FILTER_TARGET_S:g} s | {_met(result)} |")
    lines += [
        "",
        "Where the time goes (medians). First render: *connect* = navigation to the script starting "
        "(Streamlit's page loads, its websocket connects), *script* = the run, *after* = the run's end to "
        "settled (the browser draws what came: tables, charts, the network's iframe and its layout). Filter "
        "change: *to run* = the input to the run starting (the widget's value reaches the server), then "
        "*script* and *after* as above. *Last to settle*: what the moment counted is, most often: the run's end, "
        "a drawing drawn, a frame loaded, or the element of the main area that changed last (its `data-testid` "
        "and its container's).",
        "",
        "| page | first: connect | script | after | filter: to run | script | after | last to settle, first / "
        "filter | control (run 1) | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for name, result in pages.items():
        firsts = [run.first for run in result.runs if run.first is not None]
        changes = [run.filter for run in result.runs if run.filter is not None]
        control = next((run.control for run in result.runs if run.control), "-")
        notes = sorted({note for run in result.runs for note in (run.filter_note, run.error) if note})
        last = f"{_most_often(firsts)} / {_most_often(changes)}"
        lines.append(f"| {name} | {' | '.join(_steps(firsts))} | {' | '.join(_steps(changes))} | {_cell(last)} | "
                     f"{_cell(control)} | {_cell('; '.join(notes)) or '-'} |")
    navigations = [run.navigation for result in pages.values() for run in result.runs
                   if run.navigation.get("load")]
    if navigations:
        lines += [
            "",
            f"- *connect*, over all first renders: the page's HTML and scripts loaded (its load event) "
            f"{fmt(statistics.median(n['load'] for n in navigations))} after navigation (median; DOMContentLoaded "
            f"{fmt(statistics.median(n['dom'] for n in navigations))}), "
            f"{statistics.median(n['scripts'] for n in navigations):.0f} scripts of "
            f"{statistics.median(n['bytes'] for n in navigations) / 1e6:.1f} MB (their bodies, whether sent or "
            "taken from the cache); the rest of *connect* is the websocket and the server starting the run",
        ]
    return [*lines, ""]


def _steps(settled: list[Settled]) -> list[str]:
    """Medians of start → run started → run finished → settled, as three cells."""
    steps = [(s.step(s.start, s.running), s.step(s.running, s.finished), s.step(s.finished, s.end)) for s in settled]
    cells = []
    for index in range(3):
        values = [step[index] for step in steps if step[index] is not None]
        cells.append(fmt(statistics.median(values)) if values else "-")
    return cells


def _most_often(settled: list[Settled]) -> str:
    """What came last most often (ties: the first seen), `stDataFrame` and the like in code."""
    if not settled:
        return "-"
    counts: dict[str, int] = {}
    for one in settled:
        counts[one.last] = counts.get(one.last, 0) + 1
    last = max(counts, key=counts.__getitem__)
    if last in ("the run's end", "a frame loaded", "a drawing drawn", "the main area"):
        return last
    return " in ".join(f"`{part}`" for part in last.split(" in "))


def _met(result: PageResult) -> str:
    firsts, filters = result.firsts(), result.filters()
    if not firsts:
        return "**no**: the page did not render"
    said = []
    for what, values, target in (("first render", firsts, PAGE_TARGET_S), ("filter change", filters, FILTER_TARGET_S)):
        if not values:
            said.append(f"{what} not measured")
        elif statistics.median(values) >= target:
            said.append(f"{what} over")
        elif max(values) >= target:
            said.append(f"{what}: median yes, max over")
    failed = sum(1 for run in result.runs if run.error)
    if failed:
        said.append(f"{failed} run(s) failed")
    if not said:
        return "yes"
    missed = any(part.endswith(("over", "not measured", "failed")) and "median yes" not in part for part in said)
    return ("**no**: " if missed else "yes; ") + ", ".join(said)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_network(results: Results) -> list[str]:
    firsts, start = results.first_visits, results.first_start
    assert start is not None
    repeats = results.repeats
    rep = [v.drawn for v in repeats]

    def row(label: str, visit: Visit) -> str:
        steps = " | ".join(fmt(visit.marks[key]) if key in visit.marks else "after drawn"
                           for key in ("running", "finished", "iframe"))
        return (f"| {label} | **{fmt(visit.drawn)}** | {steps} | {fmt(visit.frame_start)} | {fmt(visit.ready)} | "
                f"{fmt(visit.wall)} | {visit.ink.get('painted', 0):,} px, {visit.ink.get('colors', 0)} colours |")

    return [
        "### Network page, the two bundled plans, after a server start",
        "",
        "*Drawn* = from the top page's navigation start to two animation frames after views.draw's page says it "
        "is laid out (vis-network stabilisation done, view fitted); the canvas is then checked for ink. The "
        "steps on the way, also from navigation start: *script started* / *script done* = Streamlit's page says "
        "the app script is running / has finished (`data-test-script-state`), *iframe* = the component's iframe "
        "is in the page, *frame* = the drawing's document (the iframe's) began, *laid out* = stabilisation "
        "done; *wall* = Python's clock around `goto()` to the drawing seen (polling every 20 ms). Each restart is "
        "a new server process and a new browser profile (target < 3 s).",
        "",
        "| visit | drawn | script started | script done | iframe | frame | laid out | wall | ink (sampled) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *(row(f"restart {i}: first visit (the store holds the two plans; new browser profile)", v)
          for i, v in enumerate(firsts, 1)),
        *(row(f"after restart {len(firsts)}: later visit {i} (new tab, new session)", v)
          for i, v in enumerate(repeats, 1)),
        row("for information: the very first start (empty database: the visit also reads and loads the two "
            "plans)", start),
        "",
        f"- graph drawn: {firsts[0].nodes:,} nodes, {firsts[0].edges:,} edges; first visits after a restart: median "
        f"{fmt(statistics.median(v.drawn for v in firsts))}; later visits: median "
        f"{fmt(statistics.median(rep)) if rep else '-'}, max {fmt(max(rep)) if rep else '-'}",
        f"- where the time goes (medians, first visits after a restart / later visits): {_phases(firsts)} / "
        f"{_phases(repeats)}",
        f"- server start to `/_stcore/health` answering: {', '.join(fmt(s) for s in results.server_start_s)} "
        "(first start, then each restart)",
        "",
    ]


def report_big(args: argparse.Namespace, results: Results) -> list[str]:
    big, drag = results.big, results.drag
    assert big is not None
    frames = drag.get("frames") or []
    lines = [
        f"### Generated graph of {args.nodes:,} nodes",
        "",
        f"`bench_browser.generated_graph({args.nodes}, seed={args.seed})`: plan-shaped (documents, sections, "
        f"actions, agencies, entities, targets), {args.nodes:,} nodes and {results.big_edges:,} relationships; "
        "`render_network_html` lays it out in Python (more than 1,500 nodes: positions final, physics off, "
        "straight edges), and the page is served by a static `http.server` on 127.0.0.1.",
        "",
        "| | |",
        "| --- | ---: |",
        f"| `render_network_html` in Python (layout + page) | {fmt(results.big_render_s)} |",
        f"| page size | {results.big_html_bytes / 1e6:.2f} MB |",
        f"| **drawn, from navigation** | **{fmt(big.drawn)}** |",
        f"| laid out (data parsed, network built, view fitted) | {fmt(big.ready)} |",
        f"| wall, `goto()` to drawn seen | {fmt(big.wall)} |",
        f"| ink (sampled pixels) | {big.ink.get('painted', 0):,} px, {big.ink.get('colors', 0)} colours |",
    ]
    if drag and "error" not in drag:
        lines += [
            f"| zoomed in with the mouse wheel (8 notches over the node) | {fmt(drag['zoom_s'])} |",
            f"| drag: node `{drag['node']}` at zoom {drag['scale']:.3f}, mouse moved "
            f"{drag['mouse_px'][0]}×{drag['mouse_px'][1]} px in 15 steps | moved "
            f"{drag['moved_by'][0]:.0f}×{drag['moved_by'][1]:.0f} (expected "
            f"{drag['expected'][0]:.0f}×{drag['expected'][1]:.0f}) canvas units |",
            f"| canvas changed by the drag; `dragEnd` reported the node | {drag['canvas_changed']}; "
            f"{drag['drag_end_nodes'] == [drag['node']]} |",
            f"| redraws during the drag: count, median, max | {len(frames)}, "
            f"{statistics.median(frames) if frames else 0:.1f} ms, {max(frames) if frames else 0:.1f} ms |",
        ]
    else:
        lines.append(f"| drag | {drag.get('error', 'not run')} |")
    return [*lines, ""]


def _phases(visits: list[Visit]) -> str:
    """Median time from navigation to the script starting, from there to the iframe, from there to drawn."""
    steps = [v for v in visits if "running" in v.marks and "iframe" in v.marks]
    if not steps:
        return "-"
    boot = statistics.median(v.marks["running"] for v in steps)
    script = statistics.median(v.marks["iframe"] - v.marks["running"] for v in steps)
    draw = statistics.median(v.drawn - v.marks["iframe"] for v in steps)
    return (f"Streamlit's page loads and connects {fmt(boot)}, the app script runs and its output arrives "
            f"{fmt(script)}, vis-network parses, stabilises and draws {fmt(draw)}")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _ram() -> str:
    """Total memory from /proc/meminfo, ``7.8 GiB``."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "? GiB"


def _loads(loads: list[tuple[float, float, float]]) -> str:
    said = [" / ".join(f"{x:.1f}" for x in load) for load in loads]
    return f"{said[0]} before, {said[-1]} after" if len(said) > 1 else (said[0] if said else "?")


def _commit() -> str:
    """``git rev-parse --short HEAD``, and which parts of the tree the app runs from differ from it."""
    import subprocess

    def git(*args: str) -> str:  # not stripped: a status line starts with a space (" M path")
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        changed = git("status", "--porcelain", "--untracked-files=no", "--", *APP_PATHS).splitlines()
    except (OSError, subprocess.CalledProcessError):
        return git_commit(("explorer", "graph", "bench", "tests"))
    files = sorted({line[3:].strip() for line in changed})
    if not files:
        return commit
    shown = ", ".join(f"`{name}`" for name in files[:8]) + (f" and {len(files) - 8} more" if len(files) > 8 else "")
    return f"{commit} with uncommitted changes to {shown} (the tree is shared; the run used the files as they were)"


#: what the explorer runs from, for the commit line
APP_PATHS = ("app.py", "explorer", "views", "queries", "graph", "loaders", "data", "bench/bench_browser.py",
             "tests/browser.py")


PARTS = ("network", "pages", "big")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time the explorer's pages (first render, a filter change), the Network "
                                             "page after a server start and a 2,000-node graph in Chromium.")
    ap.add_argument("--restarts", type=int, default=3, help="server restarts, each with a timed first visit (3)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of every page, and later visits of the Network page after the restarts (5)")
    ap.add_argument("--nodes", type=int, default=2000, help="nodes of the generated graph (2000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated graph (0)")
    ap.add_argument("--pages", default=",".join(PAGES), help="the pages to time, comma-separated (all)")
    ap.add_argument("--parts", default=",".join(PARTS),
                    help=f"what to run, comma-separated, of {', '.join(PARTS)} (all; --write needs all)")
    ap.add_argument("--write", action="store_true", help=f"update {DOCS_FILE.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    pages = tuple(name.strip() for name in args.pages.split(",") if name.strip())
    parts = tuple(name.strip() for name in args.parts.split(",") if name.strip())
    if args.repeat < 1 or args.restarts < 1 or args.nodes < 2:
        ap.error("--repeat and --restarts must be >= 1 and --nodes >= 2")
    if unknown := [name for name in pages if name not in PAGES] + [name for name in parts if name not in PARTS]:
        ap.error(f"unknown pages or parts: {', '.join(unknown)} (pages: {', '.join(PAGES)})")
    if args.write and (set(parts) != set(PARTS) or set(pages) != set(PAGES)):
        ap.error("--write needs every part and every page (the section is written whole)")

    executable = chromium_executable()
    if executable is None:
        print("Chromium not found (apt-get install chromium, or set POLICYKG_CHROMIUM)", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 2

    results = Results()
    results.load.append(os.getloadavg())
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-browser-"))
    crashed = []
    try:
        with sync_playwright() as playwright:
            steps = {"network": lambda: bench_app(playwright, executable, args.repeat, args.restarts, folder, results),
                     "pages": lambda: bench_pages(playwright, executable, args.repeat, pages, folder, results),
                     "big": lambda: bench_big(playwright, executable, args.nodes, args.seed, folder, results)}
            for part in PARTS:  # in this order: the Network part starts on an empty database and loads it
                if part not in parts:
                    continue
                print(f"{part} …", file=sys.stderr)
                try:
                    steps[part]()
                except Exception as error:  # a page broken at the moment: the other parts still run
                    traceback.print_exc()
                    crashed.append(f"{part}: {_one_line(error)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    results.load.append(os.getloadavg())
    results.elapsed_s = time.perf_counter() - began
    ok, verdicts = verdict_of(results, args.nodes)
    verdicts += [f"FAIL: could not run the {line}" for line in crashed]
    section = report(args, results, verdicts, ok)
    print(section)
    if args.write:
        _report.write_section(section, SECTION, DOCS_FILE)
        print(f"wrote the {SECTION!r} section of {DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 2 if crashed else 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

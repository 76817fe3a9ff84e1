"""The explorer in a real browser: how soon the Network page is drawn, and a 2,000-node graph.

Targets (the issue), measured with Debian's Chromium driven by Playwright:

1. The Network page of the explorer, with the two bundled plans, drawn with its physics
   stabilised less than 3 s after navigation, on a server that is up (``streamlit run app.py``
   on 127.0.0.1 answering ``/_stcore/health``).
2. A generated graph of 2,000 nodes, rendered by ``views.draw.render_network_html`` and served
   from 127.0.0.1, drawn in the browser and draggable: a node dragged with the mouse moves and
   the canvas changes.

    python bench/bench_browser.py [--restarts 3] [--repeat 5] [--nodes 2000] [--seed 0] [--write]

How "drawn" is timed: an init script in every frame watches for views.draw's
``#policykg-network`` to get ``data-state="ready"`` (set once vis-network's stabilisation is
done, or at once when physics is off, after the view is fitted), then waits two animation
frames, so that the drawing is on the canvas, and notes the time. The time counted runs from
the top page's navigation start (its ``performance.timeOrigin``) to that moment, on the
browser's clock; the canvas is then checked for ink. The Network page is measured

- on a freshly started server whose store already holds the two plans (the usual start: the
  user has run the app before): the first visit, in a new browser profile, is the one the
  target is about; the server is restarted ``--restarts`` times and the median counts; after
  the last restart, ``--repeat`` further visits, each a new tab and so a new session, must
  all be under the target too;
- and, for information, on the very first start of the app with an empty database, where the
  first visit also reads the two bundled plans into the store.

Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as "## Explorer".
Exit status: 0 targets met, 1 a target missed (the verdict says which), 2 could not run.
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

#: runs in every frame before its scripts: notes when views.draw's page is ready and drawn, and, in the top
#: page, when Streamlit's script started and finished running and when the title and the first iframe appeared
WATCH_JS = """(() => {
  if (window.__pkWatch) { return; }
  window.__pkWatch = true;
  const now = () => performance.timeOrigin + performance.now();
  const top = window === window.top;
  window.__pkMarks = {};
  const marks = window.__pkMarks;
  const check = () => {
    if (top) {
      const app = document.querySelector('[data-testid="stApp"]');
      const state = app && app.getAttribute("data-test-script-state");
      if (state === "running" && !marks.running) { marks.running = now(); }
      if (state === "notRunning" && marks.running && !marks.finished) { marks.finished = now(); }
      if (!marks.title && document.querySelector('[data-testid="stMain"] h1')) { marks.title = now(); }
      if (!marks.iframe && document.querySelector('[data-testid="stMain"] iframe')) { marks.iframe = now(); }
    }
    const el = document.getElementById("policykg-network");
    if (!el || window.__pkReady || el.getAttribute("data-state") !== "ready") { return false; }
    window.__pkReady = now();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__pkDrawn = now(); }));
    return !top;
  };
  const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); } });
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ["data-state", "data-test-script-state"]});
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
    load: list[float] = field(default_factory=list)  # 1-minute load average before and after


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
    firsts = results.first_visits
    assert firsts and results.big is not None
    first = statistics.median(v.drawn for v in firsts)
    worst_repeat = max((v.drawn for v in results.repeats), default=0.0)
    app_ok = first < TARGET_S and worst_repeat < TARGET_S and all(drawn(v) for v in firsts + results.repeats)
    ok &= app_ok
    lines.append(f"{'PASS' if app_ok else 'FAIL'}: Network page, two bundled plans ({firsts[0].nodes} nodes, "
                 f"{firsts[0].edges} edges): drawn and stabilised {fmt(first)} after navigation on the first visit "
                 f"to a freshly started server (median of {len(firsts)} restarts; "
                 f"{', '.join(fmt(v.drawn) for v in firsts)}), at most {fmt(worst_repeat)} on "
                 f"{len(results.repeats)} later visits (target < {TARGET_S:g} s)")
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


def report(args: argparse.Namespace, results: Results, verdicts: list[str], ok: bool) -> str:
    firsts, start, big, drag = results.first_visits, results.first_start, results.big, results.drag
    assert firsts and start is not None and big is not None
    repeats = results.repeats
    rep = [v.drawn for v in repeats]

    def row(label: str, visit: Visit) -> str:
        steps = " | ".join(fmt(visit.marks[key]) if key in visit.marks else "after drawn"
                           for key in ("running", "finished", "iframe"))
        return (f"| {label} | **{fmt(visit.drawn)}** | {steps} | {fmt(visit.frame_start)} | {fmt(visit.ready)} | "
                f"{fmt(visit.wall)} | {visit.ink.get('painted', 0):,} px, {visit.ink.get('colors', 0)} colours |")

    frames = drag.get("frames") or []
    lines = [
        SECTION,
        "",
        f"Reproduce: `{COMMAND} --restarts {args.restarts} --repeat {args.repeat} --nodes {args.nodes} "
        f"--seed {args.seed} --write`",
        "",
        "Real Chromium (Debian's, driven by Playwright), 1400×900, against `streamlit run app.py` on 127.0.0.1 "
        "with a new embedded database. *Drawn* = from the top page's navigation start to two animation frames "
        "after views.draw's page says it is laid out (vis-network stabilisation done, view fitted), on the "
        "browser's clock; the canvas is then checked for ink. The steps on the way, also from navigation start: "
        "*script started* / *script done* = Streamlit's page says the app script is running / has finished "
        "(`data-test-script-state`), *iframe* = the component's iframe is in the page, *frame* = the "
        "drawing's document (the iframe's) began, *laid out* = stabilisation done; *wall* = Python's clock "
        "around `goto()` to the drawing seen (polling every 20 ms).",
        "",
        "### Network page, the two bundled plans",
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
    lines += [
        "",
        f"- no request left 127.0.0.1 in either part: "
        f"{'yes' if not results.foreign else 'NO: ' + ', '.join(sorted(set(results.foreign)))}",
        f"- machine: {cpu_model()}, {_cores()} cores; {python_and_system()}; {results.browser_version and 'Chromium ' + results.browser_version}; "  # noqa: E501
        f"Playwright {version('playwright')}, Streamlit {version('streamlit')}; 1-minute load average "
        f"{' before, '.join(f'{x:.1f}' for x in results.load)} after (the app, Chromium and anything else "
        "running share the cores)",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{git_commit(('explorer', 'graph', 'bench', 'tests'))}",
        "",
        *[f"**Verdict: {line}.**" for line in verdicts],
    ]
    return "\n".join(lines) + "\n"


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


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time the explorer's Network page and a 2,000-node graph in Chromium.")
    ap.add_argument("--restarts", type=int, default=3, help="server restarts, each with a timed first visit (3)")
    ap.add_argument("--repeat", type=int, default=5, help="later visits of the Network page (5)")
    ap.add_argument("--nodes", type=int, default=2000, help="nodes of the generated graph (2000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated graph (0)")
    ap.add_argument("--write", action="store_true", help=f"update {DOCS_FILE.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if args.repeat < 0 or args.restarts < 1 or args.nodes < 2:
        ap.error("--repeat must be >= 0, --restarts >= 1 and --nodes >= 2")

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
    results.load.append(os.getloadavg()[0])
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-browser-"))
    try:
        with sync_playwright() as playwright:
            bench_app(playwright, executable, args.repeat, args.restarts, folder, results)
            bench_big(playwright, executable, args.nodes, args.seed, folder, results)
    except Exception:
        traceback.print_exc()
        print("could not run the benchmark", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    results.load.append(os.getloadavg()[0])
    ok, verdicts = verdict_of(results, args.nodes)
    section = report(args, results, verdicts, ok)
    print(section)
    if args.write:
        _report.write_section(section, SECTION, DOCS_FILE)
        print(f"wrote the {SECTION!r} section of {DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

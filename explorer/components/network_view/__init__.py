"""The network drawing as a component: vis-network inlined, clicks and double-clicks told back to the page.

:func:`network_view` draws a graph with the data :func:`views.draw.network_data` builds (the same nodes,
edges, options and legend as the HTML download) and returns what the person last did in it:

- ``{"event": "select", "node": id, "at": ms}``: a click on a node;
- ``{"event": "select", "edge": [from, to, key], "at": ms}``: a click on a relationship
  (``views.network.find_edge`` finds it in the graph);
- ``{"event": "centre", "node": id, "at": ms}``: a double click on a node;
- None before the first of these. ``at`` (the browser's clock) makes every click a change, also a
  second click on the same node, so ``on_change`` runs for each.

How it is served, offline. Streamlit serves a component's folder as static files and the frontend
(``frontend/``: ``index.html``, ``network_view.js``, ``network_view.css``, the Streamlit component
protocol written out in a few lines of JS) needs vis-network, which pyvis bundles (500 KB, not committed
here). So the folder Streamlit is told to serve is assembled at run time: :func:`served_folder` copies
the frontend files and pyvis's ``vis-network.min.js`` and ``vis-network.css`` into
``<user cache>/policykg/components/network_view-<digest>/`` (the digest is of every file's content, so a
changed frontend or another pyvis gets a folder of its own; the folder is written beside and renamed into
place, so two processes starting at once never see half of it). No symlinks: Streamlit refuses to serve
a file whose real path leaves the folder. Nothing is fetched from outside the machine: the page loads
only these files from the app's own server.

Re-runs: the component keeps its iframe (its ``key`` is its identity), gets the data again, and draws
again only when the data's digest changed; the vis-network instance is kept and given new DataSets,
the physics settles once per new graph, and the view is fitted (or centred on ``highlight``, zoomed so
that every node fits around it). The drawing says ``data-state="ready"`` on ``#policykg-network``
when it is laid out (what the browser tests and bench/bench_browser.py wait for), and keeps
``window.policykg = {network, nodes, edges}``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st
from streamlit.components.v1 import declare_component

from explorer.i18n import language, translate
from views.draw import HUB_LABEL_PX, network_data, vis_files, vis_sources

__all__ = ["FRONTEND", "network_view", "served_folder", "view_data"]

#: The component's own files, committed: the page, its script and its styles.
FRONTEND = Path(__file__).resolve().parent / "frontend"
_NAME = "network_view"
_WORDS = ("fit", "hint", "details")


def _cache_root() -> Path:
    """Where the served folder is assembled: ``$POLICYKG_CACHE``, else the user's cache, else the temp folder."""
    configured = os.environ.get("POLICYKG_CACHE")
    if configured:
        return Path(configured) / "components"
    try:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("policykg")) / "components"
        root.mkdir(parents=True, exist_ok=True)
        if os.access(root, os.W_OK):
            return root
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / f"policykg-components-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _files() -> dict[str, bytes]:
    files = {path.name: path.read_bytes() for path in sorted(FRONTEND.iterdir()) if path.is_file()}
    js, css = vis_sources()
    files[vis_files()[0].name] = js.encode("utf-8")
    files[vis_files()[1].name] = css.encode("utf-8")
    return files


@cache
def _assembled(root: Path) -> Path:
    files = _files()
    digest = hashlib.sha256()
    for name, content in files.items():
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())
    folder = root / f"{_NAME}-{digest.hexdigest()[:16]}"
    if _complete(folder, files):
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{_NAME}-", dir=root))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        try:
            staging.rename(folder)
        except OSError:  # another process put it in place first (or a broken one is in the way)
            if not _complete(folder, files):
                shutil.rmtree(folder, ignore_errors=True)
                staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _complete(folder: Path, files: dict[str, bytes]) -> bool:
    with contextlib.suppress(OSError):
        return all((folder / name).read_bytes() == content for name, content in files.items())
    return False


def served_folder() -> Path:
    """The folder Streamlit serves the component from: the frontend and pyvis's vis-network, assembled once
    per process (again if someone removed it meanwhile).

        >>> folder = served_folder()
        >>> sorted(p.name for p in folder.iterdir())
        ['index.html', 'network_view.css', 'network_view.js', 'vis-network.css', 'vis-network.min.js']
    """
    root = _cache_root()
    folder = _assembled(root)
    if not (folder / "index.html").is_file():
        _assembled.cache_clear()
        folder = _assembled(root)
    return folder


def view_data(graph: nx.MultiDiGraph, *, lang: str, highlight: Hashable | None = None) -> dict[str, Any]:
    """The drawing's data (views.draw.network_data) and its ``digest``, which tells the frontend whether to draw.

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局")
        >>> first, again = view_data(g, lang="zh"), view_data(g, lang="zh")
        >>> first["digest"] == again["digest"] != view_data(g, lang="en")["digest"]
        True
    """
    data = network_data(graph, lang=lang, highlight=highlight)
    data["hub_px"] = HUB_LABEL_PX
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data["digest"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return data


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_data(_graph: nx.MultiDiGraph, cache_key: Hashable, lang: str, highlight: Hashable | None) -> dict:
    return view_data(_graph, lang=lang, highlight=highlight)


def network_view(graph: nx.MultiDiGraph, *, key: str = "network-view", height: int = 640,
                 highlight: Hashable | None = None, lang: str | None = None, cache_key: Hashable | None = None,
                 on_change: Callable[[], None] | None = None) -> dict[str, Any] | None:
    """Draw ``graph`` in the page and return what the person last did in it (see the module's docstring).

    ``key`` is the component's identity (its iframe is kept across reruns under it) and the session-state
    key of its value, which ``on_change`` reads. ``highlight``: a node to select and centre on. ``lang``:
    the tooltips' and controls' language (the session's by default). ``cache_key``: names the data and
    filters ``graph`` was made from, so the drawing's data is built once for them (None: every run).
    """
    lang = lang or language()
    if cache_key is None:
        data = view_data(graph, lang=lang, highlight=highlight)
    else:
        data = _cached_data(graph, cache_key, lang, highlight)
    digest = data["digest"]
    words = {word: translate(f"network.view.{word}", lang) for word in _WORDS}
    component = declare_component(_NAME, path=str(served_folder()))
    return component(data=data, digest=digest, height=height, lang=lang, words=words, key=key,
                     on_change=on_change, default=None)

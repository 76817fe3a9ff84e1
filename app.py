"""policykg explorer: `policykg app` or `streamlit run app.py`.

Pages live in explorer/pages/; each takes the graph from explorer.state and its
words from data/ui/. Chinese by default, English on the sidebar switch.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from a clone without `pip install -e .`
    sys.path.insert(0, str(ROOT))


@st.cache_resource(show_spinner=False)
def _warm_imports() -> threading.Thread:
    """Once per server: import what the first page view needs beside the store opening (which runs in C),
    so the network is drawn sooner after the server starts."""

    def load() -> None:
        for module in ("pyvis.network", "pandas", "views.draw", "views.network"):
            importlib.import_module(module)

    thread = threading.Thread(target=load, name="policykg-warm-imports", daemon=True)
    thread.start()
    return thread


_warm_imports()

from explorer import links  # noqa: E402
from explorer.i18n import LANGUAGES, language, t  # noqa: E402
from explorer.state import begin_run, get_store, store_line  # noqa: E402
from explorer.widgets import language_css, show_callback_failure, show_failure  # noqa: E402

PAGES = ("network", "agencies", "coordination", "console", "library", "documents", "targets", "review")
ICONS = {"network": ":material/hub:", "agencies": ":material/account_balance:",
         "coordination": ":material/share:", "console": ":material/terminal:",
         "library": ":material/menu_book:", "documents": ":material/description:",
         "targets": ":material/flag:", "review": ":material/fact_check:"}

# An emoji favicon is inlined as data:; a :material/…: one would be fetched from Google's servers.
st.set_page_config(page_title="policykg", page_icon="🕸️", layout="wide")

links.begin()
begin_run()
with st.sidebar:
    # the choice is read (from the link, on a fresh session) before the first word is looked up
    language_choice = links.linked("language", "zh", options=list(LANGUAGES))
    st.radio(t("app.language"), list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, **language_choice)
    link_slot = st.empty()  # filled after the page ran, when the link says the whole view
st.html(language_css(language()) or "<span></span>")  # Streamlit's own words in the chosen language

# Whatever a page (or opening the store) raises is told in one plain line and logged without its
# message (explorer.widgets.failure_line); st.stop and st.rerun are not exceptions and pass through.
try:
    store = get_store()
    with st.sidebar:
        st.caption(t("app.store"))
        st.text(store_line(store))
    pages = [st.Page(str(ROOT / "explorer" / "pages" / f"{name}.py"), title=t(f"page.{name}"), icon=ICONS[name],
                     url_path=name, default=name == "network") for name in PAGES]
    page = st.navigation(pages)
except Exception as error:
    show_failure(error, "app")
    st.stop()

show_callback_failure()
try:
    page.run()
except Exception as error:
    show_failure(error, f"page {page.url_path or 'network'}")
finally:  # also when the page stopped early (st.stop) or asked for a rerun: the URL says what was chosen
    links.publish()
    with link_slot.container(), st.popover(t("app.copy_link"), icon=":material/link:"):
        st.caption(t("app.copy_link_help"))
        st.code(links.current_link(), language=None, wrap_lines=True)

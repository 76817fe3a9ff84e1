"""The Streamlit explorer: pages over the graph for planners, researchers and staff.

Run it with ``policykg app`` (or ``streamlit run app.py``). Every page takes the
graph from :mod:`explorer.state`, its words from :mod:`explorer.i18n`, and shows
text from documents only as text.
"""

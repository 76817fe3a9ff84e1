"""Streamlit custom components of the explorer: pages that talk back to Python.

Each component is a subpackage with its own ``frontend/`` folder served by Streamlit
(``streamlit.components.v1.declare_component(path=…)``); nothing in them is fetched from
outside the machine.
"""

"""The network drawing as a component: vis-network inlined, clicks and double-clicks told back to the page."""

"""What turns the graph and query results into something to look at, for both faces (explorer and command line).

- :mod:`views.naming`: how nodes and values read as text (one rule for tables, lists, captions, exports)
- :mod:`views.draw`: the network as one offline HTML page (styles from ``data/ui/styles.toml``, legend,
  tooltips, layout); the ``html`` export
- :mod:`views.network`: the subgraph the Network page's filters let through, search, a node's details
- :mod:`views.overview`: a large corpus at a glance: its cities, sized by their actions, around their provinces
- :mod:`views.coordination`: the coordination network as a graph to draw
- :mod:`views.diagram`: the coordination network for meetings: PNG, SVG with editable text and a PowerPoint slide
- :mod:`views.matrix`: the responsibility matrix, agency profiles and target tables (pandas)
- :mod:`views.workbook`: the matrix as a styled Excel workbook with a key sheet
- :mod:`views.reader`: a document's text split into runs marked by the kind of what they name
- :mod:`views.review`: what needs a human look, ranked (the Review page's queue)

views imports graph, queries and loaders, never explorer or policykg (tests/test_layers.py).
"""

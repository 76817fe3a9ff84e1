"""The graph: one schema, two stores (embedded LadybugDB by default, Neo4j for teams).

>>> from graph.store import open_store
>>> store = open_store()          # doctest: +SKIP
>>> store.run_read("MATCH (a:Agency) RETURN count(a)").rows  # doctest: +SKIP
[[...]]
"""

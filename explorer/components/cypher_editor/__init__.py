"""The console's Cypher editor as a component: highlighting and completion from the schema, offline."""

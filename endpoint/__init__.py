"""The HTTP face of psikg: SPARQL protocol, linked-data pages, canned queries, catalog."""

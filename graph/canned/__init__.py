"""Canned queries: ``queries/*.rq`` files with a ``#+`` YAML header, read into documented,
typed, parameterised queries (:mod:`graph.canned.library`), bound with RDF terms
(:mod:`graph.canned.binding`), run a page at a time (:mod:`graph.canned.run`), and answered
from aggregates stored with the registries when plain SPARQL would be slow
(:mod:`graph.budget`). ``queries/README.md`` documents the header format.
"""

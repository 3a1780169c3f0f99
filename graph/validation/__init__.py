"""Validation against the decree's SHACL shapes: one home for the report, the shapes and the
two ways of running them.

- :mod:`graph.validation.report`: the results and the report, as values;
- :mod:`graph.validation.shapes`: the shape and context files, read and cached;
- :mod:`graph.validation.shacl`: pyshacl on an rdflib graph;
- :mod:`graph.validation.sparql_checks`: the shapes' SPARQL constraints on pyoxigraph;
- :mod:`graph.validation.scope`: the validation that scales, on a graph of the store;
- :mod:`graph.validation.graphs`: the store's graphs validated and the outcome recorded;
- :mod:`graph.validation.rdf_io`: RDF into rdflib through pyoxigraph's parsers.
"""

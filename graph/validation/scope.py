"""Validate a large graph exactly, by giving pyshacl only what the shapes can see.

pyshacl over a ten-million-triple registry takes minutes and gigabytes: it
parses every triple into rdflib first. Most of those triples are out of
reach of every decree shape: a subsidies registry has no dataset, charge or
public body for a shape to target. So:

1. the focus nodes of every shape are found with SPARQL on the store itself
   (:mod:`graph.validation.targets`);
2. if there are none, the graph conforms: no shape applies to it;
3. otherwise the neighbourhood the shapes read is extracted (each focus node's
   triples two hops out, the triples pointing at it, and the triples of the
   predicates a SPARQL constraint reads across the whole graph), and pyshacl
   (:func:`graph.validation.shacl.validate_with`) runs on that with the core
   constraints, and the shapes' SPARQL constraints run on pyoxigraph
   (:mod:`graph.validation.sparql_checks`).

The decree shapes' paths are at most two steps long, their SPARQL
constraints look at ``$this``, its neighbours and the global predicates in
:data:`GLOBAL_PREDICATES`, so the neighbourhood holds every triple a result
can depend on; ``tests/test_shape_scope.py`` checks that the results are
exactly pyshacl's on the whole graph for every shapes fixture. A shape that
reads further must add its predicates to :data:`GLOBAL_PREDICATES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import DCAT
from graph.namespaces import PSI
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.report import ValidationReport
from graph.validation.report import result_order
from graph.validation.shacl import validate_with
from graph.validation.shapes import shape_set
from graph.validation.sparql_checks import run_checks
from graph.validation.sparql_checks import split_shapes
from graph.validation.targets import GraphSource
from graph.validation.targets import focus_nodes

GLOBAL_PREDICATES = (PSI + "listedBody", DCAT + "dataset", DCAT + "servesDataset",
                     PSI + "charge", PSI + "listsCharge")
"""Predicates some SPARQL constraint or target reads anywhere in the graph."""
_BATCH = 500


def neighbourhood(source: GraphSource, graph: str, nodes: set[str]) -> bytes | None:
    """The triples the shapes can read around ``nodes``, as N-Triples.

    ``None`` when a blank node is in reach: SPARQL cannot name one, so the caller
    validates the whole graph instead.
    """
    if any(not n.startswith("<") for n in nodes):
        return None
    triples: set[ox.Triple] = set()
    outgoing = _construct(source, graph, nodes, "s", triples)
    incoming = _construct(source, graph, nodes, "o", triples)
    reach = {str(t.object) for t in outgoing if not isinstance(t.object, ox.Literal)}
    reach |= {str(t.subject) for t in incoming}
    reach -= nodes
    if any(not n.startswith("<") for n in reach):
        return None
    _construct(source, graph, reach, "s", triples)
    for predicate in GLOBAL_PREDICATES:
        triples.update(source.query(f"CONSTRUCT {{ ?s <{predicate}> ?o }} FROM <{graph}> "
                                    f"WHERE {{ ?s <{predicate}> ?o }}"))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _construct(source: GraphSource, graph: str, nodes: Iterable[str], bound: str,
               into: set[ox.Triple]) -> list[ox.Triple]:
    """The triples whose subject (``bound="s"``) or object (``"o"``) is one of ``nodes``."""
    found: list[ox.Triple] = []
    names = sorted(nodes)
    for start in range(0, len(names), _BATCH):
        values = " ".join(names[start:start + _BATCH])
        found.extend(source.query(f"CONSTRUCT {{ ?s ?p ?o }} FROM <{graph}> "
                                  f"WHERE {{ VALUES ?{bound} {{ {values} }} ?s ?p ?o }}"))
    into.update(found)
    return found


def validate_scoped(source: GraphSource, graph: str, shapes: list[Path] | None = None
                    ) -> tuple[ValidationReport | None, int]:
    """Validate ``graph`` (a staged load, a graph of the store): the report, and how many
    focus nodes.

    :param shapes: shape files; the decree's by default.
    :returns: ``(None, 0)`` when no shape targets anything in the graph (it conforms).
    :raises ShapesError: if a shapes or context file is missing or does not parse.
    """
    chosen = shape_set(shapes)
    nodes = focus_nodes(source, graph, chosen)
    if not nodes:
        return None, 0
    nearby = neighbourhood(source, graph, nodes)
    if nearby is None:
        whole = ntriples_to_rdflib(source.graph_ntriples(graph))
        return validate_with(whole, chosen), len(nodes)
    split = split_shapes(chosen)
    core = validate_with(ntriples_to_rdflib(nearby), chosen, split.core)
    results = sorted([*core.results, *run_checks(chosen, nearby)], key=result_order)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=core.graph), len(nodes)

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

The report is pyshacl's, the SPARQL constraints' results added to its graph as pyshacl
writes them, so that the results, the text, the JSON and the Turtle of a report are those
of pyshacl on the whole graph.

The decree shapes' paths are at most two steps long, their SPARQL
constraints look at ``$this``, its neighbours and the global predicates in
:data:`GLOBAL_PREDICATES`, so the neighbourhood holds every triple a result
can depend on; ``tests/test_shape_scope.py`` checks that the results are
exactly pyshacl's on the whole graph for every shapes fixture.
:func:`graph.validation.reach.unscoped_reason` reads any shape set for what it
reads: a set that reads further (other shapes given to ``psikg validate``, or a
decree shape that someone makes reach further without adding its predicates to
:data:`GLOBAL_PREDICATES`) is validated on the whole graph, as is a graph that
has blank focus nodes (SPARQL cannot name them) or subclass axioms
of its own (the focus nodes' classes would depend on them).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib.namespace import RDF
from rdflib.namespace import SH

from graph.namespaces import DCAT
from graph.namespaces import PSI
from graph.namespaces import RDFS
from graph.store_api import StoreReader
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.reach import unscoped_reason
from graph.validation.report import ValidationReport
from graph.validation.report import result_order
from graph.validation.shacl import validate_with
from graph.validation.shapes import ShapeSet
from graph.validation.shapes import shape_set
from graph.validation.sources import GraphSource
from graph.validation.sources import graph_source
from graph.validation.sparql_checks import run_checks
from graph.validation.sparql_checks import split_shapes
from graph.validation.targets import focus_nodes

GLOBAL_PREDICATES = (PSI + "listedBody", DCAT + "dataset", DCAT + "servesDataset",
                     PSI + "charge", PSI + "listsCharge", PSI + "openFormat",
                     PSI + "machineReadable")
"""Predicates some SPARQL constraint or target reads anywhere in the graph, and the
file-type flags the format shapes read two steps from a dataset (the code list's, or the
data's own)."""
_SUBCLASS_OF = RDFS + "subClassOf"


def neighbourhood(source: GraphSource, graph: str, nodes: set[str]) -> bytes | None:
    """The triples the shapes can read around ``nodes``, as N-Triples.

    A blank node in reach (a publisher or a licence written inline) is read through the
    focus node beside it, since SPARQL cannot name it. ``None`` when a focus node is
    blank: the caller validates the whole graph instead.
    """
    if any(not n.startswith("<") for n in nodes):
        return None
    outgoing = source.around(graph, nodes, "subject")
    incoming = source.around(graph, nodes, "object")
    triples = {*outgoing, *incoming}
    reach = {str(t.object) for t in outgoing if not isinstance(t.object, ox.Literal)}
    reach |= {str(t.subject) for t in incoming}
    reach -= nodes
    named = {node for node in reach if node.startswith("<")}
    if len(named) < len(reach):
        triples.update(source.beside(graph, nodes))
    triples.update(source.around(graph, named, "subject"))
    for predicate in GLOBAL_PREDICATES:
        triples.update(source.with_predicate(graph, predicate))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def validate_scoped(holder: StoreReader | GraphSource, graph: str, shapes: list[Path] | None = None
                    ) -> tuple[ValidationReport | None, int]:
    """Validate ``graph`` (a staged load, a graph of the store, a file in memory): the
    report, and how many focus nodes.

    :param shapes: shape files; the decree's by default.
    :returns: ``(None, 0)`` when no shape targets anything in the graph (it conforms).
        When the shapes' targets cannot be searched (:mod:`graph.validation.reach`), the
        whole graph is validated and the count is that of the focus nodes with a result.
    :raises ShapesError: if a shapes or context file is missing or does not parse.
    """
    source = graph_source(holder)
    chosen = shape_set(shapes)
    if unscoped_reason(chosen, GLOBAL_PREDICATES) is not None:
        report = _whole(source, graph, chosen)
        return report, len({result.focus_node for result in report.results})
    nodes = focus_nodes(source, graph, chosen)
    if _has_subclass_axioms(source, graph):
        return _whole(source, graph, chosen), len(nodes)
    if not nodes:
        return None, 0
    nearby = neighbourhood(source, graph, nodes)
    if nearby is None:
        return _whole(source, graph, chosen), len(nodes)
    if not source.canonical:  # the values as written: pyshacl runs the SPARQL constraints too
        return validate_with(ntriples_to_rdflib(nearby), chosen), len(nodes)
    core = validate_with(ntriples_to_rdflib(nearby), chosen, split_shapes(chosen).core)
    checked = run_checks(chosen, nearby)
    results = sorted([*core.results, *checked.results], key=result_order)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results, _merged(core.graph, checked.graph, conforms)
                            ), len(nodes)


def _whole(source: GraphSource, graph: str, shapes: ShapeSet) -> ValidationReport:
    return validate_with(ntriples_to_rdflib(source.ntriples(graph)), shapes)


def _has_subclass_axioms(source: GraphSource, graph: str) -> bool:
    return bool(source.query(f"ASK FROM <{graph}> {{ ?s <{_SUBCLASS_OF}> ?o }}"))


def _merged(report: Graph, checked: Graph, conforms: bool) -> Graph:
    """pyshacl's report graph with the SPARQL constraints' results in it."""
    node = report.value(None, RDF.type, SH.ValidationReport, any=False)
    if node is None:
        raise ValueError("pyshacl's report graph has no sh:ValidationReport")
    report += checked
    for result in checked.subjects(RDF.type, SH.ValidationResult):
        report.add((node, SH.result, result))
    report.set((node, SH.conforms, Literal(conforms)))
    return report


def empty_report(shapes: ShapeSet) -> ValidationReport:
    """The report of a graph no shape targets, as pyshacl writes it."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in shapes.graph.namespace_manager.namespaces():
        graph.namespace_manager.bind(prefix, namespace)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(True)))
    return ValidationReport(True, [], graph)

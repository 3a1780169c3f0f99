"""Whether a shape set reads only what the scoped validation copies out of a graph.

The scoped validation (:mod:`graph.validation.scope`) gives pyshacl each focus node's
triples, the triples pointing at it, the triples of the nodes one step away, and every
triple of a few global predicates. That is exact for a shape set whose every read stays
there; :func:`unscoped_reason` reads the shapes to say so, or why not:

- targets: ``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` and
  SPARQL targets are found in the graph; ``sh:targetNode``, implicit class targets and
  other target types are not;
- paths: each step out of a node needs that node's outgoing triples (held for focus
  nodes and their neighbours), each inverse step its incoming ones (held for focus
  nodes); ``*`` and ``+`` paths reach anywhere;
- ``sh:class`` reads the type of a value node, ``sh:node``, ``sh:property``,
  ``sh:qualifiedValueShape``, ``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:not`` apply
  shapes to it, ``sh:equals``, ``sh:disjoint``, ``sh:lessThan(OrEquals)`` and
  ``sh:closed`` read the node's own triples;
- SPARQL constraints and targets may read anything: only the decree's own
  (``ontology/shapes``) are trusted, whose reach ``tests/test_shape_scope.py`` checks
  against pyshacl on the whole graph for every shapes fixture;
- the context (ontology and code lists) joins the data pyshacl sees: a shape must target
  nothing in it, or a graph with no focus node of its own would still have results.

A shape set that fails is validated on the whole graph instead: slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Collection

import pyoxigraph as ox
from rdflib import Graph
from rdflib import URIRef
from rdflib.namespace import OWL
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH
from rdflib.term import Node

from graph.validation.shapes import ShapeSet
from graph.validation.sources import MemoryGraph
from graph.validation.targets import focus_nodes

Position = tuple[str, ...]
"""Where a node sits relative to its focus node: ``"o"`` one step out, ``"i"`` one step in."""
_OUT, _IN = "o", "i"
_OUTGOING_HELD: frozenset[Position] = frozenset({(), (_OUT,), (_IN,)})
_MAX_NESTING = 8
_TARGETED = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_NESTED = (SH.node, SH.qualifiedValueShape, SH["not"], SH.property)
_LISTS = (SH["and"], SH["or"], SH.xone)
_COMPARED = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


class OutOfReach(Exception):
    """A shape reads something the neighbourhood does not hold."""


def unscoped_reason(shapes: ShapeSet, global_predicates: Collection[str]) -> str | None:
    """Why the neighbourhood of the focus nodes may not hold what ``shapes`` read, or None.

    :param global_predicates: predicates whose every triple the neighbourhood holds.
    """
    return shapes.derived("unscoped-reason", lambda s: _reason(s, set(global_predicates)))


def _reason(shapes: ShapeSet, global_predicates: set[str]) -> str | None:
    graph = shapes.graph
    if not shapes.decree_only and ((None, SH.sparql, None) in graph
                                   or (None, SH.target, None) in graph):
        return "SPARQL constraints or targets outside the decree's shapes"
    if (None, SH.targetNode, None) in graph:
        return "sh:targetNode"
    for kind in (RDFS.Class, OWL.Class):
        if any((s, RDF.type, SH.NodeShape) in graph for s in graph.subjects(RDF.type, kind)):
            return "an implicit class target"
    if any((t, SH.select, None) not in graph for t in graph.objects(None, SH.target)):
        return "a target that is not a SPARQL query"
    walker = _Walker(graph, global_predicates)
    try:
        for shape in {s for p in _TARGETED for s in graph.subjects(p, None)}:
            walker.shape(shape, (), 0)
    except OutOfReach as reason:
        return str(reason)
    return _targets_in_context(shapes)


def _targets_in_context(shapes: ShapeSet) -> str | None:
    name = "urn:psikg:validation-context"
    context = MemoryGraph(name, [
        ox.Triple(q.subject, q.predicate, q.object) for graph in (shapes.ontology, shapes.codelists)
        for q in ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                          format=ox.RdfFormat.N_TRIPLES)])
    found = sorted(focus_nodes(context, name, shapes))
    return f"a target in the ontology or the code lists ({found[0]})" if found else None


class _Walker:
    """Follows each targeted shape to every node it reads, from the focus node."""

    def __init__(self, graph: Graph, global_predicates: set[str]) -> None:
        self.graph = graph
        self.global_predicates = global_predicates
        self.seen: set[tuple[Node, Position]] = set()

    def shape(self, shape: Node, at: Position, depth: int) -> None:
        if (shape, at) in self.seen:
            return
        if depth > _MAX_NESTING:
            raise OutOfReach(f"shapes nested more than {_MAX_NESTING} deep")
        self.seen.add((shape, at))
        graph = self.graph
        path = graph.value(shape, SH.path)
        values = [at] if path is None else self.path(path, at)
        for predicate in _COMPARED:
            for compared in graph.objects(shape, predicate):
                self.read(_OUT, compared, at)
        for value in values:
            if graph.value(shape, SH["class"]) is not None:
                self.read(_OUT, RDF.type, value)
            if graph.value(shape, SH.closed) is not None:
                self.read(_OUT, None, value)
            nested = [n for p in _NESTED for n in graph.objects(shape, p)]
            nested += [n for p in _LISTS for lst in graph.objects(shape, p)
                       for n in graph.items(lst)]
            for inner in nested:
                self.shape(inner, value, depth + 1)

    def path(self, path: Node, at: Position) -> list[Position]:
        """Where the path's value nodes sit; raises if a step reads out of reach."""
        graph = self.graph
        if isinstance(path, URIRef):
            self.read(_OUT, path, at)
            return [(*at, _OUT)]
        if (path, RDF.first, None) in graph:
            ends = [at]
            for step in graph.items(path):
                ends = [end for start in ends for end in self.path(step, start)]
            return ends
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            return [end for step in graph.items(alternatives) for end in self.path(step, at)]
        inverse = graph.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            self.read(_IN, inverse, at)
            return [(*at, _IN)]
        optional = graph.value(path, SH.zeroOrOnePath)
        if optional is not None:
            return [at, *self.path(optional, at)]
        raise OutOfReach(f"a path the neighbourhood cannot bound ({path})")

    def read(self, direction: str, predicate: Node | None, at: Position) -> None:
        """Check that the triples of ``predicate`` (None: every predicate) going out of
        (or into) the node at ``at`` are in the neighbourhood."""
        if predicate is not None and str(predicate) in self.global_predicates:
            return
        if at in _OUTGOING_HELD if direction == _OUT else at == ():
            return
        what = "every triple" if predicate is None else f"the triples of <{predicate}>"
        side = "out of" if direction == _OUT else "into"
        raise OutOfReach(f"{what} {side} a node {len(at)} steps from a focus node")

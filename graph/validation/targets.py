"""The focus nodes of a shape set in one graph of the store, found with SPARQL.

``sh:targetClass`` (with the context's subclasses), ``sh:targetSubjectsOf`` and
``sh:targetObjectsOf`` are index look-ups. A ``sh:SPARQLTarget`` query runs on the triples
of the predicates it names only, copied to an in-memory store: its patterns name their
predicates, so the answer is the same, and Oxigraph no longer enumerates every node of a
large graph for a zero-length path such as ``dcat:distribution?``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH

from graph.store_api import StoreReader
from graph.validation.shapes import ShapeSet
from graph.validation.sources import GraphSource
from graph.validation.sources import graph_source
from graph.validation.sources import triples as solution_triples


@dataclass(frozen=True)
class TargetQuery:
    """A ``sh:SPARQLTarget`` query and the parts of a graph it can read."""

    query: str
    predicates: list[str]
    """The predicate IRIs it names (rdf:type aside)."""
    classes: list[str]
    """The IRIs it names and their subclasses in the ontology: the types it can look for."""
    uses_type: bool
    ontology: list[ox.Triple]
    """The ontology's subclass axioms: pyshacl sees them (``ont_graph``), so the query must."""


@dataclass(frozen=True)
class Targets:
    """A shape set's targets: SPARQL patterns on ``?this``, and its SPARQL target queries."""

    patterns: list[str]
    queries: list[TargetQuery]


def targets(shapes: ShapeSet) -> Targets:
    """The shape set's targets (built once per set)."""
    return shapes.derived("targets", _targets)


def _targets(shape_set: ShapeSet) -> Targets:
    shapes = shape_set.graph
    patterns: list[str] = []
    for cls in set(shapes.objects(None, SH.targetClass)):
        values = " ".join(f"<{c}>" for c in sorted(shape_set.subclasses(str(cls))))
        patterns.append(f"VALUES ?class {{ {values} }} ?this <{RDF.type}> ?class .")
    for predicate in set(shapes.objects(None, SH.targetSubjectsOf)):
        patterns.append(f"?this <{predicate}> ?any .")
    for predicate in set(shapes.objects(None, SH.targetObjectsOf)):
        patterns.append(f"?any <{predicate}> ?this .")
    declared = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in declared.items())
    subclass_axioms = [ox.Triple(ox.NamedNode(str(s)), ox.NamedNode(str(RDFS.subClassOf)),
                                 ox.NamedNode(str(o)))
                       for graph in (shape_set.ontology, shape_set.codelists)
                       for s, o in graph.subject_objects(RDFS.subClassOf)
                       if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)]
    queries = []
    for target in shapes.objects(None, SH.target):
        for select in shapes.objects(target, SH.select):
            named = _named_iris(str(select), declared)
            classes = set(named)
            for iri in named:
                classes |= shape_set.subclasses(iri)
            queries.append(TargetQuery(prefixes + str(select), sorted(named - {str(RDF.type)}),
                                       sorted(classes), str(RDF.type) in named
                                       or re.search(r"\sa\s", str(select)) is not None,
                                       subclass_axioms))
    return Targets(patterns, queries)


_PREFIXED = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")
_FULL = re.compile(r"<([^<>\s]+)>")


def _named_iris(query: str, prefixes: dict[str, str]) -> set[str]:
    """Every IRI a query names, written in full or with a declared prefix."""
    text = re.sub(r"(?m)(^|\s)#[^\n]*", " ", query)
    iris = {m.group(1) for m in _FULL.finditer(text)}
    iris |= {prefixes[m.group(1)] + m.group(2) for m in _PREFIXED.finditer(text)
             if m.group(1) in prefixes}
    return iris


def focus_nodes(holder: StoreReader | GraphSource, graph: str, shapes: ShapeSet) -> set[str]:
    """Every node of ``graph`` that some shape targets (IRIs and blank node ids)."""
    source = graph_source(holder)
    found: set[str] = set()
    dataset = f"FROM <{graph}> "
    chosen = targets(shapes)
    for pattern in chosen.patterns:
        found.update(_values(source.select(f"SELECT DISTINCT ?this {dataset}"
                                           f"WHERE {{ {pattern} }}")))
    for target in chosen.queries:
        found.update(_sparql_target(source, graph, target))
    return found


def _sparql_target(source: GraphSource, graph: str, target: TargetQuery) -> set[str]:
    """A SPARQL target's answer, computed on the triples it can read: those of the
    predicates it names, and the rdf:type triples of the classes it names."""
    values = " ".join(f"<{p}>" for p in target.predicates)
    triples = solution_triples(source.select(f"SELECT DISTINCT ?s ?p ?o FROM <{graph}> "
                                             f"WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"))
    if target.uses_type:
        classes = " ".join(f"<{c}>" for c in target.classes)
        triples += solution_triples(source.select(
            f"SELECT DISTINCT ?s ?p ?o FROM <{graph}> WHERE {{ VALUES ?p {{ <{RDF.type}> }} "
            f"VALUES ?o {{ {classes} }} ?s ?p ?o }}"))
    if not triples:
        return set()
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(triple.subject, triple.predicate, triple.object,
                                ox.DefaultGraph()) for triple in [*triples, *target.ontology])
    return set(_values(scratch.query(target.query)))


def _values(rows: Iterable[ox.QuerySolution] | ox.QueryBoolean | ox.QueryTriples
            ) -> Iterable[str]:
    if isinstance(rows, ox.QueryBoolean | ox.QueryTriples):
        raise TypeError(f"expected SELECT solutions, got {type(rows).__name__}")
    for row in rows:
        term = row["this"]
        if term is not None:
            yield str(term)

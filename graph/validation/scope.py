"""Validate a large staged graph exactly, by giving pyshacl only what the shapes can see.

pyshacl over a ten-million-triple registry takes minutes and gigabytes: it
parses every triple into rdflib first. Most of those triples are out of
reach of every decree shape: a subsidies registry has no dataset, charge or
public body for a shape to target. So the loader:

1. finds the focus nodes of every shape with SPARQL on the store itself
   (``sh:targetClass`` with the ontology's subclasses, ``sh:targetSubjectsOf``,
   ``sh:targetObjectsOf`` and the shapes' own ``sh:SPARQLTarget`` queries):
   index look-ups. A ``sh:SPARQLTarget`` query runs on the triples of the
   predicates it names only (copied to an in-memory store): its patterns name
   their predicates, so the answer is the same, and Oxigraph no longer
   enumerates every node of a ten-million-triple graph for a zero-length
   path such as ``dcat:distribution?``;
2. if there are none, the graph conforms: no shape applies to it;
3. otherwise extracts the neighbourhood the shapes read (each focus node's
   triples two hops out, the triples pointing at it, and the triples of the
   predicates a SPARQL constraint reads across the whole graph), and runs
   pyshacl (:func:`graph.validation.shacl.validate`) on that with the core
   constraints, and the shapes' SPARQL constraints on pyoxigraph
   (:mod:`graph.validation.sparql_checks`).

The decree shapes' paths are at most two steps long, their SPARQL
constraints look at ``$this``, its neighbours and the global predicates in
:data:`GLOBAL_PREDICATES`, so the neighbourhood holds every triple a result
can depend on; ``tests/test_shape_scope.py`` checks that the results are
exactly pyshacl's on the whole graph for every shapes fixture. A shape that
reads further must add its predicates to :data:`GLOBAL_PREDICATES`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH

from graph import settings
from graph.namespaces import DCAT
from graph.namespaces import PSI
from graph.store import Store
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.report import ValidationReport
from graph.validation.report import ValidationResult
from graph.validation.shacl import validate
from graph.validation.sparql_checks import run_checks
from graph.validation.sparql_checks import split_shapes

GLOBAL_PREDICATES = (PSI + "listedBody", DCAT + "dataset", DCAT + "servesDataset",
                     PSI + "charge", PSI + "listsCharge")
"""Predicates some SPARQL constraint or target reads anywhere in the graph."""
_BATCH = 500


@functools.lru_cache(maxsize=4)
def _targets(shape_key: tuple[tuple[str, float], ...]
             ) -> tuple[list[str], list[TargetQuery]]:
    """The shapes' targets as SPARQL patterns on ``?this``, and their SPARQL target queries
    with the predicate IRIs each one names."""
    shapes = rdflib.Graph()
    for name, _ in shape_key:
        shapes.parse(name, format="turtle")
    ontology = rdflib.Graph()
    for path in settings.ontology_files():
        ontology.parse(path, format="turtle")
    patterns: list[str] = []
    for cls in set(shapes.objects(None, SH.targetClass)):
        subclasses = set(ontology.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
        values = " ".join(f"<{c}>" for c in sorted(str(c) for c in subclasses))
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
                       for s, o in ontology.subject_objects(RDFS.subClassOf)
                       if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)]
    queries = []
    for target in shapes.objects(None, SH.target):
        for select in shapes.objects(target, SH.select):
            named = _named_iris(str(select), declared)
            classes = set(named)
            for iri in named:
                classes |= {str(c) for c in ontology.transitive_subjects(
                    RDFS.subClassOf, rdflib.URIRef(iri))}
            queries.append(TargetQuery(prefixes + str(select), sorted(named - {str(RDF.type)}),
                                       sorted(classes), str(RDF.type) in named
                                       or re.search(r"\sa\s", str(select)) is not None,
                                       subclass_axioms))
    return patterns, queries


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


_PREFIXED = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")
_FULL = re.compile(r"<([^<>\s]+)>")


def _named_iris(query: str, prefixes: dict[str, str]) -> set[str]:
    """Every IRI a query names, written in full or with a declared prefix."""
    text = re.sub(r"(?m)(^|\s)#[^\n]*", " ", query)
    iris = {m.group(1) for m in _FULL.finditer(text)}
    iris |= {prefixes[m.group(1)] + m.group(2) for m in _PREFIXED.finditer(text)
             if m.group(1) in prefixes}
    return iris


def _shape_key(shapes: list[Path] | None) -> tuple[tuple[str, float], ...]:
    paths = settings.shape_files() if shapes is None else shapes
    return tuple((str(p), Path(p).stat().st_mtime) for p in paths)


def focus_nodes(store: Store, graph: str, shapes: list[Path] | None = None) -> set[str]:
    """Every node of ``graph`` that some shape targets (IRIs and blank node ids)."""
    patterns, queries = _targets(_shape_key(shapes))
    found: set[str] = set()
    source = f"FROM <{graph}> "
    for pattern in patterns:
        found.update(_values(store.query(f"SELECT DISTINCT ?this {source}WHERE {{ {pattern} }}")))
    for target in queries:
        found.update(_sparql_target(store, graph, target))
    return found


def _sparql_target(store: Store, graph: str, target: TargetQuery) -> set[str]:
    """A SPARQL target's answer, computed on the triples it can read: those of the
    predicates it names, and the rdf:type triples of the classes it names."""
    values = " ".join(f"<{p}>" for p in target.predicates)
    triples = list(store.query(f"CONSTRUCT {{ ?s ?p ?o }} FROM <{graph}> "
                               f"WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"))
    if target.uses_type:
        classes = " ".join(f"<{c}>" for c in target.classes)
        triples += store.query(f"CONSTRUCT {{ ?s a ?o }} FROM <{graph}> "
                               f"WHERE {{ VALUES ?o {{ {classes} }} ?s a ?o }}")
    if not triples:
        return set()
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                        for t in [*triples, *target.ontology])
    return set(_values(scratch.query(target.query)))


def _values(rows: Iterable[ox.QuerySolution] | ox.QueryBoolean | ox.QueryTriples
            ) -> Iterable[str]:
    if not isinstance(rows, ox.QuerySolutions):
        raise TypeError(f"expected SELECT solutions, got {type(rows).__name__}")
    for row in rows:
        term = row["this"]
        if term is not None:
            yield str(term)


def neighbourhood(store: Store, graph: str, nodes: set[str]) -> bytes | None:
    """The triples the shapes can read around ``nodes``, as N-Triples.

    ``None`` when a blank node is in reach: SPARQL cannot name one, so the caller
    validates the whole graph instead.
    """
    if any(not n.startswith("<") for n in nodes):
        return None
    triples: set[ox.Triple] = set()
    outgoing = _construct(store, graph, nodes, "s", triples)
    incoming = _construct(store, graph, nodes, "o", triples)
    reach = {str(t.object) for t in outgoing if not isinstance(t.object, ox.Literal)}
    reach |= {str(t.subject) for t in incoming}
    reach -= nodes
    if any(not n.startswith("<") for n in reach):
        return None
    _construct(store, graph, reach, "s", triples)
    for predicate in GLOBAL_PREDICATES:
        triples.update(store.query(f"CONSTRUCT {{ ?s <{predicate}> ?o }} FROM <{graph}> "
                                   f"WHERE {{ ?s <{predicate}> ?o }}"))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _construct(store: Store, graph: str, nodes: Iterable[str], bound: str,
               into: set[ox.Triple]) -> list[ox.Triple]:
    """The triples whose subject (``bound="s"``) or object (``"o"``) is one of ``nodes``."""
    found: list[ox.Triple] = []
    names = sorted(nodes)
    for start in range(0, len(names), _BATCH):
        values = " ".join(names[start:start + _BATCH])
        found.extend(store.query(f"CONSTRUCT {{ ?s ?p ?o }} FROM <{graph}> "
                                 f"WHERE {{ VALUES ?{bound} {{ {values} }} ?s ?p ?o }}"))
    into.update(found)
    return found


def validate_staged(store: Store, graph: str, shapes: list[Path] | None = None
                    ) -> tuple[ValidationReport | None, int]:
    """Validate what a staged load wrote to ``graph``: the report, and how many focus nodes.

    :returns: ``(None, 0)`` when no shape targets anything in the graph (it conforms).
    """
    nodes = focus_nodes(store, graph, shapes)
    if not nodes:
        return None, 0
    nearby = neighbourhood(store, graph, nodes)
    if nearby is None:
        return validate(ntriples_to_rdflib(store.graph_ntriples(graph)), shapes), len(nodes)
    split = split_shapes(_shape_key(shapes))
    core = validate(ntriples_to_rdflib(nearby), [split.core])
    results = sorted([*core.results, *run_checks(split.checks, nearby)], key=_order)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=core.graph), len(nodes)


_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}


def _order(result: ValidationResult) -> tuple[int, str, str, str, str]:
    """The order of :func:`graph.validation.shacl.validate`'s results."""
    return (_SEVERITY_RANK.get(result.severity, 3), result.focus_node, result.source_shape,
            result.path or "", result.value or "")

"""The decree shapes' SPARQL constraints, run on pyoxigraph instead of pyshacl.

pyshacl runs a ``sh:SPARQLConstraint`` once per focus node, parsing the query
with rdflib each time, which is slow on registers of thousands of rows; Oxigraph
parses and answers the same query far faster. So the scoped validation
(:mod:`graph.validation.scope`) hands pyshacl the shapes without their ``sh:sparql``
constraints (:func:`split_shapes`) and runs those here, as SHACL defines them: for
each focus node of the node shape, ``$this`` pre-bound by substitution in the query
text, each solution a result whose value is ``?value`` and path ``?path``, with the
constraint's message (else the shape's), the shape's severity and its article.
``tests/test_shape_scope.py`` checks results and messages against pyshacl's
on every shapes fixture. A constraint that adds a duration to a date stays
with pyshacl: SPARQL 1.1 does not define that sum, rdflib computes it, and
Oxigraph 0.5 leaves it unbound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH

from graph.validation.report import Severity
from graph.validation.report import ValidationResult
from graph.validation.shapes import ShapeSet

_THIS = re.compile(r"[$?]this\b")
_COMPONENT = str(SH.SPARQLConstraintComponent)


@dataclass(frozen=True)
class SparqlCheck:
    """One SPARQL constraint of one node shape, with that shape's targets."""

    shape: str
    select: str
    messages: dict[str, str]
    severity: Severity
    article: str | None
    classes: tuple[str, ...]
    objects_of: tuple[str, ...]
    subjects_of: tuple[str, ...]


@dataclass(frozen=True)
class SplitShapes:
    """The shapes as pyshacl gets them (no SPARQL constraints), and those constraints."""

    core: rdflib.Graph
    checks: tuple[SparqlCheck, ...]


def split_shapes(shapes: ShapeSet) -> SplitShapes:
    """The shape set split as the module says (built once per set)."""
    return shapes.derived("sparql-checks", _split)


def _split(shape_set: ShapeSet) -> SplitShapes:
    shapes = rdflib.Graph()
    shapes += shape_set.graph
    declared = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                       for d in shapes.objects(None, SH.declare))
    checks = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        if "Duration" in str(shapes.value(constraint, SH.select)):
            continue  # date + duration: rdflib computes it, Oxigraph 0.5 leaves it unbound
        classes = set()
        for cls in shapes.objects(shape, SH.targetClass):
            classes |= shape_set.subclasses(str(cls))
        source = shapes.value(shape, DCTERMS.source)
        messages = _messages(shapes, constraint) or _messages(shapes, shape)
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        checks.append(SparqlCheck(
            str(shape), declared + str(shapes.value(constraint, SH.select)), messages,
            severity, None if source is None else str(source),  # type: ignore[arg-type]
            tuple(sorted(classes)),
            tuple(sorted(str(p) for p in shapes.objects(shape, SH.targetObjectsOf))),
            tuple(sorted(str(p) for p in shapes.objects(shape, SH.targetSubjectsOf)))))
        shapes.remove((shape, SH.sparql, constraint))
    return SplitShapes(shapes, tuple(checks))


def _messages(shapes: rdflib.Graph, node: rdflib.term.Node) -> dict[str, str]:
    return {getattr(m, "language", None) or "": str(m) for m in shapes.objects(node, SH.message)}


def run_checks(shapes: ShapeSet, data: bytes) -> list[ValidationResult]:
    """Every SPARQL constraint's results on ``data`` (N-Triples), ontology axioms included."""
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    store.bulk_extend(shapes.derived("subclass-axioms", _subclass_axioms))
    results = []
    for check in split_shapes(shapes).checks:
        for focus in _focus_nodes(store, check):
            query = _bound(check.select, focus)
            for row in _solutions(store.query(query)):
                value = row["value"]
                path = row["path"]
                results.append(ValidationResult(
                    focus_node=focus.value, path=None if path is None else path.value,
                    value=focus.value if value is None else value.value,
                    message=dict(sorted(check.messages.items())), severity=check.severity,
                    source_shape=check.shape, article=check.article, constraint=_COMPONENT))
    return results


def _subclass_axioms(shapes: ShapeSet) -> tuple[ox.Quad, ...]:
    """The context's subclass axioms: pyshacl sees them through ``ont_graph`` too."""
    return tuple(ox.Quad(_ox_node(s), ox.NamedNode(str(RDFS.subClassOf)), _ox_node(o))
                 for graph in (shapes.ontology, shapes.codelists)
                 for s, o in graph.subject_objects(RDFS.subClassOf))


def _ox_node(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    return ox.NamedNode(str(node))


def _focus_nodes(store: ox.Store, check: SparqlCheck) -> list[ox.NamedNode | ox.BlankNode]:
    patterns = []
    if check.classes:
        values = " ".join(f"<{c}>" for c in check.classes)
        patterns.append(f"{{ VALUES ?c {{ {values} }} ?this <{RDF.type}> ?c }}")
    patterns += [f"{{ ?any <{p}> ?this }}" for p in check.objects_of]
    patterns += [f"{{ ?this <{p}> ?any }}" for p in check.subjects_of]
    if not patterns:
        return []
    rows = _solutions(store.query(f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(patterns)} }}"))
    return [row["this"] for row in rows
            if isinstance(row["this"], ox.NamedNode | ox.BlankNode)]


def _solutions(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
               ) -> ox.QuerySolutions:
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"expected SELECT solutions, got {type(answer).__name__}")
    return answer


def _bound(select: str, focus: ox.NamedNode | ox.BlankNode) -> str:
    """The query with ``$this`` pre-bound: removed from the projection, replaced elsewhere."""
    head, _, body = select.partition("WHERE")
    if isinstance(focus, ox.BlankNode):
        raise ValueError("a blank focus node cannot be written into a query")
    head = _THIS.sub("", head)
    return head + "WHERE" + _THIS.sub(str(focus), body)

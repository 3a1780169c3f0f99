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
import typing as t
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
from graph.validation.shapes import rdflib_term

_THIS = re.compile(r"[$?]this\b")
_COMPONENT = str(SH.SPARQLConstraintComponent)


@dataclass(frozen=True)
class SparqlCheck:
    """One SPARQL constraint of one node shape, with that shape's targets."""

    shape: str
    nodes: tuple[rdflib.term.Node, rdflib.term.Node]
    """The shape and the constraint, as the shapes graph names them."""
    select: str
    messages: dict[str, str]
    """The constraint's messages (else the shape's) by language: the result's message."""
    report_messages: tuple[str, ...]
    """The messages pyshacl writes in its report graph: the constraint's, then the shape's,
    untagged."""
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
        texts = [str(m) for node in (constraint, shape) for m in shapes.objects(node, SH.message)]
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        checks.append(SparqlCheck(
            str(shape), (shape, constraint), declared + str(shapes.value(constraint, SH.select)),
            messages, tuple(dict.fromkeys(texts)), severity,  # type: ignore[arg-type]
            None if source is None else str(source),
            tuple(sorted(classes)),
            tuple(sorted(str(p) for p in shapes.objects(shape, SH.targetObjectsOf))),
            tuple(sorted(str(p) for p in shapes.objects(shape, SH.targetSubjectsOf)))))
        shapes.remove((shape, SH.sparql, constraint))
    return SplitShapes(shapes, tuple(checks))


def _messages(shapes: rdflib.Graph, node: rdflib.term.Node) -> dict[str, str]:
    return {getattr(m, "language", None) or "": str(m) for m in shapes.objects(node, SH.message)}


@dataclass
class CheckedResults:
    """The SPARQL constraints' results, and the same as ``sh:ValidationResult`` nodes."""

    results: list[ValidationResult]
    graph: rdflib.Graph
    """One ``sh:ValidationResult`` node per result, written as pyshacl writes them."""


def run_checks(shapes: ShapeSet, data: bytes) -> CheckedResults:
    """Every SPARQL constraint's results on ``data`` (N-Triples), ontology axioms included."""
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    store.bulk_extend(shapes.derived("subclass-axioms", _subclass_axioms))
    checked = CheckedResults([], rdflib.Graph())
    for check in split_shapes(shapes).checks:
        for focus in _focus_nodes(store, check):
            query = _bound(check.select, focus)
            for row in _solutions(store.query(query)):
                value = focus if row["value"] is None else row["value"]
                path = row["path"]
                checked.results.append(ValidationResult(
                    focus_node=focus.value, path=None if path is None else path.value,
                    value=value.value, message=dict(sorted(check.messages.items())),
                    severity=check.severity, source_shape=check.shape, article=check.article,
                    constraint=_COMPONENT))
                _write_result(checked.graph, check, focus, value, path)
    return checked


def _write_result(graph: rdflib.Graph, check: SparqlCheck, focus: ox.NamedNode,
                  value: t.Any, path: t.Any) -> None:
    """The result as pyshacl's report graph holds it (the decree's shapes and constraints
    are IRIs; pyshacl would copy the description of a blank one, this names it only)."""
    node = rdflib.BNode()
    shape, constraint = check.nodes
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    graph.add((node, SH.sourceShape, shape))
    graph.add((node, SH.resultSeverity, SH[check.severity]))
    graph.add((node, SH.focusNode, rdflib_term(focus)))
    graph.add((node, SH.value, rdflib_term(value)))
    if path is not None:
        graph.add((node, SH.resultPath, rdflib_term(path)))
    graph.add((node, SH.sourceConstraint, constraint))
    for text in check.report_messages:
        graph.add((node, SH.resultMessage, rdflib.Literal(text)))


def _subclass_axioms(shapes: ShapeSet) -> tuple[ox.Quad, ...]:
    """The context's subclass axioms: pyshacl sees them through ``ont_graph`` too."""
    return tuple(ox.Quad(_ox_node(s), ox.NamedNode(str(RDFS.subClassOf)), _ox_node(o))
                 for graph in (shapes.ontology, shapes.codelists)
                 for s, o in graph.subject_objects(RDFS.subClassOf))


def _ox_node(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    return ox.NamedNode(str(node))


def _focus_nodes(store: ox.Store, check: SparqlCheck) -> list[ox.NamedNode]:
    patterns = []
    if check.classes:
        values = " ".join(f"<{c}>" for c in check.classes)
        patterns.append(f"{{ VALUES ?c {{ {values} }} ?this <{RDF.type}> ?c }}")
    patterns += [f"{{ ?any <{p}> ?this }}" for p in check.objects_of]
    patterns += [f"{{ ?this <{p}> ?any }}" for p in check.subjects_of]
    if not patterns:
        return []
    rows = _solutions(store.query(f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(patterns)} }}"))
    nodes = []
    for row in rows:
        node = row["this"]
        if isinstance(node, ox.BlankNode):
            raise ValueError("a blank focus node cannot be written into a query")
        if isinstance(node, ox.NamedNode):
            nodes.append(node)
    return nodes


def _solutions(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
               ) -> ox.QuerySolutions:
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"expected SELECT solutions, got {type(answer).__name__}")
    return answer


def _bound(select: str, focus: ox.NamedNode) -> str:
    """The query with ``$this`` pre-bound: removed from the projection, replaced elsewhere."""
    head, _, body = select.partition("WHERE")
    head = _THIS.sub("", head)
    return head + "WHERE" + _THIS.sub(str(focus), body)

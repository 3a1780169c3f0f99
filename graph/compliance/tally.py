"""One validation of one graph counted per public body and article (the record kept).

What a body's nodes are, what each article checks and whom a check binds are
:mod:`graph.compliance.articles`. The nodes each article checks are the focus nodes of the
node shapes that cite it (found as the scoped validation finds them,
:mod:`graph.validation.targets`) and the rows of its SPARQL check; the violations are the
validation report's and the checks' failures.
"""

from __future__ import annotations

from collections import defaultdict

from graph.compliance.articles import ARTICLES
from graph.compliance.articles import CHECKS
from graph.compliance.articles import HAS_PLATFORM
from graph.compliance.articles import LISTINGS
from graph.compliance.articles import OWNERS
from graph.compliance.articles import article_number
from graph.compliance.articles import check_iri
from graph.compliance.articles import on_graph
from graph.compliance.articles import over
from graph.compliance.record import ComplianceRecord
from graph.compliance.record import Finding
from graph.compliance.record import Tally
from graph.store_api import StoreReader
from graph.validation.report import ValidationReport
from graph.validation.shapes import ShapeSet
from graph.validation.shapes import shape_set
from graph.validation.sources import GraphSource
from graph.validation.sources import graph_source
from graph.validation.targets import focus_nodes
from graph.words import COMPLIANCE

Key = tuple[str | None, str]
"""A body (``None``: none could be named) and an article number."""


def compliance_record(holder: StoreReader | GraphSource, graph: str,
                      report: ValidationReport | None, trigger: str) -> ComplianceRecord:
    """The tallies and open violations of ``graph`` per body and article.

    :param graph: where the triples are (a load's staged graph, or a graph of the store).
    :param report: the decree shapes' report on ``graph``; ``None`` when no shape targets
        anything in it (:func:`graph.validation.scope.validate_scoped`), so that no
        article's shapes are searched again.
    """
    source = graph_source(holder)
    checked: dict[Key, set[str]] = defaultdict(set)
    violations: dict[Key, int] = defaultdict(int)
    findings: list[Finding] = []
    if report is not None:
        _count_shapes(source, graph, report, checked, violations, findings)
    _run_checks(source, graph, checked, violations, findings)
    tallies = tuple(Tally(body, number, len(nodes), violations.get((body, number), 0))
                    for (body, number), nodes in sorted(checked.items(), key=_order))
    return ComplianceRecord(trigger, tallies, tuple(findings))


def _count_shapes(source: GraphSource, graph: str, report: ValidationReport,
                  checked: dict[Key, set[str]], violations: dict[Key, int],
                  findings: list[Finding]) -> None:
    """The focus nodes of each article's shapes, and the report's violations."""
    owners = _owners(source, graph)
    for number, shapes in _article_sets(shape_set()).items():
        for node in map(_plain, focus_nodes(source, graph, shapes)):
            for body in owners.get(node, {None}):
                checked[(body, number)].add(node)
    for result in report.violations:
        cited = article_number(result.article)
        if cited is None or cited not in ARTICLES:
            continue
        for body in owners.get(result.focus_node, {None}):
            checked[(body, cited)].add(result.focus_node)
            violations[(body, cited)] += 1
            findings.append(Finding(body, cited, result.focus_node, result.path, result.value,
                                    result.source_shape, dict(result.message)))


def _order(item: tuple[Key, set[str]]) -> tuple[str, int]:
    (body, number), _ = item
    return body or "", int(number)


def _owners(source: GraphSource, graph: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in source.select(on_graph(OWNERS, graph)):
        found[_plain(str(row["node"]))].add(row["body"].value)
    return found


def _plain(node: str) -> str:
    """A node as a report names it: an IRI without its brackets, a blank node as ``_:id``.

    >>> _plain("<https://x.example/d>"), _plain("_:b1")
    ('https://x.example/d', '_:b1')
    """
    return node[1:-1] if node.startswith("<") else node


def _run_checks(source: GraphSource, graph: str, checked: dict[Key, set[str]],
                violations: dict[Key, int], findings: list[Finding]) -> None:
    """The articles no shape checks (:data:`graph.compliance.articles.CHECKS`)."""
    platform = any(bool(source.query(over(HAS_PLATFORM, where))) for where in (None, graph))
    listed = {name: _listed(source, graph, query) for name, query in LISTINGS.items()}
    for check in CHECKS:
        if check.needs_platform is not None and check.needs_platform != platform:
            continue
        for row in source.select(on_graph(check.query, graph)):
            focus, body = _plain(str(row["focus"])), row["body"].value
            if check.unless_listed and row["disseminated"].value != "true" \
                    and focus not in listed["platform"]:
                continue
            ok = row["ok"]
            passes = (ok is not None and ok.value == "true") or (
                check.listed_by is not None and focus in listed[check.listed_by])
            checked[(body, check.article)].add(focus)
            if not passes:
                violations[(body, check.article)] += 1
                findings.append(Finding(body, check.article, focus, None, None,
                                        check_iri(check.article),
                                        dict(COMPLIANCE[f"check_{check.article}"])))


def _listed(source: GraphSource, graph: str, query: str) -> set[str]:
    """What ``query`` finds in the live graphs and in ``graph`` (staged, perhaps)."""
    found = set()
    for where in (None, graph):
        found |= {_plain(str(row["focus"])) for row in source.select(over(query, where))}
    return found


def _article_sets(shapes: ShapeSet) -> dict[str, ShapeSet]:
    """Per article, the targets of the node shapes that cite it (``dct:source``), as a shape
    set of its own for :func:`graph.validation.targets.focus_nodes`; built once per set."""
    return shapes.derived("compliance-articles", _split)


def _split(shapes: ShapeSet) -> dict[str, ShapeSet]:
    from rdflib import Graph
    from rdflib.namespace import DCTERMS
    from rdflib.namespace import SH

    graph = shapes.graph
    declarations = Graph()
    for holder, declared in graph.subject_objects(SH.declare):
        declarations.add((holder, SH.declare, declared))
        for predicate, value in graph.predicate_objects(declared):
            declarations.add((declared, predicate, value))
    by_article: dict[str, Graph] = {}
    for shape, source in graph.subject_objects(DCTERMS.source):
        number = article_number(str(source))
        if number not in ARTICLES:
            continue
        targets = by_article.setdefault(number, Graph())
        for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            for target in graph.objects(shape, predicate):
                targets.add((shape, predicate, target))
                for inner, value in graph.predicate_objects(target):
                    targets.add((target, inner, value))
    return {number: ShapeSet(shapes.shapes_key, shapes.context_key, targets + declarations,
                             shapes.ontology, Graph())
            for number, targets in sorted(by_article.items(), key=lambda item: int(item[0]))}

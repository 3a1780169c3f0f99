"""Validate an rdflib graph against the decree's SHACL shapes with pyshacl.

:func:`validate` wraps pyshacl the way the conformance notes (``conformance/README.md``)
found to work:

- ``inference='none'``: RDFS inference over DCAT and DCTERMS adds errors, it removes none.
- The ontology goes in as ``ont_graph``: pyshacl copies its class and property axioms
  into the data graph, so ``sh:targetClass psi:Exclusivity`` also reaches a
  ``psi:CulturalDigitisationExclusivity``. It copies nothing about individuals, so the
  code lists (format flags, ``skos:inScheme`` of licences and codes) are merged into a copy
  of the data graph instead; the caller's graph is never touched.
- ``advanced=True``: the shapes pick their focus nodes with ``sh:SPARQLTarget`` (SHACL-AF),
  e.g. "datasets listed on the platform".
- Warnings do not fail: a report conforms when it holds no ``sh:Violation``.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph

from graph.validation.report import ValidationReport
from graph.validation.report import results_of
from graph.validation.shapes import ShapeSet
from graph.validation.shapes import shape_set


def validate(
    data: Graph,
    shapes: list[Path] | None = None,
    *,
    context: list[Path] | None = None,
) -> ValidationReport:
    """Validate ``data`` against the decree's shapes.

    :param data: the graph to check; it is copied, never modified.
    :param shapes: shape files; :func:`graph.settings.shape_files` by default. A subset must
        include ``components.ttl``, which declares the SPARQL prefixes.
    :param context: ontology and code-list files; :func:`graph.settings.ontology_files` by
        default. Files that declare a ``skos:ConceptScheme`` are merged into the data, the
        others are passed to pyshacl as the ontology.
    :returns: the report; ``report.conforms`` is False only when there is a violation.
    :raises ShapesError: if a shapes or context file is missing or does not parse.
    """
    return validate_with(data, shape_set(shapes, context))


def validate_with(data: Graph, shapes: ShapeSet, shapes_graph: Graph | None = None
                  ) -> ValidationReport:
    """Validate ``data`` against a parsed shape set, as :func:`validate` does.

    :param shapes_graph: the shapes pyshacl runs, ``shapes.graph`` by default (the scoped
        validation gives the shapes without the SPARQL constraints it runs itself).
    """
    shacl = shapes.graph if shapes_graph is None else shapes_graph
    return _run_pyshacl(data, shacl, shapes.ontology, shapes.codelists)


def validate_graphs(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` against a shapes graph held in memory, with the options psikg runs
    on its own data (no inference, SHACL-AF, warnings do not fail) and none of psikg's
    context (no ontology, no code lists): shapes that are not the decree's, such as the W3C
    SHACL Core suite's (``tests/conformance/shacl_core.py``).

    :param data: the graph to check; it is copied, never modified.
    """
    return _run_pyshacl(data, shapes, Graph(), Graph())


def _run_pyshacl(data: Graph, shacl: Graph, ontology: Graph, codelists: Graph
                 ) -> ValidationReport:
    """pyshacl on a copy of ``data`` with ``codelists`` merged in (module docstring)."""
    target = Graph()
    target.addN((s, p, o, target) for s, p, o in data.triples((None, None, None)))
    target += codelists
    _, report_graph, _ = pyshacl.validate(
        target,
        shacl_graph=shacl,
        ont_graph=ontology if len(ontology) else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    results = results_of(report_graph, shacl)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)

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

from graph import settings
from graph.validation.report import ValidationReport
from graph.validation.report import results_of
from graph.validation.shapes import file_key
from graph.validation.shapes import load_context
from graph.validation.shapes import load_shapes


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
    shapes_graph = load_shapes(file_key(settings.shape_files() if shapes is None else shapes))
    ontology, codelists = load_context(
        file_key(settings.ontology_files() if context is None else context)
    )
    target = Graph()
    target.addN((s, p, o, target) for s, p, o in data.triples((None, None, None)))
    target += codelists
    _, report_graph, _ = pyshacl.validate(
        target,
        shacl_graph=shapes_graph,
        ont_graph=ontology if len(ontology) else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    results = results_of(report_graph, shapes_graph)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


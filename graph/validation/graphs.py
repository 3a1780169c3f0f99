"""Validating the store's graphs against the decree shapes, and recording the outcome.

Each source graph is validated on its own (the decree's obligations are
about one publisher's registry at a time) and the summary goes to the
metadata graph, where ``psikg graphs`` and the endpoint read it.
"""

from __future__ import annotations

from pathlib import Path

from graph.provenance import ValidationSummary
from graph.provenance import now
from graph.store import Store
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.report import ValidationReport
from graph.validation.shacl import validate


def validate_graph(store: Store, iri: str, shapes: list[Path] | None = None) -> ValidationReport:
    """Validate one named graph and record the outcome in the metadata graph.

    :raises NotFoundError: if the store has no such graph.
    """
    store.require_graph(iri)
    report = validate(ntriples_to_rdflib(store.graph_ntriples(iri)), shapes)
    store.record_validation(iri, ValidationSummary(
        report.conforms, len(report.violations), len(report.warnings), now()))
    return report


def validate_store(store: Store, shapes: list[Path] | None = None) -> dict[str, ValidationReport]:
    """Validate every source graph (all but the metadata graph), by graph IRI."""
    return {info.iri: validate_graph(store, info.iri, shapes)
            for info in store.graphs() if info.iri != store.meta_graph}

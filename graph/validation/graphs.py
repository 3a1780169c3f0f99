"""Validating the store's graphs and RDF files against the decree shapes: the entry points.

Each source graph is validated on its own (the decree's obligations are
about one publisher's registry at a time) and the summary goes to the
metadata graph, where ``psikg graphs`` and the endpoint read it. Graphs and
files alike take the scoped validation (:mod:`graph.validation.scope`), a file
through a copy of its triples in memory, so a report is pyshacl's on the whole
graph without pyshacl reading the whole graph.
"""

from __future__ import annotations

from pathlib import Path

from graph.compliance.tally import compliance_record
from graph.provenance import ValidationSummary
from graph.provenance import now
from graph.store_api import StoreReader
from graph.store_api import StoreWriter
from graph.validation.rdf_io import read_triples
from graph.validation.report import ValidationReport
from graph.validation.scope import empty_report
from graph.validation.scope import validate_scoped
from graph.validation.shapes import shape_set
from graph.validation.sources import GraphSource
from graph.validation.sources import MemoryGraph


def validate_graph(store: StoreWriter, iri: str, shapes: list[Path] | None = None,
                   trigger: str = "validate") -> ValidationReport:
    """Validate one named graph and record the outcome in the metadata graph (unless the
    store is read-only: a running server's, without its update token). Against the decree's
    shapes, the outcome per body and article is recorded too (:mod:`graph.compliance`).

    :param trigger: what validates (a ``load``, a ``harvest``, ``validate``), for the history.

    :raises NotFoundError: if the store has no such graph.
    :raises ShapesError: if a shapes or context file is missing or does not parse.
    """
    store.require_graph(iri)
    found, _ = validate_scoped(store, iri, shapes)
    report = empty_report(shape_set(shapes)) if found is None else found
    if store.writable:
        record = None if shapes else compliance_record(store, iri, found, trigger)
        store.record_validation(iri, ValidationSummary(
            report.conforms, len(report.violations), len(report.warnings), now(), record))
    return report


def validate_store(store: StoreWriter, shapes: list[Path] | None = None
                   ) -> dict[str, ValidationReport]:
    """Validate every source graph (all but the metadata graph), by graph IRI."""
    return {info.iri: validate_graph(store, info.iri, shapes)
            for info in store.graphs() if info.iri != store.meta_graph}


def validate_file(path: Path, shapes: list[Path] | None = None,
                  format_name: str | None = None) -> ValidationReport:
    """Validate every triple of an RDF file (graph names dropped), which need not be in the
    store.

    :raises InputError: if the file is missing or does not parse.
    :raises UsageError: if its format is unknown.
    """
    name = path.resolve().as_uri()
    return validate_in(MemoryGraph(name, read_triples(path, format_name)), name, shapes)


def validate_in(source: StoreReader | GraphSource, graph: str, shapes: list[Path] | None = None
                ) -> ValidationReport:
    """The report of ``graph``, an empty one when no shape targets anything in it."""
    report, _ = validate_scoped(source, graph, shapes)
    return empty_report(shape_set(shapes)) if report is None else report

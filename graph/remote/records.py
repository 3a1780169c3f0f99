"""A validation's outcome written to the engine's metadata graph: the summary, and the
compliance record (a tally per body and article, :mod:`graph.compliance.record`).

A register's record is tens of thousands of triples: as one ``INSERT DATA`` it passes what
Virtuoso's SPARQL compiler takes (``SP030 memory exhausted``; split into several, ``SP031``:
the SQL it generates passes 10,000 lines). So the record goes to a staging graph first
(one Graph Store request, :mod:`graph.remote.staging`), and one update replaces the summary
and adds the record, as the embedded store's one transaction does.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from graph import provenance
from graph.compliance.record import forget_findings
from graph.compliance.record import record_statements
from graph.provenance import ValidationSummary
from graph.remote.protocol import SparqlProtocol
from graph.remote.staging import RemoteStaging


def record_validation(protocol: SparqlProtocol, staging: RemoteStaging, graph: str,
                      summary: ValidationSummary) -> None:
    """Replace the last validation of ``graph`` in ``staging``'s metadata graph."""
    meta = staging.meta_graph
    update = provenance.delete_validation(meta, graph) + " ;\n" \
        + provenance.insert_validation(meta, graph, replace(summary, record=None))
    if summary.record is None:
        protocol.update(update)
        return
    run = staging.new_run()
    try:
        where = staging.place(run, graph)
        turtle = " ".join(record_statements(meta, graph, summary.record)).encode()
        staging.write(where, ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE),
                                          format=ox.RdfFormat.N_TRIPLES) or b"")
        protocol.update_unlogged(f"{update} ;\n{forget_findings(meta, graph)} ;\n"
                                 f"ADD {ox.NamedNode(where)} TO {ox.NamedNode(meta)}")
    finally:
        staging.abort(run)

"""Reading RDF files through pyoxigraph's parsers, and handing triples to rdflib.

rdflib is where pyshacl works, but its own parsers would fetch a JSON-LD
remote ``@context`` and report errors without a column. pyoxigraph parses
instead (refusing remote contexts, with positions), the RDF/XML check of
:mod:`graph.xml_check` runs first, and the triples reach rdflib as N-Triples,
read by pyoxigraph too: rdflib's own N-Triples parser gives every blank node a new
label, so a report would name ``_:N3f…`` where the data said ``_:b1``, and the
profiles of one ``/validate`` report would each name the same node differently.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from graph.sources import checked_rdf_file
from graph.sources import parse_error
from graph.validation.shapes import rdflib_term


def ntriples_to_rdflib(data: bytes) -> rdflib.Graph:
    """An rdflib graph of N-Triples bytes (what :meth:`graph.store.Store.graph_ntriples` gives),
    blank nodes keeping their labels."""
    graph = rdflib.Graph()
    graph.addN((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object), graph)
               for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return graph


def read_triples(path: Path, format_name: str | None = None) -> list[ox.Triple]:
    """Every triple of an RDF file, graph names dropped.

    :raises InputError: if the file is missing or does not parse.
    :raises UsageError: if its format is unknown.
    """
    fmt = checked_rdf_file(path, format_name)
    try:
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())]
    except SyntaxError as error:
        raise parse_error(error, path, rdf_xml=path.read_bytes() if fmt == ox.RdfFormat.RDF_XML
                          else None, base_iri=path.resolve().as_uri()) from None

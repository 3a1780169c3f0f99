"""The SPARQL 1.1 Service Description of ``/sparql``: what ``GET /sparql`` without a query
answers, in the negotiated RDF format.

It is built from the settings (updates on or off, federation on or off) and the live
named graphs that hold data, as pyoxigraph triples, so every term is escaped by the
serializer.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pyoxigraph as ox

from endpoint.i18n import message
from endpoint.state import EndpointState
from graph.formats import GRAPH_FORMATS
from graph.formats import RESULT_FORMATS
from graph.formats import UPLOAD_FORMATS
from graph.formats import Format
from graph.languages import LANGUAGES
from graph.namespaces import PREFIXES
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import SD
from graph.namespaces import meta_graph

_GRAPHS = ("SELECT ?g WHERE {{ GRAPH ?g {{}} FILTER(?g != {meta}) "
           "FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }} ORDER BY ?g")
"""The graphs a client can query: not psikg's metadata graph (the provenance of the
others, psikg's own), not an empty one (``CREATE GRAPH`` leaves one; it holds nothing to
describe). ``EXISTS`` stops at a graph's first triple: no graph is read whole."""
_COMMENT = ox.NamedNode(RDFS + "comment")
"""On the default graph: how the union treats a triple held by several graphs."""


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def named_graphs(current: EndpointState) -> list[str]:
    """The store's named graphs that hold data, psikg's metadata graph left out."""
    meta = ox.NamedNode(meta_graph(current.settings.base_iri))
    answer = current.engine.call(
        "POST", "/query", body=urlencode({"query": _GRAPHS.format(meta=meta)}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"},
        deadline=time.monotonic() + current.settings.timeout_s)
    rows = json.loads(answer.read())["results"]["bindings"]
    return [row["g"]["value"] for row in rows]


def describe(current: EndpointState, fmt: Format) -> bytes:
    """The service description of this endpoint, serialized in ``fmt``."""
    settings = current.settings
    service = ox.NamedNode(f"{settings.url}/sparql#service")
    rdf_type = ox.NamedNode(RDF + "type")
    triples = [
        ox.Triple(service, rdf_type, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(f"{settings.url}/sparql")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
    ]
    if current.update_token is not None:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if settings.service_allow:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for fmt_value in (*RESULT_FORMATS, *GRAPH_FORMATS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(fmt_value.iri)))
    if current.update_token is not None:  # what a write may send: Graph Store bodies, LOAD
        triples += [ox.Triple(service, _sd("inputFormat"), ox.NamedNode(fmt_value.iri))
                    for fmt_value in UPLOAD_FORMATS]
    # labelled, so that the same description is the same bytes (HEAD's Content-Length is GET's)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    triples += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, _sd("Graph")),
    ]
    triples += [ox.Triple(default, _COMMENT, ox.Literal(message("default_graph_note", language),
                                                         language=language))
                for language in LANGUAGES]
    for index, name in enumerate(named_graphs(current)):
        node = ox.BlankNode(f"namedGraph{index}")
        triples += [ox.Triple(dataset, _sd("namedGraph"), node),
                    ox.Triple(node, rdf_type, _sd("NamedGraph")),
                    ox.Triple(node, _sd("name"), ox.NamedNode(name))]
    assert fmt.rdf is not None
    data = ox.serialize(triples, format=fmt.rdf, prefixes={**PREFIXES, "sd": SD})
    assert data is not None  # no output file given: the bytes are returned
    return data

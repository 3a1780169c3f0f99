"""``/void``: a VoID description of the store, with the statistics of each named graph.

Route: ``GET /void`` in Turtle (what a client that does not say gets), N-Triples, RDF/XML
or JSON-LD, and as a page (HTML, and its JSON twin) for a browser; ``?detail=full`` counts
everything live (see :func:`statistics`).

The whole store is ``<{url}/void#dataset>``; each named graph is one of its
``void:subset``, named by the graph's own IRI, with ``void:triples``, ``void:entities``
where its load recorded them, a ``void:classPartition`` per class, and where it came from
(from the metadata graph). With ``?detail=full`` also ``void:distinctSubjects``,
``void:properties``, ``void:distinctObjects`` and a ``void:propertyPartition`` per
property, counted under the request's timeout: a store too large to count within it
answers 503 like any other query.
"""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request

from endpoint.engine_source import EngineSource
from endpoint.i18n import page_language
from endpoint.pages import choose
from endpoint.pages import format_links
from endpoint.pages import language_links
from endpoint.pages import rdf_response
from endpoint.pages import render
from endpoint.resource_page import Linker
from endpoint.resources import RDF_FORMATS
from endpoint.resources import RESOURCE_FORMATS
from endpoint.resources import reader_linker
from endpoint.state import state
from endpoint.vocabulary import vocabulary
from graph.formats import JSON
from graph.formats import NQUADS
from graph.formats import TRIG
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import DISPLAY_PREFIXES
from graph.namespaces import FOAF
from graph.namespaces import PROV
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.namespaces import SKOS
from graph.namespaces import VOID
from graph.namespaces import XSD
from graph.namespaces import meta_graph
from graph.settings import Settings
from graph.store import STAGING_PREFIX

blueprint = Blueprint("void", __name__)


@blueprint.get("/void")
def void() -> Response:
    """The VoID description in the negotiated format."""
    fmt = choose(RESOURCE_FORMATS)
    current = state()
    source = EngineSource(current, time.monotonic() + current.settings.timeout_s)
    stats = statistics(source, current.settings.base_iri,
                       full=request.args.get("detail") == "full")
    if fmt.rdf is not None:
        return rdf_response(void_triples(stats, current.settings), fmt,
                            {**DISPLAY_PREFIXES, "void": VOID})
    language = page_language()
    linker = reader_linker(current.settings.base_iri, vocabulary(current_app), language, {})
    page = void_page(stats, current.settings, linker)
    page["language"] = language
    page["languages"] = language_links(language)
    page["formats"] = format_links((JSON, *RDF_FORMATS))
    return render("void.html", page, fmt, language, alternates=(JSON, *RDF_FORMATS))


_GRAPHS = """SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} FILTER(!STRSTARTS(STR(?g), {staging})) }}"""

_RECORDED = """SELECT ?g ?triples ?entities ?origin ?loaded WHERE {{ GRAPH {meta} {{
  ?g {triples} ?triples
  OPTIONAL {{ ?g {entities} ?entities }}
  OPTIONAL {{ ?g {derived} ?origin }}
  OPTIONAL {{ ?g {generated} ?loaded }}
}} }}"""

_COUNTED = """SELECT ?g (COUNT(*) AS ?triples) WHERE {{
  VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"""

_CLASSES = """SELECT ?g ?class (COUNT(*) AS ?entities)
WHERE {{ GRAPH ?g {{ ?s a ?class }} FILTER(!STRSTARTS(STR(?g), {staging})) }}
GROUP BY ?g ?class ORDER BY ?g DESC(?entities)"""

_TOTALS = """SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?entities)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), {staging})) }}
GROUP BY ?g"""

_PROPERTIES = """SELECT ?g ?p (COUNT(*) AS ?triples)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), {staging})) }}
GROUP BY ?g ?p ORDER BY ?g DESC(?triples)"""


def statistics(source: EngineSource, base_iri: str, full: bool = False) -> list[dict[str, Any]]:
    """Per named graph: its counts, classes, origin (and properties when ``full``).

    The triples and entities of a graph are those its load recorded in the metadata graph
    (every load and Graph Store write records them), as ``/health`` reads them: counting
    every quad takes minutes at ten million. Class partitions are counted live over the
    ``rdf:type`` statements only. ``full`` counts everything live, including distinct
    subjects, properties and objects and a partition per property, for stores small
    enough to count within the query timeout.
    """
    staging = ox.Literal(STAGING_PREFIX)
    graphs: dict[str, dict[str, Any]] = {
        row["g"].value: {"iri": row["g"].value, "triples": None, "entities": None,
                         "origin": None, "loaded": None, "classes": [],
                         "property_partitions": []}
        for row in source.query(_GRAPHS.format(staging=staging))}
    meta = ox.NamedNode(meta_graph(base_iri))
    for row in source.query(_RECORDED.format(
            meta=meta, triples=ox.NamedNode(VOID + "triples"),
            entities=ox.NamedNode(VOID + "entities"),
            derived=ox.NamedNode(PROV + "wasDerivedFrom"),
            generated=ox.NamedNode(PROV + "generatedAtTime"))):
        graph = graphs.get(row["g"].value)
        if graph is not None:
            graph["triples"] = int(row["triples"].value)
            for key in ("entities",):
                if row[key] is not None:
                    graph[key] = int(row[key].value)
            for key in ("origin", "loaded"):
                if row[key] is not None:
                    graph[key] = row[key].value
    unrecorded = [iri for iri, graph in graphs.items() if graph["triples"] is None]
    if unrecorded and not full:  # the metadata graph itself, report graphs: small ones
        for row in source.query(_COUNTED.format(
                graphs=" ".join(str(ox.NamedNode(iri)) for iri in unrecorded))):
            graphs[row["g"].value]["triples"] = int(row["triples"].value)
    for row in source.query(_CLASSES.format(staging=staging)):
        if row["g"].value in graphs:
            graphs[row["g"].value]["classes"].append(
                {"iri": row["class"].value, "entities": int(row["entities"].value)})
    if full:
        for row in source.query(_TOTALS.format(staging=staging)):
            graphs.setdefault(row["g"].value, {"iri": row["g"].value, "origin": None,
                                                "loaded": None, "classes": [],
                                                "property_partitions": []}).update(
                triples=int(row["triples"].value), entities=int(row["entities"].value),
                properties=int(row["properties"].value),
                distinct_objects=int(row["objects"].value))
        for row in source.query(_PROPERTIES.format(staging=staging)):
            if row["g"].value in graphs:
                graphs[row["g"].value]["property_partitions"].append(
                    {"iri": row["p"].value, "triples": int(row["triples"].value)})
    for graph in graphs.values():
        graph["triples"] = graph["triples"] or 0
    return list(graphs.values())


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def void_triples(stats: list[dict[str, Any]], settings: Settings) -> list[ox.Triple]:
    """The VoID description of ``stats`` as triples."""
    url = settings.url
    document, dataset = _node(f"{url}/void"), _node(f"{url}/void#dataset")
    a = _node(RDF + "type")

    def v(name: str) -> ox.NamedNode:
        return _node(VOID + name)

    triples = [
        ox.Triple(document, a, v("DatasetDescription")),
        ox.Triple(document, _node(FOAF + "primaryTopic"), dataset),
        ox.Triple(document, _node(DCT + "title"),
                  ox.Literal("VoID description of the psikg store", language="en")),
        ox.Triple(dataset, a, v("Dataset")),
        ox.Triple(dataset, _node(DCT + "title"), ox.Literal(
            "psikg: public sector information knowledge graph", language="en")),
        ox.Triple(dataset, v("sparqlEndpoint"), _node(f"{url}/sparql")),
        ox.Triple(dataset, v("uriLookupEndpoint"), _node(f"{url}/describe?iri=")),
        ox.Triple(dataset, v("dataDump"), _node(f"{url}/store")),
        ox.Triple(dataset, v("rootResource"), _node(f"{url}/catalog")),
        ox.Triple(dataset, v("uriSpace"), ox.Literal(settings.base_iri)),
        ox.Triple(dataset, v("triples"), _integer(sum(g["triples"] for g in stats))),
    ]
    for vocabulary_iri in (PSI, DCAT, DCT, FOAF, SKOS, PROV):
        triples.append(ox.Triple(dataset, v("vocabulary"), _node(vocabulary_iri)))
    for fmt in (*RDF_FORMATS, TRIG, NQUADS):
        triples.append(ox.Triple(dataset, v("feature"), _node(fmt.iri)))
    for number, graph in enumerate(stats):
        subset = _node(graph["iri"])
        triples += [
            ox.Triple(dataset, v("subset"), subset),
            ox.Triple(subset, a, v("Dataset")),
            ox.Triple(subset, v("sparqlEndpoint"), _node(f"{url}/sparql")),
            ox.Triple(subset, v("triples"), _integer(graph["triples"])),
            ox.Triple(subset, v("classes"), _integer(len(graph["classes"]))),
        ]
        if graph["entities"] is not None:
            triples.append(ox.Triple(subset, v("entities"), _integer(graph["entities"])))
        if "properties" in graph:
            triples += [
                ox.Triple(subset, v("distinctSubjects"), _integer(graph["entities"])),
                ox.Triple(subset, v("properties"), _integer(graph["properties"])),
                ox.Triple(subset, v("distinctObjects"), _integer(graph["distinct_objects"])),
            ]
        if graph["origin"]:
            triples.append(ox.Triple(subset, _node(PROV + "wasDerivedFrom"),
                                     _node(graph["origin"])))
        if graph["loaded"]:
            triples.append(ox.Triple(subset, _node(DCT + "modified"), ox.Literal(
                graph["loaded"], datatype=_node(XSD + "dateTime"))))
        # partitions labelled by place: the same statistics are the same bytes
        for index, item in enumerate(graph["classes"]):
            partition = ox.BlankNode(f"g{number}c{index}")
            triples += [ox.Triple(subset, v("classPartition"), partition),
                        ox.Triple(partition, v("class"), _node(item["iri"])),
                        ox.Triple(partition, v("entities"), _integer(item["entities"]))]
        for index, item in enumerate(graph["property_partitions"]):
            partition = ox.BlankNode(f"g{number}p{index}")
            triples += [ox.Triple(subset, v("propertyPartition"), partition),
                        ox.Triple(partition, v("property"), _node(item["iri"])),
                        ox.Triple(partition, v("triples"), _integer(item["triples"]))]
    return triples


def void_page(stats: list[dict[str, Any]], settings: Settings, linker: Linker) -> dict[str, Any]:
    """The dict of the ``/void`` page: the same figures, with labels and links."""
    graphs = []
    for graph in stats:
        graphs.append({
            **graph, **linker.term(graph["iri"]),
            "classes": [{**linker.term(c["iri"]), "entities": c["entities"]}
                        for c in graph["classes"]],
            "property_partitions": [{**linker.term(p["iri"]), "triples": p["triples"]}
                                    for p in graph["property_partitions"]],
        })
    return {"dataset": f"{settings.url}/void#dataset", "sparql_endpoint": "/sparql",
            "uri_space": settings.base_iri, "triples": sum(g["triples"] for g in stats),
            "graphs": graphs}

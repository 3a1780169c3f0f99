"""Real SPARQL clients against a live ``psikg serve``: SPARQLWrapper in every return format,
rdflib's ``SPARQLStore`` (query and update), and the Oxigraph server on the same store for
comparison of results."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import CSV
from SPARQLWrapper import JSON
from SPARQLWrapper import N3
from SPARQLWrapper import POST
from SPARQLWrapper import TSV
from SPARQLWrapper import TURTLE
from SPARQLWrapper import XML
from SPARQLWrapper import SPARQLWrapper

from graph.engine.process import EngineProcess
from tests.endpoint_server import TOKEN

pytestmark = pytest.mark.slow

QUERIES = [
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    "ORDER BY ?s ?label",
    "SELECT ?s (SUM(?amount) AS ?total) WHERE { ?s <http://example.org/amount> ?amount } "
    "GROUP BY ?s ORDER BY ?s",
    "SELECT ?s ?o WHERE { ?s <http://example.org/next> ?o OPTIONAL { ?o ?p ?x } } ORDER BY ?s",
    "ASK { <http://example.org/a> <http://example.org/next> <http://example.org/b> }",
]


def wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_json(live_endpoint: str) -> None:
    result = wrapper(live_endpoint, QUERIES[0], JSON).query().convert()
    labels = {b["label"]["value"] for b in result["results"]["bindings"]}  # type: ignore[index]
    assert {"Alpha", "Alfa", "Ç"} <= labels


def test_sparqlwrapper_xml(live_endpoint: str) -> None:
    document = wrapper(live_endpoint, QUERIES[0], XML).query().convert()
    assert len(document.getElementsByTagName("result")) == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_sparqlwrapper_csv_and_tsv(live_endpoint: str, fmt: str) -> None:
    text = wrapper(live_endpoint, QUERIES[0], fmt).query().convert()
    assert len(text.decode().strip().splitlines()) >= 5  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML])
def test_sparqlwrapper_construct(live_endpoint: str, fmt: str) -> None:
    query = "CONSTRUCT WHERE { <http://example.org/a> ?p ?o }"
    graph = wrapper(live_endpoint, query, fmt).query().convert()
    if isinstance(graph, bytes):
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == 5  # type: ignore[arg-type]


def test_sparqlwrapper_post(live_endpoint: str) -> None:
    client = wrapper(live_endpoint, QUERIES[3], JSON)
    client.setMethod(POST)
    assert client.query().convert()["boolean"] is True  # type: ignore[index]


def test_rdflib_sparqlstore_queries_and_updates(live_endpoint: str) -> None:
    store = SPARQLUpdateStore(f"{live_endpoint}/sparql", f"{live_endpoint}/sparql",
                              auth=None, headers={"Authorization": f"Bearer {TOKEN}"})
    graph = rdflib.ConjunctiveGraph(store)
    rows = list(graph.query(QUERIES[1]))
    totals = {str(s): float(total) for s, total in rows}  # type: ignore[misc]
    assert totals == {"http://example.org/a": 12.5, "http://example.org/b": 7.0}
    named = rdflib.URIRef("http://example.org/graph/rdflib")
    store.update(f"INSERT DATA {{ GRAPH <{named}> {{ <http://example.org/r> "
                 "<http://example.org/p> \"from rdflib\" } }")
    assert len(list(graph.query(f"SELECT * {{ GRAPH <{named}> {{ ?s ?p ?o }} }}"))) == 1
    store.update(f"DROP SILENT GRAPH <{named}>")


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory,
                 live_endpoint: str) -> Iterator[str]:
    """The Oxigraph server on a copy of the endpoint's store, for comparison."""
    copy = tmp_path_factory.mktemp("oxigraph") / "store"
    # The live endpoint holds the store: copy it through the Graph Store Protocol.
    dump = requests.get(f"{live_endpoint}/store", headers={"Accept": "application/n-quads"},
                        timeout=60).content
    dump_file = copy.parent / "dump.nq"
    dump_file.write_bytes(dump)
    subprocess.run([shutil.which("oxigraph", path=str(Path(__import__("sys").executable)
                                                       .parent)) or "oxigraph",
                    "load", "--location", str(copy), "--file", str(dump_file)],
                   check=True, capture_output=True)
    engine = EngineProcess(copy)
    engine.start()
    try:
        yield engine.url
    finally:
        engine.stop()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_results_match_the_oxigraph_server(live_endpoint: str, oxigraph_url: str, query: str,
                                           accept: str) -> None:
    ours = requests.get(f"{live_endpoint}/sparql", params={"query": query},
                        headers={"Accept": accept}, timeout=30)
    theirs = requests.get(f"{oxigraph_url}/query",
                          params={"query": query, "union-default-graph": ""},
                          headers={"Accept": accept}, timeout=30)
    assert ours.status_code == theirs.status_code == 200
    assert ours.content == theirs.content

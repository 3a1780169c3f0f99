"""Real SPARQL clients as their users run them, without special settings, against a live
``psikg serve`` (issue 17): SPARQLWrapper with every return format it offers and its
Basic credentials, rdflib's ``SPARQLUpdateStore`` under a ``Dataset`` with batched updates,
rdflib's parsers on a result cut at ``--max-rows``, HEAD through the real WSGI server, and
Comunica from npm with the token in a custom fetch."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import CSV
from SPARQLWrapper import JSON
from SPARQLWrapper import JSONLD
from SPARQLWrapper import N3
from SPARQLWrapper import POST
from SPARQLWrapper import RDF
from SPARQLWrapper import RDFXML
from SPARQLWrapper import TSV
from SPARQLWrapper import TURTLE
from SPARQLWrapper import XML
from SPARQLWrapper import SPARQLWrapper

from tests.endpoint_server import TOKEN
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server

pytestmark = pytest.mark.slow

EX = "http://example.org/"
SELECT = f"SELECT ?s WHERE {{ ?s a <{EX}Thing> }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{EX}a> ?p ?o }}"
RETURN_FORMATS = [JSON, XML, CSV, TSV, N3, TURTLE, RDF, RDFXML, JSONLD]


def run(url: str, query: str, fmt: str) -> object:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        # SPARQLWrapper warns that it sends Accept */* for a format the query form lacks
        warnings.simplefilter("ignore", RuntimeWarning)
        return client.query().convert()


def subjects_of(result: object) -> list[str]:
    """The ?s column of a converted SELECT result, whatever its format."""
    if isinstance(result, dict):
        return [row["s"]["value"] for row in result["results"]["bindings"]]
    if isinstance(result, bytes):
        lines = result.decode().splitlines()[1:]
        return [line.strip("<>") for line in lines]
    return [node.firstChild.data  # type: ignore[attr-defined]
            for node in result.getElementsByTagName("uri")]  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", RETURN_FORMATS)
def test_sparqlwrapper_select_in_every_return_format(live_endpoint: str, fmt: str) -> None:
    assert subjects_of(run(live_endpoint, SELECT, fmt)) == [f"{EX}a", f"{EX}b"]


@pytest.mark.parametrize("fmt", RETURN_FORMATS)
def test_sparqlwrapper_construct_in_every_return_format(live_endpoint: str, fmt: str) -> None:
    result = run(live_endpoint, CONSTRUCT, fmt)
    if isinstance(result, bytes):  # CSV and TSV have no RDF converter: Turtle by Accept
        result = rdflib.Graph().parse(data=result, format="turtle")
    if isinstance(result, dict):  # JSON: JSON-LD, as SPARQLWrapper hands it over
        result = rdflib.Graph().parse(data=str(result).replace("'", '"'), format="json-ld")
    assert isinstance(result, rdflib.Graph)
    assert len(result) == 5


def test_sparqlwrapper_updates_with_its_basic_credentials(live_endpoint: str) -> None:
    graph = f"{EX}graph/sparqlwrapper-basic"
    client = SPARQLWrapper(f"{live_endpoint}/sparql")
    client.setMethod(POST)
    client.setCredentials("psikg", TOKEN)
    client.setQuery(f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> 1 }} }}")
    client.query()
    assert run(live_endpoint, f"ASK {{ GRAPH <{graph}> {{ ?s ?p 1 }} }}", JSON)[
        "boolean"] is True  # type: ignore[index]
    client.setQuery(f"DROP GRAPH <{graph}>")
    client.query()


@pytest.fixture
def dataset(live_endpoint: str) -> Iterator[rdflib.Dataset]:
    store = SPARQLUpdateStore(f"{live_endpoint}/sparql", f"{live_endpoint}/sparql",
                              auth=("psikg", TOKEN), autocommit=False)
    yield rdflib.Dataset(store)
    store.rollback()


def test_rdflib_dataset_with_batched_updates(dataset: rdflib.Dataset) -> None:
    store = dataset.store
    assert isinstance(store, SPARQLUpdateStore)
    name = rdflib.URIRef(f"{EX}graph/rdflib-dataset")
    ex = rdflib.Namespace(EX)
    graph = dataset.graph(name)  # CREATE GRAPH, held until commit
    graph.add((ex.r, ex.p, rdflib.Literal("one")))
    store.update("INSERT DATA { GRAPH ?g { ex:r ex:p 'two' } }".replace("?g", name.n3()),
                 initNs={"ex": ex})  # a PREFIX after ';' once batched
    graph.add((ex.r, ex.p, rdflib.Literal(3)))
    store.commit()  # one request
    assert name in {context.identifier for context in dataset.contexts()}
    values = {str(o) for o in dataset.get_context(name).objects(ex.r, ex.p)}
    assert values == {"one", "two", "3"}
    with pytest.raises(HTTPError) as refused:
        dataset.graph(name)  # CREATE GRAPH on a graph that exists: the client's fault
        store.commit()
    assert refused.value.code == 409
    store.rollback()
    dataset.remove_graph(name)  # DROP GRAPH
    store.commit()
    assert list(dataset.get_context(name).objects(ex.r, ex.p)) == []


@pytest.fixture(scope="module")
def capped(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server whose results stop at two rows."""
    store = copy_store(sample_template, tmp_path_factory.mktemp("capped") / "store")
    with live_server(store, "--max-rows", "2") as url:
        yield url


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_rdflib_reads_a_cut_result_as_the_rows_it_holds(capped: str, fmt: str) -> None:
    store = SPARQLStore(f"{capped}/sparql", returnFormat=fmt)
    result = store.query("SELECT ?s ?label WHERE { ?s "
                         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label")
    rows = list(result)
    assert len(rows) == len(result) == 2
    assert all(str(row[0]).startswith(EX) for row in rows)  # type: ignore[index]


def test_head_through_the_wsgi_server_mirrors_get(live_endpoint: str) -> None:
    graph = "https://data.psikg.example/graph/sample.ttl"
    for path, params in [("/store", {"graph": graph}), ("/sparql", {"query": SELECT}),
                         ("/sparql", {}), ("/store", {})]:
        got = requests.get(f"{live_endpoint}{path}", params=params, timeout=30)
        head = requests.head(f"{live_endpoint}{path}", params=params, timeout=30)
        assert (head.status_code, head.content) == (got.status_code, b"")
        for name in ("Content-Type", "Content-Length", "Transfer-Encoding"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_java_and_curl_headers_on_a_live_server(live_endpoint: str) -> None:
    java = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
    for accept in (java, "*/*"):
        response = requests.get(f"{live_endpoint}/sparql", params={"query": SELECT},
                                headers={"Accept": accept, "User-Agent": "Java/11.0.2"},
                                timeout=30)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"]


COMUNICA = Path(__file__).parent / "clients" / "comunica.js"


def test_comunica_queries_and_updates_with_the_token(live_endpoint: str) -> None:
    """Comunica from npm (``make setup`` installs it; its ``undici`` is held at 7 in
    package.json so that it runs on Node 20), in a Node script of its own."""
    node = shutil.which("node")
    assert node, "Node.js is missing: `make setup` installs it with npm"
    graph = f"{EX}graph/comunica"
    done = subprocess.run([node, str(COMUNICA), live_endpoint, TOKEN, graph],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["labels"] == sorted(["Alpha", "Alfa", 'B "quoted", with comma\nand newline',
                                     "Ç"])
    assert seen["ask"] is True and seen["quads"] == 5
    assert seen["written"] == ["by Basic", "from Comunica"]
    assert "HTTP status 401" in seen["refused"]
    assert seen["left"] is False

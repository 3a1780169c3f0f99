"""What real clients send that the W3C tests never do, through the endpoint in this process:
Java's and curl's Accept headers, the ``format=`` spellings of SPARQLWrapper, Virtuoso and
Fuseki users, several ``format=`` values, malformed headers (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
import pytest

from tests.endpoint_server import TOKEN
from tests.in_process import AppClient

GRAPH = "https://data.psikg.example/graph/sample.ttl"
SELECT = "SELECT ?s WHERE { ?s a <http://example.org/Thing> } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT WHERE { <http://example.org/a> ?p ?o }"
JAVA = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
"""What ``java.net.HttpURLConnection`` (Java 8 and 11) sends when the caller sets none."""
CURL = "*/*"


def media_type(response: object) -> str:
    return response.headers["Content-Type"].split(";")[0]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/sparql?query=" + SELECT.replace(" ", "+"),
                                  "/sparql?query=" + CONSTRUCT.replace(" ", "+"),
                                  "/sparql", "/store", f"/store?graph={GRAPH}",
                                  "/store?default", "/catalog", "/void", "/health"])
def test_java_default_accept_is_served_on_every_route(endpoint: AppClient, path: str) -> None:
    response = endpoint.get(path, headers={"Accept": JAVA}, timeout=30)
    assert response.status_code == 200, response.text
    assert "Warning" not in response.headers


def test_java_accept_gets_the_default_format(endpoint: AppClient) -> None:
    select = endpoint.get("/sparql", params={"query": SELECT}, headers={"Accept": JAVA},
                          timeout=30)
    assert media_type(select) == "application/sparql-results+json"
    assert len(select.json()["results"]["bindings"]) == 2
    construct = endpoint.get("/sparql", params={"query": CONSTRUCT},
                             headers={"Accept": JAVA}, timeout=30)
    assert media_type(construct) == "text/turtle"
    assert len(list(ox.parse(construct.content, format=ox.RdfFormat.TURTLE))) == 5


@pytest.mark.parametrize("accept", ["csv", "text/csv;q=high", "text", "a b/c", ",,;q=1"])
def test_a_malformed_accept_gets_the_default_with_a_warning(endpoint: AppClient,
                                                            accept: str) -> None:
    response = endpoint.get("/sparql", params={"query": SELECT}, headers={"Accept": accept},
                            timeout=30)
    assert response.status_code == 200
    assert media_type(response) == "application/sparql-results+json"
    if accept != ",,;q=1":  # empty ranges are nothing to warn about
        assert response.headers["Warning"].startswith('299 psikg "ignored the media range')


def test_a_malformed_range_beside_good_ones_keeps_the_good_ones(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": SELECT},
                            headers={"Accept": "csv, text/tab-separated-values"}, timeout=30)
    assert media_type(response) == "text/tab-separated-values"
    assert "'csv'" in response.headers["Warning"]


@pytest.mark.parametrize(("value", "expected"), [
    ("rdf+xml", "application/rdf+xml"), ("xml", "application/rdf+xml"),
    ("json-ld", "application/ld+json"), ("json", "application/ld+json"),
    ("turtle", "text/turtle"), ("n3", "text/turtle"), ("nt", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
])
def test_construct_format_spellings(endpoint: AppClient, value: str, expected: str) -> None:
    response = endpoint.get("/sparql", params={"query": CONSTRUCT, "format": value},
                            headers={"Accept": "*/*"}, timeout=30)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(expected))
    assert len(list(parsed)) == 5


def test_an_unencoded_plus_in_format_is_read(endpoint: AppClient) -> None:
    response = endpoint.get(f"/sparql?format=rdf+xml&query={CONSTRUCT.replace(' ', '%20')}",
                            timeout=30)
    assert response.status_code == 200, response.text
    assert media_type(response) == "application/rdf+xml"


@pytest.mark.parametrize(("value", "expected"), [
    ("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("text/csv", "text/csv"),
])
def test_select_format_spellings(endpoint: AppClient, value: str, expected: str) -> None:
    response = endpoint.get("/sparql", params={"query": SELECT, "format": value}, timeout=30)
    assert media_type(response) == expected


def test_an_unknown_format_falls_back_to_accept_with_a_warning(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": SELECT, "format": "yaml"},
                            headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 200
    assert media_type(response) == "text/csv"
    assert "format=yaml" in response.headers["Warning"]


def test_a_format_of_the_wrong_kind_falls_back_to_accept(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": CONSTRUCT, "format": "csv"},
                            headers={"Accept": "application/n-triples"}, timeout=30)
    assert media_type(response) == "application/n-triples"


def test_the_first_format_value_that_names_an_offer_wins(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", timeout=30, params=[
        ("query", SELECT), ("format", "rdf+xml"), ("format", "tsv"), ("format", "xml")])
    assert media_type(response) == "text/tab-separated-values"


def test_fuseki_output_parameter_is_read_after_format(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", timeout=30, params=[
        ("query", SELECT), ("output", "csv")])
    assert media_type(response) == "text/csv"


def test_format_in_a_post_form_is_read(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", timeout=30, data=[
        ("query", CONSTRUCT), ("format", "rdf+xml"), ("output", "rdf+xml"),
        ("results", "rdf+xml")])
    assert media_type(response) == "application/rdf+xml"


def test_store_format_spellings(endpoint: AppClient) -> None:
    response = endpoint.get("/store", params={"graph": GRAPH, "format": "rdf+xml"}, timeout=30)
    assert media_type(response) == "application/rdf+xml"
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.RDF_XML))) == 10


def test_two_query_strings_are_400(endpoint: AppClient) -> None:
    """W3C protocol test bad_multiple_queries, by GET and by a POSTed form."""
    queries = [("query", "ASK { }"), ("query", SELECT)]
    response = endpoint.get("/sparql", params=queries, timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "multiple-operations"
    assert endpoint.post("/sparql", data=queries, timeout=30).status_code == 400


def test_a_query_in_the_url_and_one_in_the_body_are_400(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql?query=ASK%20%7B%7D", data=SELECT.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    form = endpoint.post("/sparql?query=ASK%20%7B%7D", data={"query": SELECT}, timeout=30)
    assert form.status_code == 400


# --- HEAD mirrors GET ---------------------------------------------------------------------

MIRRORED = ("Content-Type", "Content-Length", "Content-Disposition", "Psikg-Max-Rows",
            "Psikg-Truncated", "Warning")


def assert_head_mirrors_get(client: AppClient, path: str, **kwargs: object) -> None:
    got = client.get(path, timeout=30, **kwargs)  # type: ignore[arg-type]
    head = client.head(path, timeout=30, **kwargs)  # type: ignore[arg-type]
    assert head.status_code == got.status_code
    assert head.content == b""
    assert {name: head.headers.get(name) for name in MIRRORED} == {
        name: got.headers.get(name) for name in MIRRORED}
    if "Content-Length" in got.headers:
        assert int(got.headers["Content-Length"]) == len(got.content) > 0


@pytest.mark.parametrize("params", [
    {"query": SELECT}, {"query": SELECT, "format": "csv"}, {"query": CONSTRUCT},
    {"query": "ASK { ?s ?p ?o }"}, {}, {"query": "SELECT * WHERE {"},
    {"query": SELECT, "format": "yaml"},
])
def test_head_on_sparql_mirrors_get(endpoint: AppClient, params: dict[str, str]) -> None:
    assert_head_mirrors_get(endpoint, "/sparql", params=params, headers={"Accept": JAVA})


@pytest.mark.parametrize("params", [{"graph": GRAPH}, {"graph": GRAPH, "format": "nt"},
                                    {"default": ""}, {}, {"graph": "http://no.example/g"}])
def test_head_on_store_mirrors_get(endpoint: AppClient, params: dict[str, str]) -> None:
    assert_head_mirrors_get(endpoint, "/store", params=params)


def test_head_on_a_large_graph_mirrors_get_without_reading_it(endpoint: AppClient) -> None:
    graph = "http://example.org/graph/large-for-head"
    triples = "".join(f"<http://example.org/s{i}> <http://example.org/p> \"{'x' * 40} {i}\" .\n"
                      for i in range(2000))
    put = endpoint.put("/store", params={"graph": graph}, data=triples.encode(), timeout=30,
                       headers={"Authorization": f"Bearer {TOKEN}",
                                "Content-Type": "application/n-triples"})
    assert put.status_code in (201, 204)
    try:
        got = endpoint.get("/store", params={"graph": graph}, timeout=30)
        assert len(got.content) > 64 * 1024
        assert "Content-Length" not in got.headers  # streamed
        assert_head_mirrors_get(endpoint, "/store", params={"graph": graph})
        assert_head_mirrors_get(endpoint, "/sparql", params={
            "query": f"CONSTRUCT WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    finally:
        endpoint.delete("/store", params={"graph": graph}, timeout=30,
                        headers={"Authorization": f"Bearer {TOKEN}"})


# --- a graph as a dataset keeps its name ----------------------------------------------------

@pytest.mark.parametrize(("accept", "fmt"), [("application/n-quads", ox.RdfFormat.N_QUADS),
                                             ("application/trig", ox.RdfFormat.TRIG)])
def test_a_graph_fetched_as_a_dataset_keeps_its_name(endpoint: AppClient, accept: str,
                                                     fmt: ox.RdfFormat) -> None:
    response = endpoint.get("/store", params={"graph": GRAPH}, headers={"Accept": accept},
                            timeout=30)
    assert response.status_code == 200
    assert media_type(response) == accept
    quads = list(ox.parse(response.content, format=fmt))
    assert len(quads) == 10
    assert {quad.graph_name for quad in quads} == {ox.NamedNode(GRAPH)}
    as_turtle = endpoint.get("/store", params={"graph": GRAPH}, timeout=30)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in quads} == {
        q.triple for q in ox.parse(as_turtle.content, format=ox.RdfFormat.TURTLE)}


@pytest.mark.parametrize("name", ["nq", "trig"])
def test_a_large_graph_fetched_as_a_dataset_keeps_its_name(endpoint: AppClient,
                                                           name: str) -> None:
    graph = "http://example.org/graph/large-as-dataset"
    triples = "".join(f"_:b{i} <http://example.org/p> \"{'x' * 40} .\\n{i}\"@fr .\n"
                      for i in range(3000))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    endpoint.put("/store", params={"graph": graph}, data=triples.encode(), timeout=30,
                 headers={**auth, "Content-Type": "application/n-triples"})
    try:
        response = endpoint.get("/store", params={"graph": graph, "format": name}, timeout=30)
        assert len(response.content) > 64 * 1024
        fmt = ox.RdfFormat.N_QUADS if name == "nq" else ox.RdfFormat.TRIG
        quads = list(ox.parse(response.content, format=fmt))
        assert len(quads) == 3000
        assert {quad.graph_name for quad in quads} == {ox.NamedNode(graph)}
    finally:
        endpoint.delete("/store", params={"graph": graph}, timeout=30, headers=auth)


@contextmanager
def empty_graph(client: AppClient, graph: str) -> Iterator[None]:
    """``graph`` created empty for the block, then dropped."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    client.post("/sparql", data={"update": f"CREATE SILENT GRAPH <{graph}>"}, headers=auth,
                timeout=30)
    try:
        yield
    finally:
        client.post("/sparql", data={"update": f"DROP SILENT GRAPH <{graph}>"},
                    headers=auth, timeout=30)


def test_an_empty_graph_fetched_as_trig_is_an_empty_named_graph(endpoint: AppClient) -> None:
    graph = "http://example.org/graph/empty-as-trig"
    with empty_graph(endpoint, graph):
        response = endpoint.get("/store", params={"graph": graph, "format": "trig"},
                                timeout=30)
        assert response.status_code == 200
        assert list(ox.parse(response.content, format=ox.RdfFormat.TRIG)) == []


# --- the service description --------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"


def described_graphs(client: AppClient) -> set[str]:
    response = client.get("/sparql", headers={"Accept": "application/n-triples"}, timeout=30)
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    return {t.object.value for t in triples if t.predicate.value == SD + "name"}


def test_the_service_description_lists_the_graphs_with_data_only(endpoint: AppClient) -> None:
    empty = "http://example.org/graph/empty-in-description"
    with empty_graph(endpoint, empty):
        graphs = described_graphs(endpoint)
        assert GRAPH in graphs
        assert empty not in graphs
        assert not any(name.endswith("/graph/meta") for name in graphs)
        with_data = endpoint.get("/sparql", timeout=30, params={
            "query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}).json()
        assert {row["g"]["value"] for row in with_data["results"]["bindings"]} == graphs | {
            "https://data.psikg.example/graph/meta"}


def test_the_service_description_declares_its_input_formats(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", headers={"Accept": "application/n-triples"}, timeout=30)
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    inputs = {t.object.value for t in triples if t.predicate.value == SD + "inputFormat"}
    formats = "http://www.w3.org/ns/formats/"
    assert inputs == {formats + name for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD",
                                                  "TriG", "N-Quads")}

"""The SPARQL 1.1 Protocol on ``/sparql`` with ``requests`` against the endpoint (in this
process, on the session's engine):
every method and content type, the dataset parameters, every result format parsed back,
and the error codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from tests.in_process import AppClient

GRAPH = "https://data.psikg.example/graph/sample.ttl"
LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
ORDERED = LABELS + " ORDER BY ?s ?label"
CONSTRUCT = ("CONSTRUCT { ?s a ?type } WHERE { ?s a ?type FILTER(?s IN "
             "(<http://example.org/a>, <http://example.org/b>, <http://example.org/c>)) }")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def select_rows(client: AppClient, query: str = ORDERED,
                **kwargs: object) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()}
            for row in response.json()["results"]["bindings"]]


def test_get_query_answers_sparql_json(endpoint: AppClient) -> None:
    rows = select_rows(endpoint)
    assert {"s": "http://example.org/c", "label": "Ç"} in rows
    assert len(rows) == 4


def test_post_form_query(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", data={"query": ORDERED}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert len(response.json()["results"]["bindings"]) == 4


def test_post_sparql_query_body(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", data=ORDERED.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 4


def test_post_with_another_content_type_is_415(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", data=ORDERED.encode(), timeout=30,
                             headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["error"]


def test_ask_is_answered_in_json_and_xml(endpoint: AppClient) -> None:
    ask = "ASK { ?s a <http://example.org/Other> }"
    as_json = endpoint.get("/sparql", params={"query": ask}, timeout=30).json()
    assert as_json["boolean"] is True
    as_xml = endpoint.get("/sparql", params={"query": ask, "format": "xml"},
                          timeout=30)
    assert ET.fromstring(as_xml.content).find(f"{RESULTS_NS}boolean").text == "true"


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values", "application/sparql-results+json"])
def test_every_select_format_parses_back_to_the_same_rows(endpoint: AppClient, accept: str) -> None:
    expected = select_rows(endpoint)
    response = endpoint.get("/sparql", params={"query": ORDERED},
                            headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    if accept == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))
        assert rows == expected
        return
    fmt = ox.QueryResultsFormat.from_media_type(accept)
    parsed = ox.parse_query_results(response.content, format=fmt)
    rows = [{str(v)[1:]: s[v].value for v in parsed.variables if s[v] is not None}
            for s in parsed]
    assert rows == expected


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples",
                                    "application/rdf+xml", "application/ld+json",
                                    "application/trig", "application/n-quads"])
def test_every_construct_format_parses_back_to_the_same_graph(endpoint: AppClient,
                                                               accept: str) -> None:
    response = endpoint.get("/sparql", params={"query": CONSTRUCT},
                            headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    fmt = ox.RdfFormat.from_media_type(accept)
    triples = {(q.subject.value, q.object.value) for q in ox.parse(response.content, format=fmt)}
    assert ("http://example.org/a", "http://example.org/Thing") in triples
    assert len(triples) == 3


def test_construct_without_accept_is_turtle(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": CONSTRUCT},
                            headers={"Accept": ""}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/turtle")


def test_accept_star_gets_the_default(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": ORDERED},
                            headers={"Accept": "*/*"}, timeout=30)
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")


def test_q_values_pick_the_preferred_format(endpoint: AppClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    response = endpoint.get("/sparql", params={"query": ORDERED},
                            headers={"Accept": accept}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/csv")


def test_format_parameter_overrides_accept(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": ORDERED, "format": "tsv"},
                            headers={"Accept": "application/sparql-results+xml"}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")


def test_nothing_acceptable_is_406_naming_acceptable_types(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": ORDERED},
                            headers={"Accept": "image/png"}, timeout=30)
    assert response.status_code == 406
    body = response.json()
    assert body["ok"] is False and body["status"] == 406
    assert "application/sparql-results+json" in body["error"]


def test_turtle_is_not_acceptable_for_select(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", params={"query": ORDERED},
                            headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 406


def test_malformed_query_is_400_with_message_and_position(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql",
                            params={"query": "SELECT * WHERE {\n  ?s ?p \n}"}, timeout=30)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["type"] == "invalid-query"
    assert body["errors"][0]["line"] == 3
    assert "line 3" in body["error"]


def test_default_graph_uri_overrides_from(endpoint: AppClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}"
    with_from = select_rows(endpoint, query)
    assert int(with_from[0]["n"]) == 10
    response = endpoint.get("/sparql", timeout=30, params={
        "query": query, "default-graph-uri": "http://example.org/no-such-graph"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_named_graph_uri_sets_the_named_graphs(endpoint: AppClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = endpoint.get("/sparql", timeout=30,
                            params={"query": query, "named-graph-uri": GRAPH})
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == [GRAPH]


def test_default_graph_is_the_union_of_the_graphs(endpoint: AppClient) -> None:
    rows = select_rows(endpoint, "SELECT (COUNT(*) AS ?n) { ?s a <http://example.org/Thing> }")
    assert rows == [{"n": "2"}]


def test_relative_iris_resolve_against_the_endpoint(endpoint: AppClient) -> None:
    rows = select_rows(endpoint, "SELECT ?x WHERE { BIND(<thing> AS ?x) }")
    assert rows == [{"x": f"{endpoint.url}/thing"}]


def test_service_is_refused_by_default_naming_the_endpoint(endpoint: AppClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = endpoint.get("/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400
    assert "http://127.0.0.1:9/sparql" in response.json()["error"]


def test_get_without_query_is_a_service_description(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    objects = {(t.predicate.value, t.object.value) for t in graph}
    assert (sd + "endpoint", f"{endpoint.url}/sparql") in objects
    assert (sd + "supportedLanguage", sd + "SPARQL11Update") in objects
    assert (sd + "name", GRAPH) in objects
    comments = {t.object.language: t.object.value for t in graph
                if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#comment"}
    assert set(comments) == {"fr", "nl", "de", "en"}
    assert "matches once per graph" in comments["en"]
    defaults = {t.object for t in graph if t.predicate.value == sd + "defaultGraph"}
    assert {t.subject for t in graph
            if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#comment"} == defaults


def test_service_description_follows_accept(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql", headers={"Accept": "application/ld+json"},
                            timeout=30)
    assert response.headers["Content-Type"].startswith("application/ld+json")
    json.loads(response.content)


def test_get_with_update_is_refused(endpoint: AppClient) -> None:
    response = endpoint.get("/sparql",
                            params={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}, timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "update-needs-post"


def test_unknown_route_is_404_in_the_house_shape(endpoint: AppClient) -> None:
    response = endpoint.get("/nowhere", timeout=30)
    assert response.status_code == 404
    assert set(response.json()) == {"ok", "error", "errors", "status"}


def test_wrong_method_is_405(endpoint: AppClient) -> None:
    response = endpoint.delete("/sparql", timeout=30)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_health_reports_store_count_and_version(endpoint: AppClient) -> None:
    body = endpoint.get("/health", timeout=30).json()
    assert body["ok"] is True and body["open"] is True
    assert body["triples"] >= 10 and body["graphs"] >= 1
    assert body["version"] and body["engine"].startswith("oxigraph")

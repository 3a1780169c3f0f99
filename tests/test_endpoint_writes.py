"""Writes over HTTP: SPARQL Update with no token, a wrong one and the right one; the Graph Store
Protocol (GET, HEAD, PUT, POST, DELETE); CORS preflights with Authorization; and the CLI's
clear refusal while the engine holds the store. In this process on the session's engine,
but for what a dead load left, which the live server's start-up must clean."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from graph.engine.process import EngineProcess
from tests.endpoint_server import TOKEN
from tests.endpoint_server import live_server
from tests.in_process import AppClient
from tests.in_process import app_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TTL = "text/turtle"


def fresh_graph() -> str:
    return f"http://example.org/graph/{uuid.uuid4()}"


def count(client: AppClient, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def insert(graph: str) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/x> <http://example.org/p> 1 }}}}"


def test_update_without_token_is_401_with_a_challenge(endpoint: AppClient) -> None:
    graph = fresh_graph()
    response = endpoint.post("/sparql", data={"update": insert(graph)}, timeout=30)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(endpoint, graph) == 0


def test_update_with_a_wrong_token_is_401_invalid_token(endpoint: AppClient) -> None:
    graph = fresh_graph()
    response = endpoint.post("/sparql", data={"update": insert(graph)}, timeout=30,
                             headers={"Authorization": "Bearer not-the-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert count(endpoint, graph) == 0


def test_update_with_the_token_by_form_and_by_body(endpoint: AppClient) -> None:
    graph = fresh_graph()
    response = endpoint.post("/sparql", data={"update": insert(graph)},
                             headers=AUTH, timeout=30)
    assert response.status_code == 204, response.text
    assert count(endpoint, graph) == 1
    response = endpoint.post("/sparql", data=f"DROP SILENT GRAPH <{graph}>".encode(),
                             headers={**AUTH, "Content-Type": "application/sparql-update"},
                             timeout=30)
    assert response.status_code == 204
    assert count(endpoint, graph) == 0


def test_malformed_update_is_400_with_position(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", data={"update": "INSERT DATA { <a:b> }"},
                             headers=AUTH, timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 1


def test_update_of_a_staging_graph_is_refused(endpoint: AppClient) -> None:
    response = endpoint.post("/sparql", headers=AUTH, timeout=30,
                             data={"update": insert("urn:psikg:staging:x/1")})
    assert response.status_code == 403


@pytest.fixture(scope="module")
def defaults(sample_engine: EngineProcess, tmp_path_factory: pytest.TempPathFactory
             ) -> AppClient:
    """An app with every default on the sample store: no token file, no CORS origins."""
    return app_client(sample_engine, tmp_path_factory.mktemp("defaults"))


def test_updates_are_disabled_without_a_token_file(defaults: AppClient) -> None:
    response = defaults.post("/sparql", data={"update": insert(fresh_graph())},
                             headers=AUTH, timeout=30)
    assert response.status_code == 403
    assert "--update-token-file" in response.json()["error"]
    response = defaults.put("/store", params={"graph": fresh_graph()},
                            data=b"<a:a> <a:b> <a:c> .", headers={"Content-Type": TTL},
                            timeout=30)
    assert response.status_code == 403
    described = defaults.get("/sparql", timeout=30).text
    assert "SPARQL11Update" not in described


def test_the_cli_says_clearly_that_the_server_holds_the_store(endpoint: AppClient,
                                                              sample_store: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "psikg", "--store", str(sample_store),
                             "graphs"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "psikg serve" in result.stderr and "Traceback" not in result.stderr


# --- Graph Store Protocol ---------------------------------------------------------------

def test_gsp_put_creates_then_replaces_atomically(endpoint: AppClient) -> None:
    graph = fresh_graph()
    first = "<http://example.org/s> <http://example.org/p> 1, 2, 3 ."
    response = endpoint.put("/store", params={"graph": graph}, data=first.encode(),
                            headers={**AUTH, "Content-Type": TTL}, timeout=30)
    assert response.status_code == 201, response.text
    assert count(endpoint, graph) == 3
    second = "<http://example.org/s> <http://example.org/p> \"9\" ."
    response = endpoint.put("/store", params={"graph": graph}, data=second.encode(),
                            headers={**AUTH, "Content-Type": "application/n-triples"},
                            timeout=30)
    assert response.status_code == 204
    assert count(endpoint, graph) == 1


def test_gsp_get_and_head_of_a_graph(endpoint: AppClient) -> None:
    graph = fresh_graph()
    endpoint.put("/store", params={"graph": graph}, timeout=30,
                 data=b"<http://example.org/s> <http://example.org/p> \"v\" .",
                 headers={**AUTH, "Content-Type": TTL})
    response = endpoint.get("/store", params={"graph": graph}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == ["v"]
    as_xml = endpoint.get("/store", params={"graph": graph}, timeout=30,
                          headers={"Accept": "application/rdf+xml"})
    assert len(list(ox.parse(as_xml.content, format=ox.RdfFormat.RDF_XML))) == 1
    assert endpoint.head("/store", params={"graph": graph},
                         timeout=30).status_code == 200
    missing = endpoint.head("/store", params={"graph": fresh_graph()}, timeout=30)
    assert missing.status_code == 404


def test_gsp_post_appends_and_delete_drops(endpoint: AppClient) -> None:
    graph = fresh_graph()
    for value in (1, 2):
        response = endpoint.post("/store", params={"graph": graph}, timeout=30,
                                 data=f"<http://example.org/s> <http://example.org/p> {value} ."
                                 .encode(), headers={**AUTH, "Content-Type": TTL})
        assert response.status_code in (201, 204)
    assert count(endpoint, graph) == 2
    assert endpoint.delete("/store", params={"graph": graph}, headers=AUTH,
                           timeout=30).status_code == 204
    assert count(endpoint, graph) == 0
    assert endpoint.delete("/store", params={"graph": graph}, headers=AUTH,
                           timeout=30).status_code == 404


def test_gsp_post_without_a_graph_creates_one(endpoint: AppClient) -> None:
    response = endpoint.post("/store", data=b"<http://example.org/n> a <a:b> .",
                             headers={**AUTH, "Content-Type": TTL}, timeout=30)
    assert response.status_code == 201
    location = response.headers["Location"]
    assert endpoint.get(location, timeout=30).status_code == 200


def test_gsp_writes_need_the_token(endpoint: AppClient) -> None:
    graph = fresh_graph()
    for method in ("put", "post", "delete"):
        response = getattr(endpoint, method)("/store", params={"graph": graph},
                                             data=b"<a:a> <a:b> <a:c> .",
                                             headers={"Content-Type": TTL}, timeout=30)
        assert response.status_code == 401, method


def test_gsp_default_graph_is_the_union_and_read_only(endpoint: AppClient) -> None:
    response = endpoint.get("/store", params={"default": ""},
                            headers={"Accept": "application/n-triples"}, timeout=30)
    assert b"<http://example.org/c>" in response.content
    response = endpoint.put("/store", params={"default": ""}, timeout=30,
                            data=b"<a:a> <a:b> <a:c> .", headers={**AUTH, "Content-Type": TTL})
    assert response.status_code == 405


def test_gsp_whole_store_is_a_dataset(endpoint: AppClient) -> None:
    response = endpoint.get("/store", headers={"Accept": "application/n-quads"},
                            timeout=30)
    quads = list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
    assert any(q.graph_name.value.endswith("sample.ttl") for q in quads)


def test_gsp_bad_rdf_is_400_with_position(endpoint: AppClient) -> None:
    response = endpoint.put("/store", params={"graph": fresh_graph()}, timeout=30,
                            data=b"<http://a> <http://b> .\n", headers={**AUTH,
                                                                      "Content-Type": TTL})
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 1


def test_gsp_rdf_xml_that_is_not_rdf_is_400_with_position(endpoint: AppClient) -> None:
    """Well-formed XML that pyoxigraph refuses as RDF/XML has its position found too."""
    body = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
            b'  xmlns:ex="https://ex.example/">\n<ex:A rdf:about="https://ex.example/a">\n'
            b'  <ex:p>text <ex:B/></ex:p>\n</ex:A>\n</rdf:RDF>\n')
    response = endpoint.put("/store", params={"graph": fresh_graph()}, timeout=30, data=body,
                            headers={**AUTH, "Content-Type": "application/rdf+xml"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["line"], error["column"]) == (4, 14)


def test_gsp_unknown_content_type_is_415(endpoint: AppClient) -> None:
    response = endpoint.put("/store", params={"graph": fresh_graph()}, timeout=30,
                            data=b"x", headers={**AUTH, "Content-Type": "image/png"})
    assert response.status_code == 415


def test_gsp_meta_graph_is_reserved(endpoint: AppClient) -> None:
    response = endpoint.put("/store", timeout=30, data=b"<a:a> <a:b> <a:c> .",
                            params={"graph": "https://data.psikg.example/graph/meta"},
                            headers={**AUTH, "Content-Type": TTL})
    assert response.status_code == 403


# --- CORS ---------------------------------------------------------------------------------

def test_preflight_from_an_allowed_origin_allows_authorization(endpoint: AppClient) -> None:
    response = endpoint.options("/sparql", timeout=30, headers={
        "Origin": "https://allowed.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://allowed.example"
    assert "authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    real = endpoint.post("/sparql", data={"update": insert(fresh_graph())},
                         headers={**AUTH, "Origin": "https://allowed.example"}, timeout=30)
    assert real.status_code == 204
    assert real.headers["Access-Control-Allow-Origin"] == "https://allowed.example"


def test_preflight_from_another_origin_is_refused(endpoint: AppClient) -> None:
    response = endpoint.options("/sparql", timeout=30, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    simple = endpoint.get("/health", headers={"Origin": "https://evil.example"},
                          timeout=30)
    assert "Access-Control-Allow-Origin" not in simple.headers


def test_cors_is_off_by_default(defaults: AppClient) -> None:
    for path in ("/sparql", "/store", "/health"):
        response = defaults.get(path, headers={"Origin": "https://allowed.example"},
                                timeout=30)
        assert "Access-Control-Allow-Origin" not in response.headers, path


# --- atomic loads seen over HTTP ----------------------------------------------------------

@pytest.mark.slow
def test_what_a_dead_load_left_is_never_served(tmp_path: Path) -> None:
    """A staging graph and a graph behind a load marker, as a killed ``psikg load`` leaves
    them, are removed before the engine opens the store: no reader ever sees them."""
    store = tmp_path / "store"
    base = "https://data.psikg.example/"
    raw = ox.Store(str(store))
    p, x = ox.NamedNode("http://example.org/p"), ox.Literal("half-loaded")
    raw.add(ox.Quad(ox.NamedNode("http://example.org/s"), p, x,
                    ox.NamedNode("urn:psikg:staging:dead/0/g")))
    unfinished = ox.NamedNode(base + "graph/unfinished.ttl")
    raw.add(ox.Quad(ox.NamedNode("http://example.org/t"), p, x, unfinished))
    raw.add(ox.Quad(ox.NamedNode("urn:psikg:staging:dead/"),
                    ox.NamedNode("http://www.w3.org/ns/prov#generated"), unfinished,
                    ox.NamedNode(base + "graph/meta")))
    raw.flush()
    del raw
    with live_server(store) as url:
        query = 'ASK { { ?s ?p "half-loaded" } UNION { GRAPH ?g { ?s ?p "half-loaded" } } }'
        response = requests.get(f"{url}/sparql", params={"query": query}, timeout=30)
        assert response.json()["boolean"] is False


def test_readers_see_the_old_graph_or_the_new_one_during_puts(endpoint: AppClient) -> None:
    graph = fresh_graph()

    def version(tag: str) -> bytes:
        return "".join(f'<http://example.org/r{i}> <http://example.org/v> "{tag}" .\n'
                       for i in range(2000)).encode()

    def put(tag: str) -> None:
        response = endpoint.put("/store", params={"graph": graph}, timeout=60,
                                data=version(tag), headers={**AUTH, "Content-Type": TTL})
        assert response.status_code in (201, 204)

    put("A")
    seen: list[tuple[int, frozenset[str]]] = []
    stop = threading.Event()

    def read() -> None:
        query = (f"SELECT (COUNT(*) AS ?n) (GROUP_CONCAT(DISTINCT ?v) AS ?vs) "
                 f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?v }} }}")
        while not stop.is_set():
            row = endpoint.get("/sparql", params={"query": query},
                               timeout=60).json()["results"]["bindings"][0]
            seen.append((int(row["n"]["value"]), frozenset(row["vs"]["value"].split())))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for tag in "BABAB":
            put(tag)
    finally:
        stop.set()
        reader.join()
    assert seen
    assert all(n == 2000 and len(values) == 1 for n, values in seen), seen[:5]


def test_an_update_with_prefixes_is_applied(endpoint: AppClient) -> None:
    """What rdflib sends: a prologue of PREFIX lines, then the operation, and a trailing ';'."""
    graph = fresh_graph()
    update = (f"PREFIX ex: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
              f"\nINSERT DATA {{ GRAPH <{graph}> {{ ex:s ex:p 1 }} }} ;\n")
    response = endpoint.post("/sparql", data=update.encode(), timeout=30,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text
    assert count(endpoint, graph) == 1

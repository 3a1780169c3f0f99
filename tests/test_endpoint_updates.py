"""SPARQL Update as clients send it, in this process on the session's engine: refusals the
store's state causes are 4xx with the engine's message, malformed text is 400 with its line
and column, prologues after ``;``, two operations in one request, Basic authentication,
``LOAD`` under the fetch policy (issue 17)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.engine.process import EngineProcess
from tests.endpoint_server import TOKEN
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route
from tests.in_process import AppClient
from tests.in_process import app_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE_TYPE = {"Content-Type": "application/sparql-update"}


def fresh_graph() -> str:
    return f"http://example.org/graph/{uuid.uuid4()}"


def update(client: AppClient, text: str, **headers: str) -> object:
    return client.post("/sparql", data=text.encode(), timeout=30,
                       headers={**AUTH, **UPDATE_TYPE, **headers})


def count(client: AppClient, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_create_graph_on_an_existing_graph_is_409_with_the_engines_message(
        endpoint: AppClient) -> None:
    graph = fresh_graph()
    assert update(endpoint, f"CREATE GRAPH <{graph}>").status_code == 204
    response = update(endpoint, f"CREATE GRAPH <{graph}>")
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["type"] == "graph-exists"
    assert f"<{graph}> already exists" in body["error"]
    assert "SILENT" in body["error"]
    assert update(endpoint, f"CREATE SILENT GRAPH <{graph}>").status_code == 204
    update(endpoint, f"DROP SILENT GRAPH <{graph}>")


def test_drop_of_a_missing_graph_is_409(endpoint: AppClient) -> None:
    response = update(endpoint, f"DROP GRAPH <{fresh_graph()}>")
    assert response.status_code == 409
    assert response.json()["errors"][0]["type"] == "no-such-graph"


@pytest.mark.parametrize(("text", "line", "column"), [
    ("INSERT DATA { <a:b> }", 1, 21),
    ("PREFIX ex: <http://example.org/>\n\nINSERT DATA {\n  ex:a ex:b }", 4, 13),
])
def test_a_malformed_update_is_400_naming_line_and_column(endpoint: AppClient, text: str,
                                                          line: int, column: int) -> None:
    response = update(endpoint, text)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["type"], error["line"], error["column"]) == ("invalid-query", line, column)
    assert f"line {line}, column {column}" in response.json()["error"]


def rows(client: AppClient, graph: str) -> set[tuple[str, str]]:
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, timeout=30)
    return {(row["s"]["value"], row["o"]["value"])
            for row in response.json()["results"]["bindings"]}


def test_the_update_specs_example_with_a_second_prefix_runs(endpoint: AppClient) -> None:
    """SPARQL 1.1 Update, section 3.1.1's shape: a prologue after ``;``."""
    graph = fresh_graph()
    text = (f"PREFIX dc: <http://purl.org/dc/elements/1.1/>\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example/book1> dc:title "
            f"\"A new book ; PREFIX x: <y>\" }} }} ;\n"
            f"PREFIX ns: <http://example.org/ns#>\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example/book1> ns:price 42 }} }}")
    response = update(endpoint, text)
    assert response.status_code == 204, response.text
    assert rows(endpoint, graph) == {("http://example/book1", "A new book ; PREFIX x: <y>"),
                                     ("http://example/book1", "42")}


def test_a_prefix_bound_again_to_another_iri_holds_from_its_operation_on(
        endpoint: AppClient) -> None:
    graph = fresh_graph()
    text = (f"PREFIX ex: <http://a.example/>\nINSERT DATA {{ GRAPH <{graph}> {{ ex:s ex:p 1 }} }};"
            f"\nPREFIX ex: <http://b.example/> INSERT DATA {{ GRAPH <{graph}> {{ ex:s ex:p 2 }} }};"
            f"\nINSERT DATA {{ GRAPH <{graph}> {{ ex:t ex:p 3 }} }} ;"
            f"\nPREFIX ex: <http://a.example/> INSERT DATA {{ GRAPH <{graph}> {{ ex:u ex:p 4 }} }}")
    assert update(endpoint, text).status_code == 204
    assert rows(endpoint, graph) == {("http://a.example/s", "1"), ("http://b.example/s", "2"),
                                     ("http://b.example/t", "3"), ("http://a.example/u", "4")}


def test_a_second_base_resolves_the_following_operations(endpoint: AppClient) -> None:
    graph = fresh_graph()
    text = (f"BASE <http://x.example/>\nINSERT DATA {{ GRAPH <{graph}> {{ <s> <p> 1 }} }} ;\n"
            f"BASE <http://y.example/dir/>\nPREFIX r: <rel/>\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{ <s> <p> 2 . r:s <p> 3 }} }}")
    assert update(endpoint, text).status_code == 204, update
    assert rows(endpoint, graph) == {("http://x.example/s", "1"), ("http://y.example/dir/s", "2"),
                                     ("http://y.example/dir/rel/s", "3")}


def test_a_request_of_several_operations_is_one_transaction(endpoint: AppClient) -> None:
    graph, existing = fresh_graph(), fresh_graph()
    assert update(endpoint, f"CREATE GRAPH <{existing}>").status_code == 204
    text = (f"PREFIX ex: <http://example.org/>\nINSERT DATA {{ GRAPH <{graph}> {{ ex:s ex:p 1 }} }}"
            f" ;\nPREFIX ex2: <http://example.org/2/>\nCREATE GRAPH <{existing}>")
    assert update(endpoint, text).status_code == 409
    assert rows(endpoint, graph) == set()
    update(endpoint, f"DROP GRAPH <{existing}>")


def test_an_error_after_a_moved_prologue_keeps_its_line_and_column(endpoint: AppClient) -> None:
    text = ("PREFIX a: <http://a.example/>\nINSERT DATA { GRAPH <http://g.example/> { a:s a:p 1 } }"
            " ;\nPREFIX b: <http://b.example/>\nINSERT DATA { b:s b:p }")
    error = update(endpoint, text).json()["errors"][0]
    assert (error["line"], error["column"]) == (4, 23)


def test_an_update_that_stops_too_early_is_placed_at_its_end(endpoint: AppClient) -> None:
    error = update(endpoint, "INSERT DATA {\n  <http://a.example/s> <http://a.example/p> ").json()
    assert error["status"] == 400
    assert (error["errors"][0]["line"], error["errors"][0]["column"]) == (2, 44)


def test_two_update_strings_are_400_and_neither_runs(endpoint: AppClient) -> None:
    """W3C protocol test bad_multiple_updates."""
    graph = fresh_graph()
    triple = "<http://a.example/s> <http://a.example/p>"
    response = endpoint.post("/sparql", timeout=30, headers=AUTH, data=[
        ("update", f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} 1 }} }}"),
        ("update", f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} 2 }} }}")])
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "multiple-operations"
    assert count(endpoint, graph) == 0


def basic(user: str, password: str) -> dict[str, str]:
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


@pytest.mark.parametrize("user", ["psikg", "", "anyone at all", "élan"])
def test_basic_authentication_with_the_token_as_password_writes(endpoint: AppClient,
                                                                user: str) -> None:
    graph = fresh_graph()
    text = f"INSERT DATA {{ GRAPH <{graph}> {{ <http://a.example/s> <http://a.example/p> 1 }} }}"
    response = endpoint.post("/sparql", data={"update": text}, timeout=30,
                             headers=basic(user, TOKEN))
    assert response.status_code == 204, response.text
    assert count(endpoint, graph) == 1
    put = endpoint.put("/store", params={"graph": graph}, timeout=30,
                       data=b"<http://a.example/s> <http://a.example/p> \"2\" .",
                       headers={**basic(user, TOKEN), "Content-Type": "application/n-triples"})
    assert put.status_code == 204, put.text
    assert endpoint.delete("/store", params={"graph": graph}, timeout=30,
                           headers=basic(user, TOKEN)).status_code == 204


@pytest.mark.parametrize("authorization", [
    "Basic " + base64.b64encode(b"psikg:not-the-token").decode(),
    "Basic " + base64.b64encode(TOKEN.encode()).decode(),  # the token as the user name
    "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode(),
    "Basic ???", "Basic", "Digest username=psikg", f"Bearer {TOKEN}x",
])
def test_basic_authentication_is_checked_as_bearer_is(endpoint: AppClient,
                                                      authorization: str) -> None:
    graph = fresh_graph()
    text = f"INSERT DATA {{ GRAPH <{graph}> {{ <http://a.example/s> <http://a.example/p> 1 }} }}"
    response = endpoint.post("/sparql", data={"update": text}, timeout=30,
                             headers={"Authorization": authorization})
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="psikg"') and 'Basic realm="psikg"' in challenge
    assert count(endpoint, graph) == 0


# --- LOAD under the allow-list --------------------------------------------------------------

@pytest.fixture(scope="module")
def documents() -> Iterator[PortalServer]:
    """A server of Turtle documents on a loopback address, as an intranet host would be."""
    server = PortalServer()
    body = b'<http://loaded.example/s> <http://loaded.example/p> "loaded" .'
    for path in ("/data.ttl", "/allowed/data.ttl", "/other/data.ttl"):
        server.routes[path] = Route(body)
    with server.running():
        yield server


@pytest.mark.parametrize("load", [
    "LOAD <{url}/data.ttl> INTO GRAPH <{graph}>",
    "LOAD SILENT <{url}/data.ttl> INTO GRAPH <{graph}>",
    "PREFIX here: <{url}/>\nLOAD here:data.ttl INTO GRAPH <{graph}>",
    "BASE <{url}/>\nLOAD <data.ttl> INTO GRAPH <{graph}>",
    "INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> 'LOAD' }} }} ;\n"
    "PREFIX x: <{url}/> LOAD x:data.ttl INTO GRAPH <{graph}>",
])
def test_load_of_a_document_outside_the_allow_list_is_refused_unfetched(
        endpoint: AppClient, documents: PortalServer, load: str) -> None:
    graph = fresh_graph()
    documents.hits.clear()
    response = update(endpoint, load.format(url=documents.base, graph=graph))
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["errors"][0]["type"] == "load-not-allowed"
    assert documents.url("/data.ttl") in body["error"]
    assert not documents.hits
    assert count(endpoint, graph) == 0


def test_load_under_an_allowed_prefix_is_read(sample_engine: EngineProcess, token_file: Path,
                                              documents: PortalServer, tmp_path: Path) -> None:
    client = app_client(sample_engine, tmp_path / "run", update_token_file=token_file,
                        service_allow=(documents.url("/allowed/"),))
    graph = fresh_graph()
    documents.hits.clear()
    refused = update(client, f"LOAD <{documents.url('/other/data.ttl')}> INTO GRAPH <{graph}>")
    assert refused.status_code == 403
    response = update(client, f"LOAD <{documents.url('/allowed/data.ttl')}> INTO GRAPH <{graph}>")
    assert response.status_code == 204, response.text
    assert dict(documents.hits) == {"/allowed/data.ttl": 1}
    assert count(client, graph) == 1
    update(client, f"DROP GRAPH <{graph}>")

"""SPARQL Update as clients send it, in this process on the session's engine: refusals the
store's state causes are 4xx with the engine's message, malformed text is 400 with its line
and column, prologues after ``;``, two operations in one request, Basic authentication,
``LOAD`` under the fetch policy (issue 17)."""

from __future__ import annotations

import uuid

import pytest

from tests.endpoint_server import TOKEN
from tests.in_process import AppClient

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

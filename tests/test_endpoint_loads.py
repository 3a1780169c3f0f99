"""``/loads``, the command line's loads through the server, in this process on the session's
engine: the token, what a load may write, graphs hidden while it is in flight (``GRAPH ?g``,
the union, the pages), visible to a query that names them, gone after an abort, and a load
whose client went silent removed by the next one."""

from __future__ import annotations

import os
import time
import uuid
from urllib.parse import quote

import pytest

from graph.engine.loads import STALE_RUN_S
from graph.store import STAGING_PREFIX
from tests.endpoint_server import TOKEN
from tests.in_process import AppClient

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NT = {"Content-Type": "application/n-triples", **AUTH}
META = "https://data.psikg.example/graph/meta"
SAMPLE = "https://data.psikg.example/graph/sample.ttl"


def start(endpoint: AppClient) -> str:
    answer = endpoint.post("/loads", headers=AUTH)
    assert answer.status_code == 200, answer.text
    run: str = answer.json()["run"]
    assert run.startswith(STAGING_PREFIX) and run.endswith("/")
    return run.removeprefix(STAGING_PREFIX).strip("/")


def select(endpoint: AppClient, query: str) -> list[str]:
    answer = endpoint.get("/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return [cell["value"] for row in answer.json()["results"]["bindings"]
            for cell in row.values()]


def test_loads_need_the_token(endpoint: AppClient) -> None:
    assert endpoint.post("/loads").status_code == 401
    assert endpoint.post("/loads", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_graph_is_hidden_while_its_load_is_in_flight(endpoint: AppClient) -> None:
    graph = f"http://example.org/graph/{uuid.uuid4()}"
    run = start(endpoint)
    where = endpoint.post(f"/loads/{run}/graphs", params={"graph": graph}, headers=AUTH)
    assert where.json() == {"where": graph}  # a new graph: its own name, behind a marker
    answer = endpoint.post(f"/loads/{run}/data", params={"graph": graph}, headers=NT,
                           data=b"<http://example.org/hidden> <http://example.org/p> \"1\" .\n")
    assert answer.status_code == 204, answer.text
    assert graph not in select(endpoint, "SELECT ?g { GRAPH ?g { } }")
    assert select(endpoint, "SELECT ?s { ?s <http://example.org/p> \"1\" }") == []
    assert select(endpoint, f"SELECT ?s FROM <{graph}> {{ ?s ?p ?o }}") == [
        "http://example.org/hidden"]
    assert endpoint.delete(f"/loads/{run}", headers=AUTH).status_code == 204
    assert select(endpoint, f"SELECT ?s FROM <{graph}> {{ ?s ?p ?o }}") == []
    assert endpoint.delete(f"/loads/{run}", headers=AUTH).status_code == 404


def test_an_existing_graph_gets_a_staging_graph_and_keeps_serving(
        endpoint: AppClient) -> None:
    sample_graph = SAMPLE
    run = start(endpoint)
    where = endpoint.post(f"/loads/{run}/graphs", params={"graph": sample_graph},
                          headers=AUTH).json()["where"]
    assert where.startswith(f"{STAGING_PREFIX}{run}/")
    before = select(endpoint, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{sample_graph}> "
                    "{ ?s ?p ?o } }")
    endpoint.post(f"/loads/{run}/data", params={"graph": where}, headers=NT,
                  data=b"<http://example.org/new> <http://example.org/p> \"2\" .\n")
    assert select(endpoint, "SELECT ?s { ?s <http://example.org/p> \"2\" }") == []
    assert select(endpoint, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{sample_graph}> "
                  "{ ?s ?p ?o } }") == before
    endpoint.delete(f"/loads/{run}", headers=AUTH)
    assert not any(g.startswith(STAGING_PREFIX) for g in select(
        endpoint, "SELECT ?g { GRAPH ?g { } }"))


@pytest.mark.parametrize(("graph", "status"), [(META, 403), (STAGING_PREFIX + "x/y", 403),
                                                ("not an iri", 400)])
def test_a_load_may_not_write_psikg_own_graphs(endpoint: AppClient, graph: str,
                                               status: int) -> None:
    run = start(endpoint)
    try:
        answer = endpoint.post(f"/loads/{run}/graphs", params={"graph": graph}, headers=AUTH)
        assert answer.status_code == status, answer.text
        answer = endpoint.post(f"/loads/{run}/data", params={"graph": graph}, headers=NT,
                               data=b"<http://example.org/a> <http://example.org/b> \"1\" .\n")
        assert answer.status_code == status, answer.text
        assert answer.json()["ok"] is False
    finally:
        endpoint.delete(f"/loads/{run}", headers=AUTH)


def test_an_unknown_load_is_404(endpoint: AppClient) -> None:
    answer = endpoint.post(f"/loads/{uuid.uuid4().hex}/commit", headers=AUTH, data=b"")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["type"] == "unknown-load"


def test_a_load_whose_client_went_silent_is_removed_by_the_next(
        endpoint: AppClient) -> None:
    graph = f"http://example.org/graph/{uuid.uuid4()}"
    run = start(endpoint)
    endpoint.post(f"/loads/{run}/graphs", params={"graph": graph}, headers=AUTH)
    endpoint.post(f"/loads/{run}/data", params={"graph": graph}, headers=NT,
                  data=b"<http://example.org/silent> <http://example.org/p> \"3\" .\n")
    state = endpoint.app.extensions["psikg"]
    long_ago = time.time() - STALE_RUN_S - 1
    os.utime(state.loads.folder / run, (long_ago, long_ago))
    other = start(endpoint)
    assert not (state.loads.folder / run).exists()
    assert select(endpoint, f"SELECT ?s FROM <{graph}> {{ ?s ?p ?o }}") == []
    endpoint.delete(f"/loads/{other}", headers=AUTH)
    assert not state.loads.any()


def test_a_validation_record_needs_its_fields(endpoint: AppClient) -> None:
    answer = endpoint.put("/loads/validation", params={"graph": "http://example.org/g"},
                          headers=AUTH, json={"conforms": True})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["type"] == "invalid-validation"


def test_a_part_that_does_not_parse_is_a_400_that_says_so(endpoint: AppClient) -> None:
    graph = f"http://example.org/graph/{uuid.uuid4()}"
    run = start(endpoint)
    try:
        endpoint.post(f"/loads/{run}/graphs", params={"graph": graph}, headers=AUTH)
        answer = endpoint.post(f"/loads/{run}/data", params={"graph": graph}, headers=NT,
                               data=b"<http://example.org/a> <http://example.org/b> 1 .\n")
        assert answer.status_code == 400
        error = answer.json()["errors"][0]
        assert error["type"] == "invalid-rdf"
        assert "N-Triples of this part do not parse" in error["message"]
    finally:
        endpoint.delete(f"/loads/{run}", headers=AUTH)


def test_two_loads_of_one_new_graph_never_both_write_it_under_its_name(
        endpoint: AppClient) -> None:
    graph = f"http://example.org/graph/{uuid.uuid4()}"
    first, second = start(endpoint), start(endpoint)
    try:
        places = [endpoint.post(f"/loads/{run}/graphs", params={"graph": graph},
                                headers=AUTH).json()["where"] for run in (first, second)]
        assert places[0] == graph
        assert places[1].startswith(f"{STAGING_PREFIX}{second}/")
    finally:
        for run in (first, second):
            endpoint.delete(f"/loads/{run}", headers=AUTH)
    assert select(endpoint, f"SELECT ?run {{ GRAPH <{META}> {{ ?run ?p <{graph}> }} }}") == []


@pytest.mark.parametrize(("accept", "fmt"), [("application/n-quads", "nquads"),
                                             ("application/trig", "trig")])
def test_the_whole_store_leaves_out_a_load_in_flight(endpoint: AppClient, accept: str,
                                                      fmt: str) -> None:
    import pyoxigraph as ox

    graph = f"http://example.org/graph/{uuid.uuid4()}"
    run = start(endpoint)
    try:
        endpoint.post(f"/loads/{run}/graphs", params={"graph": graph}, headers=AUTH)
        endpoint.post(f"/loads/{run}/graphs", params={"graph": SAMPLE}, headers=AUTH)
        for where in (graph, f"{STAGING_PREFIX}{run}/" + quote(SAMPLE, safe="")):
            answer = endpoint.post(f"/loads/{run}/data", params={"graph": where}, headers=NT,
                                   data=b"<http://example.org/loading> <http://example.org/p> "
                                        b"\"4\" .\n")
            assert answer.status_code == 204, answer.text
        dump = endpoint.get("/store", headers={"Accept": accept})
        assert dump.status_code == 200
        assert dump.headers["Content-Type"].startswith(accept)
        quads = list(ox.parse(dump.content, format=ox.RdfFormat.from_extension(
            "nq" if fmt == "nquads" else "trig")))
        names = {quad.graph_name.value for quad in quads
                 if isinstance(quad.graph_name, ox.NamedNode)}
        assert SAMPLE in names and META in names
        assert graph not in names and not any(n.startswith(STAGING_PREFIX) for n in names)
        assert not any(quad.subject.value.startswith(STAGING_PREFIX) for quad in quads
                       if isinstance(quad.subject, ox.NamedNode))
        assert "http://example.org/loading" not in dump.text
    finally:
        endpoint.delete(f"/loads/{run}", headers=AUTH)

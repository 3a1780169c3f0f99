"""Limits: on a live server, the query timeout really stops a query built to run for minutes
and the next query is answered, and a chunked body meets the body limit; in this process,
the body limit (413), the row limit said in a header and in the body of every format, and
federation behind an allow-list."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from graph.engine.process import EngineProcess
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server
from tests.in_process import AppClient
from tests.in_process import app_client

LABELS = ("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
          "ORDER BY ?s ?label")
TIMEOUT_S = 2
_PATTERNS = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(14))
FOREVER = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_PATTERNS} FILTER(STR(?o0) != STR(?o1)) }}"
"""A 14-way cross product of the store with itself: 18^14 rows to count, i.e. for ever.
Oxigraph's own ``--timeout-s`` does not stop this one."""


@pytest.fixture(scope="module")
def live(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server with the limits: stopping a query restarts its engine, and chunked
    bodies are the WSGI server's to pass on."""
    store = copy_store(sample_template, tmp_path_factory.mktemp("limited") / "store")
    with live_server(store, "--max-rows", "2", "--max-body-mb", "0.004",
                     "--timeout-s", str(TIMEOUT_S),
                     "--service-allow", "http://127.0.0.1:1/allowed/") as url:
        yield url


@pytest.fixture(scope="module")
def limited(sample_engine: EngineProcess, tmp_path_factory: pytest.TempPathFactory
            ) -> AppClient:
    """An app in this process with the same limits, on the session's engine."""
    return app_client(sample_engine, tmp_path_factory.mktemp("limited-run"), max_rows=2,
                      max_body_mb=0.004, timeout_s=TIMEOUT_S,
                      service_allow=("http://127.0.0.1:1/allowed/",))


@pytest.mark.slow
def test_a_query_running_for_minutes_is_stopped_and_the_next_is_answered(live: str) -> None:
    started = time.monotonic()
    response = requests.get(f"{live}/sparql", params={"query": FOREVER}, timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["errors"][0]["type"] == "query-timeout"
    assert f"{TIMEOUT_S} s" in response.json()["error"]
    assert elapsed < TIMEOUT_S + 2
    after = requests.get(f"{live}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert after.status_code == 200 and after.json()["boolean"] is True


@pytest.mark.slow
def test_a_timeout_costs_only_its_own_query(live: str) -> None:
    """Stopping the runaway query restarts the engine under every query in flight; those
    are run again, so each cheap query sent meanwhile (held, streamed) gets its answer."""
    cheap = [({"query": LABELS}, "application/sparql-results+json"),
             ({"query": "ASK { ?s ?p ?o }"}, "application/sparql-results+json"),
             ({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}, "text/turtle")]
    statuses: list[int] = []
    runaway: list[requests.Response] = []

    def hammer() -> None:
        with requests.Session() as session:
            while not runaway:
                for params, accept in cheap:
                    answer = session.get(f"{live}/sparql", params=params, timeout=60,
                                         headers={"Accept": accept})
                    statuses.append(answer.status_code)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        runaway.append(requests.get(f"{live}/sparql", params={"query": FOREVER}, timeout=60))
    finally:
        runaway.append(requests.Response())  # stops the threads even if the call failed
        for thread in threads:
            thread.join()
    assert runaway[0].status_code == 503
    assert runaway[0].json()["errors"][0]["type"] == "query-timeout"
    assert statuses and set(statuses) == {200}, sorted(set(statuses))


@pytest.mark.slow
def test_a_streamed_result_past_the_deadline_is_stopped(live: str) -> None:
    query = f"SELECT * WHERE {{ {_PATTERNS} }}"
    started = time.monotonic()
    response = requests.get(f"{live}/sparql", params={"query": query}, timeout=60,
                            headers={"Accept": "text/csv"})
    assert response.status_code == 200  # the row limit held it: 2 rows, then stopped
    assert response.headers["Psikg-Truncated"] == "true"
    assert time.monotonic() - started < TIMEOUT_S + 2


def test_a_body_over_the_limit_is_413(limited: AppClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 8000
    response = limited.post("/sparql", data={"query": query}, timeout=30)
    assert response.status_code == 413
    assert response.json()["errors"][0]["type"] == "payload-too-large"


@pytest.mark.slow
def test_a_chunked_body_over_the_limit_is_413(live: str) -> None:
    def body() -> Iterator[bytes]:
        yield b"SELECT * WHERE { ?s ?p ?o } #"
        for _ in range(10):
            yield b"x" * 1000

    response = requests.post(f"{live}/sparql", data=body(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_row_limit_in_json_is_said_in_header_and_body(limited: AppClient) -> None:
    response = limited.get("/sparql", params={"query": LABELS}, timeout=30)
    assert response.headers["Psikg-Max-Rows"] == "2"
    assert response.headers["Psikg-Truncated"] == "true"
    body = response.json()
    assert len(body["results"]["bindings"]) == 2
    assert body["psikg"]["truncated"] is True and body["psikg"]["max_rows"] == 2


def test_row_limit_in_xml_is_said_in_header_and_body(limited: AppClient) -> None:
    response = limited.get("/sparql", params={"query": LABELS, "format": "xml"},
                           timeout=30)
    assert response.headers["Psikg-Truncated"] == "true"
    assert b"truncated at 2 rows" in response.content
    rows = list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML))
    assert len(rows) == 2


@pytest.mark.parametrize("name", ["csv", "tsv"])
def test_row_limit_in_csv_and_tsv_is_said_in_headers_never_in_a_row(limited: AppClient,
                                                                      name: str) -> None:
    response = limited.get("/sparql", params={"query": LABELS, "format": name},
                           timeout=30)
    assert response.headers["Psikg-Truncated"] == "true"
    assert "cut at 2 rows" in response.headers["Warning"]
    assert b"psikg" not in response.content
    delimiter = "," if name == "csv" else "\t"
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline=""),
                           delimiter=delimiter))
    assert len(rows) == 3  # the header and two rows
    if name == "tsv":  # pyoxigraph parses TSV only (CSV is lossy)
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.TSV)
        assert len(list(parsed)) == 2


def test_csv_row_limit_counts_rows_not_newlines_in_values(limited: AppClient) -> None:
    query = ('SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label '
             'FILTER(CONTAINS(?label, "newline")) }')
    response = limited.get("/sparql", params={"query": query, "format": "csv"},
                           timeout=30)
    assert "Psikg-Truncated" not in response.headers
    [row] = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    assert "\n" in row["label"]


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv"])
def test_a_result_within_the_limit_is_whole_and_unmarked(limited: AppClient, name: str) -> None:
    query = "SELECT ?s WHERE { ?s a <http://example.org/Thing> } ORDER BY ?s"
    response = limited.get("/sparql", params={"query": query, "format": name},
                           timeout=30)
    assert response.status_code == 200
    assert response.headers["Psikg-Max-Rows"] == "2"
    assert "Psikg-Truncated" not in response.headers
    assert b"truncated" not in response.content
    assert response.content.count(b"http://example.org/b") == 1


def test_service_outside_the_allow_list_is_400_naming_it(limited: AppClient) -> None:
    query = ("PREFIX far: <http://far.example/> "
             "SELECT * WHERE { SERVICE far:sparql { ?s ?p ?o } }")
    response = limited.get("/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400
    assert "http://far.example/sparql" in response.json()["error"]
    variable = "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }"
    assert limited.get("/sparql", params={"query": variable},
                       timeout=30).status_code == 400


def test_service_inside_the_allow_list_reaches_the_engine(limited: AppClient) -> None:
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/allowed/sparql> { ?s ?p ?o } }"
    response = limited.get("/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200  # SILENT: the unreachable endpoint gives no rows
    assert response.json()["results"]["bindings"] in ([], [{}])

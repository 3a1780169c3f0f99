"""Answers from a remote ``oxigraph serve`` stream through psikg: in bounded memory, the
first rows before the engine has finished, the row limit with its headers, the deadline
closing psikg's connection to the engine, and real clients reading what comes."""

from __future__ import annotations

import gc
import http.server
import json
import subprocess
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import ClassVar

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON
from SPARQLWrapper import XML
from SPARQLWrapper import SPARQLWrapper

from graph.engine.process import EngineProcess
from graph.errors import StoreError
from graph.remote.store import RemoteStore
from tests import engine_apps
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.endpoint_server import live_server
from tests.in_process import AppClient
from tests.local_http import local_http

BASE = "https://answers.psikg.example/"
GRAPH = "urn:psikg:test:answers"
ROWS = 60_000
TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
SELECT = f"SELECT ?s ?p ?o FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    """An ``oxigraph serve`` holding :data:`ROWS` triples in :data:`GRAPH` (blank nodes
    and booleans among them), written through its own Graph Store."""
    process = EngineProcess(tmp_path_factory.mktemp("answers") / "engine-store")
    process.start()
    lines = "".join(f'<http://ex.example/s{i}> <http://ex.example/p{i % 3}> '
                    f'{f"_:b{i % 5}" if i % 2 else TRUE} .\n' for i in range(ROWS))
    try:
        requests.post(f"{process.url}/store", params={"graph": GRAPH}, data=lines.encode(),
                      headers={"Content-Type": "application/n-triples"},
                      timeout=120).raise_for_status()
        yield process
    finally:
        process.stop()


def app(engine: EngineProcess, run_dir: Path, **options: Any) -> AppClient:
    return engine_apps.remote_app(engine.url, "oxigraph", BASE, run_dir, **options)


def streamed(client: AppClient, query: str, accept: str, into: Path, path: str = "/sparql",
             params: dict[str, str] | None = None) -> tuple[int, int]:
    """Read an answer (``path`` with ``params``, by default ``/sparql`` with ``query``) a
    chunk at a time into ``into``, as a client on a socket does: its status, and the most
    memory Python held meanwhile."""
    tracemalloc.start()
    try:
        answer = client.app.test_client().get(path, query_string=params or {"query": query},
                                              headers={"Accept": accept}, buffered=False)
        with into.open("wb") as output:
            for chunk in answer.response:
                output.write(chunk)
        answer.close()
        return answer.status_code, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_answer_streams_in_bounded_memory(engine: EngineProcess,
                                                  tmp_path: Path) -> None:
    """The answer is never held whole: Python's peak stays a fraction of its size, in each
    format, and every row comes, the booleans and blank nodes as the embedded store's."""
    client = app(engine, tmp_path / "run", max_rows=0, timeout_s=120)
    construct = SELECT.replace("SELECT ?s ?p ?o", "CONSTRUCT { ?s ?p ?o }")
    for query, accept in ((SELECT, "application/sparql-results+json"),
                          (SELECT, "text/csv"),
                          (construct, "application/n-triples")):
        status, peak = streamed(client, query, accept, tmp_path / "answer")
        size = (tmp_path / "answer").stat().st_size
        assert status == 200
        assert size > 3_000_000
        assert peak < size / 5, (accept, peak, size)
        if accept == "application/sparql-results+json":
            rows = json.loads((tmp_path / "answer").read_bytes())["results"]["bindings"]
            assert len(rows) == ROWS
            assert {row["o"]["value"] for row in rows if row["o"]["type"] == "literal"} \
                == {"true"}
            assert len({row["o"]["value"] for row in rows if row["o"]["type"] == "bnode"}) == 5
        elif accept == "text/csv":
            assert (tmp_path / "answer").read_bytes().count(b"\r\n") == ROWS + 1
        else:
            graph = rdflib.Graph().parse(tmp_path / "answer", format="nt")
            assert len(graph) == ROWS
            assert len(set(graph.objects()) - {rdflib.Literal(True)}) == 5


def _engine_connections(port: int) -> int:
    """Established TCP connections to ``port`` on this machine (psikg's side of them)."""
    done = subprocess.run(["ss", "-Htn", "state", "established", f"dport = :{port}"],
                          capture_output=True, text=True, check=True)
    return len(done.stdout.splitlines())


def test_the_first_rows_come_before_the_engine_has_answered(engine: EngineProcess,
                                                            tmp_path: Path) -> None:
    """The client reads the first rows while the engine is still sending the answer (its
    connection open, the rest of the answer on its way); at the deadline the stream is
    cut and psikg closes its connection to the engine, which may then stop."""
    client = app(engine, tmp_path / "run", max_rows=0, timeout_s=3.0)
    port = int(engine.url.rsplit(":", 1)[1])
    gc.collect()  # the kept-alive connections of earlier tests' apps
    idle = _engine_connections(port)
    started = time.monotonic()
    answer = client.app.test_client().get("/sparql", query_string={"query": SELECT},
                                          headers={"Accept": "text/tab-separated-values"},
                                          buffered=False)
    chunks = iter(answer.response)
    first = next(chunks)
    assert answer.status_code == 200
    assert first.startswith(b"?s\t?p\t?o\n<http://ex.example/s")
    assert time.monotonic() - started < 2.0
    assert _engine_connections(port) == idle + 1  # the engine's answer is still coming
    time.sleep(3.5 - (time.monotonic() - started))  # past the deadline
    rest = b"".join(chunks)
    answer.close()
    assert 0 < (first + rest).count(b"\n") < ROWS  # cut at the deadline
    assert _engine_connections(port) == idle


def test_the_row_limit_cuts_a_streamed_answer_with_its_headers(engine: EngineProcess,
                                                               tmp_path: Path) -> None:
    client = app(engine, tmp_path / "run", max_rows=1_000)
    for accept, count in (("application/sparql-results+json",
                           lambda text: len(json.loads(text)["results"]["bindings"])),
                          ("application/sparql-results+xml",
                           lambda text: text.count("<result>")),
                          ("text/csv", lambda text: text.count("\r\n") - 1),
                          ("text/tab-separated-values", lambda text: text.count("\n") - 1)):
        cut = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert cut.status_code == 200, cut.text
        assert cut.headers["Psikg-Max-Rows"] == "1000"
        assert cut.headers["Psikg-Truncated"] == "true"
        assert count(cut.text) == 1_000, accept
        whole = client.get("/sparql", params={"query": SELECT + " LIMIT 999"},
                           headers={"Accept": accept})
        assert "Psikg-Truncated" not in whole.headers
        assert count(whole.text) == 999, accept


def test_the_cli_writes_a_remote_answer_in_each_format(engine: EngineProcess,
                                                       tmp_path: Path) -> None:
    """``psikg query`` on the engine writes what it parses as it comes, in every format."""
    where = ["--base-iri", BASE, "--engine-url", engine.url, "--engine-kind", "oxigraph"]
    query = SELECT + " ORDER BY ?s LIMIT 2000"
    csv = run_in_process([*where, "query", "--format", "csv", query])
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.count("\n") == 2001 and csv.stdout.startswith("s,p,o")
    tsv = run_in_process([*where, "query", "--format", "tsv", query])
    assert "\t_:" in tsv.stdout and "\ttrue\n" in tsv.stdout
    turtle = run_in_process([*where, "query", "--format", "turtle",
                             query.replace("SELECT ?s ?p ?o", "CONSTRUCT { ?s ?p ?o }")])
    assert turtle.returncode == 0, turtle.stderr
    assert len(rdflib.Graph().parse(data=turtle.stdout, format="turtle")) == 2000


def test_real_clients_read_streamed_answers(engine: EngineProcess, tmp_path: Path) -> None:
    """SPARQLWrapper (JSON, XML) and rdflib's SPARQLStore read answers far past the 64 KiB
    a route reads before its headers, through ``psikg serve``'s WSGI workers."""
    load = write(tmp_path / "d.ttl", engine_apps.DATA)
    done = run_in_process(["--base-iri", BASE, "--engine-url", engine.url, "--engine-kind",
                           "oxigraph", "load", str(load)])
    assert done.returncode == 0, done.stderr
    token = write(tmp_path / "token", engine_apps.TOKEN)
    environment = {"PSIKG_ENGINE_URL": engine.url, "PSIKG_ENGINE_KIND": "oxigraph",
                   "PSIKG_BASE_IRI": BASE, "PSIKG_MAX_ROWS": "0"}
    with live_server(tmp_path / "no-store", "--update-token-file", str(token),
                     env=environment) as url:
        client = SPARQLWrapper(f"{url}/sparql")
        client.setQuery(SELECT)
        client.setReturnFormat(JSON)
        found: Any = client.queryAndConvert()
        assert len(found["results"]["bindings"]) == ROWS
        some = SELECT + " LIMIT 5000"  # far past 64 KiB, and quicker to parse in Python
        client.setQuery(some)
        client.setReturnFormat(XML)
        assert len(client.queryAndConvert().getElementsByTagName("result")) == 5_000
        store = SPARQLStore(f"{url}/sparql", returnFormat="xml")
        assert len(list(store.query(some))) == 5_000
        graph = rdflib.Graph(store)
        described = graph.query(some.replace("SELECT ?s ?p ?o", "CONSTRUCT { ?s ?p ?o }"))
        assert len(described) == 5_000
        assert len(list(graph.query("SELECT ?o WHERE { <http://ex.example/a> "
                                    "<http://ex.example/open> ?o }"))) == 1


def test_a_command_stops_reading_at_the_timeout_with_an_error(engine: EngineProcess) -> None:
    """An answer that streams for ever: the rows that came are read, then the store says
    the engine did not finish within the timeout (what ``psikg query`` prints), and the
    connection to the engine is closed."""
    store = RemoteStore(engine.url, "oxigraph", BASE, timeout_s=2.0)
    started, rows = time.monotonic(), 0
    with pytest.raises(StoreError, match="did not finish its answer within the timeout"):
        for _ in store.query(f"SELECT * FROM <{GRAPH}> WHERE {{ ?a ?b ?c . ?d ?e ?f }}"):
            rows += 1
    assert rows > 10_000
    assert time.monotonic() - started < 5
    store.close()


class _Garbling(http.server.BaseHTTPRequestHandler):
    """An engine that lists no graph of psikg's (JSON) and answers every other query with
    results that do not parse (a broken proxy, a truncating gateway)."""

    asked: ClassVar[list[str]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        accept = self.headers.get("Accept", "")
        self.asked.append(accept)
        body = (b'{"head":{"vars":["g"]},"results":{"bindings":[]}}' if "json" in accept
                else b"<sparql><results><result><binding name=")
        self.send_response(200)
        self.send_header("Content-Type", accept.split(",")[0] or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_an_answer_that_does_not_parse_is_an_error_at_once(tmp_path: Path) -> None:
    """A remote engine's unreadable answer is its fault, said at once (502), not asked again
    until the deadline as a stream the engine broke off is."""
    with local_http(_Garbling) as engine:
        client = engine_apps.remote_app(engine, "oxigraph", BASE, tmp_path / "run",
                                        timeout_s=5.0)
        started = time.monotonic()
        answer = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 502 and "cannot read" in answer.text, answer.text
        assert [accept for accept in _Garbling.asked if "xml" in accept] == [
            "application/sparql-results+xml"]
        assert time.monotonic() - started < 4


def test_a_large_graph_store_read_streams_in_bounded_memory(engine: EngineProcess,
                                                            tmp_path: Path) -> None:
    """``GET /store`` of one of psikg's graphs in front of an engine is written a page at a
    time, never held whole, in the joinable formats: Python's peak does not grow with the
    graph (four times the triples, about the same peak); and it is the whole graph."""
    client = app(engine, tmp_path / "run", timeout_s=120)
    peaks: dict[str, list[int]] = {}
    for triples in (20_000, 80_000):
        source = write(tmp_path / f"g{triples}.nt", "".join(
            f'<http://ex.example/s{i}> <http://ex.example/p> "{i} {"x" * 40}" .\n'
            for i in range(triples)))
        with RemoteStore(engine.url, "oxigraph", BASE) as store:
            [graph] = store.load_files([source])[0].graphs
        for accept in ("application/n-triples", "text/turtle"):
            status, peak = streamed(client, "", accept, tmp_path / "graph", "/store",
                                    {"graph": graph})
            assert status == 200
            peaks.setdefault(accept, []).append(peak)
            read = ox.parse(path=tmp_path / "graph", format=ox.RdfFormat.from_media_type(accept))
            assert sum(1 for _ in read) == triples
    for accept, (small, large) in peaks.items():
        assert large < 1.3 * small, (accept, small, large)

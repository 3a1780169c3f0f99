"""psikg in front of an ``oxigraph serve`` it does not run (``PSIKG_ENGINE_KIND=oxigraph``):
the same commands as on the embedded store, with the same answers, and a load that stops
before its commit leaves the old graph there too."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON
from SPARQLWrapper import SPARQLWrapper

from graph.engine.process import EngineProcess
from graph.remote import pages
from graph.remote.dialects import dialect_for
from graph.remote.protocol import SparqlProtocol
from graph.remote.store import UNION_MAX_AGE_S
from graph.remote.store import RemoteStore
from tests import engine_apps
from tests.canned_cases import PARAMETERS
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.endpoint_server import live_server
from tests.in_process import app_client
from tests.in_process import engine_on

BASE = "https://remote.psikg.example/"
DATA = """@prefix ex: <http://ex.example/> .
ex:a ex:amount 1.50 , 2 ; ex:open true ; ex:seat [ ex:street "Grand-Place"@fr ] .
ex:b ex:link ex:a .
"""


def on(engine: EngineProcess, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_in_process(["--base-iri", BASE, "--engine-url", engine.url, "--engine-kind",
                           "oxigraph", *map(str, args)])


def embedded(store: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_in_process(["--base-iri", BASE, "--store", str(store), *map(str, args)])


def test_commands_on_a_remote_oxigraph_answer_as_the_embedded_store(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    source = write(tmp_path / "d.ttl", DATA)
    for done in (on(remote_oxigraph, "load", source), embedded(tmp_path / "s", "load", source)):
        assert done.returncode == 0, done.stderr
        assert f"6 triples into <{BASE}graph/d.ttl>" in done.stdout
    remote_graphs = on(remote_oxigraph, "graphs")
    assert "works on the oxigraph engine" in remote_graphs.stderr
    assert [line.split()[:3] for line in remote_graphs.stdout.splitlines()] == [
        line.split()[:3] for line in embedded(tmp_path / "s", "graphs").stdout.splitlines()]
    records = f"{BASE}graph/meta/validation/"  # a validation's record: a random IRI each
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?o) && !isBlank(?s) "
             "&& ?p != prov:generatedAtTime "
             f"&& !STRSTARTS(STR(?s), '{records}') && !STRSTARTS(STR(?o), '{records}')) }} "
             "ORDER BY ?s ?p ?o")
    answers = [json.loads(done.stdout) for done in (
        on(remote_oxigraph, "query", query), embedded(tmp_path / "s", "query", query))]
    assert answers[0] == answers[1]
    assert len(answers[0]["results"]["bindings"]) > 6
    exports = [done.stdout for done in (
        on(remote_oxigraph, "export", "--format", "trig"),
        embedded(tmp_path / "s", "export", "--format", "trig"))]
    graphs = [rdflib.Dataset().parse(data=text, format="trig") for text in exports]
    assert isomorphic(graphs[0].graph(rdflib.URIRef(f"{BASE}graph/d.ttl")),
                      graphs[1].graph(rdflib.URIRef(f"{BASE}graph/d.ttl")))


def test_a_load_stopped_before_its_commit_leaves_the_old_graph(remote_oxigraph: EngineProcess,
                                                               tmp_path: Path) -> None:
    source = write(tmp_path / "o.nt", "<http://ex.example/old> <http://ex.example/p> \"1\" .\n")
    with RemoteStore(remote_oxigraph.url, "oxigraph", BASE) as store:
        store.load_files([source])
        write(source, "<http://ex.example/new> <http://ex.example/p> \"2\" .\n")
        store.stage([store.file_source(source)])  # the process dies here
    with RemoteStore(remote_oxigraph.url, "oxigraph", BASE) as store:
        subjects = [row["s"].value for row in store.query("SELECT ?s WHERE { ?s ?p ?o }")
                    if row["s"].value.startswith("http://ex.example/")]
        assert subjects == ["http://ex.example/old"]
        assert not store.query("ASK { GRAPH ?g { <http://ex.example/new> ?p ?o } }")
        assert staging_graphs(store) == 1
        store.load_files([source])  # the next load goes through
        subjects = [row["s"].value for row in store.query(
            f"SELECT ?s FROM <{BASE}graph/o.nt> WHERE {{ ?s ?p ?o }}")]
        assert subjects == ["http://ex.example/new"]
        assert staging_graphs(store) == 1  # a day has not passed: the load may still run
        store.leftover_after_s = 0
        store.load_files([write(tmp_path / "other.nt", "<http://ex.example/x> "
                                "<http://ex.example/p> \"3\" .\n")])
        assert staging_graphs(store) == 0  # the killed load's graph and marker are gone
        assert not store.query(f"ASK {{ GRAPH <{BASE}graph/meta> {{ ?run "
                               "<http://www.w3.org/ns/prov#generated> ?g } }")


def staging_graphs(store: RemoteStore) -> int:
    """The staging graphs in the engine, asked of it directly (psikg's queries never see
    them)."""
    protocol = SparqlProtocol(store.url, dialect_for("oxigraph"))
    rows = pages.select(protocol, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sum(row["g"].value.startswith("urn:psikg:staging:") for row in rows)


def test_serve_in_front_of_a_remote_oxigraph_answers_as_on_the_embedded_store(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    """Every route, the canned queries' JSON included, then updates and the timeout."""
    for where in (["--engine-url", remote_oxigraph.url, "--engine-kind", "oxigraph"],
                  ["--store", str(tmp_path / "s")]):
        for source in (write(tmp_path / "d.ttl", engine_apps.DATA), *engine_apps.SOURCES):
            done = run_in_process(["--base-iri", BASE, *where, "load", str(source)],
                                  env=engine_apps.PSEUDONYM_KEY)
            assert done.returncode == 0, done.stderr
    remote = engine_apps.remote_app(remote_oxigraph.url, "oxigraph", BASE, tmp_path / "run")
    with engine_on(tmp_path / "s", BASE) as local:
        embedded = app_client(local, tmp_path / "run-embedded", base_iri=BASE)
        engine_apps.assert_routes_alike(remote, embedded, f"{BASE}graph/d.ttl")
        assert engine_apps.canned_differences(remote, embedded, PARAMETERS) == {}
        engine_apps.assert_large_answers_whole(remote, embedded, f"{BASE}graph/platform.ttl")
        engine_apps.assert_catalog_alike(remote, embedded)
    engine_apps.assert_updates_with_the_token(remote, f"{BASE}graph/d.ttl")
    # the engine runs on past psikg's answer: this comes last, and the fixture stops it
    engine_apps.assert_timeout(engine_apps.remote_app(
        remote_oxigraph.url, "oxigraph", BASE, tmp_path / "run-1s", timeout_s=1.0), 1.0)


def test_serve_names_what_it_cannot_do_in_front_of_another_engine(remote_oxigraph: EngineProcess,
                                                                  tmp_path: Path) -> None:
    done = on(remote_oxigraph, "serve", "--get", "/health")
    assert done.returncode == 0, done.stderr
    assert "psikg serve in front of the oxigraph engine" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert json.loads(done.stdout)["engine"] == "oxigraph"


def test_a_live_serve_in_front_of_a_remote_oxigraph_starts_no_engine(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    """The supervisor and its WSGI workers, with SPARQLWrapper as the client; the engine,
    not psikg's, is left running when psikg stops."""
    assert on(remote_oxigraph, "load", write(tmp_path / "d.ttl", DATA)).returncode == 0
    token = write(tmp_path / "token", engine_apps.TOKEN)
    environment = {"PSIKG_ENGINE_URL": remote_oxigraph.url, "PSIKG_ENGINE_KIND": "oxigraph",
                   "PSIKG_BASE_IRI": BASE}
    with live_server(tmp_path / "no-store", "--update-token-file", str(token),
                     env=environment) as url:
        client = SPARQLWrapper(f"{url}/sparql")
        client.setQuery("SELECT ?o WHERE { <http://ex.example/a> <http://ex.example/open> ?o }")
        client.setReturnFormat(JSON)
        found: Any = client.queryAndConvert()
        assert found["results"]["bindings"] == [{"o": {"type": "literal", "value": "true",
                                "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]
        assert requests.get(f"{url}/health", timeout=10).json()["engine"] == "oxigraph"
        update = {"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }"}
        assert requests.post(f"{url}/sparql", data=update, timeout=10).status_code == 401
    assert remote_oxigraph.process is not None and remote_oxigraph.process.poll() is None
    assert list(tmp_path.glob("*no-store*")) == []  # no store folder, nothing announced


def test_the_list_of_graphs_is_kept_a_moment_and_read_again_after_own_writes(
        remote_oxigraph: EngineProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query reuses the list of psikg's graphs read for the one before (a round trip
    saved) until it is ``UNION_MAX_AGE_S`` old; this store's own loads read it again."""
    import graph.remote.store as remote_store

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
    first = write(tmp_path / "a.ttl", "<http://example.org/a> <http://example.org/p> 1 .\n")
    second = write(tmp_path / "b.ttl", "<http://example.org/b> <http://example.org/p> 2 .\n")
    with RemoteStore(remote_oxigraph.url, "oxigraph") as reader, \
            RemoteStore(remote_oxigraph.url, "oxigraph") as other_process:
        reader.load_files([first])
        assert int(next(iter(reader.query(count)))["n"].value) == 1  # its own load: seen
        monkeypatch.setattr(remote_store, "UNION_MAX_AGE_S", 3600.0)
        other_process.load_files([second])
        assert int(next(iter(reader.query(count)))["n"].value) == 1  # the kept list
        monkeypatch.setattr(remote_store, "UNION_MAX_AGE_S", 0.0)
        assert int(next(iter(reader.query(count)))["n"].value) == 2  # read again


def test_a_register_dropped_by_a_command_is_not_read_from_its_aggregates(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    """A command with ``--engine-url`` writes the engine without the server's count of
    writes: the server's kept answer to "are the aggregates fresh?" (and its suggestions)
    last no longer than its list of graphs, so a register dropped that way is not read
    from the aggregates it left behind."""
    where = ["--base-iri", BASE, "--engine-url", remote_oxigraph.url, "--engine-kind",
             "oxigraph"]
    loaded = run_in_process([*where, "load", str(engine_apps.SOURCES[0])],
                            env=engine_apps.PSEUDONYM_KEY)
    assert loaded.returncode == 0, loaded.stderr
    client = engine_apps.remote_app(remote_oxigraph.url, "oxigraph", BASE, tmp_path / "run")
    before = client.get("/queries/spending-by-body-year.json").json()
    assert before["psikg"]["paging"]["accelerated"] is True, before
    assert before["results"]["bindings"], before
    dropped = run_in_process([*where, "graphs", "drop", f"{BASE}graph/subsidies.csv"])
    assert dropped.returncode == 0, dropped.stderr
    time.sleep(UNION_MAX_AGE_S + 0.2)
    after = client.get("/queries/spending-by-body-year.json").json()
    assert after["psikg"]["paging"]["accelerated"] is False, after
    assert after["results"]["bindings"] == [], after

"""psikg in front of a live Virtuoso (Debian's package, started once per run by
:mod:`tests.virtuoso_server`): ``load``, ``graphs``, ``query`` and ``export`` against it,
compared with the embedded store given the same files.

Every test mints its own base IRI, so that its graphs and metadata graph are its own in
the one Virtuoso the run shares.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON
from SPARQLWrapper import SPARQLWrapper

from graph.remote import pages
from graph.remote.dialects import dialect_for
from graph.remote.protocol import SparqlProtocol
from graph.remote.store import RemoteStore
from graph.sources import Source
from tests import engine_apps
from tests.canned_cases import DEVIATIONS
from tests.canned_cases import LIST_VALUES
from tests.canned_cases import PARAMETERS
from tests.canned_cases import plain_differences
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.endpoint_server import live_server
from tests.in_process import app_client
from tests.in_process import engine_on
from tests.virtuoso_server import PAGE_ROWS
from tests.virtuoso_server import Virtuoso

Run = Callable[..., subprocess.CompletedProcess[str]]

DATA = """@prefix ex: <http://ex.example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:body ex:granted "1250.50"^^xsd:decimal , "20.0"^^xsd:decimal ;
    ex:name "Commune d'Andenne"@fr , "Gemeente Andenne"@nl ;
    ex:seat [ ex:street "Rue de l'Hôtel de Ville" ; ex:number 1 ] .
ex:other ex:granted "3"^^xsd:integer ; ex:link ex:body .
"""


@pytest.fixture
def base() -> str:
    return f"https://t{uuid.uuid4().hex[:12]}.psikg.example/"


@pytest.fixture
def on_virtuoso(virtuoso: Virtuoso, base: str) -> Run:
    """``psikg --base-iri BASE ARGS…`` with the PSIKG_ENGINE_* variables naming Virtuoso."""

    def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        return run_in_process(["--base-iri", base, *map(str, args)],
                              env={**virtuoso.environment(), **(env or {})})

    return run


@pytest.fixture
def embedded(tmp_path: Path, base: str) -> Run:
    """The same commands on an embedded store."""

    def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        return run_in_process(["--store", str(tmp_path / "store"), "--base-iri", base,
                               *map(str, args)], env=env)

    return run


def remote(virtuoso: Virtuoso, base: str) -> RemoteStore:
    return RemoteStore(virtuoso.url, "virtuoso", base, virtuoso.user, virtuoso.password)


def rows(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    """The bindings of ``psikg query``'s JSON, in their order."""
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["results"]["bindings"]
    return found


def test_the_tests_virtuoso_is_its_own(virtuoso: Virtuoso) -> None:
    """Loopback only, and the packaged password no longer opens it."""
    ini = (virtuoso.folder / "virtuoso.ini").read_text(encoding="utf-8")
    assert f"ServerPort = 127.0.0.1:{virtuoso.sql_port}" in ini
    assert virtuoso.url.startswith("http://127.0.0.1:")
    done = subprocess.run(["isql-vt", f"127.0.0.1:{virtuoso.sql_port}", "dba", "dba"],
                          input="select 1;", capture_output=True, text=True, timeout=30)
    assert "Bad login" in done.stdout + done.stderr


def test_load_graphs_query_and_export_on_virtuoso_match_the_embedded_store(
        on_virtuoso: Run, embedded: Run, tmp_path: Path, base: str) -> None:
    source = write(tmp_path / "andenne.ttl", DATA)
    for run in (on_virtuoso, embedded):
        done = run("load", source)
        assert done.returncode == 0, done.stderr
        assert f"9 triples into <{base}graph/andenne.ttl>" in done.stdout
    done = on_virtuoso("graphs")
    assert done.returncode == 0, done.stderr
    assert "works on the virtuoso engine" in done.stderr  # its limits, in one line
    listed = [line.split()[0] for line in done.stdout.splitlines()]
    assert listed == [f"{base}graph/andenne.ttl", f"{base}graph/meta"]  # no system graph
    assert "9 triples" in done.stdout.splitlines()[0]
    records = f"{base}graph/meta/validation/"  # a validation's record: a random IRI each
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o) "
             "&& ?p != prov:generatedAtTime "
             f"&& !STRSTARTS(STR(?s), '{records}') && !STRSTARTS(STR(?o), '{records}')) }} "
             "ORDER BY ?s ?p ?o")
    assert rows(on_virtuoso("query", query)) == rows(embedded("query", query))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert rows(on_virtuoso("query", count)) == rows(embedded("query", count))
    sums = ("SELECT ?s (SUM(?v) AS ?total) WHERE { ?s <http://ex.example/granted> ?v } "
            "GROUP BY ?s ORDER BY ?s")
    assert rows(on_virtuoso("query", sums)) == rows(embedded("query", sums))
    exports = [run("export", "--graph", f"{base}graph/andenne.ttl", "--format", "turtle")
               for run in (on_virtuoso, embedded)]
    assert exports[0].returncode == 0, exports[0].stderr
    assert isomorphic(rdflib.Graph().parse(data=exports[0].stdout, format="turtle"),
                      rdflib.Graph().parse(data=exports[1].stdout, format="turtle"))
    assert len(rdflib.Graph().parse(data=exports[0].stdout, format="turtle")) == 9


def test_a_query_error_and_an_unknown_graph_are_one_line(on_virtuoso: Run) -> None:
    done = on_virtuoso("query", "SELECT * WHERE { ?s ?p")
    assert done.returncode == 2
    assert "refused the query" in done.stderr and "SP030" in done.stderr
    assert "Traceback" not in done.stderr
    done = on_virtuoso("export", "--graph", "https://nowhere.example/g")
    assert done.returncode == 1
    assert "no graph https://nowhere.example/g" in done.stderr


def test_a_reload_replaces_the_graph_and_its_provenance(on_virtuoso: Run, tmp_path: Path,
                                                          base: str) -> None:
    source = write(tmp_path / "r.nt", "<http://ex.example/a> <http://ex.example/p> \"1\" .\n")
    assert on_virtuoso("load", source).returncode == 0
    write(source, "<http://ex.example/b> <http://ex.example/p> \"2\" .\n"
          "<http://ex.example/b> <http://ex.example/p> \"3\" .\n")
    assert on_virtuoso("load", source).returncode == 0
    found = rows(on_virtuoso("query", f"SELECT ?s ?o FROM <{base}graph/r.nt> "
                             "WHERE { ?s ?p ?o } ORDER BY ?o"))
    assert [(row["s"]["value"], row["o"]["value"]) for row in found] == [  # type: ignore[index]
        ("http://ex.example/b", "2"), ("http://ex.example/b", "3")]
    listed = [line for line in on_virtuoso("graphs").stdout.splitlines()
              if line.startswith(f"{base}graph/r.nt ")]
    assert len(listed) == 1
    assert " 2 triples " in listed[0]


def test_a_load_past_virtuosos_transaction_log_limit_commits_whole(
        virtuoso: Virtuoso, base: str) -> None:
    """Virtuoso aborts (SR325) a transaction whose log after-image passes its limit (50 MB,
    lowered here to 1 MB: a large register's commit meets it at a million triples). Each
    part posts within it; the commit and a drop run unlogged, each still whole. Before the
    killed load below: with the limit this low, a commit just after it timed out (SR171)."""
    graph = f"{base}graph/large.nt"
    parts = [b"".join(f"<http://ex.example/s{i}> <http://ex.example/p> \"{i}\" .\n".encode()
                      for i in range(start, start + 2_000))
             for start in range(0, 100_000, 2_000)]
    was = virtuoso.isql("select __dbf_set('txn_after_image_limit', 1000000);")
    limit = int(re.findall(r"^\d+$", was, re.MULTILINE)[0])  # the old value
    try:
        with remote(virtuoso, base) as store:
            for _ in range(2):  # a first load, then a reload (its old graph dropped too)
                store.commit(store.stage([Source(
                    origin="urn:test:large", default_graph=graph, checksum="0" * 64,
                    fmt=ox.RdfFormat.N_TRIPLES, parts=parts)]))
                assert [info.triples for info in store.graphs()
                        if info.iri == graph] == [100_000]
            store.drop_graph(graph)
            assert graph not in [info.iri for info in store.graphs()]
    finally:
        virtuoso.isql(f"select __dbf_set('txn_after_image_limit', {limit});")


def test_a_load_that_stops_before_its_commit_leaves_the_old_graph(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    old = write(tmp_path / "s.nt", "<http://ex.example/old> <http://ex.example/p> \"1\" .\n")
    with remote(virtuoso, base) as store:
        store.load_files([old])
        write(old, "<http://ex.example/new> <http://ex.example/p> \"2\" .\n")
        staged = store.stage([store.file_source(old)])  # and the process dies here
        assert staged.counts == [{f"{base}graph/s.nt": 1}]
    with remote(virtuoso, base) as store:
        subjects = {row["s"].value for row in store.query("SELECT ?s WHERE { ?s ?p ?o }")}
        assert "http://ex.example/old" in subjects
        assert "http://ex.example/new" not in subjects  # the staged graph is out of sight
        assert [info.triples for info in store.graphs() if info.iri.endswith("s.nt")] == [1]
        store.leftover_after_s = 0  # the next load takes it for a killed one
        store.load_files([write(tmp_path / "t.nt", "<http://ex.example/t> "
                                "<http://ex.example/p> \"3\" .\n")])
        left = pages.select(SparqlProtocol(virtuoso.url, dialect_for("virtuoso")),
                            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                            "FILTER(STRSTARTS(STR(?g), \"urn:psikg:staging:\")) }")
        host = base.split("//")[1].rstrip("/")  # other tests' loads are their own
        assert [row["g"].value for row in left if host in row["g"].value] == []
        assert not store.query(f"ASK {{ GRAPH <{base}graph/meta> {{ ?run "
                               "<http://www.w3.org/ns/prov#generated> ?g } }",
                               union_default_graph=False)


def test_a_killed_load_leaves_the_old_graph(virtuoso: Virtuoso, tmp_path: Path,
                                            base: str) -> None:
    """``psikg load`` killed (SIGKILL) while it writes the new version."""
    source = write(tmp_path / "k.nt", "<http://ex.example/old> <http://ex.example/p> \"1\" .\n")
    with remote(virtuoso, base) as store:
        store.load_files([source])
    write(source, "".join(f"<http://ex.example/n{i}> <http://ex.example/p> \"{i}\" .\n"
                          for i in range(300_000)))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")},
           **virtuoso.environment(), "PYTHONPATH": str(Path(__file__).parent.parent)}
    loading = subprocess.Popen([sys.executable, "-m", "psikg", "--base-iri", base, "load",
                                str(source)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    marker = (f"ASK {{ GRAPH <{base}graph/meta> {{ ?run <http://www.w3.org/ns/prov#generated> "
              "?g } }")
    with remote(virtuoso, base) as store:
        give_up = time.monotonic() + 60
        while not store.query(marker, union_default_graph=False):
            assert loading.poll() is None, "the load ended before it could be killed"
            assert time.monotonic() < give_up
            time.sleep(0.01)
        loading.send_signal(signal.SIGKILL)
        loading.wait()
        subjects = [row["s"].value for row in store.query(
            f"SELECT ?s FROM <{base}graph/k.nt> WHERE {{ ?s ?p ?o }}")]
        assert subjects == ["http://ex.example/old"]
        assert [info.triples for info in store.graphs() if info.iri.endswith("k.nt")] == [1]


def test_an_answer_virtuoso_cuts_is_an_error_and_exports_are_paged(
        on_virtuoso: Run, tmp_path: Path, base: str) -> None:
    lines = [f"<http://ex.example/s{i}> <http://ex.example/p> _:b{i % 7} .\n"
             for i in range(PAGE_ROWS + 2_345)]
    source = write(tmp_path / "big.nt", "".join(lines))
    assert on_virtuoso("load", source).returncode == 0
    done = on_virtuoso("query", "SELECT ?s WHERE { ?s ?p ?o }")
    assert done.returncode == 1
    assert f"cut the answer at its cap of {PAGE_ROWS} rows" in done.stderr
    assert len(rows(on_virtuoso("query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"))) == 10
    page = on_virtuoso("query", f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {PAGE_ROWS}")
    assert len(rows(page)) == PAGE_ROWS  # its own LIMIT: whole at the cap
    exported = on_virtuoso("export", "--graph", f"{base}graph/big.nt", "--format", "turtle")
    assert exported.returncode == 0, exported.stderr
    assert isomorphic(rdflib.Graph().parse(data=exported.stdout, format="turtle"),
                      rdflib.Graph().parse(source, format="nt"))
    whole = on_virtuoso("export", "--format", "nquads")
    assert whole.returncode == 0, whole.stderr
    assert len(whole.stdout.splitlines()) > PAGE_ROWS + 2_345


def test_answers_from_virtuoso_stream_whole_or_not_at_all(
        virtuoso: Virtuoso, on_virtuoso: Run, tmp_path: Path, base: str) -> None:
    """Through ``psikg serve``: an answer within Virtuoso's cap streams in every format,
    its blank nodes (``nodeID://``) and booleans read as the embedded store's; one past it
    is a 502 before any byte; ``--max-rows`` cuts it with its headers."""
    lines = [f"<http://ex.example/s{i}> <http://ex.example/p> "
             f"{f'_:b{i % 7}' if i % 2 else 'true'} .\n" for i in range(PAGE_ROWS + 500)]
    assert on_virtuoso("load", write(tmp_path / "big.ttl", "".join(lines))).returncode == 0
    remote = engine_apps.remote_app(virtuoso.url, "virtuoso", base, tmp_path / "run",
                                    max_rows=0)
    query = "SELECT ?s ?o WHERE { ?s <http://ex.example/p> ?o }"
    past = remote.get("/sparql", params={"query": query}, headers=engine_apps.JSON)
    assert past.status_code == 502 and f"cap of {PAGE_ROWS} rows" in past.json()["error"]
    query += f" LIMIT {PAGE_ROWS}"
    found = remote.get("/sparql", params={"query": query}, headers=engine_apps.JSON).json()
    objects = [row["o"] for row in found["results"]["bindings"]]
    assert len(objects) == PAGE_ROWS
    assert {o["value"] for o in objects if o["type"] == "literal"} == {"true"}
    assert len({o["value"] for o in objects if o["type"] == "bnode"}) == 7
    xml = remote.get("/sparql", params={"query": query},
                     headers={"Accept": "application/sparql-results+xml"})
    assert len(list(rdflib.query.Result.parse(io.BytesIO(xml.content), format="xml"))) == PAGE_ROWS
    tsv = remote.get("/sparql", params={"query": query},
                     headers={"Accept": "text/tab-separated-values"}).text
    assert tsv.count("\n") == PAGE_ROWS + 1
    assert re.search(r"\t_:b\d+\n", tsv)  # Virtuoso's nodeID://b…, as its CONSTRUCTs say
    cut = engine_apps.remote_app(virtuoso.url, "virtuoso", base, tmp_path / "run-cut",
                                 max_rows=1_000).get("/sparql", params={"query": query},
                                                     headers={"Accept": "text/csv"})
    assert cut.headers["Psikg-Truncated"] == "true" and cut.text.count("\r\n") == 1_001


def test_writes_need_the_engines_credentials(virtuoso: Virtuoso, tmp_path: Path,
                                             base: str) -> None:
    source = write(tmp_path / "c.nt", "<http://ex.example/a> <http://ex.example/p> \"1\" .\n")
    wrong = write(tmp_path / "wrong", "not-the-password\n")
    for env, said in (({"PSIKG_ENGINE_PASSWORD_FILE": str(wrong)}, "user 'dba'"),
                      ({"PSIKG_ENGINE_USER": ""}, "no user")):
        done = run_in_process(["--base-iri", base, "load", str(source)],
                              env={**virtuoso.environment(), **env})
        assert done.returncode == 2, done.stderr
        assert f"refused the update to {said}" in done.stderr
        assert "PSIKG_ENGINE_PASSWORD_FILE" in done.stderr
    with remote(virtuoso, base) as store:
        assert [info.iri for info in store.graphs()] == []


def test_the_union_of_graphs_never_sees_virtuosos_system_graphs(virtuoso: Virtuoso,
                                                               base: str) -> None:
    """A fresh Virtuoso holds thousands of system triples; an empty psikg store holds none.
    (``GRAPH ?g`` does see them on Virtuoso: docs/engines.md says why.)"""
    with remote(virtuoso, base) as store:
        assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").__next__()["n"] \
            == ox.Literal("0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        assert not store.query("ASK { ?s ?p ?o }")
        assert [info.iri for info in store.graphs()] == []
        everything = store.query("SELECT (COUNT(*) AS ?n) FROM <http://www.openlinksw.com/"
                                 "schemas/virtrdf#> WHERE { ?s ?p ?o }")
        assert int(next(iter(everything))["n"].value) > 1000  # they are there


def test_the_embedded_store_stays_the_default(tmp_path: Path) -> None:
    done = run_in_process(["--store", str(tmp_path / "s"), "graphs"])
    assert done.returncode == 0
    assert "engine" not in done.stderr
    assert (tmp_path / "s").is_dir()


def test_booleans_stay_booleans_on_virtuoso(on_virtuoso: Run, embedded: Run,
                                            tmp_path: Path, base: str) -> None:
    """Virtuoso spells a stored ``true`` ``1`` (an ``xsd:boolean`` still); psikg reads it as
    the embedded store writes it."""
    source = write(tmp_path / "flags.ttl", """@prefix ex: <http://ex.example/> .
ex:a ex:open true ; ex:count 1 ; ex:seat [ ex:public false ] .
ex:b ex:open "false"^^<http://www.w3.org/2001/XMLSchema#boolean> .
""")
    for run in (on_virtuoso, embedded):
        assert run("load", source).returncode == 0
    for query in ("SELECT ?s WHERE { ?s <http://ex.example/open> true }",
                  "SELECT ?o (DATATYPE(?o) AS ?d) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) "
                  "FILTER(?p != prov:generatedAtTime && ?p != spdx:checksumValue) } "
                  "ORDER BY STR(?d) STR(?o)"):
        assert rows(on_virtuoso("query", query)) == rows(embedded("query", query))
    exports = [run("export", "--graph", f"{base}graph/flags.ttl", "--format", "turtle")
               for run in (on_virtuoso, embedded)]
    assert isomorphic(rdflib.Graph().parse(data=exports[0].stdout, format="turtle"),
                      rdflib.Graph().parse(data=exports[1].stdout, format="turtle"))
    assert "true" in exports[0].stdout


def test_the_canned_queries_answer_alike_on_both_engines(on_virtuoso: Run,
                                                         embedded: Run) -> None:
    """Same rows, decimals and order on the sample registers, but for :data:`DEVIATIONS`;
    the ``plain`` forms (run when the aggregates are out of date) as the aggregates."""
    examples = Path(__file__).parent.parent / "examples"
    key = {"PSIKG_PSEUDONYM_KEY": "0123456789abcdef0123456789abcdef"}
    for name in ("subsidies.csv", "contracts.csv", "platform.ttl"):
        for run in (on_virtuoso, embedded):
            done = run("load", examples / name, env=key)
            assert done.returncode == 0, done.stderr
    names = sorted(path.stem for path in (examples.parent / "queries").glob("*.rq"))
    differing: set[str] = set()
    alike: list[str] = []
    for name in names:
        asked = ["queries", name, *PARAMETERS.get(name, []), "--format", "csv"]
        answers = [run(*asked) for run in (on_virtuoso, embedded)]
        assert answers[1].returncode == 0, answers[1].stderr
        if answers[0].returncode or answers[0].stdout != answers[1].stdout:
            differing.add(name)
        else:
            alike.append(name)
    assert differing == set(DEVIATIONS)
    assert len(alike) == len(names) - len(DEVIATIONS) >= 15
    for values, bodies in LIST_VALUES:  # bound in the sub-SELECT (Virtuoso's SQ156 before)
        asked = ["queries", "granted-vs-paid", *values, "--format", "csv"]
        answers = [run(*asked) for run in (on_virtuoso, embedded)]
        assert answers[0].returncode == 0, answers[0].stderr
        assert answers[0].stdout == answers[1].stdout, values
        assert len(answers[0].stdout.splitlines()) == 1 + bodies, values
    assert plain_differences(on_virtuoso, embedded) == []


def test_virtuosos_own_graphs_stay_out_of_stats_and_graph_patterns(
        on_virtuoso: Run, embedded: Run, tmp_path: Path, base: str) -> None:
    """``psikg stats`` counts classes in every graph (``GRAPH ?g``); Virtuoso's system graphs
    hold hundreds of instances. ``validate`` reads every graph of psikg's. A graph named
    by IRI that is none of psikg's matches nothing (Virtuoso would match it once, empty)."""
    source = write(tmp_path / "s.ttl", DATA + "<http://ex.example/body> a "
                   "<http://ex.example/Body> .\n")
    for run in (on_virtuoso, embedded):
        assert run("load", source).returncode == 0
    for command in ("stats", "validate"):
        done = [run(command) for run in (on_virtuoso, embedded)]
        assert done[0].returncode == done[1].returncode == 0, done[0].stderr
        assert done[0].stdout == done[1].stdout
        assert "virtrdf" not in done[0].stdout
    for query in ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/"
                  "virtrdf#> { ?s ?p ?o } }",
                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:nowhere> { ?s ?p ?o } }",
                  "SELECT ?g WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?g ORDER BY ?g",
                  "ASK { GRAPH <urn:nowhere> { ?s ?p ?o } }"):
        assert rows_or_boolean(on_virtuoso("query", query)) \
            == rows_or_boolean(embedded("query", query)), query


def rows_or_boolean(done: subprocess.CompletedProcess[str]) -> object:
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return found["boolean"] if "boolean" in found else found["results"]["bindings"]


def test_an_engine_graph_is_neither_exported_nor_dropped(on_virtuoso: Run,
                                                         virtuoso: Virtuoso) -> None:
    system = "http://www.openlinksw.com/schemas/virtrdf#"
    for args in (("graphs", "drop", system), ("export", "--graph", system)):
        done = on_virtuoso(*args)
        assert done.returncode == 1, done.stderr
        assert f"no graph {system}" in done.stderr
    rows = pages.select(SparqlProtocol(virtuoso.url, dialect_for("virtuoso")),
                        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }}")
    assert int(next(iter(rows))["n"].value) > 1000


def test_serve_in_front_of_virtuoso_answers_as_on_the_embedded_store(
        virtuoso: Virtuoso, on_virtuoso: Run, embedded: Run, tmp_path: Path, base: str) -> None:
    """Every route as on the embedded store; the canned queries' JSON but for
    :data:`DEVIATIONS`; updates with the token; the timeout, stopped in Virtuoso too."""
    for source in (write(tmp_path / "d.ttl", engine_apps.DATA), *engine_apps.SOURCES):
        for run in (on_virtuoso, embedded):
            done = run("load", source, env=engine_apps.PSEUDONYM_KEY)
            assert done.returncode == 0, done.stderr
    remote = engine_apps.remote_app(virtuoso.url, "virtuoso", base, tmp_path / "run",
                                    user=virtuoso.user, password_file=virtuoso.password_file)
    with engine_on(tmp_path / "store", base) as local:
        here = app_client(local, tmp_path / "run-embedded", base_iri=base)
        engine_apps.assert_routes_alike(remote, here, f"{base}graph/d.ttl")
        differing = engine_apps.canned_differences(remote, here, PARAMETERS)
        # sources-freshness differs by its ages, which the JSON comparison leaves out
        assert set(differing) == set(DEVIATIONS) - set(engine_apps.LOAD_TIMES)
        engine_apps.assert_large_answers_whole(  # it keeps no xsd:duration: PT30S is "30.3"
            remote, here, f"{base}graph/platform.ttl", "http://www.w3.org/2001/XMLSchema#duration")
        engine_apps.assert_catalog_alike(remote, here)
    engine_apps.assert_updates_with_the_token(remote, f"{base}graph/d.ttl")
    engine_apps.assert_timeout(engine_apps.remote_app(  # Virtuoso stops the query too
        virtuoso.url, "virtuoso", base, tmp_path / "run-1s", timeout_s=1.0), 1.0)
    cut = remote.get("/sparql", headers=engine_apps.JSON, params={  # past Virtuoso's cap
        "query": "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } LIMIT 20000"})
    assert cut.status_code == 502 and "cap" in cut.json()["error"]


def test_a_live_serve_in_front_of_virtuoso_writes_as_the_engines_user(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    """The supervisor, granian's workers, and a Graph Store write made as ``dba`` (Digest)."""
    token = write(tmp_path / "token", engine_apps.TOKEN)
    graph = f"{base}graph/live"
    with live_server(tmp_path / "no-store", "--update-token-file", str(token),
                     env={**virtuoso.environment(), "PSIKG_BASE_IRI": base}) as url:
        put = requests.put(f"{url}/store", params={"graph": graph}, data=engine_apps.DATA,
                           headers={"Content-Type": "text/turtle",
                                    "Authorization": f"Bearer {engine_apps.TOKEN}"}, timeout=30)
        assert put.status_code == 201, put.text
        found = requests.get(f"{url}/sparql", headers=engine_apps.JSON, timeout=30, params={
            "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
        assert found.json()["results"]["bindings"][0]["n"]["value"] == "8"
        many = "".join(f"<http://ex.example/s{i}> <http://ex.example/p> <urn:o{i % 3}> .\n"
                       for i in range(1_000))
        put = requests.put(f"{url}/store", params={"graph": graph + "/many"}, data=many,
                           timeout=30, headers={"Content-Type": "application/n-triples",
                           "Authorization": f"Bearer {engine_apps.TOKEN}"})
        assert put.status_code == 201, put.text
        client = SPARQLWrapper(f"{url}/sparql")  # an answer past what is sent whole
        client.setQuery(f"SELECT * WHERE {{ GRAPH <{graph}/many> {{ ?s ?p ?o }} }}")
        client.setReturnFormat(JSON)
        rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        assert len(rows) == 1_000 and len({row["o"]["value"] for row in rows}) == 3
    assert list(tmp_path.glob("*no-store*")) == []


def test_psikg_timeout_s_bounds_a_command_query_on_the_engine(on_virtuoso: Run,
                                                              tmp_path: Path) -> None:
    """``PSIKG_TIMEOUT_S`` (``--timeout-s``) reaches the commands, not only ``psikg serve``:
    a command's query that would run for hours ends at it, an error, not an answer."""
    source = write(tmp_path / "t.nt", "".join(f"<http://ex.example/s{i}> <http://ex.example/p> "
                                              f"\"{i}\" .\n" for i in range(300)))
    assert (loaded := on_virtuoso("load", source)).returncode == 0, loaded.stderr
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    done = on_virtuoso("query", endless, env={"PSIKG_TIMEOUT_S": "1"})
    assert done.returncode == 1 and "engine" in done.stderr.splitlines()[-1], done.stderr
    assert time.monotonic() - started < 20

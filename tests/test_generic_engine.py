"""psikg in front of engines of the ``generic`` kind (Query, Update and Graph Store all at
one URL, as Fuseki offers them at a dataset's URL) and of the ``graphdb`` kind (as GraphDB
offers them for a repository), each through a front that routes as that engine does
(:mod:`tests.one_url_front`) before a real ``oxigraph serve``: not Fuseki nor GraphDB
themselves, which no package here provides. The commands and ``psikg serve``'s routes
answer as on the embedded store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.engine.process import EngineProcess
from tests import engine_apps
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.in_process import app_client
from tests.in_process import engine_on
from tests.one_url_front import Route
from tests.one_url_front import fuseki_route
from tests.one_url_front import graphdb_route
from tests.one_url_front import one_url_front

BASE = "https://generic.psikg.example/"


def run(*args: str | Path, where: list[str]) -> subprocess.CompletedProcess[str]:
    return run_in_process(["--base-iri", BASE, *where, *map(str, args)],
                          env=engine_apps.PSEUDONYM_KEY)


@pytest.mark.parametrize(("kind", "route", "path"), [
    ("generic", fuseki_route("/ds"), "/ds"),
    ("graphdb", graphdb_route("/repositories/psikg"), "/repositories/psikg")])
def test_commands_and_routes_on_the_engine_answer_as_the_embedded_store(
        remote_oxigraph: EngineProcess, tmp_path: Path, kind: str, route: Route,
        path: str) -> None:
    with one_url_front(remote_oxigraph.url, route, path) as dataset:
        generic = ["--engine-url", dataset, "--engine-kind", kind]
        embedded = ["--store", str(tmp_path / "s")]
        sources = (write(tmp_path / "d.ttl", engine_apps.DATA), *engine_apps.SOURCES)
        for where in (generic, embedded):
            for source in sources:
                done = run("load", source, where=where)
                assert done.returncode == 0, done.stderr
        listed = run("graphs", "--format", "json", where=generic)
        assert f"works on the {kind} engine" in listed.stderr
        assert [(g["graph"], g["triples"]) for g in json.loads(listed.stdout)] == [
            (g["graph"], g["triples"])
            for g in json.loads(run("graphs", "--format", "json", where=embedded).stdout)]
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } " \
                "ORDER BY ?s ?p ?o LIMIT 500"
        answers = [json.loads(run("query", query, where=where).stdout)
                   for where in (generic, embedded)]
        assert answers[0] == answers[1] and len(answers[0]["results"]["bindings"]) == 500
        graph = f"{BASE}graph/d.ttl"
        exports = [rdflib.Graph().parse(data=run("export", "--graph", graph, "--format",
                                                 "turtle", where=where).stdout, format="turtle")
                   for where in (generic, embedded)]
        assert isomorphic(exports[0], exports[1]) and len(exports[0]) >= 4
        remote = engine_apps.remote_app(dataset, kind, BASE, tmp_path / "run")
        with engine_on(tmp_path / "s", BASE) as local:
            here = app_client(local, tmp_path / "run-embedded", base_iri=BASE)
            engine_apps.assert_routes_alike(remote, here, graph)
            engine_apps.assert_catalog_alike(remote, here)
        engine_apps.assert_updates_with_the_token(remote, graph)

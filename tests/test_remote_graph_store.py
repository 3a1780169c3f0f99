"""``/store`` writes through ``psikg serve`` in front of an engine it does not run, past
what one ``INSERT DATA`` can hold (Virtuoso refused 3,000 triples: ``SP031``): the body
is staged through the engine's own Graph Store and brought in by one update, with its
provenance and the aggregates' staleness marker, as on psikg's own engine.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.budget.model import CUBE
from graph.budget.model import aggregates_graph
from graph.engine.process import EngineProcess
from graph.remote import pages
from graph.remote.dialects import dialect_for
from graph.remote.protocol import SparqlProtocol
from graph.remote.store import RemoteStore
from tests import engine_apps
from tests.in_process import AppClient
from tests.virtuoso_server import Virtuoso

pytestmark = pytest.mark.slow

BASE = "https://gsp.psikg.example/"
AUTH = {"Authorization": f"Bearer {engine_apps.TOKEN}"}
TRIPLES = 5_000
SIZE = TRIPLES + TRIPLES // 20 + 2
"""The triples of :func:`body`."""


def body(count: int, tag: str) -> str:
    """Over ``count`` triples in Turtle, a blank node in every twentieth subject (rdflib's
    isomorphism check slows with their number), the same label ``_:seat`` in every body
    (two requests' blank nodes are distinct nodes)."""
    lines = ["@prefix ex: <http://ex.example/> ."]
    for i in range(count):
        lines.append(f"ex:{tag}{i} ex:seat [ ex:number {i} ] ." if i % 20 == 0
                     else f"ex:{tag}{i} ex:number {i} .")
    lines.append(f'ex:{tag} ex:label "{tag} ; quoted \\"here\\"\\n"@fr ; ex:at _:seat .')
    return "\n".join(lines) + "\n"


def stored(remote: AppClient, graph: str) -> rdflib.Graph:
    answer = remote.get("/store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200, answer.text
    return rdflib.Graph().parse(data=answer.text, format="turtle")


def write(remote: AppClient, method: str, graph: str, text: str) -> int:
    answer = remote.request(method, f"/store?graph={graph}", data=text.encode(),
                            headers={**AUTH, "Content-Type": "text/turtle"})
    assert answer.status_code in (201, 204), answer.text
    return answer.status_code


def staging_left(protocol: SparqlProtocol) -> list[str]:
    """Staging graphs of graphs under :data:`BASE` still in the engine, asked of it
    directly (the session's Virtuoso also holds what other tests' killed loads left)."""
    rows = pages.select(protocol, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                  "FILTER(STRSTARTS(STR(?g), 'urn:psikg:staging:')) }")
    return [row["g"].value for row in rows if quote(BASE, safe="") in row["g"].value]


def assert_large_writes(remote: AppClient, store: RemoteStore, protocol: SparqlProtocol
                        ) -> None:
    """PUT, POST and DELETE of a graph of :data:`TRIPLES` triples with blank nodes; each
    write leaves the graph's aggregates stale and no staging graph behind."""
    graph = f"{BASE}graph/gsp"
    summary = f"GRAPH <{aggregates_graph(graph)}> {{ <urn:summary> <{CUBE}sourceChecksum> "
    checksums = f"SELECT ?c WHERE {{ {summary} ?c }} }}"
    first, second = body(TRIPLES, "a"), body(TRIPLES, "b")
    assert write(remote, "PUT", graph, first) == 201
    expected = rdflib.Graph().parse(data=first, format="turtle")
    assert len(expected) == SIZE
    assert isomorphic(stored(remote, graph), expected)
    assert write(remote, "POST", graph, second) == 204  # appended: both bodies' nodes
    expected.parse(data=second, format="turtle")
    assert len(expected) == 2 * SIZE and isomorphic(stored(remote, graph), expected)
    store.update(f"INSERT DATA {{ {summary} 'abc' }} }}")  # aggregates made from the graph
    assert len(list(pages.select(protocol, checksums))) == 1
    assert write(remote, "PUT", graph, second) == 204  # replaced
    assert list(pages.select(protocol, checksums)) == []  # stale
    assert isomorphic(stored(remote, graph), rdflib.Graph().parse(data=second,
                                                                  format="turtle"))
    described = engine_apps.bindings(remote, (
        f"SELECT ?n WHERE {{ GRAPH <{BASE}graph/meta> {{ <{graph}> "
        "<http://rdfs.org/ns/void#triples> ?n } }"))
    assert [row["n"]["value"] for row in described] == [str(SIZE)]
    assert staging_left(protocol) == []
    assert write(remote, "PUT", graph, "@prefix ex: <http://ex.example/> .\n") == 204  # no triple
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert engine_apps.bindings(remote, count)[0]["n"]["value"] == "0"
    assert remote.delete(f"/store?graph={graph}", headers=AUTH).status_code == 204
    assert remote.get(f"/store?graph={graph}").status_code == 404
    posted = remote.post("/store", data=first.encode(),  # a new graph, named by psikg
                         headers={**AUTH, "Content-Type": "text/turtle"})
    assert posted.status_code == 201, posted.text
    named = parse_qs(urlsplit(posted.headers["Location"]).query)["graph"][0]
    assert isomorphic(stored(remote, named), rdflib.Graph().parse(data=first,
                                                                  format="turtle"))
    assert staging_left(protocol) == []


def test_large_graph_store_writes_in_front_of_virtuoso(virtuoso: Virtuoso,
                                                       tmp_path: Path) -> None:
    remote = engine_apps.remote_app(virtuoso.url, "virtuoso", BASE, tmp_path / "run",
                                    user=virtuoso.user, password_file=virtuoso.password_file)
    assert_large_writes(remote, RemoteStore(virtuoso.url, "virtuoso", BASE, virtuoso.user,
                                            virtuoso.password),
                        SparqlProtocol(virtuoso.url, dialect_for("virtuoso")))


def test_large_graph_store_writes_in_front_of_a_remote_oxigraph(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    url = remote_oxigraph.url
    remote = engine_apps.remote_app(url, "oxigraph", BASE, tmp_path / "run")
    assert_large_writes(remote, RemoteStore(url, "oxigraph", BASE),
                        SparqlProtocol(url, dialect_for("oxigraph")))

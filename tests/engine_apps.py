"""``psikg serve``'s app in front of an engine it does not run, beside the same app on the
embedded store, and the checks that both answer alike (``tests/test_virtuoso.py``,
``tests/test_remote_oxigraph.py``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import rdflib
from rdflib.compare import isomorphic

from endpoint.app import create_app
from graph.settings import Settings
from tests.in_process import BASE_URL
from tests.in_process import AppClient

DATA = """@prefix ex: <http://ex.example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:amount 1.50 , "1250.50"^^xsd:decimal ; ex:open true ; ex:name "Commune d'Andenne"@fr ;
    ex:seat [ ex:street "Grand-Place"@fr ; ex:number 1 ] .
ex:b ex:link ex:a .
"""
"""Blank nodes, decimals, a boolean and a language tag: what engines spell differently."""
TOKEN = "engine-serve-token-0123456789"
JSON = {"Accept": "application/sparql-results+json"}
FOREVER = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n2 ?o . ?p ?q ?r }")
"""A query no engine answers within a second on a few hundred triples."""
EXAMPLES = Path(__file__).parent.parent / "examples"
QUERIES = EXAMPLES.parent / "queries"
SOURCES = (EXAMPLES / "subsidies.csv", EXAMPLES / "contracts.csv", EXAMPLES / "platform.ttl")
"""What the canned queries and the catalog read, loaded beside :data:`DATA`."""
PSEUDONYM_KEY = {"PSIKG_PSEUDONYM_KEY": "0123456789abcdef0123456789abcdef"}


def remote_app(url: str, kind: str, base: str, run_dir: Path, *, user: str = "",
               password_file: Path | None = None, **options: Any) -> AppClient:
    """The app ``psikg --engine-url URL --engine-kind KIND serve`` gives its workers."""
    run_dir.mkdir(parents=True, exist_ok=True)
    token = run_dir / "token"
    token.write_text(TOKEN, encoding="utf-8")
    settings = Settings(engine_url=url, engine_kind=kind, engine_user=user,
                        engine_password_file=password_file, remote_engine=True,
                        base_iri=base, public_url=BASE_URL, run_dir=run_dir,
                        update_token_file=token, **options)
    return AppClient(create_app(settings), settings.url)


def bindings(client: AppClient, query: str) -> Any:
    answer = client.get("/sparql", params={"query": query}, headers=JSON)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]["bindings"] if "results" in answer.json() \
        else answer.json()["boolean"]


def graph_of(client: AppClient, path: str, params: dict[str, str]) -> rdflib.Graph:
    answer = client.get(path, params=params, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200, f"{path}: {answer.text}"
    return rdflib.Graph().parse(data=answer.text, format="turtle")


def assert_routes_alike(remote: AppClient, embedded: AppClient, graph: str) -> None:
    """``/sparql``, ``/store``, the pages and the service routes answer on the remote engine
    as on the embedded store, both holding :data:`DATA` in ``graph``."""
    ex = "http://ex.example/"
    for query in (f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                  "FILTER(!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o",
                  # the metadata graph differs: each store keeps its own validation records
                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                  "FILTER(!STRENDS(STR(?g), '/graph/meta')) }",
                  "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
                  f"SELECT ?s (SUM(?v) AS ?total) WHERE {{ ?s <{ex}amount> ?v }} GROUP BY ?s",
                  f"ASK {{ <{ex}a> <{ex}open> true }}", f"ASK {{ <{ex}b> <{ex}open> ?x }}",
                  f"SELECT ?street WHERE {{ <{ex}a> <{ex}seat> ?seat . ?seat ?p ?street }} "
                  "ORDER BY STR(?street)"):  # literals of two types: no order between them
        assert bindings(remote, query) == bindings(embedded, query), (
            query, bindings(remote, query), bindings(embedded, query))
    csv = [client.get("/sparql", params={"query": f"SELECT ?o WHERE {{ <{ex}a> ?p ?o "
                                         "FILTER(!isBlank(?o)) } ORDER BY STR(?o)"},
                      headers={"Accept": "text/csv"}) for client in (remote, embedded)]
    assert csv[0].text == csv[1].text, (csv[0].text, csv[1].text)
    assert "true" in csv[0].text and "1250.5" in csv[0].text
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    for path, params in (("/sparql", {"query": construct}), ("/describe", {"iri": f"{ex}a"}),
                         ("/store", {"graph": graph})):
        found = [graph_of(client, path, params) for client in (remote, embedded)]
        assert isomorphic(found[0], found[1]) and len(found[0]) >= 4, path
    assert remote.get("/store?graph=https://nowhere.example/g").status_code == 404
    for path in ("/health", "/void", "/metrics", "/catalog.json", "/queries.json",
                 "/validate?format=json", "/sparql"):
        assert (answer := remote.get(path)).status_code == 200, (path, answer.text[:600])
    refused = remote.post("/sparql", data={"update": f"INSERT DATA {{ <{ex}x> <{ex}p> 1 }}"})
    assert refused.status_code == 401
    for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                  'DEFINE get:soft "soft" SELECT * FROM <http://127.0.0.1:9/x> '
                  "WHERE { ?s ?p ?o }",  # a pragma: Virtuoso would fetch the document
                  "SELECT (bif:exec('checkpoint') AS ?x) { }"):  # SQL, as anyone
        answers = [client.get("/sparql", params={"query": query}, headers=JSON)
                   for client in (remote, embedded)]
        assert answers[0].status_code == answers[1].status_code == 400, answers[0].text
        if "DEFINE" in query:  # refused by psikg, never sent: a Virtuoso whose SPARQL
            assert "pragma" in answers[0].json()["error"]  # user may sponge would fetch it
    assert "SQL layer" in answers[0].json()["error"]  # Debian's Virtuoso runs it for anyone
    for query in ("SELECT (<bif:exec>('checkpoint') AS ?x) { }",
                  "PREFIX s: <sql:> SELECT (s:x() AS ?x) { }"):
        answer = remote.get("/sparql", params={"query": query}, headers=JSON)
        assert answer.status_code == 400 and "SQL layer" in answer.json()["error"], query
    answer = remote.post("/backup", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 501 and "psikg export" in answer.json()["error"]


def assert_large_answers_whole(remote: AppClient, embedded: AppClient, graph: str,
                               unkept: str = "") -> None:
    """Answers past the 64 KiB a route reads before its headers go out come whole.

    :param unkept: a datatype whose values the engine does not keep (then compared apart).
    """
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    for path, params in (("/store", {"graph": graph}), ("/sparql", {"query": construct})):
        answers = [client.get(path, params=params, headers={"Accept": "application/n-triples"})
                   for client in (remote, embedded)]
        assert len(answers[1].content) > 1 << 16, "the graph is too small for this check"
        found = [rdflib.Graph().parse(data=answer.text, format="nt") for answer in answers]
        if unkept:
            odd = [{(s, p) for s, p, o in triples if getattr(o, "datatype", None)
                    == rdflib.URIRef(unkept)} for triples in found]
            assert odd[0] == odd[1] != set(), "the same statements, with other values"
            for triples, pairs in zip(found, odd, strict=True):
                for subject, predicate in pairs:
                    triples.remove((subject, predicate, None))
        assert isomorphic(found[0], found[1]), path


def assert_updates_with_the_token(remote: AppClient, graph: str) -> None:
    """An update with the token is applied; psikg's staging graphs stay refused."""
    token = {"Authorization": f"Bearer {TOKEN}"}
    update = (f"INSERT DATA {{ GRAPH <{graph}> {{ <http://ex.example/c> "
              "<http://ex.example/link> <http://ex.example/a> } }")
    answer = remote.post("/sparql", data={"update": update}, headers=token)
    assert answer.status_code == 204, answer.text
    assert bindings(remote, "ASK { <http://ex.example/c> ?p ?o }") is True
    answer = remote.post("/sparql", headers=token, data={"update": update,
                                                       "using-graph-uri": graph})
    assert answer.status_code == 400 and "USING" in answer.json()["error"]
    put = f"/store?graph={graph}-put"
    answer = remote.put(put, data=DATA.encode(), headers={**token,
                                                           "Content-Type": "text/turtle"})
    assert answer.status_code == 201, answer.text
    loaded = graph_of(remote, "/store", {"graph": graph})  # DATA as a load wrote it
    loaded.remove((rdflib.URIRef("http://ex.example/c"), None, None))
    assert isomorphic(graph_of(remote, "/store", {"graph": f"{graph}-put"}), loaded)
    assert remote.put(put, data=DATA.encode(), headers={
        **token, "Content-Type": "text/turtle"}).status_code == 204  # it exists now
    assert remote.delete(put, headers=token).status_code == 204
    assert remote.get(put).status_code == 404
    answer = remote.post("/sparql", headers=token, data={
        "update": "INSERT DATA { GRAPH <urn:psikg:staging:x> { <urn:a> <urn:b> 1 } }"})
    assert answer.status_code == 403


def assert_timeout(remote: AppClient, timeout_s: float) -> None:
    """A query past the timeout is 503 near it, and the next query is answered."""
    started = time.monotonic()
    answer = remote.get("/sparql", params={"query": FOREVER}, headers=JSON)
    assert answer.status_code == 503, answer.text
    assert answer.json()["errors"][0]["type"] == "query-timeout"
    assert time.monotonic() - started < timeout_s + 3
    assert bindings(remote, "ASK { ?s ?p ?o }") is True


LOAD_TIMES = {"sources-freshness": ("loaded", "age")}
"""Columns that say when a graph was loaded: the two stores were loaded moments apart, so
these are left out, and the rows, ordered by them, compared in the graphs' order."""


def canned_differences(remote: AppClient, embedded: AppClient,
                       parameters: dict[str, list[str]]) -> dict[str, Any]:
    """The canned queries whose JSON twin (status and body, without :data:`LOAD_TIMES`)
    differs on the remote engine: what it answered, by name. Each answers 200 on the
    embedded store."""
    names = sorted(path.stem for path in QUERIES.glob("*.rq"))
    answers = [_canned_answers(client, names, parameters) for client in (remote, embedded)]
    assert {status for status, _ in answers[1].values()} == {200}
    return {name: answers[0][name] for name in names if answers[0][name] != answers[1][name]}


def assert_catalog_alike(remote: AppClient, embedded: AppClient) -> None:
    """The catalog's search page finds the same datasets of ``examples/platform.ttl``."""
    found = [client.get("/catalog.json?q=limites").json() for client in (remote, embedded)]
    assert found[0] == found[1] and found[0]["total"] >= 1


def _canned_answers(client: AppClient, names: Iterable[str],
                   parameters: dict[str, list[str]]) -> dict[str, Any]:
    """Each canned query's JSON twin (status and body), by name, without
    :data:`LOAD_TIMES`."""
    found: dict[str, Any] = {}
    for name in names:
        given = parameters.get(name, [])  # as the command line takes them: -p NAME=VALUE
        query = "&".join(given[1::2])
        answer = client.get(f"/queries/{name}.json" + (f"?{query}" if query else ""))
        body = answer.json()
        if name in LOAD_TIMES:
            rows = body["results"]["bindings"]
            for row in rows:
                for column in LOAD_TIMES[name]:
                    assert row.pop(column, None) is not None, (name, column)
            rows.sort(key=lambda row: row["graph"]["value"])
        found[name] = (answer.status_code, body)
    return found

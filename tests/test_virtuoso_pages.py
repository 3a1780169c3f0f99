"""psikg's own reads past Virtuoso's row cap (:mod:`graph.remote.pages`): the validation,
the compliance tally and dashboard of a register of 12,000 bodies, and the catalog's
search index of 10,500 datasets, on Virtuoso as on the embedded store; an engine whose cap
is below psikg's pages, and an answer that changes between pages, are errors, never short
answers.

The fixtures are :mod:`tests.test_virtuoso`'s: the run's one Virtuoso, a base IRI per test;
the register and the catalog are loaded once for the module (:func:`past_the_caps`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.errors import StoreError
from graph.namespaces import DCAT
from graph.remote import pages
from graph.remote.dialects import dialect_for
from graph.remote.protocol import JSON_RESULTS
from graph.remote.protocol import SparqlProtocol
from tests import engine_apps
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.endpoint_server import live_server
from tests.fixtures.synthetic import bodies_past_the_caps as bodies
from tests.fixtures.synthetic import catalog_past_the_caps as catalog
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on
from tests.test_virtuoso import Run
from tests.test_virtuoso import base
from tests.test_virtuoso import remote
from tests.test_virtuoso import rows
from tests.virtuoso_server import PAGE_ROWS
from tests.virtuoso_server import Virtuoso
from tests.virtuoso_server import start
from tests.virtuoso_server import stop

__all__ = ["base"]  # fixtures


TALLIES = """PREFIX psic: <https://w3id.org/psikg/compliance#>
SELECT ?article (SUM(?checked) AS ?nodes) (SUM(?failed) AS ?violations) (COUNT(?t) AS ?tallies)
WHERE { GRAPH <%sgraph/meta> { ?record psic:tally ?t . ?t psic:article ?article ;
    psic:checked ?checked ; psic:violations ?failed } } GROUP BY ?article ORDER BY ?article"""


@dataclass(frozen=True)
class Loaded:
    """The register and the catalog, loaded by ``psikg load`` on Virtuoso and on an
    embedded store under one base IRI: the commands on each."""

    on_virtuoso: Run
    embedded: Run
    base: str
    store: Path


@pytest.fixture(scope="module")
def past_the_caps(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    folder = tmp_path_factory.mktemp("past-the-caps")
    base = f"https://t{uuid.uuid4().hex[:12]}.psikg.example/"
    store = folder / "store"

    def on_virtuoso(*args: str | Path) -> Any:
        return run_in_process(["--base-iri", base, *map(str, args)],
                              env=virtuoso.environment())

    def embedded(*args: str | Path) -> Any:
        return run_in_process(["--store", str(store), "--base-iri", base, *map(str, args)])

    sources = (bodies.generate(folder / "bodies.nt"), catalog.generate(folder / "datasets.nt"))
    for run in (on_virtuoso, embedded):
        assert (loaded := run("load", *sources)).returncode == 0, loaded.stderr
    return Loaded(on_virtuoso, embedded, base, store)


@pytest.fixture
def apps(past_the_caps: Loaded, virtuoso: Virtuoso, tmp_path: Path
         ) -> Iterator[tuple[AppClient, AppClient]]:
    """``psikg serve``'s app in front of Virtuoso, and on the embedded store (whose engine
    holds the store while the test runs: the commands cannot use it meanwhile)."""
    base = past_the_caps.base
    remote = engine_apps.remote_app(virtuoso.url, "virtuoso", base, tmp_path / "run")
    with engine_on(past_the_caps.store, base) as local:
        yield remote, app_client(local, tmp_path / "run-embedded", base_iri=base)


def validation_of(run: Run, graph: str) -> dict[str, object]:
    """``psikg validate --graph GRAPH --format json``: the graph's report."""
    done = run("validate", "--graph", graph, "--format", "json")
    assert done.returncode == 1, done.stderr  # violations
    report: dict[str, object] = json.loads(done.stdout)[graph]
    return report


def test_validation_past_virtuosos_caps_reports_as_on_the_embedded_store(
        past_the_caps: Loaded) -> None:
    """12,000 public bodies: their focus nodes, the triples a SPARQL target reads and a batch
    of their neighbourhood pass Virtuoso's cap of 10,000 rows (and of 10,000 solutions of a
    CONSTRUCT). The load's validation, ``psikg validate`` and the compliance tally give the
    embedded store's report, not ``result-truncated``."""
    on_virtuoso, embedded, base = past_the_caps.on_virtuoso, past_the_caps.embedded, \
        past_the_caps.base
    graph = f"{base}graph/bodies.nt"
    tallies = [rows(run("query", TALLIES % base)) for run in (on_virtuoso, embedded)]
    recorded = [[g["validation"] for g in json.loads(run("graphs", "--format", "json").stdout)
                 if g["graph"] == graph] for run in (on_virtuoso, embedded)]
    remote_report, local_report = (validation_of(run, graph) for run in (on_virtuoso, embedded))
    assert remote_report == local_report
    violations = len(bodies.NO_KIND) + len(bodies.TWO_KINDS) + 2 * len(bodies.KIND_H)
    assert remote_report["violations"] == violations
    failing = {f"{bodies.BODY}{i:05d}" for i in (*bodies.NO_KIND, *bodies.TWO_KINDS,
                                                 *bodies.KIND_H)}
    assert {r["focus_node"] for r in remote_report["results"]} == failing  # type: ignore[attr-defined]
    assert recorded[0][0]["violations"] == recorded[1][0]["violations"] == violations
    assert tallies[0] == tallies[1]  # the load's compliance tally
    art_2 = [row for row in tallies[0] if str(row["article"]["value"]).endswith("art_2")]  # type: ignore[index]
    assert art_2 and art_2[0]["nodes"]["value"] == "12000"  # type: ignore[index]


def test_the_compliance_dashboard_past_virtuosos_cap_is_the_embedded_stores(
        apps: tuple[AppClient, AppClient]) -> None:
    """``/compliance.json`` of 12,000 public bodies (a row each in its reads of bodies and
    of tallies): every body, as on the embedded store, not ``result-truncated``; one
    body's page too."""
    remote, local = apps
    answers = [client.get("/compliance.json") for client in (remote, local)]
    assert answers[0].status_code == 200, answers[0].text[:600]
    found = [_untimed(answer.json()) for answer in answers]
    assert found[0] == found[1]
    listed = found[0]["bodies"]
    assert len(listed) == 12_000
    failing = {f"{bodies.BODY}{i:05d}" for i in (*bodies.NO_KIND, *bodies.TWO_KINDS,
                                                 *bodies.KIND_H)}
    assert {entry["iri"] for entry in listed if entry["articles"]["2"]["violations"]} == failing
    one = {"body": f"{bodies.BODY}{bodies.NO_KIND[-1]:05d}"}
    pages = [_untimed(client.get("/compliance.json", params=one).json())
             for client in (remote, local)]
    assert pages[0] == pages[1] and len(pages[0]["findings"]) == 1


def _untimed(page: dict[str, Any]) -> dict[str, Any]:
    """``page`` without what says when, or by which record, each store validated (the
    two loads ran moments apart); each body that was validated still says it was."""
    for entry in page["bodies"]:
        entry["validated"] = entry["validated"] is not None
    for point in page.get("history", ()):
        point.pop("at")
    for finding in page.get("findings", ()):
        finding.pop("record")
    return page


def test_the_catalogs_search_past_virtuosos_cap_is_the_embedded_stores(
        apps: tuple[AppClient, AppClient]) -> None:
    """The search page's index of a catalog graph of 10,500 datasets: the listing counts
    them all, a search finds the ones past the first 10,000, as on the embedded store; so
    does the DCAT feed's last page."""
    remote, local = apps
    found = {}
    for query in ("", "?q=v%C3%A9lo&page_size=100", "?sort=title&page_size=100&page=105"):
        answers = [client.get(f"/catalog.json{query}") for client in (remote, local)]
        assert answers[0].status_code == 200, answers[0].text[:600]
        assert answers[0].json() == answers[1].json(), query
        found[query] = answers[0].json()
    assert found[""]["total"] == catalog.DATASETS
    spokes = found["?q=v%C3%A9lo&page_size=100"]
    assert spokes["total"] == catalog.DATASETS // catalog.SPOKE == 21
    assert f"{catalog.DATASET}10499" in json.dumps(spokes["datasets"])
    assert len(found["?sort=title&page_size=100&page=105"]["datasets"]) == 100
    last = [client.get("/catalog.ttl", params={"page": "11", "page_size": "1000"})
            for client in (remote, local)]  # the DCAT feed's last page: datasets 10,000 on
    assert last[0].status_code == 200, last[0].text[:600]
    feeds = [rdflib.Graph().parse(data=answer.text, format="turtle") for answer in last]
    assert isomorphic(feeds[0], feeds[1])
    assert len(set(feeds[0].objects(None, rdflib.URIRef(f"{DCAT}dataset")))) == 500


def test_an_engine_that_cuts_below_psikgs_pages_fails_the_validation(tmp_path: Path) -> None:
    """A Virtuoso whose ResultSetMaxRows is below a page: ``psikg validate`` says to raise
    it, and reports nothing short."""
    cap = PAGE_ROWS // 2
    small, process = start(tmp_path / "virtuoso", max_rows=cap)
    try:
        def run(*args: str | Path) -> tuple[int, str, str]:
            done = run_in_process(["--base-iri", "https://small.psikg.example/",
                                   *map(str, args)], env=small.environment())
            return done.returncode, done.stdout, done.stderr

        loaded = run("load", bodies.generate(tmp_path / "bodies.nt", bodies=cap + 1_000))
        code, out, err = run("validate", "--graph",
                             "https://small.psikg.example/graph/bodies.nt", "--format", "json")
    finally:
        stop(small, process)
    assert loaded[0] == 0 and "validation of" in loaded[2] and "was not recorded" in loaded[2]
    assert f"cuts answers at {cap} rows" in loaded[2]  # the load's own validation
    assert code == 1 and out == ""
    assert f"cuts answers at {cap} rows, fewer than psikg's pages of {PAGE_ROWS}" in err


def test_an_answer_that_changes_between_pages_is_an_error(virtuoso: Virtuoso, tmp_path: Path,
                                                          base: str) -> None:  # noqa: F811
    """Another writer adds to the graph between two of psikg's pages: the pages no longer
    add up to the count of distinct solutions, and the read is an error."""
    store = remote(virtuoso, base)
    many = PAGE_ROWS + 500
    store.load_files([write(tmp_path / "many.nt", "".join(
        f'<http://ex.example/s{i}> <http://ex.example/p> "{i % 10}" .\n' for i in range(many)))])
    graph = f"{base}graph/many.nt"
    select = f"SELECT DISTINCT ?s FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    assert {row["s"].value for row in store.select_paged(select)} == {  # type: ignore[union-attr]
        f"http://ex.example/s{i}" for i in range(many)}
    protocol = SparqlProtocol(virtuoso.url, dialect_for("virtuoso"))
    sent: list[str] = []

    def send(text: str) -> tuple[object, str]:
        if sent:  # after the first page: another writer
            store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://ex.example/new{len(sent)}> "
                         '<http://ex.example/p> "x" } }')
        sent.append(text)
        answer = protocol.query(text, JSON_RESULTS)
        return pages.solutions(answer.body), answer.cap

    with pytest.raises(StoreError, match="changed while psikg read it") as raised:
        pages.distinct_solutions(send, select, virtuoso.url)  # type: ignore[arg-type]
    assert raised.value.type == "graph-changed" and len(sent) == 3  # two pages, the count


def test_a_graph_read_in_pages_that_overlap_is_an_error(virtuoso: Virtuoso, tmp_path: Path,
                                                       base: str) -> None:  # noqa: F811
    """Another writer removes a triple of the first page and adds one after the last: the
    count is the same, but the second page starts a triple later and skips one. The
    subject buckets see it (an export on Virtuoso under load once came out so, silently).
    IRIs past ASCII and blank nodes fall in the same buckets on both sides."""
    store = remote(virtuoso, base)
    protocol = SparqlProtocol(virtuoso.url, dialect_for("virtuoso"))
    store.load_files([write(tmp_path / "paged.nt", "".join(
        f'<http://ex.example/s{i:05d}> <http://ex.example/p> "{i}" .\n'
        for i in range(PAGE_ROWS + 500)))])
    read = pages.graph_triples(protocol, f"{base}graph/paged.nt")
    first = next(read)
    for _ in range(PAGE_ROWS - 1):
        next(read)
    # a blank node's bucket is none of an IRI's: whichever triple is skipped, they differ
    store.update(f"DELETE DATA {{ GRAPH <{base}graph/paged.nt> {{ {first} }} }} ;\n"
                 f"INSERT DATA {{ GRAPH <{base}graph/paged.nt> {{ _:added "
                 "<http://ex.example/p> \"new\" } }")
    with pytest.raises(StoreError, match="but not the same ones") as raised:
        list(read)
    assert raised.value.type == "graph-changed"
    store.load_files([write(tmp_path / "mixed.nt", "".join(
        f'<http://ex.example/é{i}> <http://ex.example/p> _:b{i} .\n_:b{i} <http://ex.example/q> '
        f'"ü{i}" .\n' for i in range(PAGE_ROWS // 2 + 100)))])
    assert len(list(pages.graph_triples(protocol, f"{base}graph/mixed.nt"))) == PAGE_ROWS + 200


def test_validation_through_a_serve_on_virtuoso_reads_past_its_caps(
        past_the_caps: Loaded, virtuoso: Virtuoso, tmp_path: Path) -> None:
    """``psikg --server URL validate`` in front of a ``psikg serve`` on Virtuoso: its reads
    go through the server's ``/sparql``, a page at a time, and give the embedded store's
    report (before: ``result-truncated``, the engine's cap reached through the server).
    Last in the module: it records one more validation on Virtuoso alone, which the
    dashboard's history would show."""
    graph = f"{past_the_caps.base}graph/bodies.nt"
    environment = {**virtuoso.environment(), "PSIKG_BASE_IRI": past_the_caps.base}
    with live_server(tmp_path / "unused-store", env=environment) as url:
        served = validation_of(lambda *args: run_in_process(
            ["--server", url, "--base-iri", past_the_caps.base, *map(str, args)]), graph)
    assert served == validation_of(past_the_caps.embedded, graph)

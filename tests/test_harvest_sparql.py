"""Harvesting a SPARQL endpoint: the real Oxigraph server (the ``oxigraph`` package) on
127.0.0.1, read through a CONSTRUCT of the DCAT-AP core sent by the one HTTP client, under
the same policy as every harvested URL (redirects, limits, refused addresses)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from loaders.harvest.sparql import DCAT_AP_CORE
from loaders.http_fetch.policy import FetchError
from loaders.http_fetch.policy import FetchPolicy
from tests.fixtures.harvest.server import PREFIXES
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route
from tests.fixtures.harvest.server import catalog_head
from tests.fixtures.harvest.server import dataset_turtle

LOCAL = HarvestPolicy(allowed_networks=("127.0.0.1",))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


BLANK_CATALOG = PREFIXES + """
<https://portal.example/catalog> a dcat:Catalog ; dct:title "Blank"@en ;
  dcat:dataset <https://portal.example/dataset/b1> , <https://portal.example/dataset/b2> .
<https://portal.example/dataset/b1> a dcat:Dataset ; dct:title "B1"@en ;
  dct:description "With a blank period and a blank contact."@en ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Service" ] ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://portal.example/b1> ] .
<https://portal.example/dataset/b2> a dcat:Dataset ; dct:title "B2"@en ;
  dct:description "Two blank periods."@en ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2021-01-01"^^xsd:date ] ,
               [ a dct:PeriodOfTime ; dcat:startDate "2022-01-01"^^xsd:date ] .
"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding 12 datasets and an unrelated triple, on a free port."""
    data = PREFIXES + catalog_head(range(12)) + "".join(dataset_turtle(n) for n in range(12))
    data += "<https://portal.example/other> <https://portal.example/p> \"not DCAT\" .\n"
    yield from _serve(tmp_path_factory.mktemp("oxigraph"), data)


@pytest.fixture
def blank_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding a catalog whose periods, contacts and distributions are
    blank nodes."""
    yield from _serve(tmp_path_factory.mktemp("oxigraph-blank"), BLANK_CATALOG)


def _serve(location: Path, data: str) -> Iterator[str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    store = ox.Store(str(location))
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "oxigraph serve exited"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sparql_endpoint_is_harvested(endpoint: str, store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("sparql", f"sparql+{endpoint}/query"), LOCAL)
        found = store.query("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH "
                            f"<{store.base_iri}graph/harvest/sparql> {{ ?d a "
                            "<http://www.w3.org/ns/dcat#Dataset> } }")
        other = store.query("ASK { <https://portal.example/other> ?p ?o }")
    assert report.status == "harvested", report.error
    assert report.datasets == 12 == int(next(iter(found))["n"].value)
    assert report.http_status == 200
    assert not bool(other)


def test_unchanged_endpoint_rewrites_nothing(endpoint: str, store_dir: Path) -> None:
    spec = SourceSpec("sparql", f"sparql+{endpoint}/query")
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        second = harvest(store, spec, LOCAL)
    assert second.status == "unchanged"


def test_endpoint_on_loopback_is_refused_by_default(endpoint: str, store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("sparql", f"sparql+{endpoint}/query"),
                         HarvestPolicy())
    assert report.error is not None and report.error.type == "private-address"


def test_endpoint_error_is_reported(endpoint: str, store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("sparql", f"sparql+{endpoint}/nowhere"), LOCAL)
    assert report.error is not None and report.error.type == "http-status"


def _put_default_graph(base: str, turtle: str) -> None:
    """Replace the server's default graph: Oxigraph mints new blank nodes for the same data."""
    request = urllib.request.Request(f"{base}/store?default", data=turtle.encode(),
                                     method="PUT", headers={"Content-Type": "text/turtle"})
    urllib.request.urlopen(request, timeout=10).close()


def _construct_body(base: str) -> bytes:
    from loaders.harvest.sparql import construct
    return construct(f"sparql+{base}/query", LOCAL).body


def test_endpoint_with_blank_nodes_is_stable(blank_endpoint: str, store_dir: Path) -> None:
    """The same statements under new blank-node labels look unchanged; a real change does not."""
    endpoint = blank_endpoint
    first_body = _construct_body(endpoint)
    spec = SourceSpec("blank", f"sparql+{endpoint}/query")
    with Store(store_dir) as store:
        first = harvest(store, spec, LOCAL)
        _put_default_graph(endpoint, BLANK_CATALOG)
        relabelled = _construct_body(endpoint)
        second = harvest(store, spec, LOCAL)
        _put_default_graph(endpoint, BLANK_CATALOG.replace('"B2"@en', '"B2 changed"@en'))
        third = harvest(store, spec, LOCAL)
    assert b"_:" in first_body and first_body != relabelled  # the raw answers differ
    assert first.status == "harvested", first.error
    assert first.datasets == 2
    assert second.status == "unchanged"
    assert third.status == "harvested", third.error


@pytest.fixture
def portal() -> Iterator[PortalServer]:
    """A plain server on 127.0.0.1 that redirects, stalls or answers as each test says."""
    with PortalServer().running() as server:
        yield server


def test_the_query_is_sent_as_the_protocol_says_and_a_moved_endpoint_is_followed(
        endpoint: str, portal: PortalServer, store_dir: Path) -> None:
    portal.routes["/old"] = Route(status=307, location=f"{endpoint}/query")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("moved", f"sparql+{portal.url('/old')}"), LOCAL)
    assert report.status == "harvested", report.error
    assert report.datasets == 12
    assert parse_qs(portal.posted["/old"][0].decode()) == {"query": [DCAT_AP_CORE]}


def test_endpoint_redirect_to_a_private_address_is_refused(portal: PortalServer,
                                                           store_dir: Path) -> None:
    # The refusal happens before any connection: 10.0.0.1 is never contacted.
    portal.routes["/sparql"] = Route(status=302, location="http://10.0.0.1/sparql")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", f"sparql+{portal.url('/sparql')}"), LOCAL)
    assert report.error is not None and report.error.type == "private-address"
    assert report.error.value == "10.0.0.1"


def test_endpoint_redirect_loops_are_bounded(portal: PortalServer, store_dir: Path) -> None:
    portal.routes["/a"] = Route(status=307, location="/b")
    portal.routes["/b"] = Route(status=307, location="/a")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", f"sparql+{portal.url('/a')}"), LOCAL)
    assert report.error is not None and report.error.type == "too-many-redirects"
    assert len(portal.posted["/a"]) == 3  # the first request and two redirects back to it


def test_endpoint_answer_over_the_size_limit_is_refused(endpoint: str,
                                                        store_dir: Path) -> None:
    policy = HarvestPolicy(fetch=FetchPolicy(max_bytes=4000), allowed_networks=("127.0.0.1",))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", f"sparql+{endpoint}/query"), policy)
    assert report.error is not None and report.error.type == "too-large"


def test_slow_endpoint_times_out(portal: PortalServer, store_dir: Path) -> None:
    portal.routes["/sparql"] = Route(body=b"<http://a.example/s> <http://a.example/p> 1 .\n",
                                     media_type="application/n-triples", delay_s=2.0)
    policy = HarvestPolicy(fetch=FetchPolicy(timeout_s=0.5), allowed_networks=("127.0.0.1",))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", f"sparql+{portal.url('/sparql')}"), policy)
    assert report.error is not None and report.error.type == "timeout"


def test_a_refused_query_carries_the_endpoint_message(endpoint: str) -> None:
    from loaders.harvest.sparql import construct
    with pytest.raises(FetchError) as raised:
        construct(f"sparql+{endpoint}/query", LOCAL, query="CONSTRUCT WHERE { nonsense")
    assert raised.value.type == "http-status" and raised.value.value == "400"
    assert str(raised.value).startswith(f"{endpoint}/query answered HTTP 400: ")
    assert len(str(raised.value)) > len(f"{endpoint}/query answered HTTP 400: ") + 10


def test_a_non_http_endpoint_is_a_bad_url(store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", "sparql+ftp://portal.example/sparql"), LOCAL)
    assert report.error is not None and report.error.type == "bad-url"

"""Harvesting a SPARQL endpoint: the real Oxigraph server (the ``oxigraph`` package) on
127.0.0.1, read with SPARQLWrapper through a CONSTRUCT of the DCAT-AP core."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from tests.fixtures.harvest.server import PREFIXES
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

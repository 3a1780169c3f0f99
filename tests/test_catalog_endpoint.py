"""``/catalog`` through Flask's test client, on an engine over a store holding the demo
platform and a harvested portal: formats by Accept and extension, Hydra paging, filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from graph.settings import EXAMPLES_DIR
from tests.endpoint_server import load
from tests.endpoint_server import psikg
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

FIXTURE = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    folder = tmp_path_factory.mktemp("catalog")
    store = folder / "store"
    load(store, EXAMPLES_DIR / "platform.ttl")
    psikg(store, "harvest", str(FIXTURE), "--name", "defects", "--no-quality")
    with engine_on(store) as engine:
        yield app_client(engine, folder / "run")


def triples(response: requests.Response, fmt: ox.RdfFormat) -> list[ox.Quad]:
    assert response.status_code == 200, response.text
    return list(ox.parse(response.content, format=fmt))


def values(quads: list[ox.Quad], predicate: str) -> list[str]:
    return sorted(q.object.value for q in quads if q.predicate.value == predicate)


def test_turtle_by_default(served: AppClient) -> None:
    response = served.get("/catalog", timeout=30)
    assert response.headers["Content-Type"].startswith("text/turtle")
    quads = triples(response, ox.RdfFormat.TURTLE)
    assert len(values(quads, DCAT + "dataset")) == 9
    assert values(quads, HYDRA + "totalItems") == ["9"]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
])
def test_formats_by_accept(served: AppClient, accept: str, fmt: ox.RdfFormat) -> None:
    response = served.get("/catalog", headers={"Accept": accept}, timeout=30)
    assert response.headers["Content-Type"].startswith(accept)
    assert values(triples(response, fmt), HYDRA + "totalItems") == ["9"]


@pytest.mark.parametrize(("extension", "fmt"), [
    ("ttl", ox.RdfFormat.TURTLE), ("rdf", ox.RdfFormat.RDF_XML),
    ("jsonld", ox.RdfFormat.JSON_LD), ("nt", ox.RdfFormat.N_TRIPLES)])
def test_formats_by_extension(served: AppClient, extension: str, fmt: ox.RdfFormat) -> None:
    response = served.get(f"/catalog.{extension}", timeout=30)
    assert values(triples(response, fmt), HYDRA + "totalItems") == ["9"]


def test_pages_follow_hydra_next_to_the_end(served: AppClient) -> None:
    url: str | None = "/catalog.ttl?page_size=4"
    seen: list[str] = []
    pages = 0
    while url:
        quads = triples(served.get(url, timeout=30), ox.RdfFormat.TURTLE)
        seen += [q.object.value for q in quads if q.predicate.value == DCAT + "dataset"]
        nexts = values(quads, HYDRA + "next")
        url = nexts[0] if nexts else None
        pages += 1
    assert pages == 3
    assert len(set(seen)) == 9


def test_modified_since(served: AppClient) -> None:
    response = served.get("/catalog?modified_since=2026-11-01", timeout=30)
    assert values(triples(response, ox.RdfFormat.TURTLE), HYDRA + "totalItems") == ["3"]


@pytest.mark.parametrize("query", ["page=0", "page_size=5000", "modified_since=yesterday",
                                   "page=two"])
def test_bad_parameters_are_400(served: AppClient, query: str) -> None:
    response = served.get(f"/catalog?{query}", timeout=30)
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_unknown_extension_and_unacceptable_type(served: AppClient) -> None:
    assert served.get("/catalog.csv", timeout=30).status_code == 400
    response = served.get("/catalog", headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 406

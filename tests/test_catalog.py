"""The platform catalog (endpoint/platform_catalog.py): pages, Hydra links, modified_since,
formats, and harvested material that cannot pass DCAT-AP 3 left out with a reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint.platform_catalog import MAX_PAGE_SIZE
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from graph.errors import UsageError
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest

FIXTURES = Path(__file__).parent / "fixtures" / "harvest"
URL = "https://data.psikg.example/catalog"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store(store_dir) as opened:
        opened.load_file(EXAMPLES_DIR / "platform.ttl")
        report = harvest(opened, SourceSpec("defects", str(FIXTURES / "defects.ttl")),
                         HarvestPolicy())
        assert report.status == "harvested"
        yield opened


def objects(page: ox.Store, subject: str | None, predicate: str) -> list[str]:
    node = ox.NamedNode(subject) if subject else None
    return sorted(q.object.value for q in page.quads_for_pattern(node, ox.NamedNode(predicate),
                                                                  None))


def test_one_page_holds_the_platform_its_datasets_and_the_harvested_portal(store: Store) -> None:
    page = platform_catalog(store, CatalogRequest(URL))
    platform = "https://data.psikg.example/platform/wallonie"
    listed = objects(page.graph, platform, DCAT + "dataset")
    [portal] = objects(page.graph, platform, DCAT + "catalog")
    assert page.total == 9 and len(page.datasets) == 9
    assert len(listed) == 6
    assert len(objects(page.graph, portal, DCAT + "dataset")) == 3
    assert objects(page.graph, URL, HYDRA + "totalItems") == ["9"]
    assert objects(page.graph, None, HYDRA + "next") == []


def test_pages_link_with_hydra_next_except_the_last(store: Store) -> None:
    seen: list[str] = []
    for number in (1, 2, 3):
        page = platform_catalog(store, CatalogRequest(URL, page=number, page_size=4))
        view = f"{URL}?page={number}&page_size=4"
        nexts = objects(page.graph, view, HYDRA + "next")
        assert nexts == ([] if number == 3 else [f"{URL}?page={number + 1}&page_size=4"])
        assert objects(page.graph, view, HYDRA + "last") == [f"{URL}?page=3&page_size=4"]
        seen += page.datasets
    assert len(seen) == len(set(seen)) == 9


def test_harvested_datasets_are_under_the_base_iri(store: Store) -> None:
    page = platform_catalog(store, CatalogRequest(URL))
    distributions = objects(page.graph, None, DCAT + "distribution")
    assert all(d.startswith("https://data.psikg.example/") for d in page.datasets)
    assert all(d.startswith("https://data.psikg.example/") for d in distributions)


def test_untitled_and_unpublishable_material_is_left_out_with_a_reason(store: Store) -> None:
    page = platform_catalog(store, CatalogRequest(URL))
    text = page.serialize(ox.RdfFormat.N_TRIPLES).decode()
    assert "sans-titre" not in text
    assert "Format maison" not in text
    reasons = {(o.path, o.reason) for o in page.omissions}
    assert ("http://purl.org/dc/terms/format",
            "a string where DCAT-AP 3 wants a dct:MediaTypeOrExtent") in reasons


def test_modified_since_filters(store: Store) -> None:
    page = platform_catalog(store, CatalogRequest(URL, modified_since="2026-11-01"))
    assert page.total == 3  # the sample's datasets modified in November 2026


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML,
                                 ox.RdfFormat.JSON_LD, ox.RdfFormat.N_TRIPLES])
def test_every_format_round_trips(store: Store, fmt: ox.RdfFormat) -> None:
    page = platform_catalog(store, CatalogRequest(URL))
    body = page.serialize(fmt, prefixes={"dcat": DCAT})
    assert len(list(ox.parse(body, format=fmt))) == len(page.graph)
    if fmt == ox.RdfFormat.JSON_LD:
        json.loads(body)


def test_byte_size_keeps_its_dcat_ap_datatype(store: Store) -> None:
    text = platform_catalog(store, CatalogRequest(URL)).serialize(ox.RdfFormat.N_TRIPLES)
    assert b'"2048"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in text


@pytest.mark.parametrize(("request_", "slug"), [
    (CatalogRequest(URL, page=0), "bad-page"),
    (CatalogRequest(URL, page_size=MAX_PAGE_SIZE + 1), "bad-page-size"),
    (CatalogRequest(URL, modified_since="last week"), "bad-date"),
])
def test_bad_requests_are_usage_errors(store: Store, request_: CatalogRequest,
                                       slug: str) -> None:
    with pytest.raises(UsageError) as caught:
        platform_catalog(store, request_)
    assert caught.value.type == slug


def test_an_empty_store_has_a_minimal_platform(store_dir: Path) -> None:
    with Store(store_dir) as store:
        page = platform_catalog(store, CatalogRequest(URL))
    assert page.total == 0
    assert objects(page.graph, "https://data.psikg.example/catalog",
                   "http://purl.org/dc/terms/title")

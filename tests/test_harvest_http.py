"""Harvesting over HTTP from a real server on 127.0.0.1: paging, conditional requests,
redirects, limits and the refusal of non-public addresses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from loaders.http_fetch.policy import FetchPolicy
from tests.conftest import RunPsikg
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route
from tests.fixtures.harvest.server import catalog_pages

LOCAL = HarvestPolicy(allowed_networks=("127.0.0.1",))
"""What the tests allow: the loopback address of the test server, nothing else private."""


@pytest.fixture
def portal() -> Iterator[PortalServer]:
    with PortalServer().running() as server:
        yield server


def serve(portal: PortalServer, pages: dict[str, bytes], **route: object) -> None:
    for path, body in pages.items():
        portal.routes[path] = Route(body=body, **route)  # type: ignore[arg-type]


def datasets_in(store: Store, name: str) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH "
                       f"<{store.base_iri}graph/harvest/{name}> {{ ?d a "
                       "<http://www.w3.org/ns/dcat#Dataset> FILTER(isIRI(?d)) } }")
    return int(next(iter(rows))["n"].value)


def test_hydra_paging_reads_every_page(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(25, 10, portal.base, "hydra"))
    spec = SourceSpec("p", portal.url("/catalog.ttl?page=1"))
    with Store(store_dir) as store:
        report = harvest(store, spec, LOCAL)
        assert datasets_in(store, "p") == 25
    assert report.status == "harvested", report.error
    assert report.datasets == 25 and len(report.pages) == 3


def test_ckan_page_parameter_paging(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(25, 10, portal.base, "page"))
    spec = SourceSpec("p", portal.url("/catalog.ttl"), paging="page")
    with Store(store_dir) as store:
        report = harvest(store, spec, LOCAL)
        assert datasets_in(store, "p") == 25
    assert report.datasets == 25
    assert len(report.pages) == 4  # three pages and the empty one that ends the catalog


def test_max_pages_stops_the_harvest(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(25, 5, portal.base, "hydra"))
    policy = HarvestPolicy(allowed_networks=("127.0.0.1",), max_pages=3)
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/catalog.ttl?page=1")), policy)
        assert not [g for g in store.graphs() if g.iri.endswith("harvest/p")]
    assert report.error is not None and report.error.type == "too-many-pages"


def test_etag_makes_the_second_harvest_a_304(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(3, 10, portal.base, "none"), etag='"v1"')
    spec = SourceSpec("p", portal.url("/catalog.ttl"))
    with Store(store_dir) as store:
        first = harvest(store, spec, LOCAL)
        second = harvest(store, spec, LOCAL)
    assert first.status == "harvested" and first.etag == '"v1"'
    assert second.status == "unchanged" and second.http_status == 304
    assert portal.conditional["/catalog.ttl"] == 1


def test_last_modified_makes_the_second_harvest_a_304(portal: PortalServer,
                                                       store_dir: Path) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    serve(portal, catalog_pages(3, 10, portal.base, "none"), last_modified=stamp)
    spec = SourceSpec("p", portal.url("/catalog.ttl"))
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        second = harvest(store, spec, LOCAL)
    assert second.status == "unchanged" and second.http_status == 304


def test_changed_source_is_harvested_again(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(3, 10, portal.base, "none"), etag='"v1"')
    spec = SourceSpec("p", portal.url("/catalog.ttl"))
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        serve(portal, catalog_pages(5, 10, portal.base, "none"), etag='"v2"')
        second = harvest(store, spec, LOCAL)
        assert datasets_in(store, "p") == 5
    assert second.status == "harvested"


@pytest.mark.parametrize("paging", ["hydra", "page"])
def test_unchanged_paged_source_costs_one_304_per_page(portal: PortalServer, store_dir: Path,
                                                      paging: str) -> None:
    pages = catalog_pages(25, 10, portal.base, paging)
    for number, (path, body) in enumerate(pages.items()):
        portal.routes[path] = Route(body=body, etag=f'"p{number}"')
    location = "/catalog.ttl?page=1" if paging == "hydra" else "/catalog.ttl"
    spec = SourceSpec("p", portal.url(location), paging=paging)
    with Store(store_dir) as store:
        first = harvest(store, spec, LOCAL)
        hits = sum(portal.hits.values())
        second = harvest(store, spec, LOCAL)
    assert first.status == "harvested", first.error
    assert second.status == "unchanged" and second.http_status == 304
    read = [urlsplit(page) for page in first.pages]
    paths = [part.path + ("?" + part.query if part.query else "") for part in read]
    assert sum(portal.hits.values()) - hits == len(paths) > 1  # one request per page
    assert all(portal.conditional[path] == 1 for path in paths)


def test_one_changed_page_makes_a_paged_source_harvested(portal: PortalServer,
                                                         store_dir: Path) -> None:
    pages = catalog_pages(25, 10, portal.base, "hydra")
    for number, (path, body) in enumerate(pages.items()):
        portal.routes[path] = Route(body=body, etag=f'"p{number}"')
    spec = SourceSpec("p", portal.url("/catalog.ttl?page=1"))
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        last = list(pages)[-1]
        portal.routes[last] = Route(body=pages[last].replace(b"Dataset 24", b"Dataset 24 bis"),
                                    etag='"changed"')
        second = harvest(store, spec, LOCAL)
    assert second.status == "harvested", second.error
    assert second.datasets == 25


def test_unchanged_paged_source_is_found_by_checksum(portal: PortalServer,
                                                     store_dir: Path) -> None:
    serve(portal, catalog_pages(25, 10, portal.base, "hydra"))
    spec = SourceSpec("p", portal.url("/catalog.ttl?page=1"))
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        before = [(g.iri, g.provenance) for g in store.graphs()]
        second = harvest(store, spec, LOCAL)
        assert [(g.iri, g.provenance) for g in store.graphs()] == before
    assert second.status == "unchanged"


def test_redirects_are_followed(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(2, 10, portal.base, "none"))
    portal.routes["/old"] = Route(status=301, location="/catalog.ttl")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/old")), LOCAL)
    assert report.status == "harvested" and report.pages == [portal.url("/catalog.ttl")]


def test_redirect_loops_are_bounded(portal: PortalServer, store_dir: Path) -> None:
    portal.routes["/a"] = Route(status=302, location="/b")
    portal.routes["/b"] = Route(status=302, location="/a")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/a")), LOCAL)
    assert report.error is not None and report.error.type == "too-many-redirects"


def test_redirect_to_a_private_address_is_refused(portal: PortalServer,
                                                  store_dir: Path) -> None:
    # The refusal happens before any connection: 10.0.0.1 is never contacted.
    portal.routes["/away"] = Route(status=302, location="http://10.0.0.1/catalog.ttl")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/away")), LOCAL)
    assert report.error is not None and report.error.type == "private-address"
    assert report.error.value == "10.0.0.1"


def test_loopback_is_refused_unless_allowed(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(2, 10, portal.base, "none"))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/catalog.ttl")), HarvestPolicy())
    assert report.error is not None and report.error.type == "private-address"
    assert portal.hits["/catalog.ttl"] == 0


def test_slow_server_times_out(portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(2, 10, portal.base, "none"), delay_s=2.0)
    policy = HarvestPolicy(fetch=FetchPolicy(timeout_s=0.5), allowed_networks=("127.0.0.1",))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/catalog.ttl")), policy)
    assert report.error is not None and report.error.type == "timeout"


@pytest.mark.parametrize("declared", [None, 0])
def test_oversize_response_is_refused(portal: PortalServer, store_dir: Path,
                                      declared: int | None) -> None:
    # Refused by its Content-Length, or while reading a body sent without one.
    serve(portal, catalog_pages(40, 100, portal.base, "none"), declared_length=declared)
    policy = HarvestPolicy(fetch=FetchPolicy(max_bytes=4000), allowed_networks=("127.0.0.1",))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/catalog.ttl")), policy)
    assert report.error is not None and report.error.type == "too-large"


def test_html_error_page_is_a_wrong_media_type(portal: PortalServer, store_dir: Path) -> None:
    portal.routes["/catalog"] = Route(body=b"<html>maintenance</html>", media_type="text/html")
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/catalog")), LOCAL)
    assert report.error is not None and report.error.type == "wrong-media-type"


def test_broken_page_fails_with_its_position_and_keeps_the_graph(
        portal: PortalServer, store_dir: Path) -> None:
    serve(portal, catalog_pages(15, 10, portal.base, "hydra"))
    spec = SourceSpec("p", portal.url("/catalog.ttl?page=1"))
    with Store(store_dir) as store:
        harvest(store, spec, LOCAL)
        portal.routes["/catalog.ttl?page=2"] = Route(body=b"@prefix x: <http://x/> .\nx:a x:b")
        report = harvest(store, spec, LOCAL)
        assert datasets_in(store, "p") == 15
    assert report.error is not None and report.error.type == "invalid-rdf"
    assert report.error.file == portal.url("/catalog.ttl?page=2") and report.error.line == 2


def test_http_error_status_fails(portal: PortalServer, store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("p", portal.url("/missing")), LOCAL)
    assert report.error is not None and report.error.type == "http-status"


def test_harvest_all_reads_the_config(portal: PortalServer, tmp_path: Path,
                                      psikg: RunPsikg) -> None:
    serve(portal, catalog_pages(3, 10, portal.base, "none"))
    config = tmp_path / "harvest.toml"
    config.write_text(f"""
[limits]
timeout_s = 5
allow_networks = ["127.0.0.1"]

[[source]]
name = "local"
url = "{portal.url('/catalog.ttl')}"

[[source]]
name = "off"
url = "{portal.url('/nothing')}"
enabled = false
""", encoding="utf-8")
    done = psikg("harvest", "--all", "--config", config)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("local: 3 datasets")
    assert "off" not in done.stdout
    done = psikg("harvest", "--source", "off", "--config", config)
    assert done.returncode == 1 and "http-status" not in done.stderr
    assert "off: failed" in done.stdout

"""The platform catalog read the way an outside harvester reads it: without psikg's ontology
or code lists. Every value a DCAT-AP 3 range constrains carries the range's class (or a
W3C/DCMI/FOAF/vCard subclass of it) on the page itself, every distribution has its access
URL, and the datasets of a dataset-inventory register are published with the rest.
``make conformance`` runs SEMIC's shapes on the same pages (``tests/conformance/catalog.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint.platform_catalog import MAX_PAGE_SIZE
from endpoint.platform_catalog import CatalogPage
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from graph.catalog_rules import RANGES
from graph.catalog_rules import SUBCLASSES
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import FOAF
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from loaders.registry import load_table

URL = "https://data.psikg.example/catalog"
DEFECTS = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
KEY = b"test-key-not-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[CatalogPage], int]]:
    """Every page of the catalog of the sample platform, its inventory register and a
    harvested portal; and how many rows of the inventory were loaded."""
    with Store(tmp_path_factory.mktemp("outside") / "store") as store:
        store.load_file(EXAMPLES_DIR / "platform.ttl")
        inventory = load_table(store, EXAMPLES_DIR / "inventory.csv",
                               EXAMPLES_DIR / "inventory-metadata.json", on_error="skip",
                               key=KEY)
        assert harvest(store, SourceSpec("defects", str(DEFECTS)),
                       HarvestPolicy()).status == "harvested"
        found = [platform_catalog(store, CatalogRequest(URL, page_size=MAX_PAGE_SIZE))]
        while found[-1].request.page < found[-1].last_page:
            found.append(platform_catalog(store, CatalogRequest(
                URL, page=found[-1].request.page + 1, page_size=MAX_PAGE_SIZE)))
        yield found, inventory.rows_loaded


def types(page: ox.Store, node: ox.NamedNode | ox.BlankNode) -> set[str]:
    return {q.object.value for q in page.quads_for_pattern(node, ox.NamedNode(RDF + "type"),
                                                           None)}


def test_every_ranged_value_has_a_class_an_outside_reader_knows(
        pages: tuple[list[CatalogPage], int]) -> None:
    """``psi:PublicBody`` is a ``foaf:Agent`` only for a reader of ``psi.ttl``: the page says
    ``foaf:Agent`` (and ``foaf:Organization``) itself."""
    untyped = []
    for page in pages[0]:
        for prop, cls in RANGES.items():
            known = {c for c in SUBCLASSES.get(cls, (cls,)) if not c.startswith(PSI)}
            for quad in page.graph.quads_for_pattern(None, ox.NamedNode(prop), None):
                value = quad.object
                if isinstance(value, ox.Literal | ox.Triple) or types(page.graph, value) & known:
                    continue
                untyped.append((prop, value.value, sorted(types(page.graph, value))))
    assert untyped == []


def test_publishers_are_foaf_agents_and_organizations(
        pages: tuple[list[CatalogPage], int]) -> None:
    publishers = {q.object for page in pages[0] for q in page.graph.quads_for_pattern(
        None, ox.NamedNode(DCT + "publisher"), None)}
    bodies = [p for p in publishers for page in pages[0]
              if PSI + "PublicBody" in types(page.graph, p)]
    assert bodies
    for page in pages[0]:
        for body in bodies:
            if PSI + "PublicBody" in types(page.graph, body):
                assert {FOAF + "Agent", FOAF + "Organization"} <= types(page.graph, body)


def test_the_inventory_datasets_are_published_with_their_access_urls(
        pages: tuple[list[CatalogPage], int]) -> None:
    found, rows = pages
    listed = [d for page in found for d in page.datasets]
    inventory = [d for d in listed if d.startswith("https://data.psikg.example/dataset/")
                 and d.rsplit("-", 1)[-1].isdigit()]  # ids like budget-2015
    assert len(inventory) == rows > 150
    assert len(listed) == len(set(listed))
    access, download = ox.NamedNode(DCAT + "accessURL"), ox.NamedNode(DCAT + "downloadURL")
    rows_distributions = {d.replace("/dataset/", "/distribution/") for d in inventory}
    for page in found:
        for quad in page.graph.quads_for_pattern(None, ox.NamedNode(RDF + "type"),
                                                 ox.NamedNode(DCAT + "Distribution")):
            urls = {q.object for q in page.graph.quads_for_pattern(quad.subject, access, None)}
            assert urls, quad.subject
            if quad.subject.value in rows_distributions:
                # The inventory gives only the download URL: it is the access URL too.
                assert urls == {q.object for q in page.graph.quads_for_pattern(
                    quad.subject, download, None)}


def test_datasets_kept_back_or_on_request_stay_out(pages: tuple[list[CatalogPage], int]) -> None:
    listed = {d for page in pages[0] for d in page.datasets}
    ds = "https://data.psikg.example/dataset/"
    assert ds + "limites-administratives" in listed
    assert not {ds + "offres-marches-publics", ds + "registres-paroissiaux"} & listed

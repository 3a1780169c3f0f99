"""The platform catalog as published (``endpoint.platform_catalog``) against DCAT-AP 3.0.1
and HVD 3.0.0, the way an outside validator reads it.

The demo data (``examples/*.ttl`` and the sample registries ``psikg demo`` loads, the
dataset inventory among them) is loaded into a temporary store, a harvested sample is
added (psikg's own defects fixture, and the real data.gov.be feeds of
``shared/realdata/dcat`` when present), and every page of the catalog is validated with
SEMIC's shapes and only the W3C, DCMI and FOAF vocabularies of the shared folder's
offline imports: neither ``psi.ttl`` nor psikg's code lists, which data.europa.eu does not
read. What the pages need to pass, they must say themselves. The adjustments of
:mod:`tests.conformance.dcat_ap` to the shapes as shipped apply. The score lines also count
the datasets published and what the catalog left out (harvested material that cannot pass).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from endpoint.platform_catalog import MAX_PAGE_SIZE
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from loaders.registry import load_table
from psikg.commands.demo import REGISTRIES
from tests.conformance import SuiteResult
from tests.conformance import dcat_ap
from tests.conformance import require

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "harvest" / "defects.ttl"
REAL = ("datagovbe_odwb.ttl", "datagovbe_gent.ttl", "datagovbe_statbelpubs.ttl")
PSEUDONYM_KEY = b"conformance-key-not-secret-0123456789abcdef"


def published(store_dir: Path, shared: Path) -> tuple[Graph, int, int]:
    """The whole catalog (all pages), the number of datasets and of omissions."""
    graph = Graph()
    datasets = omitted = 0
    with Store(store_dir) as store:
        store.load_files(sorted(EXAMPLES_DIR.glob("*.ttl")))
        for table, metadata, on_error in REGISTRIES:
            load_table(store, EXAMPLES_DIR / table, EXAMPLES_DIR / metadata,
                       on_error="skip" if on_error == "skip" else "refuse", key=PSEUDONYM_KEY)
        sources = [SourceSpec("defects", str(FIXTURE), title="Portail d'essai")]
        sources += [SourceSpec(name.removesuffix(".ttl"), str(shared / "realdata/dcat" / name))
                    for name in REAL if (shared / "realdata/dcat" / name).is_file()]
        for spec in sources:
            report = harvest(store, spec, HarvestPolicy())
            if report.error is not None:
                raise RuntimeError(report.error.one_line())
        number = 1
        while True:
            page = platform_catalog(store, CatalogRequest(
                "https://data.psikg.example/catalog", page=number, page_size=MAX_PAGE_SIZE))
            graph.parse(data=page.serialize(ox.RdfFormat.N_TRIPLES),
                        format="nt")
            datasets += len(page.datasets)
            omitted += len(page.omissions)
            if number >= page.last_page:
                return graph, datasets, omitted
            number += 1


def run(shared: Path) -> list[SuiteResult]:
    with tempfile.TemporaryDirectory() as folder:
        data, datasets, omitted = published(Path(folder) / "store", shared)
    vocabularies = outside_vocabularies(shared)
    core = dcat_ap.check_dcat_ap(shared, data, vocabularies)
    hvd = dcat_ap.check_hvd(shared, data, vocabularies)
    note = (f"{datasets} datasets published, {omitted} statements or nodes left out with a "
            "reason; read without psi.ttl or psikg's code lists")
    core.name, hvd.name = "catalog-dcat-ap-3.0.1", "catalog-dcat-ap-hvd-3.0.0"
    core.note = note
    return [core, hvd]


def outside_vocabularies(shared: Path) -> Graph:
    """The W3C, DCMI and FOAF vocabularies of the shared folder's offline imports, and
    nothing of psikg's."""
    graph = Graph()
    for path in sorted(require(shared, dcat_ap.IMPORTS).glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph

"""The platform catalog as published (``endpoint.platform_catalog``) against DCAT-AP 3.0.1
and HVD 3.0.0.

The demo data (``examples/*.ttl``) is loaded into a temporary store, a harvested
sample is added (psikg's own defects fixture, and the real data.gov.be feeds of
``shared/realdata/dcat`` when present), and every page of the catalog is
validated the way :mod:`tests.conformance.dcat_ap` validates the sample:
same shapes, same adjustments. The score lines also count what the catalog
left out (harvested material that cannot pass) and the datasets published.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from endpoint.platform_catalog import MAX_PAGE_SIZE
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from graph.settings import CODELISTS_DIR
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from tests.conformance import SuiteResult
from tests.conformance import dcat_ap

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "harvest" / "defects.ttl"
REAL = ("datagovbe_odwb.ttl", "datagovbe_gent.ttl", "datagovbe_statbelpubs.ttl")


def published(store_dir: Path, shared: Path) -> tuple[Graph, int, int]:
    """The whole catalog (all pages), the number of datasets and of omissions."""
    graph = Graph()
    datasets = omitted = 0
    with Store(store_dir) as store:
        store.load_files(sorted(EXAMPLES_DIR.glob("*.ttl")))
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
    for path in sorted(CODELISTS_DIR.glob("*.ttl")):
        data.parse(path, format="turtle")
    ontology = dcat_ap.ontology_graph(shared)
    core = dcat_ap.check_dcat_ap(shared, data, ontology)
    hvd = dcat_ap.check_hvd(shared, data, ontology)
    note = f"{datasets} datasets published, {omitted} statements or nodes left out with a reason"
    core.name, hvd.name = "catalog-dcat-ap-3.0.1", "catalog-dcat-ap-hvd-3.0.0"
    core.note = note
    return [core, hvd]

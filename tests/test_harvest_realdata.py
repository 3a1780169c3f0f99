"""Harvesting the real data.gov.be feeds of ``shared/realdata/dcat`` (``make conformance``).

These files are not in the repository: the tests are marked ``conformance`` and fail, not
skip, when the shared folder is missing (``PSIKG_SHARED``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.quality import score_harvested
from loaders.harvest.report import HarvestReport
from loaders.harvest.run import harvest
from tests.conformance import shared_dir

pytestmark = pytest.mark.conformance


def real(name: str) -> Path:
    path = shared_dir() / "realdata" / "dcat" / name
    if not path.is_file():
        pytest.fail(f"{path} not found (set PSIKG_SHARED to the shared folder)")
    return path


def harvested(store_dir: Path, name: str, **options: str) -> tuple[HarvestReport, int]:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("real", str(real(name)), **options),  # type: ignore[arg-type]
                         HarvestPolicy())
        rows = store.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH "
                           f"<{store.base_iri}graph/harvest/real> {{ ?d a "
                           "<http://www.w3.org/ns/dcat#Dataset> FILTER(isIRI(?d)) } }")
        return report, int(next(iter(rows))["n"].value)


def test_odwb_415_datasets_arrive_and_74_untitled_are_reported(store_dir: Path) -> None:
    report, stored = harvested(store_dir, "datagovbe_odwb.ttl")
    assert report.status == "harvested" and report.datasets == 415 == stored
    untitled = [p for p in report.problems if p.type == "missing-title"]
    assert len(untitled) == 74
    assert report.repairs["machine-translation-tag"] == 2043  # nl-t-fr, de-t-fr, en-t-fr
    assert report.repairs["escaped-html"] > 0


def test_gent_and_statbel_arrive_whole(store_dir: Path) -> None:
    report, stored = harvested(store_dir, "datagovbe_gent.ttl")
    assert report.datasets == 270 == stored
    report, stored = harvested(store_dir, "datagovbe_statbelpubs.ttl")
    assert report.datasets == 155 == stored


def test_ldes_page_resolves_relative_iris_against_its_url(store_dir: Path) -> None:
    report, stored = harvested(
        store_dir, "datagovbe_ldes/ldes_page_123187500_120_odwb.trig",
        base_iri="https://data.gov.be/ldes/dcat/123187500/120/index.trig")
    assert report.status == "harvested", report.error
    assert report.repairs["relative-iri"] > 0
    assert report.datasets == stored > 0


FEEDS = [("datagovbe_odwb.ttl", None), ("datagovbe_gent.ttl", None),
         ("datagovbe_statbelpubs.ttl", None),
         ("datagovbe_ldes/ldes_page_123187500_10_brussels.trig",
          "https://data.gov.be/ldes/dcat/123187500/10/index.trig"),
         ("datagovbe_ldes/ldes_page_123187500_120_odwb.trig",
          "https://data.gov.be/ldes/dcat/123187500/120/index.trig")]


@pytest.mark.parametrize(("name", "base"), FEEDS)
def test_every_real_feed_is_harvested_and_scored_without_warning(
        store_dir: Path, name: str, base: str | None) -> None:
    """Each feed as ``psikg harvest`` takes it: harvested, then scored; the time per 1,000
    datasets is printed (``-s``), never asserted (``make bench-harvest-shapes``)."""
    with Store(store_dir) as store:
        start = time.perf_counter()
        report = harvest(store, SourceSpec("real", str(real(name)), base_iri=base),
                         HarvestPolicy())
        harvested = time.perf_counter()
        scores = score_harvested(store, report)
        scored = time.perf_counter()
    per = 1000 / max(report.datasets, 1)
    print(f"{name}: {report.datasets} datasets, harvest {harvested - start:.2f} s, quality "
          f"{scored - harvested:.2f} s; {(scored - start) * per:.2f} s per 1,000 datasets")
    assert report.status == "harvested", report.error
    assert report.warnings == []
    assert len(scores) == report.datasets > 0

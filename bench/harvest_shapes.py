"""``make bench-harvest-shapes``: harvest time per 1,000 datasets on the shapes of real portals.

Each export is harvested from a file into a fresh store, then scored (MQA), as ``psikg
harvest`` does: the generated ArcGIS Hub feed (blank nodes everywhere, literals for IRIs)
and GeoNetwork DCAT-AP-VL export (services, several values per distribution) of
``tests/fixtures/harvest/portal_shapes.py``, and every DCAT file of ``realdata/dcat`` in
the shared folder when it is there (``--shared``, default ``../shared``). Prints, per
export, the wall-clock medians of ``--runs`` runs of the harvest and of the scoring, both
per 1,000 datasets, and the CPU time of both per 1,000 datasets (this process, all threads:
the figure a busy machine disturbs least).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.quality import score_harvested
from loaders.harvest.run import harvest
from tests.fixtures.harvest.portal_shapes import arcgis_hub
from tests.fixtures.harvest.portal_shapes import geonetwork_vl

LDES_BASE = "https://data.gov.be/ldes/dcat/page/index.trig"
"""The base IRI of an LDES page read from a file (its relative IRIs need one)."""


@dataclass(frozen=True)
class Export:
    name: str
    path: Path
    base_iri: str | None = None


def exports(folder: Path, shared: Path, arcgis: int, geonetwork: int) -> list[Export]:
    """The generated exports (written to ``folder``) and the real ones found in ``shared``."""
    found = [Export(f"arcgis-hub-{arcgis}", folder / "arcgis.rdf"),
             Export(f"geonetwork-vl-{geonetwork}", folder / "geonetwork.rdf")]
    found[0].path.write_bytes(arcgis_hub(arcgis))
    found[1].path.write_bytes(geonetwork_vl(geonetwork))
    real = shared / "realdata" / "dcat"
    found += [Export(path.stem, path) for path in sorted(real.glob("*.ttl"))]
    found += [Export(path.stem, path, LDES_BASE) for path in sorted(real.glob("*/*.trig"))]
    return found


def run_once(export: Export, folder: Path) -> tuple[float, float, float, int, list[str]]:
    """Harvest and score ``export`` into a fresh store (``folder`` must not exist: a store
    holding other portals adds their linking to the figures): seconds of each, CPU seconds
    of both, datasets, warnings."""
    with Store(folder) as store:
        start, cpu = time.perf_counter(), time.process_time()
        report = harvest(store, SourceSpec("bench", str(export.path),
                                           base_iri=export.base_iri), HarvestPolicy())
        harvested = time.perf_counter()
        if report.status != "harvested":
            raise SystemExit(f"{export.name}: {report.summary()}")
        score_harvested(store, report)
        scored = time.perf_counter()
        cpu = time.process_time() - cpu
    return (harvested - start, scored - harvested, cpu, report.datasets,
            [w.message for w in report.warnings])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harvest_shapes", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--arcgis", type=int, default=1_000, help="datasets of the ArcGIS feed")
    parser.add_argument("--geonetwork", type=int, default=400,
                        help="datasets of the GeoNetwork export")
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[1].parent / "shared")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for export in exports(Path(tmp), args.shared, args.arcgis, args.geonetwork):
            harvests, scores, cpus = [], [], []
            for run in range(args.runs):
                took, scoring, cpu, datasets, warnings = run_once(
                    export, Path(tmp) / f"{export.name}-{run}")
                harvests.append(took)
                scores.append(scoring)
                cpus.append(cpu)
                for warning in warnings:
                    print(f"{export.name}: warning: {warning}")
            took, scoring = statistics.median(harvests), statistics.median(scores)
            per = 1000 / max(datasets, 1)
            print(f"{export.name:>31}: {datasets:>5} datasets; harvest {took:5.2f} s, quality "
                  f"{scoring:5.2f} s; per 1,000 datasets {(took + scoring) * per:6.2f} s "
                  f"(harvest {took * per:.2f} s, quality {scoring * per:.2f} s; CPU "
                  f"{statistics.median(cpus) * per:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

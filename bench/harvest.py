"""``make bench-harvest``: harvest a generated catalog of 20,000 datasets from a local server.

Serves the catalog from 127.0.0.1 (the test server of ``tests/fixtures/harvest``) twice:
as one Turtle document with an ETag, and as Hydra pages of 1,000 datasets. For each, it
harvests into a fresh store, then harvests again unchanged, and prints the figures beside
the anchor measured in the same run: pyoxigraph's own ``bulk_load`` of the same document
into a fresh store (what "limited by the store's bulk load" is measured against).

Medians of ``--runs`` runs (default 3). Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.run import harvest
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route
from tests.fixtures.harvest.server import catalog_pages

POLICY = HarvestPolicy(allowed_networks=("127.0.0.1",))


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def bulk_load_anchor(body: bytes, folder: Path) -> float:
    store = ox.Store(str(folder))
    start = time.perf_counter()
    store.bulk_load(body, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:anchor"))
    seconds = time.perf_counter() - start
    del store  # releases the RocksDB folder before the temporary folder goes
    return seconds


def harvest_twice(url: str, paging: str, folder: Path) -> tuple[float, float, int, int]:
    with Store(folder) as store:
        spec = SourceSpec("bench", url, paging=paging)
        first, report = timed(lambda: harvest(store, spec, POLICY))
        second, again = timed(lambda: harvest(store, spec, POLICY))
    assert getattr(report, "status", None) == "harvested", getattr(report, "error", None)
    assert getattr(again, "status", None) == "unchanged"
    return first, second, int(getattr(report, "datasets", 0)), int(getattr(report, "triples", 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harvest", description=__doc__)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with PortalServer().running() as portal:
        whole = catalog_pages(args.datasets, args.page_size, portal.base, "none")
        body = whole["/catalog.ttl"]
        portal.routes["/catalog.ttl"] = Route(body=body, etag='"bench-1"')
        for path, page in catalog_pages(args.datasets, args.page_size, portal.base,
                                        "hydra", path="/paged.ttl").items():
            portal.routes[path] = Route(body=page)
        print(f"catalog: {args.datasets:,} datasets, {len(body) / 1e6:.1f} MB of Turtle; "
              f"paged: {args.datasets // args.page_size} Hydra pages of {args.page_size:,}")
        figures: dict[str, list[float]] = {}
        triples = 0
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                figures.setdefault("anchor", []).append(bulk_load_anchor(body, Path(tmp) / "a"))
                for name, url, paging in (("single", portal.url("/catalog.ttl"), "none"),
                                          ("paged", portal.url("/paged.ttl?page=1"), "hydra")):
                    first, second, count, triples = harvest_twice(url, paging, Path(tmp) / name)
                    assert count == args.datasets, count
                    figures.setdefault(f"{name}-first", []).append(first)
                    figures.setdefault(f"{name}-second", []).append(second)
    median = {key: statistics.median(values) for key, values in figures.items()}
    anchor = median["anchor"]
    print(f"anchor: pyoxigraph bulk_load of the document: {anchor:.2f} s "
          f"({args.datasets / anchor:,.0f} datasets/s)")
    for name in ("single", "paged"):
        first, second = median[f"{name}-first"], median[f"{name}-second"]
        print(f"{name:>6}: first harvest {first:.2f} s = {args.datasets / first:,.0f} datasets/s "
              f"({triples:,} triples; {first / anchor:.1f}x the bulk load); "
              f"unchanged re-harvest {second:.3f} s = {second / first:.1%} of the first")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench-harvest``: harvest a generated catalog of 20,000 datasets from a local server.

Serves the catalog from 127.0.0.1 (the test server of ``tests/fixtures/harvest``) twice:
as one Turtle document with an ETag, and as Hydra pages of 1,000 datasets, each with its
own ETag. For each, it harvests into a fresh store, then harvests again unchanged (the
paged catalog: one conditional request per page, answered 304), and prints the figures
beside two anchors measured in the same run: pyoxigraph's own ``bulk_load`` of the same
document into a fresh store (what "limited by the store's bulk load" is measured against),
and the store's own work for a load that then answers queries fast: ``bulk_load`` into a
store that already holds a graph (every psikg store holds its metadata graph), then
``optimize()``. On an empty store ``optimize()`` finds nothing to compact, so that second
anchor would be the first one again.
The paged catalog is then asked a third time with its pages' ETags gone, which measures
the fallback: every page fetched and re-hashed, not parsed.

Wall-clock medians of ``--runs`` runs (default 3), and CPU time (this process, all
threads: the figure a busy machine disturbs least). Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
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


CPU: dict[str, list[float]] = {}
"""CPU seconds by figure name, beside the wall-clock figures."""


def timed(action: Callable[[], object], name: str = "") -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    if name:
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def bulk_load_anchor(body: bytes, folder: Path) -> float:
    store = ox.Store(str(folder))
    start, cpu = time.perf_counter(), time.process_time()
    store.bulk_load(body, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:anchor"))
    seconds = time.perf_counter() - start
    CPU.setdefault("anchor", []).append(time.process_time() - cpu)
    del store  # releases the RocksDB folder before the temporary folder goes
    return seconds


def store_work_anchor(body: bytes, folder: Path) -> float:
    """``bulk_load`` into a store holding one small graph, then ``optimize()``."""
    store = ox.Store(str(folder))
    store.update("INSERT DATA { GRAPH <urn:anchor:meta> { <urn:anchor> <urn:loaded> 1 } }")
    start, cpu = time.perf_counter(), time.process_time()
    store.bulk_load(body, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:anchor"))
    store.optimize()
    seconds = time.perf_counter() - start
    CPU.setdefault("store-work", []).append(time.process_time() - cpu)
    del store
    return seconds


def profile_first_harvest(url: str, folder: Path, lines: int) -> None:
    """Print where one first harvest of the document spends its CPU time (this process, all
    threads), the functions and pyoxigraph calls with the most time of their own first."""
    print("profile of one first harvest of the document (CPU seconds):")
    profile = cProfile.Profile(time.process_time)
    with Store(folder) as store:
        profile.runcall(harvest, store, SourceSpec("bench", url), POLICY)
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(lines)


PHASES = (
    ("_collect", "fetch and parse into the in-memory working graph"),
    ("_prepare", "repairs, counts, local IRIs"),
    ("_bulk_load_parts", "store loads the parts (two at a time)"),
    ("_store_parts", "  of which: dump, renaming, range types (this thread, beside the loads)"),
    ("_count", "store counts what it staged (beside its compaction)"),
    ("_finish_compaction", "waiting for the store's compaction to end"),
    ("relink", "links to other portals"),
)


def phases_of_first_harvest(url: str, folder: Path) -> None:
    """Print where one first harvest of the document spends its wall-clock time, step by
    step, as seen from the harvesting thread: what the store does in its worker threads
    shows as the time this thread waits for it."""
    profile = cProfile.Profile(time.perf_counter)
    with Store(folder) as store:
        start = time.perf_counter()
        profile.runcall(harvest, store, SourceSpec("bench", url), POLICY)
        total = time.perf_counter() - start
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = (
        pstats.Stats(profile).stats)  # type: ignore[attr-defined]
    print(f"phases of one first harvest of the document (wall-clock, {total:.2f} s in all):")
    for function, what in PHASES:
        seconds = sum(row[3] for key, row in stats.items() if key[2] == function)
        print(f"  {seconds:5.2f} s  {seconds / total:4.0%}  {what}")


def harvest_twice(url: str, paging: str, folder: Path, name: str,
                  without_validators: Callable[[], None] | None = None,
                  ) -> tuple[float, float, float | None, int, int]:
    """First and unchanged harvest; with ``without_validators``, a third unchanged harvest
    after it ran (the re-hash fallback)."""
    third: float | None = None
    with Store(folder) as store:
        spec = SourceSpec("bench", url, paging=paging)
        first, report = timed(lambda: harvest(store, spec, POLICY), f"{name}-first")
        second, again = timed(lambda: harvest(store, spec, POLICY))
        if without_validators is not None:
            without_validators()
            third, rehashed = timed(lambda: harvest(store, spec, POLICY))
            assert getattr(rehashed, "status", None) == "unchanged"
    assert getattr(report, "status", None) == "harvested", getattr(report, "error", None)
    assert getattr(again, "status", None) == "unchanged"
    assert paging == "none" or getattr(again, "http_status", None) == 304
    return (first, second, third, int(getattr(report, "datasets", 0)),
            int(getattr(report, "triples", 0)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harvest", description=__doc__)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="LINES",
                        help="also profile one first harvest of the document and print its "
                             "LINES most expensive functions (CPU time)")
    parser.add_argument("--phases", action="store_true",
                        help="also print the wall-clock time of each step of one first harvest")
    args = parser.parse_args(argv)
    with PortalServer().running() as portal:
        whole = catalog_pages(args.datasets, args.page_size, portal.base, "none")
        body = whole["/catalog.ttl"]
        portal.routes["/catalog.ttl"] = Route(body=body, etag='"bench-1"')
        paged = catalog_pages(args.datasets, args.page_size, portal.base, "hydra",
                              path="/paged.ttl")

        def with_etags() -> None:
            for number, (path, page) in enumerate(paged.items()):
                portal.routes[path] = Route(body=page, etag=f'"page-{number}"')

        def without_etags() -> None:
            for path, page in paged.items():
                portal.routes[path] = Route(body=page)
        print(f"catalog: {args.datasets:,} datasets, {len(body) / 1e6:.1f} MB of Turtle; "
              f"paged: {args.datasets // args.page_size} Hydra pages of {args.page_size:,}")
        figures: dict[str, list[float]] = {}
        triples = 0
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                figures.setdefault("anchor", []).append(bulk_load_anchor(body, Path(tmp) / "a"))
                figures.setdefault("store-work", []).append(
                    store_work_anchor(body, Path(tmp) / "w"))
                for name, url, paging in (("single", portal.url("/catalog.ttl"), "none"),
                                          ("paged", portal.url("/paged.ttl?page=1"), "hydra")):
                    with_etags()
                    first, second, third, count, triples = harvest_twice(
                        url, paging, Path(tmp) / name, name,
                        without_etags if paging == "hydra" else None)
                    assert count == args.datasets, count
                    figures.setdefault(f"{name}-first", []).append(first)
                    figures.setdefault(f"{name}-second", []).append(second)
                    if third is not None:
                        figures.setdefault(f"{name}-rehash", []).append(third)
        if args.profile:
            with tempfile.TemporaryDirectory() as tmp:
                profile_first_harvest(portal.url("/catalog.ttl"), Path(tmp) / "p", args.profile)
        if args.phases:
            with tempfile.TemporaryDirectory() as tmp:
                phases_of_first_harvest(portal.url("/catalog.ttl"), Path(tmp) / "p")
    median = {key: statistics.median(values) for key, values in figures.items()}
    cpu = {key: statistics.median(values) for key, values in CPU.items()}
    anchor, store_work = median["anchor"], median["store-work"]
    print(f"anchor: pyoxigraph bulk_load of the document: {anchor:.2f} s "
          f"({args.datasets / anchor:,.0f} datasets/s; CPU {cpu['anchor']:.2f} s)")
    print(f"anchor: the store's own work (bulk_load into a store holding a graph, then "
          f"optimize): {store_work:.2f} s (CPU {cpu['store-work']:.2f} s)")
    for name in ("single", "paged"):
        first, second = median[f"{name}-first"], median[f"{name}-second"]
        first_cpu = cpu[f"{name}-first"]
        print(f"{name:>6}: first harvest {first:.2f} s = {args.datasets / first:,.0f} datasets/s "
              f"({triples:,} triples; {first / anchor:.2f}x the bulk load, "
              f"{first / store_work:.2f}x the store's work; CPU {first_cpu:.2f} s = "
              f"{first_cpu / cpu['anchor']:.2f}x, {first_cpu / cpu['store-work']:.2f}x); "
              f"unchanged re-harvest {second:.3f} s = {second / first:.1%} of the first")
    rehash = median["paged-rehash"]
    print(f" paged: unchanged, pages without ETags (fetched and re-hashed): {rehash:.3f} s = "
          f"{rehash / median['paged-first']:.1%} of the first; with ETags (one 304 per page): "
          f"{median['paged-second']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

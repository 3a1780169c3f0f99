"""``make bench-queries``: budget canned queries on a large subsidies registry, through psikg
and as plain SPARQL on pyoxigraph, side by side in one run.

It writes a seeded registry of ``--rows`` subsidies as N-Triples
(``tests/fixtures/synthetic/budget_triples.py``) with the same IRIs and properties the
registry loader writes (examples/subsidies-metadata.json), split by budget year over
``--registers`` files that each describe their beneficiaries again (as yearly
registers do, so that an entity is held by several graphs), stages them in a
fresh store, adds the aggregates with the same hook the loader calls
(:func:`graph.budget.staging.with_aggregates`) and commits both in one transaction. The CSVW
conversion itself is not what is measured here, so it is skipped.

For each budget query and several parameter values it prints the first answer after the
commit, the median through psikg (:func:`graph.canned.run.run`), the median of the plain
SPARQL the query stands for on the same store (in a child process, stopped after
``--plain-timeout`` seconds: "> T s"), and their ratio. Then it starts ``psikg serve`` on
the store (127.0.0.1) and prints the median of a cheap canned query's bare results
(``/queries/NAME.srj``) and of its JSON page against the same bound query sent to
``/sparql`` with the same ``Accept``, and the overheads. Usage::

    python bench/queries.py --rows 1000000 [--registers 6] [--repeat 5] [--plain-repeat 3]
        [--plain-timeout 120] [--http-repeat 300] [--only-psikg] [--store DIR]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from multiprocessing import Process
from multiprocessing import Queue
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import free_port  # noqa: E402
from bench.endpoint import stop  # noqa: E402
from graph.budget.staging import with_aggregates  # noqa: E402
from graph.budget.tally import Tally  # noqa: E402
from graph.budget.tally import tapped  # noqa: E402
from graph.canned.binding import bind  # noqa: E402
from graph.canned.binding import page  # noqa: E402
from graph.canned.library import load_library  # noqa: E402
from graph.canned.run import MAX_UNPAGED_ROWS  # noqa: E402
from graph.canned.run import StoreExecutor  # noqa: E402
from graph.canned.run import check_values  # noqa: E402
from graph.canned.run import run  # noqa: E402
from graph.settings import QUERIES_DIR  # noqa: E402
from graph.sources import Source  # noqa: E402
from graph.sources import sha256_of  # noqa: E402
from graph.store import Store  # noqa: E402
from tests.fixtures.synthetic.budget_triples import generate  # noqa: E402

BASE = "https://data.psikg.example/"


def timed(call: object, repeat: int) -> tuple[float, float]:
    """(first, median) seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times)


def _plain_child(path: str, text: str, repeat: int, out: Queue) -> None:  # type: ignore[type-arg]
    store = Store(Path(path))
    try:
        out.put(timed(lambda: list(store.query(text)), repeat)[1])
    finally:
        store.close()


def plain_median(path: Path, text: str, repeat: int, timeout: float) -> float | None:
    """The median of the plain SPARQL on the closed store at ``path``, in a child process
    stopped after ``timeout`` seconds (``None`` then): minutes a query at 1M rows."""
    out: Queue = Queue()  # type: ignore[type-arg]
    child = Process(target=_plain_child, args=(str(path), text, repeat, out))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return out.get() if not out.empty() else None


def http_overhead(store: Path, name: str, values: dict[str, list[str]], text: str,
                  repeat: int) -> str:
    """Medians of a canned query's bare results (``.srj``), of its JSON page, and of its
    bound SPARQL sent to /sparql, over HTTP against a live ``psikg serve`` on 127.0.0.1
    (same keep-alive client, same Accept; whether ``.srj`` and /sparql sent the same bytes)."""
    port = free_port()
    command = [sys.executable, "-m", "psikg", "--store", str(store), "serve", "--host",
               "127.0.0.1", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        deadline = time.monotonic() + 180
        while True:
            try:
                connection.request("GET", "/queries.json")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    break
            except OSError:
                connection.close()
            if server.poll() is not None or time.monotonic() > deadline:
                error = server.stderr.read().decode() if server.stderr else ""
                return f"psikg serve did not start: {error[-500:]}"
            time.sleep(0.5)
        accept = {"Accept": "application/sparql-results+json"}
        arguments = urllib.parse.urlencode([(k, v) for k, vs in values.items() for v in vs])
        bare = f"/queries/{name}.srj?" + arguments
        page = f"/queries/{name}.json?" + arguments
        sparql = "/sparql?" + urllib.parse.urlencode({"query": text})

        def get(path: str) -> bytes:
            connection.request("GET", path, headers=accept)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{path[:80]}: HTTP {response.status} {body[:200]!r}")
            return body

        for _ in range(5):
            for path in (bare, page, sparql):
                get(path)
        same = get(bare) == get(sparql)
        times: dict[str, list[float]] = {bare: [], page: [], sparql: []}
        for _ in range(repeat):  # interleaved, so that the machine's load weighs on all alike
            for path, measured in times.items():
                start = time.perf_counter()
                get(path)
                measured.append(time.perf_counter() - start)
        a, j, b = (statistics.median(times[p]) for p in (bare, page, sparql))
        return (f"{name} over HTTP, {repeat} requests each, Accept {accept['Accept']}:\n"
                f"  /sparql (the bound query) p50 {b * 1000:.2f} ms\n"
                f"  /queries/{name}.srj p50 {a * 1000:.2f} ms, overhead "
                f"{(a / b - 1) * 100:+.1f}% (same bytes as /sparql: {'yes' if same else 'no'})\n"
                f"  /queries/{name}.json (the page, with labels) p50 {j * 1000:.2f} ms, "
                f"overhead {(j / b - 1) * 100:+.1f}%")
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--plain-repeat", type=int, default=3)
    parser.add_argument("--plain-timeout", type=float, default=120,
                        help="seconds a plain query may take before '> T s' is printed")
    parser.add_argument("--http-repeat", type=int, default=300,
                        help="requests of each kind for the HTTP overhead (0: skip it)")
    parser.add_argument("--registers", type=int, default=1,
                        help="split the rows by budget year over this many registers, each "
                             "its own graph describing its beneficiaries again")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--only-psikg", action="store_true",
                        help="skip the plain SPARQL (minutes a query at 1M rows)")
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="psikg-bench-queries-"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    paths = [folder / f"subsidies-{index + 1}.nt" for index in range(args.registers)]
    start = time.perf_counter()
    picks = generate(paths, args.rows)
    print(f"generated {args.rows} subsidies in {len(paths)} register(s) in "
          f"{time.perf_counter() - start:.1f} s")
    store = Store(folder / "store")
    start = time.perf_counter()
    tallies = {BASE + f"graph/{path.name}": Tally() for path in paths}
    raws = [path.open("rb") for path in paths]
    try:
        staged = store.stage([
            Source(origin=path.resolve().as_uri(), fmt=ox.RdfFormat.N_TRIPLES,
                   default_graph=graph, stream=tapped(raw, tally), checksum=sha256_of(path))
            for path, raw, (graph, tally) in zip(paths, raws, tallies.items(), strict=True)])
    finally:
        for raw in raws:
            raw.close()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    summaries = {graph: tally.summary() for graph, tally in tallies.items()}
    summed = time.perf_counter() - start
    start = time.perf_counter()
    staged = with_aggregates(store, staged, summaries)
    aggregated = time.perf_counter() - start
    start = time.perf_counter()
    results = store.commit(staged)
    committed = time.perf_counter() - start
    print(f"bulk load with the tally {loaded:.1f} s, tally summed {summed:.1f} s, aggregates "
          f"written and staged {aggregated:.1f} s, commit (+optimize) {committed:.1f} s; "
          f"{sum(r.triples for r in results)} triples in {len(results)} graph(s)")
    library = load_library(QUERIES_DIR)
    executor = StoreExecutor(store)
    cases = [
        ("spending-by-body-year", {}), ("spending-by-body-year", {"year": ["2020"]}),
        ("spending-by-body-year", {"body": [picks["body"]], "year": ["2019", "2024"]}),
        ("top-beneficiaries", {}), ("top-beneficiaries", {"from": ["2018"], "to": ["2021"]}),
        ("subsidies-by-municipality", {}), ("subsidies-by-municipality", {"year": ["2025"]}),
        ("subsidies-by-municipality", {"year": ["2019", "2020"], "lang": ["nl"]}),
        ("year-over-year", {"year": ["2025"]}), ("granted-vs-paid", {}),
        ("granted-vs-paid", {"year": ["2017"]}),
        ("beneficiary-profile", {"enterprise_number": [picks["top_enterprise"]]}),
        ("beneficiary-profile", {"enterprise_number": [picks["mid_enterprise"]]}),
        ("beneficiary-profile", {"enterprise_number": [picks["small_enterprise"]]}),
    ]
    measured = []
    for name, values in cases:
        query = library[name]
        first, median = timed(lambda q=query, v=values: run(q, executor, v), args.repeat)
        sparql = query.plain or query.query
        text = bind(sparql.text, sparql.shape, check_values(query, values))
        measured.append((name, values, first, median, text))
    cheap = run(library["top-beneficiaries"], executor, {"from": ["2018"], "to": ["2021"]})
    cheap_text = page(cheap.sparql, MAX_UNPAGED_ROWS + 1, 0)
    store.close()
    print(f"\n{'query':27} {'values':42} {'first':>8} {'psikg p50':>10} {'plain p50':>10} "
          f"{'ratio':>8}")
    for name, values, first, median, text in measured:
        shown = ",".join(f"{k}={'|'.join(v)}" for k, v in values.items())[-42:]
        if args.only_psikg:
            print(f"{name:27} {shown:42} {first:8.3f} {median:10.4f} {'-':>10} {'-':>8}")
            continue
        plain = plain_median(folder / "store", text, args.plain_repeat, args.plain_timeout)
        if plain is None:
            limit = f"> {args.plain_timeout:g} s"
            print(f"{name:27} {shown:42} {first:8.3f} {median:10.4f} {limit:>10} "
                  f"{'> ' + format(args.plain_timeout / median, '.0f') + 'x':>8}")
        else:
            print(f"{name:27} {shown:42} {first:8.3f} {median:10.4f} {plain:10.3f} "
                  f"{plain / median:7.0f}x")
    if args.http_repeat:
        print("\n" + http_overhead(folder / "store", "top-beneficiaries",
                                   {"from": ["2018"], "to": ["2021"]}, cheap_text,
                                   args.http_repeat))
    if args.store is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

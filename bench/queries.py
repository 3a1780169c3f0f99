"""``make bench-queries``: budget canned queries on a large subsidies registry, through psikg
and as plain SPARQL on pyoxigraph, side by side in one run.

It writes a seeded registry of ``--rows`` subsidies as N-Triples with the same IRIs and
properties the registry loader writes (examples/subsidies-metadata.json), stages it in a
fresh store, adds the aggregates with the same hook the loader calls
(:func:`graph.canned.cube.with_aggregates`) and commits both in one transaction. The CSVW
conversion itself is not what is measured here, so it is skipped.

For each budget query and several parameter values it prints the first answer after the
commit, the median through psikg (:func:`graph.canned.run.run`), the median of the plain
SPARQL the query stands for on the same store, and their ratio. Usage::

    python bench/queries.py --rows 1000000 [--repeat 5] [--plain-repeat 3] [--store DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.canned.aggregates_tap import Tally  # noqa: E402
from graph.canned.aggregates_tap import tapped  # noqa: E402
from graph.canned.binding import bind  # noqa: E402
from graph.canned.cube import with_aggregates  # noqa: E402
from graph.canned.library import load_library  # noqa: E402
from graph.canned.run import StoreExecutor  # noqa: E402
from graph.canned.run import check_values  # noqa: E402
from graph.canned.run import run  # noqa: E402
from graph.settings import QUERIES_DIR  # noqa: E402
from graph.store import Source  # noqa: E402
from graph.store import Store  # noqa: E402
from graph.store import sha256_of  # noqa: E402

BASE = "https://data.psikg.example/"
S = "https://schema.org/"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"


def generate(path: Path, rows: int, seed: int = 20221124) -> dict[str, str]:
    """Write ``rows`` subsidies as N-Triples; some parameter values worth trying."""
    rng = random.Random(seed)
    bodies = [f"{BASE}public-body/0{rng.randrange(10**8, 10**9)}" for _ in range(30)]
    beneficiaries = max(50, rows // 40)
    municipalities = [f"http://vocab.belgif.be/auth/refnis2019/{c}"
                      for c in sorted({rng.randrange(11001, 93090) for _ in range(580)})]
    weights = [1 / (i + 1) ** 0.8 for i in range(beneficiaries)]
    numbers = [kbo(2_000_000 + b) for b in range(beneficiaries)]
    chosen = rng.choices(range(beneficiaries), weights=weights, k=rows)
    with path.open("w", encoding="utf-8") as out:
        for b in range(beneficiaries):
            out.write(f"<{BASE}beneficiary/b{b}> <{S}name> \"Bénéficiaire {b}\" .\n"
                      f"<{BASE}beneficiary/b{b}> <{S}taxID> \"{numbers[b]}\" .\n")
        for i in range(rows):
            grant = f"<{BASE}subsidy/SUB-{i:07d}>"
            year = 2016 + rng.randrange(10)
            granted = rng.randrange(100, 5_000_000) / 100
            out.write(
                f"{grant} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}MonetaryGrant> .\n"
                f"{grant} <http://purl.org/dc/terms/identifier> \"SUB-{i:07d}\" .\n"
                f"{grant} <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear> "
                f"<http://reference.data.gov.uk/id/year/{year}> .\n"
                f"{grant} <{S}funder> <{rng.choice(bodies)}> .\n"
                f"{grant} <{S}fundedItem> <{BASE}beneficiary/b{chosen[i]}> .\n"
                f"{grant} <{S}amount> \"{granted:.2f}\"^^<{DEC}> .\n"
                f"{grant} <http://purl.org/dc/terms/spatial> <{rng.choice(municipalities)}> .\n"
                f"{grant} <{S}description> \"Projet {i}\"@fr .\n")
            if rng.random() < 0.9:
                paid = round(granted * rng.choice([1, 1, 0.8, 0.5]), 2)
                out.write(f"<{BASE}subsidy/SUB-{i:07d}/payment> <{S}object> {grant} .\n"
                          f"<{BASE}subsidy/SUB-{i:07d}/payment> <{S}price> "
                          f"\"{paid:.2f}\"^^<{DEC}> .\n")
    return {"body": bodies[0], "top_enterprise": numbers[0],
            "small_enterprise": numbers[-1]}


def kbo(base: int) -> str:
    """A valid enterprise number (ten digits, check digits mod 97) from a seven-digit base."""
    body = f"0{base:07d}"
    return body + f"{97 - int(body) % 97:02d}"


def timed(call: object, repeat: int) -> tuple[float, float]:
    """(first, median) seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--plain-repeat", type=int, default=3)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--only-psikg", action="store_true",
                        help="skip the plain SPARQL (minutes a query at 1M rows)")
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="psikg-bench-queries-"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = folder / "subsidies.nt"
    start = time.perf_counter()
    picks = generate(data, args.rows)
    print(f"generated {args.rows} subsidies in {time.perf_counter() - start:.1f} s")
    store = Store(folder / "store")
    start = time.perf_counter()
    graph = BASE + "graph/subsidies.csv"
    tally = Tally()
    with data.open("rb") as raw:
        staged = store.stage([Source(origin=data.resolve().as_uri(),
                                     fmt=ox.RdfFormat.N_TRIPLES, default_graph=graph,
                                     stream=tapped(raw, tally), checksum=sha256_of(data))])
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    staged = with_aggregates(store, staged, {graph: tally})
    aggregated = time.perf_counter() - start
    start = time.perf_counter()
    results = store.commit(staged)
    committed = time.perf_counter() - start
    print(f"bulk load with the tally {loaded:.1f} s, aggregates written {aggregated:.1f} s, "
          f"commit (+optimize) {committed:.1f} s; "
          + ", ".join(f"{r.triples} triples" for r in results))
    library = load_library(QUERIES_DIR)
    executor = StoreExecutor(store)
    cases = [
        ("spending-by-body-year", {}), ("spending-by-body-year", {"year": ["2020"]}),
        ("spending-by-body-year", {"body": [picks["body"]], "year": ["2019", "2024"]}),
        ("top-beneficiaries", {}), ("top-beneficiaries", {"from": ["2018"], "to": ["2021"]}),
        ("subsidies-by-municipality", {}), ("subsidies-by-municipality", {"year": ["2025"]}),
        ("year-over-year", {"year": ["2025"]}), ("granted-vs-paid", {}),
        ("granted-vs-paid", {"year": ["2017"]}),
        ("beneficiary-profile", {"enterprise_number": [picks["top_enterprise"]]}),
        ("beneficiary-profile", {"enterprise_number": [picks["small_enterprise"]]}),
    ]
    print(f"\n{'query':27} {'values':42} {'first':>8} {'psikg p50':>10} {'plain p50':>10} "
          f"{'ratio':>8}")
    for name, values in cases:
        query = library[name]
        first, median = timed(lambda q=query, v=values: run(q, executor, v), args.repeat)
        sparql = query.plain or query.query
        text = bind(sparql.text, sparql.shape, check_values(query, values))
        shown = ",".join(f"{k}={'|'.join(v)}" for k, v in values.items())[-42:]
        if args.only_psikg:
            print(f"{name:27} {shown:42} {first:8.3f} {median:10.4f} {'-':>10} {'-':>8}")
            continue
        _, plain = timed(lambda t=text: list(store.query(t)), args.plain_repeat)
        print(f"{name:27} {shown:42} {first:8.3f} {median:10.4f} {plain:10.3f} "
              f"{plain / median:7.0f}x")
    print("\noverhead of a cheap canned query over the same query sent to /sparql: not "
          "measured here (needs psikg serve and its engine; endpoint/queries.py)")
    store.close()
    if args.store is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

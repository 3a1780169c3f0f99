"""``make bench-catalog``: the catalog page's latency under 16 clients, beside an IRI lookup.

    python -m bench.catalog_latency [--rows 50000] [--clients 16] [--duration-s 10]
                                    [--code DIR …]

Builds the demo store (``psikg demo --no-serve``) plus a generated subsidies register of
``--rows`` rows (:func:`bench.endpoint.generate`), starts ``psikg serve`` on it, and drives
it with ``--clients`` threads, each on its own kept-alive connection, for ``--duration-s``
seconds per kind of request, one kind after the other:

- ``/catalog`` as a browser asks it (HTML), ``/catalog.json``, and ``/catalog.json?q=…``
  with a facet, each client a different page or word;
- an IRI lookup: ``/sparql`` with all properties of one subsidy, a different one each time.

It prints requests/s, p50 and p99 for each. The first catalog request (which builds the text
index, as after any load) is made before the clock starts and its time printed apart.
``--code`` runs the same on the psikg of other source trees (e.g. ``/work/main`` before a
change), the servers taking turns on one copy of the store each. All traffic goes to
127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote
from urllib.parse import urlencode

from bench.endpoint import EX
from bench.endpoint import free_port
from bench.endpoint import generate
from bench.endpoint import running

BIN = Path(sys.executable).parent
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
WORDS = ["ecoles", "budget", "marches", "subsides", "Liège", "begroting", "wegen", "arbres"]
FORMAT = "http://publications.europa.eu/resource/authority/file-type/CSV"


Request = tuple[str, dict[str, str]]


def requests_of(kind: str, rows: int, rng: random.Random) -> Callable[[], Request]:
    """The next request of ``kind``: a path and its headers."""
    def catalog_html() -> tuple[str, dict[str, str]]:
        return f"/catalog?page={rng.randrange(1, 10)}", {"Accept": BROWSER}

    def catalog_json() -> tuple[str, dict[str, str]]:
        return f"/catalog.json?page={rng.randrange(1, 10)}", {}

    def catalog_search() -> tuple[str, dict[str, str]]:
        query = urlencode({"q": rng.choice(WORDS), "format": FORMAT})
        return f"/catalog.json?{query}", {}

    def lookup() -> tuple[str, dict[str, str]]:
        sparql = f"SELECT ?p ?o WHERE {{ <{EX}subsidy/{rng.randrange(rows)}> ?p ?o }}"
        return f"/sparql?query={quote(sparql)}", {"Accept": "application/sparql-results+json"}

    return {"/catalog (HTML)": catalog_html, "/catalog.json": catalog_json,
            "/catalog.json?q=&format=": catalog_search, "IRI lookup": lookup}[kind]


KINDS = ("/catalog (HTML)", "/catalog.json", "/catalog.json?q=&format=", "IRI lookup")


def drive(port: int, kind: str, rows: int, clients: int, duration_s: float) -> list[float]:
    """Latencies (ms) of ``clients`` threads sending ``kind`` for ``duration_s``; raises on a
    non-200 answer."""
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + duration_s

    def client(seed: int) -> None:
        nxt = requests_of(kind, rows, random.Random(seed))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < stop:
            path, headers = nxt()
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            latencies.append((time.perf_counter() - started) * 1e3)
            if answer.status != 200:
                errors.append(f"{answer.status} for {path}")
        conn.close()

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} errors, e.g. {errors[0]}")
    return latencies


def build_store(folder: Path, rows: int) -> Path:
    """The demo store plus a register of ``rows`` generated rows."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store"
    psikg = [str(BIN / "psikg"), "--store", str(store)]
    subprocess.run([*psikg, "demo", "--no-serve"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    register = folder / "register.nt"
    generate(register, rows)
    subprocess.run([*psikg, "load", str(register)], check=True, stdout=subprocess.DEVNULL)
    register.unlink()
    return store


def measure(code: Path, store: Path, args: argparse.Namespace) -> None:
    port = free_port()
    previous = os.environ.get("PYTHONPATH")
    command = [str(BIN / "psikg"), "--store", str(store), "serve", "--port", str(port),
               "--workers", str(args.workers)]
    os.environ["PYTHONPATH"] = str(code)  # running() starts the command with this environment
    try:
        with running(command, f"http://127.0.0.1:{port}/health"):
            first = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.request("GET", "/catalog.json")
            conn.getresponse().read()
            print(f"{code}: first /catalog.json {time.perf_counter() - first:.2f} s", flush=True)
            for kind in KINDS:
                times = drive(port, kind, args.rows, args.clients, args.duration_s)
                cut = statistics.quantiles(times, n=100)
                print(f"  {kind:26} {len(times) / args.duration_s:7.1f} req/s  "
                      f"p50 {statistics.median(times):7.1f} ms  p99 {cut[98]:7.1f} ms",
                      flush=True)
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_latency",
                                     description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration-s", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--code", type=Path, nargs="*", default=[],
                        help="other source trees to measure too (first), e.g. /work/main")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="psikg-bench-catalog-") as tmp:
        folder = Path(tmp)
        store = build_store(folder / "built", args.rows)
        print(f"store: the demo plus {args.rows:,} register rows; {args.clients} clients, "
              f"{args.duration_s:g} s a kind, psikg serve --workers {args.workers}", flush=True)
        for number, code in enumerate(itertools.chain(args.code, [here])):
            copy = folder / f"copy-{number}" / "store"
            shutil.copytree(store, copy)
            measure(code, copy, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

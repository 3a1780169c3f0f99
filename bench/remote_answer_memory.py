"""Peak memory of a ``psikg serve`` worker in front of a remote ``oxigraph serve`` while it
answers one large query (``docs/performance.md``).

    python bench/remote_answer_memory.py [--rows 1000000] [--store DIR] [--code DIR]

The engine holds ``--rows`` triples in one graph (loaded once into ``--store`` through its
Graph Store, then reused); each measurement runs in a fresh process: the worker's app
(``endpoint.app.create_app`` with ``--engine-url``) answers ``/sparql`` through Flask's
test client, and the answer is read a chunk at a time, as a client on a socket would. It
prints, per query, the worker's resident memory before the request, its peak during it
(Linux's ``VmHWM``, reset first), Python's own peak allocations (``tracemalloc``: not
pyoxigraph's), the bytes answered and the seconds taken. ``--code`` names the checkout
whose worker is measured (default: this one), to compare two.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import requests

GRAPH = "urn:psikg:bench:answers"
WHOLE = f"FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}"
QUERIES = {
    "select-json": (f"SELECT ?s ?p ?o {WHOLE}", "application/sparql-results+json"),
    "select-csv": (f"SELECT ?s ?p ?o {WHOLE}", "text/csv"),
    "construct-nt": (f"CONSTRUCT {{ ?s ?p ?o }} {WHOLE}", "application/n-triples"),
}


def _triples(rows: int) -> Iterator[bytes]:
    for start in range(0, rows, 10_000):
        yield b"".join(b'<http://bench.example/s%d> <http://bench.example/p%d> "value %d"@fr .\n'
                       % (i, i % 7, i) for i in range(start, min(rows, start + 10_000)))


def _vm(name: str) -> int:
    """A ``/proc/self/status`` figure in MiB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) // 1024
    return 0


def measure(url: str, name: str) -> dict[str, object]:
    """One query through a worker's app in this process (run by :func:`main` in a child)."""
    from endpoint.app import create_app
    from graph.settings import Settings

    query, accept = QUERIES[name]
    with tempfile.TemporaryDirectory() as run_dir:
        settings = Settings(engine_url=url, engine_kind="oxigraph", remote_engine=True,
                            run_dir=Path(run_dir), max_rows=0, timeout_s=600)
        client = create_app(settings).test_client()
        client.get("/sparql", query_string={"query": "ASK {}"})  # imports, connections
        before = _vm("VmRSS")
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # resets VmHWM
        tracemalloc.start()
        started = time.monotonic()
        answer = client.get("/sparql", query_string={"query": query},
                            headers={"Accept": accept}, buffered=False)
        size = sum(len(chunk) for chunk in answer.response)
        answer.close()
        seconds = time.monotonic() - started
        python_peak = tracemalloc.get_traced_memory()[1] // (1 << 20)
    return {"query": name, "status": answer.status_code, "bytes": size,
            "rss_before_mib": before, "rss_peak_mib": _vm("VmHWM"),
            "python_peak_mib": python_peak, "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=Path("/tmp/psikg-bench-answers"))
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(options.code))  # before bench/, whose endpoint.py is no package
    if options.measure:
        print(json.dumps(measure(*options.measure)))
        return
    from graph.engine.process import EngineProcess

    fresh = not options.store.exists()
    engine = EngineProcess(options.store)
    engine.start()
    try:
        if fresh:
            requests.post(f"{engine.url}/store", params={"graph": GRAPH},
                          data=_triples(options.rows), timeout=600,
                          headers={"Content-Type": "application/n-triples"}).raise_for_status()
        for name in QUERIES:
            done = subprocess.run([sys.executable, __file__, "--code", str(options.code),
                                   "--measure", engine.url, name],
                                  capture_output=True, text=True, check=False)
            print(done.stdout.strip() or done.stderr[-2000:], flush=True)
    finally:
        engine.stop()


if __name__ == "__main__":
    main()

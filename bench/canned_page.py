"""One canned query's JSON page and HTML page over HTTP, against a live ``psikg serve`` on a
loaded store: what each costs a reader, the form's suggestions (``values_query``) included.

The store is the caller's (e.g. a register of ``tests/fixtures/synthetic/bench_table.py``
loaded with ``psikg load``); the requests are interleaved, so that the machine's load weighs
on both alike. Usage::

    python bench/canned_page.py --store DIR [--query spending-by-body-year] [--repeat 200]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import free_port  # noqa: E402
from bench.endpoint import stop  # noqa: E402


def medians(store: Path, name: str, repeat: int) -> dict[str, float]:
    """The median seconds of ``/queries/NAME.json`` and ``/queries/NAME`` (HTML)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(store), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        deadline = time.monotonic() + 180
        while not _answers(connection, "/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("psikg serve did not start")
            connection.close()
            time.sleep(0.5)
        paths = {"json": f"/queries/{name}.json", "html": f"/queries/{name}"}
        times: dict[str, list[float]] = {kind: [] for kind in paths}
        for _ in range(5):
            for path in paths.values():
                _get(connection, path)
        for _ in range(repeat):
            for kind, path in paths.items():
                start = time.perf_counter()
                _get(connection, path)
                times[kind].append(time.perf_counter() - start)
        return {kind: statistics.median(measured) for kind, measured in times.items()}
    finally:
        stop(server)


def _answers(connection: http.client.HTTPConnection, path: str) -> bool:
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    except OSError:
        return False
    return response.status == 200


def _get(connection: http.client.HTTPConnection, path: str) -> None:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status} {body[:200]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--query", default="spending-by-body-year")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    found = medians(args.store, args.query, args.repeat)
    print(f"{args.query}, {args.repeat} requests each over HTTP (1 worker):")
    print(f"  /queries/{args.query}.json p50 {found['json'] * 1000:.2f} ms")
    print(f"  /queries/{args.query} (HTML, with the form) p50 {found['html'] * 1000:.2f} ms")


if __name__ == "__main__":
    main()

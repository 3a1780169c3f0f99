"""The compliance dashboard's time on a store of ``--bodies`` public bodies.

It writes the generated portal export of ``tests/fixtures/synthetic/compliance_bodies.py``
(a third of the bodies meet every article that concerns them, a third break six, a third
are concerned by Art. 2 alone), loads it ``--loads`` times (each load
validated and recorded, alternately the mended and the broken export, so each body has a
history), loads the sample dataset inventory (192 datasets of one body) with
``--on-error skip`` (both in this process, as ``psikg load`` does), then prints the
medians of:

- the whole dashboard and one body's page built on the embedded store
  (:func:`graph.compliance.view.overview`, ``body_view``);
- ``GET /compliance`` (HTML), ``/compliance.json`` and ``/compliance.json?body=…`` through
  ``psikg serve`` on 127.0.0.1.

Usage::

    python bench/compliance.py [--bodies 50] [--loads 4] [--repeat 20]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import free_port  # noqa: E402
from bench.endpoint import running  # noqa: E402
from graph.canned.run import StoreExecutor  # noqa: E402
from graph.compliance.view import body_view  # noqa: E402
from graph.compliance.view import overview  # noqa: E402
from graph.settings import EXAMPLES_DIR  # noqa: E402
from graph.store import Store  # noqa: E402
from graph.validation.graphs import validate_graph  # noqa: E402
from loaders.registry import load_table  # noqa: E402
from tests.fixtures.synthetic.compliance_bodies import body_iri  # noqa: E402
from tests.fixtures.synthetic.compliance_bodies import portal_export  # noqa: E402

BIN = Path(sys.executable).parent


def build(store: Path, bodies: int, loads: int) -> None:
    """Load as ``psikg load`` does, in this process: each graph loaded, then validated and
    its record kept."""
    export = store.parent / "portal.ttl"
    started = time.perf_counter()
    with Store(store) as opened:
        for n in range(loads):
            export.write_text(portal_export(bodies, fixed=n % 2 == 0), encoding="utf-8")
            for result in opened.load_files([export]):
                for graph in result.graphs:
                    validate_graph(opened, graph, trigger="load")
        load_table(opened, EXAMPLES_DIR / "inventory.csv",
                   EXAMPLES_DIR / "inventory-metadata.json", on_error="skip")
    print(f"store: {bodies} bodies, {loads} loads of the export and the inventory, "
          f"{time.perf_counter() - started:.1f} s")


def median_s(run: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def embedded(store: Path, repeat: int) -> None:
    with Store(store) as opened:
        executor = StoreExecutor(opened)
        meta, base = opened.meta_graph, opened.base_iri
        page = overview(executor, meta, base, "fr")
        print(f"embedded: {len(page['bodies'])} bodies listed")
        whole = median_s(lambda: overview(executor, meta, base, "fr"), repeat)
        one = median_s(lambda: body_view(executor, meta, base, "fr", body_iri(1)), repeat)
    print(f"  overview p50 {whole * 1000:.1f} ms; one body p50 {one * 1000:.1f} ms")


def served(store: Path, repeat: int) -> None:
    port = free_port()
    command = [str(BIN / "psikg"), "--store", str(store), "serve", "--host", "127.0.0.1",
               "--port", str(port)]
    with running(command, f"http://127.0.0.1:{port}/health"):
        body = urllib.parse.quote(body_iri(1), safe="")
        for path, accept in (("/compliance", "text/html"), ("/compliance.json", "*/*"),
                             (f"/compliance.json?body={body}", "*/*")):
            def get(path: str = path, accept: str = accept) -> None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", path, headers={"Accept": accept})
                answer = connection.getresponse()
                answer.read()
                assert answer.status == 200, (path, answer.status)
                connection.close()

            get()
            print(f"  psikg serve {path.split('?')[0]}{'?body=…' if '?' in path else ''} "
                  f"({accept}) p50 {median_s(get, repeat) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bodies", type=int, default=50)
    parser.add_argument("--loads", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="psikg-bench-compliance-") as work:
        store = Path(work) / "store"
        build(store, options.bodies, options.loads)
        embedded(store, options.repeat)
        served(store, options.repeat)


if __name__ == "__main__":
    main()

"""psikg on Virtuoso as its store grows in graphs: an IRI lookup's time and the list of
psikg's graphs, at 1 to ``--graphs`` graphs of one triple each.

psikg sends each query that names no dataset over every graph of its own. The lookup is
timed three ways, each the median of ``--repeat``: through psikg (``RemoteStore.query``:
the graphs written in the query as ``FROM``/``FROM NAMED``), and sent to Virtuoso by hand
with the same graphs as the protocol's ``default-graph-uri``/``named-graph-uri`` fields
(how psikg sent them before) and with no dataset at all (Virtuoso's every graph, its own
included: the floor). The list of psikg's graphs (``provenance.names_query``, read at
most once a second per process) and the full provenance list (``psikg graphs``) are
timed too. Prints the machine's load average. Usage::

    python bench/many_graphs.py [--graphs 1,100,300,600,1000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import provenance  # noqa: E402 - run as a script
from graph.remote import pages  # noqa: E402
from graph.remote.store import RemoteStore  # noqa: E402
from tests.virtuoso_server import start  # noqa: E402
from tests.virtuoso_server import stop  # noqa: E402

LOOKUP = "SELECT ?p ?o WHERE { <urn:psikg-bench:s0> ?p ?o }"
PER_LOAD = 150
"""Graphs per load: Virtuoso refuses the commit of much more at once (``SQ200``)."""


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def by_hand(url: str, fields: list[tuple[str, str]]) -> None:
    """The lookup sent to Virtuoso with ``fields`` (its answer read whole)."""
    request = urllib.request.Request(f"{url}/sparql", urlencode([("query", LOOKUP), *fields])
                                     .encode(), {"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request) as answer:
        json.loads(answer.read())


def grow(store: RemoteStore, folder: Path, have: int, want: int) -> None:
    """Load graphs ``have`` … ``want - 1``, :data:`PER_LOAD` a load."""
    while have < want:
        count = min(want - have, PER_LOAD)
        trig = folder / f"graphs-{have}.trig"
        trig.write_text("".join(f"<urn:psikg-bench:g{n}> {{ <urn:psikg-bench:s{n}> "
                                f"<urn:psikg-bench:p> {n} }}\n"
                                for n in range(have, have + count)), encoding="utf-8")
        store.load_files([trig])
        have += count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", default="1,100,300,600,1000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    http.client._MAXHEADERS = 1_000_000  # type: ignore[attr-defined]  # Virtuoso's echo
    folder = Path(tempfile.mkdtemp(prefix="psikg-bench-graphs-"))
    virtuoso, process = start(folder / "virtuoso")
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'graphs':>7}{'psikg ms':>10}{'fields ms':>11}{'none ms':>9}"
          f"{'names ms':>10}{'list ms':>9}")
    try:
        with RemoteStore(virtuoso.url, "virtuoso", user=virtuoso.user,
                         password=virtuoso.password) as store:
            have = 0
            for want in (int(n) for n in args.graphs.split(",")):
                grow(store, folder, have, want)
                have = want
                graphs = store.live_graphs()
                names = [g.value for g in graphs]
                fields = [("default-graph-uri", g) for g in names]
                fields += [("named-graph-uri", g) for g in names]
                cells = [median_ms(lambda: list(store.query(LOOKUP)), args.repeat),
                         median_ms(partial(by_hand, virtuoso.url, fields), args.repeat),
                         median_ms(partial(by_hand, virtuoso.url, []), args.repeat),
                         median_ms(lambda: list(pages.select(
                             store._protocol, provenance.names_query(store.meta_graph))),
                             args.repeat),
                         median_ms(store.graphs, args.repeat)]
                print(f"{len(names) - 1:>7}" + "".join(f"{c:>{w}.1f}" for c, w in
                                                       zip(cells, (10, 11, 9, 10, 9),
                                                           strict=True)), flush=True)
    finally:
        stop(virtuoso, process)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

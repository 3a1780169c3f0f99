"""``make bench-soak``: a running ``psikg serve`` under mixed traffic while it reloads a
register and harvests a portal (issue 14's reliability goals).

The store is the demo's samples plus a generated subsidies register (``--rows`` rows,
``tests/fixtures/synthetic/bench_table.py``). Once ``psikg serve`` answers, ``--clients``
threads (keep-alive connections, as browsers and SPARQL clients hold them) send for
``--seconds`` seconds, each kind in turn: an IRI lookup (``/sparql``), a canned query
(``/queries/<name>.json``), a catalog page (``/catalog``, HTML), a resource page
(``/describe?iri=…``) and a 10,000-row CSV download (``/sparql``, ``text/csv``).
Meanwhile the register is reloaded through the server, over and over, alternately with
``--rows`` and ``--rows`` minus 1,000 rows, and an ArcGIS-Hub-shaped export of 1,000
datasets is harvested through it.

A consistency probe counts the grants of the union again and again: it must always be the
count with the old version or with the new one, never anything between (a reader that saw
half a load). Prints p50 and p99 per kind, errors, the probe's verdict, and the resident
memory of the server's process tree (engine, supervisor and workers) sampled every second:
its median over the first and the last quarter of the run (goal: within ±25 %).

The run is measured once the service is in its steady state: after ``--warm-up`` seconds of
the same traffic (caches fill, workers start) and ``--settle-reloads`` reloads (the
engine's write buffers fill during the first load after a start, then are flushed and
filled again: a store freshly opened is smaller than any store that has taken a load).
The reloads, and the probe, run from the start.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import quote
from urllib.parse import urlencode
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import tree  # noqa: E402 - run as a script
from bench.endpoint import tree_rss_mb  # noqa: E402
from bench.served_load import KEY  # noqa: E402
from bench.served_load import TOKEN  # noqa: E402
from bench.served_load import serve  # noqa: E402
from tests.fixtures.harvest.portal_shapes import arcgis_hub  # noqa: E402
from tests.fixtures.synthetic.bench_table import generate  # noqa: E402
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402

GRANTS = ("SELECT (COUNT(*) AS ?n) WHERE { ?g a <https://schema.org/MonetaryGrant> "
          "FILTER(STRSTARTS(STR(?g), 'https://data.psikg.example/subsidy/SUB-0')) }")
"""The probe: how many grants of the generated register the union holds (its references are
``SUB-0000001`` on; the demo's begin with a year)."""
CSV_ROWS = ("SELECT ?grant ?amount WHERE { ?grant a <https://schema.org/MonetaryGrant> ; "
            "<https://schema.org/amount> ?amount } LIMIT 10000")
CANNED = ["top-beneficiaries", "subsidies-by-municipality", "spending-by-body-year",
          "datasets-per-theme"]
SETTLE_LIMIT_S = 900.0
"""Longest the run waits for its settling reloads before it is measured anyway."""
KINDS = ["lookup", "canned", "catalog", "resource", "csv"]


@dataclass
class Window:
    """When the run is measured: unknown until the service has settled, then set once."""

    start: float = float("inf")
    until: float = float("inf")

    def over(self) -> bool:
        return time.monotonic() >= self.until

    def measuring(self) -> bool:
        return self.start <= time.monotonic() < self.until


@dataclass
class Tally:
    """What the clients saw: latencies per kind, errors, the probe's counts."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)
    probe: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def psikg(store: Path, *arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One ``psikg --store STORE …`` command, its output captured."""
    return subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), *arguments],
                          env=env, capture_output=True, text=True, check=False)


def ask(connection: http.client.HTTPConnection, path: str, accept: str
        ) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Accept": accept})
    answer = connection.getresponse()
    return answer.status, answer.read()


def select(url: str, query: str) -> list[dict[str, str]]:
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=120)
    status, body = ask(connection, "/sparql?" + urlencode({"query": query}),
                       "application/sparql-results+json")
    connection.close()
    if status != 200:
        raise SystemExit(f"{query[:60]}… answered {status}: {body[:200]!r}")
    return [{name: cell["value"] for name, cell in row.items()}
            for row in json.loads(body)["results"]["bindings"]]


def targets(url: str) -> dict[str, list[str]]:
    """The paths each kind asks, chosen from the store once before the run."""
    grants = [row["g"] for row in select(url, "SELECT ?g WHERE { ?g a "
                                         "<https://schema.org/MonetaryGrant> } LIMIT 400")]
    return {
        "lookup": ["/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{g}> ?p ?o }}"})
                   for g in grants],
        "canned": [f"/queries/{name}.json" for name in CANNED],
        "catalog": ["/catalog", "/catalog?page=2", "/catalog?q=" + quote("données"),
                    "/catalog?sort=title"],
        "resource": ["/describe?" + urlencode({"iri": g}) for g in grants],
        "csv": ["/sparql?" + urlencode({"query": CSV_ROWS})],
    }


ACCEPT = {"lookup": "application/sparql-results+json", "canned": "application/json",
          "catalog": "text/html", "resource": "text/html", "csv": "text/csv"}


def client(url: str, number: int, paths: dict[str, list[str]], window: Window,
           tally: Tally) -> None:
    """One client: each kind in turn, from its own start, on one kept-alive connection."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=120)
    turn = number
    while not window.over():
        kind = KINDS[turn % len(KINDS)]
        choices = paths[kind]
        path = choices[(turn // len(KINDS)) % len(choices)]
        turn += 1
        started = time.perf_counter()
        try:
            status, body = ask(connection, path, ACCEPT[kind])
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=120)
            status, body = 0, str(error).encode()
        took = time.perf_counter() - started
        if not window.measuring():
            continue  # settling: caches fill, workers start, the engine takes a load
        with tally.lock:
            if status == 200:
                tally.seconds[kind].append(took)
            else:
                tally.errors.append(f"{kind} {path[:80]} → {status} {body[:120]!r}")
    connection.close()


def probe(url: str, window: Window, tally: Tally) -> None:
    """Count the grants of the union until the run is over."""
    while not window.over():
        rows = select(url, GRANTS)
        with tally.lock:
            tally.probe.append(int(rows[0]["n"]))
        time.sleep(0.05)  # a reader among the others, not a load of its own


def reloads(store: Path, tables: list[tuple[Path, Path]], window: Window, env: dict[str, str],
            done: list[str]) -> None:
    """Reload the register through the server, each version in turn, until the run is over
    (one started in the run is finished)."""
    turn = 0  # the shorter version first: the store holds the whole one
    while not window.over():
        table, metadata = tables[turn % len(tables)]
        settling = not window.measuring()
        started = time.perf_counter()
        loaded = psikg(store, "load", str(table), "--metadata", str(metadata), env=env)
        done.append(f"reload {table.parent.name}/{table.name}: exit {loaded.returncode} in "
                    f"{time.perf_counter() - started:.1f} s"
                    + (", started while settling" if settling else "")
                    + (f" ({loaded.stderr.strip()[-300:]})" if loaded.returncode else ""))
        turn += 1


def memory(root: int, window: Window, samples: list[tuple[float, float]]) -> None:
    """Every second of the run: the resident memory of the server's tree, and of its engine
    alone."""
    while not window.over():
        if window.measuring():
            samples.append((tree_rss_mb(root), sum(
                tree_rss_mb(pid) for pid in tree(root) if is_engine(pid))))
        time.sleep(1.0)


def is_engine(pid: int) -> bool:
    try:
        return b"oxigraph" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def build(folder: Path, rows: int, env: dict[str, str]) -> tuple[Path, list[tuple[Path, Path]]]:
    """The demo store with the register loaded once, and the register's two versions."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store"
    tables: list[tuple[Path, Path]] = []
    for version, count in (("shorter", rows - 1_000), ("whole", rows)):
        (folder / version).mkdir(exist_ok=True)
        table = folder / version / "subsidies.csv"  # one name: one graph, replaced
        generate(table, count, belgian=False)
        tables.append((table, metadata_for(table, belgian=False)))
    if store.exists():
        return store, tables  # built by an earlier run with --folder
    for arguments in (["demo", "--no-serve"],
                      ["load", str(tables[1][0]), "--metadata", str(tables[1][1])]):
        done = psikg(store, *arguments, env=env)
        if done.returncode:
            raise SystemExit(f"psikg {' '.join(arguments)} failed: {done.stderr[-2000:]}")
    return store, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--folder", type=Path,
                        help="build the store here and keep it; reused if it is there")
    parser.add_argument("--warm-up", type=float, default=15.0,
                        help="seconds of the same traffic before the run is measured")
    parser.add_argument("--settle-reloads", type=int, default=1,
                        help="reloads that finish before the run is measured")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="psikg-bench-soak-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    env.update(PSIKG_PSEUDONYM_KEY=KEY, PYTHONPATH=str(ROOT))
    try:
        store, tables = build(folder, args.rows, env)
        token_file = folder / "token"
        token_file.write_text(TOKEN, encoding="utf-8")
        server, url = serve(store, token_file, env)
        try:
            run(args, folder, store, tables, server, url,
                {**env, "PSIKG_UPDATE_TOKEN_FILE": str(token_file)})
        finally:
            server.terminate()
            server.wait(60)
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path, store: Path, tables: list[tuple[Path, Path]],
        server: subprocess.Popen[bytes], url: str, with_token: dict[str, str]) -> None:
    paths = targets(url)
    counts = {args.rows, args.rows - 1_000}  # one grant per row, in either version
    if (now := int(select(url, GRANTS)[0]["n"])) not in counts:
        raise SystemExit(f"the store holds {now} grants of the register, not one of {counts}")
    feed = folder / "hub.rdf"
    feed.write_bytes(arcgis_hub(1_000))
    tally, rss, done = Tally(), list[tuple[float, float]](), list[str]()
    load_before = os.getloadavg()[0]
    window = Window()
    workers = [threading.Thread(target=client, args=(url, n, paths, window, tally))
               for n in range(args.clients)]
    workers += [threading.Thread(target=probe, args=(url, window, tally)),
                threading.Thread(target=reloads, args=(store, tables, window, with_token, done)),
                threading.Thread(target=memory, args=(server.pid, window, rss))]
    for worker in workers:
        worker.start()
    settle(window, args, done)
    started = time.perf_counter()
    harvested = psikg(store, "harvest", str(feed), "--format", "rdfxml", env=with_token)
    done.append(f"harvest of 1,000 datasets: exit {harvested.returncode} in "
                f"{time.perf_counter() - started:.1f} s")
    for worker in workers:
        worker.join()
    report(args, tally, rss, done, counts, load_before)


def settle(window: Window, args: argparse.Namespace, done: list[str]) -> None:
    """Open the measured window once the warm-up is over and enough reloads have finished."""
    time.sleep(args.warm_up)
    give_up = time.monotonic() + SETTLE_LIMIT_S
    while sum(line.startswith("reload") and "exit 0" in line for line in done
              ) < args.settle_reloads and time.monotonic() < give_up:
        time.sleep(0.5)
    if time.monotonic() >= give_up:
        done.append(f"settling: fewer than {args.settle_reloads} reload(s) succeeded in "
                    f"{SETTLE_LIMIT_S:.0f} s; measured anyway")
    window.start = time.monotonic()
    window.until = window.start + args.seconds


def report(args: argparse.Namespace, tally: Tally, rss: list[tuple[float, float]],
           done: list[str], counts: set[int], load_before: float) -> None:
    print(f"soak: {args.clients} clients for {args.seconds:.0f} s after {args.warm_up:.0f} s and "
          f"{args.settle_reloads} reload(s) of settling, register of {args.rows:,} "
          f"rows reloaded through psikg serve; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"{'kind':<10}{'requests':>10}{'p50 (ms)':>10}{'p99 (ms)':>10}")
    for kind in KINDS:
        seconds = tally.seconds[kind]
        print(f"{kind:<10}{len(seconds):>10}{1000 * percentile(seconds, 0.5):>10.0f}"
              f"{1000 * percentile(seconds, 0.99):>10.0f}")
    print(f"errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    mixed = sorted(set(tally.probe) - counts)
    print(f"consistency probe: {len(tally.probe)} counts, allowed {sorted(counts)}, "
          + ("never a mix" if not mixed else f"MIXED: {mixed[:10]}"))
    quarter = max(1, len(rss) // 4)
    for name, index in (("server memory (process tree)", 0), ("  of which the engine", 1)):
        values = [sample[index] for sample in rss]
        first, last = statistics.median(values[:quarter]), statistics.median(values[-quarter:])
        print(f"{name}: first quarter {first:.0f} MiB, last quarter {last:.0f} MiB "
              f"({100 * (last / first - 1):+.0f} %), peak {max(values):.0f} MiB")
    for line in done:
        print(line)


if __name__ == "__main__":
    main()

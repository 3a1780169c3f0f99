"""Benchmark: psikg's endpoint against ``oxigraph serve-read-only`` on the same store.

    python bench/endpoint.py [--rows 1000000] [--duration-s 20] [--concurrency 1,8,32]

Builds a store from a generated subsidies registry (``--rows`` rows, 10 triples each,
written as N-Triples and bulk-loaded with ``psikg load``), copies it once per server,
starts ``oxigraph serve-read-only --union-default-graph`` and ``psikg serve`` (under each
of ``--wsgi-servers``) side by side, and drives each with wrk for ``--duration-s`` seconds
per query and concurrency, the servers taking turns cell by cell (and, for the short
requests of (a), round by round within a cell, ``--rounds``) so that the machine's load
weighs on all of them alike:

- (a) an IRI lookup: all properties of one subsidy, a different random one per request;
- (b) a GROUP BY over the whole registry (the engine is the bottleneck);
- (c) a 100,000-row CSV download, with the peak RSS of the server's processes.

Nothing is cached on either side: every request runs its query. psikg runs with its
defaults (row limit on, so (c) is spooled) except a longer timeout, under both granian and
gunicorn for (a). It prints a table with requests/s, p50 and p99, peak RSS, the CPU time
the server's processes spent per request (steadier than requests/s on a busy machine)
and the ratio psikg/oxigraph. All traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BIN = Path(sys.executable).parent
EX = "https://data.psikg.example/bench/"
PREFIX = f"PREFIX ex: <{EX}> "
QUERIES = {
    "a": PREFIX + "SELECT ?p ?o WHERE { <" + EX + "subsidy/{id}> ?p ?o }",
    "b": PREFIX + "SELECT ?m (COUNT(?s) AS ?n) WHERE { ?s ex:municipality ?m } GROUP BY ?m",
    "c": PREFIX + "SELECT ?s ?amount WHERE { ?s ex:amount ?amount } LIMIT 100000",
}
ACCEPT = {"a": "application/sparql-results+json", "b": "application/sparql-results+json",
          "c": "text/csv"}
LABELS = {"a": "(a) IRI lookup", "b": "(b) GROUP BY", "c": "(c) 100k-row CSV"}


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A subsidies-like registry as N-Triples: 10 triples per row."""
    rng = random.Random(seed)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            s = f"<{EX}subsidy/{i}>"
            out.write(
                f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Subsidy> .\n"
                f"{s} <{EX}beneficiary> <{EX}org/{rng.randrange(50_000)}> .\n"
                f"{s} <{EX}amount> \"{rng.randrange(100, 5_000_000) / 100:.2f}\""
                f"^^<{xsd}decimal> .\n"
                f"{s} <{EX}year> \"{2015 + i % 10}\"^^<{xsd}integer> .\n"
                f"{s} <{EX}municipality> <{EX}nis/{rng.randrange(262)}> .\n"
                f"{s} <{EX}sector> <{EX}sector/{rng.randrange(20)}> .\n"
                f"{s} <http://www.w3.org/2000/01/rdf-schema#label> \"Subside {i}\"@fr .\n"
                f"{s} <{EX}decided> \"2023-{1 + i % 12:02d}-{1 + i % 28:02d}\"^^<{xsd}date> .\n"
                f"{s} <{EX}paid> \"{'true' if i % 3 else 'false'}\"^^<{xsd}boolean> .\n"
                f"{s} <{EX}programme> <{EX}programme/{i % 40}> .\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, timeout_s: float = 600) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def running(command: list[str], probe: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for(probe)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in a session of its own, with its children (SIGKILL after 30 s)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def tree(root: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    total = 0
    for pid in tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def tree_cpu_s(root: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants, in seconds.

    Unlike requests/s it hardly moves with the machine's load: divided by the requests
    served, it is what one request costs the server, the figure to compare on a busy
    machine."""
    ticks = 0
    for pid in tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_rss_mb: float | None = None
    idle_rss_mb: float | None = None
    cpu_us: float = float("nan")
    """CPU time of the server's processes per request served, in microseconds."""


_LUA = """
local prefix, suffix, rows = "{prefix}", "{suffix}", {rows}
math.randomseed(os.time())
request = function()
  if rows > 0 then
    return wrk.format("GET", prefix .. math.random(0, rows - 1) .. suffix)
  end
  return wrk.format("GET", prefix)
end
"""


def _ms(text: str) -> float:
    """wrk's latency (``812.00us``, ``1.21ms``, ``2.00s``, ``1.00m``) in milliseconds."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if match is None:
        return float("nan")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[
        match.group(2)]


def measure(url_path: str, query_key: str, rows: int, concurrency: int, duration_s: int,
            workdir: Path, root_pid: int, host: str) -> Figures:
    """wrk for ``duration_s`` at ``concurrency`` connections; peak RSS sampled meanwhile."""
    query = QUERIES[query_key]
    if query_key == "a":
        head, tail = query.split("{id}")
        prefix, suffix, lua_rows = url_path + quote(head, safe=""), quote(tail, safe=""), rows
    else:
        prefix, suffix, lua_rows = url_path + quote(query, safe=""), "", 0
    script = workdir / "request.lua"
    script.write_text(_LUA.format(prefix=prefix, suffix=suffix, rows=lua_rows))
    idle = tree_rss_mb(root_pid)
    cpu_before = tree_cpu_s(root_pid)
    peak = [idle]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(root_pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = subprocess.run(
        ["wrk", "-t", str(min(concurrency, 2)), "-c", str(concurrency), "-d", f"{duration_s}s",
         "--timeout", "120s", "--latency", "-s", str(script), "-H",
         f"Accept: {ACCEPT[query_key]}", host], capture_output=True, text=True, check=True)
    done.set()
    sampler.join()
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    served = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    cpu_us = (tree_cpu_s(root_pid) - cpu_before) / served * 1e6 if served else float("nan")
    p50_match = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99_match = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    if p50_match is None or p99_match is None:  # no request finished within the duration
        return Figures(rps, float("nan"), float("nan"), 0, peak[0], idle, cpu_us)
    p50, p99 = _ms(p50_match.group(1)), _ms(p99_match.group(1))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|timeout) (\d+)", out))
    return Figures(rps, p50, p99, errors, peak[0], idle, cpu_us)


def combined(rounds: list[Figures]) -> Figures:
    """One cell from its rounds: mean requests/s, median latencies, peak and idle RSS."""
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2]

    return Figures(sum(f.rps for f in rounds) / len(rounds), median([f.p50_ms for f in rounds]),
                   median([f.p99_ms for f in rounds]), sum(f.errors for f in rounds),
                   max(f.peak_rss_mb or 0.0 for f in rounds),
                   min(f.idle_rss_mb or 0.0 for f in rounds),
                   median([f.cpu_us for f in rounds]))


def ensure_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench-endpoint does it)")


def build_store(workdir: Path, rows: int) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "subsidies.nt"
    started = time.monotonic()
    generate(data, rows)
    store = workdir / "store"
    subprocess.run([str(BIN / "psikg"), "--store", str(store), "load", str(data)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"store: {rows:,} rows, {rows * 10:,} triples, built in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    data.unlink()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration-s", type=int, default=20)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=4,
                        help="each (a) cell's duration is cut in this many rounds, the "
                        "servers taking turns round by round")
    parser.add_argument("--queries", default="a,b,c")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, help="psikg's threads per worker (its default "
                        "if not given)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the store in DIR and keep it; reuse it if it is there")
    parser.add_argument("--wsgi-servers", default="granian,gunicorn",
                        help="psikg's WSGI servers to measure on (a); the first serves (b), (c)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-ups below
    ensure_wrk()
    levels = [int(c) for c in args.concurrency.split(",")]
    keys = args.queries.split(",")
    servers = args.wsgi_servers.split(",")
    workdir = Path(tempfile.mkdtemp(prefix="psikg-bench-"))
    try:
        if args.keep and (args.keep / "store").is_dir():
            store = args.keep / "store"
            print(f"store: reusing {store}", flush=True)
        else:
            store = build_store(args.keep or workdir, args.rows)
        for copy in ("oxigraph", *(f"psikg-{server}" for server in servers)):
            shutil.copytree(store, workdir / copy)
        results: dict[tuple[str, str, int], Figures] = {}
        with ExitStack() as stack:
            hosts = {}  # name -> (path, base URL, pid)
            port = free_port()
            oxigraph = [str(BIN / "oxigraph"), "serve-read-only", "--location",
                        str(workdir / "oxigraph"), "--bind", f"127.0.0.1:{port}",
                        "--union-default-graph"]
            process = stack.enter_context(
                running(oxigraph, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"))
            hosts["oxigraph"] = ("/query?query=", f"http://127.0.0.1:{port}", process.pid)
            for server in servers:
                port = free_port()
                psikg = [str(BIN / "psikg"), "--store", str(workdir / f"psikg-{server}"),
                         "serve", "--port", str(port), "--workers", str(args.workers),
                         "--timeout-s", "300", "--wsgi-server", server]
                if args.threads:
                    psikg += ["--threads", str(args.threads)]
                process = stack.enter_context(running(psikg, f"http://127.0.0.1:{port}/health"))
                hosts[f"psikg/{server}"] = ("/sparql?query=", f"http://127.0.0.1:{port}",
                                            process.pid)
            # The servers take turns round by round, so that the machine's load drifts over
            # all of them alike and the ratios of one (query, clients) pair compare like
            # with like.
            for key in keys:
                # (b) and (c) take seconds per request: a short round would finish none.
                count = args.rounds if key == "a" else 1
                slice_s = max(1, args.duration_s // count)
                for level in levels:
                    rounds: dict[str, list[Figures]] = {}
                    for _ in range(count):
                        for name, (path, host, pid) in hosts.items():
                            if key != "a" and name not in ("oxigraph", f"psikg/{servers[0]}"):
                                continue
                            rounds.setdefault(name, []).append(measure(
                                path, key, args.rows, level, slice_s, workdir, pid, host))
                    for name, figures in rounds.items():
                        results[(name, key, level)] = combined(figures)
                        print(f"{name} {LABELS[key]} c={level}: {results[(name, key, level)]}",
                              flush=True)
        print_table(results, keys, levels, servers, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(results: dict[tuple[str, str, int], Figures], keys: list[str],
                levels: list[int], servers: list[str], args: argparse.Namespace) -> None:
    print(f"\nendpoint bench: {args.rows:,} rows, {args.duration_s} s per cell, "
          f"{os.cpu_count()} cores, psikg workers={args.workers}\n")
    print("| query | clients | server | req/s | p50 ms | p99 ms | errors | peak RSS MiB "
          "(idle) | CPU µs/request | ratio req/s psikg/oxigraph |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in keys:
        for level in levels:
            reference = results[("oxigraph", key, level)]
            for name in ["oxigraph", *(f"psikg/{s}" for s in servers)]:
                figures = results.get((name, key, level))
                if figures is None:
                    continue
                ratio = ("" if name == "oxigraph" else "n/a (no request finished)"
                         if not reference.rps else f"{figures.rps / reference.rps:.2f}×")
                print(f"| {LABELS[key]} | {level} | {name} | {figures.rps:,.1f} | "
                      f"{figures.p50_ms:.2f} | {figures.p99_ms:.2f} | {figures.errors} | "
                      f"{figures.peak_rss_mb:.0f} ({figures.idle_rss_mb:.0f}) | "
                      f"{figures.cpu_us:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()

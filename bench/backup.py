"""``make bench-backup``: backups of a store while ``psikg serve`` serves it and readers query.

Builds a store of ``--triples`` triples (one graph, loaded with ``psikg load``), serves it,
and while ``--readers`` threads send a small aggregate query to ``/sparql`` back to back,
takes ``--backups`` backups with ``psikg backup`` (through the server, with the token).
Prints, per backup, how long the engine was paused (the supervisor's figure), how long the
command took, and, for the readers, how many answers were not 200 and their p50 and
maximum latency before and during the backups.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.served_load import TOKEN  # noqa: E402 - run as a script
from bench.served_load import serve  # noqa: E402

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p3> ?o }"


def write_triples(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(f'<http://example.org/r{i}> <http://example.org/p{i % 7}> "v {i}" .\n')


class Readers:
    """Threads querying ``url`` until stopped; latencies and failures by phase."""

    def __init__(self, url: str, count: int) -> None:
        self.url = f"{url}/sparql?" + urllib.parse.urlencode({"query": QUERY})
        self.phase = "before"
        self.latencies: dict[str, list[float]] = {"before": [], "during": []}
        self.failures = 0
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run) for _ in range(count)]

    def _run(self) -> None:
        while not self.stopping.is_set():
            phase, started = self.phase, time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=60) as answer:
                    answer.read()
                    ok = answer.status == 200
            except OSError:
                ok = False
            self.latencies[phase].append(time.perf_counter() - started)
            self.failures += not ok

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=500_000)
    parser.add_argument("--backups", type=int, default=3)
    parser.add_argument("--readers", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="psikg-bench-backup-"))
    try:
        write_triples(folder / "data.nt", args.triples)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
        env["PYTHONPATH"] = str(ROOT)
        store = folder / "store"
        subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), "load",
                        str(folder / "data.nt")], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        token_file = folder / "token"
        token_file.write_text(TOKEN, encoding="utf-8")
        server, url = serve(store, token_file, env)
        backups: list[tuple[float, float]] = []
        try:
            with Readers(url, args.readers) as readers:
                time.sleep(2)
                readers.phase = "during"
                for index in range(args.backups):
                    started = time.perf_counter()
                    said = subprocess.run(
                        [sys.executable, "-m", "psikg", "--store", str(store), "--token-file",
                         str(token_file), "backup", str(folder / f"backup-{index}")],
                        check=True, env=env, capture_output=True, text=True).stdout
                    paused = re.search(r"engine paused ([0-9.]+) s", said)
                    backups.append((float(paused.group(1)) if paused else float("nan"),
                                    time.perf_counter() - started))
                    time.sleep(0.5)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        print(f"{args.triples:,} triples; {args.readers} readers; load average "
              f"{os.getloadavg()[0]:.1f}")
        for index, (paused, took) in enumerate(backups):
            print(f"backup {index}: engine paused {paused:.3f} s, psikg backup {took:.2f} s")
        for phase, seen in readers.latencies.items():
            seen.sort()
            if seen:
                print(f"readers {phase} the backups: {len(seen)} answers, p50 "
                      f"{seen[len(seen) // 2] * 1000:.0f} ms, max {seen[-1] * 1000:.0f} ms")
        print(f"answers other than 200: {readers.failures}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""``make bench-served-load``: a registry loaded through a running ``psikg serve`` against the
same load offline.

Generates the subsidies registry of ``bench/convert.py`` (``--rows`` rows, plain notation,
``tests/fixtures/synthetic/bench_table.py``) and times ``psikg load`` of it as a user runs
it, in a child process, end to end (conversion, validation, the budget aggregates, the
commit): on a store the command opens itself, and on a store a ``psikg serve`` holds,
through the server with the update token (:mod:`graph.engine.served_store`). Each is timed
twice: the first load (a new graph) and a reload (the graph replaced), offline and served
in turns so that the load of a shared machine falls on both. The server is up before the
clock starts. Prints the wall times, the ratios (goal, issue 14: at most 1.2× offline) and
the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.synthetic.bench_table import generate  # noqa: E402 - run as a script
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402

KEY = "6b" * 32
TOKEN = "bench-token-0123456789abcdef"


def timed_load(store: Path, table: Path, metadata: Path, env: dict[str, str]) -> float:
    """Wall seconds of ``psikg --store STORE load TABLE --metadata METADATA``."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), "load", str(table),
                    "--metadata", str(metadata)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(store: Path, token_file: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes],
                                                                       str]:
    """``psikg serve`` on ``store``, once its ``/health`` answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "psikg", "--store", str(store), "serve",
                               "--port", str(port), "--update-token-file", str(token_file)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # opening a store replays its log: minutes, at times
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"psikg serve on {store} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="psikg-bench-served-"))
    try:
        table = folder / "subsidies.csv"
        generate(table, args.rows, belgian=False)
        metadata = metadata_for(table, belgian=False)
        token_file = folder / "token"
        token_file.write_text(TOKEN, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
        env.update(PSIKG_PSEUDONYM_KEY=KEY, PYTHONPATH=str(ROOT))
        server, url = serve(folder / "served", token_file, env)
        with_token = {**env, "PSIKG_UPDATE_TOKEN_FILE": str(token_file)}
        before = os.getloadavg()[0]
        offline: list[float] = []
        through: list[float] = []
        try:
            for _ in range(2):  # taken in turns, so that the machine's load falls on both
                offline.append(timed_load(folder / "offline", table, metadata, env))
                through.append(timed_load(folder / "served", table, metadata, with_token))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        print(f"psikg load of {args.rows:,} rows, offline and through psikg serve ({url}); "
              f"load average {before:.1f} before, {os.getloadavg()[0]:.1f} after")
        print(f"{'load':<22}{'offline (s)':>12}{'served (s)':>12}{'ratio':>8}")
        for name, alone, served in zip(("first (new graph)", "reload (replaced)"), offline,
                                       through, strict=True):
            print(f"{name:<22}{alone:>12.1f}{served:>12.1f}{served / alone:>7.2f}×")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

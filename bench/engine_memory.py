"""``make bench-engine-memory``: the engine's resident memory across reloads through a
running ``psikg serve`` (issue 14's goal of flat memory), with psikg's allocator settings
for the engine or glibc's defaults.

The store is the soak bench's (``bench/soak.py``: the demo's samples and a generated
subsidies register of ``--rows`` rows; ``--folder`` keeps it between runs). The register
is reloaded ``--reloads`` times, each version in turn, with no other traffic; after each
reload (and 5 s), and once more after 30 s idle, the bench prints the engine's resident
memory (``VmRSS``: ``RssAnon``, what the process allocated, and ``RssFile``, mapped
files) and the peak during the reload, sampled every half second.

``--glibc-defaults`` starts the server with ``MALLOC_ARENA_MAX=8×cores``, glibc's own
value, which makes psikg leave every allocator setting to glibc
(:data:`graph.engine.process.ALLOCATOR_SETTINGS`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import tree  # noqa: E402 - run as a script
from bench.served_load import KEY  # noqa: E402
from bench.served_load import TOKEN  # noqa: E402
from bench.served_load import serve  # noqa: E402
from bench.soak import build  # noqa: E402
from bench.soak import is_engine  # noqa: E402
from bench.soak import psikg  # noqa: E402

FIELDS = ("VmRSS", "RssAnon", "RssFile")


def memory_mib(pid: int) -> dict[str, int]:
    """The process's resident memory fields, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name in FIELDS:
            found[name] = int(value.split()[0]) // 1024
    return found


def line(label: str, pid: int, peak: int | None = None) -> str:
    now = memory_mib(pid)
    text = f"{label:<34}" + "".join(f"{now[name]:>10}" for name in FIELDS)
    return text + (f"{peak:>10}" if peak is not None else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reloads", type=int, default=5)
    parser.add_argument("--folder", type=Path,
                        help="build the store here and keep it; reused if it is there")
    parser.add_argument("--glibc-defaults", action="store_true",
                        help="leave the engine's allocator to glibc's defaults")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="psikg-bench-memory-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PSIKG_", "MALLOC_"))}
    env.update(PSIKG_PSEUDONYM_KEY=KEY, PYTHONPATH=str(ROOT))
    store, tables = build(folder, args.rows, env)
    token_file = folder / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    served = {**env, **({"MALLOC_ARENA_MAX": str(8 * (os.cpu_count() or 1))}
                        if args.glibc_defaults else {})}
    server, _ = serve(store, token_file, served)
    try:
        engine = next(pid for pid in tree(server.pid) if is_engine(pid))
        print(f"engine memory (MiB), {args.rows:,} rows, "
              + ("glibc's defaults" if args.glibc_defaults else "psikg's allocator settings"))
        print(f"{'':<34}" + "".join(f"{name:>10}" for name in FIELDS) + f"{'peak':>10}")
        print(line("after start", engine))
        reloads(store, tables, engine, args.reloads,
                {**env, "PSIKG_UPDATE_TOKEN_FILE": str(token_file)})
        time.sleep(30)
        print(line("30 s later, idle", engine))
    finally:
        server.terminate()
        server.wait(120)


def reloads(store: Path, tables: list[tuple[Path, Path]], engine: int, count: int,
            env: dict[str, str]) -> None:
    """Reload the register ``count`` times, each version in turn; a line after each."""
    for turn in range(count):
        table, metadata = tables[turn % len(tables)]
        peak, done = [0], threading.Event()
        sampler = threading.Thread(target=_sample_peak, args=(engine, peak, done))
        sampler.start()
        started = time.perf_counter()
        loaded = psikg(store, "load", str(table), "--metadata", str(metadata), env=env)
        took = time.perf_counter() - started
        time.sleep(5)
        done.set()
        sampler.join()
        print(line(f"reload {turn + 1} ({table.parent.name}, {took:.0f} s"
                   + (f", exit {loaded.returncode})" if loaded.returncode else ")"),
                   engine, peak[0]), flush=True)


def _sample_peak(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], memory_mib(pid)["VmRSS"])
        time.sleep(0.5)


if __name__ == "__main__":
    main()

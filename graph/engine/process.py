"""The query engine process: ``oxigraph serve`` holding the store, on a loopback port.

Why a separate process and not pyoxigraph in the web workers:

- RocksDB lets one process open a store for writing, and read-only opens beside a writer
  are undefined behaviour. One engine process holds the store; every web worker talks to
  it over HTTP on 127.0.0.1. Oxigraph runs each query on a RocksDB snapshot and each
  update as one transaction, so readers see consistent snapshots and there is one writer.
- A query cannot be stopped from Python (pyoxigraph has no cancellation, Oxigraph issue
  #1926), and ``oxigraph serve --timeout-s`` did not stop the long queries we measured
  (cross products with COUNT, ORDER BY, GROUP BY, DISTINCT, even a streamed SELECT ran
  past the limit: ``endpoint/README.md``). A process can always be stopped: when a query
  outlives its deadline the endpoint kills the engine (:meth:`EngineProcess.kill`) and the
  supervisor starts it again on the same port, in about a tenth of a second.

Before the engine opens the store, :func:`prepare_store` opens it once with
:class:`graph.store.Store`, which removes what a dead load left behind (staging graphs,
graphs behind load markers). While serving, a write through ``/sparql`` or ``/store`` is
one transaction, and a load through ``/loads`` stages its graphs as offline, hidden from
every query until its commit (:mod:`graph.engine.loads`), so the union of all named graphs
that the engine queries is the union of the live graphs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from graph.atomic_file import replace_file
from graph.engine.client import EngineClient
from graph.errors import StoreError
from graph.store import Store

READY_TIMEOUT_S = 60.0
"""How long a starting engine may take to answer (opening a large store replays its log)."""

ALLOCATOR_SETTINGS = {
    "MALLOC_ARENA_MAX": "2",
    "MALLOC_MMAP_THRESHOLD_": str(1 << 20),
    "MALLOC_TRIM_THRESHOLD_": str(1 << 20),
}
"""glibc's allocator settings for the engine, unless the environment sets any of its own
(``MALLOC_ARENA_MAX=16`` alone gives glibc's defaults back on 2 cores).

Each load fills RocksDB's write buffers (Oxigraph gives each of its twelve column families
128 MiB of them, six deep), in blocks of megabytes, from threads that glibc would give
arenas of their own. Once a buffer is flushed to disk, glibc kept those blocks, so the
engine only grew from load to load. With few arenas and blocks of a MiB or more mapped on
their own, a flushed buffer goes back to the system (docs/performance.md, the soak).
"""


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable of the ``oxigraph`` package: beside this Python, else on
    ``PATH``.

    :raises StoreError: if it is not installed.
    """
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph")
    if found is None:
        raise StoreError("the `oxigraph` command is missing; install the `oxigraph` package "
                         "(`pip install oxigraph`, or `make setup`)", type="engine-missing")
    return found


def _with_allocator_settings(environment: Mapping[str, str]) -> dict[str, str]:
    """``environment``, with :data:`ALLOCATOR_SETTINGS` if it sets no ``MALLOC_`` variable."""
    if any(name.startswith("MALLOC_") for name in environment):
        return dict(environment)
    return {**environment, **ALLOCATOR_SETTINGS}


def dies_with_parent(command: list[str]) -> list[str]:
    """``command``, run so that it gets SIGTERM when the thread that starts it dies.

    A supervisor killed outright (SIGKILL, the OOM killer) stops none of its children: the
    engine it left held the store and the web server kept answering without it, so the
    next ``psikg serve`` on that store could not start. Linux's parent-death signal, which
    util-linux's ``setpriv`` sets before it runs the command, stops them. The supervisor
    starts them from its main thread only. Without ``setpriv`` (not Linux), as before.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *command] if setpriv else command


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def listens(url: str, timeout_s: float = 0.5) -> bool:
    """Whether a server accepts connections at ``url`` now: the supervisor waits for its
    WSGI server before starting the scheduled runs that write through it."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80),
                                      timeout=timeout_s):
            return True
    except OSError:
        return False


def pid_file(run_dir: Path) -> Path:
    """Where the supervisor records the engine's pid in its run folder, for the web workers
    (:meth:`EngineProcess.write_pid` writes it, :class:`EngineClient` reads it)."""
    return run_dir / "engine.pid"


def prepare_store(path: Path, base_iri: str) -> None:
    """Open the store once as psikg does, so that a load that died is cleaned up, then let go.

    :raises StoreError: if another process holds the store.
    """
    Store(path, base_iri).close()


class EngineProcess:
    """``oxigraph serve`` on ``store``, bound to ``127.0.0.1:port``.

    :param store: the store folder.
    :param port: the loopback port; a free one if ``None``.
    :param timeout_s: passed to Oxigraph's own ``--timeout-s`` if given. ``psikg serve``
        does not: it stopped none of our long queries, and Oxigraph starts one sleeping
        thread per query for it (tens of thousands under load); the endpoint enforces the
        deadline itself.
    """

    def __init__(self, store: Path, port: int | None = None, timeout_s: float | None = None,
                 log: Path | None = None) -> None:
        self.store = Path(store)
        self.port = port or free_port()
        self.timeout_s = timeout_s
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def command(self) -> list[str]:
        command = [oxigraph_binary(), "serve", "--location", str(self.store),
                   "--bind", f"127.0.0.1:{self.port}"]
        if self.timeout_s:
            command += ["--timeout-s", str(max(1, round(self.timeout_s)))]
        return command

    def start(self) -> None:
        """Start the engine and wait until it answers.

        :raises StoreError: if it exits (store locked, corrupt) or does not answer in time.
        """
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(dies_with_parent(self.command()), stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            env=_with_allocator_settings(os.environ))
        finally:
            if self.log:
                output.close()  # type: ignore[union-attr]
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise StoreError(
                    f"the query engine stopped while opening {self.store}: is another "
                    "process (`psikg load`, another `psikg serve`) holding the store?"
                    + (f" See {self.log}." if self.log else ""),
                    type="engine-failed", file=str(self.store))
            if self.answers():
                return
            time.sleep(0.02)
        self.stop()
        raise StoreError(f"the query engine did not answer within {READY_TIMEOUT_S:g} s",
                         type="engine-failed", file=str(self.store))

    def answers(self) -> bool:
        """Whether the engine answers a trivial query now."""
        return EngineClient(self.url).answers()

    def kill(self) -> None:
        """Stop the engine at once, whatever it is running (a runaway query)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop the engine cleanly (SIGTERM, then SIGKILL after ``grace_s``)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(grace_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def write_pid(self, path: Path) -> None:
        """Record the engine's pid where web workers find it (atomically replaced)."""
        replace_file(path, str(self.pid))

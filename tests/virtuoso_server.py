"""A Virtuoso for the tests (a pytest plugin): Debian's ``virtuoso-opensource`` (``make
test`` installs it), started once per run with an ini of its own, bound to 127.0.0.1 on
two free ports, its database in a folder of its own, the ``dba`` and ``dav`` passwords
changed at its first start. Never the packaged ini: it listens on every interface.

Where Virtuoso is not installed the tests that use it fail; nothing is skipped. Every test
that needs it lives in ``tests/test_virtuoso.py``, so that ``pytest --dist loadfile``
starts one Virtuoso per run.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT_S = 90.0
PAGE_ROWS = 10_000
"""Virtuoso's own default ``ResultSetMaxRows``: the tests run with it, as users will."""
SMALL_BUFFERS = (10_000, 6_000)
"""Virtuoso's default ``NumberOfBuffers`` and ``MaxDirtyBuffers``: enough for the tests."""
LARGE_BUFFERS = (680_000, 500_000)
"""The packaged ini's preset for 8 GB of free memory (docs/engines.md): for millions of
triples (``make bench-engines``)."""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, its SQL port and the ``dba`` credentials."""

    url: str
    sql_port: int
    password: str
    password_file: Path
    folder: Path
    user: str = "dba"

    def isql(self, sql: str) -> str:
        """Run SQL statements (``;``-separated) as ``dba``; their output."""
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", self.user,
                               self.password], input=sql, capture_output=True, text=True,
                              timeout=60, check=True)
        if "*** Error" in done.stdout:
            raise RuntimeError(done.stdout)
        return done.stdout

    def environment(self) -> dict[str, str]:
        """The variables that point psikg at this Virtuoso."""
        return {"PSIKG_ENGINE_URL": self.url, "PSIKG_ENGINE_KIND": "virtuoso",
                "PSIKG_ENGINE_USER": self.user,
                "PSIKG_ENGINE_PASSWORD_FILE": str(self.password_file)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_ini(folder: Path, sql_port: int, http_port: int,
              buffers: tuple[int, int] = SMALL_BUFFERS, max_rows: int = PAGE_ROWS) -> Path:
    """An ini of the tests' own: loopback only, every file in ``folder``; ``buffers`` are
    its ``NumberOfBuffers`` and ``MaxDirtyBuffers``, ``max_rows`` its row cap."""
    (folder / "www").mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = {buffers[0]}
MaxDirtyBuffers = {buffers[1]}
CheckpointInterval = 60
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 10
MaxClientConnections = 10
[URIQA]
DefaultHost = 127.0.0.1:{http_port}
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 0
""", encoding="utf-8")
    return ini


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2) as answer:
            return bool(answer.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def start(folder: Path, buffers: tuple[int, int] = SMALL_BUFFERS, max_rows: int = PAGE_ROWS
          ) -> tuple[Virtuoso, subprocess.Popen[bytes]]:
    """Start a Virtuoso in ``folder`` (``buffers``, ``max_rows``: see :func:`write_ini`)
    and change its passwords.

    :raises pytest.fail.Exception: if Virtuoso is not installed or does not start.
    """
    for program in ("virtuoso-t", "isql-vt"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not installed: `make test` installs Debian's "
                        "virtuoso-opensource (or: apt-get install virtuoso-opensource)")
    sql_port, http_port = _free_port(), _free_port()
    write_ini(folder, sql_port, http_port, buffers, max_rows)
    url = f"http://127.0.0.1:{http_port}"
    process = _launch(folder, url)
    password = secrets.token_hex(12)
    first = Virtuoso(url, sql_port, "dba", folder / "unused", folder)
    first.isql(f"user_set_password('dav', '{secrets.token_hex(12)}');\n"
               f"user_set_password('dba', '{password}');\n")
    password_file = folder / "dba-password"
    password_file.write_text(password + "\n", encoding="utf-8")
    return Virtuoso(url, sql_port, password, password_file, folder), process


def _launch(folder: Path, url: str) -> subprocess.Popen[bytes]:
    """Virtuoso on ``folder``'s ini, once it answers at ``url`` and says it is online."""
    log_file = folder / "stdout.log"  # in the foreground, Virtuoso logs to its stdout
    log = log_file.open("wb")
    process = subprocess.Popen(["virtuoso-t", "+configfile", str(folder / "virtuoso.ini"),
                                "+foreground"], stdout=log, stderr=subprocess.STDOUT,
                               cwd=folder)
    give_up = time.monotonic() + START_TIMEOUT_S
    while not (_answers(url) and "Server online" in _text(log_file)):
        if process.poll() is not None or time.monotonic() > give_up:
            process.kill()
            pytest.fail("Virtuoso did not start: " + _text(log_file)[-2000:])
        time.sleep(0.2)
    return process


def restart(virtuoso: Virtuoso) -> subprocess.Popen[bytes]:
    """Start again a Virtuoso that was stopped or killed, on its own database (it replays
    its transaction log first)."""
    (virtuoso.folder / "virtuoso.lck").unlink(missing_ok=True)  # left by a killed one
    return _launch(virtuoso.folder, virtuoso.url)


def stop(virtuoso: Virtuoso, process: subprocess.Popen[bytes]) -> None:
    """Shut Virtuoso down (checkpoint and exit), or kill it if it does not."""
    with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
        virtuoso.isql("shutdown();")
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """One Virtuoso for the whole run (see the module's docstring)."""
    running, process = start(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield running
    finally:
        stop(running, process)

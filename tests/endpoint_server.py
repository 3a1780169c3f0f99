"""The endpoint for tests: the sample store built once, one query engine on it for the
session with apps in this process (``endpoint``, through Flask's test client), and a live
``psikg serve`` on a free port for the tests where the server itself is under test.
Registered as a pytest plugin by ``tests/conftest.py``.

``live_server(store, *options)`` is the context manager behind the live fixtures, for tests
that need their own options (a token file, a timeout, CORS origins).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from graph.engine.process import EngineProcess
from tests.cli_runs import run_in_process
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

STARTUP_TIMEOUT_S = 60.0
TOKEN = "test-token-0123456789abcdef"
"""The update token that :func:`token_file` writes."""

SAMPLE = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; rdfs:label "Alpha"@en, "Alfa"@nl ; ex:amount 12.5 ; ex:next ex:b .
ex:b a ex:Thing ; rdfs:label "B \\"quoted\\", with comma\\nand newline" ; ex:amount 7 .
ex:c a ex:Other ; rdfs:label "Ç" .
"""
"""The fixture data: three resources with languages, datatypes and awkward literals."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def load(store: Path, path: Path, *extra: str) -> None:
    """Load an RDF file into ``store`` with ``psikg load`` (in this process)."""
    psikg(store, "load", str(path), *extra)


def psikg(store: Path, *arguments: str) -> None:
    """Run ``psikg --store STORE ARGUMENTS…`` in this process; raise if it fails."""
    done = run_in_process(["--store", str(store), *arguments])
    if done.returncode != 0:
        raise RuntimeError(f"psikg {' '.join(arguments)} exited with {done.returncode}:\n"
                           f"{done.stdout}{done.stderr}")


def copy_store(template: Path, target: Path) -> Path:
    """A copy of ``template``, a store no process holds (a template is never served)."""
    shutil.copytree(template, target)
    return target


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}


@contextmanager
def live_server(store: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``psikg serve`` on ``store`` until the block ends; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "psikg", "--store", str(store), "serve",
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", *options]
    process = subprocess.Popen(command, env={**_env(), **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(process, url)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_health(process: subprocess.Popen[bytes], url: str,
                    timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Return once ``url``'s ``/health`` answers 200; raise if ``process`` exits first or
    ``timeout_s`` passes (with what the process printed)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"{' '.join(map(str, process.args))} exited with "
                               f"{process.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer /health within {timeout_s} s")


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding :data:`SAMPLE` in one graph, built once per session and never served:
    the stores of the tests are copies of it."""
    folder = tmp_path_factory.mktemp("endpoint")
    source = folder / "sample.ttl"
    source.write_text(SAMPLE, encoding="utf-8")
    load(folder / "template", source)
    return folder / "template"


@pytest.fixture(scope="session")
def sample_store(sample_template: Path) -> Path:
    """The sample store that the session's engine (:func:`sample_engine`) holds."""
    return copy_store(sample_template, sample_template.parent / "store")


@pytest.fixture
def fresh_sample_store(sample_template: Path, tmp_path: Path) -> Path:
    """A copy of the sample store of this test's own, held by nobody."""
    return copy_store(sample_template, tmp_path / "sample-store")


@pytest.fixture(scope="session")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("token") / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def sample_engine(sample_store: Path) -> Iterator[EngineProcess]:
    """The query engine on :func:`sample_store`, one for the session."""
    with engine_on(sample_store) as engine:
        yield engine


@pytest.fixture(scope="session")
def endpoint(sample_engine: EngineProcess, token_file: Path,
             tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    """The endpoint on the sample store in this process (updates allowed with
    :data:`TOKEN`, CORS for one origin), shared by the session; tests that write use their
    own graphs."""
    return app_client(sample_engine, tmp_path_factory.mktemp("endpoint-run"),
                      update_token_file=token_file, cors_origins=("https://allowed.example",))


@pytest.fixture(scope="session")
def live_endpoint(sample_template: Path, token_file: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live ``psikg serve`` on a copy of the sample store with the options of
    :func:`endpoint`, for real SPARQL clients; yields its base URL."""
    store = copy_store(sample_template, tmp_path_factory.mktemp("live-endpoint") / "store")
    with live_server(store, "--update-token-file", str(token_file),
                     "--cors", "https://allowed.example") as url:
        yield url

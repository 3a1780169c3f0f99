"""A live ``psikg serve`` for tests: a free port on 127.0.0.1, a temporary store, and the base
URL once ``/health`` answers. Registered as a pytest plugin by ``tests/conftest.py``.

``live_server(store, *options)`` is the context manager behind the fixtures, for tests that
need their own options (a token file, a timeout, CORS origins).
"""

from __future__ import annotations

import os
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
    """Load an RDF file into ``store`` with the real ``psikg load``."""
    subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), "load", str(path),
                    *extra], check=True, capture_output=True, env=_env())


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
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding :data:`SAMPLE` in one graph, built once per session."""
    folder = tmp_path_factory.mktemp("endpoint")
    source = folder / "sample.ttl"
    source.write_text(SAMPLE, encoding="utf-8")
    load(folder / "store", source)
    return folder / "store"


@pytest.fixture(scope="session")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("token") / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def endpoint(sample_store: Path, token_file: Path) -> Iterator[str]:
    """A read-mostly live server on the sample store (updates allowed with :data:`TOKEN`),
    shared by the session; tests that write use their own graphs."""
    with live_server(sample_store, "--update-token-file", str(token_file),
                     "--cors", "https://allowed.example") as url:
        yield url

"""``psikg demo`` loads the samples and then serves them (``make demo``), until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.endpoint_server import free_port

STARTUP_TIMEOUT_S = 300.0
"""Loading every sample registry and starting the engine, on a busy 2-core machine."""


def test_demo_serves_the_loaded_samples(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(tmp_path / "store"), "demo",
         "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(process, url)
        answer = requests.get(f"{url}/sparql", timeout=30, params={
            "query": "ASK { ?grant a <https://schema.org/MonetaryGrant> }"},
            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200
        assert answer.json()["boolean"] is True
        canned = requests.get(f"{url}/queries/spending-by-body-year.json", timeout=30)
        assert canned.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    text = output.decode()
    assert "triples in" in text  # the statistics came before serving
    assert f"serving the demo store at http://127.0.0.1:{port}/" in text


def _wait_for_health(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"psikg demo exited with {process.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"psikg demo served nothing within {STARTUP_TIMEOUT_S} s")

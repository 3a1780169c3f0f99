"""``psikg demo`` loads the samples and then serves them (``make demo``), until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.endpoint_server import free_port
from tests.endpoint_server import wait_for_health

STARTUP_TIMEOUT_S = 300.0
"""Loading every sample registry and starting the engine, on a busy 2-core machine."""


@pytest.mark.slow
def test_demo_serves_the_loaded_samples(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(tmp_path / "store"), "demo",
         "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(process, url, STARTUP_TIMEOUT_S)
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


"""``psikg load`` on a store that ``psikg serve`` is serving: it goes through the running
server (found through the announcement beside the store), and says what it needs when the
update token is missing; the announcement goes with the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.engine.serving import marker
from tests.endpoint_server import live_server


@pytest.mark.slow
def test_load_while_serving_goes_through_the_server(
        fresh_sample_store: Path, tmp_path: Path, token_file: Path) -> None:
    store = fresh_sample_store
    data = tmp_path / "more.ttl"
    data.write_text("<http://example.org/x> <http://example.org/p> 1 .\n", encoding="utf-8")
    command = [sys.executable, "-m", "psikg", "--store", str(store), "load", str(data)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    with live_server(store, "--update-token-file", str(token_file)) as url:
        assert marker(store).exists()
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env=environment)
        output = done.stdout + done.stderr
        assert done.returncode == 2, output
        assert f"the running `psikg serve` at {url} needs its update token" in output
        assert "Traceback" not in output
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={
            **environment, "PSIKG_UPDATE_TOKEN_FILE": str(token_file)})
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1 triples into <https://data.psikg.example/graph/more.ttl>" in done.stdout
    assert not marker(store).exists()


@pytest.mark.parametrize("content", ['{"url": "http://127.0.0.1:1", "pid": 999999999}', "{"])
def test_a_stale_or_broken_announcement_is_ignored(tmp_path: Path, content: str) -> None:
    from graph.engine.serving import locked_message

    store = tmp_path / "store"
    marker(store).write_text(content, encoding="utf-8")
    assert "held by another process" in locked_message(store)

"""``psikg load`` on a store that ``psikg serve`` is serving: a clear error that names the
running endpoint and says how to write through it; the announcement goes with the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.engine.serving import marker
from tests.endpoint_server import live_server


@pytest.mark.slow
def test_load_while_serving_says_to_write_through_the_endpoint(
        fresh_sample_store: Path, tmp_path: Path) -> None:
    store = fresh_sample_store
    data = tmp_path / "more.ttl"
    data.write_text("<http://example.org/x> <http://example.org/p> 1 .\n", encoding="utf-8")
    with live_server(store) as url:
        assert marker(store).exists()
        done = subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), "load",
                               str(data)], capture_output=True, text=True, timeout=120)
        output = done.stdout + done.stderr
        assert done.returncode != 0, output
        assert f"held by the running `psikg serve` at {url}" in output
        assert f"{url}/store?graph=" in output and "Authorization: Bearer" in output
        assert "Traceback" not in output
    assert not marker(store).exists()


@pytest.mark.parametrize("content", ['{"url": "http://127.0.0.1:1", "pid": 999999999}', "{"])
def test_a_stale_or_broken_announcement_is_ignored(tmp_path: Path, content: str) -> None:
    from graph.engine.serving import locked_message

    store = tmp_path / "store"
    marker(store).write_text(content, encoding="utf-8")
    assert "held by another process" in locked_message(store)

"""``psikg load`` on a store that ``psikg serve`` is serving: it goes through the running
server (found through the announcement beside the store), and says what it needs when the
update token is missing; the announcement goes with the server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

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


@pytest.mark.slow
def test_a_killed_supervisor_takes_its_engine_and_web_server_along(
        fresh_sample_store: Path) -> None:
    """SIGKILL leaves the supervisor no time to stop its children: they stop themselves
    (parent-death signal), so the store is free for the next ``psikg serve``."""
    store = fresh_sample_store
    with live_server(store) as url:
        supervisor = int(json.loads(marker(store).read_text(encoding="utf-8"))["pid"])
        children = _descendants(supervisor)
        assert len(children) >= 2, children  # the engine, the web server and its workers
        os.kill(supervisor, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in children if _alive(pid)]
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/health", timeout=2)
    with live_server(store) as url:  # the store is free again
        assert requests.get(f"{url}/health", timeout=10).status_code == 200


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += [int(child), *_descendants(int(child))]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent's wait would remove it

"""``psikg serve`` and ``psikg routes`` as a user runs them: ``--get`` without a server,
the route list, one-line errors for bad settings (in this process), and a stop that leaves
nothing running (a real ``psikg serve``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import RunPsikg
from tests.conftest import write
from tests.endpoint_server import free_port
from tests.endpoint_server import wait_for_health


def test_serve_get_sends_one_request_without_a_server(psikg: RunPsikg,
                                                     fresh_sample_store: Path) -> None:
    store = fresh_sample_store
    result = psikg("serve", "--get", "/health", store=store)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    query = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    assert json.loads(psikg("serve", "--get", query, store=store).stdout)["boolean"] is True


def test_serve_get_exits_1_unless_200(psikg: RunPsikg, fresh_sample_store: Path) -> None:
    result = psikg("serve", "--get", "/nowhere", store=fresh_sample_store)
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr
    assert json.loads(result.stdout)["status"] == 404


def test_routes_lists_every_area(psikg: RunPsikg) -> None:
    result = psikg("routes")
    assert result.returncode == 0
    for path in ("/sparql", "/store", "/health", "/validate"):
        assert path in result.stdout


def test_a_short_token_file_is_a_one_line_error(psikg: RunPsikg, tmp_path: Path) -> None:
    token = write(tmp_path / "token", "abc\n")
    result = psikg("serve", "--update-token-file", token, "--get", "/health")
    assert result.returncode == 2
    assert "16 characters" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_config_key_is_named(psikg: RunPsikg, tmp_path: Path) -> None:
    config = write(tmp_path / "psikg.toml", "[serve]\nthreads = 2\nport_number = 1\n")
    result = psikg("serve", "--config", config, "--get", "/health")
    assert result.returncode == 2
    assert "port_number" in result.stderr


def processes() -> dict[int, tuple[str, int, int]]:
    """Every process, from /proc: pid → (state, parent, process group)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry.name)] = (fields[0], int(fields[1]), int(fields[2]))
    return found


def children_of(pid: int) -> list[int]:
    return [child for child, (_, parent, _) in processes().items() if parent == pid]


def running_in_group(group: int) -> list[int]:
    """The group's processes that still run (a killed one may linger as a zombie until
    its new parent reaps it; it holds nothing open)."""
    return [pid for pid, (state, _, pgrp) in processes().items()
            if pgrp == group and state != "Z"]


@pytest.mark.slow
def test_stopping_serve_leaves_no_web_worker_behind(fresh_sample_store: Path) -> None:
    """SIGTERM to ``psikg serve`` stops the WSGI server's whole process group, its workers
    too: one left running kept the command's output open, and a caller reading it waited."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(fresh_sample_store), "serve", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "2"],
        env={k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_health(process, f"http://127.0.0.1:{port}")
        [web] = [pid for pid in children_of(process.pid)
                 if b"granian" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        group = os.getpgid(web)
        assert group == web != os.getpgid(process.pid)  # a group of its own
        assert children_of(web)  # its workers, in its group
        assert {os.getpgid(worker) for worker in children_of(web)} == {group}
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)  # ends only when nobody holds stdout
    assert process.returncode == 0, output.decode()
    deadline = time.monotonic() + 5  # SIGKILL is delivered, not awaited: let it land
    while running_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_in_group(group) == []

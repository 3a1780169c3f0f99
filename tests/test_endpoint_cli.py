"""``psikg serve`` and ``psikg routes`` as a user runs them: ``--get`` without a server,
the route list, and one-line errors for bad settings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import RunPsikg
from tests.conftest import write


def copy(store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    subprocess.run(["cp", "-r", str(store), str(target)], check=True)
    return target


def test_serve_get_sends_one_request_without_a_server(psikg: RunPsikg, sample_store: Path,
                                                     tmp_path: Path) -> None:
    store = copy(sample_store, tmp_path)
    result = psikg("serve", "--get", "/health", store=store)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    query = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    assert json.loads(psikg("serve", "--get", query, store=store).stdout)["boolean"] is True


def test_serve_get_exits_1_unless_200(psikg: RunPsikg, sample_store: Path,
                                      tmp_path: Path) -> None:
    result = psikg("serve", "--get", "/nowhere", store=copy(sample_store, tmp_path))
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr
    assert json.loads(result.stdout)["status"] == 404


def test_routes_lists_every_area(psikg: RunPsikg) -> None:
    result = psikg("routes")
    assert result.returncode == 0
    for path in ("/sparql", "/store", "/health"):
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

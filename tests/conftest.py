"""Shared fixtures: a fresh store folder per test, two ways to run ``psikg``: in this
process (``psikg``, through click's runner) and as a user does (``psikg_process``), and an
``oxigraph serve`` psikg does not run (``remote_oxigraph``)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.engine.process import EngineProcess
from tests.cli_runs import run_in_process
from tests.cli_runs import run_process

pytest_plugins = ["tests.endpoint_server", "tests.pages_server", "tests.queries_server",
                  "tests.virtuoso_server"]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store folder that does not exist yet; psikg creates it."""
    return tmp_path / "store"


RunPsikg = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def psikg(store_dir: Path) -> RunPsikg:
    """Run ``psikg --store <store_dir> ARGS…`` in this process (:func:`run_in_process`):
    the same entry point, exit code and output as the script, without an interpreter start."""

    def run(*args: str | os.PathLike[str], store: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_in_process(["--store", str(store or store_dir), *map(str, args)])

    return run


@pytest.fixture
def psikg_process(store_dir: Path) -> RunPsikg:
    """Run ``python -m psikg --store <store_dir> ARGS…`` in a child process, as a user would:
    for what only a real process shows (exit status, locks, its stderr)."""

    def run(*args: str | os.PathLike[str], store: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_process(["--store", str(store or store_dir), *map(str, args)], timeout)

    return run


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def remote_oxigraph(tmp_path: Path) -> Iterator[EngineProcess]:
    """An ``oxigraph serve`` psikg does not run: the engine ``--engine-url`` names."""
    process = EngineProcess(tmp_path / "remote-oxigraph-store")
    process.start()
    try:
        yield process
    finally:
        process.stop()

"""Shared fixtures: a fresh store folder per test and a way to run the real ``psikg`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["tests.endpoint_server", "tests.pages_server"]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store folder that does not exist yet; psikg creates it."""
    return tmp_path / "store"


RunPsikg = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def psikg(store_dir: Path) -> RunPsikg:
    """Run ``python -m psikg --store <store_dir> ARGS…`` in a subprocess, as a user would."""

    def run(*args: str | os.PathLike[str], store: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "psikg", "--store", str(store or store_dir),
                   *map(str, args)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)

    return run


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

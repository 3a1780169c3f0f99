"""The engine's pause gate: a backup pauses the engine only between writes, never under one.

The supervisor of ``psikg serve`` stops the engine for a backup (``endpoint/backups.py``).
A write it stopped mid-way would fail (the client cannot know whether it was applied), so
the web workers hold the gate *shared* for as long as the engine handles a write
(:meth:`PauseGate.writing`, in :meth:`graph.engine.client.EngineClient.call`), and the
supervisor holds it *exclusively* while the engine is paused (:meth:`PauseGate.paused`).

Two ``flock`` files in the run folder make it: ``engine.turnstile``, which a writer
passes before it takes ``engine.gate``, and which the supervisor closes first so that a
steady stream of writes cannot keep it waiting for ever; then ``engine.gate`` itself,
which the supervisor gets once the writes under way have been answered. A write that
arrives during the pause waits at the turnstile and is sent to the restarted engine.
Reads take no lock: the engine client sends a read again when the engine stops under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

TURNSTILE = "engine.turnstile"
GATE = "engine.gate"


class PauseGate:
    """The gate of the engine of one ``psikg serve``, in its run folder ``run_dir``."""

    def __init__(self, run_dir: Path) -> None:
        self.turnstile = run_dir / TURNSTILE
        self.gate = run_dir / GATE

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the gate shared while a write is sent and answered; wait during a pause."""
        with _locked(self.turnstile, fcntl.LOCK_SH):
            pass  # closed while the supervisor pauses the engine
        with _locked(self.gate, fcntl.LOCK_SH):
            yield

    @contextlib.contextmanager
    def paused(self, wait_s: float) -> Iterator[bool]:
        """Hold the gate exclusively: no write is under way while the block runs.

        :returns: (as the block's value) whether the writes under way ended within
            ``wait_s``; when they did not, the block runs anyway and they may fail.
        """
        deadline = time.monotonic() + wait_s
        with _polled(self.turnstile, deadline) as closed, _polled(self.gate, deadline) as quiet:
            yield closed and quiet


@contextlib.contextmanager
def _locked(path: Path, operation: int) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, operation)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextlib.contextmanager
def _polled(path: Path, deadline: float) -> Iterator[bool]:
    """An exclusive lock, tried until ``deadline``; whether it was had."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                had = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    had = False
                    break
                time.sleep(0.01)
        yield had
    finally:
        os.close(descriptor)

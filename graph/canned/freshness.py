"""Whether the aggregates are fresh, known without asking the store while nothing is written.

:func:`graph.canned.cube.is_fresh` asks the store twice; for a cheap canned query those two
round trips cost more than the query. But the store changes only through writes, and while
``psikg serve`` holds it every write comes through the endpoint (loads wait for the store's
lock). So the endpoint counts writes in two small files of the server's run folder, shared
by all its worker processes: one byte appended to :data:`BEGUN` before a write reaches the
store, one to :data:`ENDED` once it is over. A worker keeps the answer of ``is_fresh`` for
the count it was asked under, and asks again when the count changes.

The answer is kept only when the two files had the same size before and after it was
computed: no write was running or began meanwhile. While a write runs (or a worker died in
the middle of one, leaving the counts unequal) nothing is kept and every request asks the
store. Appending with ``O_APPEND`` is atomic between processes; a size is one ``stat``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from graph.canned.cube import is_fresh

if TYPE_CHECKING:
    from graph.canned.run import Executor

BEGUN = "canned-writes-begun"
ENDED = "canned-writes-ended"


class WriteCounter:
    """Writes begun and ended, counted in the sizes of two files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.begun = folder / BEGUN
        self.ended = folder / ENDED

    def begin(self) -> None:
        """Count a write that is about to reach the store (before it is sent).

        :raises OSError: if the file cannot be written; the write must then not be sent.
        """
        _append(self.begun)

    def end(self) -> None:
        """Count a write that is over (applied, refused, or failed)."""
        _append(self.ended)

    def generation(self) -> int | None:
        """The number of writes so far, or ``None`` while one is running."""
        begun, ended = _size(self.begun), _size(self.ended)
        return begun if begun == ended else None


def _append(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, b".")
    finally:
        os.close(descriptor)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


class Freshness:
    """:func:`graph.canned.cube.is_fresh`, kept between writes when ``writes`` counts them.

    :param writes: the server's write counter; ``None`` (an app without a run folder, the
        command line) asks the store every time.
    """

    def __init__(self, writes: WriteCounter | None) -> None:
        self.writes = writes
        self._known: tuple[int, bool] | None = None
        self._lock = threading.Lock()
        self.asked = 0
        """How many times the store was asked (tests and benchmarks read it)."""

    def __call__(self, executor: Executor) -> bool:
        """Whether the aggregates match every graph of grants now in the store."""
        if self.writes is None:
            return self._ask(executor)
        before = self.writes.generation()
        known = self._known
        if before is not None and known is not None and known[0] == before:
            return known[1]
        fresh = self._ask(executor)
        if before is not None and self.writes.generation() == before:
            self._known = (before, fresh)
        return fresh

    def _ask(self, executor: Executor) -> bool:
        with self._lock:
            self.asked += 1
        return is_fresh(executor)

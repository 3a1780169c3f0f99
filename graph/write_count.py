"""The store's generation as a server sees it: its writes, counted, and answers kept
between two of them.

Whatever a page reads from the store and asks again on every request (whether the budget
aggregates are fresh, the values a form offers) changes only when the store is written. While
``psikg serve`` holds the store every write comes through the endpoint (loads wait for the
store's lock), so the endpoint counts writes in two small files of the server's run folder,
shared by all its worker processes (:class:`WriteCounter`): one byte appended to
:data:`BEGUN` before a write reaches the store, one to :data:`ENDED` once it is over. The
number of writes ended is the store's generation. :class:`KeptBetweenWrites` keeps an answer
for the generation it was computed under, and computes again when the count changes. An
answer is kept only when the two files had the same size before and after it was computed:
no write was running or began meanwhile. While a write runs (or a worker died in the middle
of one, leaving the counts unequal) nothing is kept and every request asks the store.
Appending with ``O_APPEND`` is atomic between processes; a size is one ``stat``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from collections.abc import Hashable
from pathlib import Path
from typing import Generic
from typing import TypeVar

BEGUN = "canned-writes-begun"
ENDED = "canned-writes-ended"

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class WriteCounter:
    """Writes begun and ended, counted in the sizes of two files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.begun = folder / BEGUN
        self.ended = folder / ENDED

    def begin(self) -> None:
        """Count a write that is about to reach the store (before it is sent).

        :raises OSError: if the file cannot be written; the write must then not be sent.
        """
        count_one(self.begun)

    def end(self) -> None:
        """Count a write that is over (applied, refused, or failed)."""
        count_one(self.ended)

    def generation(self) -> int | None:
        """The number of writes so far, or ``None`` while one is running."""
        begun, ended = count_of(self.begun), count_of(self.ended)
        return begun if begun == ended else None


def count_one(path: Path) -> None:
    """Add one to the count kept in ``path``: one byte appended, atomic between processes
    (also the journal of loads in flight, :class:`graph.engine.loads.LoadsInFlight`)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, b".")
    finally:
        os.close(descriptor)


def count_of(path: Path) -> int:
    """The count kept in ``path`` (:func:`count_one`): its size; 0 if it does not exist."""
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


class KeptBetweenWrites(Generic[Key, Value]):
    """Answers computed from the store, each kept until the store is written.

    :param writes: the server's write counter; ``None`` (an app without a run folder, the
        command line) keeps nothing and computes every time.
    :param max_age_s: how long an answer may be kept at most, for a store that other
        processes also write without this counter seeing it (an engine psikg does not
        run, which commands with ``--engine-url`` write directly); ``None``: until a write.
    """

    def __init__(self, writes: WriteCounter | None, max_age_s: float | None = None) -> None:
        self.writes = writes
        self.max_age_s = max_age_s
        self._generation: int | None = None
        self._kept: dict[Key, tuple[float, Value]] = {}
        self._lock = threading.Lock()
        self.computed = 0
        """How many answers were computed (tests and benchmarks read it)."""

    def get(self, key: Key, compute: Callable[[], Value]) -> Value:
        """The answer kept for ``key`` in this generation (and younger than
        :attr:`max_age_s`), else ``compute()`` (kept when no write ran meanwhile)."""
        before = self.writes.generation() if self.writes is not None else None
        if before is not None:
            with self._lock:
                kept = self._kept.get(key) if self._generation == before else None
                if kept is not None and (self.max_age_s is None
                                         or time.monotonic() - kept[0] < self.max_age_s):
                    return kept[1]
        started = time.monotonic()
        value = compute()
        with self._lock:
            self.computed += 1
            if before is not None and self.writes is not None \
                    and self.writes.generation() == before:
                if self._generation != before:  # a new generation: the old answers go
                    self._generation, self._kept = before, {}
                self._kept[key] = (started, value)
        return value

"""Whether the budget aggregates match the registries now in the store.

:func:`is_fresh`: every graph with grants has aggregates made from its current checksum, no
aggregates outlive their graph, and the rankings cover exactly those graphs. Otherwise the
canned queries run their plain SPARQL. Writes that do not come through the loader (the
endpoint's SPARQL Update and Graph Store writes) run :func:`stale_update` in their
transaction: it removes the checksums the summaries were made from, so the aggregates are
stale from that moment until the registry is loaded again.

:func:`is_fresh` asks the store twice; for a cheap canned query those two round trips cost
more than the query. But the store changes only through writes, and while ``psikg serve``
holds it every write comes through the endpoint (loads wait for the store's lock). So the
endpoint counts writes in two small files of the server's run folder, shared by all its
worker processes (:class:`WriteCounter`): one byte appended to :data:`BEGUN` before a write
reaches the store, one to :data:`ENDED` once it is over. :class:`Freshness` keeps the
answer of :func:`is_fresh` for the count it was asked under, and asks again when the count
changes. The answer is kept only when the two files had the same size before and after it
was computed: no write was running or began meanwhile. While a write runs (or a worker died
in the middle of one, leaving the counts unequal) nothing is kept and every request asks
the store. Appending with ``O_APPEND`` is atomic between processes; a size is one ``stat``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graph.budget.model import CUBE
from graph.budget.model import aggregates_graph
from graph.namespaces import SCHEMA
from graph.namespaces import SPDX


class Selects(Protocol):
    """What runs the freshness queries: anything that runs a SELECT and gives its
    solutions (``graph.canned.run.Executor`` is one)."""

    def select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of ``sparql``."""
        ...


_GRANT_GRAPHS = f"""
PREFIX spdx: <{SPDX}>
PREFIX schema: <{SCHEMA}>
SELECT DISTINCT ?g ?sum WHERE {{
  GRAPH ?meta {{ ?g spdx:checksum ?c . ?c spdx:checksumValue ?sum }}
  FILTER EXISTS {{ GRAPH ?g {{ ?grant a schema:MonetaryGrant }} }}
}}"""
_SUMMARIES = f"""
PREFIX cube: <{CUBE}>
SELECT ?kind ?src ?sum WHERE {{
  {{ ?s cube:kind "registry" ; cube:sourceGraph ?src ; cube:sourceChecksum ?sum .
     BIND("registry" AS ?kind) }}
  UNION
  {{ ?s cube:kind "rankings" ; cube:covers ?c . ?c cube:sourceGraph ?src ;
     cube:sourceChecksum ?sum . BIND("rankings" AS ?kind) }}
  UNION
  {{ ?s cube:kind "rankings" . BIND("rankings-present" AS ?kind) }}
}}"""


def stale_update(graph: str | None = None) -> str:
    """A SPARQL Update operation that makes aggregates stale: those of ``graph`` (and
    ``graph`` itself, were it an aggregates graph), or all of them.

    The endpoint runs it in the same request as every write that did not come through the
    loader (SPARQL Update, Graph Store POST and PUT), so :func:`is_fresh` is false from the
    moment the write is visible: it removes the checksums the summaries were made from.
    """
    pattern = f"?s <{CUBE}sourceChecksum> ?c"
    if graph is None:
        return f"DELETE WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    return " ;\n".join(f"DELETE WHERE {{ GRAPH {ox.NamedNode(name)} {{ {pattern} }} }}"
                        for name in (graph, aggregates_graph(graph)))


def is_fresh(executor: Selects) -> bool:
    """Whether the stored aggregates match every graph of grants now in the store."""
    grants = {(row["g"].value, row["sum"].value) for row in executor.select(_GRANT_GRAPHS)}
    registry: set[tuple[str, str]] = set()
    rankings: set[tuple[str, str]] = set()
    present = 0
    for row in executor.select(_SUMMARIES):
        kind = row["kind"].value
        if kind == "rankings-present":
            present += 1
            continue
        (registry if kind == "registry" else rankings).add((row["src"].value,
                                                             row["sum"].value))
    return bool(grants) and present == 1 and grants == registry == rankings


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
    """:func:`is_fresh`, kept between writes when ``writes`` counts them.

    :param writes: the server's write counter; ``None`` (an app without a run folder, the
        command line) asks the store every time.
    """

    def __init__(self, writes: WriteCounter | None) -> None:
        self.writes = writes
        self._known: tuple[int, bool] | None = None
        self._lock = threading.Lock()
        self.asked = 0
        """How many times the store was asked (tests and benchmarks read it)."""

    def __call__(self, executor: Selects) -> bool:
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

    def _ask(self, executor: Selects) -> bool:
        with self._lock:
            self.asked += 1
        return is_fresh(executor)

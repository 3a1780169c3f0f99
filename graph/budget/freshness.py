"""Whether the budget aggregates match the registries now in the store.

:func:`is_fresh`: every graph with grants has aggregates made from its current checksum, no
aggregates outlive their graph, and the rankings cover exactly those graphs. Otherwise the
canned queries run their plain SPARQL. Writes that do not come through the loader (the
endpoint's SPARQL Update and Graph Store writes) run :func:`stale_update` in their
transaction: it removes the checksums the summaries were made from, so the aggregates are
stale from that moment until the registry is loaded again.

:func:`is_fresh` asks the store twice; for a cheap canned query those two round trips cost
more than the query. But the store changes only through writes, which a server counts
(:mod:`graph.write_count`): :class:`Freshness` keeps the answer of :func:`is_fresh` for the
count it was asked under, and asks again when the count changes.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from graph.budget.model import CUBE
from graph.budget.model import aggregates_graph
from graph.namespaces import SCHEMA
from graph.namespaces import SPDX
from graph.write_count import KeptBetweenWrites
from graph.write_count import WriteCounter


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


class Freshness:
    """:func:`is_fresh`, kept between writes when ``writes`` counts them
    (:class:`graph.write_count.KeptBetweenWrites`).

    :param writes: the server's write counter; ``None`` (an app without a run folder, the
        command line) asks the store every time.
    :param max_age_s: how long an answer is kept at most (an engine that commands also
        write directly: :class:`graph.write_count.KeptBetweenWrites`).
    """

    def __init__(self, writes: WriteCounter | None, max_age_s: float | None = None) -> None:
        self.writes = writes
        self._kept: KeptBetweenWrites[None, bool] = KeptBetweenWrites(writes, max_age_s)

    @property
    def asked(self) -> int:
        """How many times the store was asked (tests and benchmarks read it)."""
        return self._kept.computed

    def __call__(self, executor: Selects) -> bool:
        """Whether the aggregates match every graph of grants now in the store."""
        return self._kept.get(None, lambda: is_fresh(executor))

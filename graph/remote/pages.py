"""psikg's own reads of whole graphs from an engine that cuts answers at a row cap
(Virtuoso's ``ResultSetMaxRows``, 10,000 by default): pages of a SELECT, checked against
the graph's count, so that an export is whole or an error, never silently short.

Pages have no ``ORDER BY``: Virtuoso refuses to sort past its cap (``SR353``), and reads
one graph's quads in index order, so that consecutive pages follow each other. The count
check catches a graph that changed between two pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from graph.errors import StoreError
from graph.remote.protocol import JSON_RESULTS
from graph.remote.protocol import SparqlProtocol
from graph.remote.protocol import json_results

PAGE_ROWS = 10_000
"""Rows per page: Virtuoso's default cap, so that a page is never cut by it."""


def select(protocol: SparqlProtocol, text: str, default_graphs: list[str] | None = None,
           named_graphs: list[str] | None = None) -> ox.QuerySolutions:
    """One of psikg's own SELECT queries whose answer is small (a row per graph, a count).

    :raises StoreError: if the engine says it cut the answer.
    """
    answer = protocol.query(text, JSON_RESULTS, default_graphs, named_graphs)
    if answer.cap:
        raise StoreError(f"the engine at {protocol.url} cut psikg's own query at "
                         f"{answer.cap} rows", type="result-truncated")
    rows = ox.parse_query_results(json_results(answer.body), format=ox.QueryResultsFormat.JSON)
    if not isinstance(rows, ox.QuerySolutions):
        raise StoreError("the engine answered a SELECT with a boolean", type="engine-error")
    return rows


def count(protocol: SparqlProtocol, graph: str) -> int:
    """The triples of ``graph``."""
    rows = select(protocol, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} "
                  "{ ?s ?p ?o } }")
    return int(next(iter(rows))["n"].value)


def graph_triples(protocol: SparqlProtocol, graph: str) -> Iterator[ox.Triple]:
    """Every triple of ``graph``, a page at a time.

    :raises StoreError: if the pages do not add up to the graph's count (it changed while
        read, or the engine cut a page).
    """
    expected = count(protocol, graph)
    name = ox.NamedNode(graph)
    seen, cap = 0, ""
    while seen < expected:
        answer = protocol.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }} "
                                f"LIMIT {PAGE_ROWS} OFFSET {seen}", JSON_RESULTS)
        rows = ox.parse_query_results(json_results(answer.body),
                                      format=ox.QueryResultsFormat.JSON)
        page, cap = 0, answer.cap or cap
        for row in rows:  # type: ignore[union-attr]
            page += 1
            yield ox.Triple(row["s"], row["p"], row["o"])
        seen += page
        if page < PAGE_ROWS:
            break
    if seen != expected and cap.isdigit() and int(cap) < PAGE_ROWS:
        raise StoreError(f"the engine at {protocol.url} cuts answers at {cap} rows, fewer "
                         f"than psikg's pages of {PAGE_ROWS}: raise its row cap "
                         "(Virtuoso: [SPARQL] ResultSetMaxRows)", type="result-truncated")
    if seen != expected:
        raise StoreError(f"graph {graph} changed while it was read from the engine at "
                         f"{protocol.url} ({seen} triples read, {expected} counted); try "
                         "again", type="graph-changed")

"""psikg's own reads from an engine that cuts answers at a row cap (Virtuoso's
``ResultSetMaxRows``, 10,000 by default): pages of a SELECT, checked against a count, so
that an export, a validation or a compliance tally is whole or an error, never silently
short.

- :func:`graph_triples`: every triple of one graph, checked against the graph's count.
- :func:`distinct_solutions`: every solution of one of psikg's own ``SELECT DISTINCT``
  queries (the validation's focus nodes and neighbourhoods, the compliance tally's rows),
  checked against the count of its distinct solutions.

Pages have no ``ORDER BY``: Virtuoso refuses to sort past its cap (``SR353``), and reads
in index order, so that consecutive pages follow each other. The checks catch what that
does not promise: a graph that changed between two pages, an engine that cut a page or
whose order changed between two pages (a graph's export on Virtuoso, on a busy machine,
once came out exactly a page short of distinct triples with its count right: pages that
overlap add up to a count, so the triples are also counted by subject buckets).
For :func:`distinct_solutions` the check is exact whatever the order: the pages' distinct
rows are all solutions, so as many of them as the count are all of them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator

import pyoxigraph as ox

from graph.errors import StoreError
from graph.remote.protocol import JSON_RESULTS
from graph.remote.protocol import SparqlProtocol
from graph.remote.protocol import json_results
from graph.sparql_text import blank
from graph.sparql_text import closing_brace

PAGE_ROWS = 10_000
"""Rows per page: Virtuoso's default cap, so that a page is never cut by it."""
COUNTED = "psikg_rows"
"""The variable of :func:`count_query`'s count."""

PageSender = Callable[[str], tuple[ox.QuerySolutions, str]]
"""Sends one SELECT to the engine (over the dataset it names, else psikg's graphs): its
solutions, and the row cap the engine says the answer reached (empty if none)."""

_SELECT_DISTINCT = re.compile(r"\bSELECT\s+DISTINCT\b", re.IGNORECASE)
_DATASET_OR_WHERE = re.compile(r"\b(?:FROM|WHERE)\b", re.IGNORECASE)


def select(protocol: SparqlProtocol, text: str, default_graphs: list[str] | None = None,
           named_graphs: list[str] | None = None) -> ox.QuerySolutions:
    """One of psikg's own SELECT queries whose answer is small (a row per graph, a count).

    :raises StoreError: if the engine says it cut the answer.
    """
    answer = protocol.query(text, JSON_RESULTS, default_graphs, named_graphs)
    if answer.cap:
        raise StoreError(f"the engine at {protocol.url} cut psikg's own query at "
                         f"{answer.cap} rows", type="result-truncated")
    return solutions(answer.body)


def solutions(body: bytes) -> ox.QuerySolutions:
    """A SELECT's answer in SPARQL JSON results, as pyoxigraph's solutions.

    :raises StoreError: if it is a boolean.
    """
    rows = ox.parse_query_results(json_results(body), format=ox.QueryResultsFormat.JSON)
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

    Past one page, the triples are also counted by their subject's bucket
    (:func:`subject_buckets`) on both sides: pages that overlap (an engine whose order
    changed between two pages, a graph changed without its count) add up to the count,
    not to the buckets.

    :raises StoreError: if the pages do not add up to the graph's count or buckets (it
        changed while read, or the engine cut a page or reordered its triples).
    """
    expected = count(protocol, graph)
    buckets = subject_buckets(protocol, graph) if expected > PAGE_ROWS else None
    name = ox.NamedNode(graph)
    seen, cap = 0, ""
    read: Counter[str] = Counter()
    while seen < expected:
        answer = protocol.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }} "
                                f"LIMIT {PAGE_ROWS} OFFSET {seen}", JSON_RESULTS)
        rows = ox.parse_query_results(json_results(answer.body),
                                      format=ox.QueryResultsFormat.JSON)
        page, cap = 0, answer.cap or cap
        for row in rows:  # type: ignore[union-attr]
            page += 1
            if buckets is not None:
                read[bucket_of(row["s"])] += 1
            yield ox.Triple(row["s"], row["p"], row["o"])
        seen += page
        if page < PAGE_ROWS:
            break
    if seen != expected and cap.isdigit() and int(cap) < PAGE_ROWS:
        raise _capped(protocol.url, cap)
    if seen != expected or (buckets is not None and read != buckets):
        raise StoreError(f"graph {graph} changed while it was read from the engine at "
                         f"{protocol.url} ({seen} triples read, {expected} counted"
                         f"{'' if seen != expected else ', but not the same ones'}); try "
                         "again", type="graph-changed")


def bucket_of(subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """A subject's bucket: the first two hex digits of its IRI's MD5, ``_`` for a blank
    node (as :func:`subject_buckets` computes it in the engine)."""
    if isinstance(subject, ox.NamedNode):
        return hashlib.md5(subject.value.encode("utf-8")).hexdigest()[:2]  # noqa: S324 - a bucket, not a secret
    return "_"


def subject_buckets(protocol: SparqlProtocol, graph: str) -> Counter[str]:
    """The triples of ``graph`` by their subject's bucket (:func:`bucket_of`): 257 numbers
    that a page read twice, or one skipped, changes."""
    rows = select(protocol, f"SELECT ?b (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} "
                  "{ ?s ?p ?o } BIND(IF(isBLANK(?s), \"_\", SUBSTR(MD5(STR(?s)), 1, 2)) AS ?b) "
                  "} GROUP BY ?b")
    return Counter({row["b"].value: int(row["n"].value) for row in rows})


def count_query(select: str) -> str:
    """A SELECT of the number of solutions of ``select`` (its prologue and dataset kept),
    as ``?psikg_rows``.

    >>> print(count_query("SELECT DISTINCT ?s FROM <u:g> WHERE { ?s ?p ?o }"))
    SELECT (COUNT(*) AS ?psikg_rows) FROM <u:g> WHERE { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }
    >>> print(count_query("SELECT DISTINCT ?s { ?s ?p ?o }"))
    SELECT (COUNT(*) AS ?psikg_rows) WHERE { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }

    :raises ValueError: if ``select`` is not a ``SELECT DISTINCT`` with a pattern.
    """
    code = blank(select)
    form = _SELECT_DISTINCT.search(code)
    opening = code.find("{", form.end()) if form else -1
    if form is None or opening < 0:
        raise ValueError(f"not a SELECT DISTINCT psikg can page: {select[:200]}")
    end = closing_brace(code, opening)
    split = _DATASET_OR_WHERE.search(code, form.end(), opening)
    head_end = split.start() if split else opening
    dataset = re.sub(r"\bWHERE\b", "", select[head_end:opening], flags=re.IGNORECASE).strip()
    inner = " ".join(part for part in (select[form.start():head_end].strip(), "WHERE",
                                       select[opening:end + 1], select[end + 1:].strip())
                     if part)
    outer = " ".join(part for part in (f"SELECT (COUNT(*) AS ?{COUNTED})", dataset) if part)
    return f"{select[:form.start()]}{outer} WHERE {{ {inner} }}"


def distinct_solutions(send: PageSender, select: str, engine: str) -> list[ox.QuerySolution]:
    """Every solution of ``select`` (one of psikg's own ``SELECT DISTINCT`` queries, with
    no ``LIMIT``, ``OFFSET`` or ``ORDER BY``), a page at a time; an answer that fits in
    one page is one round trip.

    :raises StoreError: if the engine cuts pages (its cap is below :data:`PAGE_ROWS`), or
        the pages do not hold as many distinct solutions as the engine counts (the data
        changed while read).
    :raises ValueError: if ``select`` is not a ``SELECT DISTINCT``.
    """
    counting = count_query(select)  # refuses what cannot be checked, before any page
    found: dict[tuple[str, ...], ox.QuerySolution] = {}
    read = 0
    while True:
        rows, cap = send(f"{select}\nLIMIT {PAGE_ROWS} OFFSET {read}")
        page = list(rows)
        if cap.isdigit() and int(cap) < PAGE_ROWS and len(page) >= int(cap):
            raise _capped(engine, cap)
        for row in page:
            found.setdefault(tuple(str(term) for term in row), row)
        read += len(page)
        if len(page) < PAGE_ROWS:
            break
    if read < PAGE_ROWS:
        return list(found.values())
    expected = int(next(iter(send(counting)[0]))[COUNTED].value)
    if len(found) != expected or read != expected:
        raise StoreError(f"the answer changed while psikg read it from the engine at "
                         f"{engine} ({len(found)} distinct rows read in {read}, {expected} "
                         "counted); try again", type="graph-changed")
    return list(found.values())


def _capped(engine: str, cap: str) -> StoreError:
    return StoreError(f"the engine at {engine} cuts answers at {cap} rows, fewer than "
                      f"psikg's pages of {PAGE_ROWS}: raise its row cap (Virtuoso: "
                      "[SPARQL] ResultSetMaxRows)", type="result-truncated")

"""The catalog for people: the published datasets searched, filtered by facets, sorted, paged.

``/catalog`` answers a browser with this page and ``/catalog.json`` with its dict
(:func:`search`); harvesters keep the RDF pages of :mod:`endpoint.platform_catalog`. The
datasets are those the RDF catalog publishes, read from the catalog's text index
(:mod:`endpoint.catalog_index`, SQLite FTS5), which the first reader after a load brings up
to date; the request's words reach SQLite as one bound parameter (each word quoted) and its
facet values are looked up in memory: neither reaches the store.

- ``q``: every word must start a word of a title, description or keyword (any language),
  case and accents ignored; ranked by BM25 with a title weighing 10, a keyword 5, a
  description 1.
- facets (each repeatable; a dataset passes a facet if it has one of the values given):
  ``publisher``, ``theme``, ``format``, ``licence``, ``hvd`` (HVD category), ``kind``
  (the publisher's ``psi:bodyKind``), ``language``. Each facet's counts are those of the
  datasets found.
- ``sort``: ``relevance`` (the default with ``q``), ``title`` (the default without, in the
  page's language), ``modified`` (newest first); ``page`` from 1, ``page_size`` (20, at
  most 100).
"""

from __future__ import annotations

import heapq
import re
import sqlite3
import threading
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from endpoint.catalog_facets import Entries
from endpoint.catalog_facets import EntriesCache
from endpoint.catalog_facets import mask_of
from endpoint.catalog_index import connect
from endpoint.catalog_index import page_rows
from endpoint.catalog_index import refresh
from endpoint.catalog_text import FACETS
from endpoint.catalog_text import folded
from endpoint.platform_catalog import CatalogSource
from endpoint.resource_page import Linker
from graph.errors import UsageError
from graph.languages import LANGUAGES
from graph.languages import pick
from graph.namespaces import DCAT

__all__ = ["FACETS", "SORTS", "CatalogIndex", "SearchRequest", "fts_query", "search"]

WEIGHTS = (10.0, 5.0, 1.0)
"""BM25 weights of a word in a title, a keyword, a description."""
SORTS = ("relevance", "title", "modified")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class CatalogIndex:
    """The index file, one SQLite connection per thread (a connection is not shared between
    threads), and the entries of its latest generation in memory
    (:mod:`endpoint.catalog_facets`)."""

    def __init__(self, path: Path, wait_s: float = 30.0) -> None:
        """:param wait_s: how long a reader waits for another's refresh of the index."""
        self.path = path
        self.wait_s = wait_s
        self.entries = EntriesCache()
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        found: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if found is None:
            found = self._local.conn = connect(self.path, self.wait_s)
        return found


@dataclass(frozen=True)
class SearchRequest:
    """What the reader asked: words, facet values, sort and page (see the module docstring)."""

    q: str = ""
    chosen: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def checked(self) -> SearchRequest:
        """This request, or :class:`UsageError` naming the bad parameter."""
        if self.sort and self.sort not in SORTS:
            raise UsageError(f"sort={self.sort!r} is not a sort order", type="bad-sort",
                             value=self.sort, expected=" or ".join(SORTS))
        if self.page < 1:
            raise UsageError(f"page {self.page} does not exist", type="bad-page",
                             value=str(self.page), expected="a page number from 1")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise UsageError(f"page_size {self.page_size} is out of range",
                             type="bad-page-size", value=str(self.page_size),
                             expected=f"1 to {MAX_PAGE_SIZE}")
        return self

    @property
    def order(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "title")


def search(index: CatalogIndex, source: CatalogSource, asked: SearchRequest,
           linker: Linker, indexing: CatalogSource | None = None) -> dict[str, Any]:
    """The page's dict: ``total``, ``datasets`` of this page, ``facets`` with counts, and
    the request as understood (``q``, ``sort``, ``page``, ``pages``, ``page_size``).

    The index is brought up to date with the store first (:func:`endpoint.catalog_index.refresh`);
    the page's datasets are then checked against the store, so that one removed by a bare
    SPARQL update (which leaves no new stamp) is not listed.

    :param indexing: where the index is brought up to date from, when not ``source``: the
        engine under a longer deadline than the page's, as re-reading a graph of many
        datasets may take longer than a page may.
    :raises sqlite3.OperationalError: if another reader holds the index's write lock longer
        than the index waits (:class:`CatalogIndex`)."""
    asked = asked.checked()
    conn = index.connection()
    refresh(conn, indexing or source)
    language = linker.order[0] if linker.order and linker.order[0] in LANGUAGES else "en"
    conn.execute("BEGIN")  # one snapshot of the index for every statement below
    try:
        entries = index.entries.current(conn)
        ranks = _ranks(conn, entries, asked) if asked.q.strip() else None
        mask = entries.chosen(asked.chosen)
        if ranks is not None:
            mask &= mask_of(ranks)
        ids = _page(entries, mask, ranks, asked, language)
        iris = dict(conn.execute("SELECT id, dataset FROM entries WHERE id IN "
                                 f"({', '.join('?' * len(ids))})", ids).fetchall())
        chosen = [iris[i] for i in ids]
        rows = page_rows(conn, chosen)
    finally:
        conn.execute("COMMIT")
    total = mask.bit_count()
    held = _held(source, chosen)
    linker.store_labels.update(entries.labels)
    counts = entries.counts(mask)
    by_facet: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in counts:
        by_facet[name].append((value, count))
    return {
        "total": total, "q": asked.q, "sort": asked.order, "page": asked.page,
        "page_size": asked.page_size, "pages": max(1, -(-total // asked.page_size)),
        "datasets": [_summary(d, rows[d], linker) for d in chosen if d in held],
        "facets": {name: [{"value": value, "label": _label(value, linker), "count": count,
                           "selected": value in asked.chosen.get(name, ())}
                          for value, count in sorted(values, key=lambda i: (-i[1], i[0]))]
                   for name, values in by_facet.items()},
    }


def fts_query(q: str) -> str:
    """The FTS5 query of the words of ``q``: every word, each as the start of a word (so
    ``reseau`` finds ``réseaux``), quoted so that no word is read as FTS5 syntax.

    >>> fts_query('Réseau "AND" NEAR(école* -x')
    '"reseau"* "and"* "near"* "ecole"* "x"*'
    """
    return " ".join(f'"{word}"*' for word in re.findall(r"\w+", folded(q)))


def _ranks(conn: sqlite3.Connection, entries: Entries, asked: SearchRequest) -> dict[int, float]:
    """The published entries whose text has every word of ``q``, with their BM25 rank (lower
    is better; a dataset in several graphs ranks by its best document; 0 for every entry
    when the page is not sorted by relevance). The text index alone is asked: joined with
    another table, FTS5 computes BM25 several times slower."""
    words = fts_query(asked.q)
    if not words:
        return {}
    relevance = asked.order == "relevance"
    found: dict[int, float] = {}
    known = len(entries.doc_entry)
    for doc, score in conn.execute(
            f"SELECT rowid, {'bm25(words, ?, ?, ?)' if relevance else '0'} FROM words "
            "WHERE words MATCH ?", [*(WEIGHTS if relevance else ()), words]):
        entry = entries.doc_entry[doc] if doc < known else 0
        if entry and (entry not in found or score < found[entry]):
            found[entry] = score
    return found


def _page(entries: Entries, mask: int, ranks: dict[int, float] | None, asked: SearchRequest,
          language: str) -> list[int]:
    """The ids of this page's entries, in the order asked; equal ones by title in the page's
    language, then IRI."""
    start, end = (asked.page - 1) * asked.page_size, asked.page * asked.page_size
    title = entries.title_rank[language]
    if asked.order == "title" and mask == entries.everything:
        return list(entries.by_title[language][start:end])
    found = list(ranks) if ranks is not None and not any(asked.chosen.values()) else (
        entries.members(mask))
    key: Callable[[int], Any]
    if asked.order == "relevance" and ranks is not None:
        key = lambda i: (ranks[i], title[i])  # noqa: E731 - one key each order
    elif asked.order == "modified":
        key = lambda i: (entries.date_rank[i], title[i])  # noqa: E731
    else:
        key = title.__getitem__
    return heapq.nsmallest(end, found, key=key)[start:]


def _held(source: CatalogSource, datasets: list[str]) -> set[str]:
    """Which of ``datasets`` the store still holds as a ``dcat:Dataset``."""
    if not datasets:
        return set()
    values = " ".join(str(ox.NamedNode(d)) for d in datasets)
    return {row["d"].value for row in source.query(
        f"SELECT DISTINCT ?d WHERE {{ VALUES ?d {{ {values} }} "
        f"GRAPH ?g {{ ?d a <{DCAT}Dataset> }} }}")}


def _summary(iri: str, found: dict[str, Any], linker: Linker) -> dict[str, Any]:
    order, text = linker.order, found["text"]
    description = pick(text.get("description", []), order) or ""
    return {"iri": iri, "href": linker.href(iri),
            "title": pick(text.get("title", []), order) or iri,
            "description": description[:300] + ("…" if len(description) > 300 else ""),
            "modified": max((v for v, _ in text.get("modified", [])), default=None),
            "keywords": sorted({v for v, lang in text.get("keyword", [])
                                if lang in ("", order[0])}),
            **{name: sorted(values) for name, values in found["facets"].items()}}


def _label(iri: str, linker: Linker) -> str:
    """A facet value's label, else its prefixed name, else the last step of its IRI
    (``…/file-type/PARQUET`` reads ``PARQUET``)."""
    label = linker.label(iri)
    if label != iri:
        return label
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri

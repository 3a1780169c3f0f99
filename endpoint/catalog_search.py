"""The catalog for people: the published datasets searched, filtered by facets, sorted, paged.

``/catalog`` answers a browser with this page and ``/catalog.json`` with its dict
(:func:`search`); harvesters keep the RDF pages of :mod:`endpoint.platform_catalog`. The
datasets are those the RDF catalog publishes, read from the catalog's text index
(:mod:`endpoint.catalog_index`, SQLite FTS5), which the first reader after a load brings up
to date; the request's values reach SQLite as bound parameters, never the store.

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

import re
import sqlite3
import threading
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from endpoint.catalog_index import FACET_COUNTS
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
    threads, and the page keeps its matches in a temporary table of its connection)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        found: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if found is None:
            found = self._local.conn = connect(self.path)
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
           linker: Linker) -> dict[str, Any]:
    """The page's dict: ``total``, ``datasets`` of this page, ``facets`` with counts, and
    the request as understood (``q``, ``sort``, ``page``, ``pages``, ``page_size``).

    The index is brought up to date with the store first (:func:`endpoint.catalog_index.refresh`);
    the page's datasets are then checked against the store, so that one removed by a bare
    SPARQL update (which leaves no new stamp) is not listed."""
    asked = asked.checked()
    conn = index.connection()
    refresh(conn, source)
    language = linker.order[0] if linker.order and linker.order[0] in LANGUAGES else "en"
    conn.execute("BEGIN")  # one snapshot of the index for every statement below
    try:
        total = _match(conn, asked)
        start = (asked.page - 1) * asked.page_size
        ids = [row[0] for row in conn.execute(
            f"SELECT id FROM temp.matching ORDER BY {_ORDER[asked.order]}sort_{language}, id "
            "LIMIT ? OFFSET ?", (asked.page_size, start))]
        iris = dict(conn.execute("SELECT id, dataset FROM entries WHERE id IN "
                                 f"({', '.join('?' * len(ids))})", ids).fetchall())
        chosen = [iris[i] for i in ids]
        counts = conn.execute(FACET_COUNTS.format(matching="temp.matching")
                              if asked.q.strip() or any(asked.chosen.values())
                              else "SELECT facet, value, count FROM facet_counts").fetchall()
        labels: dict[str, list[tuple[str, str]]] = {}
        for iri, label, lang in conn.execute("SELECT iri, label, lang FROM labels"):
            labels.setdefault(iri, []).append((label, lang))
        rows = page_rows(conn, chosen)
    finally:
        conn.execute("COMMIT")
    held = _held(source, chosen)
    linker.store_labels.update(labels)
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


_ORDER = {"relevance": "rank, ", "title": "", "modified": "modified DESC, "}
"""Each sort order's SQL, before the title in the page's language and the entry (entries are
numbered in IRI order)."""


def fts_query(q: str) -> str:
    """The FTS5 query of the words of ``q``: every word, each as the start of a word (so
    ``reseau`` finds ``réseaux``), quoted so that no word is read as FTS5 syntax.

    >>> fts_query('Réseau "AND" l\'école*')
    '"reseau"* "and"* "l"* "ecole"*'
    """
    return " ".join(f'"{word}"*' for word in re.findall(r"\w+", folded(q)))


def _match(conn: sqlite3.Connection, asked: SearchRequest) -> int:
    """Fill ``temp.matching`` with the published datasets the request finds; their number."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS matching (id INTEGER PRIMARY KEY, "
                 "modified TEXT, rank REAL, sort_fr TEXT, sort_nl TEXT, sort_de TEXT, "
                 "sort_en TEXT)")
    conn.execute("DELETE FROM temp.matching")
    where, params = _facet_filters(asked.chosen)
    words = fts_query(asked.q)
    if asked.q.strip() and not words:
        return 0
    found = ""
    if words:
        found = ("WITH found AS MATERIALIZED (SELECT rowid AS doc, bm25(words, ?, ?, ?) AS rank "
                 "FROM words WHERE words MATCH ?) ")
        hits = ("CROSS JOIN (SELECT d.entry AS entry, MIN(found.rank) AS rank FROM found CROSS "
                "JOIN docs AS d ON d.id = found.doc WHERE d.entry IS NOT NULL GROUP BY d.entry) "
                "AS h ON h.entry = e.id")
        params = [*WEIGHTS, words, *params]
    else:
        hits = "JOIN (SELECT 0 AS rank) AS h"
    conn.execute(f"INSERT INTO temp.matching {found}SELECT e.id, e.modified, h.rank, "
                 f"e.sort_fr, e.sort_nl, e.sort_de, e.sort_en FROM entries AS e {hits} {where}",
                 params)
    return int(conn.execute("SELECT COUNT(*) FROM temp.matching").fetchone()[0])


def _facet_filters(chosen: Mapping[str, Sequence[str]]) -> tuple[str, list[Any]]:
    """SQL keeping the entries that have one of the values asked of each facet."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, values in chosen.items():
        if values:
            clauses.append("e.id IN (SELECT f.entry FROM facet_values AS v JOIN entry_facets AS "
                           "f ON f.value = v.id WHERE v.facet = ? AND v.value IN "
                           f"({', '.join('?' * len(values))}))")
            params.extend([name, *values])
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


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

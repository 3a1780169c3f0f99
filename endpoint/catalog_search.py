"""The catalog for people: the published datasets searched, filtered by facets, sorted, paged.

``/catalog`` answers a browser with this page and ``/catalog.json`` with its dict
(:func:`search`); harvesters keep the RDF pages of :mod:`endpoint.platform_catalog`. The
datasets are those the RDF catalog publishes (:func:`~endpoint.platform_catalog.published`),
read from the query engine with one query per property; the request's values never reach
a query: they are compared in Python with what the queries answered.

- ``q``: every word must occur in a title, description or keyword (any language), case and
  accents ignored; relevance counts 3 for a word in the title, 2 in a keyword, 1 in the
  description. No text index: Oxigraph has none, and a real one (SQLite FTS5 or tantivy,
  kept in step with the store) is for a later change.
- facets (each repeatable; a dataset passes a facet if it has one of the values given):
  ``publisher``, ``theme``, ``format``, ``licence``, ``hvd`` (HVD category), ``kind``
  (the publisher's ``psi:bodyKind``), ``language``. Each facet's counts are those of the
  datasets found.
- ``sort``: ``relevance`` (the default with ``q``), ``title`` (the default without),
  ``modified`` (newest first); ``page`` from 1, ``page_size`` (20, at most 100).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import pyoxigraph as ox

from endpoint.platform_catalog import CatalogSource
from endpoint.platform_catalog import published
from endpoint.resource_page import Linker
from graph.errors import UsageError
from graph.languages import pick
from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT
from graph.namespaces import FOAF
from graph.namespaces import PSI
from graph.namespaces import RDFS
from graph.namespaces import SKOS

FACETS: dict[str, str] = {
    "publisher": f"<{DCT}publisher>",
    "theme": f"<{DCAT}theme>",
    "format": f"<{DCAT}distribution>/<{DCT}format>",
    "licence": f"<{DCT}license>|<{DCAT}distribution>/<{DCT}license>",
    "hvd": f"<{DCATAP}hvdCategory>",
    "kind": "",  # the publisher's psi:bodyKind, read across graphs (:func:`_body_kinds`)
    "language": f"<{DCT}language>",
}
"""Each facet's parameter and the property path from a dataset to its values."""
TEXT = {"title": DCT + "title", "description": DCT + "description",
        "keyword": DCAT + "keyword", "modified": DCT + "modified"}
WEIGHTS = {"title": 3, "keyword": 2, "description": 1}
SORTS = ("relevance", "title", "modified")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_LABELS = (SKOS + "prefLabel", FOAF + "name", RDFS + "label", DCT + "title")


@dataclass
class Found:
    """One published dataset, with what the page searches and filters on."""

    iri: str
    text: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """``title``, ``description``, ``keyword``, ``modified`` → (value, language) pairs."""
    facets: dict[str, set[str]] = field(default_factory=dict)
    relevance: int = 0


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


def folded(text: str) -> str:
    """``text`` for comparing: lower case, accents removed.

    >>> folded("Écoles ÉLÉMENTAIRES à Liège")
    'ecoles elementaires a liege'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(source: CatalogSource, asked: SearchRequest, linker: Linker) -> dict[str, Any]:
    """The page's dict: ``total``, ``datasets`` of this page, ``facets`` with counts, and
    the request as understood (``q``, ``sort``, ``page``, ``pages``, ``page_size``)."""
    asked = asked.checked()
    datasets = _read(source)
    terms = folded(asked.q).split()
    matching = [d for d in datasets.values() if _matches(d, terms)
                and all(not wanted or d.facets.get(name, set()) & set(wanted)
                        for name, wanted in asked.chosen.items())]
    _ordered(matching, asked.order, linker.order)
    start = (asked.page - 1) * asked.page_size
    counts = {name: Counter(v for d in matching for v in d.facets.get(name, ())) for name in FACETS}
    linker.store_labels.update(_labels(source, {v for c in counts.values() for v in c}))
    return {
        "total": len(matching), "q": asked.q, "sort": asked.order, "page": asked.page,
        "page_size": asked.page_size, "pages": max(1, -(-len(matching) // asked.page_size)),
        "datasets": [_summary(d, linker) for d in matching[start:start + asked.page_size]],
        "facets": {name: [{"value": value, "label": _label(value, linker), "count": count,
                           "selected": value in asked.chosen.get(name, ())}
                          for value, count in sorted(counts[name].items(),
                                                     key=lambda item: (-item[1], item[0]))]
                   for name in FACETS},
    }


def _read(source: CatalogSource) -> dict[str, Found]:
    datasets = {iri: Found(iri) for iri, _ in published(source)}
    values = " ".join(f"<{p}>" for p in TEXT.values())
    names = {p: name for name, p in TEXT.items()}
    for row in source.query(f"SELECT ?d ?p ?v WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ "
                            f"?d a <{DCAT}Dataset> ; ?p ?v FILTER(isLiteral(?v)) }} }}"):
        found = datasets.get(row["d"].value)
        if found is not None:
            found.text.setdefault(names[row["p"].value], []).append(
                (row["v"].value, row["v"].language or ""))
    for name, path in FACETS.items():
        rows = _body_kinds(source) if name == "kind" else source.query(
            f"SELECT DISTINCT ?d ?v WHERE {{ GRAPH ?g {{ ?d a <{DCAT}Dataset> ; {path} ?v "
            "FILTER(isIRI(?v)) } }")
        for row in rows:
            found = datasets.get(row["d"].value)
            if found is not None:
                found.facets.setdefault(name, set()).add(row["v"].value)
    return datasets


def _body_kinds(source: CatalogSource) -> Any:
    return source.query(f"SELECT DISTINCT ?d ?v WHERE {{ GRAPH ?g {{ ?d a <{DCAT}Dataset> ; "
                        f"<{DCT}publisher> ?p }} GRAPH ?h {{ ?p <{PSI}bodyKind> ?v "
                        "FILTER(isIRI(?v)) } }")


def _matches(found: Found, terms: list[str]) -> bool:
    """Whether every term occurs in the dataset's text; sets its relevance."""
    found.relevance = 0
    fields = {name: folded(" ".join(v for v, _ in found.text.get(name, ())))
              for name in WEIGHTS}
    for term in terms:
        hits = sum(weight for name, weight in WEIGHTS.items() if term in fields[name])
        if not hits:
            return False
        found.relevance += hits
    return True


def _ordered(found: list[Found], order: str, languages: Sequence[str]) -> None:
    """Sort ``found`` in place: by title, then (stable) by relevance or newest first."""
    found.sort(key=lambda d: (folded(pick(d.text.get("title", []), languages) or d.iri), d.iri))
    if order == "relevance":
        found.sort(key=lambda d: -d.relevance)
    elif order == "modified":
        found.sort(key=lambda d: max((v for v, _ in d.text.get("modified", [])), default=""),
                   reverse=True)


def _summary(found: Found, linker: Linker) -> dict[str, Any]:
    order = linker.order
    description = pick(found.text.get("description", []), order) or ""
    return {"iri": found.iri, "href": linker.href(found.iri),
            "title": pick(found.text.get("title", []), order) or found.iri,
            "description": description[:300] + ("…" if len(description) > 300 else ""),
            "modified": max((v for v, _ in found.text.get("modified", [])), default=None),
            "keywords": sorted({v for v, lang in found.text.get("keyword", [])
                                if lang in ("", order[0])}),
            **{name: sorted(values) for name, values in found.facets.items()}}


def _label(iri: str, linker: Linker) -> str:
    """A facet value's label, else its prefixed name, else the last step of its IRI
    (``…/file-type/PARQUET`` reads ``PARQUET``)."""
    label = linker.label(iri)
    if label != iri:
        return label
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _labels(source: CatalogSource, iris: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The store's labels of the facet values (the code lists' come from the vocabulary)."""
    found: dict[str, list[tuple[str, str]]] = {}
    if not iris:
        return found
    values = " ".join(str(ox.NamedNode(iri)) for iri in sorted(iris))
    props = " ".join(f"<{p}>" for p in _LABELS)
    for row in source.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ "
                            f"{props} }} GRAPH ?g {{ ?x ?p ?l FILTER(isLiteral(?l)) }} }}"):
        found.setdefault(row["x"].value, []).append((row["l"].value, row["l"].language or ""))
    return found

"""The platform's DCAT-AP 3 catalog (the decree's Art. 4), paged the Hydra way.

What a page holds:

- the platform, a ``psi:Platform`` and ``dcat:Catalog`` found in the store (a
  minimal one under ``{base}catalog`` if none is loaded), with its decree extras
  (``psi:listsArrangement``, ``psi:listsCharge``, ``psi:listsCessationNotice``,
  ``psi:chargingBodyList``…) described one step deep;
- the datasets of this page: the platform's own (``dcat:dataset`` of the
  platform, and every ``dcat:Dataset`` of a loaded graph that is disseminated: the
  rows of a dataset inventory register) and the harvested ones, in IRI order, each
  with its distributions, contact points, agents and the typing of the vocabulary
  terms it uses, with the types and access URLs a reader without psikg's ontology
  needs (:func:`graph.catalog_rules.materialise`);
- each harvested portal as a ``dcat:Catalog`` in the platform's ``dcat:catalog``,
  listing its datasets of this page;
- ``hydra:PartialCollectionView`` paging: ``hydra:first``, ``hydra:last``,
  ``hydra:previous`` and ``hydra:next`` on every page but the last, and
  ``hydra:totalItems`` on the collection.

``modified_since`` keeps the datasets whose ``dct:modified`` is that date or
later. Harvested datasets without a title or description are not listed (their
harvest report says so); what else would fail DCAT-AP 3 is pruned by
:func:`graph.catalog_rules.prune`, and :attr:`CatalogPage.omissions` says what
and why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from typing import Protocol
from urllib.parse import urlencode

import pyoxigraph as ox

from graph.catalog_rules import Omission
from graph.catalog_rules import materialise
from graph.catalog_rules import prune
from graph.catalog_selection import published_unasked
from graph.errors import UsageError
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import FOAF
from graph.namespaces import HYDRA
from graph.namespaces import OWL
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.namespaces import SKOS
from graph.namespaces import XSD
from graph.settings import CODELISTS_DIR
from graph.store_api import select_whole


class CatalogSource(Protocol):
    """Where the catalog is read from: :class:`graph.store.Store`, or the endpoint's engine
    through an adapter. Every query names its graphs (``GRAPH``), so the default graph's
    meaning does not matter; SELECT answers rows indexable by variable name, CONSTRUCT
    answers triples."""

    base_iri: str

    def query(self, sparql: str) -> Any: ...


OWL_SAME_AS = OWL + "sameAs"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$")
_STOP = (f"<{DCAT}dataset>", f"<{DCAT}catalog>", f"<{DCAT}record>", f"<{OWL_SAME_AS}>")
"""Links not followed when describing a node: they lead to whole other catalogs."""


@dataclass(frozen=True)
class CatalogRequest:
    """Which page of the catalog, and where it is published.

    :param url: the catalog's URL without query (``https://host/catalog``); page URLs add
        ``?page=N`` (and ``page_size``/``modified_since`` when given).
    """

    url: str
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    modified_since: str | None = None

    def checked(self) -> CatalogRequest:
        """This request, or :class:`UsageError` naming the bad parameter."""
        if self.page < 1:
            raise UsageError(f"page {self.page} does not exist", type="bad-page",
                             value=str(self.page), expected="a page number from 1")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise UsageError(f"page_size {self.page_size} is out of range", type="bad-page-size",
                             value=str(self.page_size), expected=f"1 to {MAX_PAGE_SIZE}")
        if self.modified_since is not None and not _DATE.match(self.modified_since):
            raise UsageError(f"modified_since {self.modified_since!r} is not a date",
                             type="bad-date", value=self.modified_since,
                             expected="YYYY-MM-DD or an xsd:dateTime")
        return self

    def page_url(self, page: int) -> str:
        query: list[tuple[str, str]] = [("page", str(page))]
        if self.page_size != DEFAULT_PAGE_SIZE:
            query.append(("page_size", str(self.page_size)))
        if self.modified_since:
            query.append(("modified_since", self.modified_since))
        return f"{self.url}?{urlencode(query)}"


@dataclass
class CatalogPage:
    """One page of the catalog as RDF, with its paging figures and what was left out."""

    request: CatalogRequest
    graph: ox.Store
    total: int
    datasets: list[str]
    omissions: list[Omission] = field(default_factory=list)

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.request.page_size))

    def serialize(self, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
        """The page in ``fmt`` (Turtle, RDF/XML, JSON-LD, N-Triples…).

        Oxigraph's store keeps ``xsd:nonNegativeInteger`` as ``xsd:integer``; DCAT-AP 3
        wants the former on ``dcat:byteSize``, so it is given back while writing.
        """
        quads = sorted(self.graph.quads_for_pattern(None, None, None, ox.DefaultGraph()),
                       key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
        triples = (_byte_size(ox.Triple(q.subject, q.predicate, q.object)) for q in quads)
        if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
            return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        return ox.serialize(triples, format=fmt) or b""


def platform_catalog(store: CatalogSource, request: CatalogRequest) -> CatalogPage:
    """Build one page of the platform catalog from ``store`` (see the module docstring).

    :raises UsageError: ``bad-page``, ``bad-page-size`` or ``bad-date`` for a bad request.
    """
    request = request.checked()
    platform, platform_graph = _platform(store)
    rows = _selection(store, platform, request.modified_since)
    start = (request.page - 1) * request.page_size
    chosen = rows[start:start + request.page_size]
    page = ox.Store()
    by_graph: dict[str, list[str]] = {}
    for dataset, graph in chosen:
        by_graph.setdefault(graph, []).append(dataset)
    for graph, datasets in by_graph.items():
        _describe(store, page, graph, datasets)
    catalogs = _harvested_catalogs(store, page, by_graph)
    _platform_header(store, page, platform, platform_graph, request, catalogs,
                     [d for d, g in chosen if g == platform_graph or g not in catalogs])
    _close_types(store, page)
    materialise(page)
    keep = [ox.NamedNode(platform), *map(ox.NamedNode, catalogs.values())]
    omissions = prune(page, keep)
    for catalog in list(catalogs.values()):
        if not _complete_catalog(page, catalog):
            omissions.append(Omission(catalog, "a harvested catalog without a named publisher: "
                                      "its datasets are listed by the platform directly"))
            _inline(page, platform, catalog)
    _paging(page, request, len(rows))
    return CatalogPage(request, page, len(rows), [d for d, _ in chosen], omissions)


_BYTE_SIZE = ox.NamedNode(DCAT + "byteSize")
_NON_NEGATIVE = ox.NamedNode(XSD + "nonNegativeInteger")
_INTEGER = ox.NamedNode(XSD + "integer")


def _byte_size(triple: ox.Triple) -> ox.Triple:
    value = triple.object
    if (triple.predicate == _BYTE_SIZE and isinstance(value, ox.Literal)
            and value.datatype == _INTEGER and not value.value.startswith("-")):
        return ox.Triple(triple.subject, triple.predicate,
                         ox.Literal(value.value, datatype=_NON_NEGATIVE))
    return triple


def published(store: CatalogSource) -> list[tuple[str, str]]:
    """(dataset, graph) of every dataset the catalog publishes, in IRI order: what the
    catalog's pages list, for the page people search (:mod:`endpoint.catalog_search`)."""
    return _selection(store, _platform(store)[0], None)


def _select(store: CatalogSource, sparql: str) -> list[ox.QuerySolution]:
    return list(store.query(sparql))


def _platform(store: CatalogSource) -> tuple[str, str]:
    rows = _select(store, f"SELECT ?p ?g WHERE {{ GRAPH ?g {{ ?p a <{PSI}Platform> }} }} "
                          "ORDER BY ?p ?g LIMIT 1")
    if rows:
        return rows[0]["p"].value, rows[0]["g"].value
    return f"{store.base_iri}catalog", ""


_NOT_HARVESTS = ("/report", "/last-failure")
"""The ends of the graph names a harvest writes beside its catalog's graph."""


def harvested(base_iri: str, graph: str) -> bool:
    """Whether ``graph`` holds a harvested catalog (not a harvest's report or last failure)."""
    return (graph.startswith(f"{base_iri}graph/harvest/")
            and not graph.endswith(_NOT_HARVESTS))


def _harvest_filter(store: CatalogSource) -> str:
    """:func:`harvested` of ``?g``, as a SPARQL filter."""
    prefix = ox.Literal(f"{store.base_iri}graph/harvest/")
    return " && ".join([f"STRSTARTS(STR(?g), {prefix})",
                        *(f"!STRENDS(STR(?g), {ox.Literal(end)})" for end in _NOT_HARVESTS)])


def _selection(store: CatalogSource, platform: str, since: str | None) -> list[tuple[str, str]]:
    """(dataset, graph) of every published dataset, in IRI order."""
    modified = (f"?d <{DCT}modified> ?m FILTER(STR(?m) >= {ox.Literal(since)})"
                if since else "")
    described = f"?d <{DCT}title> ?t ; <{DCT}description> ?desc . {modified}"
    rows = select_whole(store, f"""
        SELECT DISTINCT ?d ?g WHERE {{
          {{ GRAPH ?pg {{ <{platform}> <{DCAT}dataset> ?d }} GRAPH ?g {{ {described} }}
             FILTER(!({_harvest_filter(store)})) }}
          UNION
          {{ GRAPH ?g {{ {published_unasked("?d")} {modified} }}
             FILTER(isIRI(?d) && ?g != <{store.base_iri}graph/meta> &&
                    !({_harvest_filter(store)})) }}
          UNION
          {{ GRAPH ?g {{ ?d a <{DCAT}Dataset> . {described} }} FILTER({_harvest_filter(store)})
             FILTER(isIRI(?d)) }}
        }}""")  # read whole, a page at a time past an engine's row cap; sorted here
    seen: set[str] = set()
    chosen = []
    for dataset, graph in sorted((row["d"].value, row["g"].value) for row in rows):
        if dataset not in seen:
            seen.add(dataset)
            chosen.append((dataset, graph))
    return chosen


def _describe(store: CatalogSource, page: ox.Store, graph: str, roots: list[str]) -> None:
    """Copy the roots' statements, two steps deep (blank nodes and typed nodes deeper)."""
    values = " ".join(f"<{root}>" for root in roots)
    stop = ", ".join(_STOP)
    found = store.query(f"""
        CONSTRUCT {{ ?r ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }} WHERE {{ VALUES ?r {{ {values} }}
          GRAPH <{graph}> {{ ?r ?p ?o FILTER(?p NOT IN ({stop}))
            OPTIONAL {{ ?o ?p2 ?o2 FILTER(!isLiteral(?o) && ?p2 NOT IN ({stop}))
              OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(isBlank(?o2) && ?p3 NOT IN ({stop})) }} }} }} }}""")
    page.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)


def _harvested_catalogs(store: CatalogSource, page: ox.Store,
                        by_graph: dict[str, list[str]]) -> dict[str, str]:
    """Harvest graph → its catalog node, described on the page, listing this page's datasets."""
    rows = _select(store, f"SELECT ?g (MIN(STR(?c)) AS ?cat) WHERE {{ GRAPH ?g {{ ?c a "
                          f"<{DCAT}Catalog> FILTER(isIRI(?c)) }} FILTER({_harvest_filter(store)})"
                          " } GROUP BY ?g ORDER BY ?g")
    catalogs = {row["g"].value: row["cat"].value for row in rows}
    for graph, catalog in catalogs.items():
        _describe(store, page, graph, [catalog])
        page.extend(ox.Quad(ox.NamedNode(catalog), ox.NamedNode(DCAT + "dataset"),
                            ox.NamedNode(d)) for d in by_graph.get(graph, []))
    return catalogs


def _platform_header(store: CatalogSource, page: ox.Store, platform: str, graph: str,
                     request: CatalogRequest, catalogs: dict[str, str],
                     own: list[str]) -> None:
    node = ox.NamedNode(platform)
    if graph:
        _describe(store, page, graph, [platform])
    else:
        page.extend([
            ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(PSI + "Platform")),
            ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(DCAT + "Catalog")),
            ox.Quad(node, ox.NamedNode(DCT + "title"),
                    ox.Literal("Public sector information platform", language="en")),
            ox.Quad(node, ox.NamedNode(DCT + "description"),
                    ox.Literal("The datasets loaded into psikg and the portals it harvests.",
                               language="en"))])
    page.extend(ox.Quad(node, ox.NamedNode(DCAT + "dataset"), ox.NamedNode(d)) for d in own)
    page.extend(ox.Quad(node, ox.NamedNode(DCAT + "catalog"), ox.NamedNode(c))
                for c in catalogs.values())


def _close_types(store: CatalogSource, page: ox.Store) -> None:
    """Give every IRI value on the page the types and labels the store or the code lists hold."""
    labels = [RDF + "type", SKOS + "prefLabel", FOAF + "name", DCT + "title"]
    typed = {q.subject for q in page.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None)}
    named = {q.subject for label in labels[1:]
             for q in page.quads_for_pattern(None, ox.NamedNode(label), None)}
    wanted = {q.object for q in page if isinstance(q.object, ox.NamedNode)
              and not (q.object in typed and q.object in named)
              and q.predicate.value != RDF + "type"}
    if not wanted:
        return
    codes = _codelists()
    for node in wanted:
        for label in labels:
            page.extend(ox.Quad(q.subject, q.predicate, q.object) for q in
                        codes.quads_for_pattern(node, ox.NamedNode(label), None))
    values = " ".join(f"<{n.value}>" for n in wanted)
    props = ", ".join(f"<{p}>" for p in labels)
    found = store.query(f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} "
                        f"GRAPH ?g {{ ?x ?p ?o }} FILTER(?p IN ({props})) }}")
    page.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)


@functools.lru_cache(maxsize=1)
def _codelists(folder: Path = CODELISTS_DIR) -> ox.Store:
    """psikg's code lists: the typing and labels of licences, file types and HVD categories."""
    codes = ox.Store()
    for path in sorted(folder.glob("*.ttl")):
        codes.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return codes


def _complete_catalog(page: ox.Store, catalog: str) -> bool:
    node = ox.NamedNode(catalog)
    return all(next(page.quads_for_pattern(node, ox.NamedNode(p), None), None) is not None
               for p in (DCT + "title", DCT + "description", DCT + "publisher"))


def _inline(page: ox.Store, platform: str, catalog: str) -> None:
    """Drop a harvested catalog that cannot be published; the platform lists its datasets."""
    node, owner = ox.NamedNode(catalog), ox.NamedNode(platform)
    for quad in list(page.quads_for_pattern(node, ox.NamedNode(DCAT + "dataset"), None)):
        page.add(ox.Quad(owner, quad.predicate, quad.object))
    for quad in [*page.quads_for_pattern(node, None, None),
                 *page.quads_for_pattern(None, None, node)]:
        page.remove(quad)


def _paging(page: ox.Store, request: CatalogRequest, total: int) -> None:
    last = max(1, -(-total // request.page_size))
    collection, view = ox.NamedNode(request.url), ox.NamedNode(request.page_url(request.page))
    triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (collection, RDF + "type", ox.NamedNode(HYDRA + "Collection")),
        (collection, HYDRA + "totalItems",
         ox.Literal(str(total), datatype=_INTEGER)),
        (collection, HYDRA + "view", view),
        (view, RDF + "type", ox.NamedNode(HYDRA + "PartialCollectionView")),
        (view, HYDRA + "first", ox.NamedNode(request.page_url(1))),
        (view, HYDRA + "last", ox.NamedNode(request.page_url(last))),
    ]
    if request.page < last:
        triples.append((view, HYDRA + "next", ox.NamedNode(request.page_url(request.page + 1))))
    if 1 < request.page <= last:
        triples.append((view, HYDRA + "previous",
                        ox.NamedNode(request.page_url(request.page - 1))))
    page.extend(ox.Quad(s, ox.NamedNode(p), o) for s, p, o in triples)

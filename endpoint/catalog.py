"""``/catalog``: the platform's DCAT-AP 3 catalog (the decree's Art. 4), for harvesters and
for people.

Routes:

- ``GET|HEAD /catalog``: the catalog in the negotiated RDF format (Turtle by default and
  for ``*/*``; RDF/XML, JSON-LD, N-Triples by ``Accept`` or ``format=``), or, for a
  browser (``Accept: text/html``), the page people search (:mod:`endpoint.catalog_search`);
- ``GET|HEAD /catalog.ttl``, ``.rdf``, ``.jsonld``, ``.nt``: the same RDF in that format;
- ``GET|HEAD /catalog.json`` and ``/catalog.html``: the page people search, as its JSON
  twin (``{"total", "datasets", "facets", …}``) or as HTML.

The RDF's query parameters: ``page`` (from 1), ``page_size`` (default 100, at most 1000)
and ``modified_since`` (a date or dateTime). Pages link with Hydra (``hydra:next`` on every
page but the last), as ckanext-dcat's ``/catalog`` does. The page is built by
:func:`endpoint.platform_catalog.platform_catalog` from the query engine, through
:class:`endpoint.engine_source.EngineSource`. The searched page's parameters are ``q``,
the facets (``publisher``, ``theme``, ``format``, ``licence``, ``hvd``, ``kind``,
``language``: IRIs, repeatable), ``sort``, ``page`` and ``page_size``; a ``format`` that is
an IRI is the facet, never a format name.
"""

from __future__ import annotations

import re
import sqlite3
import time
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request

from endpoint import negotiation
from endpoint.catalog_index import engine_index_path
from endpoint.catalog_index import index_path
from endpoint.catalog_search import DEFAULT_PAGE_SIZE as SEARCH_PAGE_SIZE
from endpoint.catalog_search import FACETS
from endpoint.catalog_search import SORTS
from endpoint.catalog_search import CatalogIndex
from endpoint.catalog_search import SearchRequest
from endpoint.catalog_search import search
from endpoint.engine_source import EngineSource
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.i18n import page_language
from endpoint.pages import language_links
from endpoint.pages import render
from endpoint.platform_catalog import DEFAULT_PAGE_SIZE
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from endpoint.resources import reader_linker
from endpoint.state import state
from endpoint.vocabulary import vocabulary
from graph.errors import UsageError
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import JSONLD
from graph.formats import NTRIPLES
from graph.formats import RDFXML
from graph.formats import TURTLE
from graph.formats import Format
from graph.namespaces import HYDRA
from graph.namespaces import PREFIXES
from graph.words import CATALOG
from graph.words import QUERY_PAGES
from graph.words import words

blueprint = Blueprint("catalog", __name__)

OFFERS = (TURTLE, RDFXML, JSONLD, NTRIPLES)
EXTENSIONS = {offer.extension: offer for offer in OFFERS}
INDEXING_S = 600.0
"""The deadline of bringing the text index up to date: re-reading a graph of many datasets
may take longer than a page may (``docs/performance.md``); it is committed even if the
reader who started it has given up."""
PAGE_EXTENSIONS = {"json": JSON, "html": HTML}
"""The page people search, and its JSON twin (``.json`` is not JSON-LD here)."""


@blueprint.route("/catalog", methods=["GET", "HEAD"])
def catalog() -> Response:
    """The catalog page in the negotiated format: RDF, or the searched page for a browser.

    ``format=`` is also the search's facet of distribution formats: a value that is an IRI
    filters, it does not negotiate."""
    named = [value for value in request.args.getlist("format") if ":" not in value]
    chosen = negotiation.negotiate(request.headers.get("Accept"), (*OFFERS, HTML),
                                   format_param=named)
    if chosen == HTML:
        return search_page(HTML)
    return _answer(chosen, "/catalog")


@blueprint.route("/catalog.<extension>", methods=["GET", "HEAD"])
def catalog_file(extension: str) -> Response:
    """The catalog page in the format its extension names."""
    if extension in PAGE_EXTENSIONS:
        return search_page(PAGE_EXTENSIONS[extension])
    if extension not in EXTENSIONS:
        raise bad_request(f"no catalog in .{extension}; use one of "
                          + ", ".join(f".{e}" for e in (*EXTENSIONS, *PAGE_EXTENSIONS)),
                          type="unknown-format", value=extension)
    return _answer(EXTENSIONS[extension], f"/catalog.{extension}")


def search_page(fmt: Format) -> Response:
    """The catalog people search, as HTML or as its JSON twin (one dict)."""
    current = state()
    language = page_language()
    linker = reader_linker(current.settings.base_iri, vocabulary(current_app), language, {})
    asked = SearchRequest(
        q=request.args.get("q", ""), sort=request.args.get("sort", ""),
        chosen={name: [v for v in request.args.getlist(name) if ":" in v] for name in FACETS},
        page=_integer("page", 1), page_size=_integer("page_size", SEARCH_PAGE_SIZE))
    started = time.monotonic()
    source = EngineSource(current, started + current.settings.timeout_s)
    indexing = EngineSource(current, started + max(INDEXING_S, current.settings.timeout_s))
    try:
        page = search(_index(), source, asked, linker, indexing)
    except UsageError as error:
        raise bad_request(error.message, type=error.type, value=error.value) from None
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        raise HttpError(503, "the catalog's search index is being brought up to date after a "
                        "load; try again in a moment", "index-busy",
                        headers={"Retry-After": "10"}) from None
    page["links"] = search_links(page)
    page["language"] = language
    page["languages"] = language_links(language)
    return render("catalog.html", page, fmt, language, alternates=(JSON, *OFFERS),
                  more_words={**words(QUERY_PAGES, language), **words(CATALOG, language)})


def _index() -> CatalogIndex:
    """This app's catalog index (one per app, its connections one per thread)."""
    found: CatalogIndex | None = current_app.extensions.get("psikg-catalog-index")
    if found is None:
        settings = state().settings
        path = (engine_index_path(settings.engine_url, settings.base_iri, settings.run_dir)
                if settings.remote_engine else index_path(settings.store, settings.run_dir))
        found = CatalogIndex(path, settings.timeout_s)
        current_app.extensions["psikg-catalog-index"] = found
    return found


def search_links(page: dict[str, Any]) -> dict[str, Any]:
    """The page's links, each the current query changed: a facet value toggled (its
    ``href``, set on the value), each sort order, the pages before and after, no filter."""
    asked = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "format")
             or (k == "format" and ":" in v)]

    def href(pairs: list[tuple[str, str]]) -> str:
        return "/catalog" + (f"?{urlencode(pairs)}" if pairs else "")

    for name, values in page["facets"].items():
        for value in values:
            pair = (name, value["value"])
            value["href"] = href([a for a in asked if a != pair] if value["selected"]
                                 else [*asked, pair])
    links: dict[str, Any] = {
        "sort": {order: href([*(a for a in asked if a[0] != "sort"), ("sort", order)])
                 for order in SORTS},
        "clear": href([a for a in asked if a[0] in ("q", "sort", "lang")]),
        "harvesters": "/catalog.ttl"}
    if page["page"] > 1:
        links["previous"] = href([*asked, ("page", str(page["page"] - 1))])
    if page["page"] < page["pages"]:
        links["next"] = href([*asked, ("page", str(page["page"] + 1))])
    return links


def _answer(chosen: Format, path: str) -> Response:
    current = state()
    asked = CatalogRequest(f"{current.settings.url}{path}", page=_integer("page", 1),
                           page_size=_integer("page_size", DEFAULT_PAGE_SIZE),
                           modified_since=request.args.get("modified_since") or None)
    source = EngineSource(current, time.monotonic() + current.settings.timeout_s)
    page = platform_catalog(source, asked)
    assert chosen.rdf is not None
    body = page.serialize(chosen.rdf, prefixes={**PREFIXES, "hydra": HYDRA})
    response = Response(body, content_type=chosen.content_type)
    response.headers["Vary"] = "Accept"
    if page.request.page < page.last_page:
        query = urlencode({**request.args, "page": str(page.request.page + 1)})
        response.headers["Link"] = f'<{current.settings.url}{path}?{query}>; rel="next"'
    return response


def _integer(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not re.fullmatch(r"\d{1,9}", value):
        raise bad_request(f"{name}={value!r} is not a positive whole number", type="bad-" +
                          name.replace("_", "-"), value=value)
    return int(value)

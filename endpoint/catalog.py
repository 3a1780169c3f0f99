"""``/catalog``: the platform's DCAT-AP 3 catalog (the decree's Art. 4), for harvesters.

Routes:

- ``GET|HEAD /catalog``: the catalog in the negotiated RDF format (Turtle by default;
  RDF/XML, JSON-LD, N-Triples by ``Accept`` or ``format=``);
- ``GET|HEAD /catalog.ttl``, ``.rdf``, ``.jsonld``, ``.nt``: the same in that format.

Query parameters: ``page`` (from 1), ``page_size`` (default 100, at most 1000) and
``modified_since`` (a date or dateTime). Pages link with Hydra (``hydra:next`` on every
page but the last), as ckanext-dcat's ``/catalog`` does. The page is built by
:func:`endpoint.platform_catalog.platform_catalog` from the query engine, through
:class:`EngineSource`.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint
from flask import Response
from flask import request

from endpoint import negotiation
from endpoint.engine_errors import engine_error
from endpoint.errors import bad_request
from endpoint.errors import query_timeout
from endpoint.platform_catalog import DEFAULT_PAGE_SIZE
from endpoint.platform_catalog import CatalogRequest
from endpoint.platform_catalog import platform_catalog
from endpoint.state import EndpointState
from endpoint.state import state
from graph.engine.client import Deadline
from graph.formats import JSONLD
from graph.formats import NTRIPLES
from graph.formats import RDFXML
from graph.formats import TURTLE
from graph.formats import Format
from graph.namespaces import HYDRA
from graph.namespaces import PREFIXES

blueprint = Blueprint("catalog", __name__)

OFFERS = (TURTLE, RDFXML, JSONLD, NTRIPLES)
EXTENSIONS = {offer.extension: offer for offer in OFFERS}


@blueprint.route("/catalog", methods=["GET", "HEAD"])
def catalog() -> Response:
    """The catalog page in the negotiated format."""
    chosen = negotiation.for_request(OFFERS)
    return _answer(chosen, "/catalog")


@blueprint.route("/catalog.<extension>", methods=["GET", "HEAD"])
def catalog_file(extension: str) -> Response:
    """The catalog page in the format its extension names."""
    if extension not in EXTENSIONS:
        raise bad_request(f"no catalog in .{extension}; use one of "
                          + ", ".join(f".{e}" for e in EXTENSIONS), type="unknown-format",
                          value=extension)
    return _answer(EXTENSIONS[extension], f"/catalog.{extension}")


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


class EngineSource:
    """The query engine seen as a :class:`endpoint.platform_catalog.CatalogSource`: SELECT
    answers parsed from SPARQL JSON, CONSTRUCT answers from N-Triples, all under one request
    deadline."""

    def __init__(self, current: EndpointState, deadline: float) -> None:
        self.base_iri = current.settings.base_iri
        self._current = current
        self._deadline = deadline

    def query(self, sparql: str) -> Any:
        construct = re.match(r"\s*CONSTRUCT\b", sparql, re.IGNORECASE) is not None
        accept = "application/n-triples" if construct else "application/sparql-results+json"
        try:
            answer = self._current.engine.call(
                "POST", "/query", body=urlencode({"query": sparql}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                deadline=self._deadline)
            if answer.status != 200:
                raise engine_error(answer, self._current)
            body = answer.read()
        except Deadline:
            raise query_timeout(self._current.settings.timeout_s) from None
        if construct:
            return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

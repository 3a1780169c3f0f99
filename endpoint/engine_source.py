"""The query engine seen as a :class:`endpoint.platform_catalog.CatalogSource`, for the pages
that read the store through it (the catalog, its search page, VoID, resource pages)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from endpoint.engine_errors import engine_error
from endpoint.errors import query_timeout
from endpoint.remote_engine import select_own
from endpoint.state import EndpointState
from graph.engine.client import Deadline


class EngineSource:
    """The query engine seen as a :class:`endpoint.platform_catalog.CatalogSource`: SELECT
    answers parsed from SPARQL JSON, CONSTRUCT answers from N-Triples, all under one request
    deadline."""

    def __init__(self, current: EndpointState, deadline: float) -> None:
        self.base_iri = current.settings.base_iri
        self._current = current
        self._deadline = deadline

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries, a page at a
        time on an engine that caps answers (:class:`graph.store_api.PagedReads`)."""
        return select_own(self._current, sparql, self._deadline, self.query)

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

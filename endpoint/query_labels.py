"""Canned queries on the query engine: the runner's executor over HTTP and the suggested
values of form fields (labelled by :func:`graph.labels.labels`, as the tables are)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from endpoint.engine_errors import engine_error
from endpoint.errors import query_timeout
from endpoint.remote_engine import select_own
from endpoint.state import EndpointState
from graph.canned.params import Parameter
from graph.engine.client import Deadline
from graph.engine.client import Response as EngineResponse
from graph.labels import labels

SPARQL_JSON_TYPE = "application/sparql-results+json"
UNION_QUERY_PATH = "/query?union-default-graph="
"""The engine's query URL over the union of the graphs (canned queries name no dataset)."""
MAX_SUGGESTIONS = 500
"""Most values a ``values_query`` offers in a form."""


class EngineExecutor:
    """A :class:`graph.canned.run.Executor` on the query engine, under one deadline, over
    the union of the live graphs (as ``/sparql`` and ``psikg query`` see the store)."""

    def __init__(self, current: EndpointState) -> None:
        self._current = current
        self.deadline = time.monotonic() + current.settings.timeout_s
        """When the request's queries must be over (``time.monotonic``)."""
        self.timeout_s = current.settings.timeout_s

    def select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of ``sparql``.

        :raises HttpError: 503 past the deadline, or the engine's refusal as a value.
        """
        answer = self.answer(sparql, SPARQL_JSON_TYPE)
        try:
            body = answer.read()
        except Deadline:
            raise query_timeout(self._current.settings.timeout_s) from None
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        return solutions

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries, a page at a
        time on an engine that caps answers (:class:`graph.store_api.PagedReads`).

        :raises HttpError: 503 past the deadline, or the engine's refusal as a value.
        """
        return select_own(self._current, sparql, self.deadline, self.select)

    def answer(self, sparql: str, accept: str) -> EngineResponse:
        """The engine's answer to ``sparql`` in ``accept``, its body unread (to stream it).

        The query goes as an ``application/sparql-query`` body, as ``/sparql`` sends it:
        url-encoding a form costs more than the rest of a cheap query.

        :raises HttpError: 503 past the deadline, or the engine's refusal as a value.
        """
        try:
            answer = self._current.engine.call(
                "POST", UNION_QUERY_PATH, body=sparql.encode(),
                headers={"Content-Type": "application/sparql-query", "Accept": accept},
                deadline=self.deadline)
        except Deadline:
            raise query_timeout(self._current.settings.timeout_s) from None
        if answer.status != 200:
            raise engine_error(answer, self._current)
        return answer


def suggestions(executor: EngineExecutor, parameter: Parameter,
                order: Sequence[str]) -> list[dict[str, Any]]:
    """The values a parameter's ``values_query`` offers, with labels where it gives them."""
    if parameter.values_query is None:
        return []
    values: list[ox.NamedNode | ox.Literal] = []
    given: dict[str, str] = {}
    for solution in executor.select(parameter.values_query):
        value, label = solution["value"], solution["label"]
        if isinstance(value, ox.NamedNode | ox.Literal) and value not in values:
            values.append(value)
            if isinstance(label, ox.Literal):
                given[value.value] = label.value
        if len(values) >= MAX_SUGGESTIONS:
            break
    if not given:
        given = labels(executor, [values], order)
    return [{"value": v.value, "title": given.get(v.value, v.value)} for v in values]


"""Canned queries on the query engine: the runner's executor over HTTP, readable labels for
the IRIs of a page of results, and the suggested values of form fields.

Labels are read with one query per page whose IRIs are a ``VALUES`` block written by
pyoxigraph's serializer (:func:`graph.canned.binding.values_block`), the same binding the
canned queries use: an IRI from the data is a term, never text pasted into SPARQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from endpoint.errors import query_timeout
from endpoint.i18n import pick
from endpoint.resource_page import compact
from endpoint.sparql import engine_error
from endpoint.state import EndpointState
from graph.canned.binding import values_block
from graph.canned.params import Parameter
from graph.canned.run import Cell
from graph.remote import Deadline
from graph.remote import Response as EngineResponse

LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
)
"""Where a label is read from, in this order of preference."""
MAX_LABELLED = 500
"""Most distinct IRIs of one page that get a label; the rest show as IRIs."""
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


def labels(executor: EngineExecutor, rows: Iterable[Sequence[Cell]],
           order: Sequence[str]) -> dict[str, str]:
    """A label for each IRI of ``rows`` that has one, in the first language of ``order``.

    :param order: languages to try, best first (:func:`endpoint.i18n.fallback_order`).
    """
    iris: list[ox.NamedNode] = []
    for row in rows:
        for cell in row:
            if isinstance(cell, ox.NamedNode) and cell not in iris:
                iris.append(cell)
                if len(iris) >= MAX_LABELLED:
                    break
    if not iris:
        return {}
    found: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for solution in executor.select(label_query(iris)):
        iri, label, prop = solution["iri"], solution["label"], solution["p"]
        if isinstance(iri, ox.NamedNode) and isinstance(label, ox.Literal) and prop is not None:
            by_property = found.setdefault(iri.value, {})
            by_property.setdefault(prop.value, []).append((label.value, label.language or ""))
    chosen: dict[str, str] = {}
    for iri_text, by_property in found.items():
        for prop_iri in LABEL_PROPERTIES:
            text = pick(by_property.get(prop_iri, []), order)
            if text:
                chosen[iri_text] = text
                break
    return chosen


def names(rows: Iterable[Sequence[Cell]], found: dict[str, str], base_iri: str
          ) -> dict[str, str]:
    """What a table shows for each IRI of ``rows``: its label, else its path under the base
    IRI, else a prefixed name, else the IRI.

    >>> names([(ox.NamedNode("https://b.example/body/1"),)], {}, "https://b.example/")
    {'https://b.example/body/1': 'body/1'}
    """
    shown: dict[str, str] = {}
    for row in rows:
        for cell in row:
            if isinstance(cell, ox.NamedNode) and cell.value not in shown:
                iri = cell.value
                shown[iri] = found.get(iri) or (
                    iri[len(base_iri):] if iri.startswith(base_iri) and iri != base_iri
                    else compact(iri))
    return shown


def label_query(iris: Sequence[ox.NamedNode]) -> str:
    """The SELECT reading the labels of ``iris``.

    >>> "VALUES ?iri { <http://example.org/a> }" in label_query([ox.NamedNode("http://example.org/a")])
    True
    """
    properties = {"p": [ox.NamedNode(p) for p in LABEL_PROPERTIES]}
    return (f"SELECT ?iri ?p ?label WHERE {{ {values_block({'iri': list(iris)})} "
            f"{values_block(properties)} ?iri ?p ?label FILTER(isLiteral(?label)) }}")


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


"""What a canned query is once its file has been read: the values :mod:`graph.canned.library`
builds and everything else (runner, command line, web pages, OpenAPI) reads."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from graph.canned.params import Parameter
from graph.canned.params import Text
from graph.canned.params import pick
from graph.canned.shape import Shape

CHART_TYPES = ("bar", "line", "pie", "none")
AGGREGATES = ("sum", "count")
"""How a chart makes one point of rows with the same x (:class:`Chart`)."""
LANGUAGES = ("fr", "nl", "en")
"""The languages every title and description is written in (``de`` is welcome)."""


@dataclass(frozen=True)
class Pagination:
    """How a query's rows are paged: ``?page=`` (from 1) and ``?page_size=``.

    :param count: whether the total is counted (a second query), which gives ``last``
        links and ``total`` in answers.
    :param whole: for short answers (a few hundred rows): read the whole answer, up to
        :data:`graph.canned.run.MAX_UNPAGED_ROWS` rows, and page it in psikg, so one
        query gives the page and the total; a longer answer is paged by the query.
    """

    page_size: int = 50
    max_page_size: int = 1000
    count: bool = False
    whole: bool = False


@dataclass(frozen=True)
class Chart:
    """The chart drawn above the table: ``x`` along the axis, one series per ``y`` column,
    or one per value of ``series`` when it is given (then ``y`` is its first column).

    :param aggregate: how rows with the same ``x`` (and series value) make one point:
        ``sum`` adds their ``y``, ``count`` counts the rows. Without it every row is a
        point of its own, and an ``x`` that comes back is drawn again beside the first,
        never added to it unasked.
    """

    type: str
    x: str | None = None
    y: tuple[str, ...] = ()
    series: str | None = None
    aggregate: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "x": self.x, "y": list(self.y), "series": self.series,
                "aggregate": self.aggregate}


@dataclass(frozen=True)
class Sparql:
    """One SPARQL text of a query file and its shape.

    :param line: the file line its first line is on (the plain query sits in the header).
    """

    text: str
    shape: Shape
    line: int = 1


@dataclass(frozen=True)
class CannedQuery:
    """A named, documented, parameterised SELECT query read from ``queries/NAME.rq``.

    :param query: what runs.
    :param plain: for a query that reads precomputed aggregates, the plain SPARQL over
        the registries it stands for: it gives the same rows, and runs when the
        aggregates are out of date.
    :param variables: the columns, in the order the query projects them.
    """

    name: str
    file: Path
    title: Text
    description: Text
    query: Sparql
    variables: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()
    tags: tuple[str, ...] = ()
    pagination: Pagination | None = None
    chart: Chart | None = None
    plain: Sparql | None = None
    columns: dict[str, Text] = field(default_factory=dict)
    """Column titles by variable name, where the header gives them."""
    kinds: dict[str, str] = field(default_factory=dict)
    """What a column is (:data:`graph.canned.display.KINDS`), where the header says it."""

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def column_title(self, variable: str, lang: str) -> str:
        """The column's title in ``lang``, else its variable name."""
        text = self.columns.get(variable)
        return pick(text, lang) if text else variable

    def summary(self, lang: str = "en") -> dict[str, Any]:
        """The query as ``/queries.json`` and ``psikg queries`` list it."""
        return {
            "name": self.name,
            "title": pick(self.title, lang),
            "titles": dict(self.title),
            "description": pick(self.description, lang),
            "tags": list(self.tags),
            "parameters": [parameter_summary(p, lang) for p in self.parameters],
            "columns": [{"name": v, "title": self.column_title(v, lang),
                         "kind": self.kinds.get(v)} for v in self.variables],
            "pagination": None if self.pagination is None else {
                "page_size": self.pagination.page_size,
                "max_page_size": self.pagination.max_page_size,
                "count": self.pagination.count,
                "whole": self.pagination.whole},
            "chart": None if self.chart is None else self.chart.as_dict(),
            "accelerated": self.plain is not None,
        }


def parameter_summary(parameter: Parameter, lang: str) -> dict[str, Any]:
    """One parameter as lists and forms describe it."""
    data: dict[str, Any] = {
        "name": parameter.name,
        "type": parameter.type,
        "title": pick(parameter.title, lang),
        "required": parameter.required,
        "list": parameter.is_list,
        "expected": parameter.expected(),
    }
    if parameter.description:
        data["description"] = pick(parameter.description, lang)
    if parameter.default:
        data["default"] = list(parameter.default) if parameter.is_list else parameter.default[0]
    if parameter.choices:
        data["values"] = [{"value": c.value, "title": pick(c.title, lang) if c.title else c.value}
                          for c in parameter.choices]
    if parameter.values_query:
        data["values_from_query"] = True
    for key in ("minimum", "maximum", "pattern", "example"):
        if getattr(parameter, key) is not None:
            data[key] = getattr(parameter, key)
    return data

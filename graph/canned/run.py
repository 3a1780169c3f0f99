"""Running a canned query: values checked and bound, one page read, the total counted.

The runner talks to an :class:`Executor`, anything that runs a SELECT text and gives
pyoxigraph solutions: the embedded store (:class:`StoreExecutor`, for ``psikg queries``,
tests and benchmarks) or the query engine over HTTP (the endpoint's adapter). Both get the
same text, so the command line and the web answer alike.

A query with a ``plain`` form reads aggregates computed when the registries were loaded
(:mod:`graph.budget`). It runs only while those are up to date with every registry
graph; otherwise the plain query runs instead, slower but with the same rows, and the
result says so (``accelerated`` false).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Protocol

import pyoxigraph as ox

from graph.budget.freshness import is_fresh
from graph.canned.binding import COUNT_VARIABLE
from graph.canned.binding import bind
from graph.canned.binding import count
from graph.canned.binding import page as paged
from graph.canned.model import CannedQuery
from graph.canned.model import Sparql
from graph.canned.params import ParameterError
from graph.canned.params import Term
from graph.errors import UsageError
from graph.store_api import StoreReader
from graph.store_api import select_whole

MAX_UNPAGED_ROWS = 10_000
"""Most rows a query without pagination returns; more is said, never cut silently."""

Cell = ox.NamedNode | ox.Literal | ox.BlankNode | None


class Executor(Protocol):
    """Runs one SELECT query text and gives its solutions."""

    def select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of ``sparql``.

        :raises UsageError: if the text does not parse (a bug in a checked query).
        """
        ...


class StoreExecutor:
    """An :class:`Executor` on the embedded store (union of the live graphs)."""

    def __init__(self, store: StoreReader) -> None:
        self.store = store

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries, a page at a
        time where the store's engine caps answers (:func:`graph.store_api.select_whole`)."""
        return select_whole(self.store, sparql)

    def select(self, sparql: str) -> ox.QuerySolutions:
        results = self.store.query(sparql)
        if not isinstance(results, ox.QuerySolutions):
            raise UsageError("a canned query is a SELECT query", type="invalid-query")
        return results


@dataclass
class Result:
    """One page of a canned query's answer.

    :param has_next: whether rows follow this page.
    :param total: the number of rows of the whole answer, when counted.
    :param accelerated: ``True`` if precomputed aggregates answered, ``False`` if the plain
        query had to, ``None`` for queries without aggregates.
    """

    query: CannedQuery
    variables: list[str]
    rows: list[tuple[Cell, ...]]
    values: dict[str, list[Term]]
    page: int = 1
    page_size: int | None = None
    has_next: bool = False
    total: int | None = None
    accelerated: bool | None = None
    truncated: bool = False
    sparql: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def last_page(self) -> int | None:
        """The number of the last page, when the total is known."""
        if self.total is None or not self.page_size:
            return None
        return max(1, -(-self.total // self.page_size))


def check_values(query: CannedQuery, raw: Mapping[str, Sequence[str]]
                 ) -> dict[str, list[Term]]:
    """Every parameter's terms from the raw values given, by parameter name.

    :raises ParameterError: for the first value that does not fit; ``details["errors"]``
        lists every bad parameter, so a form can mark them all.
    """
    terms: dict[str, list[Term]] = {}
    problems: list[ParameterError] = []
    for parameter in query.parameters:
        try:
            terms[parameter.name] = parameter.terms(list(raw.get(parameter.name, ())))
        except ParameterError as error:
            problems.append(error)
    unknown = sorted(set(raw) - {p.name for p in query.parameters})
    if unknown:
        names = ", ".join(p.name for p in query.parameters) or "none"
        problems.append(ParameterError(
            f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {names}",
            type="unknown-parameter", value=unknown[0], expected=names,
            details={"parameter": unknown[0]}))
    if problems:
        first = problems[0]
        raise ParameterError(first.message, type=first.type, value=first.value,
                             expected=first.expected,
                             details={**first.details,
                                      "errors": [p.as_dict() for p in problems]})
    return terms


def page_numbers(query: CannedQuery, page: int | str | None,
                 page_size: int | str | None) -> tuple[int, int | None]:
    """The page (from 1) and page size asked for, checked against the query's pagination.

    :raises ParameterError: if either is not a whole number in range.
    """
    pagination = query.pagination
    if pagination is None:
        if page not in (None, "", 1, "1") or page_size not in (None, ""):
            raise ParameterError(f"query {query.name!r} is not paged", type="invalid-parameter",
                                 details={"parameter": "page"})
        return 1, None
    number = _whole(page, 1, "page", 1, 1_000_000)
    size = _whole(page_size, pagination.page_size, "page_size", 1, pagination.max_page_size)
    return number, size


def _whole(value: int | str | None, default: int, name: str, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise ParameterError(f"parameter {name!r}: {value!r} is not a whole number from {low} "
                             f"to {high}", type="invalid-parameter", value=str(value),
                             expected=f"a whole number from {low} to {high}",
                             details={"parameter": name, "parameter_type": "integer"})
    return int(text)


FreshnessCheck = Callable[["Executor"], bool]
"""Tells whether the aggregates are up to date: :func:`graph.budget.freshness.is_fresh`, or a
:class:`graph.budget.freshness.Freshness` that keeps its answer between writes."""


@dataclass
class Plan:
    """What to send for one page of a canned query, values checked and bound.

    :param text: the query with its values bound, unpaged (what ``sparql`` shows).
    :param sent: ``text`` limited to one row past the page (or past
        :data:`MAX_UNPAGED_ROWS`), which tells whether more follow.
    """

    query: CannedQuery
    sparql: Sparql
    values: dict[str, list[Term]]
    page: int
    page_size: int | None
    offset: int
    text: str
    sent: str
    accelerated: bool | None
    whole: bool = False
    """Whether ``sent`` asks the whole answer (up to :data:`MAX_UNPAGED_ROWS` rows), to be
    paged here (:attr:`graph.canned.model.Pagination.whole`)."""

    @property
    def cap(self) -> int:
        """Rows the answer shows: the page size, or :data:`MAX_UNPAGED_ROWS`."""
        return self.page_size if self.page_size is not None else MAX_UNPAGED_ROWS


def plan(query: CannedQuery, executor: Executor, raw: Mapping[str, Sequence[str]],
         page: int | str | None = None, page_size: int | str | None = None,
         force_plain: bool = False, fresh: FreshnessCheck = is_fresh) -> Plan:
    """Check the values and the page, choose the aggregates or the plain query, bind.

    :raises ParameterError: if a value, the page or the page size does not fit.
    """
    values = check_values(query, raw)
    number, size = page_numbers(query, page, page_size)
    sparql, accelerated = _choose(query, executor, force_plain, fresh)
    text = bind(sparql.text, sparql.shape, values)
    if size is not None:
        limit, offset = size + 1, (number - 1) * size
    else:
        limit, offset = MAX_UNPAGED_ROWS + 1, 0
    whole = size is not None and query.pagination is not None and query.pagination.whole
    if whole:
        limit, offset_sent = MAX_UNPAGED_ROWS + 1, 0
    else:
        offset_sent = offset
    sent = (paged(text, limit, offset_sent) if not sparql.shape.has_limit or size is not None
            else text)
    return Plan(query, sparql, values, number, size, offset, text, sent, accelerated, whole)


def run(query: CannedQuery, executor: Executor, raw: Mapping[str, Sequence[str]],
        page: int | str | None = None, page_size: int | str | None = None,
        force_plain: bool = False, fresh: FreshnessCheck = is_fresh) -> Result:
    """Check the values, bind them, and read one page of the answer.

    :param raw: the values given, by parameter name (several for list parameters).
    :param force_plain: run the plain query even if the aggregates are up to date
        (benchmarks and the equivalence tests).
    :param fresh: what tells whether the aggregates are up to date.
    :raises ParameterError: if a value, the page or the page size does not fit.
    """
    return execute(plan(query, executor, raw, page, page_size, force_plain, fresh), executor)


def execute(chosen: Plan, executor: Executor) -> Result:
    """Read the page of :func:`plan` and count the total where the query says so."""
    query = chosen.query
    variables, rows = _read(executor, chosen.sent)
    if chosen.whole and chosen.page_size is not None:
        if len(rows) <= MAX_UNPAGED_ROWS:
            result = Result(query, variables, rows[chosen.offset:][:chosen.page_size],
                            chosen.values, chosen.page, chosen.page_size, total=len(rows),
                            sparql=chosen.text, accelerated=chosen.accelerated,
                            has_next=chosen.offset + chosen.page_size < len(rows))
            if chosen.accelerated is False:
                result.notes.append(NOT_ACCELERATED)
            return result
        # longer than expected: page it with the query after all
        variables, rows = _read(executor, paged(chosen.text, chosen.page_size + 1,
                                                chosen.offset))
    result = Result(query, variables, rows, chosen.values, chosen.page, chosen.page_size,
                    sparql=chosen.text, accelerated=chosen.accelerated)
    if len(rows) > chosen.cap:
        del rows[chosen.cap:]
        if chosen.page_size is not None:
            result.has_next = True
        else:
            result.truncated = True
            result.notes.append(f"the answer has more than {MAX_UNPAGED_ROWS} rows; only the "
                                "first are shown")
    if query.pagination is not None and query.pagination.count:
        result.total = total(chosen, executor, len(rows), result.has_next)
    if chosen.accelerated is False:
        result.notes.append(NOT_ACCELERATED)
    return result


def _read(executor: Executor, text: str) -> tuple[list[str], list[tuple[Cell, ...]]]:
    solutions = executor.select(text)
    variables = [v.value for v in solutions.variables]
    return variables, [tuple(solution[v] for v in variables) for solution in solutions]


NOT_ACCELERATED = ("the precomputed aggregates are out of date, so the plain query answered; "
                   "load the registries again to speed it up")


def total(chosen: Plan, executor: Executor, rows: int, has_next: bool) -> int | None:
    """The rows of the whole answer, given the ``rows`` of the page read: known without a
    query when the page is the last one, else counted by the bound query in a ``COUNT``."""
    if not has_next and (rows or chosen.page == 1):
        return chosen.offset + rows
    counted = executor.select(count(chosen.text, chosen.sparql.shape))
    return next((int(s[COUNT_VARIABLE].value) for s in counted
                 if s[COUNT_VARIABLE] is not None), 0)


def _choose(query: CannedQuery, executor: Executor, force_plain: bool, fresh: FreshnessCheck
            ) -> tuple[Sparql, bool | None]:
    if query.plain is None:
        return query.query, None
    if force_plain:
        return query.plain, False
    if fresh(executor):
        return query.query, True
    return query.plain, False


def result_summary(result: Result) -> dict[str, Any]:
    """Paging facts of a result, for JSON answers and the command line."""
    return {"page": result.page, "page_size": result.page_size, "has_next": result.has_next,
            "total": result.total, "last_page": result.last_page,
            "accelerated": result.accelerated, "truncated": result.truncated,
            "notes": list(result.notes)}

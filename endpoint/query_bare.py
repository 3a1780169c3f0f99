"""``/queries/NAME.srj``: a canned query's bare SPARQL JSON results, as lean as ``/sparql``.

The JSON twin (``.json``) is the page: results plus a ``psikg`` member with labels, paging
and links, which costs a second query for the labels. Machine clients that only want the
rows ask ``.srj`` (or ``format=srj``): the values are checked and bound as for every canned
query, and the bound query goes to the engine in one round trip whose answer is passed on
verbatim, as ``/sparql`` passes it (:func:`endpoint.results.hold_json`). Whether the
aggregates are fresh is known without a round trip while nothing is written
(:class:`graph.budget.freshness.Freshness`).

Only an unpaged answer that surely fits :data:`graph.canned.run.MAX_UNPAGED_ROWS` is
passed on like that. A paged query reads one row past its page to know whether another
follows, and a long answer must be cut and say so: those are read, cut and written again
by pyoxigraph (:func:`graph.canned.run.execute`), with the same paging ``Link`` headers as
the other forms.
"""

from __future__ import annotations

import time

from flask import Response
from flask import json

from endpoint.errors import query_timeout
from endpoint.query_labels import SPARQL_JSON_TYPE
from endpoint.query_labels import EngineExecutor
from endpoint.results import hold_json
from graph.canned.downloads import sparql_json
from graph.canned.run import Plan
from graph.canned.run import Result
from graph.canned.run import execute
from graph.engine.client import Deadline
from graph.errors import StoreError
from graph.formats import SPARQL_JSON


def bare_results(chosen: Plan, executor: EngineExecutor) -> tuple[Response, Result | None]:
    """The answer of a planned canned query as SPARQL JSON results, nothing added; the
    :class:`~graph.canned.run.Result` too when it was read here (paged or long answers)."""
    if chosen.page_size is None:
        while True:
            answer = executor.answer(chosen.sent, SPARQL_JSON_TYPE)
            try:
                held = hold_json(answer.chunks(), chosen.cap)
            except Deadline:
                raise query_timeout(executor.timeout_s) from None
            except StoreError:
                if time.monotonic() >= executor.deadline:
                    raise
                continue  # the engine restarted under it before anything was sent
            break
        if held is not None:
            small = held.small()
            response = Response(held.chunks() if small is None else small,
                                content_type=SPARQL_JSON.content_type)
            _accelerated(response, chosen.accelerated)
            return response, None
        answer.abandon()
    result = execute(chosen, executor)
    response = Response(json.dumps(sparql_json(result), ensure_ascii=False) + "\n",
                        content_type=SPARQL_JSON.content_type)
    _accelerated(response, chosen.accelerated)
    if result.truncated:
        response.headers["Psikg-Truncated"] = "true"
    return response, result


def _accelerated(response: Response, accelerated: bool | None) -> None:
    """Say whether aggregates answered, as the page's ``psikg.paging.accelerated`` does."""
    if accelerated is not None:
        response.headers["Psikg-Accelerated"] = "true" if accelerated else "false"

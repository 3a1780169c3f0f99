"""``/sparql``: the SPARQL 1.1 Protocol, queries and updates, in front of the query engine.

Routes (all on ``/sparql``):

- ``GET ?query=…``, ``POST`` form ``query=…``, ``POST application/sparql-query``: a query,
  with ``default-graph-uri`` / ``named-graph-uri`` overriding its ``FROM``;
- ``GET`` without a query: the service description, or the query UI for a browser when
  one is installed (:attr:`endpoint.state.EndpointState.html_views` ``["sparql"]``);
- ``POST`` form ``update=…``, ``POST application/sparql-update``: an update, with the token.

The default graph is the union of the store's graphs (the engine's ``union-default-graph``),
which equals the union of psikg's live graphs: see :mod:`graph.engine.process` (and, while
a load is in flight through the server, :mod:`graph.engine.loads`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import request
from werkzeug.datastructures import MultiDict

from endpoint import negotiation
from endpoint import results
from endpoint.body import read_form
from endpoint.body import read_text
from endpoint.engine_errors import engine_error
from endpoint.errors import bad_request
from endpoint.errors import query_timeout
from endpoint.errors import unsupported_media_type
from endpoint.federation import check_services
from endpoint.service_description import describe
from endpoint.state import EndpointState
from endpoint.state import state
from endpoint.updates import run_update
from endpoint.warning_header import warn
from graph.engine.client import Deadline
from graph.engine.client import Response as EngineResponse
from graph.errors import StoreError
from graph.formats import GRAPH_FORMATS
from graph.formats import HTML
from graph.formats import RESULT_FORMATS
from graph.formats import Format
from graph.sparql_text import has_dataset_clause
from graph.sparql_text import query_form

blueprint = Blueprint("sparql", __name__)
log = logging.getLogger("endpoint.sparql")

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


@blueprint.route("/sparql", methods=["GET", "HEAD", "POST"])
def sparql() -> Response:
    """A query, an update, or the service description, per the SPARQL 1.1 Protocol."""
    params, text, kind = _read_operation()
    if kind == "update":
        return run_update(text, params)
    if text is None:
        return _describe_service()
    return _query(text, params)


def _read_operation() -> tuple[MultiDict[str, str], str | None, str]:
    """The parameters, the operation's text and whether it is a ``query`` or an ``update``."""
    args = request.args
    if request.method in ("GET", "HEAD"):
        if "update" in args:
            raise bad_request("an update must be sent with POST, never GET",
                              type="update-needs-post")
        _one_each(args)
        return args, args.get("query"), "query"
    content_type = request.mimetype
    limit = state().settings.max_body_bytes
    if content_type == FORM_TYPE:
        params = MultiDict(args)
        params.update(read_form(limit))
        _one_each(params)
        if "update" in params and "query" in params:
            raise bad_request("send either query= or update=, not both", type="ambiguous")
        if "update" in params:
            return params, params["update"], "update"
        if "query" not in params:
            raise bad_request("the form has neither query= nor update=", type="missing-query")
        return params, params["query"], "query"
    if content_type in (QUERY_TYPE, UPDATE_TYPE):
        if "query" in args or "update" in args:
            raise bad_request("the operation is the request body: send no query= or update= "
                              "in the URL beside it", type="multiple-operations")
        text = read_text(limit)
        return args, text, "update" if content_type == UPDATE_TYPE else "query"
    raise unsupported_media_type(content_type, [QUERY_TYPE, UPDATE_TYPE, FORM_TYPE])


def _one_each(params: MultiDict[str, str]) -> None:
    """:raises HttpError: 400 if a request carries two query strings or two updates."""
    for name in ("query", "update"):
        if len(params.getlist(name)) > 1:
            raise bad_request(f"the request has {len(params.getlist(name))} {name}= strings; "
                              f"send one {name} per request (an update may hold several "
                              "operations separated by ';')", type="multiple-operations")


# --- queries ---------------------------------------------------------------------------

def _query(text: str, params: MultiDict[str, str]) -> Response:
    current = state()
    check_services(text, current.settings)
    form = query_form(text)
    offers = (GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE")
              else RESULT_FORMATS)
    target = negotiation.for_request(offers, params)
    max_rows = current.settings.max_rows if form == "SELECT" else 0
    again = False  # JSON that may pass the row limit is asked again as TSV
    path, body = _engine_request(current, text, params)
    deadline = time.monotonic() + current.settings.timeout_s
    while True:
        asked = results.engine_format(target, max_rows, again)
        answer = _run(current, path, body, asked, deadline)
        try:
            if not max_rows:
                return _streamed(current, answer, target)
            held = results.hold(answer.chunks(), target, max_rows, asked)
        except Deadline:
            _stop_runaway(current)
            raise query_timeout(current.settings.timeout_s) from None
        except StoreError as error:
            if error.type != "engine-broken" or time.monotonic() >= deadline:
                raise  # an answer that does not parse is the engine's fault: said at once
            # Another query's timeout stopped the engine under this one before anything
            # was sent to the client: run it again on the restarted engine.
            continue
        if held is None:
            answer.abandon()
            again = True
            continue
        if held.truncated:
            answer.abandon()
        small = held.small()
        response = Response(held.chunks() if small is None else small,
                            content_type=target.content_type)
        response.headers["Psikg-Max-Rows"] = str(max_rows)
        if held.truncated:
            response.headers["Psikg-Truncated"] = "true"
            warn(f"the result was cut at {max_rows} rows (max_rows); page with ORDER BY, "
                 f"LIMIT and OFFSET")
        return response


def _engine_request(current: EndpointState, text: str,
                    params: MultiDict[str, str]) -> tuple[str, bytes]:
    """The engine's URL (with the dataset) and body (the query with psikg's base IRI).

    The query goes as an ``application/sparql-query`` body: url-encoding it into a form
    cost more than anything else psikg does for a cheap query.
    """
    body = f"BASE <{current.settings.url}/sparql>\n{text}".encode()
    if "default-graph-uri" not in params and "named-graph-uri" not in params:
        # the engine lets union-default-graph override FROM: only without one
        return ("/query" if has_dataset_clause(text) else _UNION_PATH), body
    dataset = [("default-graph-uri", iri) for iri in params.getlist("default-graph-uri")]
    dataset += [("named-graph-uri", iri) for iri in params.getlist("named-graph-uri")]
    return "/query?" + urlencode(dataset), body


_UNION_PATH = "/query?union-default-graph="


def _run(current: EndpointState, path: str, body: bytes, asked: Format,
         deadline: float) -> EngineResponse:
    """Send the query; a parse error becomes 400, a deadline 503 (and the engine restarts)."""
    headers = {"Content-Type": QUERY_TYPE, "Accept": asked.media_type}
    try:
        answer = current.engine.call("POST", path, body=body, headers=headers,
                                     deadline=deadline)
    except Deadline:
        _stop_runaway(current)
        raise query_timeout(current.settings.timeout_s) from None
    if answer.status == 200:
        return answer
    raise engine_error(answer, current)


def _streamed(current: EndpointState, answer: EngineResponse, target: Format) -> Response:
    """Pass the engine's bytes through as they come; a deadline mid-way cuts the stream.

    The first bytes are read before the headers go out, so that an engine stopped under
    the query by now raises :class:`StoreError` here and the query is run again; an
    answer of at most :data:`endpoint.results.READ_BYTES` is then sent whole.
    """
    first = answer.start(results.READ_BYTES)
    if answer.done:  # whole, with its Content-Length (for HEAD too)
        return Response(first, content_type=target.content_type)
    stream = answer.chunks()

    def chunks() -> Iterator[bytes]:
        try:
            if first:
                yield first
            yield from stream
        except Deadline:
            _stop_runaway(current)
        except StoreError as error:  # the engine died under the stream: cut it, loudly
            log.warning("a streamed answer was cut: %s", error.message)
        finally:
            answer.abandon()  # a no-op when it was read to its end

    response = Response(chunks(), content_type=target.content_type)
    # HEAD, or a client gone before the first chunk: the generator never ran its finally
    response.call_on_close(answer.abandon)
    return response


def _stop_runaway(current: EndpointState) -> None:
    """Kill the engine running a query past its deadline; the supervisor restarts it."""
    current.engine.kill_engine(current.engine.connected_pid())


# --- service description ---------------------------------------------------------------

def _describe_service() -> Response:
    current = state()
    ui = current.html_views.get("sparql")
    # HTML last: a browser names it first, while */* (curl, requests) gets the description.
    offers = (*GRAPH_FORMATS, HTML) if ui else GRAPH_FORMATS
    fmt = negotiation.for_request(offers)
    if fmt == HTML and ui is not None:
        return ui()  # type: ignore[return-value]
    return Response(describe(current, fmt), content_type=fmt.content_type)

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
import re
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
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import forbidden
from endpoint.errors import query_timeout
from endpoint.errors import unsupported_media_type
from endpoint.service_description import describe
from endpoint.state import EndpointState
from endpoint.state import state
from graph.engine.client import Deadline
from graph.engine.client import Response as EngineResponse
from graph.errors import StoreError
from graph.formats import GRAPH_FORMATS
from graph.formats import HTML
from graph.formats import RESULT_FORMATS
from graph.formats import Format
from graph.sparql_service import refused_endpoints
from graph.sparql_text import has_dataset_clause
from graph.sparql_text import query_form
from graph.store import STAGING_PREFIX

blueprint = Blueprint("sparql", __name__)
log = logging.getLogger("endpoint.sparql")

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """A query, an update, or the service description, per the SPARQL 1.1 Protocol."""
    params, text, kind = _read_operation()
    if kind == "update":
        return _update(text, params)
    if text is None:
        return _describe_service()
    return _query(text, params)


def _read_operation() -> tuple[MultiDict[str, str], str | None, str]:
    """The parameters, the operation's text and whether it is a ``query`` or an ``update``."""
    args = request.args
    if request.method == "GET":
        if "update" in args:
            raise bad_request("an update must be sent with POST, never GET",
                              type="update-needs-post")
        return args, args.get("query"), "query"
    content_type = request.mimetype
    limit = state().settings.max_body_bytes
    if content_type == FORM_TYPE:
        params = MultiDict(args)
        params.update(read_form(limit))
        if "update" in params and "query" in params:
            raise bad_request("send either query= or update=, not both", type="ambiguous")
        if "update" in params:
            return params, params["update"], "update"
        if "query" not in params:
            raise bad_request("the form has neither query= nor update=", type="missing-query")
        return params, params["query"], "query"
    if content_type in (QUERY_TYPE, UPDATE_TYPE):
        text = read_text(limit)
        return args, text, "update" if content_type == UPDATE_TYPE else "query"
    raise unsupported_media_type(content_type, [QUERY_TYPE, UPDATE_TYPE, FORM_TYPE])


# --- queries ---------------------------------------------------------------------------

def _query(text: str, params: MultiDict[str, str]) -> Response:
    current = state()
    _check_services(text, current)
    form = query_form(text)
    offers = (GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE")
              else RESULT_FORMATS)
    target = negotiation.negotiate(request.headers.get("Accept"), offers,
                                   format_param=params.get("format"))
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
        except StoreError:
            if time.monotonic() >= deadline:
                raise
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

    The first chunk is read before the headers go out, so that an engine stopped under
    the query by now raises :class:`StoreError` here and the query is run again; a small
    answer is then sent whole.
    """
    stream = answer.chunks()
    first = next(stream, b"")

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

    return Response(chunks(), content_type=target.content_type)


def _stop_runaway(current: EndpointState) -> None:
    """Kill the engine running a query past its deadline; the supervisor restarts it."""
    current.engine.kill_engine(current.engine.connected_pid())


_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_MAX_MESSAGE = 240


def engine_error(answer: EngineResponse, current: EndpointState) -> HttpError:
    """The engine's refusal as an error value: 400 with the parser's position, 503 for its
    own timeout, 502 for anything else it could not do."""
    message = answer.read().decode("utf-8", "replace").strip()
    if answer.status == 400:
        match = _POSITION.match(message)
        detail: dict[str, int] = {}
        if match:
            # The engine saw psikg's BASE line first: line 1 of the query is its line 2.
            detail = {"line": int(match.group(1)) - 1, "column": int(match.group(2))}
            message = message[match.end():]
        if len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE].rsplit(", ", 1)[0] + ", …"
        where = f" at line {detail['line']}, column {detail['column']}" if detail else ""
        return bad_request(f"SPARQL syntax error{where}: {message}", type="invalid-query",
                           **detail)
    if "timeout" in message.lower() or "cancel" in message.lower():
        return query_timeout(current.settings.timeout_s)
    if "does not exist" in message:
        return HttpError(404, message, "not-found")
    return HttpError(502, f"the query engine could not evaluate this request: {message}",
                     "engine-error")


def _check_services(text: str, current: EndpointState) -> None:
    refused = refused_endpoints(text, current.settings.service_allow)
    if refused:
        allowed = ", ".join(current.settings.service_allow) or "none (federation is off)"
        raise bad_request(f"SERVICE {refused[0]} is not allowed here; allowed endpoint "
                          f"prefixes: {allowed}", type="service-not-allowed", value=refused[0])


# --- service description ---------------------------------------------------------------

def _describe_service() -> Response:
    current = state()
    ui = current.html_views.get("sparql")
    # HTML last: a browser names it first, while */* (curl, requests) gets the description.
    offers = (*GRAPH_FORMATS, HTML) if ui else GRAPH_FORMATS
    fmt = negotiation.negotiate(request.headers.get("Accept"), offers,
                                format_param=request.args.get("format"))
    if fmt == HTML and ui is not None:
        return ui()  # type: ignore[return-value]
    return Response(describe(current, fmt), content_type=fmt.content_type)


# --- updates ----------------------------------------------------------------------------

def _update(text: str | None, params: MultiDict[str, str]) -> Response:
    from endpoint.auth import require_writer
    from graph.budget.freshness import stale_update

    require_writer()
    current = state()
    if not text or not text.strip():
        raise bad_request("the update is empty", type="missing-update")
    if STAGING_PREFIX in text:
        raise forbidden(f"graphs under {STAGING_PREFIX} are psikg's own loading area",
                        type="reserved-graph")
    _check_services(text, current)
    # Any update can change a registry, so the canned queries' aggregates become stale with
    # it, in the same transaction. The operation goes last: Oxigraph refuses a PREFIX after
    # ";", and line numbers of errors stay those of the user's text.
    operations = text.rstrip().removesuffix(";")
    fields = [("update", f"BASE <{current.settings.url}/sparql>\n{operations}\n;\n"
                         f"{stale_update()}")]
    fields += [(name, value) for name in ("using-graph-uri", "using-named-graph-uri")
               for value in params.getlist(name)]
    deadline = time.monotonic() + current.settings.timeout_s
    try:
        answer = current.engine.call("POST", "/update", body=urlencode(fields).encode(),
                                     headers={"Content-Type": FORM_TYPE}, deadline=deadline)
    except Deadline:
        raise query_timeout(current.settings.timeout_s) from None
    if answer.status >= 300:
        raise engine_error(answer, current)
    answer.read()
    return Response(status=204)

"""``/loads``: the command line's loads through a running ``psikg serve``, with the token.

Routes:

- ``POST /loads``: start a load; ``{"run": "urn:psikg:staging:{id}/"}``;
- ``POST /loads/{id}/graphs?graph=G``: where the load writes ``G`` (``{"where": …}``): ``G``
  itself behind a load marker if it is new, else a staging graph (always with ``staging=1``);
- ``POST /loads/{id}/data?graph=W``: N-Triples bulk-loaded into ``W`` outside any
  transaction (Oxigraph's ``no_transaction``; ``lenient=1`` for psikg's own N-Triples);
- ``POST /loads/{id}/commit``: the one small update (:mod:`graph.commit`) that makes the
  load visible; ``DELETE /loads/{id}``: remove what it wrote;
- ``PUT /loads/validation?graph=G``: record the outcome of ``psikg validate`` (JSON).

While a load is in flight, queries over the union of the graphs go to the engine with the
live graphs as their dataset (:mod:`graph.engine.loads`), so readers see the old graphs or
the new ones, never a mix. A load whose client died is removed by the next load that
starts once it has written nothing for :data:`graph.engine.loads.STALE_RUN_S`, and by the
next start of ``psikg serve``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request

from endpoint.auth import require_writer
from endpoint.body import read_body
from endpoint.engine_errors import engine_error
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import forbidden
from endpoint.errors import not_found
from endpoint.state import EndpointState
from endpoint.state import state
from graph import provenance
from graph.commit import GENERATED
from graph.commit import clear_batch
from graph.commit import mark_if_new
from graph.commit import unmark
from graph.engine.loads import FORM_TYPE
from graph.engine.loads import ChunkStream
from graph.engine.loads import LoadsInFlight
from graph.engine.loads import marked_graphs
from graph.engine.loads import of_a_load
from graph.formats import Format
from graph.namespaces import meta_graph
from graph.provenance import ValidationSummary
from graph.store import STAGING_PREFIX

blueprint = Blueprint("loads", __name__)

MAX_PART_BYTES = 1 << 30
"""Largest part of a load: the writer holds the token, and a part is sent whole (its blank
nodes are its own)."""
UPDATE_LIMIT_BYTES = 16 << 20
DUMP_BATCH = 10_000
"""Quads written at a time by :func:`whole_store_while_loading`."""


@blueprint.route("/loads", methods=["POST"])
def start() -> Response:
    """Start a load; a load whose client died long ago is removed first."""
    current, loads = _loads()
    for run in loads.stale():
        _abort(current, loads, run)
    return jsonify(run=loads.start())


@blueprint.route("/loads/<run>/graphs", methods=["POST"])
def place(run: str) -> Response:
    """Where the load writes the graph ``?graph=``: hidden until the commit."""
    current, _ = _loads()
    prefix = _prefix(run)
    graph = _graph()
    meta = meta_graph(current.settings.base_iri)
    if graph == meta or graph.startswith(STAGING_PREFIX):
        raise forbidden(f"graph {graph} is reserved for psikg's own use", type="reserved-graph")
    if "staging" not in request.args:
        _update(current, mark_if_new(meta, prefix, graph))
        if _ask(current, f"ASK {{ GRAPH {ox.NamedNode(meta)} {{ {ox.NamedNode(prefix)} "
                         f"{GENERATED} {ox.NamedNode(graph)} }} }}"):
            return jsonify(where=graph)  # a new graph, under its name behind the marker
    return jsonify(where=prefix + quote(graph, safe=""))


@blueprint.route("/loads/<run>/data", methods=["POST"])
def data(run: str) -> Response:
    """Bulk-load the N-Triples of the body into a graph of this load."""
    current, _ = _loads()
    prefix = _prefix(run)
    where = _graph()
    meta = meta_graph(current.settings.base_iri)
    if not where.startswith(prefix) and not _ask(current, (
            f"ASK {{ GRAPH {ox.NamedNode(meta)} {{ ?run {GENERATED} {ox.NamedNode(where)} "
            f"FILTER(STRSTARTS(STR(?run), {ox.Literal(prefix)})) }} }}")):
        raise forbidden(f"graph {where} is not one this load writes", type="not-staged")
    arguments = {"graph": where, "no_transaction": ""}
    if "lenient" in request.args:
        arguments["lenient"] = ""
    # A part goes on a new connection: one the engine broke is then never taken for an idle
    # one and sent again (a part loaded twice would repeat its blank nodes); the client
    # aborts the load instead.
    current.engine.drop()
    answer = current.engine.call(
        "POST", "/store?" + urlencode(arguments), body=read_body(MAX_PART_BYTES),
        headers={"Content-Type": "application/n-triples"}, whole_store=True)
    if answer.status == 400:
        message = answer.read().decode("utf-8", "replace").strip()
        raise bad_request(f"the N-Triples of this part do not parse: {message}",
                          type="invalid-rdf")
    if answer.status >= 300:
        raise engine_error(answer, current)
    answer.read()
    return Response(status=204)


@blueprint.route("/loads/<run>/commit", methods=["POST"])
def commit(run: str) -> Response:
    """Run the load's commit, one update, and let readers use the native union again."""
    current, loads = _loads()
    prefix = _prefix(run)
    _update(current, read_body(UPDATE_LIMIT_BYTES).decode("utf-8"))
    for graph in _staging_graphs(current, prefix):  # hidden until the load is finished
        _clear(current, graph)
    loads.finish(run)
    return Response(status=204)


@blueprint.route("/loads/<run>", methods=["DELETE"])
def abort(run: str) -> Response:
    """Remove what the load wrote; the store is as it was before it started."""
    current, loads = _loads()
    _prefix(run)
    _abort(current, loads, run)
    return Response(status=204)


@blueprint.route("/loads/validation", methods=["PUT"])
def validation() -> Response:
    """Record the outcome of a validation of ``?graph=`` (``conforms``, ``violations``,
    ``warnings``, ``validated`` as ISO 8601)."""
    require_writer()
    current = state()
    graph = _graph()
    given: dict[str, Any] = request.get_json(silent=True) or {}
    try:
        summary = ValidationSummary.from_json(given)
    except (KeyError, ValueError, TypeError):
        raise bad_request("the body is a JSON object with conforms, violations, warnings "
                          "and validated (ISO 8601)", type="invalid-validation") from None
    meta = meta_graph(current.settings.base_iri)
    _update(current, provenance.delete_validation(meta, graph) + " ;\n"
            + provenance.insert_validation(meta, graph, summary))
    return Response(status=204)


def whole_store_while_loading(current: EndpointState, fmt: Format) -> Response:
    """``GET /store`` (the whole store) while a load is in flight: the engine's dump without
    what loads in flight wrote (:func:`graph.engine.loads.of_a_load`), written in batches
    (each a whole TriG or N-Quads document, so their concatenation is one)."""
    answer = current.engine.call("GET", "/store", headers={"Accept": "application/n-quads"},
                                 deadline=_deadline(current), whole_store=True)
    if answer.status != 200:
        raise engine_error(answer, current)
    meta = meta_graph(current.settings.base_iri)
    marked = set(_select(current, marked_graphs(meta)))
    quads = ox.parse(io.BufferedReader(ChunkStream(answer.chunks()), 1 << 16),
                     format=ox.RdfFormat.N_QUADS)

    def batches() -> Iterator[bytes]:
        try:
            kept = (quad for quad in quads if not of_a_load(quad, marked))
            while batch := list(islice(kept, DUMP_BATCH)):
                yield ox.serialize(batch, format=fmt.rdf) or b""
        finally:
            answer.abandon()

    if request.method == "HEAD":
        answer.abandon()
        return Response(content_type=fmt.content_type)
    response = Response(batches(), content_type=fmt.content_type)
    response.headers["Content-Disposition"] = f"inline; filename=store.{fmt.extension}"
    return response


def _loads() -> tuple[EndpointState, LoadsInFlight]:
    require_writer()
    current = state()
    if current.loads is None:
        raise HttpError(503, "loads through the server need `psikg serve` (its run folder)",
                        "loads-unavailable")
    return current, current.loads


def _prefix(run: str) -> str:
    """The staging prefix of the load ``run``; 404 if it is not in flight."""
    current = state()
    if current.loads is None or not current.loads.known(run):
        raise not_found(f"no load {run} in flight on this server (committed, aborted, or "
                        "removed after its client went silent)", type="unknown-load")
    return f"{STAGING_PREFIX}{run}/"


def _abort(current: EndpointState, loads: LoadsInFlight, run: str) -> None:
    prefix = f"{STAGING_PREFIX}{run}/"
    meta = ox.NamedNode(meta_graph(current.settings.base_iri))
    rows = _staging_graphs(current, prefix) + _select(current, (
        f"SELECT ?g WHERE {{ GRAPH {meta} {{ ?run {GENERATED} ?g "
        f"FILTER(STRSTARTS(STR(?run), {ox.Literal(prefix)})) }} }}"))
    for graph in sorted(set(rows)):
        _clear(current, graph)
    _update(current, unmark(meta.value, prefix))
    loads.finish(run)


def _staging_graphs(current: EndpointState, prefix: str) -> list[str]:
    """The staging graphs of the load whose prefix is ``prefix``."""
    return _select(current, f"SELECT ?g WHERE {{ GRAPH ?g {{ }} "
                            f"FILTER(STRSTARTS(STR(?g), {ox.Literal(prefix)})) }}")


def _clear(current: EndpointState, graph: str) -> None:
    """Remove a hidden graph in small transactions (:func:`graph.commit.clear_batch`)."""
    while _ask(current, f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"):
        _update(current, clear_batch(graph))
    _update(current, f"DROP SILENT GRAPH {ox.NamedNode(graph)}")


def _graph() -> str:
    graph = request.args.get("graph", "")
    try:
        return ox.NamedNode(graph).value
    except ValueError:
        raise bad_request(f"graph={graph} is not an absolute IRI", type="invalid-iri",
                          value=graph) from None


def _deadline(current: EndpointState) -> float:
    return time.monotonic() + current.settings.timeout_s


def _ask(current: EndpointState, query: str) -> bool:
    answer = current.engine.call("POST", "/query", body=urlencode({"query": query}).encode(),
                                 headers={"Content-Type": FORM_TYPE,
                                          "Accept": "text/tab-separated-values"},
                                 deadline=_deadline(current), whole_store=True)
    if answer.status != 200:
        raise engine_error(answer, current)
    return answer.read().strip().endswith(b"true")


def _select(current: EndpointState, query: str) -> list[str]:
    answer = current.engine.call("POST", "/query", body=urlencode({"query": query}).encode(),
                                 headers={"Content-Type": FORM_TYPE,
                                          "Accept": "text/tab-separated-values"},
                                 deadline=_deadline(current), whole_store=True)
    if answer.status != 200:
        raise engine_error(answer, current)
    lines = answer.read().decode("utf-8").splitlines()[1:]
    return [line.strip()[1:-1] for line in lines if line.strip()]


def _update(current: EndpointState, text: str) -> None:
    """Run an update as one transaction; loads' commits are not cut at the query timeout."""
    answer = current.engine.call("POST", "/update", body=urlencode({"update": text}).encode(),
                                 headers={"Content-Type": FORM_TYPE}, whole_store=True)
    if answer.status >= 300:
        raise engine_error(answer, current)
    answer.read()

"""``/loads``: the command line's loads through a running ``psikg serve``, with the token.

Routes:

- ``POST /loads``: start a load; ``{"run": "urn:psikg:staging:{id}/", "commit": …}``, where
  ``commit`` says how the client builds its commit update (``difference`` or ``move``);
- ``POST /loads/{id}/graphs?graph=G``: where the load writes ``G`` (``{"where": …}``), hidden
  from readers until the commit (``staging=1``: never under its own name);
- ``POST /loads/{id}/data?graph=W``: N-Triples into ``W`` (``lenient=1`` for psikg's own
  N-Triples);
- ``POST /loads/{id}/commit``: the one small update (:mod:`graph.commit`) that makes the
  load visible; ``DELETE /loads/{id}``: remove what it wrote;
- ``PUT /loads/validation?graph=G``: record the outcome of ``psikg validate`` (JSON).

The routes are the same for every engine; what each step does in the engine is the
engine's :class:`endpoint.load_targets.LoadTarget` (the one ``psikg serve`` runs, or one it
does not run). On its own engine, while a load is in flight, queries over the union of the
graphs go to the engine with the live graphs as their dataset (:mod:`graph.engine.loads`),
so readers see the old graphs or the new ones, never a mix; in front of another engine
they read the graphs psikg's metadata graph describes, which a load changes only in its
commit. A load whose client died is removed by the next load that starts once it has
written nothing for :data:`graph.engine.loads.STALE_RUN_S` (and, on psikg's own engine, by
the next start of ``psikg serve``).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from itertools import islice
from typing import Any

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
from endpoint.load_targets import LoadTarget
from endpoint.load_targets import engine_select
from endpoint.load_targets import load_target
from endpoint.state import EndpointState
from endpoint.state import state
from graph.chunk_stream import ChunkStream
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
    """Start a load; a load whose client died long ago is removed first. The answer says
    how the client builds the commit (``commit``: ``difference`` or ``move``)."""
    current, loads = _loads()
    target = load_target(current)
    for run in loads.stale():
        _abort(target, loads, run)
    target.sweep()
    return jsonify(run=loads.start(), commit=target.commit_by)


@blueprint.route("/loads/<run>/graphs", methods=["POST"])
def place(run: str) -> Response:
    """Where the load writes the graph ``?graph=``: hidden until the commit."""
    current, _ = _loads()
    prefix = _prefix(run)
    graph = _graph()
    if graph == meta_graph(current.settings.base_iri) or graph.startswith(STAGING_PREFIX):
        raise forbidden(f"graph {graph} is reserved for psikg's own use", type="reserved-graph")
    where = load_target(current).place(prefix, graph, staging="staging" in request.args)
    return jsonify(where=where)


@blueprint.route("/loads/<run>/data", methods=["POST"])
def data(run: str) -> Response:
    """Load the N-Triples of the body into a graph of this load."""
    current, _ = _loads()
    prefix = _prefix(run)
    where = _graph()
    target = load_target(current)
    if not target.writes(prefix, where):
        raise forbidden(f"graph {where} is not one this load writes", type="not-staged")
    target.write(where, read_body(MAX_PART_BYTES), lenient="lenient" in request.args)
    return Response(status=204)


@blueprint.route("/loads/<run>/commit", methods=["POST"])
def commit(run: str) -> Response:
    """Run the load's commit, one update, and let readers use the native union again."""
    current, loads = _loads()
    prefix = _prefix(run)
    load_target(current).commit(prefix, read_body(UPDATE_LIMIT_BYTES).decode("utf-8"))
    loads.finish(run)
    return Response(status=204)


@blueprint.route("/loads/<run>", methods=["DELETE"])
def abort(run: str) -> Response:
    """Remove what the load wrote; the store is as it was before it started."""
    current, loads = _loads()
    _prefix(run)
    _abort(load_target(current), loads, run)
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
    load_target(current).record_validation(graph, summary)
    return Response(status=204)


def whole_store_while_loading(current: EndpointState, fmt: Format) -> Response:
    """``GET /store`` (the whole store) while a load is in flight: the engine's dump without
    what loads in flight wrote (:func:`graph.engine.loads.of_a_load`), written in batches
    (each a whole TriG or N-Quads document, so their concatenation is one)."""
    answer = current.engine.call("GET", "/store", headers={"Accept": "application/n-quads"},
                                 deadline=time.monotonic() + current.settings.timeout_s,
                                 whole_store=True)
    if answer.status != 200:
        raise engine_error(answer, current)
    meta = meta_graph(current.settings.base_iri)
    marked = set(engine_select(current, marked_graphs(meta)))
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


def _abort(target: LoadTarget, loads: LoadsInFlight, run: str) -> None:
    target.abort(f"{STAGING_PREFIX}{run}/")
    loads.finish(run)


def _graph() -> str:
    graph = request.args.get("graph", "")
    try:
        return ox.NamedNode(graph).value
    except ValueError:
        raise bad_request(f"graph={graph} is not an absolute IRI", type="invalid-iri",
                          value=graph) from None

"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol. Reads are public; writes need the
update token.

Routes (all on ``/store``):

- ``GET|HEAD ?graph=IRI``: one named graph, in the negotiated RDF format (Turtle default);
- ``GET|HEAD ?default``: the default graph, i.e. the union of the graphs, as queries see it;
- ``GET|HEAD`` with neither: the whole store, as TriG or N-Quads;
- ``PUT ?graph=IRI``: replace the graph, atomically (201 if it is new, else 204);
- ``POST ?graph=IRI``: add to the graph; ``POST`` with neither: a new graph, 201 + Location;
- ``DELETE ?graph=IRI``: drop the graph and its provenance (204, or 404).

Every write is one update transaction on the engine (``DROP``, ``INSERT DATA`` and the
provenance record together): readers see the old graph or the new one, never a mix; on
psikg's own engine no staging graph is ever created. In front of an engine psikg does
not run, whose parser cannot hold a large ``INSERT DATA`` (Virtuoso), the body is first
written to a staging graph through the engine's own Graph Store, hidden behind a marker,
and brought in by one update with the provenance
(:meth:`endpoint.remote_engine.RemoteEngine.write_graph`). The default graph is the union
of the named graphs, so it cannot be written (405): write to a named graph.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint
from flask import Response
from flask import request

from endpoint import negotiation
from endpoint.auth import require_writer
from endpoint.body import read_body
from endpoint.engine_errors import engine_error
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import forbidden
from endpoint.errors import method_not_allowed
from endpoint.errors import not_found
from endpoint.errors import query_timeout
from endpoint.errors import unsupported_media_type
from endpoint.loads import whole_store_while_loading
from endpoint.remote_engine import RemoteEngine
from endpoint.state import EndpointState
from endpoint.state import state
from graph import provenance
from graph.engine.client import Deadline
from graph.engine.client import Response as EngineResponse
from graph.formats import DATASET_FORMATS
from graph.formats import GRAPH_FORMATS
from graph.formats import JSONLD
from graph.formats import NQUADS
from graph.formats import NTRIPLES
from graph.formats import UPLOAD_FORMATS
from graph.formats import Format
from graph.namespaces import meta_graph
from graph.sources import parse_error
from graph.store import STAGING_PREFIX

blueprint = Blueprint("graph_store", __name__)

READS = ["GET", "HEAD", "OPTIONS"]


@blueprint.route("/store", methods=["GET", "HEAD"])
def read() -> Response:
    """A graph, the default graph (the union), or the whole store."""
    current = state()
    graph = _target()
    if graph is None and "default" not in request.args:
        fmt = negotiation.for_request(DATASET_FORMATS)
        if current.loads is None:
            return _relay(current, "/store", fmt)
        epoch = current.loads.epoch()
        if not current.loads.any():
            answer = _relay(current, "/store", fmt)
            if current.loads.epoch() == epoch:  # no load began before the engine's snapshot
                return answer
            answer.close()
        return whole_store_while_loading(current, fmt)
    fmt = negotiation.for_request(GRAPH_FORMATS)
    if graph is None:
        query = "CONSTRUCT WHERE { ?s ?p ?o }"
        body = urlencode({"query": query, "union-default-graph": ""}).encode()
        return _relay(current, "/query", fmt, body)
    if not _exists(current, graph):
        raise not_found(f"no graph {graph} in the store", type="unknown-graph")
    if fmt.holds_datasets and fmt != JSONLD:  # the engine's TriG or N-Quads would drop it
        return _relay(current, "/store?" + urlencode({"graph": graph}), fmt,
                      naming=_GraphName(graph, fmt))
    return _relay(current, "/store?" + urlencode({"graph": graph}), fmt)


@blueprint.route("/store", methods=["PUT", "POST"])
def write() -> Response:
    """Replace (PUT) or extend (POST) a named graph with the RDF in the body."""
    from graph.budget.freshness import stale_update
    require_writer()
    current = state()
    graph = _target()
    created_name = False
    if graph is None:
        if "default" in request.args:
            raise method_not_allowed("the default graph is the union of the named graphs and "
                                     "cannot be written; use ?graph=IRI", READS)
        if request.method == "PUT":
            raise bad_request("PUT replaces one graph: name it with ?graph=IRI",
                              type="missing-graph")
        graph = f"{current.settings.base_iri.rstrip('/')}/graph/{uuid.uuid4()}"
        created_name = True
    _check_writable(current, graph)
    fmt = next((f for f in UPLOAD_FORMATS if f.matches(request.mimetype)), None)
    if fmt is None or fmt.rdf is None:
        raise unsupported_media_type(request.mimetype,
                                     [f.media_type for f in UPLOAD_FORMATS])
    data = read_body(current.settings.max_body_bytes)
    existed = _exists(current, graph)
    triples = _parse(data, fmt.rdf, graph)
    replace = request.method == "PUT"
    then = []  # in the write's own transaction
    meta = meta_graph(current.settings.base_iri)
    if replace or not existed:
        then.append(provenance.delete_description(meta, graph))
        then.append(provenance.insert_provenance(meta, provenance.Provenance(
            graph, f"{current.settings.url}/store?{urlencode({'graph': graph})}",
            fmt.iri, hashlib.sha256(data).hexdigest(), triples.count(b"\n"),
            provenance.now())))
    then.append(stale_update(graph))  # the canned queries' aggregates of it
    engine = current.engine
    if isinstance(engine, RemoteEngine):  # staged: past what one update can hold
        _answered(current, lambda deadline: engine.write_graph(
            graph, triples, replace=replace, then=then, deadline=deadline))
    else:
        operations = [f"DROP SILENT GRAPH {ox.NamedNode(graph)}"] if replace else []
        operations.append(f"INSERT DATA {{ GRAPH {ox.NamedNode(graph)} {{\n"
                          + triples.decode("utf-8") + "}}")
        _update(current, " ;\n".join(operations + then))
    if created_name:
        response = Response(status=201)
        response.headers["Location"] = f"/store?{urlencode({'graph': graph})}"
        return response
    return Response(status=204 if existed else 201)


@blueprint.route("/store", methods=["DELETE"])
def delete() -> Response:
    """Drop a named graph and what the metadata graph says of it."""
    require_writer()
    current = state()
    graph = _target()
    if graph is None:
        raise method_not_allowed("DELETE drops one named graph: name it with ?graph=IRI; the "
                                 "default graph (the union) cannot be deleted", READS)
    _check_writable(current, graph)
    if not _exists(current, graph):
        raise not_found(f"no graph {graph} in the store", type="unknown-graph")
    meta = meta_graph(current.settings.base_iri)
    _update(current, f"DROP SILENT GRAPH {ox.NamedNode(graph)} ;\n"
            + provenance.delete_description(meta, graph))
    return Response(status=204)


def _target() -> str | None:
    graph = request.args.get("graph")
    if graph is not None and "default" in request.args:
        raise bad_request("give either ?graph=IRI or ?default, not both", type="ambiguous")
    if graph is None:
        return None
    try:
        return ox.NamedNode(graph).value
    except ValueError:
        raise bad_request(f"graph={graph} is not an absolute IRI", type="invalid-iri",
                          value=graph) from None


def _check_writable(current: EndpointState, graph: str) -> None:
    if graph.startswith(STAGING_PREFIX) or graph == meta_graph(current.settings.base_iri):
        raise forbidden(f"graph {graph} is reserved for psikg's own use", type="reserved-graph")


def _exists(current: EndpointState, graph: str) -> bool:
    if graph.startswith(STAGING_PREFIX):
        return False
    if isinstance(current.engine, RemoteEngine):  # psikg's graphs, never the engine's own
        return current.engine.has_graph(graph)
    query = f"ASK {{ GRAPH {ox.NamedNode(graph)} {{}} }}"
    answer = current.engine.call(
        "POST", "/query", body=urlencode({"query": query}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "text/tab-separated-values"},
        deadline=time.monotonic() + current.settings.timeout_s)
    return answer.read().strip().endswith(b"true")


def _parse(data: bytes, fmt: ox.RdfFormat, graph: str) -> bytes:
    """The body as N-Triples, graph names dropped; a syntax error is a 400 with its place."""
    try:
        quads = ox.parse(data, format=fmt, base_iri=graph)
        ntriples = ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in quads),
            format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        problem = parse_error(error, "request body", base_iri=graph,
                              rdf_xml=data if fmt == ox.RdfFormat.RDF_XML else None)
        raise HttpError(400, problem.one_line(), "invalid-rdf", [problem.as_dict()]) from None
    assert ntriples is not None  # no output file given: the bytes are returned
    return ntriples


def _update(current: EndpointState, text: str) -> None:
    _answered(current, lambda deadline: current.engine.call(
        "POST", "/update", body=urlencode({"update": text}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"}, deadline=deadline))


def _answered(current: EndpointState, write: Callable[[float], EngineResponse]) -> None:
    """Run a write on the engine by the request's deadline: 503 past it, the engine's
    refusal as the client's or psikg's fault."""
    try:
        answer = write(time.monotonic() + current.settings.timeout_s)
    except Deadline:
        raise query_timeout(current.settings.timeout_s) from None
    if answer.status >= 300:
        raise engine_error(answer, current)
    answer.read()


class _GraphName:
    """One graph as a dataset that names it: the engine's N-Triples of the graph, line by
    line, as N-Quads (the name before each ``.``) or TriG (N-Triples lines are TriG
    triples, inside ``<graph> { … }``). The engine's own TriG and N-Quads of a graph put
    its triples in the default graph.
    """

    def __init__(self, graph: str, fmt: Format) -> None:
        self.name = str(ox.NamedNode(graph)).encode()
        self.quads = fmt == NQUADS
        self.rest = b""
        self.started = False

    def feed(self, data: bytes) -> bytes:
        """The dataset's bytes for the next bytes of N-Triples (whole lines only)."""
        data, cut = self.rest + data, (self.rest + data).rfind(b"\n") + 1
        lines, self.rest = data[:cut], data[cut:]
        opening = b"" if self.started or self.quads else self.name + b" {\n"
        self.started = True
        if not self.quads:
            return opening + lines
        return b"".join(line[:line.rstrip().rfind(b".")] + self.name + b" .\n"
                        for line in lines.splitlines() if line.strip())

    def end(self) -> bytes:
        """What closes the dataset once the N-Triples ended."""
        tail = self.feed(b"\n") if self.rest.strip() else b""
        return tail if self.quads else tail + b"}\n"


def _relay(current: EndpointState, path: str, fmt: Format, body: bytes | None = None,
           naming: _GraphName | None = None) -> Response:
    """Stream what the engine sends for a GET (or a CONSTRUCT when ``body`` is given),
    through ``naming`` when a graph is sent as a dataset."""
    headers = {"Accept": (NTRIPLES if naming else fmt).media_type}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    deadline = time.monotonic() + current.settings.timeout_s
    answer = current.engine.call("POST" if body else "GET", path, body=body, headers=headers,
                                 deadline=deadline)
    if answer.status != 200:
        raise engine_error(answer, current)
    try:
        first = answer.start()
    except Deadline:
        raise query_timeout(current.settings.timeout_s) from None
    if naming is not None:
        first = naming.feed(first) + (naming.end() if answer.done else b"")

    def chunks() -> Iterator[bytes]:
        try:
            yield first
            for chunk in answer.chunks():
                yield chunk if naming is None else naming.feed(chunk)
            if naming is not None:
                yield naming.end()
        except Deadline:
            return
        finally:
            answer.abandon()  # a no-op when it was read to its end

    # HEAD gets the headers GET gets: a small answer whole with its Content-Length, a
    # large one streamed without; werkzeug drops the body and closes the response.
    response = Response(first if answer.done else chunks(), content_type=fmt.content_type)
    response.call_on_close(answer.abandon)
    response.headers["Content-Disposition"] = (
        f"inline; filename=graph.{fmt.extension}" if "graph" in request.args
        else f"inline; filename=store.{fmt.extension}")
    return response


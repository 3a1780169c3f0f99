"""Where ``/loads`` writes: the one interface the routes of :mod:`endpoint.loads` call, with
one implementation per kind of engine.

- :class:`EngineLoads`: the Oxigraph ``psikg serve`` runs itself. A new graph is
  bulk-loaded under its final name behind a load marker, a new version of a graph into a
  staging graph, both outside any transaction (``no_transaction``); the commit brings
  staging graphs in by difference, and they are cleared after it in small transactions.
- :class:`RemoteLoads`: an engine psikg does not run (``--engine-url``), through
  :class:`graph.remote.staging.RemoteStaging`, as ``psikg --engine-url … load`` writes it:
  every graph into a staging graph behind a marker (Graph Store POST), brought in by
  ``MOVE`` in the commit.

Either way the commit is one update the client builds (:func:`graph.commit.commit_update`,
as :attr:`LoadTarget.commit_by` says) and the engine runs as one transaction, so readers
see the old graphs or the new, and a load killed before it leaves the old graphs whole.
"""

from __future__ import annotations

import time
from typing import Protocol
from urllib.parse import quote
from urllib.parse import urlencode

import pyoxigraph as ox

from endpoint.engine_errors import engine_error
from endpoint.errors import bad_request
from endpoint.remote_engine import RemoteEngine
from endpoint.state import EndpointState
from graph import provenance
from graph.commit import GENERATED
from graph.commit import clear_batch
from graph.commit import mark_if_new
from graph.commit import unmark
from graph.engine.loads import FORM_TYPE
from graph.errors import InputError
from graph.namespaces import meta_graph
from graph.provenance import ValidationSummary
from graph.remote.store import RemoteStore


class LoadTarget(Protocol):
    """What ``/loads`` needs of an engine; ``run`` is a load's staging prefix
    (``urn:psikg:staging:{id}/``)."""

    commit_by: str
    """How the client brings staged graphs in (:func:`graph.commit.commit_update`):
    ``difference`` or ``move``; ``POST /loads`` tells it."""

    def place(self, run: str, graph: str, *, staging: bool) -> str:
        """Where the load writes ``graph``, hidden from readers until the commit."""

    def writes(self, run: str, where: str) -> bool:
        """Whether ``where`` is a graph the load placed."""

    def write(self, where: str, ntriples: bytes, *, lenient: bool) -> None:
        """Add one part's N-Triples to ``where``.

        :raises HttpError: 400 if they do not parse.
        """

    def commit(self, run: str, update: str) -> None:
        """Run the load's commit, and remove what it leaves hidden."""

    def abort(self, run: str) -> None:
        """Remove everything the load wrote, and its markers."""

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        """Replace the stored outcome of the last validation of ``graph``."""

    def sweep(self) -> None:
        """Remove what dead loads left that no record of loads in flight names any more."""


def load_target(current: EndpointState) -> LoadTarget:
    """The engine's :class:`LoadTarget`."""
    if isinstance(current.engine, RemoteEngine):
        return RemoteLoads(current.engine.store)
    return EngineLoads(current)


class EngineLoads:
    """``/loads`` on the engine ``psikg serve`` runs (the module's docstring)."""

    commit_by = "difference"

    def __init__(self, current: EndpointState) -> None:
        self.current = current
        self.meta = meta_graph(current.settings.base_iri)

    def place(self, run: str, graph: str, *, staging: bool) -> str:
        if not staging:
            engine_update(self.current, mark_if_new(self.meta, run, graph))
            if engine_ask(self.current, f"ASK {{ GRAPH {ox.NamedNode(self.meta)} {{ "
                          f"{ox.NamedNode(run)} {GENERATED} {ox.NamedNode(graph)} }} }}"):
                return graph  # a new graph, under its name behind the marker
        return run + quote(graph, safe="")

    def writes(self, run: str, where: str) -> bool:
        return where.startswith(run) or engine_ask(self.current, (
            f"ASK {{ GRAPH {ox.NamedNode(self.meta)} {{ ?run {GENERATED} "
            f"{ox.NamedNode(where)} FILTER(STRSTARTS(STR(?run), {ox.Literal(run)})) }} }}"))

    def write(self, where: str, ntriples: bytes, *, lenient: bool) -> None:
        arguments = {"graph": where, "no_transaction": ""}
        if lenient:
            arguments["lenient"] = ""
        # A part goes on a new connection: one the engine broke is then never taken for an
        # idle one and sent again (a part loaded twice would repeat its blank nodes); the
        # client aborts the load instead.
        self.current.engine.drop()
        answer = self.current.engine.call(
            "POST", "/store?" + urlencode(arguments), body=ntriples,
            headers={"Content-Type": "application/n-triples"}, whole_store=True)
        if answer.status == 400:
            message = answer.read().decode("utf-8", "replace").strip()
            raise bad_request(f"the N-Triples of this part do not parse: {message}",
                              type="invalid-rdf")
        if answer.status >= 300:
            raise engine_error(answer, self.current)
        answer.read()

    def commit(self, run: str, update: str) -> None:
        engine_update(self.current, update)
        for graph in self._staging_graphs(run):  # hidden until the load is finished
            self._clear(graph)

    def abort(self, run: str) -> None:
        rows = self._staging_graphs(run) + engine_select(self.current, (
            f"SELECT ?g WHERE {{ GRAPH {ox.NamedNode(self.meta)} {{ ?run {GENERATED} ?g "
            f"FILTER(STRSTARTS(STR(?run), {ox.Literal(run)})) }} }}"))
        for graph in sorted(set(rows)):
            self._clear(graph)
        engine_update(self.current, unmark(self.meta, run))

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        engine_update(self.current, provenance.delete_validation(self.meta, graph) + " ;\n"
                      + provenance.insert_validation(self.meta, graph, summary))

    def sweep(self) -> None:
        """Nothing: ``psikg serve`` cleans its own store when it starts."""

    def _staging_graphs(self, run: str) -> list[str]:
        return engine_select(self.current, f"SELECT ?g WHERE {{ GRAPH ?g {{ }} "
                                           f"FILTER(STRSTARTS(STR(?g), {ox.Literal(run)})) }}")

    def _clear(self, graph: str) -> None:
        """Remove a hidden graph in small transactions (:func:`graph.commit.clear_batch`)."""
        while engine_ask(self.current, f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"):
            engine_update(self.current, clear_batch(graph))
        engine_update(self.current, f"DROP SILENT GRAPH {ox.NamedNode(graph)}")


class RemoteLoads:
    """``/loads`` in front of an engine psikg does not run (the module's docstring)."""

    commit_by = "move"

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.staging = store.staging

    def place(self, run: str, graph: str, *, staging: bool) -> str:
        return self.staging.place(run, graph)  # never under its name: hidden by its marker

    def writes(self, run: str, where: str) -> bool:
        return self.staging.writes(run, where)

    def write(self, where: str, ntriples: bytes, *, lenient: bool) -> None:
        try:
            self.staging.write(where, ntriples)  # the engine parses it: psikg's or not
        except InputError as error:
            raise bad_request(f"the N-Triples of this part do not parse: {error.message}",
                              type="invalid-rdf") from None

    def commit(self, run: str, update: str) -> None:
        placed = self.staging.marked(run)
        self.staging.commit(update)
        self.staging.drop_graphs(placed)  # none after a MOVE; a by-difference commit's rest

    def abort(self, run: str) -> None:
        self.staging.abort(run)

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        self.store.record_validation(graph, summary)

    def sweep(self) -> None:
        """Staging graphs placed over a day ago (:data:`graph.remote.store.LEFTOVER_AFTER_S`)
        by loads never committed: a ``psikg serve`` restarted since forgot them."""
        self.staging.remove_leftovers(self.store.leftover_after_s)


def engine_ask(current: EndpointState, query: str) -> bool:
    """An ASK over the whole engine, staging graphs included."""
    return _tsv(current, query).strip().endswith(b"true")


def engine_select(current: EndpointState, query: str) -> list[str]:
    """The IRIs of a one-column SELECT over the whole engine."""
    lines = _tsv(current, query).decode("utf-8").splitlines()[1:]
    return [line.strip()[1:-1] for line in lines if line.strip()]


def _tsv(current: EndpointState, query: str) -> bytes:
    """The engine's TSV answer to a query over all its graphs, under the query timeout."""
    answer = current.engine.call("POST", "/query", body=urlencode({"query": query}).encode(),
                                 headers={"Content-Type": FORM_TYPE,
                                          "Accept": "text/tab-separated-values"},
                                 deadline=time.monotonic() + current.settings.timeout_s,
                                 whole_store=True)
    if answer.status != 200:
        raise engine_error(answer, current)
    return answer.read()


def engine_update(current: EndpointState, text: str) -> None:
    """Run an update as one transaction; loads' commits are not cut at the query timeout."""
    answer = current.engine.call("POST", "/update", body=urlencode({"update": text}).encode(),
                                 headers={"Content-Type": FORM_TYPE}, whole_store=True)
    if answer.status >= 300:
        raise engine_error(answer, current)
    answer.read()

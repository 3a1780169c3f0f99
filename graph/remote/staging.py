"""A load's staging graphs in an engine psikg does not run: where each graph of a load is
written before its commit, the markers that find them again, and their removal.

One home for both ways a load reaches such an engine: a command with ``--engine-url``
(:class:`graph.remote.store.RemoteStore`, which holds its run itself) and ``psikg serve``'s
``/loads`` in front of it (:mod:`endpoint.load_targets`, where each request names its run).

Every graph a load writes is a staging graph ``{run}{time}-{id}/{graph}`` under
``urn:psikg:staging:`` (``time`` when it was placed, which :meth:`remove_leftovers`
reads), recorded by a marker in the metadata graph (``<run> prov:generated <staging
graph>``) *before* anything is written into it: readers
never see it (psikg's union is the graphs the metadata graph describes), and an abort, or
a later load that finds the run dead, drops exactly the graphs its markers name. Nothing
here lists the engine's graphs: Virtuoso lists none for ``GRAPH ?g { }``.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from urllib.parse import quote

import pyoxigraph as ox

from graph.commit import GENERATED
from graph.commit import mark
from graph.commit import unmark
from graph.errors import UsageError
from graph.remote import pages
from graph.remote.protocol import SparqlProtocol
from graph.store import STAGING_PREFIX

_PLACED = re.compile(r"/(\d+)-[0-9a-f]+/[^/]*$")
"""When a staging graph was placed, in its name (:meth:`RemoteStaging.place`)."""


class RemoteStaging:
    """The staging graphs of loads into the engine behind ``protocol``.

    :param meta_graph: psikg's metadata graph, where the markers are.
    :param committed: called after each commit (the store's list of graphs is out of date).
    """

    def __init__(self, protocol: SparqlProtocol, meta_graph: str,
                 committed: Callable[[], None] = lambda: None) -> None:
        self._protocol = protocol
        self.meta_graph = meta_graph
        self._committed = committed

    @staticmethod
    def new_run() -> str:
        """A new run's prefix (``psikg serve``'s ``/loads`` mints its own)."""
        return f"{STAGING_PREFIX}{int(time.time())}-{uuid.uuid4().hex}/"

    def place(self, run: str, target: str) -> str:
        """A new staging graph for ``target``, behind the run's marker.

        :raises UsageError: if ``target`` is one of psikg's reserved graphs.
        """
        if target == self.meta_graph or target.startswith(STAGING_PREFIX):
            raise UsageError(f"graph {target} is reserved for psikg's own use",
                             type="reserved-graph", value=target)
        where = f"{run}{int(time.time())}-{uuid.uuid4().hex[:8]}/{quote(target, safe='')}"
        self._protocol.update(mark(self.meta_graph, run, where))
        return where

    def write(self, where: str, ntriples: bytes) -> None:
        """Add N-Triples to a staging graph (one request: its blank nodes are its own)."""
        self._protocol.post_graph(where, ntriples)

    def write_parts(self, where: str, parts: Iterable[bytes]) -> None:
        """:meth:`write` each part, the next one made while the engine takes this one.

        A register's parts are made by the converter as they are asked for: sent from the
        caller's thread, conversion and the engine's parsing took turns, each idle while
        the other worked. One writer thread sends; at most one part waits in memory
        beside the one being sent, and the parts keep their order. An error on either
        side stops both and is raised here (the caller aborts the load).
        """
        with ThreadPoolExecutor(1, thread_name_prefix="psikg-staging") as writer:
            sending: Future[None] | None = None
            try:
                for part in parts:
                    if sending is not None:
                        sending.result()
                    sending = writer.submit(self.write, where, part)
                if sending is not None:
                    sending.result()
            finally:
                if sending is not None:
                    wait([sending])  # never a request left running behind an error
                writer.submit(self._protocol.close)  # the writer thread's connection

    def writes(self, run: str, where: str) -> bool:
        """Whether ``where`` is a staging graph the run placed (its marker says so)."""
        return where in self.marked(run)

    def marked(self, run: str) -> list[str]:
        """The staging graphs whose markers name a run starting with ``run``."""
        meta = ox.NamedNode(self.meta_graph)
        rows = pages.select(self._protocol, f"SELECT ?g WHERE {{ GRAPH {meta} {{ ?run "
                            f"{GENERATED} ?g FILTER(STRSTARTS(STR(?run), "
                            f"{ox.Literal(run)})) }} }}")
        return sorted({row["g"].value for row in rows})

    def commit(self, update: str) -> None:
        """Run a load's commit (:func:`graph.commit.commit_update`, by ``MOVE``): one update,
        one transaction, outside the engine's log where it has one that a big ``MOVE``
        overflows, and on disk before it returns
        (:meth:`graph.remote.protocol.SparqlProtocol.update_unlogged`)."""
        try:
            self._protocol.update_unlogged(update)
        finally:
            self._committed()

    def abort(self, run: str) -> None:
        """Drop what the run wrote and its markers, in one update."""
        self._drop({run: self.marked(run)})

    def remove_leftovers(self, older_than_s: float) -> None:
        """Drop the staging graphs placed over ``older_than_s`` ago by runs that never
        committed (their command, or ``psikg serve`` and its record of loads in flight,
        was killed), and their markers."""
        meta = ox.NamedNode(self.meta_graph)
        rows = pages.select(self._protocol, f"SELECT ?run ?g WHERE {{ GRAPH {meta} {{ "
                            f"?run {GENERATED} ?g FILTER(STRSTARTS(STR(?run), "
                            f"{ox.Literal(STAGING_PREFIX)})) }} }}")
        doomed: dict[str, list[str]] = {}
        for row in rows:
            placed = _PLACED.search(row["g"].value)
            if placed and int(placed.group(1)) <= time.time() - older_than_s:
                doomed.setdefault(row["run"].value, []).append(row["g"].value)
        self._drop(doomed)

    def drop_graphs(self, graphs: list[str]) -> None:
        """Drop staging graphs (those a commit left, if any), in one update."""
        if graphs:
            self._protocol.update_unlogged(" ;\n".join(
                f"DROP SILENT GRAPH {ox.NamedNode(graph)}" for graph in graphs))

    def _drop(self, runs: dict[str, list[str]]) -> None:
        if runs:
            self._protocol.update_unlogged(" ;\n".join(
                [f"DROP SILENT GRAPH {ox.NamedNode(graph)}"
                 for graphs in runs.values() for graph in graphs]
                + [unmark(self.meta_graph, run) for run in runs]))
